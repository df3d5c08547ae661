"""`tweetbot-serve --upstream` against an upstream that misbehaves as a real vLLM never does (tests/serve/
fake_upstream.py): garbage events, a huge line, a stream without end, a cut stream, errors that echo the prompt,
then the upstream gone. Each fails only its own request with a one-line 502 that names the upstream and never the
prompt; the next request is answered; the memory stays flat."""

from __future__ import annotations

import concurrent.futures
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serve import fake_upstream as fake
from tests.serve.conftest import serve_behind
from tests.serve.http import call, sse_events
from tests.serve.raw import metric, request_bytes, rss_mib, send_raw
from tests.serve.server import ServeProcess

pytestmark = pytest.mark.slow
PROMPT = "My dream is"
MAX_GROWTH_MIB = 60  # no torch in this process: a leak of the huge answers (4 MiB each and more) would pass it


@pytest.fixture(scope="module")
def front(run_folder: Path, upstream: fake.FakeUpstream,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeProcess]:
    yield from serve_behind(run_folder, upstream, tmp_path_factory)


def _ask(front: ServeProcess, max_tokens: int, stream: bool = False) -> tuple[int, object]:
    body = {"prompt": PROMPT + " " + fake.SECRET, "max_tokens": max_tokens, "temperature": 0, "stream": stream}
    status, _, answer = call(front.url + "/v1/completions", body)
    return status, answer


def _assert_upstream_error(status: int, answer: object, upstream: fake.FakeUpstream) -> str:
    assert status == 502, answer
    assert isinstance(answer, dict), answer
    message = str(answer["error"]["message"])
    assert upstream.url in message and "\n" not in message and "Traceback" not in message, message
    assert fake.SECRET not in message and "dream" not in message, message
    return message


def test_the_upstream_gets_token_ids_and_the_served_name(front: ServeProcess, upstream: fake.FakeUpstream) -> None:
    status, answer = _ask(front, 3)
    assert status == 200 and isinstance(answer, dict), answer
    assert answer["choices"][0] == {"text": "hihihi", "index": 0, "logprobs": None, "finish_reason": "length"}
    assert answer["usage"]["completion_tokens"] == 3
    sent = upstream.bodies[-1]
    assert sent["model"] == "served-name" and sent["n"] == 1
    assert all(isinstance(i, int) for i in sent["prompt"]) and sent["return_token_ids"] is True
    assert sent["stream"] is False  # the client waits for the whole answer: so does the front door
    status, text = _ask(front, 3, stream=True)
    assert status == 200 and upstream.bodies[-1]["stream"] is True
    assert "".join(e["choices"][0]["text"] for e in sse_events(str(text))[:-1]) == "hihihi"


@pytest.mark.parametrize("mode, words", [
    (fake.GARBAGE, "not JSON"), (fake.HUGE_LINE, "too long"), (fake.ENDLESS, "more than"), (fake.CUT, "stream"),
    (fake.ECHO_500, "HTTP 500"), (fake.ERROR_EVENT, "InternalServerError"), (fake.HUGE_TEXT, "more than"),
    (fake.NOT_SSE, "event stream")])
def test_a_broken_answer_fails_its_request_alone(front: ServeProcess, upstream: fake.FakeUpstream, mode: int,
                                                 words: str) -> None:
    before = rss_mib(front)
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        broken = pool.submit(_ask, front, mode)
        fine = pool.submit(_ask, front, 5)
        _assert_upstream_error(*broken.result(), upstream)
        status, answer = fine.result()
        assert status == 200 and isinstance(answer, dict) and answer["choices"][0]["text"] == "hi" * 5, answer
    status, text = _ask(front, mode, stream=True)  # the headers are sent: the error is an event, then [DONE]
    assert status == 200 and isinstance(text, str)
    events = sse_events(text)
    assert events[-1] == "[DONE]" and "error" in events[-2], events
    assert upstream.url in events[-2]["error"]["message"] and words in events[-2]["error"]["message"], events
    assert fake.SECRET not in text
    assert rss_mib(front) - before < MAX_GROWTH_MIB
    assert metric(front, "tweetbot_serve_active_sequences") == 0


def test_a_foreign_host_never_reaches_the_upstream(front: ServeProcess, upstream: fake.FakeUpstream) -> None:
    """No key set: the Host rule (a browser on a DNS-rebinding page) holds in front of the upstream too."""
    asked = len(upstream.bodies)
    body = b'{"prompt": "My dream is", "max_tokens": 3}'
    status, _, answer = send_raw(front.port, request_bytes("/v1/completions", body, host="evil.example"))
    assert status == 403 and isinstance(answer, dict), answer
    assert len(upstream.bodies) == asked


def test_upstream_down_is_a_502_and_not_ready(front: ServeProcess, upstream: fake.FakeUpstream) -> None:
    upstream.stop()
    try:
        time.sleep(1.1)  # the cached /health answer expires
        assert "cannot be reached" in _assert_upstream_error(*_ask(front, 3), upstream)
        status, _, health = call(front.url + "/healthz")
        assert status == 503 and health["status"] == "engine not ready", health
        status, _, bot = call(front.url + "/api/bot")  # the page still loads: it says who the bot is
        assert status == 200 and bot["users"], bot
        assert call(front.url + "/metrics")[0] == 200
    finally:
        upstream.start()
    time.sleep(1.1)
    assert call(front.url + "/healthz")[0] == 200
    assert _ask(front, 3)[0] == 200


def test_the_upstream_path_does_not_import_torch() -> None:
    code = ("import sys, tweetbot_trainer.serve.upstream, tweetbot_trainer.serve.app, tweetbot_trainer.serve.cli; "
            "assert 'torch' not in sys.modules, 'torch imported'")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_the_front_door_process_has_no_torch(front: ServeProcess) -> None:
    assert front.process is not None
    maps = Path(f"/proc/{front.process.pid}/maps").read_text()
    assert "libtorch" not in maps


@pytest.mark.parametrize("url", ["ftp://127.0.0.1:8001", "127.0.0.1:8001", "http://127.0.0.1:8001/v1/completions"])
def test_a_bad_upstream_url_stops_the_server_with_one_line(run_folder: Path, url: str) -> None:
    done = subprocess.run([sys.executable, "-m", "tweetbot_trainer.serve", "--model", str(run_folder),
                           "--upstream", url], check=False, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().count("\n") == 0 and "--upstream" in done.stderr, done.stderr
