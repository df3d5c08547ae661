"""What the bots are doing, as metrics: one tweetbot_info series per TweetBot (its phase now), kube-state-metrics
style condition gauges, none left for a deleted TweetBot; the build info names the version."""

from __future__ import annotations

from prometheus_client import REGISTRY
from tweetbot_operator._version import __version__
from tweetbot_operator.ops import metrics


def sample(metric: str, **labels: str) -> float | None:
    return REGISTRY.get_sample_value(metric, labels)


def series(metric: str, **labels: str) -> list[dict[str, str]]:
    """Every sample of `metric` whose labels include `labels`."""
    return [s.labels for m in REGISTRY.collect() for s in m.samples
            if s.name == metric and labels.items() <= s.labels.items()]


def test_info_follows_the_phase_and_conditions():
    key = ("team-a", "bot1")
    ready = {"type": "Ready", "status": "False", "reason": "Training"}
    metrics.observe_status(key, {"phase": "Running", "conditions": [ready]})
    assert sample("tweetbot_info", namespace="team-a", name="bot1", phase="Running") == 1
    assert sample("tweetbot_condition", namespace="team-a", name="bot1", condition="Ready", status="False") == 1
    assert sample("tweetbot_condition", namespace="team-a", name="bot1", condition="Ready", status="True") == 0

    failed = {"type": "Failed", "status": "True", "reason": "NotEnoughPosts"}
    metrics.observe_status(key, {"phase": "Failed", "conditions": [{**ready, "status": "True"}, failed]})
    assert [s["phase"] for s in series("tweetbot_info", namespace="team-a", name="bot1")] == ["Failed"]
    assert sample("tweetbot_condition", namespace="team-a", name="bot1", condition="Ready", status="True") == 1
    assert sample("tweetbot_condition", namespace="team-a", name="bot1", condition="Failed", status="True") == 1

    metrics.observe_status(key, {"phase": "Pending"})  # a new run: the old conditions' series go too
    assert not series("tweetbot_condition", namespace="team-a", name="bot1")
    metrics.forget(key)
    assert not series("tweetbot_info", namespace="team-a", name="bot1")
    metrics.forget(key)  # twice is harmless (a delete seen by the poller and the watch)


def test_build_info_and_reconcile_histogram_exist():
    assert [s["version"] for s in series("tweetbot_build_info")] == [__version__]
    before = sample("tweetbot_reconcile_duration_seconds_count") or 0.0
    with metrics.RECONCILE_DURATION.time():
        pass
    assert sample("tweetbot_reconcile_duration_seconds_count") == before + 1
