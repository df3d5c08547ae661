"""The completions API over real HTTP against a `tweetbot-serve` process: answers, sampling parameters, stream,
errors in OpenAI's shape, limits, headers, metrics."""

from __future__ import annotations

import concurrent.futures

from tests.serve.conftest import XSS
from tests.serve.http import call, sse_events
from tests.serve.server import ServeProcess


def complete(server: ServeProcess, **body: object) -> dict:
    status, _, answer = call(server.url + "/v1/completions", body)
    assert status == 200, answer
    return answer


def test_models_lists_the_run(served: ServeProcess) -> None:
    status, _, body = call(served.url + "/v1/models")
    assert status == 200
    assert [m["id"] for m in body["data"]] == ["spiraltoo-g1"]
    assert call(served.url + "/v1/models/spiraltoo-g1")[2]["id"] == "spiraltoo-g1"
    assert call(served.url + "/v1/models/other")[0] == 404


def test_completion_shape_and_usage(served: ServeProcess) -> None:
    body = complete(served, model="spiraltoo-g1", prompt="My dream is", max_tokens=12, n=3)
    assert body["object"] == "text_completion" and body["model"] == "spiraltoo-g1"
    assert [c["index"] for c in body["choices"]] == [0, 1, 2]
    assert all(c["finish_reason"] in {"stop", "length"} for c in body["choices"])
    assert body["usage"]["completion_tokens"] <= 36
    assert body["usage"]["total_tokens"] == body["usage"]["prompt_tokens"] + body["usage"]["completion_tokens"]
    # The run's generation config samples (huggingtweets' top_p 0.95): three answers are not all one text.
    assert len({c["text"] for c in body["choices"]}) > 1


def test_seed_repeats_and_temperature_zero_is_greedy(served: ServeProcess) -> None:
    first = complete(served, prompt="My dream is", max_tokens=15, seed=7)["choices"][0]["text"]
    again = complete(served, prompt="My dream is", max_tokens=15, seed=7)["choices"][0]["text"]
    assert first == again
    greedy = {complete(served, prompt="I think", max_tokens=10, temperature=0)["choices"][0]["text"]
              for _ in range(2)}
    assert len(greedy) == 1


def test_stop_string_cuts_the_text(served_chain: ServeProcess) -> None:
    full = complete(served_chain, prompt="My dream is", max_tokens=50)["choices"][0]
    assert full == {"text": XSS, "index": 0, "logprobs": None, "finish_reason": "stop"}  # stopped by end-of-text
    cut = complete(served_chain, prompt="My dream is", max_tokens=50, stop=["onerror"])["choices"][0]
    assert cut["text"] == XSS[: XSS.index("onerror")] and cut["finish_reason"] == "stop"
    short = complete(served_chain, prompt="My dream is", max_tokens=3)["choices"][0]
    assert XSS.startswith(short["text"]) and short["finish_reason"] == "length"


def test_default_max_tokens_and_list_of_prompts(served_chain: ServeProcess) -> None:
    body = complete(served_chain, prompt=["a", "b"], n=2)
    assert [c["text"] for c in body["choices"]] == [XSS] * 4


def test_stream_sends_chunks_then_done(served_chain: ServeProcess) -> None:
    status, head, text = call(served_chain.url + "/v1/completions",
                              {"prompt": "My dream is", "max_tokens": 50, "stream": True, "stop": [" one"]})
    assert status == 200 and head["Content-Type"].startswith("text/event-stream")
    events = sse_events(text)
    assert events[-1] == "[DONE]"
    chunks = events[:-1]
    assert len(chunks) > 2
    assert "".join(c["choices"][0]["text"] for c in chunks) == XSS[: XSS.index(" one")]
    assert [c["choices"][0]["finish_reason"] for c in chunks][-1] == "stop"
    assert all(c["choices"][0]["finish_reason"] is None for c in chunks[:-1])


