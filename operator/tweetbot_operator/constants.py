"""Names shared by the operator's modules: the API it serves and the labels it writes."""

from __future__ import annotations

GROUP = "tweetbot.io"
VERSION = "v1alpha1"
PLURAL = "tweetbots"
KIND = "TweetBot"
API_VERSION = f"{GROUP}/{VERSION}"

APP_NAME = "tweetbot"
MANAGER = "tweetbot-operator"
TRAINER_CONTAINER = "trainer"

LABEL_APP = "app.kubernetes.io/name"
LABEL_COMPONENT = "app.kubernetes.io/component"
LABEL_MANAGED_BY = "app.kubernetes.io/managed-by"
LABEL_NAME = "tweetbot.io/name"
LABEL_GENERATION = "tweetbot.io/generation"
LABEL_RUN_ID = "tweetbot.io/run-id"
LABEL_SLOT = "tweetbot.io/schedule-slot"
LABEL_KUEUE_QUEUE = "kueue.x-k8s.io/queue-name"

ANNOTATION_RUN_ID = "tweetbot.io/run-id"  # the full run id (labels cap at 63 characters)
ANNOTATION_SPEC_HASH = "tweetbot.io/spec-hash"  # of the run-affecting spec (see jobs.run_spec_hash)

COMPONENT_TRAIN = "train"
COMPONENT_CLEANUP = "cleanup"
