"""`tweetbot-serve --upstream` on a LoRA run published without its merged model (`merge: false`), as the vllm
engine's pod serves it: vLLM runs the base model with the adapter (`--lora-modules`), the front door has only the
run folder (adapter/, no config.json): its tokenizer comes from adapter/, its context from vLLM's /v1/models
(`max_model_len`), which it waits for while vLLM loads. The torch engine refuses such a run with one line."""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tweetbot_trainer.errors import TweetBotInputError
from tweetbot_trainer.publish.manifest import build_manifest
from tweetbot_trainer.serve.model_files import resolve
from tweetbot_trainer.serve.upstream import upstream_context

from tests.serve import fake_upstream as fake
from tests.serve.conftest import serve_behind
from tests.serve.http import call
from tests.serve.server import ServeProcess

CONTEXT = 64  # the fake upstream's max_model_len, far below the tiny model's 256 positions


@pytest.fixture(scope="module")
def adapter_run(run_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run folder as a merge-off LoRA run publishes it: adapter/ (config, weights, tokenizer), no model."""
    run = tmp_path_factory.mktemp("adapter-run") / "spiraltoo-g1"
    shutil.copytree(run_folder, run)
    adapter = run / "adapter"
    adapter.mkdir()
    for name in ("tokenizer.json", "tokenizer_config.json"):
        (run / name).rename(adapter / name)
    for name in ("config.json", "model.safetensors", "generation_config.json"):
        (run / name).unlink()
    (adapter / "adapter_config.json").write_text(json.dumps({"peft_type": "LORA", "r": 8,
                                                             "base_model_name_or_path": "/models/base"}))
    (adapter / "adapter_model.safetensors").write_bytes(b"\0" * 64)
    files = [str(path.relative_to(run)) for path in run.rglob("*") if path.is_file()]
    (run / "manifest.json").write_text(json.dumps(build_manifest(run, files, "spiraltoo-g1", 0.0)))
    return run


@pytest.fixture(scope="module")
def front(adapter_run: Path, upstream: fake.FakeUpstream,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeProcess]:
    yield from serve_behind(adapter_run, upstream, tmp_path_factory)


def test_an_adapter_only_run_is_served_through_the_upstream(front: ServeProcess,
                                                            upstream: fake.FakeUpstream) -> None:
    status, _, answer = call(front.url + "/v1/completions", {"prompt": "My dream is", "max_tokens": 3})
    assert status == 200, answer
    assert isinstance(answer, dict) and answer["choices"][0]["text"] == "hihihi"
    assert upstream.bodies[-1]["model"] == "served-name"  # the LoRA module's name: vLLM applies the adapter
    status, _, bot = call(front.url + "/api/bot")
    assert status == 200 and isinstance(bot, dict) and bot["model"] == "spiraltoo-g1", bot


def test_its_context_is_the_upstreams(front: ServeProcess) -> None:
    """max_tokens past vLLM's max_model_len is refused by the front door, before anything reaches vLLM."""
    status, _, answer = call(front.url + "/v1/completions", {"prompt": "My dream is", "max_tokens": CONTEXT})
    assert status == 400, answer
    assert f"context of {CONTEXT} tokens" in json.dumps(answer)


def test_the_front_door_waits_for_vllm_to_load(adapter_run: Path, tmp_path: Path) -> None:
    """The front door starts beside vLLM, which loads for minutes: it asks /v1/models until it answers."""
    late = fake.FakeUpstream()
    starter = threading.Timer(4.0, late.start)
    starter.start()
    try:
        server = ServeProcess(str(adapter_run), "--upstream", late.url, "--upstream-model", "served-name",
                              log=tmp_path / "front.log").start(timeout=60)
        server.stop()
    finally:
        starter.join()
        late.close()
    assert "waiting for the upstream" in (tmp_path / "front.log").read_text()


def test_an_upstream_that_never_answers_stops_the_front_door_with_one_line() -> None:
    with pytest.raises(TweetBotInputError) as error:
        upstream_context(f"http://127.0.0.1:{_closed_port()}", wait=1.0, poll=0.2)
    assert "/v1/models did not answer within 1 s" in str(error.value) and "\n" not in str(error.value)


@pytest.mark.parametrize("models", [[], {"data": "x"}, {"data": [{"id": "a"}]},
                                    {"data": [{"max_model_len": "4096"}]}, {"data": [{"max_model_len": True}]}])
def test_a_models_list_without_a_context_is_refused(models: object) -> None:
    upstream = fake.FakeUpstream()
    upstream.models = models
    upstream.start()
    try:
        started = time.monotonic()
        with pytest.raises(TweetBotInputError, match="names no max_model_len"):
            upstream_context(upstream.url, wait=30.0)
        assert time.monotonic() - started < 10  # refused at once, not waited on
    finally:
        upstream.close()


def test_the_torch_engine_refuses_an_adapter_only_run_with_one_line(adapter_run: Path, tmp_path: Path) -> None:
    with pytest.raises(TweetBotInputError) as error:
        resolve(str(adapter_run), tmp_path)
    assert error.value.reason == "AdapterOnlyRun"
    assert "serving.engine: vllm" in str(error.value)


def _closed_port() -> int:
    from tests.serve.server import free_port

    return free_port()


def test_prompts_start_after_the_separator_the_bot_was_trained_with(front: ServeProcess, run_folder: Path,
                                                                    upstream: fake.FakeUpstream,
                                                                    tmp_path_factory: pytest.TempPathFactory) -> None:
    """Posts were joined by the EOS token in training, and the card's samples and the quality measure prompt
    after it (config.json's `prefix`, as transformers' pipeline does): the served bot must too, merged run or
    adapter only (whose prefix is its tokenizer's EOS)."""
    eos = 50256  # GPT-2's <|endoftext|>
    call(front.url + "/v1/completions", {"prompt": "My dream is", "max_tokens": 3})
    assert upstream.bodies[-1]["prompt"][0] == eos  # the adapter-only run
    for merged in serve_behind(run_folder, upstream, tmp_path_factory):
        call(merged.url + "/v1/completions", {"prompt": "My dream is", "max_tokens": 3})
        assert upstream.bodies[-1]["prompt"][0] == eos
