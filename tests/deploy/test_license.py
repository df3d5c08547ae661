"""Adoption basics: one Apache-2.0 license, declared the same way by every package and the chart."""

from __future__ import annotations

import tomllib

import pytest
import yaml

from tests.deploy.render import CHART, REPO

PACKAGES = ("trainer", "operator", "kubectl-tweetbot")


def test_license_is_apache_2():
    text = (REPO / "LICENSE").read_text()
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text  # the full text, not a stub


@pytest.mark.parametrize("package", [p for p in PACKAGES if (REPO / p / "pyproject.toml").exists()])
def test_package_metadata(package: str):
    project = tomllib.loads((REPO / package / "pyproject.toml").read_text())["project"]
    assert project["license"] == "Apache-2.0"  # an SPDX expression (PEP 639)
    assert project["license-files"] == ["LICENSE"]
    assert (REPO / package / "LICENSE").resolve() == (REPO / "LICENSE").resolve()
    assert {"Homepage", "Source", "Issues", "Changelog"} <= set(project["urls"])
    assert any(c.startswith("Programming Language :: Python :: 3.11") for c in project["classifiers"])


def test_chart_declares_license_and_home():
    chart = yaml.safe_load((CHART / "Chart.yaml").read_text())
    assert chart["annotations"]["artifacthub.io/license"] == "Apache-2.0"
    assert chart["home"].startswith("https://") and chart["sources"]


@pytest.mark.parametrize("name", ["CHANGELOG.md", "CONTRIBUTING.md", "SECURITY.md"])
def test_community_files(name: str):
    assert len((REPO / name).read_text().split()) > 50
