"""Posts in, clean training text out: the library behind `tweetbot-train prepare` (and `run`).

prepare_dataset fetches each user's posts from one source, applies huggingtweets' cleaning, checks there is
enough text, and writes out_dir/train.txt, out_dir/eval.txt and out_dir/stats.json.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tweetbot_trainer.data.cleaning import CleanedPosts, clean_posts
from tweetbot_trainer.data.dataset import build_training_text
from tweetbot_trainer.data.incremental import POSTS_FILE, History, write_posts
from tweetbot_trainer.data.languages import rank_languages
from tweetbot_trainer.data.refresh import fetch_users
from tweetbot_trainer.data.sources import SOURCE_KINDS, SourceSpec
from tweetbot_trainer.errors import TweetBotInputError

__all__ = [
    "MIN_KEPT_CHARS",
    "SAMPLE_ARCHIVE",
    "WARN_KEPT_CHARS",
    "PreparedDataset",
    "SourceSpec",
    "add_source_arguments",
    "prepare_dataset",
    "source_spec_from_args",
]

# huggingtweets' limits, on its measure (CleanedPosts.kept_chars): below the first a fine-tune only memorises
# (an error), below the second it works but overfits quickly (a warning).
MIN_KEPT_CHARS = 6_000
WARN_KEPT_CHARS = 40_000
MEASURE = "characters of kept posts joined by '<|endoftext|>', as huggingtweets counts"
SAMPLE_ARCHIVE = Path(__file__).parent.parent / "samples" / "tweets.js"  # synthetic archive for the offline demo

EventSink = Callable[[dict[str, Any]], None]


@dataclass
class PreparedDataset:
    out_dir: Path
    train_path: Path  # out_dir/"train.txt"
    eval_path: Path  # out_dir/"eval.txt"
    stats: dict[str, dict[str, int]]  # per user, in the order given: downloaded, retweets, short, kept (+ skipped)
    profiles: dict[str, dict[str, str]]  # per user when the source knows it: display_name, avatar_url
    languages: list[str]  # ISO 639-1 codes of kept posts, most frequent first
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how the posts were read (long posts, the account)
    data: dict[str, Any] = field(default_factory=dict)  # incremental.py's counts: posts, newPosts, newestPost...


def _normalize_users(users: list[str]) -> list[str]:
    handles: list[str] = []
    for user in users:
        handle = user.strip().lstrip("@")
        if not handle:
            raise TweetBotInputError("UnknownUser", f"empty user handle {user!r}")
        if handle not in handles:
            handles.append(handle)
    if not handles:
        raise TweetBotInputError("UnknownUser", "no user given (--user)")
    return handles


def _user_counts(cleaned: CleanedPosts, skipped: int) -> dict[str, int]:
    counts = cleaned.counts()
    if skipped:
        counts["skipped"] = skipped
    return counts


def _check_amount(user: str, cleaned: CleanedPosts, warnings: list[str]) -> None:
    chars = cleaned.kept_chars
    if chars < MIN_KEPT_CHARS:
        raise TweetBotInputError(
            "NotEnoughPosts",
            f"not enough posts: @{user} has {chars:,} {MEASURE} ({len(cleaned.kept)} of {cleaned.downloaded}"
            f" posts kept after dropping {cleaned.retweets} reposts and {cleaned.short} short posts);"
            f" at least {MIN_KEPT_CHARS:,} are needed",
        )
    if chars < WARN_KEPT_CHARS:
        warnings.append(
            f"@{user} has only {chars:,} {MEASURE} (under {WARN_KEPT_CHARS:,}): the model will overfit quickly"
        )


def prepare_dataset(
    users: list[str],
    source: SourceSpec,
    out_dir: Path,
    seed: int = 42,
    s3_endpoint: str | None = None,
    *,
    on_event: EventSink | None = None,
    history: History | None = None,
    full_fetch_every: int = 0,
) -> PreparedDataset:
    """Fetch, clean, check and write the training text of `users`.

    `on_event` receives the progress events of docs/design.md ("phase" download/prepare, then "stats") as
    they happen; the stats event comes before the not-enough-posts check, so a failing run still shows them.
    `history` (the previous run's posts): fetch only what is new and train on old + new (data/incremental.py);
    every post goes to out_dir/posts.jsonl.gz for the next run.
    """
    emit = on_event or (lambda event: None)
    handles = _normalize_users(users)
    emit({"event": "phase", "phase": "download", "ts": time.time()})
    refreshed = fetch_users(handles, source, s3_endpoint, history or History(), full_fetch_every)
    fetched = refreshed.results
    notes = [note for result in fetched.values() for note in result.notes]
    for note in notes:
        emit({"event": "log", "level": "info", "message": note})

    emit({"event": "phase", "phase": "prepare", "ts": time.time()})
    cleaned = {user: clean_posts(result.posts) for user, result in fetched.items()}
    stats = {user: _user_counts(cleaned[user], fetched[user].skipped) for user in handles}
    profiles = {user: dict(result.profile) for user, result in fetched.items()}
    emit({"event": "stats", "users": stats})

    warnings: list[str] = []
    for user in handles:
        _check_amount(user, cleaned[user], warnings)
    for warning in warnings:
        emit({"event": "log", "level": "warning", "message": warning})
    languages = rank_languages(
        (post.lang, text) for c in cleaned.values() for post, text in zip(c.kept_posts, c.kept, strict=True)
    )
    text = build_training_text({user: cleaned[user].kept for user in handles}, seed)

    out_dir.mkdir(parents=True, exist_ok=True)
    train_path, eval_path = out_dir / "train.txt", out_dir / "eval.txt"
    write_posts(out_dir / POSTS_FILE, refreshed.posts)
    train_text = text.train_text
    train_path.write_text(train_text, encoding="utf-8")
    eval_path.write_text(text.eval_text, encoding="utf-8")
    summary = {
        "users": stats,
        "profiles": profiles,
        "languages": languages,
        "seed": seed,
        "train_posts": len(text.train),
        "eval_posts": len(text.eval),
        "train_chars": len(train_text),
        "warnings": warnings,
        "notes": notes,
        "data": refreshed.data,
    }
    (out_dir / "stats.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return PreparedDataset(
        out_dir=out_dir,
        train_path=train_path,
        eval_path=eval_path,
        stats=stats,
        profiles=profiles,
        languages=languages,
        warnings=warnings,
        notes=notes,
        data=refreshed.data,
    )


def _add_once(parser: argparse.ArgumentParser, flag: str, **kwargs: Any) -> None:
    """Skip a flag the parser already has (`run` combines these with training flags that share --seed)."""
    if flag not in parser._option_string_actions:
        parser.add_argument(flag, **kwargs)


def add_source_arguments(parser: argparse.ArgumentParser) -> None:
    _add_once(
        parser,
        "--user",
        dest="users",
        action="append",
        required=True,
        metavar="HANDLE",
        help="whose posts to train on; repeat for several users",
    )
    _add_once(parser, "--source", required=True, choices=SOURCE_KINDS, help="where the posts come from")
    _add_once(
        parser,
        "--source-uri",
        metavar="URI",
        help="archive/file location: local path, s3://, https://; {user} is replaced by each handle",
    )
    _add_once(
        parser,
        "--local-sources",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="allow local paths as --source-uri (default); the Job gets --no-local-sources: s3:// or https:// only",
    )
    _add_once(parser, "--source-url", metavar="URL", help="API base URL (X API, Mastodon instance, Bluesky AppView)")
    _add_once(
        parser,
        "--token-env",
        metavar="NAME",
        help="environment variable holding the API token (default X_BEARER_TOKEN for x-api, MASTODON_TOKEN for"
        " mastodon)",
    )
    _add_once(parser, "--seed", type=int, default=42, help="seed of the shuffle and the held-out split")
    _add_once(parser, "--s3-endpoint", metavar="URL", help="S3 endpoint (else boto3's AWS_ENDPOINT_URL_S3)")


def source_spec_from_args(args: argparse.Namespace) -> SourceSpec:
    return SourceSpec(
        kind=args.source,
        uri=getattr(args, "source_uri", None),
        url=getattr(args, "source_url", None),
        token_env=getattr(args, "token_env", None) or None,
        local=getattr(args, "local_sources", True),
    )
