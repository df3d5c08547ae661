"""The fenced blocks of README.md and docs/**/*.md, and the shell commands in them, for tests/docs.

A block preceded by `<!-- not run here: reason -->` needs what this machine lacks (a cluster, S3, Docker, a GPU,
minutes): its commands are only checked statically (files, subcommands, flags); every other block must be run.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCS = (REPO / "README.md", *sorted((REPO / "docs").rglob("*.md")))
LANGS = {"bash": "sh", "sh": "sh", "console": "sh", "shell": "sh", "yaml": "yaml", "python": "python", "": "plain"}
MARKER = re.compile(r"^<!--\s*not run here:(?P<reason>.*?)-->\s*$")
FENCE = re.compile(r"^```(?P<lang>[\w-]*)\s*$")


@dataclass(frozen=True)
class Block:
    path: Path
    line: int  # of the opening fence, 1-based
    lang: str  # sh, yaml, python or plain
    text: str
    marker: str | None = None  # the reason of a `not run here` marker right before the block

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(REPO)}:{self.line}"


def blocks(path: Path) -> list[Block]:
    lines = path.read_text(encoding="utf-8").split("\n")
    found: list[Block] = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
        before = lines[i - 1] if i else ""
        marked = MARKER.match(before.strip())
        lang = LANGS.get(m.group("lang").lower(), m.group("lang").lower())
        found.append(Block(path, i + 1, lang, "\n".join(lines[i + 1:end]) + "\n",
                           marked.group("reason").strip() if marked else None))
        i = end + 1
    return found


def all_blocks() -> list[Block]:
    return [b for path in DOCS for b in blocks(path)]


def markers(path: Path) -> list[tuple[int, str]]:
    """Every `not run here` marker in a file, with its line, whether or not a block follows it."""
    return [(n, m.group("reason").strip()) for n, text in enumerate(path.read_text().split("\n"), 1)
            if (m := MARKER.match(text.strip()))]


@dataclass
class Command:
    argv: list[str]
    text: str  # the logical line as written (continuations joined)
    env: dict[str, str] = field(default_factory=dict)


def logical_lines(text: str) -> list[str]:
    """Lines with backslash continuations joined; blank and comment-only lines dropped."""
    out: list[str] = []
    pending = ""
    for raw in text.split("\n"):
        stripped = raw.rstrip()
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        line = (pending + stripped).strip()
        pending = ""
        if line and not line.startswith("#"):
            out.append(line)
    return out


def commands(text: str) -> list[Command | str]:
    """The block's commands, `$VAR`s replaced by the block's own assignments; a line shlex cannot split is
    returned as its text (the test decides whether that is allowed)."""
    env: dict[str, str] = {}
    out: list[Command | str] = []
    for line in logical_lines(text):
        try:
            argv = shlex.split(line, comments=True)
        except ValueError:
            out.append(line)
            continue
        if len(argv) == 1 and re.fullmatch(r"[A-Z_][A-Z0-9_]*=\S*", argv[0]):
            key, _, value = argv[0].partition("=")
            env[key] = value
            continue
        argv = [re.sub(r"\$(\w+)", lambda m: env.get(m.group(1), m.group(0)), a) for a in argv]
        out.append(Command(argv, line, dict(env)))
    return out


def long_flags(text: str) -> list[str]:
    """`--flags` named on a line, without its comment and `<placeholders>` (`<prepare flags minus --out>`)."""
    code = re.sub(r"<[^>]*>", "", text.split(" #", 1)[0])
    return sorted(set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", code)))
