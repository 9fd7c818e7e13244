"""What an `--update` costs against a full build, and how close its incidents come to one.

    python benchmarks/update.py ../shared/corpora/gva_pool/dev/articles.jsonl
    python benchmarks/update.py corpus.jsonl --share 0.05 --keep /tmp/update

The corpus (a JSONL file of articles) is split into a base (all but its last `--share` of
records) and the new records. The base is built, the new records are added with
`update_database`, and the result is compared with a full build of the base and the new
records together: the update's seconds as a share of the full build's, and the share of the
full build's incidents that the update reproduces exactly, compared as sets of reports
(mention ids), which are the same in both databases. Incidents that differ are split into
those holding a new report and those made only of old ones (which differ because a full
build estimates its statistics, such as the match prior, on the new articles too).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run as a script from a checkout without `pip install -e .`
    sys.path.insert(0, str(HERE.parent))

from dedupe.incremental import update_database  # noqa: E402
from dedupe.pipeline import build_database  # noqa: E402
from dedupe.store.update import incident_partition  # noqa: E402

MAX_BYTES = 10**10


def split_corpus(corpus: Path, share: float, out: Path) -> tuple[Path, Path]:
    """base.jsonl and new.jsonl in `out`: the last `share` of the corpus's records are new."""
    lines = [line for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    n_new = max(1, round(len(lines) * share))
    base, new = out / "base.jsonl", out / "new.jsonl"
    base.write_text("\n".join(lines[:-n_new]) + "\n", encoding="utf-8")
    new.write_text("\n".join(lines[-n_new:]) + "\n", encoding="utf-8")
    return base, new


def compare(full: Path, updated: Path, new_docs: set[str]) -> dict[str, float | int]:
    """How many of the full build's incidents the update reproduces."""
    a, b = incident_partition(full), incident_partition(updated)
    conn = sqlite3.connect(updated)
    try:
        fresh = {mid for mid, doc in conn.execute(
            "select m.id, a.doc_id from mentions m join articles a on a.id = m.article_id") if doc in new_docs}
    finally:
        conn.close()
    differ = [s for s in a if s not in b]
    return {
        "full_incidents": len(a), "update_incidents": len(b), "equal": len(a) - len(differ),
        "equal_share": (len(a) - len(differ)) / len(a) if a else 1.0,
        "differ_with_new_report": sum(1 for s in differ if s & fresh),
        "differ_old_reports_only": sum(1 for s in differ if not s & fresh),
    }


def doc_ids(path: Path) -> set[str]:
    return {str(json.loads(line).get("doc_id")) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


def run(corpus: Path, share: float, work: Path) -> dict[str, float | int]:
    base, new = split_corpus(corpus, share, work)
    full_db, update_db = work / "full.db", work / "update.db"
    for db in (full_db, update_db):
        db.unlink(missing_ok=True)
    t = time.perf_counter()
    build_database([base, new], full_db, max_bytes=MAX_BYTES)
    full_s = time.perf_counter() - t
    build_database([base], update_db, max_bytes=MAX_BYTES)
    t = time.perf_counter()
    update_database([new], update_db, max_bytes=MAX_BYTES)
    update_s = time.perf_counter() - t
    new_docs = doc_ids(new)
    out: dict[str, float | int] = {"new_articles": len(new_docs), "base_articles": len(doc_ids(base)),
                                   "full_seconds": full_s, "update_seconds": update_s,
                                   "update_share": update_s / full_s}
    out.update(compare(full_db, update_db, new_docs))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="a JSONL file of articles (doc_id, title, published, text, ...)")
    parser.add_argument("--share", type=float, default=0.01,
                        help="the share of the corpus's records added by the update (default 0.01)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="write the split corpus and both databases here instead of a temporary folder")
    args = parser.parse_args(argv)
    if not 0 < args.share < 1:
        parser.error("--share must be between 0 and 1")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        r = run(args.corpus, args.share, args.keep)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            r = run(args.corpus, args.share, Path(tmp))
    print(f"update of {r['new_articles']:,} articles to {r['base_articles']:,}: "
          f"{r['update_seconds']:.1f} s against {r['full_seconds']:.1f} s for the full build "
          f"({r['update_share']:.1%})")
    print(f"incidents equal to the full build's: {r['equal']:,} of {r['full_incidents']:,} "
          f"({r['equal_share']:.1%}); of the {r['full_incidents'] - r['equal']} that differ, "
          f"{r['differ_with_new_report']} hold a new report and {r['differ_old_reports_only']} only old ones")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
