"""One training run, from prepared text to a finished model in S3: the phases of docs/design.md in order.

download (base model) -> tokenize -> eval before -> train (checkpoints, SIGTERM) -> eval after -> save ->
upload (manifest last) -> done. Resumes from the newest complete checkpoint of the same run id.
"""

from __future__ import annotations

import json
import math
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from accelerate import Accelerator
from accelerate.utils import set_seed

from tweetbot_trainer.config import TrainConfig
from tweetbot_trainer.errors import TweetBotInputError
from tweetbot_trainer.publish.card import CardData, render_card
from tweetbot_trainer.publish.hub import check_hub_settings, push_to_hub
from tweetbot_trainer.publish.manifest import MANIFEST, build_manifest, write_manifest
from tweetbot_trainer.publish.outputs import plot_loss, predictions, write_json, write_model_files
from tweetbot_trainer.report import NullReporter, Reporter
from tweetbot_trainer.s3 import S3Uri, check_bucket, download_prefix, exists, make_client, upload_dir, upload_files
from tweetbot_trainer.train import checkpoint as ckpt
from tweetbot_trainer.train.blocks import load_blocks
from tweetbot_trainer.train.loop import LoopSettings, evaluate, plan, train_loop
from tweetbot_trainer.train.model_loading import fetch_model_dir, load_model_and_tokenizer

_RUN_ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-._")


@dataclass
class Outcome:
    interrupted: bool
    summary: dict[str, Any] = field(default_factory=dict)  # the termination message's fields


class PhaseTimer:
    """Wall time of each phase, reported as it starts."""

    def __init__(self, reporter: Reporter) -> None:
        self.reporter = reporter
        self.seconds: dict[str, float] = {}
        self._current: tuple[str, float] | None = None

    def start(self, phase: str) -> None:
        self.stop()
        self.reporter.phase(phase)
        self._current = (phase, time.perf_counter())

    def stop(self) -> None:
        if self._current is not None:
            name, began = self._current
            self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - began, 3)
            self._current = None


def resolve_precision(requested: str) -> str:
    """accelerate's mixed_precision: bf16 where the GPU supports it, else fp16 on GPUs, fp32 ("no") on CPU."""
    cuda = torch.cuda.is_available()
    if requested == "auto":
        if cuda and torch.cuda.is_bf16_supported():
            return "bf16"
        return "fp16" if cuda else "no"
    if requested == "fp32":
        return "no"
    if requested == "fp16" and not cuda:
        raise TweetBotInputError("BadSettings", "--precision fp16 needs a GPU")
    return requested


def enable_fast_math() -> None:
    """TF32 matmuls on Ampere+ (fp32 parts of mixed precision run on tensor cores)."""
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    torch.set_float32_matmul_precision("high")


def should_compile(mode: str) -> bool:
    """torch.compile: "auto" = on a GPU and where a C compiler exists (Triton builds its launcher with one;
    the slim CUDA runtime images have none, and compiling would fail at the first step there)."""
    if mode != "auto":
        return mode == "on"
    return torch.cuda.is_available() and any(shutil.which(cc) for cc in ("cc", "gcc", "clang"))


def make_optimizer(model: Any, config: TrainConfig) -> torch.optim.Optimizer:
    params = [p for p in model.parameters() if p.requires_grad]
    # One kernel for all parameters instead of several per tensor; needs the parameters on the GPU already.
    fused = all(p.is_cuda for p in params)
    return torch.optim.AdamW(params, lr=config.learning_rate, betas=(0.9, 0.999), eps=1e-8,
                             weight_decay=config.weight_decay, fused=fused)


def read_data_stats(data_dir: Path) -> dict[str, Any]:
    path = data_dir / "stats.json"
    if not path.is_file():
        return {"users": {}, "profiles": {}, "languages": []}
    return dict(json.loads(path.read_text()))


def validate(config: TrainConfig) -> S3Uri:
    if not config.run_id or not set(config.run_id) <= _RUN_ID_CHARS:
        raise TweetBotInputError("BadRunId", f"run id must be lower-case letters, digits, '-', '.', '_': "
                                 f"{config.run_id!r}")
    if config.hub_repo:
        check_hub_settings(config.hub_token_env)
    return S3Uri.parse(config.output).as_dir().child(config.run_id).as_dir()


