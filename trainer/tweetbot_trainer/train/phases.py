"""One training run, from prepared text to a finished model in S3: the phases of docs/design.md in order.

download (base model) -> tokenize -> eval before -> train (checkpoints, SIGTERM) -> eval after -> save ->
upload (manifest last) -> done. Resumes from the newest complete checkpoint of the same run id.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import torch
from accelerate import Accelerator
from accelerate.utils import set_seed

from tweetbot_trainer.config import TrainConfig
from tweetbot_trainer.errors import TweetBotInputError
from tweetbot_trainer.publish.hub import check_hub_settings
from tweetbot_trainer.publish.ownership import Owner, claim_run
from tweetbot_trainer.publish.run_folder import after_manifest, downloaded_run, finished_summary, publish_run
from tweetbot_trainer.publish.tracking.run_log import TrackingReporter, log_outputs, log_plan, tracked
from tweetbot_trainer.publish.tracking.settings import TrackingSettings
from tweetbot_trainer.publish.tracking.tracking import Tracking, open_tracking
from tweetbot_trainer.quality import measure as quality_measure
from tweetbot_trainer.report import FanOut, NullReporter, Reporter
from tweetbot_trainer.s3 import S3Uri, check_bucket, make_client
from tweetbot_trainer.train import checkpoint as ckpt
from tweetbot_trainer.train.batching import BatchPlan
from tweetbot_trainer.train.blocks import load_blocks
from tweetbot_trainer.train.caches import compile_cache_defaults
from tweetbot_trainer.train.compile_policy import cache_warm, record_compiled, shape_key
from tweetbot_trainer.train.context import Outcome, PhaseTimer, RunContext, TokenizedData, TrainedModel
from tweetbot_trainer.train.distributed import ddp_kwargs, global_rank, join_group
from tweetbot_trainer.train.group_store import node_once, rank_zero_alone, share_data, store_barrier
from tweetbot_trainer.train.hardware import (
    enable_fast_math,
    frozen_base_dtype,
    has_bf16,
    has_c_compiler,
    resolve_precision,
)
from tweetbot_trainer.train.loop import LoopSettings, evaluate, report_every, train_loop
from tweetbot_trainer.train.lora import apply_lora, is_lora, parameter_counts, parameter_summary
from tweetbot_trainer.train.memory import ModelSize
from tweetbot_trainer.train.model_loading import fetch_model_dir, load_model_and_tokenizer, model_context
from tweetbot_trainer.train.plan import plan_training
from tweetbot_trainer.train.warm_start import lora_model, model_source, warm_config

# Steps between all-reduces of the SIGTERM flag under several processes: a few seconds of training at most.
STOP_CHECK_EVERY = 10
# Written by `run`'s prepare next to the data: when the job began and how long preparing took (metrics.json).
PREPARED_INFO = "launch.json"
_RUN_ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-._")


def validate(config: TrainConfig) -> S3Uri:
    if not config.run_id or not set(config.run_id) <= _RUN_ID_CHARS:
        raise TweetBotInputError("BadRunId", f"run id must be lower-case letters, digits, '-', '.', '_': "
                                 f"{config.run_id!r}")
    if config.hub_repo:
        check_hub_settings(config.hub_token_env)
    if config.owner:
        Owner.parse(config.owner)
    return S3Uri.parse(config.output).as_dir().child(config.run_id).as_dir()


def run_training(
    config: TrainConfig,
    data_dir: Path,
    reporter: Reporter | None = None,
    *,
    stop: threading.Event | None = None,
    accelerator: Any = None,
    report_stats: bool = True,
    tracking: TrackingSettings | None = None,
) -> Outcome:
    """`data_dir`'s PREPARED_INFO, when there (`run`'s prepare): when the job began and the prepare's seconds."""
    run_uri = validate(config)
    compile_cache_defaults()  # torch.compile's caches on the model cache volume, where the image set none
    stop = stop or threading.Event()
    main = accelerator.is_main_process if accelerator is not None else global_rank() == 0
    reporter = reporter if (reporter is not None and main) else NullReporter()
    client = make_client(config.s3_endpoint)
    check_bucket(client, run_uri)
    store = ckpt.CheckpointStore(client, run_uri.child("checkpoints").as_dir())
    finished = finished_summary(client, run_uri)
    if finished is not None:  # before joining: a retried attempt of a finished run needs no group
        return finish_again(config, client, run_uri, store, reporter=reporter if main else None, finished=finished)
    if accelerator is None:
        # With our timeouts: a peer that never comes, or a dead one, is an error, not a hang.
        join_group(config.rendezvous_timeout, config.collective_timeout)
    # cpu=True without CUDA: only then does accelerate join several CPU processes (gloo) into one run.
    accelerator = accelerator or Accelerator(mixed_precision=resolve_precision(config.precision),
                                             cpu=not torch.cuda.is_available())
    # MLflow / W&B from the main process alone: a multi-GPU or multi-node run is one tracker run.
    trackers = open_tracking(tracking) if (tracking is not None and accelerator.is_main_process) else Tracking()
    if trackers.enabled:
        reporter = FanOut(reporter, TrackingReporter(trackers))
    timer = PhaseTimer(reporter)
    enable_fast_math()
    set_seed(config.seed)
    if config.owner and accelerator.is_main_process:  # before anything of the run is read or written
        claim_run(client, run_uri, Owner.parse(config.owner))  # never another TweetBot's folder
    # The other processes go on once the marker is there (one claiming, others racing it, would see a folder
    # with a marker being written and no marker yet: OutputConflict).
    accelerator.wait_for_everyone()
    with tempfile.TemporaryDirectory(prefix="tweetbot-") as tmp:
        # Across nodes, rank 0's prepared files: the data is prepared once per run, on node 0.
        data_dir = share_data(config.nnodes, config.node_rank, data_dir, Path(tmp) / "data")
        earlier_phases, started = read_prepared_info(data_dir)
        timer.seconds.update(earlier_phases)
        data_stats = read_data_stats(data_dir)
        if report_stats and data_stats["users"]:
            reporter.stats(data_stats["users"])
        config = warm_config(config, data_stats)  # continuing the previous run: fewer epochs, a lower rate
        ctx = RunContext(config, data_dir, Path(tmp), accelerator, reporter, timer, client, run_uri, store,
                         data_stats, started, trackers)
        return tracked(ctx, lambda: run_phases(ctx, stop))


