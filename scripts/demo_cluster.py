"""The README's main job: a TweetBot applied to a Kubernetes API and trained end to end, all on this machine.

Every part is the real one except the cluster itself:
- a local S3 server (SeaweedFS) holding the sample archive, the base model and the results;
- the Kubernetes API emulator from tests/support (the TweetBot CRD registered from manifests/crd/);
- the operator, started as in its image: `python -m tweetbot_operator`, logging in through a kubeconfig;
- a local kubelet (tests/support/local_kubelet.py) that runs the operator's Job as a process of the trainer CLI.

It applies a TweetBot, prints its status as `kubectl get tb -w` would while it trains, then the model card's
table, the run's metrics and a sample generation. `--tracking` also starts an MLflow server (SQLite in
.demo/mlflow, artifacts in the S3 server), names it in the TweetBot's spec.tracking, and prints the run's page.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scripts.demo_model import TRAINING, smollm2_base_model  # noqa: E402
from tests.fixtures.mlflow_server import MlflowServer  # noqa: E402
from tests.support.k8s_emulator import EmulatorThread, KubernetesApi  # noqa: E402
from tests.support.local_kubelet import KubeHttp  # noqa: E402
from tests.support.s3server import S3Server  # noqa: E402
from tests.support.serving_kubelet import ServingKubelet  # noqa: E402

sys.path.insert(0, str(REPO / "scripts"))
from demo_bot import PROMPT, ask, keep_bot  # noqa: E402

SAMPLE_ARCHIVE = REPO / "trainer" / "tweetbot_trainer" / "samples" / "tweets.js"
CRD = REPO / "manifests" / "crd" / "tweetbot.io_tweetbots.yaml"
BUCKET = "tweetbot"
NS = "default"
TERMINAL = {"Succeeded", "Failed"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def setup_api(api: KubernetesApi) -> None:
    api.register_crd(yaml.safe_load(CRD.read_text()))
    api.register_builtins()


def tweetbot_manifest(base_model: str, endpoint: str, name: str, tracking_uri: str | None = None, *,
                      max_steps: int | None = None, serving: bool = True) -> dict[str, Any]:
    """What a user would `kubectl apply`: the sample user's archive, trained briefly on the CPU."""
    manifest: dict[str, Any] = {
        "apiVersion": "tweetbot.io/v1alpha1",
        "kind": "TweetBot",
        "metadata": {"name": name, "namespace": NS},
        "spec": {
            "users": ["sample"],
            "source": {"archive": {"uri": f"s3://{BUCKET}/archives/{{user}}.js"}},
            "baseModel": base_model,
            "output": {"s3": f"s3://{BUCKET}/bots/{name}/", "endpoint": endpoint,
                       "credentialsSecret": {"name": "s3-credentials"}},
            # SmolLM2 with LoRA, sized for the demo's few minutes on two cores (scripts/demo_model.py).
            "training": {**TRAINING, "checkpointEvery": 20},
            "resources": {"gpus": 0, "cpu": "2", "memory": "4Gi"},
            # Once trained, the operator serves it (a Deployment running tweetbot-serve, and a Service).
            "serving": {"enabled": serving, "resources": {"cpu": "1", "memory": "2Gi"}},
        },
    }
    if max_steps is not None:  # a shorter run (tests/system/test_demo_from_tmp.py)
        manifest["spec"]["training"]["maxSteps"] = max_steps
    if tracking_uri:  # every run in MLflow: params, metrics by step, the data, card and model
        manifest["spec"]["tracking"] = {"mlflow": {"trackingURI": tracking_uri, "experiment": "demo"}}
    return manifest


