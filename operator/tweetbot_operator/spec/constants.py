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
# On the cleanup Job, which has no owner reference (a dependent of the TweetBot being deleted would be deleted by
# the garbage collector under foreground deletion, and recreated, forever): the uid of the TweetBot it cleans.
LABEL_OWNER_UID = "tweetbot.io/owner-uid"

ANNOTATION_RUN_ID = "tweetbot.io/run-id"  # the full run id (labels cap at 63 characters)
ANNOTATION_SPEC_HASH = "tweetbot.io/spec-hash"  # of the model-changing spec (see jobs.run_spec_hash)
ANNOTATION_PLACEMENT_HASH = "tweetbot.io/placement-hash"  # of the run-placement spec (see jobs.placement_hash)
# On a Job that continues a run in place of an older Job: held suspended until that Job (and its pods) is gone,
# so that two Jobs never write the same run's checkpoints.
ANNOTATION_REPLACES = "tweetbot.io/replaces"

COMPONENT_TRAIN = "train"
COMPONENT_CLEANUP = "cleanup"

# Multi-node training (spec.resources.nodes > 1): an Indexed Job whose pods find node 0 through a headless Service.
COMPONENT_NODES = "nodes"  # the headless Service's component label (its selector is the training pods')
RENDEZVOUS_PORT = 29500  # node 0's rendezvous (PyTorch's default MASTER_PORT)
RENDEZVOUS_PORT_NAME = "rendezvous"
# Set by the Job controller on an Indexed Job's pods: the pod's index, which is its node rank.
ANNOTATION_COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index"
