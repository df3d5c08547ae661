"""The model card's "How much it sounds like @user" section, from metrics.json's `quality` (quality/measure.py).

`escape` is the card's escape_text (passed in: the card imports this module, not the other way round).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any


def _pct(value: Any) -> str:
    return f"{100 * value:.0f}%" if isinstance(value, (int, float)) else "n/a"


def _num(value: Any, digits: int = 2) -> str:
    return f"{value:.{digits}f}" if isinstance(value, (int, float)) else "n/a"


def _mix(mix: Any) -> str:
    """A language mix as "en 90%, ja 10%" (the three largest)."""
    if not isinstance(mix, Mapping) or not mix:
        return "n/a"
    return ", ".join(f"{code} {_pct(share)}" for code, share in list(mix.items())[:3])


def interpretation(quality: Mapping[str, Any]) -> str:
    """One sentence a reader can act on: closer to the person than the base model or not, and copying or not."""
    style = quality.get("style") or {}
    memorized = (quality.get("memorization") or {}).get("memorized") or 0.0
    tuned, base = style.get("fineTuned"), style.get("base")
    if tuned is None or base is None:
        verdict = "Too few held-out posts to train the style discriminator; only fit, memorization and variety"
    elif tuned > base:
        verdict = (f"The bot's posts pass for the person's {_pct(tuned)} of the time, against {_pct(base)} for "
                   f"the base model (the person's own held-out posts: {_pct(style.get('person'))})")
    else:
        verdict = (f"The bot does not pass for the person more often than the base model does ({_pct(tuned)} "
                   f"vs {_pct(base)}): train longer or on more posts")
    if memorized >= 0.1:
        return verdict + f"; but {_pct(memorized)} of its posts copy a training post: it memorizes (fewer epochs)."
    return verdict + f"; {_pct(memorized)} of its posts copy a training post."


def sampling_note(choice: Any) -> str:
    """What the run chose for sampling from its measurement (quality/repeats.py), and what that does not do; from
    its numbers only (Markdown of our own: no escaping needed)."""
    if not isinstance(choice, Mapping) or not isinstance(choice.get("candidate"), int):
        return ""
    size, n = int(choice.get("size") or 0), choice["candidate"]
    bot, person = _pct(choice.get("botRepeating")), _pct(choice.get("personRepeating"))
    if size:
        return (f"The card's samples and the served bot never repeat a {size}-token run within a post "
                f"(`no_repeat_ngram_size: {size}` in `generation_config.json`): {bot} of the bot's posts repeated "
                f"one, against {person} of the person's. It stops loops, not copies of a training post.")
    if n:
        return (f"Sampling is left as it was: the bot repeats {n}-token runs within a post no more than the person "
                f"does ({bot} vs {person}).")
    return ("Sampling is left as it was: the person repeats long runs within a post (or there was nothing to "
            "measure), so no `no_repeat_ngram_size` is set.")


def quality_section(quality: Mapping[str, Any] | None, users: Sequence[str], escape: Callable[[Any], str]) -> str:
    if not quality:
        return ""
    handles = " & ".join(f"@{escape(u)}" for u in users)
    fit, style = quality.get("fit") or {}, quality.get("style") or {}
    mem, var, person_var = (quality.get("memorization") or {}, quality.get("variety") or {},
                            quality.get("varietyPerson") or {})
    lang = quality.get("language") or {}
    rows = [
        ("Held-out perplexity (lower: fits the posts better)", _num(fit.get("perplexityFineTuned")),
         _num(fit.get("perplexityBase")), ""),
        ("Taken for the person's posts (style discriminator)", _pct(style.get("fineTuned")), _pct(style.get("base")),
         _pct(style.get("person"))),
        (f"Posts copying a training post (≥ {mem.get('ngram', 8)} words in a row)", _pct(mem.get("memorized")),
         "", ""),
        ("Longest copied span (words)", str(mem.get("longestCopiedWords", "n/a")), "", ""),
        ("Distinct words / word pairs", f"{_num(var.get('distinct1'))} / {_num(var.get('distinct2'))}", "",
         f"{_num(person_var.get('distinct1'))} / {_num(person_var.get('distinct2'))}"),
        ("Duplicate posts", _pct(var.get("duplicates")), "", _pct(person_var.get("duplicates"))),
        ("Languages (by writing system)", _mix(lang.get("fineTuned")), _mix(lang.get("base")),
         _mix(lang.get("person"))),
    ]
    table = ["| Measure | Fine-tuned bot | Base model | The person (held-out) |", "| --- | --- | --- | --- |"]
    table += [f"| {name} | {a} | {b} | {c} |" for name, a, b, c in rows]
    parts = [
        f"## How much it sounds like {handles}",
        "",
        f"Measured on {style.get('personPosts', 'the')} held-out posts (never trained on) and "
        f"{quality.get('generations', 0)} generations of at most {quality.get('maxNewTokens', 0)} tokens, each "
        f"started with the first {quality.get('promptWords', 2)} words of a held-out post. The style "
        "discriminator (character n-grams, logistic regression) learns to tell the person's posts from the base "
        "model's; it judges surface style, not meaning or truth.",
        "",
        *table,
        "",
        escape(interpretation(quality)),
    ]
    sampling = sampling_note(quality.get("noRepeat"))
    if sampling:
        parts += ["", sampling]
    worst = mem.get("worst") or []
    if worst:
        parts += ["", "Most copied generations (shortened):", ""]
        parts += [f"- {escape(w.get('text', ''))} ({w.get('copiedWords', 0)} words copied)" for w in worst]
    return "\n".join(parts) + "\n"
