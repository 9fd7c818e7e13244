"""Clustering and canonical-record quality on the labelled corpora, in one table.

    python benchmarks/quality.py                        # every dev corpus under ../shared/corpora
    python benchmarks/quality.py CORPUS.jsonl ...       # just these
    python benchmarks/quality.py --markdown             # a GitHub table, for notes and PRs
    python benchmarks/quality.py --json run.json        # keep the numbers ...
    python benchmarks/quality.py --compare run.json     # ... and later print before/after deltas
    python benchmarks/quality.py --generated 0          # without the generated corpus

Each corpus is built in memory with `dedupe.evaluate.evaluate`; see benchmarks/README.md.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

import click

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
for _path in (str(REPO), str(HERE)):
    if _path not in sys.path:  # run as a script from a checkout without `pip install -e .`
        sys.path.insert(0, _path)

from generate import write_corpus  # noqa: E402

from dedupe.evaluate import evaluate  # noqa: E402
from dedupe.pipeline import run_pipeline  # noqa: E402

CORPORA = REPO.parent / "shared" / "corpora"
FIELDS = ("date", "date_2d", "city", "killed", "injured")

# (header, key into a result row, kind): kind "n" is a count, "pct" a share shown as %, "s" seconds.
COLUMNS: list[tuple[str, str, str]] = [
    ("docs", "documents", "n"), ("gold", "gold_clusters", "n"), ("pred", "pred_clusters", "n"),
    ("pair P", "pairwise.p", "pct"), ("pair R", "pairwise.r", "pct"), ("pair F1", "pairwise.f", "pct"),
    ("B3 P", "bcubed.p", "pct"), ("B3 R", "bcubed.r", "pct"), ("B3 F1", "bcubed.f", "pct"),
    ("CoNLL", "conll_f1", "pct"),
    ("date", "canonical.date", "pct"), ("date 2d", "canonical.date_2d", "pct"), ("city", "canonical.city", "pct"),
    ("killed", "canonical.killed", "pct"), ("injured", "canonical.injured", "pct"),
    ("s", "seconds", "s"),
]
# What --compare shows: the headline numbers.
COMPARED: list[tuple[str, str, str]] = [
    ("pred", "pred_clusters", "n"), ("pair F1", "pairwise.f", "pct"), ("B3 F1", "bcubed.f", "pct"),
    ("MUC F1", "muc.f", "pct"), ("CEAF-e F1", "ceafe.f", "pct"), ("CoNLL", "conll_f1", "pct"),
    ("date", "canonical.date", "pct"), ("date 2d", "canonical.date_2d", "pct"), ("city", "canonical.city", "pct"),
    ("killed", "canonical.killed", "pct"), ("injured", "canonical.injured", "pct"), ("s", "seconds", "s"),
]


def find_corpora(root: Path, include_train: bool) -> list[Path]:
    """Every `articles.jsonl` under root, sorted; `train` splits only when asked."""
    found = sorted(root.rglob("articles.jsonl"))
    return [p for p in found if include_train or p.parent.name != "train"]


def label_of(corpus: Path) -> str:
    """'gvc/dev' for .../gvc/dev/articles.jsonl, else the file's own name."""
    corpus = corpus.resolve()
    if corpus.name == "articles.jsonl":
        return f"{corpus.parent.parent.name}/{corpus.parent.name}"
    return corpus.name


def run_one(corpus: Path) -> dict[str, Any]:
    started = time.perf_counter()
    scores, accuracy, _ = evaluate(corpus)
    has_truth = corpus.with_name("incidents.jsonl").exists()
    return {
        "corpus": label_of(corpus), "path": str(corpus), **scores.as_dict(),
        "canonical": accuracy.as_dict() if has_truth else None,
        "seconds": round(time.perf_counter() - started, 1),
    }


def get(row: dict[str, Any], key: str) -> float | None:
    value: Any = row
    for part in key.split("."):
        if not isinstance(value, dict) or value.get(part) is None:
            return None
        value = value[part]
    return value


def cell(value: float | None, kind: str) -> str:
    if value is None:
        return ""
    if kind == "pct":
        return f"{100 * value:.1f}"
    if kind == "s":
        return f"{value:.1f}"
    return str(int(value))


def delta_cell(old: float | None, new: float | None, kind: str) -> str:
    if new is None:
        return "" if old is None else f"({cell(old, kind)} -> )"
    if old is None:
        return f"{cell(new, kind)} (new)"
    scale = 100 if kind == "pct" else 1
    d = (new - old) * scale
    diff = f"{d:+.1f}" if kind != "n" else f"{int(round(d)):+d}"
    return f"{cell(new, kind)} ({diff})"


def render(header: list[str], rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["--:"] * (len(header) - 1)) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    fmt = [lambda s, w=w: s.ljust(w) for w in widths[:1]] + [lambda s, w=w: s.rjust(w) for w in widths[1:]]
    return "\n".join("  ".join(f(c) for f, c in zip(fmt, r, strict=True)).rstrip() for r in [header, *rows])


def results_table(results: list[dict[str, Any]], markdown: bool) -> str:
    header = ["corpus"] + [h for h, _, _ in COLUMNS]
    rows = []
    for r in results:
        if r.get("error"):
            rows.append([r["corpus"], f"error: {r['error']}"] + [""] * (len(COLUMNS) - 1))
        else:
            rows.append([r["corpus"]] + [cell(get(r, key), kind) for _, key, kind in COLUMNS])
    return render(header, rows, markdown)


