"""End to end against the real S3 test server: posts -> a small GPT-2 trained for some steps -> every output
of docs/design.md's S3 layout, manifest checksums valid, eval loss lower after than before, the card's table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from transformers import GenerationConfig
from tweetbot_trainer.cli import main as cli_main
from tweetbot_trainer.publish import run_folder
from tweetbot_trainer.publish.manifest import verify_manifest
from tweetbot_trainer.s3 import S3Uri, download_prefix
from tweetbot_trainer.train.model_loading import load_model_and_tokenizer

from tests.fixtures.trainer_models import build_tiny, write_prepared

REPO = Path(__file__).resolve().parents[2]
SAMPLE_ARCHIVE = REPO / "trainer" / "tweetbot_trainer" / "samples" / "tweets.js"
EXPECTED = {"README.md", "config.json", "model.safetensors", "generation_config.json", "predictions.json",
            "metrics.json", "loss.png", "data/stats.json", "tokenizer.json", "tokenizer_config.json", "manifest.json"}
FAST = ["--block-size", "64", "--batch-size", "4", "--learning-rate", "1e-3", "--termination-log"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny(tmp_path_factory.mktemp("tiny") / "model", n_positions=128)


def _json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def _download_run(client: Any, bucket: str, run_prefix: str, target: Path) -> dict[str, Any]:
    """The run's files, checked against its manifest (which must exist: it is what says "finished")."""
    files = set(download_prefix(client, S3Uri.parse(f"s3://{bucket}/{run_prefix}"), target))
    assert files >= EXPECTED, EXPECTED - files
    assert not any(f.startswith("checkpoints/") for f in files)  # removed when the run finishes
    manifest = json.loads((target / "manifest.json").read_text())
    assert {f["path"] for f in manifest["files"]} == files - {"manifest.json"}
    assert verify_manifest(target, manifest) == []
    return manifest


