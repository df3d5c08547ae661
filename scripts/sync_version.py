"""One version for everything: VERSION at the repository root is the source; this writes it everywhere else.

    python scripts/sync_version.py           # rewrite every place from VERSION
    python scripts/sync_version.py --check   # exit 1 naming each place that disagrees (tests/deploy/test_version.py)

The packages read their version from their own `_version.py` (setuptools' dynamic version), so `--version`
works from a source checkout, an editable install and a wheel alike.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
V = r"[0-9]+\.[0-9]+\.[0-9]+(?:[-+][0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)?"

# (file, pattern with one group for the text before the version): every place a version is written.
PLACES: list[tuple[str, str]] = [
    ("trainer/tweetbot_trainer/_version.py", r'(__version__ = ")'),
    ("operator/tweetbot_operator/_version.py", r'(__version__ = ")'),
    ("kubectl-tweetbot/kubectl_tweetbot/_version.py", r'(__version__ = ")'),
    ("charts/tweetbot-operator/Chart.yaml", r"(?m)(^version: )"),
    ("charts/tweetbot-operator/Chart.yaml", r'(?m)(^appVersion: ")'),
    ("charts/tweetbot-operator/Chart.yaml", r"(image: ghcr\.io/tweetbot/(?:operator|trainer):)"),
    ("manifests/deployment.yaml", r"(ghcr\.io/tweetbot/(?:operator|trainer):)"),
    ("manifests/kustomization.yaml", r"(newTag: )"),
    ("Dockerfile", r"(ghcr\.io/tweetbot/(?:operator|trainer):)"),
    ("Dockerfile", r"(tweetbot-(?:operator|trainer)==)"),
    ("Dockerfile", r'(org\.opencontainers\.image\.version=")'),
    ("docs/install.md", r"(newTag: )"),
    ("docs/install.md", r"(tweetbot-(?:operator|trainer):)"),
    ("docs/design.md", r"(ghcr\.io/tweetbot/trainer:)"),
    ("krew/tweetbot.yaml", r"(?m)(^  version: v)"),
    ("krew/tweetbot.yaml", r"(/releases/download/v)"),
    ("krew/tweetbot.yaml", r"(kubectl-tweetbot-v)"),
]


def version() -> str:
    text = (REPO / "VERSION").read_text().strip()
    if not re.fullmatch(V, text):
        raise SystemExit(f"VERSION: {text!r} is not a semantic version")
    return text


def disagreements(want: str) -> list[str]:
    """Each place whose version is not `want` (or that no longer has its pattern), as `file: found`."""
    out = []
    for name, prefix in PLACES:
        path = REPO / name
        if not path.exists():
            continue  # a package not in this checkout
        found = re.findall(prefix + f"({V})", path.read_text())
        if not found:
            out.append(f"{name}: no version where {prefix!r} expects one")
        out += [f"{name}: {v} after {p.strip()!r}" for p, v in found if v != want]
    return out


def write(want: str) -> list[str]:
    changed = []
    for name, prefix in PLACES:
        path = REPO / name
        if not path.exists():
            continue
        text = path.read_text()
        new = re.sub(prefix + f"({V})", lambda m: m.group(1) + want, text)
        if new != text:
            path.write_text(new)
            changed.append(name)
    return sorted(set(changed))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if any place disagrees")
    args = parser.parse_args(argv)
    want = version()
    if args.check:
        bad = disagreements(want)
        for line in bad:
            print(f"version {want} expected: {line}", file=sys.stderr)
        return 1 if bad else 0
    for name in write(want):
        print(f"wrote {want} into {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
