"""Choosing the next token of every active sequence at once (temperature, top-p, per-request seeds), and the
text side of stopping: stop strings and what part of the text is safe to send yet."""

from __future__ import annotations

from collections.abc import Sequence

import torch

# A decoded tail that ends in the replacement character is half of a multi-byte character: wait for the rest.
_PARTIAL = "\ufffd"


def next_tokens(logits: torch.Tensor, temperatures: torch.Tensor, top_ps: torch.Tensor,
                generators: Sequence[torch.Generator | None]) -> torch.Tensor:
    """One token per row of `logits` [rows, vocab]. Temperature 0 is greedy; rows with a generator (a seeded
    request) draw from it alone, so their samples do not depend on what else is in the batch."""
    logits = logits.float()
    greedy = temperatures <= 0
    scaled = logits / torch.where(greedy, torch.ones_like(temperatures), temperatures).unsqueeze(1)
    probs = torch.softmax(scaled, dim=-1)
    sorted_probs, order = torch.sort(probs, dim=-1, descending=True)
    # Keep the smallest set of tokens whose mass reaches top_p (the first token always stays).
    beyond = torch.cumsum(sorted_probs, dim=-1) - sorted_probs >= top_ps.unsqueeze(1)
    beyond[:, 0] = False
    sorted_probs = sorted_probs.masked_fill(beyond, 0.0)
    choice = torch.zeros(logits.shape[0], dtype=torch.long, device=logits.device)
    shared = [i for i, g in enumerate(generators) if g is None]
    if shared:
        index = torch.tensor(shared, device=logits.device)
        choice[index] = torch.multinomial(sorted_probs[index], 1).squeeze(1)
    for i, generator in enumerate(generators):
        if generator is not None:
            choice[i] = torch.multinomial(sorted_probs[i], 1, generator=generator)[0]
    sampled = order.gather(1, choice.unsqueeze(1)).squeeze(1)
    return torch.where(greedy, logits.argmax(dim=-1), sampled)


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
