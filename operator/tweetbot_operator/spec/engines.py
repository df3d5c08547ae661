"""spec.serving.engine: which engine generates the text of a served bot, and the vLLM flags the operator owns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

ENGINES = ("tweetbot", "vllm")
# Flags of vLLM's server the operator sets, and those that open vLLM to the pod network (--host; data parallelism's
# address and RPC port, which serve the engine's own sockets): serving.vllm.args may not set them, as vLLM, which
# checks no key, stays behind the front door. argparse also takes an unambiguous prefix (--hos) and vLLM takes
# --served_model_name.
OWNED_VLLM_FLAGS = ("--model", "--served-model-name", "--host", "--port", "--uds", "--api-key",
                    "--data-parallel-address", "--data-parallel-rpc-port", "--headless")


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


# vLLM's --max-lora-rank takes these values only (vllm/config/lora.py MaxLoRARanks).
VLLM_LORA_RANKS = (1, 8, 16, 32, 64, 128, 256, 320, 512)


def adapter_only(spec: Mapping[str, Any]) -> bool:
    """A LoRA run published without the merged model (output.merge false): served as base + adapter."""
    rank = int((((spec.get("training") or {}).get("lora")) or {}).get("rank") or 0)
    return rank > 0 and (spec.get("output") or {}).get("merge", True) is False


def vllm_lora_rank(rank: int) -> int | None:
    """The smallest --max-lora-rank vLLM takes that holds `rank`; None above its largest."""
    return next((allowed for allowed in VLLM_LORA_RANKS if allowed >= rank), None)


@dataclass(frozen=True)
class Adapter:
    """A served run that holds only a LoRA adapter: vLLM serves `base_model` with it."""

    base_model: str
    rank: int


def served_adapter(tb: Mapping[str, Any], model_uri: str) -> Adapter | None:
    """The adapter of the run at `model_uri`, as its trainer reported what it published (status.lastSuccessfulRun):
    the spec may have changed since (merge, rank, baseModel: a new run is on its way) while that run is still
    served. Runs of trainers that did not report it are taken as the spec says."""
    spec = tb.get("spec") or {}
    last = (tb.get("status") or {}).get("lastSuccessfulRun") or {}
    if last.get("modelURI") != model_uri:
        last = {}
    if last.get("published") == "model":
        return None
    if last.get("published") == "adapter":
        rank = last.get("loraRank") or ((spec.get("training") or {}).get("lora") or {}).get("rank") or 8
        return Adapter(str(last.get("baseModel") or spec.get("baseModel") or "gpt2"), int(rank))
    if not adapter_only(spec):
        return None
    return Adapter(str(spec.get("baseModel") or "gpt2"), int(spec["training"]["lora"]["rank"]))
