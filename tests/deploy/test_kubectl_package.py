"""kubectl-tweetbot is its own light package: no torch, no trainer; kubectl's flags; -o json|yaml; rank 0's log;
shell completion. One test installs it alone into a fresh venv, as a user would (bench/kubectl_plugin_install.py
also measures the install's wall time and the bytecode pip compiles)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from tests.deploy.render import REPO

PLUGIN = REPO / "kubectl-tweetbot"
HEAVY = {"torch", "transformers", "accelerate", "peft", "tweetbot-trainer", "matplotlib", "nvidia-cudnn-cu12"}


def plugin(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kubectl_tweetbot", *args], capture_output=True, text=True,
                          timeout=60, check=False, cwd=REPO, env={**os.environ, "PYTHONPATH": str(PLUGIN), **env})


def test_imports_with_torch_and_the_trainer_blocked():
    code = ("import sys, pkgutil, importlib\n"
            "for name in ('torch', 'transformers', 'tweetbot_trainer'): sys.modules[name] = None\n"
            "import kubectl_tweetbot\n"
            "for m in pkgutil.iter_modules(kubectl_tweetbot.__path__):\n"
            "    if m.name != '__main__': importlib.import_module('kubectl_tweetbot.' + m.name)\n"
            "from kubectl_tweetbot.cli import main\n"
            "assert main(['completion', 'bash']) == 0\n"
            "print(sorted(m for m in sys.modules if m.startswith('kubectl_tweetbot')))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False,
                          env={**os.environ, "PYTHONPATH": str(PLUGIN)})
    assert proc.returncode == 0, proc.stderr
    assert "kubectl_tweetbot.download" in proc.stdout and "kubectl_tweetbot.cluster" in proc.stdout


def test_declares_only_the_kubernetes_client_and_boto3():
    project = tomllib.loads((PLUGIN / "pyproject.toml").read_text())["project"]
    assert [d.split(">")[0] for d in project["dependencies"]] == ["kubernetes", "boto3"]
    assert project["scripts"] == {"kubectl-tweetbot": "kubectl_tweetbot.cli:main"}
    trainer = tomllib.loads((REPO / "trainer" / "pyproject.toml").read_text())["project"]
    assert "kubectl" not in trainer.get("optional-dependencies", {}) and "kubectl-tweetbot" not in trainer["scripts"]


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


@pytest.mark.slow
def test_installed_alone_in_a_fresh_venv(tmp_path: Path):
    """`python -m venv` + `pip install ./kubectl-tweetbot` (PyPI, or pip's cache): no torch, the CLI runs from
    the venv alone. The venv is made without pip (pip installs into it with `--python`), so every distribution in
    it came with the plugin; `--no-compile` halves the time (bytecode is not what this checks)."""
    source = tmp_path / "kubectl-tweetbot"  # a copy: pip builds in the source tree (build/, *.egg-info)
    shutil.copytree(PLUGIN, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
    python = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}}
    proc = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                           "--disable-pip-version-check", "--no-compile", str(source)],
                          capture_output=True, text=True, timeout=300, check=False, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    listed = subprocess.run([str(python), "-c", "import importlib.metadata as m; "
                             "print('\\n'.join(sorted(d.metadata['Name'].lower() for d in m.distributions())))"],
                            capture_output=True, text=True, timeout=60, check=True, env=env).stdout.split()
    listed = sorted({re.sub(r"[-_.]+", "-", name) for name in listed})  # PEP 503 names: typing-extensions
    site = next((venv / "lib").glob("python3*/site-packages"))
    size = folder_mb(site)
    print(f"kubectl-tweetbot alone in a fresh venv: {len(listed)} distributions, site-packages {size:.0f} MB "
          f"(without bytecode): {' '.join(listed)}")
    assert {"kubectl-tweetbot", "kubernetes", "boto3"} <= set(listed)
    assert not set(listed) & HEAVY and not any(n.startswith("nvidia-") for n in listed)
    assert not (site / "torch").exists()
    assert len(listed) <= 40 and size < 250  # measured: 32 and 133 MB; the trainer's extra pulled 73 and 1.36 GB
    cli = venv / "bin" / "kubectl-tweetbot"
    version = subprocess.run([str(cli), "--version"], capture_output=True, text=True, timeout=60, check=True,
                             env=env, cwd=tmp_path)
    assert version.stdout.strip() == f"kubectl-tweetbot {(REPO / 'VERSION').read_text().strip()}"
    shown = subprocess.run([str(cli), "--help"], capture_output=True, text=True, timeout=60, check=True, env=env,
                           cwd=tmp_path)
    assert all(word in shown.stdout for word in ("get", "logs", "download", "--kubeconfig", "--context"))


def test_help_is_complete():
    top = plugin("--help")
    assert top.returncode == 0
    for word in ("get", "logs", "download", "generate", "completion", "--namespace", "--context", "--kubeconfig",
                 "examples:"):
        assert word in top.stdout
    for command, flags in {"get": ["--output", "--all-namespaces"], "logs": ["--follow", "--rank"]}.items():
        text = plugin(command, "--help").stdout
        assert all(f in text for f in [*flags, "--namespace", "--kubeconfig"]), command
    assert plugin("--version").stdout.strip() == f"kubectl-tweetbot {(REPO / 'VERSION').read_text().strip()}"


def test_connection_flags_before_or_after_the_command():
    from kubectl_tweetbot.cli import build_parser

    parser = build_parser()
    for argv in (["-n", "ns1", "--context", "c", "get"], ["get", "-n", "ns1", "--context", "c"]):
        args = parser.parse_args(argv)
        assert (args.namespace, args.context, args.kubeconfig) == ("ns1", "c", None)


def test_kubeconfig_and_context_choose_the_default_namespace(tmp_path: Path):
    from kubectl_tweetbot.cluster import Cluster

    config = tmp_path / "kubeconfig"
    config.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "a",
        "clusters": [{"name": "c", "cluster": {"server": "https://127.0.0.1:1"}}],
        "users": [{"name": "u", "user": {"token": "t"}}],
        "contexts": [{"name": "a", "context": {"cluster": "c", "user": "u", "namespace": "ns-a"}},
                     {"name": "b", "context": {"cluster": "c", "user": "u", "namespace": "ns-b"}}]}))
    assert Cluster(None, str(config)).default_namespace == "ns-a"
    assert Cluster("b", str(config)).default_namespace == "ns-b"


class FakeCluster:
    default_namespace = "team"

    def __init__(self) -> None:
        self.asked: list[tuple[str, str, bool, int]] = []

    def tweetbot(self, namespace: str, name: str) -> dict[str, Any]:
        return {"apiVersion": "tweetbot.io/v1alpha1", "kind": "TweetBot",
                "metadata": {"name": name, "namespace": namespace}, "status": {"jobName": f"{name}-g1"}}

    def tweetbots(self, namespace: str | None) -> list[dict[str, Any]]:
        return [self.tweetbot(namespace or "x", n) for n in ("a", "b")]

    def trainer_log(self, namespace: str, job: str, follow: bool = False, rank: int = 0) -> list[str]:
        self.asked.append((namespace, job, follow, rank))
        return ["line 1\n", "line 2\n"]


@pytest.mark.parametrize("output", ["json", "yaml"])
def test_get_output_formats(output: str, capsys: pytest.CaptureFixture[str]):
    from kubectl_tweetbot.cli import build_parser, run

    load = json.loads if output == "json" else yaml.safe_load
    assert run(build_parser().parse_args(["get", "bot", "-o", output]), FakeCluster()) == 0
    assert load(capsys.readouterr().out)["metadata"] == {"name": "bot", "namespace": "team"}
    assert run(build_parser().parse_args(["get", "-o", output]), FakeCluster()) == 0
    listed = load(capsys.readouterr().out)
    assert listed["kind"] == "List" and [i["metadata"]["name"] for i in listed["items"]] == ["a", "b"]


def test_logs_follow_streams_rank_0(capsys: pytest.CaptureFixture[str]):
    from kubectl_tweetbot.cli import build_parser, run

    cluster = FakeCluster()
    assert run(build_parser().parse_args(["logs", "-f", "bot"]), cluster) == 0
    assert cluster.asked == [("team", "bot-g1", True, 0)] and capsys.readouterr().out == "line 1\nline 2\n"


def test_rank_0_is_the_pod_with_completion_index_0():
    from kubectl_tweetbot.cluster import INDEX_KEY, pick_pod

    def pod(name: str, index: str | None, created: str) -> SimpleNamespace:
        labels = {INDEX_KEY: index} if index is not None else {}
        return SimpleNamespace(metadata=SimpleNamespace(name=name, labels=labels, annotations={},
                                                        creation_timestamp=created))

    pods = [pod("r1", "1", "2026-01-03"), pod("r0-old", "0", "2026-01-01"), pod("r0", "0", "2026-01-02")]
    assert pick_pod(pods, 0).metadata.name == "r0"  # the retry's pod, not the failed one
    assert pick_pod(pods, 1).metadata.name == "r1"
    assert pick_pod(pods, 2) is None
    assert pick_pod([pod("single", None, "x")], 0).metadata.name == "single"  # a one-pod Job has no index


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_completion_script_completes_commands_and_flags(shell: str):
    script = plugin("completion", shell).stdout
    assert "complete -F _kubectl_tweetbot kubectl-tweetbot" in script
    if shell == "zsh":
        return  # the same bash function behind zsh's bashcompinit (zsh is not installed here)
    probe = (f"{script}\nCOMP_WORDS=(kubectl-tweetbot lo); COMP_CWORD=1; _kubectl_tweetbot; echo ${{COMPREPLY[@]}}\n"
             "COMP_WORDS=(kubectl-tweetbot logs --fo); COMP_CWORD=2; _kubectl_tweetbot; echo ${COMPREPLY[@]}\n")
    out = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, timeout=30, check=True).stdout
    assert out.split("\n")[:2] == ["logs", "--follow"]


def test_krew_manifest():
    manifest = yaml.safe_load((REPO / "krew" / "tweetbot.yaml").read_text())
    assert manifest["apiVersion"] == "krew.googlecontainertools.github.com/v1alpha2"
    assert manifest["kind"] == "Plugin" and manifest["metadata"]["name"] == "tweetbot"
    spec = manifest["spec"]
    assert spec["version"] == "v" + (REPO / "VERSION").read_text().strip()
    assert spec["shortDescription"] and spec["homepage"].startswith("https://")
    for platform in spec["platforms"]:
        assert platform["bin"] and len(platform["sha256"]) == 64 and platform["selector"]["matchLabels"]["os"]
        assert platform["uri"].endswith(".tar.gz") and spec["version"] in platform["uri"]
