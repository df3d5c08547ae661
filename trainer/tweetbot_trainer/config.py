"""Training settings: one dataclass and the CLI flags that fill it (docs/design.md, "Training flags")."""

from __future__ import annotations

import argparse
from dataclasses import asdict, dataclass
from typing import Any

# huggingtweets' recipe: 4 passes over the data at lr 1.372e-4 (found by their W&B sweep).
DEFAULT_EPOCHS = 4
DEFAULT_LEARNING_RATE = 1.372e-4
PRECISIONS = ("auto", "bf16", "fp16", "fp32")


@dataclass(frozen=True)
class TrainConfig:
    base_model: str = "gpt2"
    output: str = ""  # s3://bucket/prefix/
    run_id: str = ""
    epochs: int = DEFAULT_EPOCHS
    learning_rate: float = DEFAULT_LEARNING_RATE
    batch_size: int = 0  # per device and forward (micro-batch); 0 = the largest that fits, up to the global batch
    global_batch_size: int = 0  # sequences per optimizer step, all devices; 0 = picked from the data (batching.py)
    block_size: int = 1024
    seed: int = 42
    checkpoint_every: int = 0  # steps; 0 = none by steps
    checkpoint_minutes: float = 10.0  # minutes of training between checkpoints; 0 = none by time (SIGTERM still)
    max_steps: int = 0  # 0 = epochs decide
    precision: str = "auto"
    warmup_ratio: float = 0.05
    weight_decay: float = 0.0
    max_grad_norm: float = 1.0
    compile: str = "auto"  # torch.compile: auto = on CUDA where a C compiler exists (train.hardware.should_compile)
    s3_endpoint: str | None = None
    hub_repo: str | None = None
    hub_token_env: str = "HF_TOKEN"
    termination_log: str = "/dev/termination-log"
    nproc_per_node: int = 1  # training processes (one per GPU); >1: this process launches them
    nnodes: int = 1  # nodes (pods) of the training group; >1: this process launches its node's share
    node_rank: int = 0  # this node's place in the group (an Indexed Job's completion index)
    master_addr: str = "127.0.0.1"  # where global rank 0's rendezvous store listens (nnodes > 1)
    master_port: int = 29500
    rendezvous_timeout: float = 1800.0  # seconds to wait for the peers (a cold node may pull the image first)
    collective_timeout: float = 600.0  # seconds any collective may take (NCCL's default): a dead peer's bound
    upload_timeout: float = 7200.0  # seconds the other processes wait for rank 0's checkpoint upload or publish
    owner: str | None = None  # namespace/name/uid of the TweetBot whose run this is (publish/ownership.py)
    keep_runs: int = 0  # after success: this owner's finished runs kept, this one included; 0 = all
    protect_run: str | None = None  # a run id never pruned (the one the TweetBot's status.modelURI points at)
    lora_rank: int = 0  # 0 = full fine-tune; else LoRA adapters of this rank (peft)
    lora_alpha: int = 0  # 0 = twice the rank
    lora_dropout: float = 0.05
    lora_target_modules: tuple[str, ...] = ()  # empty = peft's defaults for the architecture
    merge: bool = True  # LoRA: also publish the merged full model at the top of the run folder
    gradient_checkpointing: str = "auto"  # auto = on when the memory estimate exceeds the GPU's

    @property
    def lora_scale_alpha(self) -> int:
        return self.lora_alpha or 2 * self.lora_rank

    def hyperparameters(self) -> dict[str, Any]:
        """What the card and metrics.json report (no endpoints, no token names)."""
        keep = ("base_model", "epochs", "learning_rate", "batch_size", "block_size", "seed", "precision",
                "warmup_ratio", "weight_decay", "max_grad_norm", "max_steps")
        values = {k: v for k, v in asdict(self).items() if k in keep}
        if self.lora_rank:
            values.update(lora_rank=self.lora_rank, lora_alpha=self.lora_scale_alpha, lora_dropout=self.lora_dropout)
        return values


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {number}")
    return number


