"""Score the article -> primary incident clustering against gold labels.

    python -m dedupe.evaluate CORPUS.jsonl [--gold-key incident_id] [--predictions OUT.jsonl]

Builds from the labelled JSONL (in memory), then prints pairwise, B-cubed, MUC
and CEAF-e precision/recall/F1 and the CoNLL F1 (mean of the MUC, B-cubed and
CEAF-e F1), and, where an `incidents.jsonl` with the real date, city and counts
sits beside the corpus, how often the canonical record gets them.

The metrics themselves are in dedupe.cluster_scores.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from pathlib import Path

import click

from .cluster_scores import Scores, score_clustering
from .models import Place
from .pipeline import PipelineResult, run_pipeline
from .places import Gazetteer


class Accuracy(dict):
    """field (date, date_2d, city, killed, injured) -> share of scored gold incidents the
    canonical record gets right (date_2d: the date, in an interval of at most two days), plus how many gold incidents there were, how
    many had registry metadata and how many of those were scored (had at least
    one predicted article)."""

    def __init__(self, shares: Mapping[str, float], *, incidents: int = 0, with_metadata: int = 0,
                 scored: int = 0) -> None:
        super().__init__(shares)
        self.incidents = incidents
        self.with_metadata = with_metadata
        self.scored = scored

    def as_dict(self) -> dict:
        return {**self, "incidents": self.incidents, "with_metadata": self.with_metadata, "scored": self.scored}


def _days_between(earliest: str, latest: str) -> int:
    return (dt.date.fromisoformat(latest) - dt.date.fromisoformat(earliest)).days


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


def place_names(name: str) -> set[str]:
    """Comparable forms of a place name: 'Milwaukee (Glendale)' -> {milwaukee,
    glendale}; 'Henry (county)' -> {henry county}; 'St. Louis' == 'Saint Louis'."""
    name = re.sub(r"^the ", "", name.lower()).replace("-", " ").replace("st.", "saint").replace("ft.", "fort")
    m = re.match(r"^(.*?)\s*\((.*)\)\s*$", name)
    forms = {name}
    if m:
        head, inner = m.group(1).strip(), m.group(2).strip()
        forms = {f"{head} {inner}"} if inner == "county" else {head, inner}
    return {re.sub(r"\s+", " ", f).strip() for f in forms if f.strip()}


def city_matches(place: Place | None, truth: str, state: str | None = None) -> bool:
    """The canonical place is the real city, or lies within it (a neighbourhood
    or site of that city counts: the record is meant to be the most specific).
    With the real state, it must lie in that state, and the real city is also
    looked up in the gazetteer, so a name the registry spells differently is
    the same place ('Bronx' is 'The Bronx', 'New York' is New York City)."""
    if place is None or not truth:
        return False
    gazetteer = Gazetteer.default()
    region = gazetteer.resolve_place(state) if state else None
    if region is not None and region.kind == "admin1" and region.id not in (place.id, *place.ancestors):
        return False  # a namesake in another state ('Jackson' of Mississippi for Jackson, Tennessee)
    names = {place.name} | {p.name for a in place.ancestors if (p := gazetteer.get(a)) is not None
                            and p.kind in ("city", "county")}
    wanted = place_names(truth)
    if any(place_names(n) & wanted for n in names):
        return True
    if state:
        ours = {place.id, *place.ancestors}
        for form in re.split(r"\s*[()]\s*", truth):
            real = gazetteer.resolve_place(f"{form}, {state}") if form else None
            # the name found must be this one, not the state's ('Albany, New York' is not New York City)
            if (real is not None and real.id in ours and real.kind in ("city", "county", "site")
                    and any(w in r or r in w for w in place_names(form) for r in place_names(real.name))):
                return True
    return False


def canonical_accuracy(result: PipelineResult, gold: Mapping[str, str], incidents_path: Path) -> Accuracy:
    """Share of gold incidents whose predicted canonical record (of their
    articles' majority primary incident) has the real date, city and counts.

    Only gold incidents with registry metadata (`has_metadata`) and at least one
    predicted article are scored; the result says how many that was."""
    truth = {}
    with open(incidents_path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("has_metadata", True):
                truth[str(row["incident_id"])] = row
    by_doc = predictions(result)
    incidents = {i.id: i for i in result.incidents}
    hits: dict[str, list[bool]] = defaultdict(list)
    docs_of: dict[str, list[str]] = defaultdict(list)
    for d, g in gold.items():
        docs_of[g].append(d)
    with_metadata = scored = 0
    for g, docs in docs_of.items():
        t = truth.get(g)
        if not t:
            continue
        with_metadata += 1
        votes = Counter(by_doc[d] for d in docs if d in by_doc and by_doc[d] in incidents)
        if not votes:
            continue
        scored += 1
        inc = incidents[votes.most_common(1)[0][0]]
        hits["date"].append(bool(t.get("date")) and inc.date_earliest is not None
                            and inc.date_earliest <= t["date"] <= (inc.date_latest or t["date"]))
        # The date's interval counts as right whatever its length; 'date_2d' also asks it to be at
        # most two days long, so a wider estimate cannot buy accuracy unseen.
        hits["date_2d"].append(hits["date"][-1] and inc.date_latest is not None
                               and _days_between(inc.date_earliest, inc.date_latest) <= 1)
        hits["city"].append(city_matches(inc.place, t.get("city_or_county") or "", t.get("state")))
        hits["killed"].append(inc.killed == t.get("n_killed"))
        hits["injured"].append(inc.injured == t.get("n_injured"))
    return Accuracy({k: sum(v) / len(v) for k, v in hits.items() if v}, incidents=len(docs_of),
                    with_metadata=with_metadata, scored=scored)


def evaluate(corpus: Path, gold_key: str = "incident_id") -> tuple[Scores, Accuracy, PipelineResult]:
    """Build `corpus` in memory and score it: (clustering scores, canonical
    accuracy — empty when no incidents.jsonl sits beside the corpus — and the
    pipeline result)."""
    corpus = Path(corpus)
    gold = load_gold(corpus, gold_key)
    result = run_pipeline([corpus])
    scores = score_clustering(gold, predictions(result))
    incidents_path = corpus.with_name("incidents.jsonl")
    accuracy = canonical_accuracy(result, gold, incidents_path) if incidents_path.exists() else Accuracy({})
    return scores, accuracy, result


def format_report(scores: Scores, accuracy: Accuracy) -> list[str]:
    lines = [f"documents={scores.documents} gold incidents={scores.gold_clusters} "
             f"predicted incidents={scores.pred_clusters}",
             f"{'metric':<10} {'P':>6} {'R':>6} {'F1':>6}"]
    for name, (p, r, f) in scores.items():
        lines.append(f"{name:<10} {100 * p:6.1f} {100 * r:6.1f} {100 * f:6.1f}")
    lines.append(f"{'CoNLL F1':<10} {'':>6} {'':>6} {100 * scores.conll_f1:6.1f}")
    pw = scores.pairs
    lines.append(f"(pairs: true={pw['true_pairs']} gold={pw['gold_pairs']} predicted={pw['pred_pairs']})")
    if accuracy or accuracy.with_metadata:
        lines.append(f"canonical accuracy over {accuracy.scored} gold incidents scored "
                     f"({accuracy.with_metadata} of {accuracy.incidents} have registry metadata):")
        for name, value in accuracy.items():
            lines.append(f"  {name:<8} {100 * value:5.1f}%")
    return lines


@click.command()
@click.argument("corpus", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--gold-key", default="incident_id", show_default=True, help="Field holding the gold incident label.")
@click.option("--predictions", "pred_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write {doc_id, incident_id} predictions as JSONL (for tools/score.py).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON instead of a table.")
def main(corpus: Path, gold_key: str, pred_out: Path | None, as_json: bool) -> None:
    """Build CORPUS (labelled JSONL) in memory and score its clustering."""
    scores, accuracy, result = evaluate(corpus, gold_key)
    if as_json:
        click.echo(json.dumps({"corpus": str(corpus), **scores.as_dict(), "canonical": accuracy.as_dict()},
                              indent=2))
    else:
        click.echo(f"{corpus}: {len(result.articles)} articles, {len(result.mentions)} mentions, "
                   f"{len(result.incidents)} incidents, {len(result.errors)} errors")
        for line in format_report(scores, accuracy):
            click.echo(line)
    if pred_out:
        with open(pred_out, "w", encoding="utf-8") as f:
            for doc, inc in sorted(predictions(result).items()):
                f.write(json.dumps({"doc_id": doc, "incident_id": inc}) + "\n")


if __name__ == "__main__":
    main()
