"""Client-side CPU of the operator's API calls: its own small aiohttp client against the official `kubernetes`
client, making the same calls a new TweetBot costs (POST a Job, merge-PATCH the TweetBot's status, POST an
Event) against the API emulator.

Each client runs in its own process, so that its CPU time is its own; the emulator runs in this one. The
official client is synchronous (urllib3): an asyncio operator would call it through a thread pool, as here
(16 threads, the operator's concurrency). Prints one JSON object and writes bench/results/api_client_cost.json.

    python bench/api_client_cost.py [--count 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench_result import write_result  # noqa: E402

from tests.support.k8s_emulator import EmulatorThread, KubernetesApi  # noqa: E402

CRD = yaml.safe_load((REPO / "manifests" / "crd" / "tweetbot.io_tweetbots.yaml").read_text())
RESULT = REPO / "bench" / "results" / "api_client_cost.json"
NS = "bench"


def job(i: int) -> dict[str, Any]:
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": f"job-{i}", "namespace": NS},
            "spec": {"template": {"spec": {"restartPolicy": "Never",
                                           "containers": [{"name": "trainer", "image": "trainer:1"}]}}}}


def event(i: int) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Event", "metadata": {"generateName": f"bot-{i}.", "namespace": NS},
            "involvedObject": {"apiVersion": "tweetbot.io/v1alpha1", "kind": "TweetBot", "name": f"bot-{i}",
                               "namespace": NS}, "type": "Normal", "reason": "Starting", "message": "m"}


STATUS = {"status": {"phase": "Pending", "observedGeneration": 1}}


async def with_own_client(url: str, count: int) -> None:
    import kopf
    from tweetbot_operator.k8s.client import Kube, events_path, jobs_path, tweetbot_path

    kube = Kube(kopf.ConnectionInfo(server=url))
    limit = asyncio.Semaphore(16)

    async def one(i: int) -> None:
        async with limit:
            await kube.create(jobs_path(NS), job(i))
            await kube.merge_patch(tweetbot_path(NS, f"bot-{i}", "status"), STATUS)
            await kube.create(events_path(NS), event(i))

    await asyncio.gather(*(one(i) for i in range(count)))
    await kube.close()


def with_official_client(url: str, count: int) -> None:
    from concurrent.futures import ThreadPoolExecutor

    import kubernetes

    config = kubernetes.client.Configuration()
    config.host = url
    config.connection_pool_maxsize = 16
    with kubernetes.client.ApiClient(config) as api_client:
        batch, core = kubernetes.client.BatchV1Api(api_client), kubernetes.client.CoreV1Api(api_client)
        custom = kubernetes.client.CustomObjectsApi(api_client)

        def one(i: int) -> None:
            batch.create_namespaced_job(NS, job(i))
            custom.patch_namespaced_custom_object_status("tweetbot.io", "v1alpha1", NS, "tweetbots", f"bot-{i}",
                                                         STATUS)
            core.create_namespaced_event(NS, event(i))

        with ThreadPoolExecutor(16) as pool:
            list(pool.map(one, range(count)))


def client_main(kind: str, url: str, count: int) -> None:
    """In the client's own process: make the calls, print CPU seconds and wall seconds."""
    import time

    start_cpu, start = time.process_time(), time.monotonic()
    if kind == "aiohttp":
        asyncio.run(with_own_client(url, count))
    else:
        with_official_client(url, count)
    print(json.dumps({"cpu_s": time.process_time() - start_cpu, "wall_s": time.monotonic() - start}))


async def seed(url: str, count: int) -> None:
    """The TweetBots whose status the clients patch."""
    import kopf
    from tweetbot_operator.k8s.client import Kube

    kube = Kube(kopf.ConnectionInfo(server=url))
    try:
        await _seed(kube, count)
    finally:
        await kube.close()


async def _seed(kube: Any, count: int) -> None:
    from tweetbot_operator.k8s.client import tweetbot_path

    for i in range(count):
        await kube.create(tweetbot_path(NS), {
            "apiVersion": "tweetbot.io/v1alpha1", "kind": "TweetBot", "metadata": {"name": f"bot-{i}"},
            "spec": {"users": ["u"], "source": {"archive": {"uri": "s3://bots/u.zip"}}, "output": {"s3": "s3://bots/p/"}}})


def measure(kind: str, count: int) -> dict[str, Any]:
    def setup(api: KubernetesApi) -> None:
        api.register_crd(CRD)
        api.register_builtins()
        api.gate.validate_builtins = False  # the API server's own work is not what is measured here

    cluster = EmulatorThread(setup).start()
    try:
        asyncio.run(seed(cluster.url, count))
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "operator"), str(REPO),
                                                            os.environ.get("PYTHONPATH", "")])}
        out = subprocess.run([sys.executable, __file__, "--client", kind, "--url", cluster.url, "--count",
                              str(count)], capture_output=True, text=True, env=env, timeout=600, check=True)
    finally:
        cluster.stop()
    measured = json.loads(out.stdout.strip().splitlines()[-1])
    calls = 3 * count
    return {"client_cpu_ms_per_call": round(1000 * measured["cpu_s"] / calls, 3),
            "client_cpu_ms_per_tweetbot": round(1000 * measured["cpu_s"] / count, 3),
            "wall_s": round(measured["wall_s"], 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--client", choices=["aiohttp", "official"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, default=RESULT)
    args = parser.parse_args()
    if args.client:
        client_main(args.client, args.url, args.count)
        return 0
    result = {"benchmark": "api_client_cost", "tweetbots": args.count,
              "calls_per_tweetbot": ["POST jobs", "PATCH tweetbots/status", "POST events"],
              "operator_client_aiohttp": measure("aiohttp", args.count),
              "official_kubernetes_client_threads": measure("official", args.count),
              "machine": {"cpus": os.cpu_count(), "python": platform.python_version()}}
    write_result(args.output, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
