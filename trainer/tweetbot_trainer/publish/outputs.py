"""The run's files besides weights and card: generation_config.json, predictions.json, metrics.json, loss.png."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import torch
from matplotlib.figure import Figure

PROMPTS = ("My dream is", "I think that", "The best thing about", "Today I")

# huggingtweets' sampling settings (its config's task_specific_params), as today's transformers reads them:
# sampling in generation_config.json, and huggingtweets' 160-token length as `max_new_tokens` (a `max_length`
# there makes generate warn whenever a caller passes max_new_tokens, as the README's snippet does).
SAMPLING = {"do_sample": True, "top_p": 0.95, "temperature": 1.0, "max_new_tokens": 160}
# Keys that from_pretrained records about how the tokenizer was loaded on the build machine: not the
# tokenizer's own settings, and wrong on a user's machine.
LOAD_TIME_KEYS = ("is_local", "local_files_only", "cache_dir", "force_download", "token", "revision", "_commit_hash")


def generation_config(eos_token_id: int, no_repeat_ngram_size: int = 0) -> dict[str, Any]:
    """`no_repeat_ngram_size`: the run's choice (quality/repeats.py), written only when on."""
    repeats = {"no_repeat_ngram_size": no_repeat_ngram_size} if no_repeat_ngram_size > 0 else {}
    return {**SAMPLING, **repeats, "bos_token_id": eos_token_id, "eos_token_id": eos_token_id,
            "pad_token_id": eos_token_id}


def write_model_files(model: Any, tokenizer: Any, out_dir: Path, *, no_repeat_ngram_size: int = 0) -> None:
    """Weights (safetensors), config, tokenizer and generation config that a user's from_pretrained and
    pipeline("text-generation") use without warnings, sampling as huggingtweets did (and without the repeats the
    run measured, where it chose to)."""
    # The text-generation pipeline puts config.prefix before every prompt: a post starts after a separator,
    # the EOS token that joined the posts in training (GPT-2's <|endoftext|>, Llama's </s>, ...).
    model.config.prefix = tokenizer.eos_token
    model.config.task_specific_params = None
    model.config.use_cache = True  # training may have turned it off (gradient checkpointing); generation wants it
    model.save_pretrained(out_dir, safe_serialization=True)
    tokenizer.save_pretrained(out_dir)
    tokenizer_config = out_dir / "tokenizer_config.json"
    settings = json.loads(tokenizer_config.read_text(encoding="utf-8"))
    for key in LOAD_TIME_KEYS:
        settings.pop(key, None)
    tokenizer_config.write_text(json.dumps(settings, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out_dir / "generation_config.json").write_text(
        json.dumps(generation_config(int(tokenizer.eos_token_id), no_repeat_ngram_size), indent=2) + "\n"
    )


@torch.no_grad()
def predictions(
    model: Any, tokenizer: Any, device: Any, seed: int, *, prompts: Sequence[str] = PROMPTS, per_prompt: int = 2,
    max_new_tokens: int = 40, autocast: Callable[[], AbstractContextManager[Any]] = nullcontext,
    no_repeat_ngram_size: int = 0,
) -> list[dict[str, Any]]:
    """Samples with the card's settings (generation_config.json's, the served bot's); seeded so a rerun of the same
    model gives the same samples. All prompts in one generate call (left-padded: each continues from its own last
    token), under `autocast` (the run's mixed precision: bf16 where it trained in bf16)."""
    generator_state = torch.get_rng_state()
    torch.manual_seed(seed)
    model.eval()
    padding_side = tokenizer.padding_side
    tokenizer.padding_side = "left"
    try:
        # As in training: the separator, then the post, no BOS or other special tokens the tokenizer may add.
        inputs = tokenizer([tokenizer.eos_token + prompt for prompt in prompts], return_tensors="pt",
                           padding=True, add_special_tokens=False).to(device)
    finally:
        tokenizer.padding_side = padding_side
    with autocast():
        output = model.generate(
            **inputs,
            do_sample=True,
            top_p=SAMPLING["top_p"],
            temperature=SAMPLING["temperature"],
            max_new_tokens=max_new_tokens,
            num_return_sequences=per_prompt,
            pad_token_id=tokenizer.eos_token_id,
            no_repeat_ngram_size=no_repeat_ngram_size,
        )
    torch.set_rng_state(generator_state)
    width = inputs["input_ids"].shape[1]
    texts = [tokenizer.decode(seq[width:], skip_special_tokens=True) for seq in output]
    # generate returns each prompt's sequences together, in the prompts' order.
    return [{"prompt": prompt, "samples": [prompt + text for text in texts[i * per_prompt : (i + 1) * per_prompt]]}
            for i, prompt in enumerate(prompts)]


def plot_loss(losses: Sequence[tuple[int, float]], evals: Mapping[str, float | None], total_steps: int,
              path: Path) -> Path:
    # Figure without pyplot: no global state, no display backend (a pod has none).
    fig = Figure(figsize=(6, 3.5), dpi=100)
    ax = fig.subplots()
    if losses:
        ax.plot([s for s, _ in losses], [v for _, v in losses], label="train loss", linewidth=1)
    points = [(0, evals.get("before")), (total_steps, evals.get("after"))]
    xs = [s for s, v in points if v is not None]
    ys = [v for _, v in points if v is not None]
    ax.scatter(xs, ys, color="tab:red", zorder=3, label="eval loss")
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    return path


def write_json(path: Path, payload: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    return path
