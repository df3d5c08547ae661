"""`python -m tweetbot_operator`: settings from the environment, JSON logs, metrics, then kopf."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

import kopf
from prometheus_client import start_http_server

from tweetbot_operator._version import __version__
from tweetbot_operator.app import run
from tweetbot_operator.settings import Settings, SettingsError


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["render"]:  # the preview: what a TweetBot makes, sent nowhere
        from tweetbot_operator.render import main as render

        return render(args[1:])
    parser = argparse.ArgumentParser(prog="tweetbot-operator", description="The TweetBot operator; every setting is an "
                                     "environment variable (TWEETBOT_*, docs/design.md). `render -f FILE` previews "
                                     "what it would create for a TweetBot.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.parse_args(args)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"tweetbot-operator: {exc}", file=sys.stderr)
        return 2
    # kopf's levels: debug, INFO by default, WARNING when quiet; `error` narrows the root logger further.
    kopf.configure(debug=settings.log_level == "debug", quiet=settings.log_level in ("warning", "error"),
                   log_format=kopf.LogFormat.JSON if settings.log_format == "json" else kopf.LogFormat.FULL)
    if settings.log_level == "error":
        logging.getLogger().setLevel(logging.ERROR)
    start_http_server(settings.metrics_port)
    asyncio.run(run(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
