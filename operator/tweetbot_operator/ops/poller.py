"""The periodic look at active runs (pods: missing Secrets, log progress), scheduled TweetBots (cron) and
reconciles that failed where kopf does not retry (after a Job event).

A plain asyncio task rather than kopf timers: kopf timers put a finalizer on every object, and only
deletionPolicy: Delete should have one.
"""

from __future__ import annotations

import asyncio
import logging

from tweetbot_operator.context import Context, Key
from tweetbot_operator.ops import metrics
from tweetbot_operator.reconcile import reconcile

log = logging.getLogger(__name__)
CONCURRENCY = 16


async def poll_once(ctx: Context) -> None:
    keys = sorted(ctx.active | ctx.scheduled | ctx.retry)
    limit = asyncio.Semaphore(CONCURRENCY)

    async def one(key: Key) -> None:
        async with limit:
            try:
                await reconcile(ctx, key, read_logs=True)
            except Exception:  # one TweetBot's trouble must not stop the others'
                metrics.RECONCILE_ERRORS.labels(kind="poll").inc()
                log.exception("polling %s/%s failed", *key)

    await asyncio.gather(*(one(key) for key in keys))


async def poll_forever(ctx: Context) -> None:
    while True:
        await asyncio.sleep(ctx.settings.poll_interval)
        if ctx.is_leader():  # a paused replica leaves the runs to the one that serves
            await poll_once(ctx)
