"""The TweetBot spec's three kinds of field and their hashes (the CRD's descriptions say which field is which).

- model fields: an edit starts a new run (a new run id, trained from step 0);
- in-place fields: the current Job is kept (suspended/resumed in place, or read by the operator only);
- placement fields (all the others: backoffLimit, activeDeadlineSeconds, priorityClassName, tolerations,
  nodeSelector, affinity, resources, image): the run continues in a new Job, same run id, from its checkpoint.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tweetbot_operator.spec.hashing import short_hash

MODEL_FIELDS = ("users", "source", "baseModel", "training", "output")
MODEL_FIELDS_IGNORED = {"output": ("keepRuns",)}  # read when a run succeeds: changes no model
# quality: spec.quality.minimum, the gate before serving; lowering it promotes a held run without a new one.
NON_RUN_FIELDS = frozenset({"suspend", "schedule", "timeZone", "refresh", "deletionPolicy", "ttlSecondsAfterFinished",
                            "serving", "quality"})
DEFAULT_KEEP_RUNS = 3  # spec.output.keepRuns' default, as in the CRD


def run_spec_hash(spec: Mapping[str, Any]) -> str:
    """Hash of the model fields: equal hashes mean the same model, so the same run."""
    essence = {}
    for key in MODEL_FIELDS:
        value = spec.get(key)
        if isinstance(value, Mapping) and key in MODEL_FIELDS_IGNORED:
            value = {k: v for k, v in value.items() if k not in MODEL_FIELDS_IGNORED[key]}
        essence[key] = value
    return short_hash(essence)


def placement_hash(spec: Mapping[str, Any]) -> str:
    """Hash of the placement fields: a different one means the run must continue in a new Job."""
    placement = {k: v for k, v in spec.items() if k not in NON_RUN_FIELDS and k not in MODEL_FIELDS}
    resources = placement.get("resources")
    if isinstance(resources, Mapping) and resources.get("nodes") == 1:
        # The CRD's default: the API server adds it to every stored TweetBot with resources once the CRD has
        # the field, which must not move their runs to new Jobs.
        placement["resources"] = {k: v for k, v in resources.items() if k != "nodes"}
    return short_hash(placement)
