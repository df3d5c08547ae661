"""What installing kubectl-tweetbot alone costs: a fresh venv (python -m venv), `pip install ./kubectl-tweetbot`
with its dependencies (PyPI, or the machine's wheel cache and indexes as pip is configured), then the packages
installed, the size of site-packages, the wall time, and whether torch came along (it must not).

    python bench/kubectl_plugin_install.py    # one JSON object, also bench/results/kubectl_plugin_install.json
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench_result import write_result  # noqa: E402


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "kubectl_plugin_install.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        python = venv / "bin" / "python"
        baseline = {p["name"] for p in json.loads(subprocess.run(
            [str(python), "-m", "pip", "list", "--format", "json"], capture_output=True, check=True).stdout)}
        site = next((venv / "lib").glob("python3*/site-packages"))
        empty = folder_bytes(site)
        start = time.monotonic()
        subprocess.run([str(python), "-m", "pip", "install", "-q", str(REPO / "kubectl-tweetbot")], check=True)
        seconds = time.monotonic() - start
        listed = json.loads(subprocess.run([str(python), "-m", "pip", "list", "--format", "json"],
                                           capture_output=True, check=True).stdout)
        added = sorted(p["name"] for p in listed if p["name"] not in baseline)
        version = subprocess.run([str(venv / "bin" / "kubectl-tweetbot"), "--version"], capture_output=True,
                                 text=True, check=True).stdout.strip()
        write_result(args.out, {
            "bench": "kubectl_plugin_install", "packages_added": len(added), "packages": added,
            "site_packages_added_mb": round((folder_bytes(site) - empty) / 1e6, 1), "install_s": round(seconds, 1),
            "torch_installed": any(n.lower() == "torch" for n in added), "version": version,
        })


if __name__ == "__main__":
    main()