def run_training(
    config: TrainConfig,
    data_dir: Path,
    reporter: Reporter | None = None,
    *,
    stop: threading.Event | None = None,
    accelerator: Any = None,
    report_stats: bool = True,
    earlier_phases: dict[str, float] | None = None,
    started: float | None = None,
) -> Outcome:
    """`earlier_phases` / `started`: what ran before in the same job (`run`'s prepare), for metrics.json."""
    run_uri = validate(config)
    stop = stop or threading.Event()
    accelerator = accelerator or Accelerator(mixed_precision=resolve_precision(config.precision))
    main = accelerator.is_main_process
    reporter = reporter if (reporter is not None and main) else NullReporter()
    timer = PhaseTimer(reporter)
    timer.seconds.update(earlier_phases or {})
    started = started or time.time()
    enable_fast_math()
    set_seed(config.seed)
    client = make_client(config.s3_endpoint)
    check_bucket(client, run_uri)
    store = ckpt.CheckpointStore(client, run_uri.child("checkpoints").as_dir())
    finished = finished_summary(client, run_uri)
    if finished is not None:  # a retried Job whose run already completed: never overwrite a finished model,
        if main:  # but finish what comes after the manifest (an attempt may have died during it)
            with tempfile.TemporaryDirectory(prefix="tweetbot-") as tmp:
                after_manifest(config, store, lambda: _downloaded_run(client, run_uri, Path(tmp)))
        reporter.phase("done")
        return Outcome(False, finished)
    data_stats = read_data_stats(data_dir)
    if report_stats and data_stats["users"]:
        reporter.stats(data_stats["users"])

    with tempfile.TemporaryDirectory(prefix="tweetbot-") as tmp:
        workdir = Path(tmp)
        timer.start("download")
        model_source = fetch_model_dir(config.base_model, workdir, config.s3_endpoint)
        model, tokenizer = load_model_and_tokenizer(model_source)

        timer.start("tokenize")
        block_size = min(config.block_size, int(getattr(model.config, "n_positions", config.block_size)))
        train_blocks = load_blocks(data_dir / "train.txt", tokenizer, block_size)
        eval_path = data_dir / "eval.txt"
        eval_blocks = load_blocks(eval_path, tokenizer, block_size) if eval_path.is_file() else train_blocks[:1]
        per_epoch, total_steps = plan(train_blocks.shape[0], config.batch_size, accelerator.num_processes,
                                      config.epochs, config.max_steps)

        model.to(accelerator.device)  # before the optimizer: fused AdamW checks its parameters' device
        optimizer = make_optimizer(model, config)
        model, optimizer = accelerator.prepare(model, optimizer)
        if should_compile(config.compile):
            model = torch.compile(model)

        state, rng = ckpt.TrainState(), None
        resume_step = store.newest_complete()
        if resume_step is not None:
            local = store.download(resume_step, workdir)
            state, rng = ckpt.load_local(local, accelerator.unwrap_model(model), optimizer)
            reporter.checkpoint(state.step, f"{store.uri_of(resume_step)} (resumed)")

        if state.eval_before is None:
            timer.start("eval")
            state.eval_before, ppl_before = evaluate(accelerator, model, eval_blocks, config.batch_size)
            reporter.evaluation("before", state.eval_before, ppl_before)

        def save_checkpoint(current: ckpt.TrainState) -> None:
            if main:
                local = ckpt.save_local(workdir / f"ckpt-{current.step}", accelerator.unwrap_model(model),
                                        optimizer, current)
                uri = store.upload(local, current.step)
                shutil.rmtree(local, ignore_errors=True)
                reporter.checkpoint(current.step, str(uri))
            accelerator.wait_for_everyone()

        timer.start("train")
        if rng is not None:
            ckpt.set_rng_state(rng)  # last thing before the first step
        settings = LoopSettings(
            total_steps=total_steps,
            batch_size=config.batch_size,
            learning_rate=config.learning_rate,
            warmup_steps=int(config.warmup_ratio * total_steps),
            seed=config.seed,
            checkpoint_every=config.checkpoint_every,
            max_grad_norm=config.max_grad_norm,
            report_every=max(1, total_steps // 200),
        )
        result = train_loop(accelerator, model, optimizer, train_blocks, settings=settings, state=state,
                            reporter=reporter,
                            should_stop=_agreed_stop(accelerator, stop), on_checkpoint=save_checkpoint)
        if result.interrupted:
            timer.stop()
            return Outcome(True, {"runId": config.run_id, "step": state.step})

        timer.start("eval")
        eval_loss, perplexity = evaluate(accelerator, model, eval_blocks, config.batch_size)
        reporter.evaluation("after", eval_loss, perplexity)

        summary: dict[str, Any] = {}
        if main:
            timer.start("save")
            out = workdir / "out"
            out.mkdir()
            model_to_save = accelerator.unwrap_model(model)
            model_to_save = getattr(model_to_save, "_orig_mod", model_to_save)  # torch.compile's wrapper
            write_model_files(model_to_save, tokenizer, out)
            samples = predictions(model_to_save, tokenizer, accelerator.device, config.seed)
            write_json(out / "predictions.json", samples)
            plot_loss(state.losses, {"before": state.eval_before, "after": eval_loss}, total_steps,
                      out / "loss.png")
            write_json(out / "data" / "stats.json", data_stats)
            tokens_per_s = state.tokens_seen / max(1e-9, state.train_seconds)
            card = CardData(
                users=list(data_stats["users"]) or ["unknown"],
                stats=data_stats["users"],
                profiles=data_stats.get("profiles", {}),
                languages=data_stats.get("languages", []),
                model_uri=str(run_uri),
                hub_repo=config.hub_repo,
                base_model=config.base_model,
                hyperparameters={**config.hyperparameters(), "block_size": block_size},
                steps=total_steps,
                eval_loss_before=state.eval_before,
                eval_loss=eval_loss,
                perplexity=perplexity,
                samples=[s for item in samples[:1] for s in item["samples"]],
            )
            (out / "README.md").write_text(render_card(card), encoding="utf-8")

            timer.start("upload")
            uploaded = upload_dir(client, out, run_uri)
            timer.stop()
            metrics = {
                "runId": config.run_id,
                "evalLossBefore": state.eval_before,
                "evalLoss": eval_loss,
                "perplexityBefore": _perplexity(state.eval_before),
                "perplexity": perplexity,
                "trainLossFinal": state.losses[-1][1] if state.losses else None,
                "steps": total_steps,
                "stepsPerEpoch": per_epoch,
                "trainTokens": state.tokens_seen,
                "tokensPerSecond": tokens_per_s,
                "trainSeconds": state.train_seconds,
                "phaseSeconds": dict(timer.seconds),  # upload covers everything but metrics + manifest
                "device": str(accelerator.device),
                "processes": accelerator.num_processes,
                "mixedPrecision": accelerator.mixed_precision,
                "hyperparameters": {**config.hyperparameters(), "block_size": block_size},
                "losses": state.losses,
                "stats": data_stats["users"],
                "durationSeconds": round(time.time() - started, 3),  # up to the last upload
            }
            write_json(out / "metrics.json", metrics)
            upload_files(client, [(out / "metrics.json", run_uri.child("metrics.json"))])
            manifest = build_manifest(out, [*uploaded, "metrics.json"], config.run_id, time.time())
            upload_files(client, [(write_manifest(out, manifest), run_uri.child(MANIFEST))])
            after_manifest(config, store, lambda: out)

            summary = {
                "runId": config.run_id,
                "modelURI": str(run_uri),
                "evalLossBefore": state.eval_before,
                "evalLoss": eval_loss,
                "perplexity": perplexity,
                "stats": data_stats["users"],
                "durationSeconds": round(time.time() - started, 3),
            }
        accelerator.wait_for_everyone()
        timer.start("done")
        timer.stop()
        return Outcome(False, summary)


def after_manifest(config: TrainConfig, store: ckpt.CheckpointStore, run_folder: Callable[[], Path]) -> None:
    """What follows the manifest, idempotent so that a retried attempt can redo it: drop the checkpoints, push
    to the hub (`run_folder` gives the finished run's files)."""
    store.clear()
    if config.hub_repo:
        push_to_hub(run_folder(), config.hub_repo, config.hub_token_env)


def _downloaded_run(client: Any, run_uri: S3Uri, into: Path) -> Path:
    download_prefix(client, run_uri, into, skip=("checkpoints/",))
    return into


def finished_summary(client: Any, run_uri: S3Uri) -> dict[str, Any] | None:
    """The summary of a run that already has its manifest (from its metrics.json), else None."""
    if not exists(client, run_uri.child(MANIFEST)):
        return None
    metrics = json.loads(client.get_object(Bucket=run_uri.bucket, Key=run_uri.child("metrics.json").key)["Body"].read())
    return {
        "runId": metrics["runId"],
        "modelURI": str(run_uri),
        "evalLossBefore": metrics["evalLossBefore"],
        "evalLoss": metrics["evalLoss"],
        "perplexity": metrics["perplexity"],
        "stats": metrics.get("stats", {}),
        "durationSeconds": metrics.get("durationSeconds"),
    }


def _perplexity(loss: float | None) -> float | None:
    return None if loss is None else math.exp(min(loss, 50.0))


def _agreed_stop(accelerator: Any, stop: threading.Event) -> Callable[[], bool]:
    """With several processes, all stop at the same step when any of them got SIGTERM."""
    if accelerator.num_processes == 1:
        return stop.is_set

    def any_stopped() -> bool:
        flag = torch.tensor([1.0 if stop.is_set() else 0.0], device=accelerator.device)
        return bool(accelerator.reduce(flag, reduction="sum").item() > 0)

    return any_stopped