def status_line(status: dict[str, Any]) -> str:
    """One line like `kubectl get tb` prints: phase, kept posts, loss, progress, model."""
    progress = status.get("progress") or {}
    parts = [f"{status.get('phase', '-'):<10}"]
    if progress:
        parts.append(f"{progress.get('percent', 0):5.1f}%")
        if "step" in progress:
            parts.append(f"step {progress['step']}/{progress.get('totalSteps', '?')}")
        if "loss" in progress:
            parts.append(f"loss {progress['loss']:.3f}")
        parts.append(f"eta {progress.get('etaSeconds', 0):.0f}s")
    if status.get("modelURI"):
        parts.append(f"model {status['modelURI']}")
    conditions = {c["type"]: c for c in status.get("conditions") or []}
    failed = conditions.get("Failed")
    if failed and failed.get("status") == "True":
        parts.append(f"{failed.get('reason')}: {failed.get('message')}")
    return "  ".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", default="sample")
    parser.add_argument("--base-model", default=None, help="default: SmolLM2-135M-Instruct (offline); tiny: a small "
                        "random GPT-2")
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--tracking", action="store_true", help="log the run to an MLflow server started here")
    parser.add_argument("--max-steps", type=int, default=None, help="stop training after this many steps")
    parser.add_argument("--no-serving", action="store_true", help="train only: the bot is not served nor asked")
    args = parser.parse_args()

    demo = REPO / ".demo"
    # A fresh S3 store each time: a run id that already has its manifest is not trained again (by design).
    shutil.rmtree(demo / "s3", ignore_errors=True)
    demo.mkdir(exist_ok=True)
    started = time.time()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "KUBE"))}

    with S3Server(data_dir=demo / "s3") as s3server, ExitStack() as stack:
        s3 = s3server.client()
        if BUCKET not in {b["Name"] for b in s3.list_buckets().get("Buckets", [])}:
            s3.create_bucket(Bucket=BUCKET)
        s3.upload_file(str(SAMPLE_ARCHIVE), BUCKET, "archives/sample.js")
        print(f"S3 server        {s3server.endpoint_url}  (data in {demo / 's3'})")

        base_model = args.base_model or smollm2_base_model(env)
        if base_model == "tiny":
            base_model = f"s3://{BUCKET}/base-models/tiny-gpt2/"
            subprocess.run([sys.executable, "-m", "tweetbot_trainer.cli", "make-tiny-model", "--out", base_model,
                            "--n-layer", "2", "--n-embd", "128", "--n-head", "4", "--n-positions", "256"],
                           env={**env, **s3server.env()}, check=True, stdout=subprocess.DEVNULL)
        print(f"base model       {base_model}")
        args.tracking_uri = None
        if args.tracking:
            shutil.rmtree(demo / "mlflow", ignore_errors=True)
            tracker = stack.enter_context(MlflowServer(demo / "mlflow", f"s3://{BUCKET}/mlflow/", {
                **s3server.env(), "MLFLOW_S3_ENDPOINT_URL": s3server.endpoint_url}))
            args.tracking_uri = tracker.uri
            print(f"MLflow server    {tracker.uri}  (data in {demo / 'mlflow'})")

        cluster = EmulatorThread(setup_api).start()
        kubeconfig = demo / "kubeconfig"
        kubeconfig.write_text(yaml.safe_dump({
            "apiVersion": "v1", "kind": "Config", "current-context": "demo",
            "clusters": [{"name": "demo", "cluster": {"server": cluster.url}}],
            "users": [{"name": "demo", "user": {"token": "demo"}}],
            "contexts": [{"name": "demo", "context": {"cluster": "demo", "user": "demo", "namespace": NS}}],
        }))
        print(f"Kubernetes API   {cluster.url}  (kubeconfig {kubeconfig})")

        operator_log = (demo / "operator.log").open("w")
        operator = subprocess.Popen(
            [sys.executable, "-m", "tweetbot_operator"],
            env={**env, "KUBECONFIG": str(kubeconfig), "TWEETBOT_POLL_INTERVAL": "1",
                 "TWEETBOT_HEALTH_PORT": str(free_port()), "TWEETBOT_METRICS_PORT": str(free_port()),
                 "TWEETBOT_DEFAULT_GPUS": "0"},
            stdout=operator_log, stderr=subprocess.STDOUT)
        print(f"operator         pid {operator.pid}  (log {demo / 'operator.log'})")
        kubelet = ServingKubelet(cluster.url, demo / "kubelet" / str(int(started)))
        kubelet.extra_env = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
        kubelet.start()
        try:
            return watch_a_tweetbot(args, cluster, s3server, s3, base_model=base_model, kubelet=kubelet,
                                    started=started)
        finally:
            kubelet.stop()
            operator.terminate()
            operator.wait(30)
            cluster.stop()


