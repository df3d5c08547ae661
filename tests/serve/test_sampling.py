"""The pure parts of generation: next-token choice (greedy, exact top-p inside and beyond the top-k candidates,
seeded rows) and what text may be sent while stop strings are still possible."""

from __future__ import annotations

import torch
from tweetbot_trainer.serve.sampling import BAD_ROW, CANDIDATES, next_tokens, text_update


def test_greedy_and_tiny_top_p_take_the_most_likely_token() -> None:
    logits = torch.randn(4, 5000, generator=torch.Generator().manual_seed(0))
    best = logits.argmax(dim=-1)
    assert torch.equal(next_tokens(logits, torch.zeros(4), torch.ones(4), [None] * 4), best)
    assert torch.equal(next_tokens(logits, torch.ones(4), torch.full((4,), 1e-6), [None] * 4), best)


def test_tiny_temperatures_are_greedy_and_bad_rows_fail_alone() -> None:
    logits = torch.randn(8, 3000, generator=torch.Generator().manual_seed(1)) * 30
    best = logits.argmax(dim=-1).tolist()
    logits[5, 7] = float("nan")
    logits[6, 9] = float("inf")
    logits[7] = float("-inf")
    temperatures = torch.tensor([1e-30, 1e-38, 1e-44, 5e-5, 1.0, 1.0, 1.0, 1e-40])
    tokens = next_tokens(logits, temperatures, torch.full((8,), 0.9), [None] * 8).tolist()
    assert tokens[:4] == best[:4]
    assert 0 <= tokens[4] < 3000
    assert tokens[5:] == [BAD_ROW] * 3


def test_samples_stay_inside_the_nucleus_also_when_it_is_wider_than_the_candidates() -> None:
    vocab = 4 * CANDIDATES
    peaked = torch.full((vocab,), -30.0)
    peaked[:10] = torch.linspace(5, 4, 10)  # the nucleus is a handful of tokens
    # Nearly flat, falling slowly: the top-k candidates are tokens 0..CANDIDATES-1 and the nucleus, 95% of the
    # vocabulary, is far wider.
    flat = -torch.linspace(0.0, 0.01, vocab)
    logits = torch.stack([peaked, flat] * 200)
    seen_peaked, seen_flat = set(), set()
    for _ in range(5):
        tokens = next_tokens(logits, torch.ones(400), torch.full((400,), 0.95), [None] * 400).tolist()
        seen_peaked |= set(tokens[0::2])
        seen_flat |= set(tokens[1::2])
    assert seen_peaked <= set(range(10)) and len(seen_peaked) > 3
    assert max(seen_flat) >= CANDIDATES and len(seen_flat) > 600  # from the whole nucleus, not the candidates


def test_a_seeded_row_does_not_depend_on_its_neighbours() -> None:
    logits = torch.zeros(3, 3000)
    alone = next_tokens(logits[:1], torch.ones(1), torch.ones(1), [torch.Generator().manual_seed(5)])
    mixed = next_tokens(logits, torch.ones(3), torch.ones(3), [None, torch.Generator().manual_seed(5), None])
    assert int(alone[0]) == int(mixed[1])


def test_text_waits_while_a_stop_string_may_be_forming() -> None:
    assert text_update("Hello wor", 0, ["world"]) == ("Hello ", False)
    assert text_update("Hello world!", 6, ["world"]) == ("", True)
    assert text_update("Hello there", 6, ["world"]) == ("there", False)
    assert text_update("ab\ufffd", 0, []) == ("ab", False)  # half a character: wait for the rest
    assert text_update("Hello wor", 0, ["world"], final=True) == ("Hello wor", False)
