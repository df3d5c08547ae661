"""Run folders and served bots shared by the serving tests (one server process per configuration)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serve.fake_upstream import FakeUpstream
from tests.serve.runs import chain_run, random_run
from tests.serve.server import ServeProcess

XSS = "<img src=x onerror=(document.title)='pwned'>"
API_KEY = "test-key-0123456789"


@pytest.fixture(scope="session")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("runs")
    return random_run(root / "spiraltoo-g1", root / "base")


@pytest.fixture(scope="session")
def chain_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("chain")
    return chain_run(root / "chain-g1", root / "base", XSS)


def _serve(model: Path | str, log: Path, *flags: str, env: dict[str, str] | None = None) -> Iterator[ServeProcess]:
    server = ServeProcess(str(model), *flags, env=env, log=log).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def served(run_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeProcess]:
    """The random bot with small limits, so that the limit tests are cheap."""
    yield from _serve(run_folder, tmp_path_factory.mktemp("logs") / "served.log", "--max-prompt-tokens", "40",
                      "--max-tokens", "120", "--max-n", "4", "--max-concurrency", "3")


@pytest.fixture(scope="session")
def served_chain(chain_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeProcess]:
    yield from _serve(chain_folder, tmp_path_factory.mktemp("logs") / "chain.log")


@pytest.fixture(scope="session")
def served_with_key(chain_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeProcess]:
    yield from _serve(chain_folder, tmp_path_factory.mktemp("logs") / "keyed.log", "--api-key-env", "BOT_KEY",
                      "--require-key-for-info", env={"BOT_KEY": API_KEY})


@pytest.fixture(scope="module")
def upstream() -> Iterator[FakeUpstream]:
    """A misbehaving OpenAI-style server (tests/serve/fake_upstream.py) for `tweetbot-serve --upstream`."""
    server = FakeUpstream().start()
    yield server
    server.close()


def serve_behind(model: Path, upstream: FakeUpstream, factory: pytest.TempPathFactory) -> Iterator[ServeProcess]:
    """tweetbot-serve as the front door of `upstream`, which serves the bot as "served-name"."""
    yield from _serve(model, factory.mktemp("logs") / "front.log", "--upstream", upstream.url, "--upstream-model",
                      "served-name")
