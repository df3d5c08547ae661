"""The end of the README's main job: the served bot asked "My dream is", and the finished bot kept as plain files
under .demo/bots/<name>/ (outside the S3 data that each demo run starts afresh)."""

from __future__ import annotations

import json
import shutil
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from tweetbot_trainer.serve.model_files import download_run

PROMPT = "My dream is"


def keep_bot(s3: Any, model_uri: str, bots_dir: Path, name: str) -> Path:
    """Downloads the run (checked against its manifest) and puts it in place of an older copy in one rename."""
    bots_dir.mkdir(parents=True, exist_ok=True)
    target = bots_dir / name
    with tempfile.TemporaryDirectory(dir=bots_dir, prefix=f".{name}-") as tmp:
        fresh = download_run(model_uri, Path(tmp) / name, client=s3)
        old = Path(tmp) / "old"
        if target.exists():
            target.rename(old)
        fresh.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    return target


def ask(url: str, prompt: str = PROMPT, timeout: float = 120.0) -> str:
    """The bot's answer to `prompt` through /v1/completions, waiting for the server to come up first."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):
                break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    body = json.dumps({"prompt": prompt, "max_tokens": 40, "seed": 0}).encode()
    request = urllib.request.Request(url + "/v1/completions", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        return str(json.loads(answer.read())["choices"][0]["text"])
