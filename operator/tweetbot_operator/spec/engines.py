"""spec.serving.engine: which engine generates the text of a served bot, and the vLLM flags the operator owns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

ENGINES = ("tweetbot", "vllm")
# Flags of vLLM's server the operator sets: serving.vllm.args may not (--host would put vLLM, which checks no
# key, on the pod's network). argparse also takes an unambiguous prefix (--hos) and vLLM takes --served_model_name.
OWNED_VLLM_FLAGS = ("--model", "--served-model-name", "--host", "--port", "--uds", "--api-key")


def serving_engine(serving: Mapping[str, Any]) -> str:
    """spec.serving.engine, else vllm where the serving pod has a GPU and tweetbot on CPU."""
    if serving.get("engine") in ENGINES:
        return str(serving["engine"])
    return "vllm" if int((serving.get("resources") or {}).get("gpus") or 0) > 0 else "tweetbot"


def owned_flag(arg: str) -> str | None:
    """The operator's flag that `arg` (an item of serving.vllm.args) would set, if any."""
    if not arg.startswith("--") or len(arg) < 4:
        return None
    flag = arg.split("=", 1)[0].replace("_", "-")
    return next((owned for owned in OWNED_VLLM_FLAGS if owned.startswith(flag)), None)
