"""The plan a run trains with: per-GPU memory by term, micro-batch, gradient accumulation, checkpointing, compile
and precision. One function makes it for `tweetbot-train plan` (a model shape and a GPU named, nothing loaded)
and for the run itself (the loaded model and the device's free memory), which logs it as one JSON line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tweetbot_trainer.config import TrainConfig
from tweetbot_trainer.train.batching import MAX_MICRO_BATCH, plan_batches
from tweetbot_trainer.train.compile_policy import CompileEstimate, estimate, flops_per_token
from tweetbot_trainer.train.hardware import compile_decision
from tweetbot_trainer.train.memory import (
    MEMORY_HEADROOM,
    GiB,
    ModelSize,
    largest_micro_batch,
    memory_terms,
    use_gradient_checkpointing,
)
from tweetbot_trainer.train.schedule import steps_per_epoch

# The order of the terms in tables.
TERMS = ("weights", "gradients", "optimizer", "ddpBuckets", "autocastCopies", "activations", "logits")


@dataclass(frozen=True)
class TrainingPlan:
    model: str
    gpu: str
    free_bytes: int | None  # the device memory the plan may use (None: host memory, not planned)
    precision: str  # accelerate's mixed_precision: bf16, fp16 or no
    base_dtype: str  # the frozen weights' dtype
    parameters: int
    trainable: int
    block_size: int
    blocks: int
    world: int
    micro: int
    accum: int
    steps_per_epoch: int
    total_steps: int
    checkpointing: bool
    compile: bool
    terms: dict[str, int] = field(default_factory=dict)
    compile_estimate: CompileEstimate | None = None  # on a GPU: what the compile decision weighed

    @property
    def global_batch(self) -> int:
        return self.micro * self.accum * self.world

    @property
    def total_bytes(self) -> int:
        return sum(self.terms.values())

    def as_json(self) -> dict[str, Any]:
        usable = None if self.free_bytes is None else round(self.free_bytes * MEMORY_HEADROOM / GiB, 2)
        return {"model": self.model, "gpu": self.gpu, "precision": self.precision, "baseDtype": self.base_dtype,
                "parameters": self.parameters, "trainableParameters": self.trainable, "blockSize": self.block_size,
                "blocks": self.blocks, "processes": self.world, "microBatch": self.micro,
                "gradientAccumulation": self.accum, "globalBatch": self.global_batch,
                "stepsPerEpoch": self.steps_per_epoch, "totalSteps": self.total_steps,
                "gradientCheckpointing": self.checkpointing, "compile": self.compile,
                "memoryGiB": {name: round(self.terms.get(name, 0) / GiB, 2) for name in TERMS},
                "totalGiB": round(self.total_bytes / GiB, 2), "usableGiB": usable,
                "compileEstimate": None if self.compile_estimate is None else self.compile_estimate.as_json()}


def plan_training(size: ModelSize, config: TrainConfig, *, model: str, gpu: str, free_bytes: int | None,
                  precision: str, n_blocks: int, block_size: int, world: int, cuda: bool,
                  has_compiler: bool = True, compile_cache_warm: bool = False) -> TrainingPlan:
    """The plan for `n_blocks` blocks of `block_size` tokens on `world` processes, each with `free_bytes` of device
    memory (None on CPU: the batch plan alone decides). Raises NotEnoughGPUMemory when nothing fits.
    `compile_cache_warm`: the compile cache has these shapes (train.compile_policy.cache_warm)."""
    half = precision != "no"
    checkpointing = use_gradient_checkpointing(config.gradient_checkpointing, size, block_size, free_bytes, half,
                                               world=world)
    fits = MAX_MICRO_BATCH if free_bytes is None else largest_micro_batch(
        size, block_size, free_bytes, half=half, checkpointing=checkpointing, cap=MAX_MICRO_BATCH, world=world)
    batches = plan_batches(n_blocks, world, micro=config.batch_size, global_batch=config.global_batch_size,
                           fits=fits)
    per_epoch = steps_per_epoch(n_blocks, batches.global_batch)
    total = per_epoch * config.epochs
    total = min(total, config.max_steps) if config.max_steps > 0 else total
    planned_tokens = total * block_size * batches.global_batch
    per_token = flops_per_token(parameters=size.parameters, trainable=size.trainable, layers=size.layers,
                                hidden=size.hidden, block_size=block_size, checkpointing=checkpointing)
    # Each process trains its share of the tokens; all of them compile at once.
    compile_estimate = estimate(tokens=planned_tokens // world, per_token=per_token, gpu=gpu, layers=size.layers,
                                cache_warm=compile_cache_warm) if cuda else None
    return TrainingPlan(
        model=model, gpu=gpu, free_bytes=free_bytes, precision=precision,
        base_dtype="bfloat16" if size.frozen_bytes == 2 else "float32", parameters=size.parameters,
        trainable=size.trainable, block_size=block_size, blocks=n_blocks, world=world, micro=batches.micro,
        accum=batches.accum, steps_per_epoch=per_epoch, total_steps=total, checkpointing=checkpointing,
        compile=compile_decision(config.compile, compile_estimate is not None and compile_estimate.pays, cuda=cuda,
                                 has_compiler=has_compiler),
        terms=memory_terms(size, block_size, batches.micro, half=half, checkpointing=checkpointing, world=world),
        compile_estimate=compile_estimate)


def render_table(plans: list[TrainingPlan | tuple[str, str, str]]) -> str:
    """A Markdown table, one plan a row; (model, GPU, message) for one that does not fit
    (docs/guide/gpu-plan.md is `tweetbot-train plan --output table`'s)."""
    head = ["model", "GPU", "precision", "base", "micro", "accum", "global", "ckpt", "compile",
            *[f"{t} GiB" for t in TERMS], "total GiB", "usable GiB"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for p in plans:
        if isinstance(p, tuple):
            rows.append(f"| {p[0]} | {p[1]} | does not fit: {p[2].split(' (')[0]} |" + " |" * (len(head) - 3))
            continue
        data = p.as_json()
        cells = [p.model, p.gpu, p.precision, p.base_dtype, str(p.micro), str(p.accum), str(p.global_batch),
                 "on" if p.checkpointing else "off", "on" if p.compile else "off",
                 *[f"{data['memoryGiB'][t]:.2f}" for t in TERMS], f"{data['totalGiB']:.2f}",
                 "-" if data["usableGiB"] is None else f"{data['usableGiB']:.2f}"]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)
