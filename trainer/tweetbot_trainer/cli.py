"""`tweetbot-train`: one entry point for the standalone CLI and the Kubernetes Job.

Each subcommand lives in its own module exposing `add_arguments(parser)` and `main(args) -> int`; they are
imported lazily so that `prepare` never pays for importing torch.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from tweetbot_trainer._version import __version__
from tweetbot_trainer.errors import ReasonedError, TweetBotTransientError

# subcommand -> (module, one-line help)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "prepare": ("tweetbot_trainer.commands.prepare", "fetch and clean posts, write the training text"),
    "train": ("tweetbot_trainer.commands.train", "fine-tune on prepared text, upload model and card"),
    "run": ("tweetbot_trainer.commands.run", "prepare + train: what the Kubernetes Job runs"),
    "plan": ("tweetbot_trainer.commands.plan", "the memory and batch plan a run would use on a GPU"),
    "fetch-model": ("tweetbot_trainer.commands.fetch_model", "a finished run's verified files into a local folder"),
    "delete": ("tweetbot_trainer.commands.delete", "delete a run's (or every run's) artifacts from S3"),
    "make-tiny-model": ("tweetbot_trainer.commands.tiny_model", "build a small GPT-2 offline"),
    "convert-gguf": ("tweetbot_trainer.commands.gguf_model", "a GGUF file (default: SmolLM2-135M) as a checkpoint"),
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tweetbot-train", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        if only is not None and name != only:
            sub.add_parser(name, help=help_text, add_help=False)
            continue
        module = importlib.import_module(module_name)
        module.add_arguments(sub.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv and argv[0] in SUBCOMMANDS else None
    args = build_parser(only=command).parse_args(argv)
    args.argv = argv  # the launcher starts its workers with the same command line
    module = importlib.import_module(SUBCOMMANDS[args.command][0])
    try:
        return int(module.main(args))
    except ReasonedError as err:
        hint = " (retry may help)" if isinstance(err, TweetBotTransientError) else ""
        print(f"tweetbot-train {args.command}: error{hint}: {err.message}", file=sys.stderr)
        return err.exit_code


if __name__ == "__main__":
    sys.exit(main())
