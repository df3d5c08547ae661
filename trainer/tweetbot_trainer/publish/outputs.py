"""The run's files besides weights and card: generation_config.json, predictions.json, metrics.json, loss.png."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import torch
from matplotlib.figure import Figure

PREFIX = "<|endoftext|>"
PROMPTS = ("My dream is", "I think that", "The best thing about", "Today I")

# huggingtweets' sampling settings; `prefix` is what pipelines put before every prompt.
SAMPLING = {"do_sample": True, "top_p": 0.95, "temperature": 1.0, "max_length": 160, "prefix": PREFIX}


def generation_config(eos_token_id: int) -> dict[str, Any]:
    return {**SAMPLING, "bos_token_id": eos_token_id, "eos_token_id": eos_token_id, "pad_token_id": eos_token_id}


def write_model_files(model: Any, tokenizer: Any, out_dir: Path) -> None:
    """Weights (safetensors), config with huggingtweets' text-generation params, tokenizer, generation config."""
    model.config.task_specific_params = {"text-generation": dict(SAMPLING)}
    model.save_pretrained(out_dir, safe_serialization=True)
    tokenizer.save_pretrained(out_dir)
    (out_dir / "generation_config.json").write_text(
        json.dumps(generation_config(int(tokenizer.eos_token_id)), indent=2) + "\n"
    )


@torch.no_grad()
def predictions(
    model: Any, tokenizer: Any, device: Any, seed: int, *, prompts: Sequence[str] = PROMPTS, per_prompt: int = 2,
    max_new_tokens: int = 40,
) -> list[dict[str, Any]]:
    """Samples with the card's settings; seeded so a rerun of the same model gives the same samples."""
    generator_state = torch.get_rng_state()
    torch.manual_seed(seed)
    model.eval()
    results = []
    for prompt in prompts:
        inputs = tokenizer(PREFIX + prompt, return_tensors="pt").to(device)
        output = model.generate(
            **inputs,
            do_sample=True,
            top_p=SAMPLING["top_p"],
            temperature=SAMPLING["temperature"],
            max_new_tokens=max_new_tokens,
            num_return_sequences=per_prompt,
            pad_token_id=tokenizer.eos_token_id,
        )
        texts = [
            prompt + tokenizer.decode(seq[inputs["input_ids"].shape[1] :], skip_special_tokens=True)
            for seq in output
        ]
        results.append({"prompt": prompt, "samples": texts})
    torch.set_rng_state(generator_state)
    return results


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
