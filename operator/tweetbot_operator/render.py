"""`python -m tweetbot_operator render -f tweetbot.yaml [--model-uri s3://...] [--deleting]`: every object the
operator would create for one TweetBot, as YAML, with the settings of the environment (the chart's values reach
the operator as the same variables). Platform teams check it against their policies (SCC, Kyverno); tests use
it instead of calling the builders. Sends nothing anywhere."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from typing import Any

import yaml  # a dependency of kopf

from tweetbot_operator.deletion.cleanup_job import build_cleanup_job
from tweetbot_operator.serving.deployment import build_deployment, build_service, serving_spec
from tweetbot_operator.serving.kserve import build_inference_service
from tweetbot_operator.settings import Settings, SettingsError
from tweetbot_operator.spec import constants as c
from tweetbot_operator.spec.validation import validate_spec
from tweetbot_operator.training.job import build_rendezvous_service, build_training_job
from tweetbot_operator.training.multinode import node_count

PLACEHOLDER_UID = "00000000-0000-0000-0000-000000000000"  # the API server assigns the real one


class RenderError(ValueError):
    """The file is not one TweetBot the operator would act on."""


def render(tb: Mapping[str, Any], settings: Settings, *, model_uri: str | None = None,
           deleting: bool = False) -> list[dict[str, Any]]:
    """The training Job (and the rendezvous Service first for nodes > 1), the serving objects of `model_uri`
    (default: the Job's own run folder) when spec.serving is enabled, and with `deleting` the cleanup Job."""
    if tb.get("kind") != c.KIND or not isinstance(tb.get("metadata"), Mapping) or not tb["metadata"].get("name"):
        raise RenderError(f"not a {c.KIND} with metadata.name")
    errors = validate_spec(tb.get("spec"))
    if errors:
        raise RenderError("invalid spec: " + "; ".join(errors))
    meta = {"namespace": "default", "uid": PLACEHOLDER_UID, "generation": 1, **tb["metadata"]}
    tb = {**tb, "metadata": meta}
    spec = tb["spec"]
    job = build_training_job(tb, settings)
    objects = [build_rendezvous_service(tb)] if node_count(spec) > 1 else []
    objects.append(job)
    serving = serving_spec(spec)
    if serving["enabled"]:
        run_id = job["metadata"]["annotations"][c.ANNOTATION_RUN_ID]
        model = model_uri or f"{str(spec['output']['s3']).rstrip('/')}/{run_id}/"
        if serving["runtime"] == "kserve":
            objects.append(build_inference_service(tb, model, settings))
        else:
            objects += [build_deployment(tb, model, settings), build_service(tb)]
    if deleting:
        objects.append(build_cleanup_job(tb, settings))
    return objects


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tweetbot_operator render", description=__doc__)
    parser.add_argument("-f", "--filename", required=True, help="the TweetBot's YAML ('-': stdin)")
    parser.add_argument("--model-uri", help="the run folder the serving objects serve (default: the Job's run)")
    parser.add_argument("--deleting", action="store_true", help="also the cleanup Job of deletionPolicy: Delete")
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        with (sys.stdin if args.filename == "-" else open(args.filename, encoding="utf-8")) as stream:
            docs = [doc for doc in yaml.safe_load_all(stream) if doc]
        if len(docs) != 1 or not isinstance(docs[0], dict):
            raise RenderError(f"{args.filename} must hold one {c.KIND}")
        objects = render(docs[0], settings, model_uri=args.model_uri, deleting=args.deleting)
    except (OSError, yaml.YAMLError, SettingsError, RenderError) as exc:
        print(f"tweetbot-operator render: {args.filename}: {_one_line(exc)}", file=sys.stderr)
        return 2
    yaml.safe_dump_all(objects, sys.stdout, sort_keys=False)
    return 0


def _one_line(exc: Exception) -> str:
    """What is wrong, without the input's contents (a YAML error quotes the offending line)."""
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        return f"not YAML (line {exc.problem_mark.line + 1}): {exc.problem}"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
