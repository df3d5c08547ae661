"""deletionPolicy: Delete — stop the TweetBot's runs, run the cleanup Job, release the TweetBot.

Called by kopf's deletion handler, which holds the finalizer (TWEETBOT_FINALIZER) only for TweetBots with
deletionPolicy Delete. `kopf.TemporaryError` makes kopf call again later; returning releases the finalizer.
"""

from __future__ import annotations

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


async def release_artifacts(ctx: Context, tb: Mapping[str, Any]) -> None:
    meta = tb["metadata"]
    namespace, name = meta["namespace"], meta["name"]
    if validate_spec(tb.get("spec")):
        await ctx.post(tb, Event("Warning", "CleanupSkipped", "invalid spec: S3 artifacts were not deleted"))
        return

    # No run may write to S3 after the cleanup: stop the active ones first, with their pods (foreground), and
    # start the cleanup only when no trainer pod is left (a SIGTERMed trainer writes a last checkpoint).
    for job in await ctx.kube.list(jobs_path(namespace), base_labels(name, c.COMPONENT_TRAIN)):
        if is_owned_by(job, tb) and not is_finished(job) and not job["metadata"].get("deletionTimestamp"):
            await ctx.kube.delete(jobs_path(namespace, job["metadata"]["name"]), propagation="Foreground")
    trainers = [pod for pod in await ctx.kube.list(pods_path(namespace), base_labels(name, c.COMPONENT_TRAIN))
                if (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]  # ended: writes nothing
    if trainers:
        raise kopf.TemporaryError(f"waiting for {len(trainers)} trainer pod(s) to stop before the cleanup",
                                  delay=min(5.0, ctx.settings.poll_interval))

    cleanup = await ctx.kube.get(jobs_path(namespace, cleanup_job_name(name)))
    step = next_step(cleanup, ctx.clock(), ctx.settings.delete_timeout)
    if step is Step.CREATE:
        try:
            await ctx.kube.create(jobs_path(namespace), build_cleanup_job(tb, ctx.settings))
        except ApiError as exc:
            if exc.status != 409:
                raise
        await ctx.post(tb, Event("Normal", "CleanupStarted",
                                        f"deleting the runs under {tb['spec']['output']['s3']}"))
        raise kopf.TemporaryError("waiting for the cleanup Job", delay=ctx.settings.poll_interval)
    if step is Step.WAIT:
        raise kopf.TemporaryError("waiting for the cleanup Job", delay=ctx.settings.poll_interval)
    if step is Step.DONE:
        await ctx.post(tb, Event("Normal", "ArtifactsDeleted",
                                        f"deleted the runs under {tb['spec']['output']['s3']}"))
    elif step is Step.FAILED:
        await ctx.post(tb, Event("Warning", "CleanupFailed",
                                        f"S3 artifacts may remain: {failure_message(cleanup or {})}"))
    else:
        await ctx.post(tb, Event("Warning", "CleanupTimedOut",
                                        f"the cleanup Job took over {ctx.settings.delete_timeout:.0f}s; "
                                        "S3 artifacts may remain"))
