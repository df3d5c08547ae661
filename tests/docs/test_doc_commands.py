"""Every command in README.md and docs/ is run here, or checked as far as this machine allows.

Shell blocks: every line of an unmarked block must run offline (kubectl's client-side dry run, `kubectl apply`
objects validated against the CRD and Kubernetes' schemas, the chart rendered by `helm template` with the
documented values); a block marked `<!-- not run here: reason -->` is still checked for the files, subcommands
and flags it names. YAML blocks parse; TweetBots, and spec fragments merged into the README's TweetBot, pass the
CRD's schema and CEL rules. Python blocks run against a tiny model (and a tiny served bot).
"""

from __future__ import annotations

import copy
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.deploy.render import custom_resource_errors, known_crd_schemas, tool
from tests.docs.command_checks import check, cli_errors, env
from tests.docs.doc_blocks import DOCS, REPO, Block, Command, all_blocks, commands, long_flags, markers
from tests.support.k8s_schema import apply_defaults

BLOCKS = all_blocks()
SH = [b for b in BLOCKS if b.lang == "sh"]
YAML = [b for b in BLOCKS if b.lang == "yaml"]
PYTHON = [b for b in BLOCKS if b.lang == "python"]
CLI_SYNOPSES = [b for b in BLOCKS if b.lang == "plain" and b.text.lstrip().startswith(("tweetbot-train",
                                                                                         "tweetbot-serve"))]
TWEETBOT = ("tweetbot.io/v1alpha1", "TweetBot")


def ids(blocks: list[Block]) -> list[str]:
    return [b.where for b in blocks]


def test_every_doc_has_its_blocks_found():
    """The extraction sees the blocks the docs are known to have (a broken fence would hide the rest)."""
    assert {"sh", "yaml", "python"} <= {b.lang for b in BLOCKS}
    assert len(SH) >= 20 and len(YAML) >= 10 and len(PYTHON) >= 2
    assert sum(1 for line in (REPO / "README.md").read_text().split("\n")) <= 150


@pytest.mark.parametrize("path", DOCS, ids=lambda p: str(p.relative_to(REPO)))
def test_markers_give_a_reason_and_precede_a_block(path: Path):
    marked = {b.line - 1 for b in BLOCKS if b.path == path and b.marker is not None}
    for line, reason in markers(path):
        assert len(reason.split()) >= 3, f"{path.name}:{line}: say why it cannot run here"
        assert line in marked, f"{path.name}:{line}: a marker must be the line right before a fenced block"


@pytest.mark.parametrize("block", SH, ids=ids(SH))
def test_shell_block(block: Block):
    errors: list[str] = []
    for cmd in commands(block.text):
        if isinstance(cmd, str):
            if block.marker is None:
                errors.append(f"cannot split {cmd!r}: mark the block or fix the quoting")
            continue
        ran, problems = check(cmd)
        errors += [f"{cmd.text}: {p}" for p in problems]
        if not ran and block.marker is None:
            errors.append(f"{cmd.text}: cannot run here: mark the block `<!-- not run here: reason -->`")
    assert not errors, f"{block.where}:\n" + "\n".join(errors)


@pytest.mark.parametrize("block", CLI_SYNOPSES, ids=ids(CLI_SYNOPSES))
def test_cli_synopsis_flags_exist(block: Block):
    """design.md's synopses: each line that starts a command names its subcommand; the lines under it go on."""
    errors: list[str] = []
    current: list[str] = []
    for line in [*block.text.split("\n"), "tweetbot-train"]:  # the sentinel ends the last command
        if line.startswith(("tweetbot-train", "tweetbot-serve")) and current:
            argv = current[0].split()
            errors += cli_errors(argv[0], argv[1:], long_flags(" ".join(current)))
            current = []
        if line.strip():
            current.append(line)
    assert not errors, f"{block.where}:\n" + "\n".join(errors)


