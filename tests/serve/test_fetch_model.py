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
    assert local.returncode == 2 and "not an s3:// folder" in local.stderr.splitlines()[0]
    assert not (tmp_path / "other").exists()


def test_an_adapter_only_run_and_its_s3_base_are_fetched(chain_folder: Path, s3_client: Any, s3_bucket: str,
                                                         s3_env: dict[str, str], tmp_path: Path) -> None:
    """serving.engine vllm on a LoRA run published without the merged model: the run (adapter/, no config.json)
    and the base model's files (not its data or checkpoints) both land, for vLLM's --model and --lora-modules."""
    from tweetbot_trainer.publish.manifest import build_manifest
    from tweetbot_trainer.s3 import S3Uri, upload_dir

    run = tmp_path / "adapter-run"
    (run / "adapter").mkdir(parents=True)
    (run / "adapter" / "adapter_config.json").write_text('{"peft_type": "LORA", "r": 8}')
    (run / "adapter" / "adapter_model.safetensors").write_bytes(b"\0" * 64)
    (run / "manifest.json").write_text(json.dumps(build_manifest(run, ["adapter/adapter_config.json",
                                                                       "adapter/adapter_model.safetensors"],
                                                                 "a-g1", 0.0)))
    upload_dir(s3_client, run, S3Uri(s3_bucket, "bots/a-g1/"))
    upload_dir(s3_client, chain_folder, S3Uri(s3_bucket, "models/base/"))
    code = "import sys; from tweetbot_trainer.cli import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run([sys.executable, "-c", code, "fetch-model", "--model", f"s3://{s3_bucket}/bots/a-g1/",
                           "--to", str(tmp_path / "m" / "run"), "--base", f"s3://{s3_bucket}/models/base/",
                           "--base-to", str(tmp_path / "m" / "base")], check=False, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["to"] for line in done.stdout.splitlines()] == [str(tmp_path / "m" / "run"),
                                                                           str(tmp_path / "m" / "base")]
    assert (tmp_path / "m" / "run" / "adapter" / "adapter_model.safetensors").stat().st_size == 64
    base = {p.name for p in (tmp_path / "m" / "base").iterdir()}
    assert {"config.json", "model.safetensors"} <= base and not base & {"manifest.json", "data"}
