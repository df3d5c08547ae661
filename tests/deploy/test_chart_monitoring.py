"""The chart's PrometheusRule and Grafana dashboard ask only for metrics the operator exports, and logLevel
reaches the operator."""

from __future__ import annotations

import json
import re

import pytest
from prometheus_client import REGISTRY
from tweetbot_operator.ops import metrics  # noqa: F401 - registers the operator's metrics
from tweetbot_operator.settings import Settings, SettingsError

from tests.deploy.render import by_kind, container_env, helm_template, one

SUFFIXES = ("_bucket", "_count", "_sum", "_total", "_created")


def exported() -> set[str]:
    names = set()
    for family in REGISTRY.collect():
        if family.name.startswith("tweetbot_"):
            names |= {family.name, *(family.name + s for s in SUFFIXES)}
    return names


def used(expr: str) -> set[str]:
    return set(re.findall(r"\btweetbot_[a-z_]+", expr))


@pytest.fixture(scope="module")
def monitoring():
    return helm_template("--set", "prometheusRule.enabled=true", "--set", "grafanaDashboard.enabled=true",
                         "--set", "logLevel=debug", "--set", "prometheusRule.labels.release=prom")


def test_alerts_use_exported_metrics(monitoring):
    rule = one(monitoring, "PrometheusRule")
    assert rule["metadata"]["labels"]["release"] == "prom"
    rules = {r["alert"]: r for r in rule["spec"]["groups"][0]["rules"]}
    assert {"TweetBotRunFailed", "TweetBotStuckPending", "TweetBotReconcileErrors"} <= set(rules)
    assert rules["TweetBotStuckPending"]["for"] == "30m"
    for name, r in rules.items():
        assert used(r["expr"]) and used(r["expr"]) <= exported(), name


def dashboards(objects):
    """The Grafana dashboard ConfigMaps (the chart has another: the blocked handles list)."""
    return [o for o in by_kind(objects, "ConfigMap") if (o["metadata"].get("labels") or {}).get("grafana_dashboard")]


def test_dashboard_queries_use_exported_metrics(monitoring):
    [config_map] = dashboards(monitoring)
    assert config_map["metadata"]["labels"]["grafana_dashboard"] == "1"
    dashboard = json.loads(config_map["data"]["tweetbot.json"])
    exprs = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    assert len(exprs) >= 8
    names = set().union(*map(used, exprs))
    assert names <= exported()
    assert {"tweetbot_info", "tweetbot_condition", "tweetbot_reconcile_duration_seconds_bucket"} <= names


def test_neither_unless_asked():
    objects = helm_template()
    assert not by_kind(objects, "PrometheusRule") and not dashboards(objects)


def test_log_level_reaches_the_operator(monitoring):
    env = container_env(one(monitoring, "Deployment"))
    assert Settings.from_env(env).log_level == "debug"
    with pytest.raises(SettingsError, match="TWEETBOT_LOG_LEVEL"):
        Settings.from_env({**env, "TWEETBOT_LOG_LEVEL": "chatty"})
