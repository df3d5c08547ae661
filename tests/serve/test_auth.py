"""--api-key-env: /v1/ needs the bearer token; the page, health and metrics do not; an empty variable is refused."""

from __future__ import annotations

import subprocess
import sys

from tests.serve.conftest import API_KEY
from tests.serve.http import call
from tests.serve.server import ServeProcess


def test_v1_needs_the_token(served_with_key: ServeProcess) -> None:
    url = served_with_key.url
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": API_KEY}):
        status, head, answer = call(url + "/v1/completions", {"prompt": "x"}, headers=headers)
        assert status == 401 and answer["error"]["code"] == "invalid_api_key"
        assert "Content-Security-Policy" in head
    assert call(url + "/v1/models", headers={"Authorization": f"Bearer {API_KEY}"})[0] == 200
    assert call(url + "/v1/completions", {"prompt": "x", "max_tokens": 2},
                headers={"Authorization": f"Bearer {API_KEY}"})[0] == 200
    assert call(url + "/")[0] == 200
    assert call(url + "/healthz")[0] == 200


def test_empty_key_variable_is_a_one_line_error(chain_folder: object) -> None:
    done = subprocess.run([sys.executable, "-m", "tweetbot_trainer.serve", "--model", str(chain_folder),
                           "--api-key-env", "TWEETBOT_NO_SUCH_KEY"],
                          check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == ("tweetbot-serve: error: --api-key-env TWEETBOT_NO_SUCH_KEY: "
                                                    "that environment variable is empty")
