"""The archive must be the user's: account.js (or manifest.js) names its owner; an archive that names none is
taken as the user's, and the log says so. A binary file given as an archive is described, not echoed."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from tweetbot_trainer import cli
from tweetbot_trainer.data.sources import SourceSpec, load_posts
from tweetbot_trainer.data.sources.archive import read_archive
from tweetbot_trainer.errors import TweetBotInputError

ALROCAR = "trainer/archives/alrocar-excerpt"
MANIFEST = b'window.__THAR_CONFIG = {\n  "userInfo" : {"accountId" : "52338276", "userName" : "alrocar"}\n}'


@pytest.fixture
def excerpt(local_fixtures: Path) -> Path:
    return local_fixtures / ALROCAR


def zipped(folder: Path, out: Path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in folder.rglob("*.js"):
            archive.write(path, path.relative_to(folder).as_posix())
    out.write_bytes(buffer.getvalue())
    return out


def layouts(excerpt: Path, tmp_path: Path) -> list[str]:
    """The same archive as a folder, a bare tweets.js with account.js beside it, and a whole zip."""
    return [str(excerpt), str(excerpt / "data" / "tweets.js"), str(zipped(excerpt, tmp_path / "archive.zip"))]


def test_the_owners_handle_in_any_case_is_accepted(excerpt: Path, tmp_path: Path) -> None:
    for uri in layouts(excerpt, tmp_path):
        result = load_posts("ALROCAR", SourceSpec("archive", uri=uri))
        assert result.account == "alrocar" and len(result.posts) == 43, uri
        assert not any("taken as" in note for note in result.notes)


def test_another_handle_is_an_input_error_naming_both(excerpt: Path, tmp_path: Path) -> None:
    for uri in layouts(excerpt, tmp_path):
        with pytest.raises(TweetBotInputError) as err:
            load_posts("someoneelse", SourceSpec("archive", uri=uri))
        assert err.value.reason == "ArchiveUserMismatch"
        assert "@alrocar" in err.value.message and "@someoneelse" in err.value.message and uri in err.value.message


def test_mismatch_through_the_cli(excerpt: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["prepare", "--user", "someoneelse", "--source", "archive", "--source-uri", str(excerpt)]
    assert cli.main([*argv, "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("tweetbot-train prepare: error") and "@alrocar" in err and "@someoneelse" in err
    assert not (tmp_path / "o" / "train.txt").exists()


def test_manifest_names_the_owner_when_account_js_is_missing(excerpt: Path, tmp_path: Path) -> None:
    shutil.copytree(excerpt, tmp_path / "a")
    (tmp_path / "a" / "data" / "account.js").unlink()
    (tmp_path / "a" / "data" / "manifest.js").write_bytes(MANIFEST)
    assert read_archive(str(tmp_path / "a")).account == "alrocar"
    with pytest.raises(TweetBotInputError, match="archive is @alrocar's"):
        load_posts("someoneelse", SourceSpec("archive", uri=str(tmp_path / "a")))


def test_an_archive_naming_no_one_is_taken_as_the_users_and_logged(
    excerpt: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(excerpt / "data" / "tweets.js", tmp_path / "tweets.js")
    result = load_posts("someone", SourceSpec("archive", uri=str(tmp_path / "tweets.js")))
    assert result.account is None
    expected = (
        f"{tmp_path / 'tweets.js'}: the archive names no account (no account.js): its posts are taken as @someone's"
    )
    assert expected in result.notes
    argv = ["prepare", "--user", "someone", "--source", "archive", "--source-uri", str(tmp_path / "tweets.js")]
    assert cli.main([*argv, "--out", str(tmp_path / "o")]) == 0
    assert f"tweetbot-train prepare: {expected}" in capsys.readouterr().err


def test_a_damaged_account_file_names_no_one(excerpt: Path, tmp_path: Path) -> None:
    shutil.copytree(excerpt, tmp_path / "a")
    (tmp_path / "a" / "data" / "account.js").write_bytes(b"window.YTD.account.part0 = [{\"account\": {")
    result = load_posts("anyone", SourceSpec("archive", uri=str(tmp_path / "a")))
    assert result.account is None and len(result.posts) == 43


BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00[\x1b[31m\xff\xfe" + bytes(range(256)) * 4


@pytest.mark.parametrize("name", ["photo.png", "tweets.js", "archive.bin"])
def test_a_binary_file_is_described_never_quoted(tmp_path: Path, name: str) -> None:
    """Issue 24: the file may be a mounted Secret, so its bytes are described (binary, how many), not shown."""
    (tmp_path / name).write_bytes(BINARY)
    with pytest.raises(TweetBotInputError) as err:
        read_archive(str(tmp_path / name))
    message = err.value.message
    assert "bytes of binary data" in message and "PNG" not in message and "IHDR" not in message, message
    assert all(ch.isprintable() for ch in message) and "\ufffd" not in message
    assert len(message) < 300 + len(str(tmp_path))
