#!/usr/bin/env bash
# The GPU check (bench/gpu_check.py): one JSON of what production runs; `--cpu` for tiny shapes (CI).
# Usage: bench/gpu_check.sh [--cpu] [--out FILE]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PYTHONPATH="$repo/trainer:$repo/bench${PYTHONPATH:+:$PYTHONPATH}"
exec "${PYTHON:-python}" "$repo/bench/gpu_check.py" "$@"
