"""The baseline for bench/serve_throughput.py: the naive way to serve a model, one `transformers.pipeline` call
per request, one request at a time (a single worker thread owns the pipeline), same /v1/completions shape.

python bench/naive_pipeline_server.py --model DIR --port N [--device cpu|cuda]
"""

from __future__ import annotations

import argparse
import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiohttp import web
from transformers import pipeline


def build_app(model: str, device: str) -> web.Application:
    generator = pipeline("text-generation", model=model, device=device)
    tokenizer = generator.tokenizer
    worker = ThreadPoolExecutor(max_workers=1)

    def generate(body: dict[str, Any]) -> dict[str, Any]:
        prefix = tokenizer.eos_token
        outputs = generator(prefix + body["prompt"], max_new_tokens=body.get("max_tokens", 16), do_sample=True,
                            temperature=body.get("temperature", 1.0), top_p=body.get("top_p", 1.0),
                            num_return_sequences=body.get("n", 1), return_full_text=False,
                            pad_token_id=tokenizer.eos_token_id)
        texts = [o["generated_text"] for o in outputs]
        tokens = sum(len(tokenizer(t)["input_ids"]) for t in texts)
        return {"object": "text_completion", "choices": [{"text": t, "index": i} for i, t in enumerate(texts)],
                "usage": {"completion_tokens": tokens}}

    async def completions(request: web.Request) -> web.Response:
        body = await request.json()
        answer = await asyncio.get_running_loop().run_in_executor(worker, generate, body)
        return web.json_response(answer)

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_post("/v1/completions", completions)
    app.router.add_get("/healthz", healthz)
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    web.run_app(build_app(args.model, args.device), host="127.0.0.1", port=args.port, print=None)


if __name__ == "__main__":
    main()
