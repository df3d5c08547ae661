"""The model card (README.md) in huggingtweets' format: a pure function of the run's facts.

Every user-supplied string (handles, display names, avatar URLs, generated text) goes through `escape_text` or
`safe_url`: the card is rendered as Markdown with inline HTML, so a display name like `<script>` must come out
as text, and a URL must not be able to leave its `url('...')` or start a `javascript:` link.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from tweetbot_trainer.data.stats import stats_table as counts_table
from tweetbot_trainer.quality.card_section import quality_section

MAX_AVATARS = 3
TRACKERS = {"mlflow": "MLflow", "wandb": "W&B"}  # tracker name -> how the card names it
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
_HUB_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$")
# One entity per character, in a single pass (escaping the output of html.escape again would mangle its
# entities): HTML's specials, and what Markdown would turn into markup (links, emphasis, tables, code).
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"} | {
    c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+!|~"
}


def escape_text(value: object) -> str:
    """Plain text safe inside Markdown and HTML (also inside attribute values); one line."""
    return "".join(_ESCAPES.get(c, c) for c in " ".join(str(value).split()))


def safe_url(value: str | None) -> str:
    """An http(s) URL, percent-encoded so it cannot close a quote or parenthesis; "" for anything else."""
    if not value:
        return ""
    url = value.strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return ""
    if scheme not in {"http", "https"}:
        return ""
    return html.escape(quote(url, safe=":/?&=%#@+,;~.-_"), quote=True)


def code_string(value: str) -> str:
    """A Python string literal that cannot end a Markdown code fence."""
    return json.dumps(value).replace("`", "\\u0060")


@dataclass(frozen=True)
class CardData:
    users: Sequence[str]
    stats: Mapping[str, Mapping[str, int]]
    profiles: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    languages: Sequence[str] = ()
    model_uri: str = ""
    hub_repo: str | None = None
    base_model: str = "gpt2"
    hyperparameters: Mapping[str, Any] = field(default_factory=dict)
    separator: str = "<|endoftext|>"  # the tokenizer's EOS token, which joined the posts
    adapter_only: bool = False  # LoRA without the merged model: only adapter/ in the run folder
    steps: int = 0
    eval_loss_before: float | None = None
    eval_loss: float | None = None
    perplexity: float | None = None
    loss_plot: str | None = "loss.png"
    samples: Sequence[str] = ()
    quality: Mapping[str, Any] | None = None  # metrics.json's `quality` (quality/measure.py)
    tracking_url: str | None = None  # the run's page in MLflow or W&B (publish/tracking)
    tracking_urls: Mapping[str, str] = field(default_factory=dict)  # tracker name -> its run's page (over the above)
    tracking_offline: Mapping[str, str] = field(default_factory=dict)  # tracker name -> its offline run's name
    data: Mapping[str, Any] = field(default_factory=dict)  # stats.json's `data` section (publish/provenance.py)


def display_name(data: CardData, user: str) -> str:
    return data.profiles.get(user, {}).get("display_name") or user


def front_matter(data: CardData) -> str:
    languages = [lang for lang in data.languages if _LANGUAGE.match(lang)] or ["en"]
    lines = ["---", "language:"] + [f"- {lang}" for lang in languages]
    lines += ["tags:", "- huggingtweets", "- tweetbot", "- text-generation", "widget:", '- text: "My dream is"']
    base = data.base_model if _HUB_ID.match(data.base_model) else None
    if base:
        lines.append(f"base_model: {base}")
    lines.append("---")
    return "\n".join(lines)


def header(data: CardData) -> str:
    avatars = []
    for user in list(data.users)[:MAX_AVATARS]:
        url = safe_url(data.profiles.get(user, {}).get("avatar_url"))
        display = "inherit" if url else "none"
        avatars.append(
            f'<div style="display:{display}; margin-left: 4px; margin-right: 4px; width: 92px; height:92px; '
            f"border-radius: 50%; background-size: cover; background-image: url(&#39;{url}&#39;)\"></div>"
        )
    kind = "AI BOT" if len(data.users) == 1 else "AI CYBORG"
    names = " &amp; ".join(escape_text(display_name(data, u)) for u in data.users)
    handles = " ".join(f"@{escape_text(u)}" for u in data.users)
    return "\n".join(
        [
            '<div class="inline-flex flex-col" style="line-height: 1.5;">',
            '<div class="flex">',
            *avatars,
            "</div>",
            f'<div style="text-align: center; margin-top: 3px; font-size: 16px; font-weight: 800">🤖 {kind} 🤖</div>',
            f'<div style="text-align: center; font-size: 16px; font-weight: 800">{names}</div>',
            f'<div style="text-align: center; font-size: 14px;">{handles}</div>',
            "</div>",
        ]
    )


def stats_table(data: CardData) -> str:
    """One column per user, headed by the display name: | Data | Name A | Name B |."""
    stats = {u: data.stats.get(u, {}) for u in data.users}
    return counts_table(stats, {u: escape_text(display_name(data, u)) for u in data.users})


def _number(value: float | None, digits: int = 4) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def training_procedure(data: CardData) -> str:
    base = data.base_model
    base_text = (f"[{base}](https://huggingface.co/{base})" if _HUB_ID.match(base)
                 else f"base model (from {escape_text(base)})")
    handles = ", ".join(f"@{escape_text(u)}" for u in data.users)
    hp = data.hyperparameters
    rows = [
        ("Epochs", hp.get("epochs")),
        ("Steps", data.steps),
        ("Learning rate", hp.get("learning_rate")),
        ("Schedule", f"cosine, {hp.get('warmup_ratio', 0)} warmup"),
        ("Batch size (per device)", hp.get("batch_size")),
        ("Block size (tokens)", hp.get("block_size")),
        ("Precision", hp.get("precision")),
        *lora_rows(hp),
        ("Seed", hp.get("seed")),
        ("Eval loss before", _number(data.eval_loss_before)),
        ("Eval loss after", _number(data.eval_loss)),
        ("Eval perplexity after", _number(data.perplexity, 2)),
    ]
    table = "\n".join(["| Hyperparameter / metric | Value |", "| --- | --- |"]
                      + [f"| {name} | {escape_text(value)} |" for name, value in rows])
    parts = [
        f"The model is based on a pre-trained {base_text} which is fine-tuned on {handles}'s tweets "
        f"with AdamW{' and LoRA adapters (peft)' if hp.get('lora_rank') else ''} on blocks of posts joined by "
        f"`{data.separator.replace('`', '')}` (the tokenizer's end-of-text token).",
        "",
        table,
    ]
    if data.loss_plot:
        parts += ["", f"![training loss]({quote(data.loss_plot)})"]
    return "\n".join(parts + tracking_note(data))


def tracking_note(data: CardData) -> list[str]:
    """Where huggingtweets linked its W&B run: the run's page in each tracker; an offline W&B run's folder."""
    given = data.tracking_urls or {"": data.tracking_url or ""}
    urls = {name: url for name, url in ((name, safe_url(url)) for name, url in given.items()) if url}
    if len(urls) == 1:
        where = f"the [training run]({next(iter(urls.values()))})"
    else:
        where = "the training run in " + " and ".join(f"[{TRACKERS.get(n, n)}]({u})" for n, u in urls.items())
    note = [f"Hyperparameters and metrics are recorded in {where} for full transparency and reproducibility; the "
            "data and the model are logged with it."] if urls else []
    offline = data.tracking_offline.get("wandb", "").replace("`", "")
    if offline:
        note.append(f"The W&B run was logged offline: its files are in this folder's `wandb/{offline}/`, to upload "
                    "with `wandb sync`.")
    return ["", " ".join(note)] if note else []


def lora_rows(hp: Mapping[str, Any]) -> list[tuple[str, Any]]:
    if not hp.get("lora_rank"):
        return [("Fine-tuning", "full (all parameters)")]
    return [("Fine-tuning", "LoRA"), ("LoRA rank", hp["lora_rank"]), ("LoRA alpha", hp.get("lora_alpha")),
            ("LoRA dropout", hp.get("lora_dropout"))]


def how_to_use(data: CardData) -> str:
    if data.adapter_only:
        return how_to_load_adapter(data)
    if data.hub_repo:
        model, fetch = data.hub_repo, []
    else:
        model = "./" + (data.model_uri.rstrip("/").rsplit("/", 1)[-1] or "model")
        fetch = [f"# first: aws s3 sync {code_string(data.model_uri)[1:-1]} {code_string(model)[1:-1]}"]
    return "\n".join(
        [
            "You can use this model directly with a pipeline for text generation:",
            "",
            "```python",
            *fetch,
            "from transformers import pipeline",
            f"generator = pipeline('text-generation', model={code_string(model)})",
            'generator("My dream is", num_return_sequences=5)',
            "```",
        ]
    )


def how_to_load_adapter(data: CardData) -> str:
    """The run has only a LoRA adapter (`adapter/`): load it on the base model with peft."""
    if data.hub_repo:
        adapter, fetch = f"{data.hub_repo}", []
        subfolder = ", subfolder='adapter'"
    else:
        folder = "./" + (data.model_uri.rstrip("/").rsplit("/", 1)[-1] or "model")
        adapter, subfolder = folder + "/adapter", ""
        fetch = [f"# first: aws s3 sync {code_string(data.model_uri)[1:-1]} {code_string(folder)[1:-1]}"]
    return "\n".join(
        [
            f"This run published a LoRA adapter only: load it on its base model ({escape_text(data.base_model)}) "
            "with peft:",
            "",
            "```python",
            *fetch,
            "from peft import AutoPeftModelForCausalLM",
            "from transformers import AutoTokenizer, pipeline",
            f"model = AutoPeftModelForCausalLM.from_pretrained({code_string(adapter)}{subfolder})",
            f"tokenizer = AutoTokenizer.from_pretrained({code_string(adapter)}{subfolder})",
            "generator = pipeline('text-generation', model=model.merge_and_unload(), tokenizer=tokenizer, "
            f"prefix={code_string(data.separator)})",
            'generator("My dream is", num_return_sequences=5)',
            "```",
        ]
    )


def _provenance(data: CardData) -> list[str]:
    from tweetbot_trainer.publish.provenance import provenance_lines  # (it escapes with this module's helper)

    lines = provenance_lines(data.data)
    return [lines, ""] if lines else []


def render_card(data: CardData) -> str:
    names = " & ".join(display_name(data, u) for u in data.users)
    samples = [f"> {escape_text(s)}" for s in data.samples if s.strip()]
    sections = [
        front_matter(data),
        "",
        header(data),
        "",
        "I was made with TweetBot, following [huggingtweets](https://github.com/borisdayma/huggingtweets).",
        "",
        "## How does it work?",
        "",
        "The posts are downloaded, retweets and very short posts are dropped, and a pre-trained language model "
        f"({escape_text(data.base_model)}) is fine-tuned on what is left.",
        "",
        "## Training data",
        "",
        f"The model was trained on tweets from {escape_text(names)}.",
        "",
        stats_table(data),
        "",
        *_provenance(data),
        "## Training procedure",
        "",
        training_procedure(data),
        "",
    ]
    quality = quality_section(data.quality, data.users, escape_text)
    sections += [quality] if quality else []
    sections += [
        "## How to use",
        "",
        how_to_use(data),
        "",
    ]
    if samples:
        sections += ["## Samples", "", "\n>\n".join(samples), ""]
    sections += [
        "## Limitations and bias",
        "",
        "The model suffers from [the same limitations and bias as GPT-2](https://huggingface.co/gpt2#limitations-and-bias).",
        "",
        "In addition, the data present in the user's tweets further affects the text generated by the model.",
        "",
        "## About",
        "",
        "*Built with TweetBot, after huggingtweets by Boris Dayma.*",
        "",
    ]
    return "\n".join(sections)