def _non_negative(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {number}")
    return number


def _non_negative_float(value: str) -> float:
    number = float(value)
    if not number >= 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return number


def add_training_arguments(parser: argparse.ArgumentParser, shared: bool = True) -> None:
    """Training + output flags. `shared=False` leaves out --seed and --s3-endpoint (prepare already has them)."""
    d = TrainConfig()
    parser.add_argument("--base-model", default=d.base_model, help="hub id, local directory or s3:// prefix")
    parser.add_argument("--output", required=True, help="s3://bucket/prefix/ (the run goes below <run-id>/)")
    parser.add_argument("--run-id", required=True, help="<tweetbot-name>-<uid8>-g<generation>")
    parser.add_argument("--epochs", type=_positive, default=d.epochs)
    parser.add_argument("--learning-rate", type=float, default=d.learning_rate)
    parser.add_argument("--batch-size", type=_non_negative, default=d.batch_size,
                        help="sequences per device and forward (0: the largest that fits the GPU)")
    parser.add_argument("--global-batch-size", type=_non_negative, default=d.global_batch_size,
                        help="sequences per optimizer step on all devices, with gradient accumulation as needed "
                             "(0: grows with the data, at least 32 steps an epoch, at most 8)")
    parser.add_argument("--block-size", type=_positive, default=d.block_size)
    parser.add_argument("--checkpoint-every", type=_non_negative, default=d.checkpoint_every,
                        help="steps between checkpoints to S3 (0: only on SIGTERM)")
    parser.add_argument("--checkpoint-minutes", type=_non_negative_float, default=d.checkpoint_minutes,
                        help="minutes of training between checkpoints to S3 (0: none by time)")
    parser.add_argument("--owner", default=None, help="namespace/name/uid of the TweetBot owning the run folder")
    parser.add_argument("--keep-runs", type=_non_negative, default=d.keep_runs,
                        help="after success, keep this many of the owner's finished runs (0: all)")
    parser.add_argument("--protect-run", default=None, help="a run id that --keep-runs never deletes")
    parser.add_argument("--max-steps", type=_non_negative, default=d.max_steps, help="0: as many as epochs give")
    parser.add_argument("--precision", choices=PRECISIONS, default=d.precision)
    parser.add_argument("--warmup-ratio", type=float, default=d.warmup_ratio)
    parser.add_argument("--compile", choices=("auto", "on", "off"), default=d.compile)
    parser.add_argument("--hub-repo", default=None, help="also push to this Hugging Face Hub repo")
    parser.add_argument("--hub-token-env", default=d.hub_token_env, help="variable holding the hub token")
    parser.add_argument("--termination-log", default=d.termination_log)
    parser.add_argument("--nproc-per-node", type=_positive, default=d.nproc_per_node,
                        help="training processes, one per GPU (gloo on CPU); >1 makes this process their launcher")
    parser.add_argument("--nnodes", type=_positive, default=d.nnodes,
                        help="nodes (pods) of the training group, each running this command with its --node-rank")
    parser.add_argument("--node-rank", type=_non_negative, default=d.node_rank, help="0 .. nnodes-1")
    parser.add_argument("--master-addr", default=d.master_addr, help="host of node 0 (the rendezvous store)")
    parser.add_argument("--master-port", type=_positive, default=d.master_port)
    parser.add_argument("--rendezvous-timeout", type=_non_negative_float, default=d.rendezvous_timeout,
                        help="seconds to wait for the other processes to join the group")
    parser.add_argument("--collective-timeout", type=_non_negative_float, default=d.collective_timeout,
                        help="seconds any collective (gradients, the stop agreement) may take")
    parser.add_argument("--upload-timeout", type=_non_negative_float, default=d.upload_timeout,
                        help="seconds the other processes wait for rank 0's checkpoint upload or publish")
    parser.add_argument("--lora-rank", type=_non_negative, default=d.lora_rank,
                        help="LoRA adapter rank (0: full fine-tune)")
    parser.add_argument("--lora-alpha", type=_non_negative, default=d.lora_alpha, help="LoRA alpha (0: twice the rank)")
    parser.add_argument("--lora-dropout", type=float, default=d.lora_dropout)
    parser.add_argument("--lora-target-modules", default="",
                        help="comma-separated module names (default: peft's for the architecture)")
    parser.add_argument("--no-merge", dest="merge", action="store_false",
                        help="LoRA: publish only the adapter, not the merged full model")
    parser.add_argument("--gradient-checkpointing", choices=("auto", "on", "off"), default=d.gradient_checkpointing,
                        help="auto: on when model + optimizer + activations would not fit the GPU")
    if shared:
        parser.add_argument("--seed", type=int, default=d.seed)
        parser.add_argument("--s3-endpoint", default=None, help="else AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL")


def config_from_args(args: argparse.Namespace) -> TrainConfig:
    return TrainConfig(
        base_model=args.base_model,
        output=args.output,
        run_id=args.run_id,
        epochs=args.epochs,
        learning_rate=args.learning_rate,
        batch_size=args.batch_size,
        global_batch_size=args.global_batch_size,
        block_size=args.block_size,
        seed=args.seed,
        checkpoint_every=args.checkpoint_every,
        checkpoint_minutes=args.checkpoint_minutes,
        owner=args.owner,
        keep_runs=args.keep_runs,
        protect_run=args.protect_run,
        max_steps=args.max_steps,
        precision=args.precision,
        warmup_ratio=args.warmup_ratio,
        compile=args.compile,
        s3_endpoint=args.s3_endpoint,
        hub_repo=args.hub_repo,
        hub_token_env=args.hub_token_env,
        termination_log=args.termination_log,
        nproc_per_node=args.nproc_per_node,
        nnodes=args.nnodes,
        node_rank=args.node_rank,
        master_addr=args.master_addr,
        master_port=args.master_port,
        rendezvous_timeout=args.rendezvous_timeout,
        collective_timeout=args.collective_timeout,
        upload_timeout=args.upload_timeout,
        lora_rank=args.lora_rank,
        lora_alpha=args.lora_alpha,
        lora_dropout=args.lora_dropout,
        lora_target_modules=tuple(m.strip() for m in args.lora_target_modules.split(",") if m.strip()),
        merge=args.merge,
        gradient_checkpointing=args.gradient_checkpointing,
    )
