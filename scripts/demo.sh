#!/usr/bin/env bash
# The README's main-job command: set-up, then a TweetBot applied, reconciled by the operator and trained end to
# end on embedded defaults (local S3, API emulator, local kubelet, bundled sample archive, SmolLM2-135M + LoRA).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. .venv/bin/activate
exec python scripts/demo_cluster.py "$@"
