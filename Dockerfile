# syntax=docker/dockerfile:1
# Two images from one file (BuildKit):
#   docker build --target operator -t ghcr.io/tweetbot/operator:0.1.0 .
#   docker build --target trainer  -t ghcr.io/tweetbot/trainer:0.1.0 .
# Each final stage installs wheels built in its builder stage; no build tools end up in it (the trainer has only
# the C compiler that torch.compile's Triton needs at run time).
# The version (tags, labels, our own wheels) is VERSION's, written here by scripts/sync_version.py.
# Versions below match requirements-dev.txt (what CI tests); bump them together.

ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm
ARG PYTORCH_IMAGE=pytorch/pytorch:2.9.1-cuda12.8-cudnn9-runtime

# ---------------------------------------------------------------- operator: kopf, no torch
FROM ${PYTHON_IMAGE} AS operator-build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY LICENSE ./
COPY operator/ ./operator/
# The operator's wheel plus a wheel of every (pinned) dependency, for an offline install below.
RUN pip wheel --wheel-dir /wheels ./operator \
        kopf==1.45.2 aiohttp==3.14.5 prometheus-client==0.26.0 croniter==7.0.0 tzdata==2026.6

FROM ${PYTHON_IMAGE} AS operator
LABEL org.opencontainers.image.title="tweetbot-operator" org.opencontainers.image.version="0.1.0" \
      org.opencontainers.image.licenses="Apache-2.0" org.opencontainers.image.source="https://github.com/tweetbot/tweetbot"
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
# --no-index: only the wheels from the build stage, nothing fetched here.
RUN --mount=type=bind,from=operator-build,source=/wheels,target=/wheels \
    pip install --no-index --find-links /wheels tweetbot-operator==0.1.0 \
    && useradd --uid 10001 --gid 0 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app
# Numeric so that runAsNonRoot can verify it; group 0, as OpenShift runs an image (an arbitrary UID in group 0,
# TWEETBOT_FIXED_POD_IDS=false): nothing in the image needs writing, /tmp and /cache are the pod's emptyDirs.
USER 10001:0
# TWEETBOT_HEALTH_PORT (GET /healthz) and TWEETBOT_METRICS_PORT (GET /metrics).
EXPOSE 8080 9090
ENTRYPOINT ["python", "-m", "tweetbot_operator"]

# ---------------------------------------------------------------- trainer: CUDA PyTorch from the base image
FROM ${PYTORCH_IMAGE} AS trainer-build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY LICENSE ./
COPY trainer/ ./trainer/
# Only our own (pure-Python) wheel: its dependencies come from PyPI below so that the base image's CUDA torch
# is kept (a `pip wheel` of the dependencies would pull a second torch).
RUN pip wheel --no-deps --wheel-dir /wheels ./trainer

FROM ${PYTORCH_IMAGE} AS trainer
LABEL org.opencontainers.image.title="tweetbot-trainer" org.opencontainers.image.version="0.1.0" \
      org.opencontainers.image.licenses="Apache-2.0" org.opencontainers.image.source="https://github.com/tweetbot/tweetbot"
# /cache is where the operator mounts the model cache volume (the chart's trainer.modelCacheClaim; an emptyDir
# without one): the hub's downloads, s3:// base models and torch.compile's caches (inductor's FX graph and autograd
# caches, Triton's kernels) outlive a run there, so a warm node neither downloads nor compiles again.
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    HOME=/tmp MPLCONFIGDIR=/tmp/matplotlib TWEETBOT_CACHE_DIR=/cache HF_HOME=/cache/huggingface \
    TORCHINDUCTOR_CACHE_DIR=/cache/torchinductor TRITON_CACHE_DIR=/cache/triton
# torch.compile's Triton builds a small C launcher the first time it runs: the smallest C toolchain for that
# (the base image is Ubuntu 22.04; the patch level of libc's headers follows the base image's security updates).
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc=4:11.2.0-1ubuntu1 "libc6-dev=2.35-0ubuntu3*" \
    && rm -rf /var/lib/apt/lists/*
# torch is already in the base image and satisfies the trainer's torch>=2.4, so pip leaves it alone.
# mlflow-skinny and wandb: the experiment trackers' clients (spec.tracking; the trainer's [mlflow], [wandb] extras).
RUN --mount=type=bind,from=trainer-build,source=/wheels,target=/wheels \
    pip install --find-links /wheels tweetbot-trainer==0.1.0 \
        transformers==5.24.0 accelerate==1.15.0 peft==0.21.2 safetensors==0.8.0 boto3==1.44.8 botocore==1.44.8 \
        tqdm==4.70.1 matplotlib==3.11.2 aiohttp==3.14.5 prometheus-client==0.26.0 scikit-learn==1.9.1 \
        mlflow-skinny==3.18.0 wandb==0.31.0 \
    && useradd --uid 10001 --gid 0 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app \
    && install -d -m 0775 -o 10001 -g 0 /cache
USER 10001:0
WORKDIR /tmp
# The operator's Job passes the subcommand and its flags (docs/design.md), e.g. `run --user ...`; its serving
# Deployment runs `tweetbot-serve` instead (command: in the pod spec).
ENTRYPOINT ["tweetbot-train"]
