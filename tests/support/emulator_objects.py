"""Objects the emulator's own tests create (plain data)."""

from __future__ import annotations

TB = {
    "apiVersion": "tweetbot.io/v1alpha1", "kind": "TweetBot",
    "metadata": {"name": "bot", "namespace": "default"},
    "spec": {"users": ["a"], "source": {"archive": {"uri": "s3://b/a.zip"}}, "output": {"s3": "s3://bots/a/"}},
}


def job_body(name="j", owner_uid=None, **meta):
    body = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name, **meta},
            "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "i"}]}}}}
    if owner_uid:
        body["metadata"]["ownerReferences"] = [{"apiVersion": "tweetbot.io/v1alpha1", "kind": "TweetBot",
                                                "name": "bot", "uid": owner_uid, "controller": True}]
    return body
