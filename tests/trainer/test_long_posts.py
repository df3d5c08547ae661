"""Long posts: data/note-tweet.js read in every archive layout, each note matched to its post, whole text trained.

The real layouts come from an excerpt of an owner-published archive (tests/fixtures/trainer/PROVENANCE.md):
a four-post thread written within two seconds, a reply (its note lacks the @handles), a post whose visible text
ends in `… https://t.co/...`, and a note whose post is not in the excerpt. The ways matching can fail are
built from the same shapes below.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from tweetbot_trainer import cli
from tweetbot_trainer.data.post import Post
from tweetbot_trainer.data.sources import x_api
from tweetbot_trainer.data.sources.archive import read_archive
from tweetbot_trainer.data.sources.http import JsonHttpClient
from tweetbot_trainer.data.sources.long_posts import attach_notes, long_text, snowflake_ms
from tweetbot_trainer.errors import TweetBotInputError

from tests.support.http_replay import ReplayServer

ALROCAR = "trainer/archives/alrocar-excerpt"
THREAD = {  # post id -> the id of its note (a few ms older)
    "1782058725689135181": "1782058725601103872",
    "1782058728281239980": "1782058728214192128",
    "1782058730978148778": "1782058730885980160",
    "1782058733910044867": "1782058733842948096",
}
REPLY, REPLY_NOTE = "1760611342728208575", "1760611342644289536"
MEDIA, MEDIA_NOTE = "1712845356000485462", "1712845355925082112"


def load(path: Path) -> list[Any]:
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index("[") :])


def notes_by_id(folder: Path) -> dict[str, str]:
    return {r["noteTweet"]["noteTweetId"]: r["noteTweet"]["core"]["text"] for r in load(folder / "note-tweet.js")}


def js(family: str, part: int, items: list[Any]) -> str:
    return f"window.YTD.{family}.part{part} = {json.dumps(items, ensure_ascii=False)}"


def check_whole_texts(posts: list[Post], notes: dict[str, str]) -> None:
    by_id = {post.id: post for post in posts}
    assert len(posts) == 43  # every post once: a note is never a post of its own
    for post_id, note_id in {**THREAD, MEDIA: MEDIA_NOTE}.items():
        assert by_id[post_id].text == notes[note_id], post_id
    assert by_id[REPLY].text == "@borlanco @Longor " + notes[REPLY_NOTE]
    short = [p for p in posts if p.id not in {*THREAD, REPLY, MEDIA}]
    assert not any(p.text in notes.values() for p in short)


@pytest.fixture
def excerpt(local_fixtures: Path) -> Path:
    return local_fixtures / ALROCAR


def test_folder(excerpt: Path) -> None:
    result = read_archive(str(excerpt))
    check_whole_texts(result.posts, notes_by_id(excerpt / "data"))
    assert result.notes == [
        f"{excerpt}: 6 long posts read whole from note-tweet.js; 1 note(s) match no post and are left out"
    ]
    assert result.account == "alrocar"


def test_bare_file_beside_its_notes(excerpt: Path) -> None:
    result = read_archive(str(excerpt / "data" / "tweets.js"))
    check_whole_texts(result.posts, notes_by_id(excerpt / "data"))


def test_whole_zip(excerpt: Path, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in (excerpt / "data").iterdir():
            archive.write(path, f"data/{path.name}")
        archive.writestr("data/tweets_media/1-x.jpg", b"\xff\xd8\xff")
    (tmp_path / "archive.zip").write_bytes(buffer.getvalue())
    check_whole_texts(read_archive(str(tmp_path / "archive.zip")).posts, notes_by_id(excerpt / "data"))


def test_split_part_files(excerpt: Path, tmp_path: Path) -> None:
    tweets, notes = load(excerpt / "data" / "tweets.js"), load(excerpt / "data" / "note-tweet.js")
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "tweets.js").write_text(js("tweets", 0, tweets[:20]), encoding="utf-8")
    (folder / "tweets-part1.js").write_text(js("tweets", 1, tweets[20:]), encoding="utf-8")
    (folder / "note-tweet.js").write_text(js("note_tweet", 0, notes[:3]), encoding="utf-8")
    (folder / "note-tweet-part1.js").write_text(js("note_tweet", 1, notes[3:]), encoding="utf-8")
    shutil.copy(excerpt / "data" / "account.js", folder / "account.js")
    check_whole_texts(read_archive(str(tmp_path)).posts, notes_by_id(excerpt / "data"))
    check_whole_texts(read_archive(str(folder / "tweets.js")).posts, notes_by_id(excerpt / "data"))


def test_s3_folder(excerpt: Path, s3_client: Any, s3_bucket: str, s3_env: dict[str, str]) -> None:
    for path in (excerpt / "data").iterdir():
        s3_client.put_object(Bucket=s3_bucket, Key=f"alrocar/data/{path.name}", Body=path.read_bytes())
    check_whole_texts(read_archive(f"s3://{s3_bucket}/alrocar/").posts, notes_by_id(excerpt / "data"))
    bare = read_archive(f"s3://{s3_bucket}/alrocar/data/tweets.js")  # a bare file: what lies beside it too
    check_whole_texts(bare.posts, notes_by_id(excerpt / "data"))
    assert bare.account == "alrocar"


def test_prepare_trains_on_the_whole_text(excerpt: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["prepare", "--user", "alrocar", "--source", "archive", "--source-uri", str(excerpt)]
    assert cli.main([*argv, "--out", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    train = (tmp_path / "train.txt").read_text(encoding="utf-8") + (tmp_path / "eval.txt").read_text(encoding="utf-8")
    whole = notes_by_id(excerpt / "data")[THREAD["1782058730978148778"]]
    assert " ".join(whole.split()) in train  # cleaned as any post: whitespace collapsed
    assert "| Tweets downloaded | 43 |" in captured.out and "| Tweets kept | 38 |" in captured.out
    assert "6 long posts read whole from note-tweet.js" in captured.err


# -- the ways matching can fail, on the real shapes -----------------------------------------------------------


def post(post_id: str, text: str, created_at: str | None = None, **flags: Any) -> Post:
    return Post(id=post_id, text=text, created_at=created_at, source="archive", **flags)


def note(note_id: str, text: str, created_at: str | None = "2024-04-21T14:48:05.000Z") -> dict[str, Any]:
    return {"noteTweet": {"noteTweetId": note_id, "createdAt": created_at, "core": {"text": text}}}


A_WHOLE = "Two. Focus on the short term first: help the team and gain momentum as soon as you can. " * 4
B_WHOLE = "Three. Do not be afraid to ask questions, it is how everyone learns the context they need. " * 4


def cut(text: str) -> str:
    return text[:270] + "…"


def test_notes_of_one_second_go_to_their_own_posts() -> None:
    posts = [post("1782058730978148778", cut(A_WHOLE)), post("1782058733910044867", cut(B_WHOLE))]
    notes = [note("1782058733842948096", B_WHOLE), note("1782058730885980160", A_WHOLE)]
    joined, count, unmatched = attach_notes(posts, notes)
    assert [p.text for p in joined] == [A_WHOLE, B_WHOLE] and (count, unmatched) == (2, 0)


def test_a_post_of_the_same_second_with_other_text_keeps_its_text() -> None:
    posts = [post("1782058730978148778", "a short post written at the same moment")]
    joined, count, unmatched = attach_notes(posts, [note("1782058730885980160", A_WHOLE)])
    assert joined == posts and (count, unmatched) == (0, 1)


def test_same_text_far_apart_in_time_is_not_a_match() -> None:
    # The same opening reposted a day later: only the post of the note's moment gets it.
    later = 1782058730978148778 + ((86_400_000) << 22)
    posts = [post(str(later), cut(A_WHOLE)), post("1782058730978148778", cut(A_WHOLE))]
    joined, count, _ = attach_notes(posts, [note("1782058730885980160", A_WHOLE)])
    assert [p.text for p in joined] == [cut(A_WHOLE), A_WHOLE] and count == 1


def test_a_note_whose_post_is_gone_adds_no_post() -> None:
    joined, count, unmatched = attach_notes([], [note("1782058730885980160", A_WHOLE)])
    assert joined == [] and (count, unmatched) == (0, 1)


def test_creation_times_when_ids_are_not_snowflakes() -> None:
    assert snowflake_ms("12345") is None and snowflake_ms("1782058730885980160") is not None
    near = post("a", cut(A_WHOLE), created_at="2024-04-21T14:48:06+00:00")
    far = post("b", cut(A_WHOLE), created_at="2024-04-21T14:49:06+00:00")
    joined, count, _ = attach_notes([far, near], [note("n", A_WHOLE, "2024-04-21T14:48:05.000Z")])
    assert [p.text for p in joined] == [cut(A_WHOLE), A_WHOLE] and count == 1


def test_without_any_time_only_a_long_unique_start_matches() -> None:
    untimed = [note("n1", A_WHOLE, None), note("n2", "Short note text that is long enough for X to keep? no", None)]
    long_post = post("x1", cut(A_WHOLE))
    short_post = post("x2", "Short note…")
    joined, count, _ = attach_notes([long_post, short_post], untimed)
    assert [p.text for p in joined] == [A_WHOLE, "Short note…"] and count == 1
    twice = [note("n1", A_WHOLE, None), note("n3", A_WHOLE + " and more", None)]
    assert attach_notes([long_post], twice)[0] == [long_post]  # two notes start the same: ambiguous, none


def test_reposts_and_unusable_notes_are_never_joined() -> None:
    repost = post("1782058730978148778", "RT @alrocar: " + cut(A_WHOLE), is_repost=True)
    assert attach_notes([repost], [note("1782058730885980160", A_WHOLE)])[0] == [repost]
    plain = post("1782058730978148778", cut(A_WHOLE))
    broken = [note("1782058730885980160", "\ud800 lone surrogate"), {"noteTweet": {"core": {"text": 7}}}, "junk", None]
    assert attach_notes([plain], broken) == ([plain], 0, 0)


def test_a_cut_inside_a_link_still_matches() -> None:
    whole = "Look at the regression tests we wrote for the CI of the data project, all of it here https://t.co/yJcplUtlpa"
    visible = "Look at the regression tests we wrote for the CI of the data project, all of it here htt…"
    joined, count, _ = attach_notes([post("1782058730978148778", visible)], [note("1782058730885980160", whole)])
    assert joined[0].text == whole and count == 1


def test_entities_and_case_do_not_break_the_match() -> None:
    whole = "Con cada commit => CI & despliegue " + A_WHOLE
    visible = cut("con cada commit =&gt; CI &amp; despliegue " + A_WHOLE)
    joined, count, _ = attach_notes([post("1782058730978148778", visible)], [note("1782058730885980160", whole)])
    assert joined[0].text == whole and count == 1


def test_one_rule_for_the_x_api_and_archives() -> None:
    assert long_text("@borlanco @Longor A tope…", "A tope con todo") == "@borlanco @Longor A tope con todo"
    assert long_text("@a already there…", "@a already there, whole") == "@a already there, whole"
    assert long_text("short", None) == "short" and long_text("short", "  ") == "short"
    reply = {"id": "1", "text": "@borlanco @Longor A tope…", "note_tweet": {"text": "A tope con todo"}}
    api_post = x_api.tweet_to_post(reply)
    assert api_post is not None and api_post.text == "@borlanco @Longor A tope con todo"


def test_a_broken_note_file_is_an_input_error(excerpt: Path, tmp_path: Path) -> None:
    shutil.copytree(excerpt, tmp_path / "a")
    (tmp_path / "a" / "data" / "note-tweet.js").write_text('window.YTD.note_tweet.part0 = [{"noteTweet": {', "utf-8")
    with pytest.raises(TweetBotInputError) as err:
        read_archive(str(tmp_path / "a"))
    assert err.value.reason == "ArchiveTruncated" and "note-tweet.js" in err.value.message


def test_a_post_that_was_not_cut_short_is_not_the_notes() -> None:
    # Same second, and its words start the note, but X did not cut it (no "…"): it is a post of its own.
    opening = post("1782058730978148778", "Two. Focus on the short term first: help the team")
    joined, count, _ = attach_notes([opening], [note("1782058730885980160", A_WHOLE)])
    assert joined == [opening] and count == 0
    # One whose visible text is the note's whole text (a media link aside) may take it: nothing changes.
    same = post("1782058730978148778", A_WHOLE.strip() + " https://t.co/PhVTt7KDpK")
    assert attach_notes([same], [note("1782058730885980160", A_WHOLE)])[1] == 1


def test_x_api_pages_with_long_posts(local_fixtures: Path) -> None:
    """The recorded X API v2 page, its first post made a long reply as the API sends one: `text` cut short with
    the @handle, `note_tweet.text` whole without it. The source trains on the whole text, handle kept."""
    api = local_fixtures / "trainer/api"
    page = json.loads((api / "x_v2_users_783214_tweets_page1.json").read_text(encoding="utf-8"))
    whole = "whoa, it works! " + A_WHOLE
    page["data"][0] |= {"text": "@TwitterDev " + cut(whole), "note_tweet": {"text": whole}}
    page["meta"].pop("next_token", None)
    with ReplayServer() as server:
        server.add_json_file("/2/users/by/username/Twitter", api / "x_v2_users_by_username_twitter.derived.json")
        server.add("/2/users/783214/tweets", page)
        client = JsonHttpClient(server.url, headers={"Authorization": "Bearer not-a-secret"})
        result = x_api.fetch_posts("Twitter", server.url, "UNUSED", client=client)
    assert result.posts[0].text == "@TwitterDev " + whole and len(result.posts) == len(page["data"])
