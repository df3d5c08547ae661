"""Choosing the next token of every active sequence at once (temperature, top-p, per-request seeds), and the
text side of stopping: stop strings and what part of the text is safe to send yet."""

from __future__ import annotations

from collections.abc import Sequence

import torch

# A decoded tail that ends in the replacement character is half of a multi-byte character: wait for the rest.
_PARTIAL = "\ufffd"


# The nucleus is looked for among this many most likely tokens first: a trained model's top-p 0.95 nucleus is
# tens of tokens, and a partial top-k is far cheaper than sorting the whole vocabulary for every sequence.
CANDIDATES = 1024
# Below this a temperature is greedy: logits divided by it overflow float32 (about 1e-38 for logits near 1, far
# sooner for large ones), and nothing sampled at it would differ from the most likely token anyway.
MIN_TEMPERATURE = 1e-4
# The token of a row whose scores are not numbers (NaN, +inf, or all -inf): its request fails, the batch goes on.
BAD_ROW = -1


def next_tokens(logits: torch.Tensor, temperatures: torch.Tensor, top_ps: torch.Tensor,
                generators: Sequence[torch.Generator | None]) -> torch.Tensor:
    """One token per row of `logits` [rows, vocab], BAD_ROW where a row's scores are not finite. Temperatures
    under MIN_TEMPERATURE are greedy; rows with a generator (a seeded request) draw from it alone, so their
    samples do not depend on what else is in the batch. Exact top-p: rows whose nucleus is not inside the top
    CANDIDATES (or top_p 1) sort the whole vocabulary."""
    logits = logits.float()
    bad = torch.isnan(logits).any(dim=-1) | torch.isposinf(logits).any(dim=-1) | torch.isneginf(logits).all(dim=-1)
    logits = torch.where(bad.unsqueeze(1), torch.zeros_like(logits), logits)  # one bad row must not poison the rest
    greedy = temperatures < MIN_TEMPERATURE
    scaled = logits / torch.where(greedy, torch.ones_like(temperatures), temperatures).unsqueeze(1)
    greedy = greedy | torch.isposinf(scaled).any(dim=-1)  # an overflow left above the threshold: still greedy
    scaled = torch.where(greedy.unsqueeze(1), torch.zeros_like(scaled), scaled)
    probs = torch.softmax(scaled, dim=-1)
    top_probs, top_index = torch.topk(probs, min(CANDIDATES, probs.shape[-1]), dim=-1)
    whole = (top_ps >= 1.0) | (top_probs.sum(dim=-1) < top_ps)
    choice = torch.zeros(logits.shape[0], dtype=torch.long, device=logits.device)
    for part, full in (~whole, False), (whole, True):
        rows = (part & ~greedy).nonzero().squeeze(1)
        if rows.numel():
            ordered, order = torch.sort(probs[rows], dim=-1, descending=True) if full else \
                (top_probs[rows], top_index[rows])
            picked = _nucleus_sample(ordered, top_ps[rows], [generators[i] for i in rows.tolist()])
            choice[rows] = order.gather(1, picked.unsqueeze(1)).squeeze(1)
    choice = torch.where(greedy, logits.argmax(dim=-1), choice)
    return torch.where(bad, torch.full_like(choice, BAD_ROW), choice)


def _nucleus_sample(ordered: torch.Tensor, top_ps: torch.Tensor,
                    generators: Sequence[torch.Generator | None]) -> torch.Tensor:
    """A position in each row of probabilities sorted high to low, drawn from the smallest prefix whose mass
    reaches top_p (the first token always stays)."""
    beyond = torch.cumsum(ordered, dim=-1) - ordered >= top_ps.unsqueeze(1)
    beyond[:, 0] = False
    ordered = ordered.masked_fill(beyond, 0.0)
    picked = torch.zeros(ordered.shape[0], dtype=torch.long, device=ordered.device)
    shared = [i for i, g in enumerate(generators) if g is None]
    if shared:
        index = torch.tensor(shared, device=ordered.device)
        picked[index] = torch.multinomial(ordered[index], 1).squeeze(1)
    for i, generator in enumerate(generators):
        if generator is not None:
            picked[i] = torch.multinomial(ordered[i], 1, generator=generator)[0]
    return picked


def text_update(text: str, sent: int, stops: Sequence[str], final: bool = False) -> tuple[str, bool]:
    """(the new text to send after the first `sent` characters of `text`, whether a stop string was reached).

    Text up to a stop string is sent and the stop string itself is not. Unless `final`, a tail that could still
    become a stop string, or half a character, is held back until the next token decides."""
    cut = min((i for i in (text.find(s) for s in stops if s) if i >= 0), default=-1)
    if cut >= 0:
        return text[sent:cut] if cut > sent else "", True
    if final:
        return text[sent:], False
    safe = len(text)
    while safe > sent and text[safe - 1] == _PARTIAL:
        safe -= 1
    for stop in stops:
        for size in range(min(len(stop) - 1, safe - sent), 0, -1):
            if text[:safe].endswith(stop[:size]):
                safe -= size
                break
    return text[sent:safe], False
