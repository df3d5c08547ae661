"""Issue 27's Must-show, through the operator with every real part (API emulator, the real operator, the local
kubelet running the real trainer and serving Deployment, SeaweedFS): on the bundled sample archive the fine-tuned
bot's style match is above the base model's, its memorization is under a `spec.quality.minimum` bar, so the run
is promoted (QualityGate True) and its model is served and answers.

The model is the session's tiny random GPT-2 (2 layers, 64 wide, the real GPT-2 tokenizer), not the demo's
SmolLM2-135M: a demo run takes minutes on two cores (scripts/demo_model.py); bench/quality_cost.py measures the
demo's model (docs/guide/quality.md). A random base model writes token soup the discriminator tells apart at once
(style match 0), 40 steps on the posts move the bot toward them.

Then a deliberately overfitted retrain: many epochs (capped by maxSteps) at a learning rate that lets the tiny
model learn its posts by heart, on a person with few posts (a file source: 56 posts of 16 words, just above the
6,000 characters a run needs). Its generations copy training posts word for word; the gate holds it: the run ends
Succeeded, QualityGate False names the number, and the first model stays the model and keeps being served
(measured here: 300 steps, 75 epochs, training loss 0.3, 88% of generations copied, the longest 18 words). The
sample archive's 620 posts are too many for this 2-layer, 64-wide model to memorize in CI's time, and 1e-2 is too
high a rate for it to memorize at all (its loss stalls near 3).
"""

from __future__ import annotations

import asyncio
import json
import random
from typing import Any

import openai
import pytest
from tweetbot_operator.k8s.client import tweetbot_path

from tests.operator.factories import condition_of, status_of
from tests.support.k8s_fixtures import eventually
from tests.support.s3server import S3Server
from tests.support.serving_kubelet import ServingKubelet
from tests.system.conftest import NS, apply_sample

pytestmark = pytest.mark.slow
GATE = {"minimum": {"maxMemorized": 0.1}}
NORMAL = {"epochs": 1, "blockSize": 64, "batchSize": 8, "learningRate": 2e-3, "precision": "fp32"}
NORMAL_STEPS = 40  # one pass over about half the sample archive's blocks
OVERFIT = {"epochs": 100, "blockSize": 64, "batchSize": 4, "learningRate": 6e-3, "precision": "fp32",
           "maxSteps": 300}
WORDS = ["coffee", "garden", "river", "morning", "window", "bicycle", "letter", "mountain", "candle", "orchard",
         "thunder", "pocket", "violin", "harbor", "lantern", "meadow", "pencil", "castle", "winter", "ribbon",
         "blanket", "forest", "island", "marble", "saddle", "velvet", "canyon", "feather", "kettle", "ladder",
         "copper", "silver", "hollow"]


def few_posts(count: int = 56, words: int = 16) -> str:
    """A JSONL file of `count` distinct posts that all start "Daily reminder:" (the prompts the run generates from
    are the held-out posts' first two words, so the overfitted bot is asked for what it learned by heart)."""
    rng = random.Random(7)
    posts = ["Daily reminder: " + " ".join(rng.choice(WORDS) for _ in range(words)) for _ in range(count)]
    return "\n".join(json.dumps({"id": str(i), "text": text, "lang": "en"}) for i, text in enumerate(posts))


def ended(cluster: Any, generation: int) -> Any:
    def check() -> Any:
        status = status_of(cluster, "sample")
        return (status.get("observedGeneration") == generation and status.get("phase") in {"Succeeded", "Failed"}
                and status)
    return check


def served_model(cluster: Any) -> str:
    deployment = cluster.read("apps/v1/deployments", NS, "sample-serve")
    args = deployment["spec"]["template"]["spec"]["containers"][0]["args"]
    return str(args[args.index("--model") + 1]) if "--model" in args else str(args[1])


async def test_a_normal_run_passes_the_gate_and_an_overfitted_one_is_held_while_the_first_keeps_serving(
        s3_server: S3Server, tiny_model_uri: str, cluster, client, operator, serving_kubelet: ServingKubelet) -> None:
    bucket = await apply_sample(s3_server, client, tiny_model_uri, serving={"enabled": True}, quality=GATE,
                                training={**NORMAL, "maxSteps": NORMAL_STEPS})
    first = await eventually(ended(cluster, 1), timeout=300, interval=0.5)
    assert first["phase"] == "Succeeded", (first, serving_kubelet.errors)
    good = first["modelURI"]
    quality = first["quality"]
    assert quality["styleMatch"] > quality["styleMatchBase"], quality
    assert quality["memorized"] <= GATE["minimum"]["maxMemorized"], quality
    assert condition_of(first, "QualityGate")["status"] == "True"
    await eventually(lambda: (status_of(cluster, "sample").get("serving") or {}).get("ready"), timeout=180,
                     interval=0.5)
    assert served_model(cluster) == good

    address = serving_kubelet.address(NS, "sample-serve")
    assert address is not None, serving_kubelet.errors

    def ask() -> Any:
        bot = openai.OpenAI(base_url=address + "/v1", api_key="unused", max_retries=0)
        return bot.completions.create(model="sample", prompt="My dream is", max_tokens=8, seed=1)

    assert (await asyncio.to_thread(ask)).choices[0].text

    # The overfitted retrain: the same person, few posts, learned by heart.
    s3_server.client().put_object(Bucket=bucket, Key="posts/sample.jsonl", Body=few_posts().encode())
    await client.merge_patch(tweetbot_path(NS, "sample"), {"spec": {
        "source": {"archive": None, "file": {"uri": f"s3://{bucket}/posts/{{user}}.jsonl"}}, "training": OVERFIT}})
    second = await eventually(ended(cluster, 2), timeout=400, interval=0.5)
    assert second["phase"] == "Succeeded", (second, serving_kubelet.errors)
    quality = second["quality"]
    assert quality["memorized"] > GATE["minimum"]["maxMemorized"] and quality["longestCopiedWords"] >= 8, quality
    assert quality["runId"] == second["latestRun"]["runId"] != first["runId"]
    gate = condition_of(second, "QualityGate")
    assert gate["status"] == "False" and gate["reason"] == "QualityGateHeld", gate
    assert "memorized" in gate["message"] and "above maxMemorized 10%" in gate["message"], gate
    assert second["modelURI"] == good and second["lastSuccessfulRun"]["runId"] == first["runId"]
    assert served_model(cluster) == good and second["serving"]["modelURI"] == good
    assert (await asyncio.to_thread(ask)).choices[0].text  # the first model still answers
