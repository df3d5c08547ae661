"""Serving engines on one model folder: tweetbot-serve (torch engine), vLLM's OpenAI server direct, and
tweetbot-serve --upstream in front of that same vLLM (the pod's front door): tokens/s and p50/p95 latency at 1, 8
and 32 concurrent clients, 32 tokens each (bench/serve_throughput.py's load). What matters most: what the front
door costs against vLLM direct.

vLLM runs from TWEETBOT_VLLM_PYTHON (or .venv-vllm) with --enforce-eager (the CPU build's graph compilation takes
minutes) in --vllm-dtype; the torch engine loads the checkpoint as transformers does (dtype "auto": the config's
dtype), recorded in the result. The load average is recorded before each engine: other work on the machine skews
the numbers.

python bench/engine_throughput.py --model /work/main/.demo/base-models/smollm2-135m [--vllm-dtype bfloat16]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench_result import write_result
from serve_throughput import LEVELS, load

ROOT = Path(__file__).resolve().parent.parent
RESULT = ROOT / "bench" / "results" / "engine_throughput.json"
NAME = "bench-bot"
VLLM_ENV = {"VLLM_CPU_KVCACHE_SPACE": "2", "VLLM_CPU_OMP_THREADS_BIND": "0-1", "VLLM_NO_USAGE_STATS": "1",
            "DO_NOT_TRACK": "1", "HF_HUB_OFFLINE": "1"}


def start(command: list[str], health: str, log: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT, env={**os.environ, **env})
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{command[:3]} exited: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(health, timeout=2):
                return process
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{command[:3]} did not start")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def levels(urls: dict[str, str], args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    """Each level runs on every engine in turn, --repeats times (A B A B: interference from other work on the
    machine hits both alike); the best run of each engine is kept, every run is recorded."""
    runs: dict[str, dict[str, Any]] = {name: {"load_average_before": os.getloadavg()[0], "levels": [], "all": []}
                                       for name in urls}
    for clients in LEVELS:
        tries: dict[str, list[dict[str, Any]]] = {name: [] for name in urls}
        for _ in range(args.repeats):
            for name, url in urls.items():
                level = asyncio.run(load(url, clients, args.requests_per_client, args.max_tokens))
                level["load_average"] = os.getloadavg()[0]
                print(json.dumps({"engine": name, **level}), file=sys.stderr, flush=True)
                tries[name].append(level)
        for name, found in tries.items():
            runs[name]["levels"].append(max(found, key=lambda level: level["tokens_per_s"]))
            runs[name]["all"] += found
    return runs


def torch_dtype(model: str) -> str:
    config = json.loads((Path(model) / "config.json").read_text())
    return str(config.get("dtype") or config.get("torch_dtype") or "float32")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="a model folder both engines load")
    parser.add_argument("--vllm-dtype", default="bfloat16")
    parser.add_argument("--vllm-python", default=os.environ.get("TWEETBOT_VLLM_PYTHON",
                                                                str(ROOT / ".venv-vllm" / "bin" / "python")))
    parser.add_argument("--max-tokens", type=int, default=32)
    parser.add_argument("--requests-per-client", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2, help="runs of each level per engine; the best is kept")
    parser.add_argument("--threads", type=int, default=2, help="torch engine CPU threads (vLLM binds cores 0-1)")
    parser.add_argument("--out", type=Path, default=RESULT)
    args = parser.parse_args()
    serve = [sys.executable, "-m", "tweetbot_trainer.serve", "--model", args.model, "--model-name", NAME,
             "--max-concurrency", "256", "--max-batch", "64", "--device", "cpu"]
    threads = {"OMP_NUM_THREADS": str(args.threads), "MKL_NUM_THREADS": str(args.threads)}
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        logs = Path(tmp)
        process = start([*serve, "--port", "18441"], "http://127.0.0.1:18441/healthz", logs / "torch.log", threads)
        try:
            results["tweetbot-serve"] = {"dtype": torch_dtype(args.model),
                                         **levels({"tweetbot-serve": "http://127.0.0.1:18441"}, args)["tweetbot-serve"]}
        finally:
            stop(process)
        vllm = start([args.vllm_python, "-m", "vllm.entrypoints.openai.api_server", "--model", args.model,
                      "--served-model-name", NAME, "--host", "127.0.0.1", "--port", "18442", "--enforce-eager",
                      "--dtype", args.vllm_dtype, "--max-model-len", "1024"], "http://127.0.0.1:18442/health",
                     logs / "vllm.log", VLLM_ENV)
        try:
            front = start([*serve, "--port", "18443", "--upstream", "http://127.0.0.1:18442"],
                          "http://127.0.0.1:18443/healthz", logs / "front.log", threads)
            try:
                found = levels({"vllm": "http://127.0.0.1:18442", "tweetbot-serve->vllm": "http://127.0.0.1:18443"},
                               args)
                for name, runs in found.items():
                    results[name] = {"dtype": args.vllm_dtype, **runs}
            finally:
                stop(front)
        finally:
            stop(vllm)
    direct, proxied = results["vllm"]["levels"], results["tweetbot-serve->vllm"]["levels"]
    front_door = {str(d["clients"]): {"tokens_per_s_ratio": round(p["tokens_per_s"] / max(1e-9, d["tokens_per_s"]), 3),
                                      "p50_added_s": round(p["p50_s"] - d["p50_s"], 3)}
                  for d, p in zip(direct, proxied, strict=True)}
    report = {"benchmark": "engine_throughput", "model": Path(args.model).name, "max_tokens": args.max_tokens,
              "requests_per_client": args.requests_per_client, "repeats": args.repeats,
              "torch_threads": args.threads, "results": results,
              "front_door_vs_vllm": front_door, "cpu_count": os.cpu_count(), "python": platform.python_version()}
    write_result(args.out, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
