"""The model card: huggingtweets' layout, the real numbers, and inert user-supplied strings."""

from __future__ import annotations

import html
import re

from tweetbot_trainer.publish.card import CardData, escape_text, render_card, safe_url

STATS = {
    "spiraltoo": {"downloaded": 1986, "retweets": 643, "short": 230, "kept": 1113},
    "evil": {"downloaded": 50, "retweets": 5, "short": 4, "kept": 41},
}


def _card(**overrides: object) -> str:
    fields: dict[str, object] = {
        "users": ["spiraltoo"],
        "stats": STATS,
        "profiles": {"spiraltoo": {"display_name": "Spiral Too", "avatar_url": "https://pbs.example/a.jpg"}},
        "languages": ["fr", "en"],
        "model_uri": "s3://bots/spiraltoo/spiraltoo-g1/",
        "hyperparameters": {"epochs": 4, "learning_rate": 1.372e-4, "batch_size": 8, "block_size": 1024},
        "steps": 120,
        "eval_loss_before": 3.9,
        "eval_loss": 3.1,
        "perplexity": 22.2,
    }
    fields.update(overrides)
    return render_card(CardData(**fields))  # type: ignore[arg-type]


def test_single_user_card_has_huggingtweets_sections_and_real_table() -> None:
    card = _card()
    front = card.split("---")[1]
    assert "language:\n- fr\n- en" in front  # from the data, not a constant
    assert 'widget:\n- text: "My dream is"' in front and "- huggingtweets" in front
    assert "🤖 AI BOT 🤖" in card and "Spiral Too" in card and "@spiraltoo" in card
    assert "| Data | Spiral Too |" in card
    for row in (
        "| Tweets downloaded | 1986 |",
        "| Retweets | 643 |",
        "| Short tweets | 230 |",
        "| Tweets kept | 1113 |",
    ):
        assert row in card
    assert "| Learning rate | 0.0001372 |" in card and "| Epochs | 4 |" in card
    assert "| Eval loss before | 3.9000 |" in card and "| Eval loss after | 3.1000 |" in card
    assert "![training loss](loss.png)" in card
    assert "pipeline('text-generation'" in card and "s3://bots/spiraltoo/spiraltoo-g1/" in card
    for heading in ("## Training data", "## Training procedure", "## How to use", "## Limitations and bias"):
        assert heading in card


def test_several_users_make_a_cyborg_with_one_column_each_and_three_avatars() -> None:
    users = ["a", "b", "c", "d"]
    profiles = {u: {"display_name": u.upper(), "avatar_url": f"https://img.example/{u}.png"} for u in users}
    stats = {u: {"downloaded": 10 * i, "retweets": i, "short": i, "kept": 8 * i} for i, u in enumerate(users, 1)}
    card = _card(users=users, profiles=profiles, stats=stats)
    assert "🤖 AI CYBORG 🤖" in card
    assert "| Data | A | B | C | D |" in card
    assert "| Tweets kept | 8 | 16 | 24 | 32 |" in card
    assert card.count("background-image") == 3
    assert "d.png" not in card


def test_hostile_display_name_and_avatar_come_out_inert() -> None:
    profiles = {
        "evil": {
            "display_name": "<script>alert('x')</script> | [click](javascript:alert(1)) ![i](x)",
            "avatar_url": "javascript:alert(1)",
        },
        "spiraltoo": {"display_name": "ok", "avatar_url": "https://a.example/x.png?q=');background:url(evil"},
    }
    card = _card(users=["evil", "spiraltoo"], profiles=profiles, samples=["My dream is <img src=x onerror=alert(1)>"])
    assert "<script" not in card.lower() and "<img" not in card.lower()
    assert "javascript:" not in card.replace("javascript&#58;", "") or "](javascript:" not in card
    assert "](javascript" not in card and "url('javascript" not in card
    assert "&lt;script&gt;" in card
    # The table row stays one row with two value columns: a '|' in a name must not add a column.
    header = next(line for line in card.splitlines() if line.startswith("| Data |"))
    assert header.count("|") == 4
    # The avatar URL cannot close the quote or the url( ) it sits in.
    urls = re.findall(r"url\(&#39;(.*?)&#39;\)", card)
    assert urls[0] == ""  # javascript: dropped
    assert "'" not in urls[1] and ")" not in urls[1] and "(" not in urls[1]


def test_escape_helpers() -> None:
    assert escape_text("a\nb  c") == "a b c"
    assert "<" not in escape_text("<b>") and "|" not in escape_text("a|b")
    assert safe_url("data:text/html,<x>") == "" and safe_url("  ") == "" and safe_url(None) == ""
    assert safe_url("https://x.example/a b.png") == "https://x.example/a%20b.png"
    assert "<" not in _card(languages=["<x>"]).split("---")[1]


def test_apostrophes_and_ampersands_read_back_as_typed() -> None:
    card = _card(users=["spiraltoo"], profiles={"spiraltoo": {"display_name": "Ana's R&D bot", "avatar_url": ""}},
                 samples=["it's fine & dandy"])
    assert "Ana's R&D bot" in html.unescape(card) and "it's fine & dandy" in html.unescape(card)
    assert "&amp;#" not in card
