#!/usr/bin/env bash
# The README's main-job command: set-up, then a TweetBot trained end to end on embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. .venv/bin/activate
exec python scripts/demo.py "$@"