def finish_again(config: TrainConfig, client: Any, run_uri: S3Uri, store: ckpt.CheckpointStore, *,
                 reporter: Reporter | None, finished: dict[str, Any]) -> Outcome:
    """A retried Job whose run already completed: never overwrite a finished model, but finish what comes after
    the manifest (an attempt may have died in it) on rank 0 (`reporter` set), alone; the other ranks are done."""
    if reporter is not None:
        if config.owner:
            claim_run(client, run_uri, Owner.parse(config.owner))  # never another TweetBot's finished run
        with tempfile.TemporaryDirectory(prefix="tweetbot-") as tmp:
            after_manifest(config.hub_repo, config.hub_token_env, store,
                           lambda: downloaded_run(client, run_uri, Path(tmp)))
        reporter.phase("done")
    return Outcome(False, finished)


def run_phases(ctx: RunContext, stop: threading.Event) -> Outcome:
    model, tokenizer = download_base_model(ctx)
    data = tokenize(ctx, model, tokenizer)
    base_texts = base_generations(ctx, model, tokenizer)
    # DDP's first broadcast would wait at most the collective timeout for the slowest rank's download and load.
    store_barrier("the model loaded", ctx.config.rendezvous_timeout)
    trained = prepare_training(ctx, model, tokenizer, data)
    log_plan(ctx, trained, data)
    if trained.state.eval_before is None:
        ctx.timer.start("eval")
        trained.state.eval_before, ppl_before = evaluate(ctx.accelerator, trained.eval_model, data.eval,
                                                         data.batches.micro)
        ctx.reporter.evaluation("before", trained.state.eval_before, ppl_before)
    trained_through = train(ctx, trained, data, stop)
    if data.compile and trained.state.step > 0:
        record_compiled(data.compile_key)  # the next run of these shapes plans with a warm compile cache
    if not trained_through:
        ctx.timer.stop()
        return Outcome(True, {"runId": ctx.config.run_id, "step": trained.state.step})
    ctx.timer.start("eval")
    eval_loss, perplexity = evaluate(ctx.accelerator, trained.eval_model, data.eval, data.batches.micro)
    ctx.reporter.evaluation("after", eval_loss, perplexity)
    # The others wait on the store, not in a barrier (bounded by the group's timeout): an upload takes its time.
    summary = rank_zero_alone("publishing the model", lambda: publish_run(ctx, trained, data, eval_loss, perplexity,
                                                                     base_texts=base_texts),
                              ctx.config.upload_timeout) or {}
    log_outputs(ctx, summary)
    ctx.timer.start("done")
    ctx.timer.stop()
    return Outcome(False, summary)


