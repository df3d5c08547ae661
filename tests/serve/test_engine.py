"""The batching engine in-process: sequences that join and leave a running batch get exactly the tokens that
`model.generate` gives each of them alone, and a decode step is one forward for all of them."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer
from tweetbot_trainer.serve.engine import ChoiceEvent, Engine, GenerationRequest, Sampling

PROMPTS = ["My dream is", "I think that the best thing about this whole week", "Hi", "Today I went to the store and",
           "What", "The weather in spring is"]


class CountingModel(torch.nn.Module):
    """The real model, recording the batch size of every forward."""

    def __init__(self, model: Any) -> None:
        super().__init__()
        self.model = model
        self.batches: list[tuple[int, int]] = []

    def forward(self, **kwargs: Any) -> Any:
        self.batches.append(tuple(kwargs["input_ids"].shape))
        return self.model(**kwargs)


@pytest.fixture(scope="module")
def loaded(run_folder: Path) -> tuple[Any, Any]:
    return AutoModelForCausalLM.from_pretrained(run_folder), AutoTokenizer.from_pretrained(run_folder)


def run_requests(engine: Engine, requests: list[tuple[list[int], Sampling, int]], gap: float) -> list[dict[int, str]]:
    """Submits the requests `gap` seconds apart; the text of each request's choices."""
    texts: list[dict[int, str]] = [{} for _ in requests]
    left = [n * 1 for _, _, n in requests]
    done = threading.Event()
    lock = threading.Lock()

    def emitter(k: int) -> Any:
        def emit(event: ChoiceEvent) -> None:
            assert event.error is None, event.error
            with lock:
                texts[k][event.index] = texts[k].get(event.index, "") + event.text
                left[k] -= event.finish_reason is not None
                if not any(left):
                    done.set()
        return emit

    for k, (ids, sampling, n) in enumerate(requests):
        engine.submit(GenerationRequest([ids], n, sampling, emitter(k)))
        time.sleep(gap)
    assert done.wait(120)
    return texts


def test_joining_and_leaving_sequences_match_generate(loaded: tuple[Any, Any]) -> None:
    model, tokenizer = loaded
    engine = Engine(model, tokenizer, tokenizer.eos_token_id, max_batch=16)
    engine.start()
    try:
        requests = [(tokenizer(tokenizer.eos_token + p)["input_ids"], Sampling(8 + 5 * k, 0.0, 1.0), 1)
                for k, p in enumerate(PROMPTS)]
        texts = run_requests(engine, requests, gap=0.002)
    finally:
        engine.stop()
    distinct = set()
    for (ids, sampling, _), got in zip(requests, texts, strict=True):
        ref = model.generate(torch.tensor([ids]), max_new_tokens=sampling.max_tokens, do_sample=False,
                             pad_token_id=tokenizer.eos_token_id, eos_token_id=tokenizer.eos_token_id)
        want = tokenizer.decode(ref[0, len(ids):], skip_special_tokens=True)
        assert got[0] == want
        distinct.add(want)
    assert len(distinct) == len(PROMPTS)  # the model is not one token repeated: the comparison means something


def test_one_forward_per_step_for_all_sequences(loaded: tuple[Any, Any]) -> None:
    model, tokenizer = loaded
    counting = CountingModel(model)
    engine = Engine(counting, tokenizer, None, max_batch=32)
    engine.start()
    try:
        ids = tokenizer(tokenizer.eos_token + "My dream is")["input_ids"]
        requests = [(ids, Sampling(30, 1.0, 0.95, seed=k), 2) for k in range(8)]
        texts = run_requests(engine, requests, gap=0.0)
    finally:
        engine.stop()
    assert all(len(t) == 2 for t in texts)
    decode = [rows for rows, width in counting.batches if width == 1]
    # 16 sequences of 30 tokens: one at a time would take 16 * 29 decode forwards.
    assert max(decode) == 16
    assert len(decode) < 16 * 29 / 4


def test_a_sampling_error_fails_only_its_own_request(loaded: tuple[Any, Any],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A row whose sampling raises in a shared decode step (here: temperature 0.5 after its first token, by a
    patched sampler) fails its request alone; the requests decoded in the same steps finish."""
    from tweetbot_trainer.serve import engine as engine_module

    real = engine_module.next_tokens
    calls = [0]

    def fussy(logits: torch.Tensor, temperatures: torch.Tensor, *args: Any) -> torch.Tensor:
        calls[0] += bool((temperatures == 0.5).any())
        if calls[0] > 1 and bool((temperatures == 0.5).any()):  # the prefill passes, the decode steps fail
            raise RuntimeError("probability tensor contains either inf, nan or element < 0")
        return real(logits, temperatures, *args)

    monkeypatch.setattr(engine_module, "next_tokens", fussy)
    model, tokenizer = loaded
    engine = Engine(model, tokenizer, None, max_batch=16)
    events: list[list[ChoiceEvent]] = [[], [], []]
    finished = threading.Semaphore(0)

    def emitter(k: int) -> Any:
        def emit(event: ChoiceEvent) -> None:
            events[k].append(event)
            if event.error or event.finish_reason:
                finished.release()
        return emit

    ids = tokenizer(tokenizer.eos_token + "My dream is")["input_ids"]
    engine.start()
    try:
        engine.submit(GenerationRequest([ids], 1, Sampling(40, 1.0, 1.0), emitter(0)))
        engine.submit(GenerationRequest([ids], 1, Sampling(40, 0.5, 1.0), emitter(1)))
        engine.submit(GenerationRequest([ids], 1, Sampling(40, 0.0, 1.0), emitter(2)))
        assert all(finished.acquire(timeout=60) for _ in range(3))
    finally:
        engine.stop()
    errors = [e.error for e in events[1] if e.error]
    assert errors == ["generation failed: RuntimeError: probability tensor contains either inf, nan or element < 0"]
    for k in (0, 2):
        assert all(e.error is None for e in events[k]) and events[k][-1].finish_reason == "length"
