"""A finished run's folder in S3: write its files, upload them with the manifest last, and what follows.

A run without `manifest.json` is not finished; one with it is never overwritten (`finished_summary`), and what comes
after the manifest (dropping checkpoints, the hub push) is idempotent so that a retried attempt can redo it.
"""

from __future__ import annotations

import json
import math
import shutil
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path
from typing import Any

import torch

from tweetbot_trainer.config import TrainConfig
from tweetbot_trainer.data.incremental import POSTS_FILE
from tweetbot_trainer.publish.card import CardData, render_card
from tweetbot_trainer.publish.hub import push_to_hub
from tweetbot_trainer.publish.manifest import MANIFEST, build_manifest, write_manifest
from tweetbot_trainer.publish.outputs import plot_loss, predictions, write_json, write_model_files
from tweetbot_trainer.publish.ownership import Owner, prune_runs
from tweetbot_trainer.quality import measure as quality_measure
from tweetbot_trainer.s3 import S3Uri, download_prefix, exists, relative_files, upload_files, upload_listed
from tweetbot_trainer.train.checkpoint import CheckpointStore
from tweetbot_trainer.train.context import RunContext, TokenizedData, TrainedModel
from tweetbot_trainer.train.lora import ADAPTER_DIR, is_lora, merged_model, save_adapter
from tweetbot_trainer.train.model_loading import CHECKPOINT_DTYPE_ATTR


def save_run_files(ctx: RunContext, trained: TrainedModel, data: TokenizedData, eval_loss: float,
                   perplexity: float, *, quality: dict[str, Any] | None = None,
                   model_files_ready: Callable[[Path], None] = lambda _out: None) -> Path:
    """Model, tokenizer, predictions, loss plot, data stats and the model card, in a local folder;
    `model_files_ready` is called once the model's files are written, before the rest."""
    config, state = ctx.config, trained.state
    out = ctx.workdir / "out"
    out.mkdir()
    no_repeat = quality_measure.no_repeat_size(quality)
    model = publish_model_files(ctx, trained, out, no_repeat=no_repeat)
    model_files_ready(out)
    samples = predictions(model, trained.tokenizer, ctx.accelerator.device, config.seed,
                          autocast=ctx.accelerator.autocast, no_repeat_ngram_size=no_repeat)
    write_json(out / "predictions.json", samples)
    plot_loss(state.losses, {"before": state.eval_before, "after": eval_loss}, data.total_steps, out / "loss.png")
    write_json(out / "data" / "stats.json", ctx.data_stats)
    if (ctx.data_dir / POSTS_FILE).is_file():  # the next run's starting set (data/incremental.py)
        shutil.copyfile(ctx.data_dir / POSTS_FILE, out / "data" / POSTS_FILE)
    card = CardData(
        users=list(ctx.data_stats["users"]) or ["unknown"],
        stats=ctx.data_stats["users"],
        profiles=ctx.data_stats.get("profiles", {}),
        languages=ctx.data_stats.get("languages", []),
        model_uri=str(ctx.run_uri),
        hub_repo=config.hub_repo,
        base_model=config.base_model,
        hyperparameters=data.hyperparameters(config),
        separator=str(trained.tokenizer.eos_token),
        adapter_only=config.lora_rank > 0 and not config.merge,
        steps=data.total_steps,
        eval_loss_before=state.eval_before,
        eval_loss=eval_loss,
        perplexity=perplexity,
        samples=[s for item in samples[:1] for s in item["samples"]],
        quality=quality,
        tracking_urls=dict(ctx.tracking.urls),
        tracking_offline={name: folder.name for name, folder in ctx.tracking.offline_dirs().items()},
        data=ctx.data_stats.get("data") or {},
    )
    (out / "README.md").write_text(render_card(card), encoding="utf-8")
    return out