@pytest.mark.usefixtures("s3_env")
def test_train_writes_every_output_to_s3(tmp_path: Path, tiny_model: Path, s3_bucket: str, s3_client: Any,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    users = {
        "spiraltoo": {"display_name": "Spiral <script>alert(1)</script>", "avatar_url": "https://e.example/a.png"},
        "bob": {"display_name": "Bob", "avatar_url": ""},
    }
    data = write_prepared(tmp_path / "data", users=users, languages=["fr", "en"])
    termination = tmp_path / "termination-log"
    code = cli_main(["train", "--data", str(data), "--base-model", str(tiny_model),
                     "--output", f"s3://{s3_bucket}/bots/", "--run-id", "spiraltoo-g1", "--max-steps", "16",
                     "--checkpoint-every", "6", *FAST, str(termination)])
    assert code == 0
    events = _json_lines(capsys.readouterr().out)
    phases = [e["phase"] for e in events if e["event"] == "phase"]
    assert phases == ["download", "tokenize", "quality", "eval", "train", "eval", "quality", "save", "upload", "done"]
    progress = [e for e in events if e["event"] == "progress"]
    assert progress[-1]["step"] == progress[-1]["total_steps"] == 16 and progress[-1]["percent"] == 100.0
    assert [e["step"] for e in events if e["event"] == "checkpoint"] == [6, 12]
    evals = {e["when"]: e["loss"] for e in events if e["event"] == "eval"}
    assert evals["after"] < evals["before"]

    run = tmp_path / "run"
    _download_run(s3_client, s3_bucket, "bots/spiraltoo-g1/", run)
    metrics = json.loads((run / "metrics.json").read_text())
    assert metrics["evalLoss"] < metrics["evalLossBefore"]
    assert set(metrics["phaseSeconds"]) >= {"download", "tokenize", "train", "save", "upload"}
    assert metrics["tokensPerSecond"] > 0 and metrics["steps"] == 16 and len(metrics["losses"]) == 16

    card = (run / "README.md").read_text()
    assert "| Data | Spiral &lt;script&gt;alert&#40;1&#41;&lt;/script&gt; | Bob |" in card
    assert "| Tweets downloaded | 1000 | 1001 |" in card and "| Tweets kept | 600 | 600 |" in card
    assert "<script>" not in card and "🤖 AI CYBORG 🤖" in card and "language:\n- fr\n- en" in card
    assert f"| Eval loss after | {metrics['evalLoss']:.4f} |" in card and "![training loss](loss.png)" in card
    assert (run / "loss.png").read_bytes().startswith(b"\x89PNG")

    generation = GenerationConfig.from_pretrained(run)
    assert (generation.do_sample, generation.top_p, generation.temperature, generation.max_new_tokens) == (
        True, 0.95, 1.0, 160)
    assert json.loads((run / "config.json").read_text())["prefix"] == "<|endoftext|>"
    predictions = json.loads((run / "predictions.json").read_text())
    assert predictions[0]["prompt"] == "My dream is"
    assert all(s.startswith("My dream is") for s in predictions[0]["samples"])
    model, _ = load_model_and_tokenizer(str(run))  # the uploaded model loads as a model
    assert model.config.prefix == "<|endoftext|>"

    summary = json.loads(termination.read_text())
    assert summary["status"] == "succeeded" and summary["modelURI"] == f"s3://{s3_bucket}/bots/spiraltoo-g1/"
    assert summary["evalLoss"] == pytest.approx(metrics["evalLoss"])
    assert summary["stats"]["bob"]["downloaded"] == 1001
    _check_quality(metrics, card, summary)

    # A retried Job of a finished run reports it again and leaves the finished model alone; it finishes what
    # follows the manifest, which the attempt before may not have (here: it died before removing a checkpoint).
    before = s3_client.head_object(Bucket=s3_bucket, Key="bots/spiraltoo-g1/manifest.json")["LastModified"]
    s3_client.put_object(Bucket=s3_bucket, Key="bots/spiraltoo-g1/checkpoints/step-12/COMPLETE", Body=b"12")
    termination.unlink()
    assert cli_main(["train", "--data", str(data), "--base-model", str(tiny_model), "--output",
                     f"s3://{s3_bucket}/bots/", "--run-id", "spiraltoo-g1", *FAST, str(termination)]) == 0
    assert [e.get("phase") for e in _json_lines(capsys.readouterr().out)] == ["done"]
    assert s3_client.head_object(Bucket=s3_bucket, Key="bots/spiraltoo-g1/manifest.json")["LastModified"] == before
    assert s3_client.list_objects_v2(Bucket=s3_bucket, Prefix="bots/spiraltoo-g1/checkpoints/")["KeyCount"] == 0
    assert json.loads(termination.read_text()) == summary | {"durationSeconds": metrics["durationSeconds"]}


def _check_quality(metrics: dict[str, Any], card: str, summary: dict[str, Any]) -> None:
    """Every quality number (docs/guide/quality.md) in metrics.json, the card and the termination message."""
    quality = metrics["quality"]
    assert quality["generations"] == 32 and quality["memorization"]["ngram"] == 8
    assert quality["fit"]["ratio"] == pytest.approx(
        quality["fit"]["perplexityFineTuned"] / quality["fit"]["perplexityBase"], rel=1e-3)
    assert quality["fit"]["ratio"] < 1  # the tiny model learned the synthetic posts
    assert 0 <= quality["style"]["fineTuned"] <= 1 and quality["style"]["personPosts"] == 60
    assert set(quality["variety"]) == {"distinct1", "distinct2", "duplicates"}
    assert set(quality["seconds"]) == {"generateBot", "style", "memorization", "variety", "language", "noRepeat"}
    size = quality["noRepeat"]["size"]  # the run's choice (quality/repeats.py), said in the card
    assert (f"`no_repeat_ngram_size: {size}`" if size else "Sampling is left as it was") in card
    assert metrics["phaseSeconds"]["quality"] > 0
    assert "## How much it sounds like @spiraltoo & @bob" in card
    assert f"| {quality['style']['fineTuned'] * 100:.0f}% |" in card
    assert summary["quality"]["styleMatch"] == quality["style"]["fineTuned"]
    assert summary["quality"]["memorized"] == quality["memorization"]["memorized"]


@pytest.mark.usefixtures("s3_env")
def test_run_from_the_sample_archive(tmp_path: Path, tiny_model: Path, s3_bucket: str, s3_client: Any,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    """What the Job runs: prepare (archive source) + train, in one process."""
    code = cli_main(["run", "--user", "sample", "--source", "archive", "--source-uri", str(SAMPLE_ARCHIVE),
                     "--base-model", str(tiny_model), "--output", f"s3://{s3_bucket}/bots/sample/",
                     "--run-id", "sample-g1", "--max-steps", "10", *FAST, str(tmp_path / "termination")])
    assert code == 0
    events = _json_lines(capsys.readouterr().out)
    phases = [e["phase"] for e in events if e["event"] == "phase"]
    assert phases[:3] == ["download", "prepare", "download"] and phases[-1] == "done"
    stats = next(e for e in events if e["event"] == "stats")["users"]["sample"]
    run = tmp_path / "run"
    _download_run(s3_client, s3_bucket, "bots/sample/sample-g1/", run)
    card = (run / "README.md").read_text()
    assert f"| Tweets downloaded | {stats['downloaded']} |" in card
    assert f"| Tweets kept | {stats['kept']} |" in card
    metrics = json.loads((run / "metrics.json").read_text())
    assert metrics["evalLoss"] < metrics["evalLossBefore"]
    assert metrics["phaseSeconds"]["prepare"] > 0


def test_input_errors_exit_2_with_a_failed_termination_message(tmp_path: Path, tiny_model: Path,
                                                               s3_env: dict[str, str]) -> None:
    termination = tmp_path / "termination-log"
    data = write_prepared(tmp_path / "data")
    code = cli_main(["train", "--data", str(data), "--base-model", str(tiny_model),
                     "--output", "s3://no-such-bucket-tweetbot/bots/", "--run-id", "x-g1",
                     "--termination-log", str(termination)])
    assert code == 2
    assert json.loads(termination.read_text())["reason"] == "MissingBucket"


def test_a_hub_push_without_its_token_fails_before_training(tmp_path: Path, tiny_model: Path, s3_bucket: str,
                                                            s3_env: dict[str, str], monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("HF_TOKEN", raising=False)
    termination = tmp_path / "termination-log"
    code = cli_main(["train", "--data", str(write_prepared(tmp_path / "data")), "--base-model", str(tiny_model),
                     "--output", f"s3://{s3_bucket}/bots/", "--run-id", "x-g1", "--hub-repo", "me/x",
                     "--termination-log", str(termination)])
    assert code == 2
    assert json.loads(termination.read_text())["reason"] == "MissingHubToken"
    assert not [e for e in _json_lines(capsys.readouterr().out) if e.get("event") == "phase"]  # nothing ran


@pytest.mark.usefixtures("s3_env")
def test_a_retry_of_a_finished_run_pushes_to_the_hub_from_s3(tmp_path: Path, tiny_model: Path, s3_bucket: str,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """An attempt that died after the manifest, before its hub push: the retry pushes the run as S3 has it.
    (No hub here: the push itself is replaced by a recorder; everything before it is real.)"""
    data = write_prepared(tmp_path / "data")
    argv = ["train", "--data", str(data), "--base-model", str(tiny_model), "--output", f"s3://{s3_bucket}/bots/",
            "--run-id", "hub-g1", "--max-steps", "2", *FAST, str(tmp_path / "termination-log")]
    assert cli_main(argv) == 0  # finished, without a hub push
    pushed: list[tuple[set[str], str]] = []

    def record(folder: Path, repo_id: str, token_env: str) -> str:
        pushed.append(({p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}, repo_id))
        return f"https://huggingface.co/{repo_id}"

    monkeypatch.setattr(run_folder, "push_to_hub", record)
    monkeypatch.setenv("HF_TOKEN", "hf_not_a_real_token")
    assert cli_main([*argv, "--hub-repo", "me/hub-bot"]) == 0
    [(files, repo)] = pushed
    assert repo == "me/hub-bot" and files >= EXPECTED and not any(f.startswith("checkpoints/") for f in files)