def base_tweetbot() -> dict[str, Any]:
    first = next(b for b in BLOCKS if b.lang == "yaml" and b.path.name == "README.md")
    return dict(yaml.safe_load(first.text))


def merged(base: dict[str, Any], fragment: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in fragment.items():
        out[key] = merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


@pytest.mark.parametrize("block", YAML, ids=ids(YAML))
def test_yaml_block(block: Block):
    doc = yaml.safe_load(block.text)
    assert isinstance(doc, dict), f"{block.where}: not a mapping"
    if doc.get("kind") == "Kustomization":
        for ref in doc.get("resources", []) + doc.get("components", []):  # written from an overlay beside us
            assert (REPO / ref.replace("../tweetbot/", "")).exists(), f"{block.where}: {ref} is not in the repo"
        return
    if doc.get("kind") == "TweetBot" or set(doc) <= {"metadata", "spec"}:
        obj = doc if doc.get("kind") == "TweetBot" else merged(base_tweetbot(), doc)
        schema = known_crd_schemas()[TWEETBOT]
        errors = custom_resource_errors(schema, apply_defaults(schema, obj))  # defaults first, as on create
        assert not errors, f"{block.where}: {errors}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(port: int, deadline_s: float = 60) -> None:
    end = time.monotonic() + deadline_s
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return
        except OSError:
            if time.monotonic() > end:
                raise
            time.sleep(0.3)


def start_snippet(block: Block, folder: Path, port: int) -> subprocess.Popen[str]:
    code = block.text.replace("localhost:8000", f"127.0.0.1:{port}")
    return subprocess.Popen([sys.executable, "-c", code], cwd=folder, env=env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def snippet_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[int, str, str]]]:
    """Every unmarked Python block, run as written (in parallel, to keep the test short) in a folder holding
    `spiraltoo-model`, a tiny GPT-2, with `localhost:8000` a `tweetbot-serve` of it named spiraltoo-g1."""
    folder = tmp_path_factory.mktemp("docs")
    model = folder / "spiraltoo-model"
    subprocess.run([sys.executable, "-m", "tweetbot_trainer.cli", "make-tiny-model", "--out", str(model),
                    "--n-layer", "1", "--n-embd", "32", "--n-head", "2", "--n-positions", "128"],
                   env=env(), check=True, capture_output=True, timeout=120)
    port = free_port()
    server = subprocess.Popen([tool("tweetbot-serve"), "--model", str(model), "--model-name", "spiraltoo-g1",
                               "--port", str(port)], env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    runnable = [b for b in PYTHON if b.marker is None]
    try:
        runs = {b.where: start_snippet(b, folder, port) for b in runnable if "localhost:8000" not in b.text}
        wait_ready(port)
        runs |= {b.where: start_snippet(b, folder, port) for b in runnable if "localhost:8000" in b.text}
        results = {}
        for where, proc in runs.items():
            out, err = proc.communicate(timeout=120)
            results[where] = (proc.returncode, out, err)
        yield results
    finally:
        server.kill()
        server.wait(timeout=30)


@pytest.mark.parametrize("block", PYTHON, ids=ids(PYTHON))
def test_python_block(block: Block, snippet_runs: dict[str, tuple[int, str, str]]):
    if block.marker is not None:
        pytest.skip(block.marker)
    code, out, err = snippet_runs[block.where]
    assert code == 0, f"{block.where}:\n{err[-2000:]}"
    assert out.strip(), f"{block.where}: printed nothing"


def test_commands_split_like_a_shell():
    """The helper the tests above rely on: continuations, comments and the block's own variables."""
    [cmd] = commands("R=ghcr.io/x\nhelm upgrade a b \\\n  --set image.repository=$R/op   # comment\n")
    assert isinstance(cmd, Command)
    assert cmd.argv == ["helm", "upgrade", "a", "b", "--set", "image.repository=ghcr.io/x/op"]
    assert long_flags("tweetbot-train run <prepare flags minus --out> --data D  # --not-this") == ["--data"]
