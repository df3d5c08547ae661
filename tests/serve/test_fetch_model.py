"""`tweetbot-train fetch-model`, the vLLM serving pod's init container: a run's manifest files land in the folder,
checked (a changed file is refused with a one-line error, exit code 2), never its checkpoints; torch is not
imported (the init container starts fast)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.serve.test_model_files import upload_run


def fetch(uri: str, to: Path) -> subprocess.CompletedProcess[str]:
    code = ("import sys; from tweetbot_trainer.cli import main; rc = main(sys.argv[1:]); "
            "print('torch' in sys.modules, file=sys.stderr); sys.exit(rc)")
    return subprocess.run([sys.executable, "-c", code, "fetch-model", "--model", uri, "--to", str(to)],
                          check=False, capture_output=True, text=True, timeout=120)


def test_a_run_is_fetched_checked_and_without_checkpoints(chain_folder: Path, s3_client: Any, s3_bucket: str,
                                                          s3_env: dict[str, str], tmp_path: Path) -> None:
    uri = upload_run(s3_client, chain_folder, s3_bucket, "fetched-g1")
    done = fetch(uri, tmp_path / "models" / "run")
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "False"  # torch was never imported
    event = json.loads(done.stdout)
    assert (event["event"], event["uri"], event["to"]) == ("fetched", uri, str(tmp_path / "models" / "run"))
    got = {p.relative_to(tmp_path / "models" / "run").as_posix() for p in (tmp_path / "models" / "run").rglob("*")
           if p.is_file()}
    assert {"config.json", "model.safetensors", "manifest.json"} <= got and event["files"] == len(got)
    assert not any(p.startswith("checkpoints/") for p in got)


def test_a_changed_run_or_a_local_path_is_refused(chain_folder: Path, s3_client: Any, s3_bucket: str,
                                                  s3_env: dict[str, str], tmp_path: Path) -> None:
    uri = upload_run(s3_client, chain_folder, s3_bucket, "changed-g1")
    s3_client.put_object(Bucket=s3_bucket, Key="bots/changed-g1/model.safetensors", Body=b"not the model")
    done = fetch(uri, tmp_path / "run")
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == (f"tweetbot-train fetch-model: error: {uri}: size or sha256 differs "
                                           "from manifest.json for model.safetensors")
    local = fetch(str(chain_folder), tmp_path / "other")
    assert local.returncode == 2 and "not an s3:// run folder" in local.stderr.splitlines()[0]
    assert not (tmp_path / "other").exists()