def download_base_model(ctx: RunContext) -> tuple[Any, Any]:
    ctx.timer.start("download")
    # One download per node: its local rank 0 fetches an s3:// base model (or, warm-started, the previous run's
    # model), the node's other ranks load its copy.
    source = node_once("base-model", lambda: fetch_model_dir(model_source(ctx.config, ctx.data_stats), ctx.workdir,
                                                             ctx.config.s3_endpoint),
                       ctx.config.rendezvous_timeout)
    return load_base(source, ctx.config, ctx.accelerator.mixed_precision, has_bf16(),
                     device=ctx.accelerator.device, warm=(ctx.data_stats, ctx.workdir))


def load_base(source: str, config: TrainConfig, mixed_precision: str, native_bf16: bool, *,
              device: Any = None, warm: tuple[dict[str, Any], Path] | None = None) -> tuple[Any, Any]:
    """The model to train (LoRA-wrapped when set: the previous run's adapter with `warm`, when it fits) and its
    tokenizer. Trainable weights are fp32 masters whatever the checkpoint's dtype (AdamW's small updates round
    away in 16-bit weights, and GradScaler refuses fp16 ones); a LoRA base is frozen and bf16 where the GPU has it
    (hardware.frozen_base_dtype)."""
    dtype = frozen_base_dtype(config.lora_rank, mixed_precision, native_bf16)
    model, tokenizer = load_model_and_tokenizer(source, dtype=dtype, device=device)
    return (lora_model(model, config, *warm) if warm else apply_lora(model, config)), tokenizer


def base_generations(ctx: RunContext, model: Any, tokenizer: Any) -> list[str] | None:
    """The base model's posts for the quality measure (quality/measure.py), on the main process, before any
    training or checkpoint changes the weights; on the device the run trains on."""
    if not ctx.main:
        return None
    ctx.timer.start("quality")
    model.to(ctx.accelerator.device)
    return quality_measure.base_generations(model, tokenizer, ctx.accelerator.device, ctx.data_dir, ctx.config.seed)


def tokenize(ctx: RunContext, model: Any, tokenizer: Any) -> TokenizedData:
    """Packed blocks of the prepared text (block size capped by the model's context), the plan, the steps."""
    config, accelerator = ctx.config, ctx.accelerator
    ctx.timer.start("tokenize")
    block_size = min(config.block_size, model_context(model.config) or config.block_size)
    train_blocks = load_blocks(ctx.data_dir / "train.txt", tokenizer, block_size)
    eval_path = ctx.data_dir / "eval.txt"
    eval_blocks = load_blocks(eval_path, tokenizer, block_size) if eval_path.is_file() else train_blocks[:1]
    n_params, trainable = parameter_counts(model)
    frozen = next((p for p in model.parameters() if not p.requires_grad), None)
    frozen_bytes = frozen.element_size() if frozen is not None else 4
    size = ModelSize.of(model.config, n_params, trainable, frozen_bytes=frozen_bytes)
    device = accelerator.device
    cuda = device.type == "cuda"
    gpu = torch.cuda.get_device_name(device) if cuda else "cpu"
    free = torch.cuda.mem_get_info(device)[0] if cuda else None
    plan = partial(plan_training, size, config, model=config.base_model, gpu=gpu, free_bytes=free,
                   precision=accelerator.mixed_precision, n_blocks=train_blocks.shape[0], block_size=block_size,
                   world=accelerator.num_processes, cuda=cuda, has_compiler=has_c_compiler())
    training_plan = plan()
    # A compile cache that has these shapes compiles in a fraction of the time (the micro-batch is the plan's).
    key = shape_key(model.config, block_size=block_size, micro=training_plan.micro,
                    precision=accelerator.mixed_precision, lora=size.lora, gpu=gpu)
    if cuda and cache_warm(key):
        training_plan = plan(compile_cache_warm=True)
    ctx.reporter.plan(training_plan.as_json())
    batches = BatchPlan(training_plan.micro, training_plan.accum, training_plan.world)
    return TokenizedData(train_blocks, eval_blocks, block_size, batches, training_plan.steps_per_epoch,
                         training_plan.total_steps, training_plan.checkpointing, compile=training_plan.compile,
                         compile_key=key)


