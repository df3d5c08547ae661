"""Serving throughput: tweetbot-serve (continuous batching, one forward per decode step for every sequence)
against the naive server (bench/naive_pipeline_server.py: one transformers.pipeline call per request), same
model, same prompts, same sampling, with 1, 8 and 32 concurrent clients.

Each client sends its requests back to back; tokens/s is all completion tokens over the wall time of the level,
latency is per request. Prints one JSON object and writes bench/results/serve_throughput.json.
Goal: >= 3x the naive server's tokens/s at 8 clients.

python bench/serve_throughput.py [--device cpu|cuda] [--max-tokens 32] [--requests-per-client 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import aiohttp
import torch
from bench_result import write_result
from tweetbot_trainer.publish.outputs import write_model_files
from tweetbot_trainer.train.model_loading import build_tiny_model, load_model_and_tokenizer

ROOT = Path(__file__).resolve().parent.parent
RESULT = ROOT / "bench" / "results" / "serve_throughput.json"
PROMPTS = ["My dream is", "I think that", "The best thing about", "Today I", "Why does everyone", "My favourite"]
LEVELS = (1, 8, 32)
GOAL = 3.0


def make_model(folder: Path, size: str, logit_scale: float) -> dict[str, Any]:
    """A GPT-2 shaped model with random weights, written as a finished run writes it. The final layer norm is
    scaled by `logit_scale`: at 16 its next-token distributions are as peaked as a trained GPT-2's (a top-p 0.95
    nucleus of ~65 tokens for "My dream is"); at 1 (random init) they are flat, a nucleus of ~45,000 tokens."""
    sizes = {"small": {"n_layer": 4, "n_head": 4, "n_embd": 256},
             "gpt2": {"n_layer": 12, "n_head": 12, "n_embd": 768}}[size]
    build_tiny_model(folder / "base", n_positions=1024, **sizes)
    model, tokenizer = load_model_and_tokenizer(str(folder / "base"))
    with torch.no_grad():
        model.transformer.ln_f.weight.mul_(logit_scale)
    write_model_files(model, tokenizer, folder / "run")
    return {**sizes, "logit_scale": logit_scale}


def start(args: list[str], port: int, log: Path, threads: int) -> subprocess.Popen[bytes]:
    # The same CPU thread budget for both servers: the comparison is of serving, not of thread counts.
    env = {**os.environ, "OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads)}
    process = subprocess.Popen([sys.executable, *args], stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{args} exited: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{args} did not start")


async def load(url: str, clients: int, per_client: int, max_tokens: int) -> dict[str, Any]:
    latencies: list[float] = []
    tokens = 0

    async def client(session: aiohttp.ClientSession, k: int) -> None:
        nonlocal tokens
        for r in range(per_client):
            body = {"prompt": PROMPTS[(k + r) % len(PROMPTS)], "max_tokens": max_tokens, "temperature": 1.0,
                    "top_p": 0.95}
            began = time.perf_counter()
            async with session.post(url + "/v1/completions", json=body) as answer:
                payload = await answer.json()
                assert answer.status == 200, payload
            latencies.append(time.perf_counter() - began)
            tokens += int(payload["usage"]["completion_tokens"])

    timeout = aiohttp.ClientTimeout(total=3600)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as session:
        await client(session, 0)  # warm-up, not counted
        latencies.clear()
        tokens = 0
        began = time.perf_counter()
        await asyncio.gather(*(client(session, k) for k in range(clients)))
        wall = time.perf_counter() - began
    ordered = sorted(latencies)
    return {"clients": clients, "requests": len(latencies), "completion_tokens": tokens, "seconds": round(wall, 3),
            "tokens_per_s": round(tokens / wall, 1), "p50_s": round(statistics.median(ordered), 3),
            "p95_s": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 3)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--size", choices=["small", "gpt2"], default="small")
    parser.add_argument("--max-tokens", type=int, default=32)
    parser.add_argument("--logit-scale", type=float, default=16.0, help="1 = flat random-init distributions")
    parser.add_argument("--requests-per-client", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="CPU threads of each server (OMP_NUM_THREADS)")
    parser.add_argument("--out", type=Path, default=RESULT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sizes = make_model(folder, args.size, args.logit_scale)
        run = str(folder / "run")
        servers = {
            "tweetbot-serve": ["-m", "tweetbot_trainer.serve", "--model", run, "--port", "18431", "--device",
                               args.device, "--max-concurrency", "256", "--max-batch", "64"],
            "naive-pipeline": [str(ROOT / "bench" / "naive_pipeline_server.py"), "--model", run, "--port", "18432",
                               "--device", args.device],
        }
        results: dict[str, list[dict[str, Any]]] = {}
        for name, server_args in servers.items():
            port = int(server_args[server_args.index("--port") + 1])
            process = start(server_args, port, folder / f"{name}.log", args.threads)
            try:
                results[name] = []
                for clients in LEVELS:
                    level = asyncio.run(load(f"http://127.0.0.1:{port}", clients, args.requests_per_client,
                                             args.max_tokens))
                    print(json.dumps({"server": name, **level}), file=sys.stderr, flush=True)
                    results[name].append(level)
            finally:
                process.terminate()
                process.wait(timeout=30)
    speedup = {str(c): round(b["tokens_per_s"] / max(1e-9, n["tokens_per_s"]), 2)
               for c, b, n in zip(LEVELS, results["tweetbot-serve"], results["naive-pipeline"], strict=True)}
    report = {
        "benchmark": "serve_throughput", "device": args.device, "model": {"kind": "gpt2", **sizes},
        "max_tokens": args.max_tokens, "requests_per_client": args.requests_per_client, "threads": args.threads,
        "results": results, "speedup_tokens_per_s": speedup, "goal_at_8_clients": GOAL,
        "goal_met": speedup["8"] >= GOAL, "cpu_count": os.cpu_count(), "torch": torch.__version__,
        "python": platform.python_version(),
        "gpu": torch.cuda.get_device_name() if args.device.startswith("cuda") else None,
    }
    write_result(args.out, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
