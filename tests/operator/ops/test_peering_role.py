"""This replica's peering role, read from the peering object's status the way kopf reads it, and what the health
endpoints answer for each role."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tweetbot_operator.ops.health import health_answer
from tweetbot_operator.ops.peering import (
    ACTIVE,
    FROZEN,
    STANDBY,
    STARTING,
    PeerState,
    Role,
    peer_role,
    peering_paths,
    seniority_priority,
)

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def record(priority: int, seen_ago: float = 1.0, lifetime: int = 60) -> dict[str, object]:
    return {"priority": priority, "lifetime": lifetime, "lastseen": (NOW - timedelta(seconds=seen_ago)).isoformat()}


def test_the_older_replica_gets_the_higher_priority_and_ties_break_on_the_identity():
    assert seniority_priority("pod-a", 1_000) > seniority_priority("pod-b", 1_001)
    assert seniority_priority("pod-a", 1_000) != seniority_priority("pod-b", 1_000)
    assert seniority_priority("pod-a", 4_102_444_800_000) < 2**53  # year 2100: still exact in JSON


def test_role_follows_kopfs_rules():
    me = {"me": record(5)}
    assert peer_role({"p": me}, "me", 5, NOW).role == ACTIVE
    assert peer_role({"p": me | {"old": record(9)}}, "me", 5, NOW).role == STANDBY
    assert peer_role({"p": me | {"low": record(1)}}, "me", 5, NOW).role == ACTIVE
    frozen = peer_role({"p": me | {"twin": record(5)}}, "me", 5, NOW)
    assert frozen.role == FROZEN and "twin" in frozen.reason
    # A SIGKILLed peer's record counts until its lastseen + lifetime: then this replica takes over.
    assert peer_role({"p": me | {"old": record(9, seen_ago=61)}}, "me", 5, NOW).role == ACTIVE
    assert peer_role({"p": me | {"old": record(9, seen_ago=59)}}, "me", 5, NOW).role == STANDBY
    missing = peer_role({"ns1/tb": me, "ns2/tb": None}, "me", 5, NOW)
    assert missing.role == FROZEN and "ns2/tb" in missing.reason


def test_namespaced_operators_join_one_peering_object_per_namespace():
    assert peering_paths("tb", ()) == {"tb": "/apis/kopf.dev/v1/clusterkopfpeerings/tb"}
    assert peering_paths("tb", ("a",)) == {"a/tb": "/apis/kopf.dev/v1/namespaces/a/kopfpeerings/tb"}


def test_health_tells_a_frozen_replica_from_a_standby():
    state = PeerState(identity="me", priority=5)
    assert health_answer(state, 60)[:2] == (200, 503)  # starting: alive, not ready yet
    assert state.current.role == STARTING
    state.set(Role(STANDBY, "paused in favour of old"))
    assert health_answer(state, 60)[:2] == (200, 200)
    state.set(Role(FROZEN, "same priority"))
    assert health_answer(state, 60)[:2] == (200, 503)  # frozen, within the grace
    state.since -= 61
    alive, ready, body = health_answer(state, 60)
    assert (alive, ready, body["role"]) == (503, 503, FROZEN)
    state.set(Role(ACTIVE, "no live peer with a higher priority"))
    assert health_answer(state, 60)[:2] == (200, 200) and state.is_leader
    standalone = PeerState(identity="me", priority=0, standalone=True)
    assert health_answer(standalone, 60)[:2] == (200, 200) and standalone.is_leader