def publish_model_files(ctx: RunContext, trained: TrainedModel, out: Path, *, no_repeat: int = 0) -> Any:
    """The model files of the run folder; returns the model its samples come from. LoRA: `adapter/`, and the
    merged full model at the top unless `merge` is off (then the samples come from base + adapter)."""
    model = ctx.accelerator.unwrap_model(trained.model, keep_torch_compile=False)
    if not is_lora(model):
        write_model_files(in_checkpoint_dtype(model), trained.tokenizer, out, no_repeat_ngram_size=no_repeat)
        return model
    save_adapter(model, trained.tokenizer, out / ADAPTER_DIR, ctx.config.base_model)
    if ctx.config.merge:
        model = in_checkpoint_dtype(merged_model(model))
        write_model_files(model, trained.tokenizer, out, no_repeat_ngram_size=no_repeat)
    return model


def in_checkpoint_dtype(model: Any) -> Any:
    """The trained model in its base checkpoint's dtype where that is 16-bit (Llama's, SmolLM's bf16): trained
    as fp32 masters, saved as the base was (half the bytes to upload and to load; a user's from_pretrained gets
    the dtype the base model card promises). In place: training is over, and the samples then run in it too."""
    dtype = getattr(model, CHECKPOINT_DTYPE_ATTR, None)
    if dtype in (torch.bfloat16, torch.float16) and model.dtype != dtype:
        model.to(dtype)
    return model


def run_metrics(ctx: RunContext, trained: TrainedModel, data: TokenizedData, eval_loss: float,
                perplexity: float) -> dict[str, Any]:
    """metrics.json: the numbers of the run, for people and for benchmarks."""
    config, state, accelerator = ctx.config, trained.state, ctx.accelerator
    return {
        "runId": config.run_id,
        "evalLossBefore": state.eval_before,
        "evalLoss": eval_loss,
        "perplexityBefore": perplexity_of(state.eval_before),
        "perplexity": perplexity,
        "trainLossFinal": state.losses[-1][1] if state.losses else None,
        "steps": data.total_steps,
        "stepsPerEpoch": data.steps_per_epoch,
        "trainTokens": state.tokens_seen,
        "tokensPerSecond": state.tokens_seen / max(1e-9, state.train_seconds),
        "trainSeconds": state.train_seconds,
        "phaseSeconds": dict(ctx.timer.seconds),  # upload covers everything but metrics + manifest
        "device": str(accelerator.device),
        "processes": accelerator.num_processes,
        "mixedPrecision": accelerator.mixed_precision,
        **trained.parameters,  # parameterDtype, parameters, trainableParameters
        "peakGpuMemoryBytes": torch.cuda.max_memory_allocated() if accelerator.device.type == "cuda" else None,
        "hyperparameters": data.hyperparameters(config),
        "losses": state.losses,
        "stats": ctx.data_stats["users"],
        "data": ctx.data_stats.get("data") or {},  # posts, newPosts, date range, warmStartFrom
        "durationSeconds": round(time.time() - ctx.started, 3),  # up to the last upload
        **published_as(config),
    }


def measure_quality(ctx: RunContext, trained: TrainedModel, eval_loss: float,
                    base_texts: list[str] | None) -> dict[str, Any] | None:
    """quality/measure.py on the trained model; None without the base model's generations (not measured)."""
    if base_texts is None:
        return None
    ctx.timer.start("quality")
    model = ctx.accelerator.unwrap_model(trained.model, keep_torch_compile=False)
    return quality_measure.measure(model, trained.tokenizer, ctx.accelerator.device, ctx.data_dir, base_texts,
                                   seed=ctx.config.seed, loss_before=trained.state.eval_before, loss_after=eval_loss)


