"""How long an N-node training group's replacement pods wait after a preemption of every node (issue 22, defect
9), in the test bed's Job controller (tests/support/local_kubelet.py, the upstream pod failure backoff: 10 s
doubling to 10 min, every failed pod counted, ignored ones too), with and without backoffLimitPerIndex.

    python bench/preemption_backoff.py [--nodes 1 2 4 8] [--scale 0.01] [--output PATH]

Measured at `--scale` (0.01: 10 s takes 0.1 s) and reported in real-cluster seconds (divided by the scale), beside
the upstream formula's value. Prints one JSON object and writes it to bench/results/preemption_backoff.json.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench_result import write_result  # noqa: E402

from tests.support.k8s_emulator import EmulatorThread  # noqa: E402
from tests.support.kubelet_rules import pod_failure_backoff  # noqa: E402
from tests.support.preemption import measure  # noqa: E402

RESULT = REPO / "bench" / "results" / "preemption_backoff.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nodes", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--output", type=Path, default=RESULT)
    args = parser.parse_args()
    rows = []
    bed = EmulatorThread(lambda api: api.register_builtins()).start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for nodes in args.nodes:
                per_job = measure(bed.url, Path(tmp), nodes, args.scale)
                per_index = measure(bed.url, Path(tmp), nodes, args.scale, backoffLimitPerIndex=1)
                rows.append({"nodes": nodes, "formula_s": pod_failure_backoff(nodes),
                             "measured_s": round(per_job, 1), "formula_per_index_s": pod_failure_backoff(1),
                             "measured_per_index_s": round(per_index, 1)})
    finally:
        bed.stop()
    write_result(args.output, {"benchmark": "preemption_backoff", "scale": args.scale, "rows": rows})


if __name__ == "__main__":
    main()
