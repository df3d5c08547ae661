"""Scale benchmark of the operator: N TweetBots against the emulated Kubernetes API, the real operator running.

The API (tests/support/k8s_emulator.py) runs in this process, in its own thread; the operator runs as its
own process (`python -m tweetbot_operator`), so its RSS is its own. For each TweetBot, the latency is from
its creation to its Job's creation, both timed inside the API server. Goals: p50 < 1 s, RSS < 200 MB; in a burst
of 1,000, <= 3 ms of operator CPU per TweetBot and the last Job within 2 s of the last create.

    python bench/operator_scale.py [--count 1000] [--concurrency 20] [--rate PER_SECOND] [--output PATH]

A burst (the default) measures throughput: the latency then is mostly queueing behind the objects created
before. `--rate` measures the reaction time under a steady stream. Prints one JSON object and writes it to
bench/results/operator_scale.json (or --output).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import kopf
import psutil
import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench_result import write_result  # noqa: E402
from tweetbot_operator.k8s.client import Kube, tweetbot_path  # noqa: E402

from tests.support.k8s_emulator import EmulatorThread, KubernetesApi  # noqa: E402
from tests.support.operator_rbac import operator_grants  # noqa: E402

CRD = yaml.safe_load((REPO / "manifests" / "crd" / "tweetbot.io_tweetbots.yaml").read_text())
RESULT = REPO / "bench" / "results" / "operator_scale.json"


class Timings:
    """Creation times of TweetBots and Jobs, recorded by the API server as the objects are stored."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.tweetbots: dict[str, float] = {}
        self.jobs: dict[str, float] = {}
        self.all_jobs = threading.Event()
        self.expected = 0

    def record(self, resource: Any, obj: dict[str, Any]) -> None:
        now = time.monotonic()
        meta = obj["metadata"]
        with self.lock:
            if resource.plural == "tweetbots":
                self.tweetbots[meta["name"]] = now
            elif resource.plural == "jobs":
                owner = next((ref["name"] for ref in meta.get("ownerReferences") or []
                              if ref.get("kind") == "TweetBot"), None)
                if owner and owner not in self.jobs:
                    self.jobs[owner] = now
                    if len(self.jobs) >= self.expected:
                        self.all_jobs.set()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tweetbot(index: int) -> dict[str, Any]:
    name = f"bot-{index:05d}"
    return {
        "apiVersion": "tweetbot.io/v1alpha1", "kind": "TweetBot",
        "metadata": {"name": name, "namespace": "bench"},
        "spec": {
            "users": [f"user{index}"],
            "source": {"archive": {"uri": f"s3://bench/archives/user{index}.zip"}},
            "output": {"s3": f"s3://bench/{name}/", "credentialsSecret": {"name": "s3"}},
        },
    }


