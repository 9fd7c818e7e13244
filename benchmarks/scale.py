"""How build time, memory and quality grow with corpus size, on generated corpora.

    python benchmarks/scale.py --sizes 10000 100000 1000000
    python benchmarks/scale.py --sizes 1000 10000 --workers 2 --keep /tmp/scale --markdown

Each size is generated once with benchmarks/generate.py (reused from --keep when it is there), built
with dedupe.pipeline.build_database in a fresh subprocess (so peak memory is that build's own), and
scored against the generator's gold incidents. See benchmarks/README.md for every column.
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import math
import os
import platform
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
for path in (str(REPO), str(HERE)):
    if path not in sys.path:  # run as a script from a checkout without `pip install -e .`
        sys.path.insert(0, path)

from generate import fingerprint, write_corpus  # noqa: E402

START, DAYS = dt.date(2014, 1, 1), 3652  # generate.py's defaults
STAGES = ("parse", "extract", "match", "canonicalise", "write")
RESULT_MARK = "SCALE-RESULT "
# (header, key, format): what the table shows of each row.
COLUMNS: list[tuple[str, str, str]] = [
    ("articles", "articles", "{:,}"), ("workers", "workers", "{}"), ("s", "seconds", "{:.1f}"),
    ("art/s", "articles_per_second", "{:,.0f}"), ("art/s/worker", "articles_per_second_per_worker", "{:,.0f}"),
    *[(f"{stage} s", f"timings.{stage}", "{:.1f}") for stage in STAGES],
    ("peak RSS MB", "peak_rss_mb", "{:,.0f}"), ("DB MB", "db_mb", "{:,.1f}"),
    ("pair F1", "pairwise_f1", "{:.1%}"), ("B3 F1", "bcubed_f1", "{:.1%}"), ("growth", "growth", "{:.2f}"),
]


def describe_machine() -> dict[str, Any]:
    """CPU model, cores, RAM and Python: what the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cpu": cpu, "cores": os.cpu_count(), "usable_cores": usable, "ram_gb": ram_gb,
            "python": platform.python_version(), "platform": platform.platform()}


def ensure_corpus(folder: Path, size: int, seed: int) -> tuple[Path, float | None]:
    """The generated corpus of `size` articles in `folder`, made unless one from the same seed and
    generator code is there.
    Returns its articles.jsonl and the seconds generating took (None when reused)."""
    manifest = folder / "manifest.json"
    wanted = {"articles": size, "seed": seed, "start": START.isoformat(), "days": DAYS, "generator": fingerprint()}
    if manifest.exists() and (folder / "articles.jsonl").exists():
        made = json.loads(manifest.read_text())
        if all(made.get(k) == v for k, v in wanted.items()):
            return folder / "articles.jsonl", None
    counts = write_corpus(folder, size, seed, START, DAYS)
    return folder / "articles.jsonl", counts["seconds"]


def build_child(corpus: str, db: str, workers: int) -> None:
    """In the subprocess: build the corpus and print the timings, counts and this process's peak RSS."""
    from dedupe.pipeline import build_database

    db_path = Path(db)
    db_path.unlink(missing_ok=True)  # a previous database would be updated, not rebuilt
    # The generated corpus is one JSONL file, past the default per-file cap (--max-bytes) from
    # about 35k articles on: a user would raise the cap the same way.
    kwargs: dict[str, Any] = {"max_bytes": Path(corpus).stat().st_size + 1}
    if "workers" in inspect.signature(build_database).parameters:
        kwargs["workers"] = workers
    started = time.perf_counter()
    result, info = build_database([corpus], db_path, **kwargs)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    print(RESULT_MARK + json.dumps({
        "seconds": seconds, "timings": result.timings, "workers": kwargs.get("workers", 1),
        "peak_rss_mb": peak_kb / 1024, "mentions": info.get("mentions"), "incidents": info.get("incidents"),
        "errors": info.get("errors")}), flush=True)


