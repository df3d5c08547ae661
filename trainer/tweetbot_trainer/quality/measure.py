"""Does the bot sound like the person? Measured in every run between eval and publish (docs/guide/quality.md).

On the held-out posts the run already keeps apart (eval.txt): fit (held-out perplexity of the fine-tuned and the
base model), style match (quality/style.py), memorization against the training posts and variety of N
generations (quality/text_metrics.py). The base model's generations are made before training (`base_generations`,
on every attempt: a resumed run's model has its checkpoint's weights after that), the bot's after it; both
batched, short and seeded, so a rerun of the same model gives the same numbers.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch

from tweetbot_trainer.quality.language import language
from tweetbot_trainer.quality.repeats import choose_no_repeat
from tweetbot_trainer.quality.style import style_match
from tweetbot_trainer.quality.text_metrics import TrainingIndex, memorization, variety

EOT = "<|endoftext|>"  # what joins the posts in train.txt / eval.txt (data/dataset.py)
BOT_GENERATIONS = 32  # N: the bot's generations scored (style, memorization, variety)
MAX_PERSON_POSTS = 64  # held-out posts the discriminator learns from, at most
# The base model's generations (the discriminator's other class), at most: as many as the bot's. Generating is
# nearly all of the measure's cost (a base model never stops early), and 64 of them made it 14% of a CPU demo run.
BASE_GENERATIONS = 32
MAX_NEW_TOKENS = 32  # a post's length in GPT-2 tokens, roughly; keeps generation a few seconds on a CPU
PROMPT_WORDS = 2  # each generation starts with the first words of a held-out post: same prompts for both models
BATCH = 32


def posts_of(path: Path) -> list[str]:
    if not path.is_file():
        return []
    return [p.strip() for p in path.read_text(encoding="utf-8").split(EOT) if p.strip()]


def prompts_for(posts: Sequence[str], n: int) -> list[str]:
    """The first PROMPT_WORDS words of each post, cycled to `n` prompts."""
    heads = [" ".join(p.split()[:PROMPT_WORDS]) for p in posts]
    return [heads[i % len(heads)] for i in range(n)] if heads else []


@torch.no_grad()
def generate(model: Any, tokenizer: Any, device: Any, prompts: Sequence[str], seed: int, *,
             max_new_tokens: int = MAX_NEW_TOKENS) -> list[str]:
    """prompt + sampled continuation for each prompt, in batches (left padding); the global RNG is restored."""
    cpu_state = torch.get_rng_state()
    cuda_states = torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None
    torch.manual_seed(seed)
    side, pad = tokenizer.padding_side, tokenizer.pad_token
    tokenizer.padding_side = "left"
    tokenizer.pad_token = pad or tokenizer.eos_token
    was_training = model.training
    model.eval()
    texts: list[str] = []
    try:
        for start in range(0, len(prompts), BATCH):
            batch = list(prompts[start : start + BATCH])
            # As in training: the separator, then the post; no BOS or other special tokens.
            inputs = tokenizer([tokenizer.eos_token + p for p in batch], return_tensors="pt", padding=True,
                               add_special_tokens=False).to(device)
            output = model.generate(**inputs, do_sample=True, top_p=0.95, temperature=1.0, use_cache=True,
                                    max_new_tokens=max_new_tokens, pad_token_id=tokenizer.eos_token_id)
            width = inputs["input_ids"].shape[1]
            texts += [p + tokenizer.decode(seq[width:], skip_special_tokens=True)
                      for p, seq in zip(batch, output, strict=True)]
    finally:
        tokenizer.padding_side, tokenizer.pad_token = side, pad
        model.train(was_training)
        torch.set_rng_state(cpu_state)
        if cuda_states is not None:
            torch.cuda.set_rng_state_all(cuda_states)
    return texts


def person_posts(data_dir: Path) -> list[str]:
    return posts_of(data_dir / "eval.txt")[:MAX_PERSON_POSTS]


def base_generations(model: Any, tokenizer: Any, device: Any, data_dir: Path, seed: int) -> list[str]:
    """The base model's generation for the first BASE_GENERATIONS held-out posts' prompts (the discriminator's
    other class)."""
    person = person_posts(data_dir)[:BASE_GENERATIONS]
    return generate(model, tokenizer, device, prompts_for(person, len(person)), seed)


def fit(loss_before: float | None, loss_after: float | None) -> dict[str, float | None]:
    """Held-out perplexity of the base (the eval before training) and the fine-tuned model, and their ratio."""
    base = math.exp(min(loss_before, 50.0)) if loss_before is not None else None
    tuned = math.exp(min(loss_after, 50.0)) if loss_after is not None else None
    ratio = tuned / base if tuned is not None and base else None
    return {"perplexityFineTuned": _round(tuned), "perplexityBase": _round(base), "ratio": _round(ratio)}


def measure(model: Any, tokenizer: Any, device: Any, data_dir: Path, base_texts: Sequence[str], *, seed: int,
            loss_before: float | None, loss_after: float | None) -> dict[str, Any]:
    """metrics.json's `quality`: every number, the settings that produced them and the seconds each took."""
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[name] = round(now - clock, 3)
        clock = now

    person = person_posts(data_dir)
    bot = generate(model, tokenizer, device, prompts_for(person, BOT_GENERATIONS), seed + 1)
    lap("generateBot")
    style = style_match(person, base_texts, bot, seed)
    lap("style")
    memorized = memorization(bot, TrainingIndex(posts_of(data_dir / "train.txt")))
    lap("memorization")
    varied = variety(bot)
    lap("variety")
    languages = language(person, base_texts, bot)
    lap("language")
    no_repeat = choose_no_repeat(token_ids(tokenizer, person), token_ids(tokenizer, bot))
    lap("noRepeat")
    return {
        "generations": len(bot), "maxNewTokens": MAX_NEW_TOKENS, "promptWords": PROMPT_WORDS, "seed": seed,
        "fit": fit(loss_before, loss_after),
        "style": style.as_dict() if style else None,
        "memorization": memorized,
        "variety": varied,
        "varietyPerson": variety(person),
        "language": languages,
        "noRepeat": no_repeat.as_dict(),
        "seconds": seconds,
    }


def token_ids(tokenizer: Any, texts: Sequence[str]) -> list[list[int]]:
    return [list(tokenizer(text, add_special_tokens=False)["input_ids"]) for text in texts]


def no_repeat_size(quality: dict[str, Any] | None) -> int:
    """The no_repeat_ngram_size the run chose (quality/repeats.py); 0 when off or not measured."""
    size = ((quality or {}).get("noRepeat") or {}).get("size")
    return size if isinstance(size, int) and size > 0 else 0


def summary(quality: dict[str, Any] | None) -> dict[str, Any] | None:
    """The termination message's `quality` (status.quality): a few numbers, well under its 4 KiB."""
    if not quality:
        return None
    style = quality.get("style") or {}
    out = {
        "fitRatio": (quality.get("fit") or {}).get("ratio"),
        "styleMatch": style.get("fineTuned"),
        "styleMatchBase": style.get("base"),
        "styleMatchPerson": style.get("person"),
        "memorized": (quality.get("memorization") or {}).get("memorized"),
        "longestCopiedWords": (quality.get("memorization") or {}).get("longestCopiedWords"),
        "variety": (quality.get("variety") or {}).get("distinct2"),
        "duplicates": (quality.get("variety") or {}).get("duplicates"),
    }
    return {k: v for k, v in out.items() if v is not None}


def _round(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else round(value, 4)
