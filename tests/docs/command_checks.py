"""What each documented command is checked against, offline.

`check(cmd)` returns (ran, errors): ran is True when the check does what the command does, as far as this
machine can (kubectl's client-side dry run, objects validated as the API server would, the chart rendered with
the documented values); False when only the files, subcommands and flags it names could be checked.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import yaml

from tests.deploy.render import CHART, REPO, all_errors, helm_template, kustomize, load_all, tool
from tests.docs.doc_blocks import Command, long_flags

# Each CLI run as `python -m` from this checkout (an installed executable may belong to another checkout).
CLIS = {"tweetbot-train": "tweetbot_trainer.cli", "tweetbot-serve": "tweetbot_trainer.serve.cli",
        "kubectl-tweetbot": "kubectl_tweetbot"}
HELM_DROP = {"--reuse-values", "--create-namespace", "--install", "--wait", "--atomic"}
HELM_VALUE_FLAGS = {"--set", "--set-string", "-f", "--values"}
Result = tuple[bool, list[str]]


def env() -> dict[str, str]:
    path = os.pathsep.join([str(REPO / "trainer"), str(REPO / "operator"), str(REPO / "kubectl-tweetbot"), str(REPO)])
    return {**os.environ, "PYTHONPATH": path, "KUBECONFIG": os.devnull}


@cache
def help_text(*argv: str) -> str:
    proc = subprocess.run(list(argv), capture_output=True, text=True, timeout=60, env=env(), cwd=REPO, check=False)
    return proc.stdout + proc.stderr if proc.returncode == 0 else ""


def cli_errors(program: str, words: list[str], flags: list[str]) -> list[str]:
    """The subcommand (first word not a flag) exists and every flag appears in its --help."""
    binary = (sys.executable, "-m", CLIS[program])
    top = help_text(*binary, "--help")
    if not top:
        return [f"{program} --help failed"]
    sub = words[0] if words and not words[0].startswith("-") and program != "tweetbot-serve" else None
    if sub is not None and not re.search(rf"^\s+{re.escape(sub)}\b", top, re.M) and f"{{{sub}" not in top \
            and f",{sub}" not in top:
        return [f"{program} has no subcommand {sub!r}"]
    text = help_text(*binary, sub, "--help") if sub else top
    return [f"{program} {sub or ''}: no flag {flag}" for flag in flags if not re.search(
        rf"(?<![\w-]){re.escape(flag)}(?![\w-])", text)]


def repo_path(arg: str) -> Path:
    return REPO / arg.rstrip("/")


def kubectl(argv: list[str]) -> Result:
    rest = [a for a in argv[1:]]
    while rest[:1] and rest[0] in ("-n", "--namespace"):
        rest = rest[2:]
    verb = rest[0] if rest else ""
    if verb == "tweetbot":
        return False, cli_errors("kubectl-tweetbot", rest[1:], long_flags(" ".join(rest[1:])))
    if verb == "create" and rest[1:2] in (["namespace"], ["secret"]):
        proc = subprocess.run([tool("kubectl"), *argv[1:], "--dry-run=client", "-o", "yaml"], capture_output=True,
                              text=True, timeout=60, env=env(), check=False)
        return True, [] if proc.returncode == 0 else [f"kubectl dry run: {proc.stderr.strip()}"]
    if verb == "apply":
        return kubectl_apply(rest[1:])
    errors = []
    for i, arg in enumerate(rest):
        if arg in ("-f", "--filename", "-k", "--patch-file") and not repo_path(rest[i + 1]).exists():
            errors.append(f"{rest[i + 1]} is not in the repository")
        if arg == "--patch-file" and not errors:
            yaml.safe_load(repo_path(rest[i + 1]).read_text())
        if arg in ("-p", "--patch"):
            json.loads(rest[i + 1])
    return False, errors


def kubectl_apply(args: list[str]) -> Result:
    for i, arg in enumerate(args):
        if arg in ("-f", "--filename", "-k", "--kustomize"):
            path = repo_path(args[i + 1])
            if not path.exists():
                return False, [f"{args[i + 1]} is not in the repository"]
            if arg in ("-k", "--kustomize"):
                return True, all_errors(kustomize(path))
            files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
            return True, all_errors([o for f in files for o in load_all(f.read_text())])
    return False, ["kubectl apply without -f or -k"]


def helm(argv: list[str]) -> Result:
    if argv[1] in ("uninstall", "get"):  # nothing to render
        return False, []
    if argv[1] not in ("install", "upgrade", "template"):
        return False, [f"helm {argv[1]}: not a documented verb"]
    positional, sets, namespace = [], [], "default"
    rest = iter(argv[2:])
    for arg in rest:
        if arg in HELM_DROP:
            continue
        if arg in ("-n", "--namespace"):
            namespace = next(rest)
        elif arg in HELM_VALUE_FLAGS:
            value = next(rest)
            if arg in ("-f", "--values") and not repo_path(value).exists():
                continue  # the user's own values file (e.g. from `helm get values`): the defaults are checked
            sets += [arg, str(repo_path(value))] if arg in ("-f", "--values") else [arg, value]
        elif arg.startswith("-"):
            return False, [f"helm: flag {arg} is not handled by tests/docs"]
        else:
            positional.append(arg)
    if len(positional) != 2 or repo_path(positional[1]) != CHART:
        return False, [f"helm {argv[1]}: expected a release name and {CHART.relative_to(REPO)}, got {positional}"]
    objects = helm_template(*sets, namespace=namespace)
    return True, all_errors(objects)


def docker(argv: list[str]) -> Result:
    stages = set(re.findall(r"^FROM\s+\S+\s+AS\s+(\S+)", (REPO / "Dockerfile").read_text(), re.M | re.I))
    targets = [argv[i + 1] for i, a in enumerate(argv) if a == "--target"]
    return False, [f"Dockerfile has no stage {t}" for t in targets if t not in stages]


def python_script(argv: list[str], text: str) -> Result:
    script = argv[1]
    if not (REPO / script).is_file():
        return False, [f"{script} is not in the repository"]
    flags = long_flags(text)
    if not flags:
        return False, []
    usage = help_text(sys.executable, str(REPO / script), "--help")
    if not usage:
        return False, [f"{script} --help failed"]
    return False, [f"{script}: no flag {f}" for f in flags if f not in usage]


def check(cmd: Command) -> Result:
    argv = cmd.argv
    program = argv[0]
    if program in CLIS:
        return False, cli_errors(program, argv[1:], long_flags(cmd.text))
    if program == "kubectl":
        return kubectl(argv)
    if program in ("helm", "helm3"):
        return helm(argv)
    if program == "docker":
        return docker(argv)
    if program == "bash":
        return False, [] if (REPO / argv[1]).is_file() else [f"{argv[1]} is not in the repository"]
    if program == "python" and argv[1:2] != ["-m"]:
        return python_script(argv, cmd.text)
    return False, []  # aws, curl, open, `.`: nothing offline to check

