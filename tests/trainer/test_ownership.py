"""Run folders are attributable (a marker naming the TweetBot, written first) and only a TweetBot's own folders are
trained into, pruned (--keep-runs) or deleted (delete --owner); the real S3 server on loopback. And the training
loop's time-based checkpoints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import torch
from tweetbot_trainer.cli import main as cli_main
from tweetbot_trainer.errors import TweetBotInputError
from tweetbot_trainer.publish.ownership import RUN_MARKER, Owner, claim_run, delete_owned_runs, prune_runs
from tweetbot_trainer.s3 import S3Uri
from tweetbot_trainer.train.checkpoint import TrainState
from tweetbot_trainer.train.loop import LoopSettings, train_loop

from tests.fixtures.trainer_models import build_tiny

GONE = Owner("bots", "gone", "11111111-aaaa-4000-8000-000000000001")
EXTRA = Owner("bots", "gone-extra", "22222222-bbbb-4000-8000-000000000002")
TWIN = Owner("other", "gone", "33333333-cccc-4000-8000-000000000003")  # same name, another namespace


def keys(client: Any, bucket: str, prefix: str = "") -> set[str]:
    listed = client.list_objects_v2(Bucket=bucket, Prefix=prefix)
    return {o["Key"] for o in listed.get("Contents", [])}


def put(client: Any, bucket: str, key: str, body: Any = b"x") -> None:
    client.put_object(Bucket=bucket, Key=key, Body=json.dumps(body).encode() if not isinstance(body, bytes) else body)


def run_folder(client: Any, bucket: str, run_id: str, owner: Owner, created: float | None = None) -> S3Uri:
    """A run as the trainer leaves it: marker first, files, and the manifest when `created` (finished)."""
    run = S3Uri(bucket, f"bots/{run_id}/")
    claim_run(client, run, owner)
    put(client, bucket, run.child("model.safetensors").key)
    if created is not None:
        put(client, bucket, run.child("manifest.json").key, {"runId": run_id, "created": created, "files": []})
    return run


def test_a_run_folder_is_claimed_once_and_never_adopted(s3_client: Any, s3_bucket: str) -> None:
    run = S3Uri(s3_bucket, "bots/gone-11111111-g1/")
    claim_run(s3_client, run, GONE)
    marker = json.loads(s3_client.get_object(Bucket=s3_bucket, Key=run.child(RUN_MARKER).key)["Body"].read())
    assert marker == {"namespace": "bots", "name": "gone", "uid": GONE.uid}
    claim_run(s3_client, run, GONE)  # the next attempt of the same run
    with pytest.raises(TweetBotInputError) as err:
        claim_run(s3_client, run, TWIN)
    assert err.value.reason == "OutputConflict" and "other/gone" in err.value.message
    put(s3_client, s3_bucket, "bots/unmarked/model.safetensors")  # e.g. a run from before markers, a user's files
    with pytest.raises(TweetBotInputError) as err:
        claim_run(s3_client, S3Uri(s3_bucket, "bots/unmarked/"), GONE)
    assert err.value.reason == "OutputConflict"
    assert keys(s3_client, s3_bucket, "bots/unmarked/") == {"bots/unmarked/model.safetensors"}  # untouched


def test_keep_runs_prunes_only_this_owners_older_finished_runs(s3_client: Any, s3_bucket: str) -> None:
    runs = [run_folder(s3_client, s3_bucket, f"gone-g{i}", GONE, created=float(i)) for i in range(1, 5)]
    unfinished = run_folder(s3_client, s3_bucket, "gone-g5", GONE)
    foreign = run_folder(s3_client, s3_bucket, "gone-extra-g1", EXTRA, created=0.5)
    # gone-g1 is what status.modelURI points at while this run trains (the operator passes --protect-run).
    deleted = prune_runs(s3_client, S3Uri(s3_bucket, "bots/"), GONE.uid, keep=2, current=runs[-1],
                         protect="gone-g1")
    assert sorted(deleted) == ["gone-g2"]
    assert prune_runs(s3_client, S3Uri(s3_bucket, "bots/"), GONE.uid, keep=2, current=runs[-1]) == ["gone-g1"]
    left = keys(s3_client, s3_bucket)
    assert not any(k.startswith(("bots/gone-g1/", "bots/gone-g2/")) for k in left)
    for kept in (runs[2], runs[3], unfinished, foreign):
        assert kept.child("model.safetensors").key in left


def test_delete_owner_deletes_exactly_that_tweetbots_runs(s3_client: Any, s3_bucket: str, s3_env: Any) -> None:
    del s3_env
    mine = [run_folder(s3_client, s3_bucket, f"gone-1111-g{i}", GONE, created=float(i)) for i in (1, 2)]
    extra = run_folder(s3_client, s3_bucket, "gone-extra-2222-g1", EXTRA, created=1.0)
    twin = run_folder(s3_client, s3_bucket, "gone-3333-g1", TWIN, created=1.0)
    put(s3_client, s3_bucket, "bots/gone-notes.txt")  # a user's own file under the same prefix
    put(s3_client, s3_bucket, "bots/gone-old/model.safetensors")  # an unmarked folder
    assert delete_owned_runs(s3_client, S3Uri(s3_bucket, "bots/"), "nobody") == []
    code = cli_main(["delete", "--output", f"s3://{s3_bucket}/bots/", "--owner", f"bots/gone/{GONE.uid}"])
    assert code == 0
    left = keys(s3_client, s3_bucket)
    assert not any(k.startswith(tuple(run.key for run in mine)) for k in left)
    assert {extra.child(RUN_MARKER).key, twin.child(RUN_MARKER).key, "bots/gone-notes.txt",
            "bots/gone-old/model.safetensors"} <= left


def test_loop_checkpoints_by_time_as_well_as_by_steps(tmp_path: Path) -> None:
    from accelerate import Accelerator
    from transformers import AutoModelForCausalLM

    model_dir = build_tiny(tmp_path / "tiny", n_positions=16)
    accelerator = Accelerator(cpu=True)

    def run(settings: LoopSettings) -> list[int]:
        torch.manual_seed(0)
        model = AutoModelForCausalLM.from_pretrained(model_dir)
        saved: list[int] = []
        blocks = torch.randint(0, model.config.vocab_size, (8, 16))
        train_loop(accelerator, model, torch.optim.SGD(model.parameters(), lr=0.01), blocks, settings=settings,
                   state=TrainState(), on_checkpoint=lambda s: saved.append(s.step))
        return saved

    base = {"total_steps": 6, "batch_size": 2, "learning_rate": 0.01, "warmup_steps": 0, "seed": 1}
    assert run(LoopSettings(**base)) == []
    assert run(LoopSettings(**base, checkpoint_every=4)) == [4]
    # A tiny interval: every step has trained that long since the last checkpoint (never after the last step:
    # the finished model is saved anyway); a long one: none within six quick steps.
    assert run(LoopSettings(**base, checkpoint_seconds=1e-9)) == [1, 2, 3, 4, 5]
    assert run(LoopSettings(**base, checkpoint_seconds=3600.0)) == []
