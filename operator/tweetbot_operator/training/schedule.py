"""Cron runs (spec.schedule): which slot, if any, should start a run now. Pure; times are UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from croniter import croniter

STARTING_DEADLINE = timedelta(minutes=5)  # as a CronJob's startingDeadlineSeconds: later, the slot is skipped


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def parse_slot(label: str | None) -> datetime | None:
    if not label:
        return None
    return datetime.strptime(label, "%Y%m%d%H%M").replace(tzinfo=UTC)


def latest_slot(schedule: str, now: datetime) -> datetime:
    """The newest cron time at or before `now`."""
    slot: datetime = croniter(schedule, now + timedelta(seconds=1)).get_prev(datetime)
    return slot.astimezone(UTC)


def due_slot(
    schedule: str,
    now: datetime,
    *,
    created: datetime,
    last_slot: datetime | None,
    run_active: bool,
    deadline: timedelta = STARTING_DEADLINE,
) -> datetime | None:
    """The slot to start now: the latest one, when it is after the TweetBot's creation and the last scheduled
    run, no run is active (at most one at a time) and it is not older than `deadline` (missed slots, e.g. while
    the operator was down or a run was still active, are skipped rather than run late)."""
    slot = latest_slot(schedule, now)
    if slot <= created or (last_slot is not None and slot <= last_slot):
        return None
    if run_active or now - slot > deadline:
        return None
    return slot
