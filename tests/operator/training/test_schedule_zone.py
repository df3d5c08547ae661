"""spec.timeZone (issue 29, item 6): the schedule's fields are read in an IANA zone, as a CronJob's timeZone."""

from __future__ import annotations

from datetime import UTC, datetime

from tweetbot_operator.spec.fields import placement_hash, run_spec_hash
from tweetbot_operator.spec.validation import validate_spec
from tweetbot_operator.training.schedule import due_slot, latest_slot

from tests.operator.factories import SCHEMA, tweetbot
from tests.support.k8s_schema import admit


def test_the_fields_are_wall_clock_time_in_the_zone_daylight_saving_included():
    # 03:00 in Berlin is 02:00 UTC in winter (CET) and 01:00 UTC in summer (CEST).
    winter = latest_slot("0 3 * * *", datetime(2026, 1, 15, 12, 0, tzinfo=UTC), "Europe/Berlin")
    summer = latest_slot("0 3 * * *", datetime(2026, 7, 15, 12, 0, tzinfo=UTC), "Europe/Berlin")
    assert winter == datetime(2026, 1, 15, 2, 0, tzinfo=UTC) and summer == datetime(2026, 7, 15, 1, 0, tzinfo=UTC)
    assert latest_slot("0 3 * * *", datetime(2026, 7, 15, 12, 0, tzinfo=UTC)) == datetime(2026, 7, 15, 3, 0, tzinfo=UTC)


def test_a_slot_is_due_at_the_zones_time():
    now = datetime(2026, 7, 15, 1, 2, tzinfo=UTC)  # 03:02 in Berlin
    created = datetime(2026, 7, 1, tzinfo=UTC)
    assert due_slot("0 3 * * *", now, created=created, last_slot=None, run_active=False,
                    zone="Europe/Berlin") == datetime(2026, 7, 15, 1, 0, tzinfo=UTC)
    assert due_slot("0 3 * * *", now, created=created, last_slot=None, run_active=False) is None  # UTC: not yet


def test_an_unknown_zone_is_an_invalid_spec_and_the_field_is_in_place():
    errors = validate_spec(tweetbot(schedule="0 3 * * *", timeZone="Mars/Olympus")["spec"])
    assert errors == ["spec.timeZone is not a known IANA time zone: 'Mars/Olympus' (e.g. Europe/Berlin)"]
    spec = tweetbot(schedule="0 3 * * *")["spec"]
    zoned = {**spec, "timeZone": "Europe/Berlin"}
    assert run_spec_hash(zoned) == run_spec_hash(spec) and placement_hash(zoned) == placement_hash(spec)
    stored, errors = admit(SCHEMA, tweetbot(schedule="0 3 * * *", timeZone="Europe/Berlin"))
    assert errors == [] and stored["spec"]["timeZone"] == "Europe/Berlin"
