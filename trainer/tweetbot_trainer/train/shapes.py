"""Base models and GPUs by name, for plans made before anything is downloaded (`tweetbot-train plan`): model
shapes from their published configs (built on the meta device: counts without weights), GPU memory as
`nvidia-smi` reports it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tweetbot_trainer.errors import TweetBotInputError

_LLAMA = {"model_type": "llama", "hidden_act": "silu", "rope_theta": 500000.0}
# The configs' shape fields (hub config.json of each model).
NAMED_SHAPES: dict[str, dict[str, Any]] = {
    "gpt2": {"model_type": "gpt2", "n_layer": 12, "n_head": 12, "n_embd": 768, "n_positions": 1024,
             "vocab_size": 50257},
    "smollm2-135m": {**_LLAMA, "hidden_size": 576, "intermediate_size": 1536, "num_hidden_layers": 30,
                     "num_attention_heads": 9, "num_key_value_heads": 3, "vocab_size": 49152,
                     "max_position_embeddings": 8192, "tie_word_embeddings": True},
    "llama-3.2-1b": {**_LLAMA, "hidden_size": 2048, "intermediate_size": 8192, "num_hidden_layers": 16,
                     "num_attention_heads": 32, "num_key_value_heads": 8, "vocab_size": 128256,
                     "max_position_embeddings": 131072, "tie_word_embeddings": True},
    "llama-3.2-3b": {**_LLAMA, "hidden_size": 3072, "intermediate_size": 8192, "num_hidden_layers": 28,
                     "num_attention_heads": 24, "num_key_value_heads": 8, "vocab_size": 128256,
                     "max_position_embeddings": 131072, "tie_word_embeddings": True},
    "llama-3-8b": {**_LLAMA, "hidden_size": 4096, "intermediate_size": 14336, "num_hidden_layers": 32,
                   "num_attention_heads": 32, "num_key_value_heads": 8, "vocab_size": 128256,
                   "max_position_embeddings": 8192, "tie_word_embeddings": False},
}
# name -> (total memory in MiB as nvidia-smi reports it, native bf16)
GPUS: dict[str, tuple[int, bool]] = {
    "t4": (15360, False), "v100": (16384, False), "v100-32gb": (32768, False), "l4": (23034, True),
    "a10g": (23028, True), "rtx4090": (24564, True), "a100-40gb": (40960, True), "a100": (81920, True),
    "a100-80gb": (81920, True), "l40s": (46068, True), "h100": (81559, True), "h200": (143771, True),
}
CUDA_CONTEXT_MIB = 512  # taken by the CUDA context and libraries before a run reads its free memory


def model_config(spec: str) -> Any:
    """A named shape's config, or the config of a folder (config.json) or hub id (downloads config.json only)."""
    from transformers import AutoConfig

    if spec in NAMED_SHAPES:
        fields = dict(NAMED_SHAPES[spec])
        return AutoConfig.for_model(fields.pop("model_type"), **fields)
    if Path(spec).is_dir() and not (Path(spec) / "config.json").is_file():
        raise TweetBotInputError("BaseModelNotFound", f"no config.json in {spec}")
    try:
        return AutoConfig.from_pretrained(spec)
    except OSError as exc:
        raise TweetBotInputError("BaseModelNotFound", f"no model config for {spec}; name a folder, a hub id or "
                                 f"one of {', '.join(NAMED_SHAPES)}") from exc


def meta_model(config: Any) -> Any:
    """The model of `config` on the meta device: its parameters' shapes and counts, no memory for weights."""
    import torch
    from transformers import AutoModelForCausalLM

    with torch.device("meta"):
        return AutoModelForCausalLM.from_config(config)


def gpu_memory(spec: str) -> tuple[str, int, bool]:
    """(name, bytes free to a run, native bf16) of a GPU name (`h100`) or a memory size in GiB (`80`: bf16)."""
    key = spec.lower().replace("nvidia-", "").replace(" ", "")
    if key in GPUS:
        mib, bf16 = GPUS[key]
    else:
        try:
            mib, bf16 = int(float(key.removesuffix("gib").removesuffix("gb")) * 1024), True
        except ValueError:
            raise TweetBotInputError("BadSettings", f"--gpu: not a GPU name ({', '.join(GPUS)}) nor its "
                                     "memory in GiB") from None
    return spec, (mib - CUDA_CONTEXT_MIB) << 20, bf16