def prepare_training(ctx: RunContext, model: Any, tokenizer: Any, data: TokenizedData) -> TrainedModel:
    """Model and optimizer on the device (accelerate, maybe compiled), resumed from the newest checkpoint."""
    accelerator = ctx.accelerator
    if data.gradient_checkpointing:  # recompute each layer in backward: activations of one layer at a time
        model.config.use_cache = False
        # Non-reentrant: works with a frozen embedding (LoRA), whose output needs no gradient.
        model.activation_checkpointing_enable(activation_checkpointing_kwargs={"use_reentrant": False})
    model.to(accelerator.device)  # before the optimizer: fused AdamW checks its parameters' device
    optimizer = make_optimizer(model, ctx.config)
    accelerator.ddp_handler = ddp_kwargs(data.batches.accum, compiled=data.compile)  # read by prepare (DDP)
    model, optimizer = accelerator.prepare(model, optimizer)
    plain = strip_output_casts(accelerator, model)
    trained = TrainedModel(model, tokenizer, optimizer, ckpt.TrainState(), eval_model=model,
                           parameters=parameter_summary(plain))
    if data.compile:
        # The training graph has one shape (packed blocks): dynamic=False. loss_type set: GPT-2's config has
        # none, and looking it up at every forward breaks the graph. Eval keeps the eager module, so its other
        # batch shapes never recompile the training graph.
        base = plain.get_base_model() if is_lora(plain) else plain
        base.loss_type = base.loss_type or "ForCausalLM"
        trained.model = torch.compile(model, dynamic=False)
    resume_step = ctx.store.newest_complete()
    if resume_step is not None:
        local = ctx.store.download(resume_step, ctx.workdir)
        trained.state, trained.rng = ckpt.load_local(local, checkpoint_module(accelerator, model), optimizer,
                                                     accelerator.scaler)
        ctx.reporter.checkpoint(trained.state.step, f"{ctx.store.uri_of(resume_step)} (resumed)")
    return trained


def strip_output_casts(accelerator: Any, model: Any) -> Any:
    """The plain module, its forward without accelerate's autocast + fp32-output wrapper: the loop autocasts
    itself, and the wrapper's cast of every output (the [B, T, vocab] logits) is a copy per step nothing reads."""
    return accelerator.unwrap_model(model, keep_fp32_wrapper=False)


def checkpoint_module(accelerator: Any, model: Any) -> Any:
    """The module whose state_dict goes into checkpoints: never torch.compile's wrapper (its keys carry an
    `_orig_mod.` prefix), so a checkpoint of a compiled attempt resumes in an eager one and back."""
    return accelerator.unwrap_model(model, keep_torch_compile=False)


def make_optimizer(model: Any, config: TrainConfig) -> torch.optim.Optimizer:
    params = [p for p in model.parameters() if p.requires_grad]
    # One kernel for all parameters instead of several per tensor; needs the parameters on the GPU already.
    fused = all(p.is_cuda for p in params)
    return torch.optim.AdamW(params, lr=config.learning_rate, betas=(0.9, 0.999), eps=1e-8,
                             weight_decay=config.weight_decay, fused=fused)


