"""What `kubectl tweetbot get` prints: the CRD's printer columns as a plain table (pure functions)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

COLUMNS = ("NAME", "PHASE", "USERS", "KEPT", "LOSS", "QUALITY", "PROGRESS", "SERVING", "MODEL")


def row(tb: Mapping[str, Any], with_namespace: bool = False) -> list[str]:
    meta, spec, status = tb.get("metadata") or {}, tb.get("spec") or {}, tb.get("status") or {}
    progress = (status.get("progress") or {}).get("percent")
    loss = status.get("evalLoss")
    serving = status.get("serving") or {}
    quality = status.get("quality") or {}  # the CRD's Quality column: the operator's one-line summary
    cells = [
        str(meta.get("name", "")),
        str(status.get("phase") or "-"),
        ",".join(str(u) for u in spec.get("users") or []),
        str(status.get("keptPosts", "")),
        f"{loss:.3f}" if isinstance(loss, int | float) else "",
        str(quality.get("summary") or ""),
        f"{progress:.0f}%" if isinstance(progress, int | float) else "",
        ("ready" if serving.get("ready") else "starting") if serving else "",
        str(status.get("modelURI") or ""),
    ]
    return [str(meta.get("namespace", "")), *cells] if with_namespace else cells


def tracking_url(tb: Mapping[str, Any]) -> str:
    return str(((tb.get("status") or {}).get("tracking") or {}).get("url") or "")


def render(tweetbots: Sequence[Mapping[str, Any]], with_namespace: bool = False) -> str:
    header = ["NAMESPACE", *COLUMNS] if with_namespace else list(COLUMNS)
    rows = [header] + [row(tb, with_namespace) for tb in tweetbots]
    if any(tracking_url(tb) for tb in tweetbots):  # the run's page in MLflow / W&B, when a TweetBot tracks
        rows = [[*header, "TRACKING"]] + [[*r, tracking_url(tb) or "-"]
                                          for r, tb in zip(rows[1:], tweetbots, strict=True)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("   ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows)
