#!/usr/bin/env bash
# The README's test command: set-up, lint, type-check, then the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/setup-vllm.sh  # vLLM for the serving tests, in .venv-vllm (the demo does not need it)
. .venv/bin/activate
echo "== ruff"; ruff check .
echo "== mypy"; mypy trainer/tweetbot_trainer operator/tweetbot_operator kubectl-tweetbot/kubectl_tweetbot
echo "== pytest"; python -m pytest "$@"