def publish_run(ctx: RunContext, trained: TrainedModel, data: TokenizedData, eval_loss: float,
                perplexity: float, *, base_texts: list[str] | None = None) -> dict[str, Any]:
    """save -> upload (metrics.json, then the manifest last) -> what follows the manifest; the run's summary."""
    quality = measure_quality(ctx, trained, eval_loss, base_texts)
    ctx.timer.start("save")
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="upload") as pool:
        early: list[Future[list[str]]] = []

        def upload_model_files(out: Path) -> None:  # the weights go up while samples and card are made
            early.append(pool.submit(upload_listed, ctx.client, out, relative_files(out), ctx.run_uri))

        out = save_run_files(ctx, trained, data, eval_loss, perplexity, quality=quality,
                             model_files_ready=upload_model_files)
        ctx.timer.start("upload")
        uploaded = [rel for future in early for rel in future.result()]
    rest = [rel for rel in relative_files(out) if rel not in set(uploaded)]
    uploaded = sorted([*uploaded, *upload_listed(ctx.client, out, rest, ctx.run_uri)])
    ctx.timer.stop()
    write_json(out / "metrics.json", {**run_metrics(ctx, trained, data, eval_loss, perplexity), "quality": quality})
    upload_files(ctx.client, [(out / "metrics.json", ctx.run_uri.child("metrics.json"))])
    manifest = build_manifest(out, [*uploaded, "metrics.json"], ctx.config.run_id, time.time())
    if ctx.config.owner:
        manifest["owner"] = asdict(Owner.parse(ctx.config.owner))
    upload_files(ctx.client, [(write_manifest(out, manifest), ctx.run_uri.child(MANIFEST))])
    after_manifest(ctx.config.hub_repo, ctx.config.hub_token_env, ctx.store, lambda: out)
    prune_older_runs(ctx)
    return {
        "runId": ctx.config.run_id,
        "modelURI": str(ctx.run_uri),
        "evalLossBefore": trained.state.eval_before,
        "evalLoss": eval_loss,
        "perplexity": perplexity,
        "stats": ctx.data_stats["users"],
        "data": data_summary(ctx.data_stats.get("data") or {}),
        "durationSeconds": round(time.time() - ctx.started, 3),
        **published_as(ctx.config),
        **with_quality(quality),
    }


def published_as(config: TrainConfig) -> dict[str, Any]:
    """What the run folder holds to serve: the full model, or (LoRA with merge off) only an adapter on baseModel.
    The operator serves the run from this, not from a spec that may have changed since."""
    adapter = config.lora_rank > 0 and not config.merge
    return {"published": "adapter" if adapter else "model", "baseModel": config.base_model,
            **({"loraRank": config.lora_rank} if config.lora_rank else {})}


PUBLISHED_KEYS = ("published", "baseModel", "loraRank")


def with_quality(quality: dict[str, Any] | None) -> dict[str, Any]:
    """The termination message's `quality` (status.quality), when the run measured it."""
    compact = quality_measure.summary(quality)
    return {"quality": compact} if compact else {}


def prune_older_runs(ctx: RunContext) -> None:
    """spec.output.keepRuns: this owner's older finished runs go once this one has its manifest."""
    if not (ctx.config.owner and ctx.config.keep_runs):
        return
    prefix = S3Uri.parse(ctx.config.output).as_dir()
    owner = Owner.parse(ctx.config.owner)
    for run_id in prune_runs(ctx.client, prefix, owner.uid, ctx.config.keep_runs, ctx.run_uri,
                             protect=ctx.config.protect_run):
        print(json.dumps({"event": "pruned", "runId": run_id}), flush=True)


def after_manifest(hub_repo: str | None, hub_token_env: str, store: CheckpointStore,
                   run_folder: Callable[[], Path]) -> None:
    """What follows the manifest, idempotent so that a retried attempt can redo it: drop the checkpoints, push
    to the hub (`run_folder` gives the finished run's files)."""
    store.clear()
    if hub_repo:
        push_to_hub(run_folder(), hub_repo, hub_token_env)


def downloaded_run(client: Any, run_uri: S3Uri, into: Path) -> Path:
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
        "data": data_summary(metrics.get("data") or {}),
        "durationSeconds": metrics.get("durationSeconds"),
        **{key: metrics[key] for key in PUBLISHED_KEYS if key in metrics},
        **with_quality(metrics.get("quality")),
    }


def perplexity_of(loss: float | None) -> float | None:
    return None if loss is None else math.exp(min(loss, 50.0))


def data_summary(data: dict[str, Any]) -> dict[str, Any]:
    """The termination message's `data` (status.data): counts and the newest post, small and bounded."""
    return {k: data[k] for k in ("posts", "newPosts", "deletedPosts", "newestPost", "warmStartFrom")
            if data.get(k) is not None}
