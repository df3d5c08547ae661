"""LoRA with peft: adapters on a frozen base model, their parameter counts, and the merged full model.

Only the adapters train (and so only they and their optimizer state go into checkpoints, see
checkpoint.trained_state_dict); the published run folder has `adapter/` and, unless `merge` is off, the base model
with the adapters folded in, which any transformers user loads without peft.
"""

from __future__ import annotations

from typing import Any

from tweetbot_trainer.config import TrainConfig
from tweetbot_trainer.errors import TweetBotInputError

ADAPTER_DIR = "adapter"


def apply_lora(model: Any, config: TrainConfig) -> Any:
    """The model wrapped in LoRA adapters (peft), base weights frozen; the model itself when rank is 0."""
    if config.lora_rank == 0:
        return model
    from peft import LoraConfig, get_peft_model  # lazy: a full fine-tune needs no peft

    lora = LoraConfig(
        task_type="CAUSAL_LM",
        r=config.lora_rank,
        lora_alpha=config.lora_scale_alpha,
        lora_dropout=config.lora_dropout,
        target_modules=list(config.lora_target_modules) or None,
        # GPT-2 style Conv1D layers store weights transposed; peft would otherwise flip this itself, with a warning.
        fan_in_fan_out=model.config.model_type in ("gpt2", "gpt_bigcode"),
    )
    try:
        return get_peft_model(model, lora)
    except ValueError as exc:  # peft: no default target modules for this architecture, or names not found
        raise TweetBotInputError(
            "BadLoraSettings", f"LoRA on {model.config.model_type}: {exc}; set training.lora.targetModules "
            "(--lora-target-modules) to the names of its linear layers") from exc


def is_lora(model: Any) -> bool:
    return hasattr(model, "peft_config")


def parameter_counts(model: Any) -> tuple[int, int]:
    """(all parameters, trainable ones), shared tensors counted once."""
    params = list(model.parameters())
    return sum(p.numel() for p in params), sum(p.numel() for p in params if p.requires_grad)


def parameter_summary(model: Any) -> dict[str, Any]:
    """metrics.json's parameter fields, taken before a LoRA merge changes the model: the counts, and the trainable
    parameters' dtype ("float32": fp32 master weights; "mixed" if they differ)."""
    total, trainable = parameter_counts(model)
    dtypes = {str(p.dtype).removeprefix("torch.") for p in model.parameters() if p.requires_grad}
    return {"parameterDtype": dtypes.pop() if len(dtypes) == 1 else "mixed", "parameters": total,
            "trainableParameters": trainable}


def save_adapter(model: Any, tokenizer: Any, out_dir: Any, base_model: str) -> None:
    """adapter/ as peft loads it, naming the base model the user gave (not our temporary download folder)."""
    for adapter in model.peft_config.values():
        adapter.base_model_name_or_path = base_model
    model.save_pretrained(out_dir, safe_serialization=True)
    tokenizer.save_pretrained(out_dir)


def merged_model(model: Any) -> Any:
    """The base model with the adapters folded into its weights (peft's merge_and_unload), a plain transformers
    model; the LoRA model is consumed."""
    return model.merge_and_unload()
