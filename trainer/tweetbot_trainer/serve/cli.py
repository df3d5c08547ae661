"""`tweetbot-serve --model DIR|s3://bucket/prefix/run/`: loads a finished run and serves it over HTTP."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from tweetbot_trainer._version import __version__
from tweetbot_trainer.errors import ReasonedError, TweetBotInputError
from tweetbot_trainer.serve.params import Limits

if TYPE_CHECKING:
    from tweetbot_trainer.serve.completions import Server


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tweetbot-serve", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--model", required=True, help="a run folder, or s3://bucket/prefix/<run-id>/")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0 in a pod)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--api-key-env", default=None,
                        help="environment variable holding the bearer token /v1/ requires (default: none needed)")
    parser.add_argument("--model-name", default=None, help="the model id clients send (default: the run id)")
    parser.add_argument("--s3-endpoint", default=None)
    parser.add_argument("--cache-dir", default=None, help="where an s3:// run is downloaded (default: a temp dir)")
    parser.add_argument("--device", default=None, help="cpu, cuda, cuda:1 (default: cuda when there is one)")
    parser.add_argument("--upstream", default=None, metavar="URL",
                        help="generate on this vLLM (OpenAI API) server, e.g. http://127.0.0.1:8001, instead of "
                             "loading the model: --model then gives only the tokenizer and the bot")
    parser.add_argument("--upstream-model", default=None, metavar="NAME",
                        help="the model name the upstream serves (default: --model-name, else the run id)")
    parser.add_argument("--upstream-wait", type=_seconds, default=900.0, metavar="SECONDS",
                        help="for an adapter-only run, how long to wait for the upstream's /v1/models (its context)")
    parser.add_argument("--allowed-host", action="extend", nargs="+", default=[], metavar="NAME",
                        help="a host name the Host header may name when no key is set, besides localhost and --host "
                             "(several, or comma-separated; '*': any). IP addresses are always accepted")
    parser.add_argument("--require-key-for-info", action="store_true",
                        help="with --api-key-env, /metrics and /api/bot need the key too")
    parser.add_argument("--header-timeout", type=_seconds, default=10.0,
                        help="seconds a connection has to send a request's headers, from when it opens or its "
                             "previous answer ended (so also the idle keep-alive limit); then it is closed")
    parser.add_argument("--body-timeout", type=_seconds, default=30.0,
                        help="seconds a request has to send its body once the headers are in; then 408 and close")
    defaults = Limits()
    for name in ("max_prompt_tokens", "max_tokens", "max_n", "max_concurrency", "max_batch"):
        parser.add_argument("--" + name.replace("_", "-"), type=int, default=getattr(defaults, name))
    return parser


def _seconds(text: str) -> float:
    value = float(text)
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"{text}: seconds must be more than 0 and at most 3600")
    return value


def api_key_from(env_name: str | None) -> str | None:
    if not env_name:
        return None
    value = os.environ.get(env_name, "").strip()
    if not value:
        raise TweetBotInputError("MissingApiKey", f"--api-key-env {env_name}: that environment variable is empty")
    return value


def load_server(args: argparse.Namespace, cache_dir: Path) -> Server:
    """The model on its device, the engine started, the limits fitted to the model's context."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from tweetbot_trainer.serve.bot_info import read_bot_info
    from tweetbot_trainer.serve.completions import Server
    from tweetbot_trainer.serve.engine import Engine
    from tweetbot_trainer.serve.metrics import ServeMetrics
    from tweetbot_trainer.serve.model_files import resolve

    folder = resolve(args.model, cache_dir, args.s3_endpoint)
    device = torch.device(args.device or ("cuda" if torch.cuda.is_available() else "cpu"))
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model: Any = AutoModelForCausalLM.from_pretrained(folder, attn_implementation="sdpa")
    model.to(device)
    bot = read_bot_info(folder, args.model_name)
    context = int(getattr(model.config, "n_positions", 0) or getattr(model.config, "max_position_embeddings", 1024))
    limits = Limits(max_prompt_tokens=min(args.max_prompt_tokens, context - 1), max_tokens=args.max_tokens,
                    max_n=min(args.max_n, args.max_batch), max_concurrency=args.max_concurrency,
                    max_batch=args.max_batch, context=context)
    eos = bot.defaults.eos_token_id if bot.defaults.eos_token_id is not None else tokenizer.eos_token_id
    engine_box: list[Engine] = []
    metrics = ServeMetrics(lambda: engine_box[0].active_rows, lambda: engine_box[0].waiting_jobs)
    engine = Engine(model, tokenizer, eos, limits.max_batch, on_tokens=metrics.tokens.inc)
    engine_box.append(engine)
    engine.start()
    return Server(engine, tokenizer, bot, limits, metrics)


def _load(args: argparse.Namespace, cache_dir: Path) -> Server:
    if not args.upstream:
        return load_server(args, cache_dir)
    from tweetbot_trainer.serve.upstream import load_upstream_server

    return load_upstream_server(args, cache_dir)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from aiohttp import web

    from tweetbot_trainer.serve.app import build_app
    from tweetbot_trainer.serve.security import Access, allowed_hosts

    try:
        access = Access(api_key_from(args.api_key_env), allowed_hosts(args.host, args.allowed_host),
                        args.require_key_for_info, args.body_timeout)
        with tempfile.TemporaryDirectory(prefix="tweetbot-serve-") as tmp:
            server = _load(args, Path(args.cache_dir) if args.cache_dir else Path(tmp))
            print(f"tweetbot-serve: serving {server.bot.model_id} on http://{args.host}:{args.port}/", flush=True)
            # The keep-alive timer also runs while a request's headers trickle in: it bounds both. A closed
            # connection cancels its handler, and with it the request's rows in the batch.
            app = build_app(server, access)
            if args.upstream:
                from tweetbot_trainer.serve.upstream import UpstreamEngine

                upstream = cast(UpstreamEngine, server.engine)
                app.on_cleanup.append(lambda _app: upstream.aclose())
            web.run_app(app, host=args.host, port=args.port, print=None,
                        keepalive_timeout=args.header_timeout, handler_cancellation=True, lingering_time=1.0)
            server.engine.stop()
    except ReasonedError as err:
        print(f"tweetbot-serve: error: {err.message}", file=sys.stderr)
        return err.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
