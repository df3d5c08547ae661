"""What the fuzz tests share: the hostile strings and hypothesis strategies, the checks every outcome must pass
(a clean dataset or a one-line input error), and helpers that prepare fuzzed bytes as a user's source."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from tweetbot_trainer.data import prepare
from tweetbot_trainer.data.post import MAX_POST_CHARS
from tweetbot_trainer.data.prepare import PreparedDataset, SourceSpec, prepare_dataset
from tweetbot_trainer.data.sources import http
from tweetbot_trainer.errors import TweetBotInputError, TweetBotTransientError

from tests.support.fuzz_scale import examples

T = TypeVar("T")
USER = "someone"
TOKEN_ENV = "FUZZ_X_TOKEN"
FUZZ = settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=examples(50), deadline=None, suppress_health_check=[HealthCheck.too_slow])
HTML_ERROR = b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"

# Strings that broke, or could break, something downstream: lone surrogates (no UTF-8 form), a post over the
# size cap, NUL and line separators, markup (`<![0` broke the stdlib's HTMLParser), entities, bidi controls, a
# repost and a status link.
HOSTILE_STRINGS = [
    "",
    " ",
    "\ud800",
    "ok words here \udfff then more",
    "x" * (MAX_POST_CHARS + 1),
    "\x00\x01\x1b[31m",
    "line one\u2028line two\u2029para\x85next\r\n",
    "<script>alert(1)</script><!-- c --><![CDATA[x",
    "<p>a status with <![0 in it</p>",
    "&amp;&#0;&#x110000;&#99999999999;&",
    "words before a reference of 5,000 digits &#" + "9" * 5000 + ";",  # html.unescape raised on it
    "\u202eevil\u202c",
    "RT @other: their words, not mine at all",
    "https://x.com/a/status/1 look at this thing",
    "a perfectly normal post with enough words in it",
    "日本語のテキストです、今日は晴れ",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(HOSTILE_STRINGS),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


def records_of(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """JSON objects with any subset of `fields`: a missing key is as likely as a wrong value."""
    return st.fixed_dictionaries({}, optional=fields)


texts = st.one_of(st.sampled_from(HOSTILE_STRINGS), st.text(max_size=80), json_values)


def check_error(err: BaseException, names: str) -> None:
    """The error a user sees: one printable line that names the file/handle, no traceback."""
    assert isinstance(err, TweetBotInputError | TweetBotTransientError), repr(err)
    message = str(err)
    assert message.strip(), "empty error message"
    assert "\n" not in message and "\r" not in message, message
    assert "Traceback" not in message and 'File "' not in message, message
    assert len(message) <= 1000
    message.encode("utf-8")  # goes to status conditions and the termination log
    # The file (or API base URL) for a problem with its content; the handle for too little text or a bad account.
    assert names in message or f"@{USER}" in message, f"neither {names!r} nor @{USER} in {message!r}"


def outcome(call: Callable[[], T], names: str) -> T | None:
    """`call()`'s result, or None after checking the error it raised; any other exception fails the test."""
    try:
        return call()
    except (TweetBotInputError, TweetBotTransientError) as err:
        check_error(err, names)
        return None


@pytest.fixture(scope="module", autouse=True)
def relaxed() -> Iterator[None]:
    """No minimum amount of text (so fuzzed data reaches the writing of train.txt), no rate-limit sleeps."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(prepare, "MIN_KEPT_CHARS", 1)
        mp.setenv(http.MAX_WAIT_ENV, "0")
        mp.setenv(TOKEN_ENV, "fuzz-token")
        yield


def prepare_one(source: SourceSpec, out: Path, names: str) -> PreparedDataset | None:
    """prepare_dataset for USER, and when it succeeds, check what it wrote can be read back."""
    prepared = outcome(lambda: prepare_dataset([USER], source, out), names)
    if prepared is not None:
        saved = json.loads((out / "stats.json").read_text(encoding="utf-8"))
        assert saved["users"] == prepared.stats
        prepared.train_path.read_text(encoding="utf-8")
    return prepared


def prepare_bytes(raw: bytes, filename: str, kind: str = "archive") -> PreparedDataset | None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / filename
        path.write_bytes(raw)
        return prepare_one(SourceSpec(kind, uri=str(path)), Path(tmp) / "out", path.name)


def assert_input_error(raw: bytes, filename: str, reason: str) -> None:
    """Preparing `raw` saved as `filename` fails with `reason` and a clean message."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / filename
        path.write_bytes(raw)
        with pytest.raises(TweetBotInputError) as caught:
            prepare_dataset([USER], SourceSpec("archive", uri=str(path)), Path(tmp) / "out")
        assert caught.value.reason == reason
        check_error(caught.value, filename)


def counted(prepared: PreparedDataset) -> int:
    """Records the stats account for: every record is downloaded (then kept or dropped) or skipped."""
    counts = prepared.stats[USER]
    return counts["downloaded"] + counts.get("skipped", 0)


# -- X archives: tweets.js ------------------------------------------------------------------------------------

WRAPPER = b"window.YTD.tweets.part0 = "


def tweet(n: int, text: str) -> dict[str, Any]:
    return {
        "tweet": {
            "id_str": str(1000 + n),
            "full_text": text,
            "created_at": "Wed Oct 10 20:19:24 +0000 2018",
            "lang": "en",
            "entities": {"urls": []},
        }
    }


VALID_ARCHIVE = (
    WRAPPER
    + json.dumps(
        [tweet(1, "first post with a few words"), tweet(2, "RT @x: a repost of theirs"), tweet(3, "ok")], indent=1
    ).encode()
)

tweet_fields = records_of(
    full_text=texts,
    text=texts,
    id_str=json_values,
    id=json_values,
    created_at=st.one_of(json_values, st.just("Wed Oct 10 20:19:24 +0000 2018")),
    lang=json_values,
    entities=st.one_of(
        json_values, st.fixed_dictionaries({"urls": st.lists(st.fixed_dictionaries({"expanded_url": texts}))})
    ),
    in_reply_to_status_id_str=json_values,
    quoted_status_id_str=json_values,
    is_quote_status=json_values,
)
archive_records = st.one_of(tweet_fields, st.builds(lambda t: {"tweet": t}, tweet_fields), json_values)

