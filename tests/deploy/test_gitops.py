"""GitOps health: the Argo CD Lua check (run by Lua 5.1, the dialect of Argo CD's gopher-lua) and the Flux CEL
expressions (run by cel-python the way kustomize-controller applies them) agree on the same TweetBot statuses."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import celpy
import pytest
import yaml
from lupa import lua51
from tweetbot_operator.training.status import derive_status

from tests.deploy.render import REPO, all_errors, load_all
from tests.operator.factories import SUCCESS_MESSAGE, condition, job, pod, terminated
from tests.operator.factories import tweetbot as make_tweetbot

ARGOCD = REPO / "gitops" / "argocd"
FLUX = REPO / "gitops" / "flux"
HEALTH_KEY = "resource.customizations.health.tweetbot.io_TweetBot"


def cond(ctype: str, status: str = "True", reason: str = "", message: str = "", generation: int = 3) -> dict[str, Any]:
    return {"type": ctype, "status": status, "reason": reason or ctype, "message": message,
            "observedGeneration": generation, "lastTransitionTime": "2026-11-25T13:00:00Z"}


def tweetbot(status: dict[str, Any] | None, generation: int = 3) -> dict[str, Any]:
    obj: dict[str, Any] = {"apiVersion": "tweetbot.io/v1alpha1", "kind": "TweetBot",
                           "metadata": {"name": "spiraltoo", "namespace": "bots", "generation": generation},
                           "spec": {"users": ["spiraltoo"], "source": {"archive": {"uri": "s3://b/a.zip"}},
                                    "output": {"s3": "s3://bots/spiraltoo/"}}}
    if status is not None:
        obj["status"] = {"observedGeneration": generation, **status}
    return obj


# name -> (object, Argo CD health, Flux status). None for Flux: an evaluation error (Flux retries).
SAMPLES: dict[str, tuple[dict[str, Any], str, str | None]] = {
    "no-status": (tweetbot(None), "Progressing", None),
    "pending": (tweetbot({"phase": "Pending", "conditions": [
        cond("Ready", "False", "JobCreated"), cond("Running", "False", "Pending")]}), "Progressing", "InProgress"),
    "running": (tweetbot({"phase": "Running", "progress": {"percent": 42.5}, "conditions": [
        cond("Ready", "False"), cond("Running", "True", "Training", "step 170 of 400")]}),
        "Progressing", "InProgress"),
    "succeeded": (tweetbot({"phase": "Succeeded", "modelURI": "s3://bots/spiraltoo/spiraltoo-g3/", "conditions": [
        cond("Ready", "True", "ModelReady"), cond("Running", "False", "Finished"),
        cond("Succeeded", "True", "ModelReady")]}), "Healthy", "Current"),
    "failed": (tweetbot({"phase": "Failed", "conditions": [
        cond("Ready", "False"), cond("Running", "False"),
        cond("Failed", "True", "NotEnoughPosts", "not enough posts: 12 kept, 100 needed")]}),
        "Degraded", "Failed"),
    "suspended": (tweetbot({"phase": "Suspended", "conditions": [
        cond("Running", "False"), cond("Suspended", "True", "Suspended", "spec.suspend is true")]}),
        "Suspended", "Current"),
    "suspended-after-failure": (tweetbot({"phase": "Suspended", "conditions": [
        cond("Failed", "True", "BackoffLimitExceeded"), cond("Suspended", "True")]}), "Suspended", "Current"),
    # The spec changed (generation 4) and the operator has not caught up: the old verdict no longer holds.
    "stale-succeeded": (tweetbot({"phase": "Succeeded", "observedGeneration": 3, "conditions": [
        cond("Succeeded", "True", generation=3)]}, generation=4), "Progressing", "InProgress"),
    "stale-failed": (tweetbot({"phase": "Failed", "observedGeneration": 3, "conditions": [
        cond("Failed", "True", generation=3)]}, generation=4), "Progressing", "InProgress"),
    # Status caught up, but a condition still describes the previous generation.
    "stale-condition": (tweetbot({"phase": "Pending", "conditions": [
        cond("Succeeded", "True", generation=2)]}), "Progressing", "InProgress"),
    "status-without-conditions": (tweetbot({"phase": "Pending"}), "Progressing", "InProgress"),
    # A model for this spec exists and a newer run (a scheduled retrain) trains: still healthy.
    "retraining-with-a-model": (tweetbot({"phase": "Running", "modelURI": "s3://bots/spiraltoo/r1/",
                                          "lastSuccessfulRun": {"runId": "r1", "generation": 3}, "conditions": [
        cond("Ready", "True", "Training"), cond("Running", "True", "Training")]}), "Healthy", "Current"),
    # ... and that newer run failed: Degraded (someone should look), the model still served.
    "failed-retrain-with-a-model": (tweetbot({"phase": "Failed", "modelURI": "s3://bots/spiraltoo/r1/",
                                              "lastSuccessfulRun": {"runId": "r1", "generation": 3}, "conditions": [
        cond("Ready", "True", "OOMKilled"), cond("Failed", "True", "OOMKilled")]}), "Degraded", "Failed"),
    # A model edit: the old model does not fit the new spec, so the new run is progress to wait for.
    "model-edit-with-an-older-model": (tweetbot({"phase": "Running", "modelURI": "s3://bots/spiraltoo/r1/",
                                                 "lastSuccessfulRun": {"runId": "r1", "generation": 2},
                                                 "conditions": [cond("Ready", "True", "Training"),
                                                                cond("Running", "True", "Training")]}),
                                       "Progressing", "InProgress"),
}


# ---------------------------------------------------------------------------------------------- Argo CD


@pytest.fixture(scope="module")
def health_lua() -> str:
    return (ARGOCD / "health.lua").read_text()


def argocd_health(script: str, obj: dict[str, Any]) -> dict[str, Any]:
    """Runs the health script as Argo CD does: `obj` a global table, the script's return value the verdict,
    without the os and io libraries (Argo CD's sandbox)."""
    lua = lua51.LuaRuntime(unpack_returned_tuples=True)
    lua.execute("os = nil; io = nil; require = nil; dofile = nil; loadfile = nil")
    lua.globals().obj = lua.table_from(obj, recursive=True)
    result = lua.execute(script)
    return dict(result.items())


def test_argocd_cm_carries_the_health_script(health_lua: str):
    [cm] = load_all((ARGOCD / "argocd-cm.yaml").read_text())
    assert (cm["kind"], cm["metadata"]["name"], cm["metadata"]["namespace"]) == ("ConfigMap", "argocd-cm", "argocd")
    assert cm["data"][HEALTH_KEY] == health_lua, "run scripts/sync-copies.sh"


@pytest.mark.parametrize("name", SAMPLES)
def test_argocd_health(health_lua: str, name: str):
    obj, expected, _ = SAMPLES[name]
    verdict = argocd_health(health_lua, obj)
    assert verdict["status"] == expected
    assert isinstance(verdict["message"], str) and verdict["message"]


def test_argocd_messages_say_what_happened(health_lua: str):
    assert argocd_health(health_lua, SAMPLES["failed"][0])["message"] == (
        "NotEnoughPosts: not enough posts: 12 kept, 100 needed")
    assert argocd_health(health_lua, SAMPLES["succeeded"][0])["message"] == (
        "Model at s3://bots/spiraltoo/spiraltoo-g3/")
    assert "42.5%" in argocd_health(health_lua, SAMPLES["running"][0])["message"]
    assert "generation 4" in argocd_health(health_lua, SAMPLES["stale-succeeded"][0])["message"]


def test_argocd_application_manifests_are_well_formed():
    apps = load_all((ARGOCD / "application.yaml").read_text())
    assert [a["kind"] for a in apps] == ["Application", "Application"]
    operator = apps[0]["spec"]["source"]
    assert operator["path"] == "charts/tweetbot-operator"
    assert (REPO / operator["path"] / "Chart.yaml").is_file()
    assert "ServerSideApply=true" in apps[0]["spec"]["syncPolicy"]["syncOptions"]
    assert all_errors([yaml.safe_load((ARGOCD / "argocd-cm.yaml").read_text())]) == []


# ---------------------------------------------------------------------------------------------- Flux


@pytest.fixture(scope="module")
def flux_exprs() -> dict[str, str]:
    docs = load_all((FLUX / "tweetbots.yaml").read_text())
    [kustomization] = [d for d in docs if d["kind"] == "Kustomization"]
    assert kustomization["spec"]["wait"] is True
    [check] = kustomization["spec"]["healthCheckExprs"]
    assert (check["apiVersion"], check["kind"]) == ("tweetbot.io/v1alpha1", "TweetBot")
    return {k: check[k] for k in ("inProgress", "failed", "current")}


def flux_status(exprs: dict[str, str], obj: dict[str, Any]) -> str | None:
    """kustomize-controller's CEL status reader (RFC-0009): a status.observedGeneration that differs from
    metadata.generation is InProgress; else the first true of inProgress, failed, current; else InProgress.
    The object's top-level fields are the CEL variables. None: an evaluation error.
    Flux's CEL cannot test a top-level field with has() (its docs); cel-python can, so a missing one that the
    expressions use is treated as the error it is in Flux."""
    if any(re.search(rf"\b{name}\.", text) for text in exprs.values() for name in {"status", "spec"} - set(obj)):
        return None
    status = obj.get("status", {})
    if "observedGeneration" in status and status["observedGeneration"] != obj["metadata"]["generation"]:
        return "InProgress"
    env = celpy.Environment()
    activation = {key: celpy.json_to_cel(value) for key, value in obj.items()}
    for key, verdict in (("inProgress", "InProgress"), ("failed", "Failed"), ("current", "Current")):
        result = env.program(env.compile(exprs[key])).evaluate(activation)
        if isinstance(result, celpy.CELEvalError):
            return None
        if result:
            return verdict
    return "InProgress"


def test_flux_expressions_compile(flux_exprs: dict[str, str]):
    env = celpy.Environment()
    for text in flux_exprs.values():
        env.compile(text)


@pytest.mark.parametrize("name", SAMPLES)
def test_flux_health(flux_exprs: dict[str, str], name: str):
    obj, _, expected = SAMPLES[name]
    assert flux_status(flux_exprs, obj) == expected


def test_flux_and_argocd_agree(flux_exprs: dict[str, str], health_lua: str):
    same = {"Healthy": "Current", "Suspended": "Current", "Progressing": "InProgress", "Degraded": "Failed"}
    for name, (obj, _, _) in SAMPLES.items():
        flux = flux_status(flux_exprs, obj)
        if flux is not None:
            assert flux == same[argocd_health(health_lua, obj)["status"]], name


def test_flux_operator_kustomization_points_at_the_manifests():
    docs = load_all((FLUX / "tweetbot-operator.yaml").read_text())
    [kustomization] = [d for d in docs if d["kind"] == "Kustomization"]
    path = kustomization["spec"]["path"]
    assert (REPO / Path(path) / "kustomization.yaml").is_file()
    source, bots = load_all((FLUX / "tweetbots.yaml").read_text())
    assert bots["spec"]["dependsOn"] == [{"name": kustomization["metadata"]["name"]}]
    assert bots["spec"]["sourceRef"] == {"kind": source["kind"], "name": source["metadata"]["name"]}


# ---------------------------------------------------------------------------------------------- real statuses


def operator_statuses() -> dict[str, tuple[dict[str, Any], str, str]]:
    """Statuses as the operator writes them (its pure derive_status), with the expected Argo CD and Flux
    verdicts: the health checks read what the operator really produces."""
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    failure = {"status": "failed", "reason": "NotEnoughPosts", "message": "not enough posts: 12 < 100"}
    cases = {
        "creating": (None, [], False, "Progressing", "InProgress"),
        "starting": (job(active=1), [pod(state={"waiting": {"reason": "ContainerCreating"}})], False,
                     "Progressing", "InProgress"),
        "running": (job(active=1, ready=1), [pod()], False, "Progressing", "InProgress"),
        "succeeded": (job(conditions=[condition("Complete")], succeeded=1),
                      [pod(phase="Succeeded", state=terminated(SUCCESS_MESSAGE))], False, "Healthy", "Current"),
        "failed": (job(conditions=[condition("Failed", "PodFailurePolicy")], failed=1),
                   [pod(phase="Failed", state=terminated(failure, exit_code=2))], False, "Degraded", "Failed"),
        "suspended": (job(suspend=True), [], True, "Suspended", "Current"),
    }
    out = {}
    for name, (the_job, pods, suspend, argo, flux) in cases.items():
        tb = make_tweetbot(generation=2)
        if suspend:
            tb["spec"]["suspend"] = True
        tb["status"] = derive_status(tb, the_job, pods, now)
        out[name] = (tb, argo, flux)
    return out


@pytest.mark.parametrize("name", ["creating", "starting", "running", "succeeded", "failed", "suspended"])
def test_health_of_statuses_the_operator_writes(health_lua: str, flux_exprs: dict[str, str], name: str):
    obj, argo, flux = operator_statuses()[name]
    assert argocd_health(health_lua, obj)["status"] == argo
    assert flux_status(flux_exprs, obj) == flux
    obj["metadata"]["generation"] = 3  # the user edits the spec: stale until the operator catches up
    assert argocd_health(health_lua, obj)["status"] == "Progressing"
    assert flux_status(flux_exprs, obj) == "InProgress"


def test_health_while_the_operator_retrains_beside_a_good_model(health_lua: str, flux_exprs: dict[str, str]):
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    tb = make_tweetbot(generation=2)
    tb["status"] = derive_status(tb, job(conditions=[condition("Complete")], succeeded=1),
                                 [pod(phase="Succeeded", state=terminated(SUCCESS_MESSAGE))], now)
    # A scheduled retrain of the same spec: the model fits it, the TweetBot stays healthy.
    tb["status"] = derive_status(tb, job("spiraltoo-g2-202611250300", active=1, ready=1),
                                 [pod("spiraltoo-g2-202611250300-abcde")], now)
    assert tb["status"]["phase"] == "Running" and tb["status"]["modelURI"] == SUCCESS_MESSAGE["modelURI"]
    assert argocd_health(health_lua, tb)["status"] == "Healthy" and flux_status(flux_exprs, tb) == "Current"
    # A model edit: the new run is what GitOps waits for, though the old model stays in status.
    tb["metadata"]["generation"] = 3
    tb["status"] = derive_status(tb, job("spiraltoo-g3", active=1, ready=1), [pod("spiraltoo-g3-abcde")], now)
    assert tb["status"]["modelURI"] == SUCCESS_MESSAGE["modelURI"]
    assert argocd_health(health_lua, tb)["status"] == "Progressing" and flux_status(flux_exprs, tb) == "InProgress"