def compare_table(old: list[dict[str, Any]], new: list[dict[str, Any]], markdown: bool) -> str:
    before = {r["corpus"]: r for r in old if not r.get("error")}
    header = ["corpus"] + [h for h, _, _ in COMPARED]
    rows = []
    for r in new:
        if r.get("error"):
            continue
        o = before.get(r["corpus"])
        if o is None:
            rows.append([f"{r['corpus']} (new)"] + [cell(get(r, key), kind) for _, key, kind in COMPARED])
        else:
            rows.append([r["corpus"]] + [delta_cell(get(o, key), get(r, key), kind) for _, key, kind in COMPARED])
    gone = sorted(set(before) - {r["corpus"] for r in new})
    rows += [[f"{name} (not run)"] + [""] * len(COMPARED) for name in gone]
    return render(header, rows, markdown)


def load_run(path: Path) -> dict[str, Any]:
    """A file written by --json (checked before anything is built)."""
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise click.ClickException(f"{path}: not JSON ({exc})") from exc
    if not isinstance(old, dict) or not isinstance(old.get("results"), list):
        raise click.ClickException(f"{path}: not a file written by --json")
    return old


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"], capture_output=True,
                             text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


@click.command()
@click.argument("corpora", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--markdown", is_flag=True, help="Print GitHub-flavoured Markdown tables (for notes and PRs).")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the numbers to this JSON file (for --compare on a later run).")
@click.option("--compare", "compare_with", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A JSON file from an earlier --json run: also print this run's changes against it.")
@click.option("--include-train", is_flag=True,
              help="With no CORPORA, also run the train splits (skipped by default: weights are fitted on them).")
@click.option("--generated", type=click.IntRange(min=0), default=2000, show_default=True,
              help="Also score a corpus of this many generated articles (benchmarks/generate.py, seed 1), "
                   "written to a temporary folder: places and outlets abroad that the labelled corpora, all "
                   "US news, never exercise. 0 for none.")
@click.option("--generated-days", type=click.IntRange(min=1), default=8, show_default=True,
              help="Days the generated corpus's incidents are spread over (8 days for 2,000 articles is the "
                   "density of a million over ten years).")
def main(corpora: tuple[Path, ...], markdown: bool, json_out: Path | None, compare_with: Path | None,
         include_train: bool, generated: int, generated_days: int) -> None:
    """Score CORPORA (labelled articles.jsonl files; default: every dev split under ../shared/corpora
    beside the repository) and print one table: sizes, pairwise and B-cubed P/R/F1, CoNLL F1, canonical
    date/city/killed/injured accuracy (blank where the corpus has no incidents.jsonl) and seconds."""
    old = load_run(compare_with) if compare_with else None
    paths = list(corpora)
    if not paths:
        if not CORPORA.is_dir():
            click.echo(f"No labelled corpora: {CORPORA} does not exist. Pass CORPUS.jsonl paths instead, or put "
                       "the corpora there (see benchmarks/README.md).", err=True)
        else:
            paths = find_corpora(CORPORA, include_train)
            if not paths:
                click.echo(f"No articles.jsonl under {CORPORA}{'' if include_train else ' (train splits skipped)'}.",
                           err=True)
    with tempfile.TemporaryDirectory(prefix="quality-") as tmp:
        if generated:
            # Named generated/<articles>x<days>d in the table (label_of: the folder and its parent).
            folder = Path(tmp) / "generated" / f"{generated}x{generated_days}d"
            click.echo(f"writing {generated:,} generated articles over {generated_days} days ...", err=True)
            write_corpus(folder, generated, seed=1, start=dt.date(2014, 1, 1), days=generated_days)
            paths.append(folder / "articles.jsonl")
        if not paths:
            click.echo("Nothing to do.")
            return
        score_all(paths, markdown, json_out, compare_with, old)


def score_all(paths: list[Path], markdown: bool, json_out: Path | None, compare_with: Path | None,
              old: dict[str, Any] | None) -> None:
    """Build and score each corpus, print the table (and the deltas against `old`), write the JSON."""
    # Load the gazetteer, vocabulary and date parser once (on the bundled sample) so that the first
    # corpus's seconds do not include them.
    click.echo("warming up on the bundled sample ...", err=True)
    run_pipeline(None)
    results: list[dict[str, Any]] = []
    for path in paths:
        click.echo(f"{label_of(path)}: building {path} ...", err=True)
        try:
            results.append(run_one(path))
        except Exception as exc:  # one broken corpus must not hide the others
            traceback.print_exc()
            results.append({"corpus": label_of(path), "path": str(path), "error": f"{type(exc).__name__}: {exc}"})
        else:
            click.echo(f"{label_of(path)}: done in {results[-1]['seconds']:.1f}s", err=True)
    click.echo(results_table(results, markdown))
    if markdown:
        click.echo("\nP/R/F1 and accuracies in %; CoNLL = mean of MUC, B-cubed and CEAF-e F1; canonical accuracy "
                   "over gold incidents with registry metadata; s = build and scoring seconds.")
    if compare_with and old is not None:
        click.echo(f"\nChanges against {compare_with} ({old.get('commit') or 'unknown commit'}, "
                   f"{old.get('created') or 'unknown time'}):")
        click.echo(compare_table(old.get("results", []), results, markdown))
    if json_out:
        payload = {"created": dt.datetime.now().replace(microsecond=0).isoformat(), "commit": git_commit(),
                   "results": results}
        json_out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        click.echo(f"wrote {json_out}", err=True)
    if any(r.get("error") for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