def test_bad_requests_get_openai_errors(served: ServeProcess) -> None:
    url = served.url + "/v1/completions"
    cases = [
        ({"prompt": "x", "max_tokens": 121}, "max_tokens"),
        ({"prompt": "x", "max_tokens": 0}, "max_tokens"),
        ({"prompt": "x", "n": 5}, "n"),
        ({"prompt": "x", "temperature": "hot"}, "temperature"),
        ({"prompt": "x", "top_p": 1.5}, "top_p"),
        ({"prompt": "word " * 60}, "prompt"),
        ({"prompt": 42}, "prompt"),
        ({}, "prompt"),
        ({"prompt": "x", "logprobs": 2}, "logprobs"),
        ({"prompt": "x", "stop": ["a", "b", "c", "d", "e"]}, "stop"),
        ({"prompt": "x", "bogus": 1}, "bogus"),
    ]
    for body, param in cases:
        status, _, answer = call(url, body)
        assert status == 400, (body, answer)
        assert answer["error"]["param"] == param and answer["error"]["type"] == "invalid_request_error"
        assert answer["error"]["message"]
    status, _, answer = call(url, raw=b"{not json")
    assert status == 400 and "JSON" in answer["error"]["message"]
    status, _, answer = call(url, {"prompt": "x", "model": "gpt-4"})
    assert status == 404 and answer["error"]["code"] == "model_not_found"


def test_unknown_routes_and_methods_are_json_and_nothing_writes(served: ServeProcess) -> None:
    status, _, answer = call(served.url + "/v1/nothing")
    assert status == 404 and "error" in answer
    for method in ("PUT", "DELETE", "PATCH"):
        for path in ("/v1/completions", "/v1/models", "/"):
            status, _, answer = call(served.url + path, {"x": 1}, method=method)
            assert status == 405, (method, path)
            assert "error" in answer
    status, _, _ = call(served.url + "/v1/completions", raw=b"x" * (70 * 1024))
    assert status == 413


def test_concurrency_limit_answers_429(served: ServeProcess) -> None:
    def one(_: int) -> tuple[int, dict]:
        status, _, answer = call(served.url + "/v1/completions", {"prompt": "My dream is", "max_tokens": 120, "n": 4})
        return status, answer

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        results = list(pool.map(one, range(16)))
    statuses = [s for s, _ in results]
    assert 200 in statuses and 429 in statuses, statuses
    refused = next(a for s, a in results if s == 429)
    assert refused["error"]["code"] == "rate_limit_exceeded"


def test_security_headers_health_and_metrics(served: ServeProcess) -> None:
    status, head, page = call(served.url + "/")
    assert status == 200 and "<script src=\"/static/app.js\"" in page
    csp = head["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp and "unsafe-inline" not in csp
    assert head["X-Content-Type-Options"] == "nosniff"
    assert call(served.url + "/v1/models")[1]["Content-Security-Policy"] == csp
    assert call(served.url + "/healthz")[2]["status"] == "ok"
    complete(served, prompt="hello", max_tokens=5, temperature=0)
    status, _, text = call(served.url + "/metrics")
    assert status == 200
    lines = {line.split(" ")[0]: float(line.split(" ")[1]) for line in text.splitlines()
             if line.startswith("tweetbot_serve_") and " " in line}
    assert lines['tweetbot_serve_requests_total{route="/v1/completions",status="200"}'] >= 1
    assert lines["tweetbot_serve_generated_tokens_total"] >= 5
    assert lines["tweetbot_serve_completion_seconds_count"] >= 1


def test_bot_info_is_data_not_markup(served: ServeProcess) -> None:
    info = call(served.url + "/api/bot")[2]
    assert info["prompt"] == "My dream is"
    # The display name is passed on as it is (the page shows it as text); a javascript: avatar is dropped.
    assert info["users"] == [{"handle": "spiraltoo", "name": "Spiral <b>Too</b>", "avatar": ""}]
    assert info["quality"] == ("Taken for the person's posts 71% of the time (base model 20%, their own 90%); "
                               "copies a training post 3% of the time")