def run_build(corpus: Path, db: Path, workers: int, timeout: float, log: Path) -> dict[str, Any]:
    """Build in a fresh subprocess; {'status': 'timeout' | 'failed', ...} when it does not finish."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(corpus), str(db), "--workers", str(workers)]
    with open(log, "w", encoding="utf-8") as err:
        # Its own session, so a timeout ends the build and any worker processes it started.
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=err, text=True, start_new_session=True)
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return {"status": f"timeout after {timeout:.0f}s"}
    for line in out.splitlines():
        if line.startswith(RESULT_MARK):
            return {"status": "ok", **json.loads(line[len(RESULT_MARK):])}
    tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-5:]
    return {"status": f"failed (exit {proc.returncode})", "error": "\n".join(tail)}


def score_build(corpus: Path, db: Path) -> dict[str, float]:
    """Pairwise and B-cubed F1 of the built database's article -> primary incident against the gold.
    Only those two: CEAF-e's exact alignment (cluster_scores.ceafe_scores) is cubic in a connected
    component's clusters, and a million generated articles make one of 5,744 x 6,815 that it did
    not finish in hours."""
    from dedupe.cluster_scores import bcubed_scores, pairwise_scores

    gold: dict[str, str] = {}
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            gold[row["doc_id"]] = row["incident_id"]
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        pred = {d: str(i) for d, i in conn.execute("select doc_id, primary_incident_id from articles")
                if d is not None and i is not None}
    pairwise, bcubed = pairwise_scores(gold, pred), bcubed_scores(gold, pred)
    unpredicted = sum(1 for d in gold if d not in pred)  # each its own cluster, as the scorers count them
    return {"pairwise_f1": pairwise.f, "bcubed_f1": bcubed.f, "bcubed_p": bcubed.p, "bcubed_r": bcubed.r,
            "gold_incidents": len(set(gold.values())),
            "predicted_incidents": len({pred[d] for d in gold if d in pred}) + unpredicted}


def measure(size: int, args: argparse.Namespace, root: Path) -> dict[str, Any]:
    folder = root / f"gen{size}-seed{args.seed}"
    corpus, generated = ensure_corpus(folder, size, args.seed)
    db = folder / "build.db"
    row: dict[str, Any] = {"articles": size, "generate_seconds": generated}
    row.update(run_build(corpus, db, args.workers, args.timeout, folder / "build.log"))
    if row["status"] == "ok" and not db.exists():
        row["status"] = f"failed: no database written ({row.get('errors')} input errors)"
    if row["status"] == "ok":
        row["articles_per_second"] = size / row["seconds"]
        row["articles_per_second_per_worker"] = row["articles_per_second"] / max(1, row["workers"])
        row["db_mb"] = db.stat().st_size / 1e6
        started = time.perf_counter()
        row.update(score_build(corpus, db))
        row["score_seconds"] = round(time.perf_counter() - started, 1)
        if not args.keep:
            db.unlink(missing_ok=True)
    return row


def add_growth(rows: list[dict[str, Any]]) -> None:
    """Growth exponent of build time between successive sizes: 1 is linear, 2 quadratic."""
    for before, after in zip(rows, rows[1:], strict=False):
        if before.get("status") == after.get("status") == "ok" and after["articles"] != before["articles"]:
            after["growth"] = (math.log(after["seconds"] / before["seconds"])
                               / math.log(after["articles"] / before["articles"]))


def lookup(row: dict[str, Any], key: str) -> Any:
    value: Any = row
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def render_table(rows: list[dict[str, Any]], markdown: bool) -> str:
    header = [h for h, _, _ in COLUMNS]
    body = []
    for row in rows:
        if row.get("status") != "ok":
            body.append([f"{row['articles']:,}", row.get("status", "")] + [""] * (len(header) - 2))
            continue
        cells = []
        for _, key, fmt in COLUMNS:
            value = lookup(row, key)
            cells.append("" if value is None else fmt.format(value))
        body.append(cells)
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["--:"] * len(header)) + "|"]
        return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in body])
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    return "\n".join("  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in [header, *body])


def render_machine(machine: dict[str, Any]) -> str:
    return (f"machine: {machine['cpu']}, {machine['cores']} cores ({machine['usable_cores']} usable), "
            f"{machine['ram_gb']} GB RAM, Python {machine['python']}")


def git_commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000],
                        help="corpus sizes in articles, run smallest first (default 10000 100000 1000000)")
    parser.add_argument("--workers", type=int, default=1,
                        help="worker processes for build_database, when it takes a `workers` argument (default 1)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="keep corpora and databases in DIR and reuse corpora found there (default: a temporary "
                             "folder, removed at the end)")
    parser.add_argument("--timeout", type=float, default=4 * 3600,
                        help="seconds one build may take before it is stopped and reported as a timeout; larger "
                             "sizes are then skipped (default 14400)")
    parser.add_argument("--markdown", action="store_true", help="print a GitHub table")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write machine, commit and every figure to OUT")
    parser.add_argument("--child", nargs=2, metavar=("CORPUS", "DB"), help=argparse.SUPPRESS)  # the build subprocess
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        build_child(*args.child, args.workers)
        return 0
    machine = describe_machine()
    # The code measured is the code at the start: a long run may outlast the checkout it began on.
    commit, started = git_commit(), dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    print(render_machine(machine), flush=True)
    root = args.keep or Path(tempfile.mkdtemp(prefix="dedupe-scale-"))
    rows: list[dict[str, Any]] = []
    try:
        for size in sorted(args.sizes):
            if rows and rows[-1]["status"] != "ok":
                rows.append({"articles": size, "status": "skipped (a smaller size did not finish)"})
                continue
            print(f"{size:,} articles ...", file=sys.stderr, flush=True)
            rows.append(measure(size, args, root))
            # Each size as soon as it is measured: a long run stopped later keeps the sizes before.
            print(RESULT_MARK + json.dumps(rows[-1]), file=sys.stderr, flush=True)
            if rows[-1]["status"] != "ok":
                error = rows[-1].get("error")
                print(f"  {rows[-1]['status']}" + (f":\n{error}" if error else ""), file=sys.stderr)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    add_growth(rows)
    print(render_table(rows, args.markdown))
    if args.json:
        args.json.write_text(json.dumps({"machine": machine, "commit": commit, "date": started, "seed": args.seed,
                                         "rows": rows}, indent=2) + "\n")
    return 0 if all(r["status"] == "ok" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
