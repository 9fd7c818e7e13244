"""Peak memory of each stage of one build: which stage sets the build's peak RSS.

    python benchmarks/memory_probe.py /tmp/sbh/scale/gen10000-seed1/articles.jsonl
    python benchmarks/memory_probe.py CORPUS.jsonl --db /tmp/probe.db --markdown

Builds CORPUS (one worker, so every allocation is in this process) with the pipeline's stage
functions wrapped: before each, the kernel's high-water mark (VmHWM) is reset (Linux
/proc/self/clear_refs, value 5), and after it VmHWM is the stage's own peak. Between stages the
pipeline's glue is not measured apart, but it is in the next stage's starting RSS.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from dedupe import pipeline  # noqa: E402

# The stage functions as pipeline.py calls them, in order.
STAGES = ("load_articles", "common_lines", "mark_lines", "find_duplicates", "extract_all", "link_pairs",
          "cluster_mentions", "build_incidents", "stored_rows", "write_database")


def status_mb(key: str) -> float:
    """VmRSS or VmHWM of this process, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    raise KeyError(key)


def reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS


def wrap(name: str, rows: list[dict[str, Any]]) -> None:
    inner: Callable[..., Any] = getattr(pipeline, name)

    def probed(*args: Any, **kwargs: Any) -> Any:
        start = status_mb("VmRSS")
        reset_peak()
        started = time.perf_counter()
        out = inner(*args, **kwargs)
        rows.append({"stage": name, "start_mb": start, "peak_mb": status_mb("VmHWM"), "end_mb": status_mb("VmRSS"),
                     "seconds": time.perf_counter() - started})
        return out

    setattr(pipeline, name, probed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", help="a file or folder to build")
    parser.add_argument("--db", help="database to write (default: a temporary file)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    rows: list[dict[str, Any]] = []
    for name in STAGES:
        wrap(name, rows)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "probe.db"
        db.unlink(missing_ok=True)
        baseline = status_mb("VmRSS")
        pipeline.build_database([args.corpus], db, max_bytes=Path(args.corpus).stat().st_size + 1, workers=1)
    header = ["stage", "RSS before MB", "peak MB", "RSS after MB", "s"]
    body = [[r["stage"], f"{r['start_mb']:,.0f}", f"{r['peak_mb']:,.0f}", f"{r['end_mb']:,.0f}", f"{r['seconds']:.1f}"]
            for r in rows]
    if args.markdown:
        print("| " + " | ".join(header) + " |\n|" + "|".join(["--:"] * len(header)) + "|")
        print("\n".join("| " + " | ".join(r) + " |" for r in body))
    else:
        widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
        print("\n".join("  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in [header, *body]))
    top = max(rows, key=lambda r: r["peak_mb"])
    print(f"\nbefore the build {baseline:,.0f} MB; highest stage peak {top['peak_mb']:,.0f} MB in {top['stage']}")


if __name__ == "__main__":
    main()
