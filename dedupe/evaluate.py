"""Score the article -> primary incident clustering against gold labels.

    python -m dedupe.evaluate CORPUS.jsonl [--gold-key incident_id] [--predictions OUT.jsonl]

Builds from the labelled JSONL (in memory), then prints pairwise and B-cubed
precision/recall/F1 and, where an `incidents.jsonl` with the real date, city
and counts sits beside the corpus, how often the canonical record gets them.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Mapping
from pathlib import Path

import click

from .pipeline import PipelineResult, run_pipeline


def prf(p_num: float, p_den: float, r_num: float, r_den: float) -> tuple[float, float, float]:
    p = p_num / p_den if p_den else 0.0
    r = r_num / r_den if r_den else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def pairwise_scores(gold: Mapping[str, str], pred: Mapping[str, str]) -> tuple[float, float, float]:
    """Precision/recall/F1 over same-cluster document pairs."""

    def pairs(n: int) -> int:
        return n * (n - 1) // 2

    docs = list(gold)
    both = Counter((gold[d], pred.get(d, f"__alone__{d}")) for d in docs)
    tp = sum(pairs(n) for n in both.values())
    gp = sum(pairs(n) for n in Counter(gold[d] for d in docs).values())
    pp = sum(pairs(n) for n in Counter(pred.get(d, f"__alone__{d}") for d in docs).values())
    return prf(tp, pp, tp, gp)


def bcubed_scores(gold: Mapping[str, str], pred: Mapping[str, str]) -> tuple[float, float, float]:
    """B-cubed (Bagga & Baldwin 1998), averaged over gold documents."""
    docs = list(gold)
    pred_full = {d: pred.get(d, f"__alone__{d}") for d in docs}
    g_members: dict[str, set[str]] = defaultdict(set)
    p_members: dict[str, set[str]] = defaultdict(set)
    for d in docs:
        g_members[gold[d]].add(d)
        p_members[pred_full[d]].add(d)
    p_sum = r_sum = 0.0
    for d in docs:
        overlap = len(g_members[gold[d]] & p_members[pred_full[d]])
        p_sum += overlap / len(p_members[pred_full[d]])
        r_sum += overlap / len(g_members[gold[d]])
    n = len(docs)
    return prf(p_sum, n, r_sum, n) if n else (0.0, 0.0, 0.0)


def load_gold(path: Path, key: str) -> dict[str, str]:
    gold = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                if row.get(key) is not None:
                    gold[str(row["doc_id"])] = str(row[key])
    return gold


def predictions(result: PipelineResult) -> dict[str, str]:
    """doc_id -> predicted primary incident id."""
    out = {}
    for a in result.articles:
        if a.doc_id is not None and a.id in result.primary:
            out[str(a.doc_id)] = result.primary[a.id]
    return out


def canonical_accuracy(result: PipelineResult, gold: Mapping[str, str], incidents_path: Path) -> dict[str, float]:
    """Share of gold incidents whose predicted canonical record (of their
    articles' majority primary incident) has the real date, city and counts."""
    truth = {}
    with open(incidents_path, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row.get("has_metadata", True):
                truth[str(row["incident_id"])] = row
    by_doc = predictions(result)
    incidents = {i.id: i for i in result.incidents}
    hits: dict[str, list[bool]] = defaultdict(list)
    docs_of: dict[str, list[str]] = defaultdict(list)
    for d, g in gold.items():
        docs_of[g].append(d)
    for g, docs in docs_of.items():
        t = truth.get(g)
        if not t:
            continue
        votes = Counter(by_doc[d] for d in docs if d in by_doc)
        if not votes:
            continue
        inc = incidents[votes.most_common(1)[0][0]]
        hits["date"].append(bool(t.get("date")) and inc.date_earliest is not None
                            and inc.date_earliest <= t["date"] <= (inc.date_latest or t["date"]))
        city = (t.get("city_or_county") or "").lower()
        place = inc.place
        hits["city"].append(bool(place) and bool(city) and (place.name.lower() in city or city in place.name.lower()))
        hits["killed"].append(inc.killed == t.get("n_killed"))
        hits["injured"].append(inc.injured == t.get("n_injured"))
    return {k: sum(v) / len(v) for k, v in hits.items() if v}


def evaluate(corpus: Path, gold_key: str = "incident_id") -> tuple[dict[str, tuple[float, float, float]], dict, PipelineResult]:
    gold = load_gold(corpus, gold_key)
    result = run_pipeline([corpus])
    pred = predictions(result)
    scores = {"pairwise": pairwise_scores(gold, pred), "bcubed": bcubed_scores(gold, pred)}
    incidents_path = corpus.with_name("incidents.jsonl")
    accuracy = canonical_accuracy(result, gold, incidents_path) if incidents_path.exists() else {}
    return scores, accuracy, result


@click.command()
@click.argument("corpus", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--gold-key", default="incident_id", show_default=True, help="Field holding the gold incident label.")
@click.option("--predictions", "pred_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write {doc_id, incident_id} predictions as JSONL (for tools/score.py).")
def main(corpus: Path, gold_key: str, pred_out: Path | None) -> None:
    """Build CORPUS (labelled JSONL) in memory and score its clustering."""
    scores, accuracy, result = evaluate(corpus, gold_key)
    click.echo(f"{corpus}: {len(result.articles)} articles, {len(result.mentions)} mentions, "
               f"{len(result.incidents)} incidents, {len(result.errors)} errors")
    click.echo(f"{'metric':<10} {'P':>6} {'R':>6} {'F1':>6}")
    for name, (p, r, f) in scores.items():
        click.echo(f"{name:<10} {100 * p:6.1f} {100 * r:6.1f} {100 * f:6.1f}")
    for name, value in accuracy.items():
        click.echo(f"canonical {name} accuracy: {100 * value:.1f}%")
    if pred_out:
        with open(pred_out, "w", encoding="utf-8") as f:
            for doc, inc in sorted(predictions(result).items()):
                f.write(json.dumps({"doc_id": doc, "incident_id": inc}) + "\n")


if __name__ == "__main__":
    main()