def wait_for_watches(cluster: EmulatorThread, operator: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if operator.poll() is not None:
            raise RuntimeError(f"the operator exited with {operator.returncode}")
        watched = cluster.call(lambda api: {path.split("?")[0].rsplit("/", 1)[-1]
                                            for method, path in api.request_log if "watch=true" in path})
        if {"tweetbots", "jobs"} <= watched:
            time.sleep(0.5)
            return
        time.sleep(0.1)
    raise RuntimeError("the operator did not start watching")


def request_summary(log: list[tuple[str, str]]) -> dict[str, int]:
    """Requests the API served, by method and resource (e.g. "PATCH tweetbots/status")."""
    counts: dict[str, int] = {}
    for method, path in log:
        parts = path.split("?")[0].strip("/").split("/")
        resource = parts[5] if len(parts) > 5 and parts[3] == "namespaces" else parts[-1]
        if len(parts) > 5 and parts[3] == "namespaces" and len(parts) > 7:
            resource += "/" + parts[7]
        if parts[0] == "api" and len(parts) > 4 and parts[2] == "namespaces":
            resource = parts[4] + ("/" + parts[6] if len(parts) > 6 else "")
        watch = "watch=true" in path
        key = f"{'WATCH' if watch else method} {resource}"
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def create_all(url: str, count: int, concurrency: int, rate: float | None) -> float:
    """Creates the TweetBots, `concurrency` at a time, all at once (a burst) or `rate` per second."""
    kube = Kube(kopf.ConnectionInfo(server=url))
    limit = asyncio.Semaphore(concurrency)
    started = time.monotonic()

    async def one(index: int) -> None:
        if rate:
            await asyncio.sleep(max(0.0, started + index / rate - time.monotonic()))
        async with limit:
            await kube.create(tweetbot_path("bench"), tweetbot(index))

    try:
        await asyncio.gather(*(one(i) for i in range(count)))
    finally:
        await kube.close()
    return time.monotonic() - started


def summarize(args: argparse.Namespace, timings: Timings, *, finished: bool, create_seconds: float, cpu: Any,
              rss: Any, requests: Any) -> dict[str, Any]:
    """The benchmark's JSON: latencies, CPU per TweetBot from the first create on, RSS, API calls, goals."""
    idle_cpu, cpu = cpu
    idle_rss, end_rss, rss_samples = rss
    latencies = [timings.jobs[name] - created for name, created in timings.tweetbots.items() if name in timings.jobs]
    first, last = min(timings.tweetbots.values()), max(timings.jobs.values(), default=float("nan"))
    last_create = max(timings.tweetbots.values())
    busy_cpu = (cpu.user + cpu.system) - (idle_cpu.user + idle_cpu.system)  # from the first create on
    result = {
        "benchmark": "operator_scale",
        "objects": args.count,
        "create_concurrency": args.concurrency,
        "create_rate_per_s": args.rate or "burst",
        "jobs_created": len(timings.jobs),
        "all_jobs_created": finished,
        "latency_p50_s": round(statistics.median(latencies), 4) if latencies else None,
        "latency_p95_s": round(percentile(latencies, 0.95), 4) if latencies else None,
        "latency_max_s": round(max(latencies), 4) if latencies else None,
        "create_all_s": round(create_seconds, 3),
        "first_create_to_last_job_s": round(last - first, 3),
        "last_create_to_last_job_s": round(last - last_create, 3),
        "operator_cpu_ms_per_tweetbot": round(1000 * busy_cpu / args.count, 2),
        "operator_rss_mb_idle": round(idle_rss / 2**20, 1),
        "operator_rss_mb_max": round(max(rss_samples) / 2**20, 1) if rss_samples else None,
        "operator_rss_mb_end": round(end_rss / 2**20, 1),
        "operator_cpu_s": round(cpu.user + cpu.system, 2),
        "api_requests": requests,
        "goals": {"latency_p50_s": 1.0, "operator_rss_mb": 200, "operator_cpu_ms_per_tweetbot": 3.0,
                  "last_create_to_last_job_s": 2.0},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }
    result["goals_met"] = bool(
        finished and result["latency_p50_s"] is not None and result["latency_p50_s"] < 1.0
        and (result["operator_rss_mb_max"] or 0) < 200
        and result["operator_cpu_ms_per_tweetbot"] <= 3.0 and result["last_create_to_last_job_s"] <= 2.0
    )
    return result


def start_operator(server: str, profile_to: Path | None) -> tuple[subprocess.Popen[bytes], Path]:
    """`python -m tweetbot_operator` as its image runs it, logged in through a kubeconfig; its log's path."""
    workdir = Path(tempfile.mkdtemp(prefix="operator-scale-"))
    kubeconfig = workdir / "kubeconfig"
    kubeconfig.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "bench",
        "clusters": [{"name": "bench", "cluster": {"server": server}}],
        "users": [{"name": "bench", "user": {"token": "bench"}}],
        "contexts": [{"name": "bench", "context": {"cluster": "bench", "user": "bench"}}],
    }))
    env = {**os.environ, "KUBECONFIG": str(kubeconfig), "TWEETBOT_HEALTH_PORT": str(free_port()),
           "TWEETBOT_METRICS_PORT": str(free_port()), "TWEETBOT_LOG_FORMAT": "json"}
    env.pop("KUBERNETES_SERVICE_HOST", None)
    log_path = workdir / "operator.log"
    with log_path.open("w") as log:
        # --profile: the operator under cProfile (its numbers then include cProfile's own overhead).
        profile = ["-m", "cProfile", "-o", str(profile_to)] if profile_to else []
        operator = subprocess.Popen([sys.executable, *profile, "-m", "tweetbot_operator"], env=env, stdout=log,
                                    stderr=subprocess.STDOUT)
    return operator, log_path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=20, help="TweetBots being created at once")
    parser.add_argument("--rate", type=float, default=None,
                        help="TweetBots created per second (default: all at once, a burst)")
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--output", type=Path, default=RESULT)
    parser.add_argument("--profile", type=Path, default=None, help="write the operator's cProfile stats here")
    args = parser.parse_args()

    timings = Timings()
    timings.expected = args.count

    def setup(api: KubernetesApi) -> None:
        api.register_crd(CRD)
        api.register_builtins()
        api.on_create = timings.record
        api.gate.validate_builtins = False  # the API server's own work; this process also plays it, on 2 cores
        user, grants = operator_grants("chart")  # the operator's requests pass the chart's RBAC
        api.gate.bind("bench", user, list(grants))

    cluster = EmulatorThread(setup).start()
    operator, log_path = start_operator(cluster.url, args.profile)
    proc = psutil.Process(operator.pid)
    rss_samples: list[int] = []
    stop_sampling = threading.Event()

    def sample() -> None:
        while not stop_sampling.is_set():
            try:
                rss_samples.append(proc.memory_info().rss)
            except psutil.Error:
                return
            stop_sampling.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        wait_for_watches(cluster, operator)  # the operator has logged in and watches TweetBots and Jobs
        idle_rss = proc.memory_info().rss
        idle_cpu = proc.cpu_times()
        create_seconds = asyncio.run(create_all(cluster.url, args.count, args.concurrency, args.rate))
        finished = timings.all_jobs.wait(args.timeout)
        time.sleep(2.0)  # let it settle (status writes, events) before the final RSS
        end_rss = proc.memory_info().rss
        cpu = proc.cpu_times()
        requests = cluster.call(lambda api: request_summary(api.request_log))
    finally:
        stop_sampling.set()
        operator.terminate()
        try:
            operator.wait(30)
        except subprocess.TimeoutExpired:
            operator.kill()
        cluster.stop()

    result = summarize(args, timings, finished=finished, create_seconds=create_seconds, cpu=(idle_cpu, cpu),
                       rss=(idle_rss, end_rss, rss_samples), requests=requests)
    result["operator_log"] = str(log_path)
    write_result(args.output, result)
    return 0 if finished else 1


if __name__ == "__main__":
    sys.exit(main())
