"""Finished run folders for the serving tests, made with the trainer's own writers (model files, generation
config, stats, manifest), from two tiny models: a random GPT-2, and a "chain" GPT-2 whose weights make it write
one fixed text after any prompt (a real model that answers `<img src=x onerror=...>`)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import torch
from transformers import AutoTokenizer, GPT2Config, GPT2LMHeadModel
from tweetbot_trainer.publish.manifest import build_manifest, write_manifest
from tweetbot_trainer.publish.outputs import write_json, write_model_files
from tweetbot_trainer.train.model_loading import build_tiny_model

PROFILES = {"spiraltoo": {"display_name": "Spiral <b>Too</b>", "avatar_url": "javascript:alert(1)"}}
QUALITY = {"style": {"fineTuned": 0.71, "base": 0.2, "person": 0.9}, "memorization": {"memorized": 0.03}}


def finish_run(folder: Path, model: Any, tokenizer: Any, run_id: str,
               profiles: dict[str, dict[str, str]] | None = None) -> Path:
    """Writes what a finished run has (model files, data/stats.json, metrics.json, manifest.json last)."""
    folder.mkdir(parents=True, exist_ok=True)
    write_model_files(model, tokenizer, folder)
    profiles = PROFILES if profiles is None else profiles
    write_json(folder / "data" / "stats.json", {"users": {u: {"kept": 10} for u in profiles}, "profiles": profiles,
                                                 "languages": ["en"]})
    write_json(folder / "metrics.json", {"runId": run_id, "stats": {u: {"kept": 10} for u in profiles},
                                         "quality": QUALITY})
    rel = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    write_manifest(folder, build_manifest(folder, rel, run_id, time.time()))
    return folder


def random_run(folder: Path, scratch: Path, run_id: str = "spiraltoo-g1") -> Path:
    base = build_tiny_model(scratch, n_positions=256, n_embd=64, n_layer=2, n_head=2)
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = GPT2LMHeadModel.from_pretrained(base)
    torch.manual_seed(3)
    with torch.no_grad():  # wider weights than the init: varied text instead of one token repeated
        for param in model.parameters():
            if param.dim() > 1:
                param.normal_(0.0, 0.3)
    return finish_run(folder, model, tokenizer, run_id)


def _distinct_tokens(text: str, tokenizer: Any) -> list[int]:
    """`text` as token ids none of which repeats (so a next-token table can spell it)."""
    pieces = {tokenizer.decode([i]): i for i in range(len(tokenizer))}

    def split(rest: str, used: frozenset[int]) -> list[int] | None:
        if not rest:
            return []
        for size in range(min(len(rest), 12), 0, -1):
            token = pieces.get(rest[:size])
            if token is not None and token not in used:
                tail = split(rest[size:], used | {token})
                if tail is not None:
                    return [token, *tail]
        return None

    found = split(text, frozenset())
    assert found is not None, f"no spelling of {text!r} without repeated tokens"
    return found


def chain_run(folder: Path, scratch: Path, text: str, run_id: str = "chain-g1") -> Path:
    """A one-layer GPT-2 whose blocks add nothing, so the next token depends only on the current one: each
    token of `text` points at the next, every other token at the first, the last at end-of-text."""
    tokenizer = AutoTokenizer.from_pretrained(build_tiny_model(scratch, n_positions=256))
    chain = _distinct_tokens(text, tokenizer)
    width = len(chain) + 2
    config = GPT2Config(vocab_size=len(tokenizer), n_positions=256, n_embd=width, n_layer=1, n_head=1,
                        tie_word_embeddings=False)
    model = GPT2LMHeadModel(config)
    with torch.no_grad():
        for param in model.parameters():
            param.zero_()
        model.transformer.ln_f.weight.fill_(1.0)
        model.transformer.wte.weight[:, 0] = 1.0  # every token not in the chain: "start"
        targets = [*chain, int(tokenizer.eos_token_id)]
        for dim, token in enumerate(chain, start=1):
            model.transformer.wte.weight[token].zero_()
            model.transformer.wte.weight[token, dim] = 1.0
        for dim, token in enumerate(targets):
            model.lm_head.weight[token, dim] = 20.0
    return finish_run(folder, model, tokenizer, run_id, profiles={"chainbot": {"display_name": "Chain"}})
