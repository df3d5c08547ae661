"""What a source's input can make the trainer say: never the content of the file it was given (a mounted Secret,
/proc/self/environ), never the API token however the service escapes it; and in a cluster no local path at all."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from tweetbot_trainer import cli
from tweetbot_trainer.data.sources import SourceSpec, load_posts
from tweetbot_trainer.data.sources.http import JsonHttpClient
from tweetbot_trainer.errors import TweetBotInputError

from tests.support.http_replay import ReplayServer

CANARY = "s3cr3tCanaryValue"
TOKEN = "tok-canary/9f8e7d6c5b4a"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# What a mounted Secret or /proc/self/environ may look like, as each file name the sources treat differently.
SECRET_FILES = {
    "token": f"{CANARY}\n".encode(),
    "environ": f"HOME=/root\0API_KEY={CANARY}\0".encode(),
    "tweets.js": f"{CANARY} = [1]".encode(),
    "tweet.js": f"window.YTD.{CANARY}.part0 = [1]".encode(),
    "data.zip": f"{CANARY}\n".encode(),
    "posts.csv": f"{CANARY}\n{CANARY}\n".encode(),
    "posts.jsonl": f'{{"{CANARY}": 1}}\n[{CANARY}'.encode(),
    "array.json": f"[{CANARY}]".encode(),
    "wrapper.zip": _zip({"data/tweets.js": f"window.YTD.{CANARY}.part0 = [".encode()}),
}


@pytest.mark.parametrize("kind", ["archive", "file"])
@pytest.mark.parametrize("name", sorted(SECRET_FILES))
def test_a_file_that_is_not_posts_is_named_never_quoted(tmp_path: Path, kind: str, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(SECRET_FILES[name])
    with pytest.raises(TweetBotInputError) as caught:
        load_posts("someone", SourceSpec(kind=kind, uri=str(path)))
    assert CANARY not in caught.value.message
    assert str(path) in caught.value.message or str(tmp_path) in caught.value.message


@pytest.mark.parametrize(
    "uri", ["/var/run/secrets/token", "file:///proc/self/environ", "http://example.com/a.zip", "relative/tweets.js"]
)
def test_in_a_cluster_only_s3_and_https_sources_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], uri: str
) -> None:
    argv = ["prepare", "--user", "u", "--source", "archive", "--source-uri", uri, "--out", str(tmp_path)]
    assert cli.main([*argv, "--no-local-sources"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and uri in err and "s3:// or https://" in err, err


def test_local_sources_stay_for_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text("".join(json.dumps({"text": f"post {i} with enough words"}) + "\n" for i in range(400)))
    argv = ["prepare", "--user", "u", "--source", "file", "--source-uri", str(path), "--out", str(tmp_path / "o")]
    assert cli.main(argv) == 0
    assert cli.main([*argv, "--local-sources"]) == 0


def test_s3_and_https_pass_the_cluster_check() -> None:
    for uri in ("s3://bucket/{user}.zip", "https://example.com/{user}/tweets.js"):
        SourceSpec(kind="archive", uri=uri, local=False).check_uri("u")


def _escaped(token: str, which: str) -> str:
    """`token` as a JSON string body the way a service may escape it."""
    if which == "first-u":
        return f"\\u{ord(token[0]):04x}" + token[1:].replace("/", "\\/")
    if which == "all-u":
        return "".join(f"\\u{ord(ch):04X}" for ch in token)
    if which == "slash":
        return token.replace("/", "\\/")
    if which == "html":
        return "".join(f"&#{ord(ch)};" for ch in token)
    return token.replace("/", "%2F").replace("-", "%2d")  # percent-encoded


@pytest.mark.parametrize("which", ["first-u", "all-u", "slash", "html", "percent"])
def test_a_token_echoed_with_escapes_is_redacted(which: str) -> None:
    body = '{"detail": "bad header Bearer %s", "errors": [{"message": "%s"}]}' % ((_escaped(TOKEN, which),) * 2)
    with ReplayServer() as server:
        server.add("/echo", body.encode(), status=403)
        response = JsonHttpClient(server.url, headers={"Authorization": f"Bearer {TOKEN}"}).get("/echo")
    shown = json.dumps(response.body, ensure_ascii=False)
    assert TOKEN not in shown and "[redacted]" in shown, shown
    assert response.body["detail"].startswith("bad header ")
