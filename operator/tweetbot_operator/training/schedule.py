"""Cron runs (spec.schedule): which slot, if any, should start a run now. Pure; times are UTC, the cron fields are
read in spec.timeZone (UTC when unset), as a CronJob's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

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


def latest_slot(schedule: str, now: datetime, zone: str | None = None) -> datetime:
    """The newest cron time at or before `now`, the fields read as wall-clock time in `zone` (an IANA name)."""
    local = (now + timedelta(seconds=1)).astimezone(ZoneInfo(zone) if zone else UTC)
    slot: datetime = croniter(schedule, local).get_prev(datetime)
    return slot.astimezone(UTC)


def due_slot(
    schedule: str,
    now: datetime,
    *,
    created: datetime,
    last_slot: datetime | None,
    run_active: bool,
    deadline: timedelta = STARTING_DEADLINE,
    zone: str | None = None,
) -> datetime | None:
    """The slot to start now: the latest one, when it is after the TweetBot's creation and the last scheduled
    run, no run is active (at most one at a time) and it is not older than `deadline` (missed slots, e.g. while
    the operator was down or a run was still active, are skipped rather than run late)."""
    slot = latest_slot(schedule, now, zone)
    if slot <= created or (last_slot is not None and slot <= last_slot):
        return None
    if run_active or now - slot > deadline:
        return None
    return slot
