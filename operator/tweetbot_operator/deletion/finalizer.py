"""deletionPolicy: Delete — stop the TweetBot's runs, run the cleanup Job, release the TweetBot.

Called by kopf's deletion handler, which holds the finalizer (TWEETBOT_FINALIZER) only for TweetBots with
deletionPolicy Delete. `kopf.TemporaryError` makes kopf call again later; returning releases the finalizer.

The cleanup Job is not owned by the TweetBot: under foreground deletion the garbage collector deletes the
dependents of an object being deleted, so an owned cleanup Job would be deleted and recreated forever. It is
labelled with the TweetBot's uid and deleted here when it is done. In a terminating namespace nothing can be
created (403 NamespaceTerminating): the TweetBot is released at once, with a Warning saying what was left.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import kopf

from tweetbot_operator.context import Context
from tweetbot_operator.deletion.cleanup import Step, failure_message, next_step
from tweetbot_operator.deletion.cleanup_job import build_cleanup_job
from tweetbot_operator.k8s.client import ApiError, jobs_path, pods_path
from tweetbot_operator.k8s.events import Event
from tweetbot_operator.k8s.owned import base_labels, is_owned_by
from tweetbot_operator.spec import constants as c
from tweetbot_operator.spec.naming import cleanup_job_name
from tweetbot_operator.spec.validation import validate_spec
from tweetbot_operator.training.runs import is_finished

log = logging.getLogger(__name__)


def namespace_terminating(exc: ApiError) -> bool:
    """The API server's NamespaceLifecycle answer: 403, `... because it is being terminated`
    (details.causes[].reason NamespaceTerminating)."""
    return exc.status == 403 and ("being terminated" in exc.message or "NamespaceTerminating" in str(exc))


async def release_artifacts(ctx: Context, tb: Mapping[str, Any]) -> None:
    meta = tb["metadata"]
    namespace, name = meta["namespace"], meta["name"]
    if validate_spec(tb.get("spec")):
        await ctx.post(tb, Event("Warning", "CleanupSkipped", "invalid spec: S3 artifacts were not deleted"))
        return
    await _stop_runs(ctx, tb)
    path = jobs_path(namespace, cleanup_job_name(name))
    cleanup = await ctx.kube.get(path)
    if cleanup is not None and not _ours(cleanup, tb):
        # A same-named earlier TweetBot's, never this one's: gone before this one's starts.
        if not cleanup["metadata"].get("deletionTimestamp"):
            await ctx.kube.delete(path, propagation="Background")
        raise kopf.TemporaryError("waiting for an earlier cleanup Job to go", delay=ctx.settings.poll_interval)
    step = next_step(cleanup, ctx.clock(), ctx.settings.delete_timeout)
    output = tb["spec"]["output"]["s3"]
    if step is Step.CREATE:
        try:
            await ctx.kube.create(jobs_path(namespace), build_cleanup_job(tb, ctx.settings))
        except ApiError as exc:
            if namespace_terminating(exc):
                message = (f"namespace {namespace} is being deleted, so the cleanup Job cannot run: the runs under "
                           f"{output} were left in S3 (delete them with `tweetbot-train delete --owner "
                           f"{namespace}/{name}/{meta.get('uid')}`)")
                log.warning("%s/%s: %s", namespace, name, message)
                await ctx.post(tb, Event("Warning", "CleanupSkipped", message))  # refused too there: logged
                return
            if exc.status != 409:
                raise
        await ctx.post(tb, Event("Normal", "CleanupStarted", f"deleting the runs under {output}"))
        raise kopf.TemporaryError("waiting for the cleanup Job", delay=ctx.settings.poll_interval)
    if step is Step.WAIT:
        raise kopf.TemporaryError("waiting for the cleanup Job", delay=ctx.settings.poll_interval)
    if step is Step.DONE:
        await ctx.post(tb, Event("Normal", "ArtifactsDeleted", f"deleted the runs under {output}"))
    elif step is Step.FAILED:
        await ctx.post(tb, Event("Warning", "CleanupFailed",
                                 f"S3 artifacts may remain: {failure_message(cleanup or {})}"))
    else:
        await ctx.post(tb, Event("Warning", "CleanupTimedOut",
                                 f"the cleanup Job took over {ctx.settings.delete_timeout:.0f}s; "
                                 "S3 artifacts may remain"))
    # Not a dependent, so not garbage-collected: deleted here, its pods with it (a timed-out one is stopped).
    await ctx.kube.delete(path, propagation="Background")


def _ours(cleanup: Mapping[str, Any], tb: Mapping[str, Any]) -> bool:
    """This TweetBot's cleanup Job: its uid label (an older operator's Job: its owner reference)."""
    label = (cleanup["metadata"].get("labels") or {}).get(c.LABEL_OWNER_UID)
    return label == tb["metadata"].get("uid") if label else is_owned_by(cleanup, tb)


async def _stop_runs(ctx: Context, tb: Mapping[str, Any]) -> None:
    """No run may write to S3 after the cleanup: stop the active ones first, with their pods (foreground), and
    start the cleanup only when no trainer pod is left (a SIGTERMed trainer writes a last checkpoint)."""
    namespace, name = tb["metadata"]["namespace"], tb["metadata"]["name"]
    for job in await ctx.kube.list(jobs_path(namespace), base_labels(name, c.COMPONENT_TRAIN)):
        if is_owned_by(job, tb) and not is_finished(job) and not job["metadata"].get("deletionTimestamp"):
            await ctx.kube.delete(jobs_path(namespace, job["metadata"]["name"]), propagation="Foreground")
    trainers = [pod for pod in await ctx.kube.list(pods_path(namespace), base_labels(name, c.COMPONENT_TRAIN))
                if (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]  # ended: writes nothing
    if trainers:
        raise kopf.TemporaryError(f"waiting for {len(trainers)} trainer pod(s) to stop before the cleanup",
                                  delay=min(5.0, ctx.settings.poll_interval))
