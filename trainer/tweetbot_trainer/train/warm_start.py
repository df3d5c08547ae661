"""Warm start: continue the previous run's adapter (LoRA) or model (full fine-tune) on old + new posts, with
one epoch (commands/refresh.py decides; bench/warm_start.py measured the schedule).

The decision travels in stats.json's `data.warmStartFrom` (every process of the run reads the same prepared data).
An adapter made for another base model or rank cannot be continued: the run then starts fresh and says so.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from tweetbot_trainer.config import TrainConfig
from tweetbot_trainer.s3 import S3Uri, download_prefix, input_error_from, is_s3, make_client
from tweetbot_trainer.train.lora import ADAPTER_DIR, apply_lora

# bench/warm_start.py (CPU, tiny GPT-2, +10% posts): one epoch at the same rate reached the from-scratch eval loss
# in 10 of 19 steps (full fine-tune; LoRA: 15 of 19) against 76 from scratch, and ended lower than half the rate
# (4.71 vs 4.83; LoRA: half the rate never reached it). A lower rate is for a model near convergence: not chosen.
WARM_EPOCHS = 1
WARM_LR_FACTOR = 1.0


def warm_start_from(data_stats: dict[str, Any]) -> str | None:
    value = (data_stats.get("data") or {}).get("warmStartFrom")
    return str(value) if value else None


def warm_config(config: TrainConfig, data_stats: dict[str, Any]) -> TrainConfig:
    """The continuation schedule: at most WARM_EPOCHS passes, the learning rate times WARM_LR_FACTOR (the
    warm-up and linear decay are the run's own, over its fewer steps)."""
    if not warm_start_from(data_stats):
        return config
    return replace(config, epochs=min(config.epochs, WARM_EPOCHS), learning_rate=config.learning_rate * WARM_LR_FACTOR)


def model_source(config: TrainConfig, data_stats: dict[str, Any]) -> str:
    """What the model loads from: a full fine-tune continues the previous run's model itself."""
    start = warm_start_from(data_stats)
    return start if start and config.lora_rank == 0 else config.base_model


def _fetch_adapter(start: str, workdir: Path, s3_endpoint: str | None) -> Path | None:
    if not is_s3(start):
        local = Path(start) / ADAPTER_DIR
        return local if (local / "adapter_config.json").is_file() else None
    target = workdir / "warm-adapter"
    try:
        files = download_prefix(make_client(s3_endpoint), S3Uri.parse(start).as_dir().child(ADAPTER_DIR).as_dir(),
                                target)
    except Exception as exc:
        raise input_error_from(exc, start) from exc
    return target if "adapter_config.json" in files else None


def lora_model(model: Any, config: TrainConfig, data_stats: dict[str, Any], workdir: Path) -> Any:
    """The LoRA model: the previous run's adapter, trainable, when it fits this run; else fresh adapters."""
    start = warm_start_from(data_stats)
    if not start or config.lora_rank == 0:
        return apply_lora(model, config)
    adapter = _fetch_adapter(start, workdir, config.s3_endpoint)
    saved = json.loads((adapter / "adapter_config.json").read_text()) if adapter else {}
    if saved.get("r") != config.lora_rank or saved.get("base_model_name_or_path") != config.base_model:
        print(json.dumps({"event": "log", "level": "warning", "message": f"the adapter of {start} does not fit "
                          "this run (another base model or rank): fresh adapters instead"}), file=sys.stderr)
        data_stats["data"]["warmStartFrom"] = None
        data_stats["data"]["warmStartReason"] = "the previous adapter does not fit this base model or rank"
        return apply_lora(model, config)
    from peft import PeftModel  # lazy: a full fine-tune needs no peft

    return PeftModel.from_pretrained(model, str(adapter), is_trainable=True)
