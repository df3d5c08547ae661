"""One version: VERSION is the source; every other place (packages, chart, images, manifests, docs) agrees."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from tests.deploy.render import CHART, REPO, load_script

VERSION = (REPO / "VERSION").read_text().strip()
CLIS = {
    "tweetbot-train": "tweetbot_trainer.cli",
    "tweetbot-serve": "tweetbot_trainer.serve.cli",
    "kubectl-tweetbot": "kubectl_tweetbot",
    "tweetbot-operator": "tweetbot_operator",
}


def sync_module() -> ModuleType:
    return load_script("sync_version")


def test_every_place_agrees_with_version_file():
    sync = sync_module()
    assert sync.disagreements(VERSION) == []
    assert len({name for name, _ in sync.PLACES if (REPO / name).exists()}) >= 10


def test_check_names_a_place_that_disagrees(tmp_path: Path):
    """The check is not vacuous: a copy of the places with one stale appVersion fails, naming the file."""
    sync = sync_module()
    for name, _ in sync.PLACES:
        if (REPO / name).exists():
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(REPO / name, tmp_path / name)
    chart = tmp_path / "charts/tweetbot-operator/Chart.yaml"
    chart.write_text(chart.read_text().replace(f'appVersion: "{VERSION}"', 'appVersion: "9.9.9"'))
    sync.REPO = tmp_path
    assert sync.disagreements(VERSION) == ["charts/tweetbot-operator/Chart.yaml: 9.9.9 after 'appVersion: \"'"]
    (tmp_path / "VERSION").write_text("9.9.9\n")
    assert sync.main([]) == 0 and sync.disagreements("9.9.9") == []  # and writing puts it everywhere


def test_chart_and_default_image_follow_version():
    chart = yaml.safe_load((CHART / "Chart.yaml").read_text())
    assert chart["version"] == VERSION and chart["appVersion"] == VERSION
    from tweetbot_operator.settings import DEFAULT_IMAGE

    assert f"ghcr.io/tweetbot/trainer:{VERSION}" == DEFAULT_IMAGE


@pytest.mark.parametrize("package", ["trainer", "operator", "kubectl-tweetbot"])
def test_packages_take_the_version_from_their_version_module(package: str):
    if not (REPO / package).exists():
        pytest.skip(f"{package} is not in this checkout")
    project = tomllib.loads((REPO / package / "pyproject.toml").read_text())
    assert "version" not in project["project"] and project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"]["attr"].endswith("._version.__version__")


@pytest.mark.parametrize("cli", sorted(CLIS))
def test_every_cli_prints_the_version(cli: str):
    path = os.pathsep.join(str(REPO / p) for p in ("trainer", "operator", "kubectl-tweetbot"))
    env = {**os.environ, "PYTHONPATH": path}
    proc = subprocess.run([sys.executable, "-m", CLIS[cli], "--version"], capture_output=True, text=True,
                          timeout=60, check=False, cwd=REPO, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"{cli} {VERSION}"