def watch_a_tweetbot(args: argparse.Namespace, cluster: EmulatorThread, s3server: S3Server, s3: Any, *,
                     base_model: str, kubelet: ServingKubelet, started: float) -> int:
    api = KubeHttp(cluster.url)
    api.create(f"/api/v1/namespaces/{NS}/secrets", {
        "apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s3-credentials"},
        "data": {"AWS_ACCESS_KEY_ID": base64.b64encode(s3server.access_key.encode()).decode(),
                 "AWS_SECRET_ACCESS_KEY": base64.b64encode(s3server.secret_key.encode()).decode()}})
    manifest = tweetbot_manifest(base_model, s3server.endpoint_url, args.name, args.tracking_uri,
                                 max_steps=args.max_steps, serving=not args.no_serving)
    print("\n$ kubectl apply -f -  <<EOF\n" + yaml.safe_dump(manifest, sort_keys=False) + "EOF")
    api.create(f"/apis/tweetbot.io/v1alpha1/namespaces/{NS}/tweetbots", manifest)

    print(f"\n$ kubectl get tb {args.name} -w")
    last, status = "", {}
    deadline = time.time() + args.timeout
    while time.time() < deadline:
        obj = api.get(f"/apis/tweetbot.io/v1alpha1/namespaces/{NS}/tweetbots/{args.name}")
        status = obj.get("status") or {}
        line = status_line(status)
        if line != last:
            print(f"{time.time() - started:6.0f}s  {line}", flush=True)
            last = line
        if status.get("phase") in TERMINAL:
            break
        time.sleep(0.5)
    if status.get("phase") != "Succeeded":
        print(f"\nthe TweetBot did not succeed; trainer logs under {kubelet.workdir}", file=sys.stderr)
        return 1

    run_key = status["modelURI"].removeprefix(f"s3://{BUCKET}/")
    card = s3.get_object(Bucket=BUCKET, Key=run_key + "README.md")["Body"].read().decode()
    predictions = json.loads(s3.get_object(Bucket=BUCKET, Key=run_key + "predictions.json")["Body"].read())
    files = json.loads(s3.get_object(Bucket=BUCKET, Key=run_key + "manifest.json")["Body"].read())["files"]
    print(f"\n== {args.name} trained in {time.time() - started:.0f} s")
    print(f"model            {status['modelURI']}  ({len(files)} files, manifest.json written last)")
    print(f"eval loss        {status.get('evalLossBefore', float('nan')):.3f} -> {status['evalLoss']:.3f}"
          f"  (perplexity {status.get('perplexity', float('nan')):.1f})")
    table = card.split("## Training data", 1)[-1]
    print("\n" + "\n".join(line for line in table.splitlines() if line.startswith("|")).split("\n| Hyper")[0])
    print(f"\nsample           {predictions[0]['samples'][0]!r}")
    print(f"\nstatus           {json.dumps({k: status[k] for k in ('phase', 'runId', 'stats') if k in status})}")
    if status.get("tracking"):
        print(f"tracking         {json.dumps(status['tracking'])}")
    return 0 if args.no_serving else ask_the_served_bot(args, api, kubelet, s3, status)


def ask_the_served_bot(args: argparse.Namespace, api: KubeHttp, kubelet: ServingKubelet, s3: Any,
                       status: dict[str, Any]) -> int:
    """Waits for status.serving.ready, asks the bot through its Deployment's pod, keeps the bot's files."""
    deadline = time.time() + 300
    while not (status.get("serving") or {}).get("ready") and time.time() < deadline:
        time.sleep(0.5)
        status = api.get(f"/apis/tweetbot.io/v1alpha1/namespaces/{NS}/tweetbots/{args.name}").get("status") or {}
    address = kubelet.address(NS, f"{args.name}-serve")
    if address is None:
        print(f"\nthe served bot did not become ready; its log is under {kubelet.workdir}", file=sys.stderr)
        return 1
    print(f"\nserving          {json.dumps(status['serving'])}  (here: {address})")
    print(f"$ curl -s {status['serving']['url']}/v1/completions -d '{{\"prompt\": \"{PROMPT}\"}}'")
    print(PROMPT + ask(address, PROMPT))
    bot = keep_bot(s3, status["modelURI"], REPO / ".demo" / "bots", args.name)
    print(f"\nthe bot's files  {bot.relative_to(REPO)}/   (serve it again: tweetbot-serve --model "
          f"{bot.relative_to(REPO)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
