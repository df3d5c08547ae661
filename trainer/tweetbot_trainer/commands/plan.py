"""`tweetbot-train plan`: the plan a run would train with (per-GPU memory by term, micro-batch, gradient
accumulation, checkpointing, compile, precision) for a base model, a GPU and a data size, without a GPU."""

# Imports inside main(): `tweetbot-train --help` and the other subcommands must not pay for torch.

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tweetbot_trainer.train.plan import TrainingPlan


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base-model", action="append", required=True,
                        help="a folder, a hub id, or a named shape (gpt2, smollm2-135m, llama-3.2-1b, llama-3.2-3b, "
                             "llama-3-8b); repeat for several rows")
    parser.add_argument("--gpu", action="append", required=True,
                        help="h100, a100-40gb, l4, h200... or the memory in GiB; repeat for several rows")
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--blocks", type=int, help="training blocks of --block-size tokens")
    size.add_argument("--tokens", type=int, help="training tokens")
    parser.add_argument("--block-size", type=int, default=1024)
    parser.add_argument("--lora-rank", type=int, default=0)
    parser.add_argument("--lora-target-modules", default="")
    parser.add_argument("--nproc-per-node", type=int, default=1, help="GPUs (processes) in all")
    parser.add_argument("--precision", choices=("auto", "bf16", "fp16", "fp32"), default="auto")
    parser.add_argument("--gradient-checkpointing", choices=("auto", "on", "off"), default="auto")
    parser.add_argument("--compile", choices=("auto", "on", "off"), default="auto")
    parser.add_argument("--batch-size", type=int, default=0)
    parser.add_argument("--global-batch-size", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--output", choices=("json", "table"), default="json")


def main(args: argparse.Namespace) -> int:
    import warnings

    from tweetbot_trainer.errors import TweetBotInputError
    from tweetbot_trainer.train.plan import render_table

    warnings.filterwarnings("ignore", category=FutureWarning)  # peft on transformers' deprecated names
    plans: list[TrainingPlan | tuple[str, str, str]] = []
    for model in args.base_model:
        for gpu in args.gpu:
            try:
                plans.append(plan_for(args, model, gpu))
            except TweetBotInputError as err:  # one row that does not fit; the others still print
                if err.reason != "NotEnoughGPUMemory":
                    raise
                plans.append((model, gpu, err.message))
    if args.output == "table":
        print(render_table(plans))
    else:
        for plan in plans:
            print(json.dumps(plan.as_json() if not isinstance(plan, tuple) else
                             {"model": plan[0], "gpu": plan[1], "error": "NotEnoughGPUMemory", "message": plan[2]}))
    return 0 if all(not isinstance(plan, tuple) for plan in plans) else 2


def plan_for(args: argparse.Namespace, model: str, gpu: str) -> TrainingPlan:
    from tweetbot_trainer.config import TrainConfig
    from tweetbot_trainer.errors import TweetBotInputError
    from tweetbot_trainer.train.hardware import frozen_base_dtype, pick_precision
    from tweetbot_trainer.train.lora import apply_lora, parameter_counts
    from tweetbot_trainer.train.memory import ModelSize
    from tweetbot_trainer.train.model_loading import model_context
    from tweetbot_trainer.train.plan import plan_training
    from tweetbot_trainer.train.shapes import gpu_memory, meta_model, model_config

    config = TrainConfig(base_model=model, lora_rank=args.lora_rank, batch_size=args.batch_size,
                         global_batch_size=args.global_batch_size, epochs=args.epochs, compile=args.compile,
                         gradient_checkpointing=args.gradient_checkpointing, precision=args.precision,
                         lora_target_modules=tuple(m for m in args.lora_target_modules.split(",") if m))
    gpu_name, free, bf16 = gpu_memory(gpu)
    precision = pick_precision(args.precision, cuda=True, native_bf16=bf16)
    model_cfg = model_config(model)
    block_size = min(args.block_size, model_context(model_cfg) or args.block_size)
    blocks = args.blocks if args.blocks is not None else args.tokens // block_size
    if blocks < 1:
        raise TweetBotInputError("NotEnoughPosts", "--tokens: less than one block of training data")
    parameters, trainable = parameter_counts(apply_lora(meta_model(model_cfg), config))
    frozen_bytes = 2 if frozen_base_dtype(config.lora_rank, precision, bf16).itemsize == 2 else 4
    size = ModelSize.of(model_cfg, parameters, trainable, frozen_bytes=frozen_bytes)
    return plan_training(size, config, model=model, gpu=gpu_name, free_bytes=free, precision=precision,
                         n_blocks=blocks, block_size=block_size, world=args.nproc_per_node, cuda=True)