def train(ctx: RunContext, trained: TrainedModel, data: TokenizedData, stop: threading.Event) -> bool:
    """The steps, with checkpoints to S3; False when SIGTERM stopped it (after a checkpoint)."""
    config, accelerator = ctx.config, ctx.accelerator

    def upload_checkpoint(current: ckpt.TrainState) -> None:
        local = ckpt.save_local(ctx.workdir / f"ckpt-{current.step}", checkpoint_module(accelerator, trained.model),
                                trained.optimizer, current, accelerator.scaler)
        uri = ctx.store.upload(local, current.step)
        shutil.rmtree(local, ignore_errors=True)
        ctx.reporter.checkpoint(current.step, str(uri))

    def save_checkpoint(current: ckpt.TrainState) -> None:  # the others wait on the store: see run_phases
        rank_zero_alone(f"uploading the checkpoint of step {current.step}", lambda: upload_checkpoint(current),
                        config.upload_timeout)

    ctx.timer.start("train")
    if trained.rng is not None:
        ckpt.set_rng_state(trained.rng)  # last thing before the first step
    seed_dropout(config.seed, accelerator.process_index, trained.state.step, resumed=trained.rng is not None)
    settings = LoopSettings(
        total_steps=data.total_steps,
        batch_size=data.batches.micro,
        grad_accum=data.batches.accum,
        learning_rate=config.learning_rate,
        warmup_steps=int(config.warmup_ratio * data.total_steps),
        seed=config.seed,
        checkpoint_every=config.checkpoint_every,
        checkpoint_seconds=config.checkpoint_minutes * 60,
        max_grad_norm=config.max_grad_norm,
        report_every=report_every(data.total_steps, cuda=accelerator.device.type == "cuda"),
        # With several processes the stop flag is agreed on by an all-reduce: not every step.
        stop_check_every=1 if accelerator.num_processes == 1 else STOP_CHECK_EVERY,
        before_step=None if accelerator.process_index == 0 else partial(rank_seed, config.seed,
                                                                          accelerator.process_index),
    )
    result = train_loop(accelerator, trained.model, trained.optimizer, data.train, settings=settings,
                        state=trained.state, reporter=ctx.reporter, should_stop=agreed_stop(accelerator, stop),
                        on_checkpoint=save_checkpoint)
    return not result.interrupted


def seed_dropout(seed: int, rank: int, step: int, *, resumed: bool) -> None:
    """Each process its own dropout masks (the same masks on every rank would waste the data parallelism's
    regularisation); the weights were initialised before, with the run's seed on every rank. Rank 0 keeps the
    checkpoint's RNG state on a resume (exact, as one process); the others draw from (seed, rank, step), again
    before every step (LoopSettings.before_step), so a resume draws what an uninterrupted run draws."""
    if rank == 0 and resumed:
        return
    rank_seed(seed, rank, step)


def rank_seed(seed: int, rank: int, step: int) -> None:
    torch.manual_seed(seed + rank * 1_000_003 + step)


def read_prepared_info(data_dir: Path) -> tuple[dict[str, float], float]:
    """({"prepare": seconds}, when the job began) from `run`'s prepare; ({}, now) without one."""
    path = data_dir / PREPARED_INFO
    if not path.is_file():
        return {}, time.time()
    info = json.loads(path.read_text())
    return {"prepare": float(info["prepare"])}, float(info["started"])


def read_data_stats(data_dir: Path) -> dict[str, Any]:
    path = data_dir / "stats.json"
    if not path.is_file():
        return {"users": {}, "profiles": {}, "languages": []}
    return dict(json.loads(path.read_text()))


def agreed_stop(accelerator: Any, stop: threading.Event) -> Callable[[], bool]:
    """With several processes, all stop at the same step when any of them got SIGTERM."""
    if accelerator.num_processes == 1:
        return stop.is_set

    def any_stopped() -> bool:
        flag = torch.tensor([1.0 if stop.is_set() else 0.0], device=accelerator.device)
        return bool(accelerator.reduce(flag, reduction="sum").item() > 0)

    return any_stopped
