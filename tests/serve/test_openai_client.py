"""The official `openai` Python client, unchanged, against tweetbot-serve: models, completions, stream, the key."""

from __future__ import annotations

import openai
import pytest

from tests.serve.conftest import API_KEY, XSS
from tests.serve.server import ServeProcess


def client(server: ServeProcess, key: str = "unused") -> openai.OpenAI:
    return openai.OpenAI(base_url=server.url + "/v1", api_key=key, max_retries=0)


def test_models_and_completion(served_chain: ServeProcess) -> None:
    bot = client(served_chain)
    assert [m.id for m in bot.models.list()] == ["chain-g1"]
    answer = bot.completions.create(model="chain-g1", prompt="My dream is", max_tokens=40, n=2, seed=1)
    assert [c.text for c in answer.choices] == [XSS, XSS]
    assert answer.choices[0].finish_reason == "stop"
    assert answer.usage is not None and answer.usage.completion_tokens > 0


def test_stream(served_chain: ServeProcess) -> None:
    chunks = list(client(served_chain).completions.create(model="chain-g1", prompt="My dream is", max_tokens=40,
                                                         stream=True))
    assert len(chunks) > 2
    assert "".join(c.choices[0].text for c in chunks) == XSS
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_errors_arrive_as_the_client_expects(served: ServeProcess) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client(served).completions.create(model="spiraltoo-g1", prompt="x", max_tokens=100000)
    assert "max_tokens" in str(caught.value)
    with pytest.raises(openai.NotFoundError):
        client(served).completions.create(model="gpt-4", prompt="x")


def test_bearer_token(served_with_key: ServeProcess) -> None:
    with pytest.raises(openai.AuthenticationError):
        client(served_with_key, "wrong").models.list()
    answer = client(served_with_key, API_KEY).completions.create(model="chain-g1", prompt="hello", max_tokens=40)
    assert answer.choices[0].text == XSS
