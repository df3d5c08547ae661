"""`kubectl tweetbot get`'s table (kubectl_tweetbot/table.py, pure): the quality the operator summarised in
status.quality.summary (the CRD's Quality column) is shown beside the loss, as `kubectl get tb` shows it."""

from __future__ import annotations

from kubectl_tweetbot.table import COLUMNS, render


def test_get_shows_the_quality_summary_of_the_latest_successful_run() -> None:
    tuned = {"metadata": {"name": "spiral", "namespace": "bots"}, "spec": {"users": ["spiraltoo"]},
             "status": {"phase": "Succeeded", "evalLoss": 3.2,
                        "quality": {"styleMatch": 0.71, "memorized": 0.0, "summary": "style 71%, copied 0%"}}}
    fresh = {"metadata": {"name": "new"}, "spec": {"users": ["a"]}, "status": {"phase": "Pending"}}
    header, *rows = render([tuned, fresh]).splitlines()
    starts = [header.index(name) for name in header.split()]

    def cell(line: str, column: str) -> str:
        i = header.split().index(column)
        return line[starts[i]: starts[i + 1] if i + 1 < len(starts) else None].strip()
    assert COLUMNS.index("QUALITY") == COLUMNS.index("LOSS") + 1
    assert [cell(r, "QUALITY") for r in rows] == ["style 71%, copied 0%", ""]
    assert [cell(r, "LOSS") for r in rows] == ["3.200", ""]
