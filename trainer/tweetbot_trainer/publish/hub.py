"""Optional push of a finished run to the Hugging Face Hub (only when a token is given)."""

from __future__ import annotations

import os
from pathlib import Path

from tweetbot_trainer.errors import TweetBotInputError


def check_hub_settings(token_env: str) -> str:
    """The hub token, or an input error: checked before training, not discovered after it. Never logged."""
    token = os.environ.get(token_env)
    if not token:
        raise TweetBotInputError("MissingHubToken", f"--hub-repo given but ${token_env} is empty")
    try:
        import huggingface_hub  # noqa: F401  (lazy: only a hub push needs it)
    except ImportError as exc:
        raise TweetBotInputError("MissingDependency", "pushing to the hub needs huggingface_hub") from exc
    return token


def push_to_hub(folder: Path, repo_id: str, token_env: str) -> str:
    """Uploads `folder` to `repo_id` (created if needed); returns the repo URL."""
    from huggingface_hub import HfApi

    api = HfApi(token=check_hub_settings(token_env))
    api.create_repo(repo_id, exist_ok=True)
    api.upload_folder(folder_path=str(folder), repo_id=repo_id, ignore_patterns=["checkpoints/*"])
    return f"https://huggingface.co/{repo_id}"
