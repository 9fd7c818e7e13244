"""Score the article -> primary incident clustering against gold labels.

    python -m dedupe.evaluate CORPUS.jsonl [--gold-key incident_id] [--predictions OUT.jsonl]

Builds from the labelled JSONL (in memory), then prints pairwise, B-cubed, MUC
and CEAF-e precision/recall/F1 and the CoNLL F1 (mean of the MUC, B-cubed and
CEAF-e F1), and, where an `incidents.jsonl` with the real date, city and counts
sits beside the corpus, how often the canonical record gets them.

Every document is one "mention" of the coreference metrics. Gold documents with
no prediction are scored as predicted singletons; predicted documents that are
not in the gold are ignored. 0/0 scores 0, as the CoNLL reference scorer does
(e.g. pairwise and MUC precision of an all-singletons prediction).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

import click

from .models import Place
from .pipeline import PipelineResult, run_pipeline
from .places import Gazetteer


class PRF(NamedTuple):
    """Precision, recall and F1 (a plain 3-tuple: unpacks and compares as one)."""

    p: float
    r: float
    f: float


class Scores(dict):
    """metric name -> PRF for pairwise, bcubed, muc and ceafe, plus the
    clustering's sizes and the CoNLL F1 as attributes."""

    def __init__(self, metrics: Mapping[str, PRF], *, conll_f1: float, documents: int, gold_clusters: int,
                 pred_clusters: int, pairs: Mapping[str, int]) -> None:
        super().__init__(metrics)
        self.conll_f1 = conll_f1
        self.documents = documents
        self.gold_clusters = gold_clusters
        self.pred_clusters = pred_clusters
        self.pairs = dict(pairs)

    def as_dict(self) -> dict:
        out: dict = {"documents": self.documents, "gold_clusters": self.gold_clusters,
                     "pred_clusters": self.pred_clusters}
        out.update({name: dict(s._asdict()) for name, s in self.items()})
        out["pairwise"].update(self.pairs)
        out["conll_f1"] = self.conll_f1
        return out


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


def prf(p_num: float, p_den: float, r_num: float, r_den: float) -> PRF:
    p = p_num / p_den if p_den else 0.0
    r = r_num / r_den if r_den else 0.0
    return PRF(p, r, (2 * p * r / (p + r) if p + r else 0.0))


def _complete(gold: Mapping[str, str], pred: Mapping[str, str]) -> dict[str, str]:
    """The prediction restricted to gold documents; missing ones become singletons."""
    return {d: str(pred[d]) if d in pred else f"__alone__{d}" for d in gold}


def _clusters(assign: Mapping[str, str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for d, k in assign.items():
        out[k].add(d)
    return out


def pairwise_scores(gold: Mapping[str, str], pred: Mapping[str, str]) -> PRF:
    """Precision/recall/F1 over same-cluster document pairs."""
    return _pair_counts(gold, pred)[0]


def _pair_counts(gold: Mapping[str, str], pred: Mapping[str, str]) -> tuple[PRF, dict[str, int]]:
    def pairs(n: int) -> int:
        return n * (n - 1) // 2

    full = _complete(gold, pred)
    tp = sum(pairs(n) for n in Counter((gold[d], full[d]) for d in gold).values())
    gp = sum(pairs(n) for n in Counter(gold.values()).values())
    pp = sum(pairs(n) for n in Counter(full.values()).values())
    return prf(tp, pp, tp, gp), {"true_pairs": tp, "gold_pairs": gp, "pred_pairs": pp}


def bcubed_scores(gold: Mapping[str, str], pred: Mapping[str, str]) -> PRF:
    """B-cubed (Bagga & Baldwin 1998), averaged over gold documents."""
    full = _complete(gold, pred)
    g_size = Counter(gold.values())
    p_size = Counter(full.values())
    both = Counter((gold[d], full[d]) for d in gold)
    p_sum = sum(both[gold[d], full[d]] / p_size[full[d]] for d in gold)
    r_sum = sum(both[gold[d], full[d]] / g_size[gold[d]] for d in gold)
    n = len(gold)
    return prf(p_sum, n, r_sum, n)


def muc_scores(gold: Mapping[str, str], pred: Mapping[str, str]) -> PRF:
    """MUC (Vilain et al. 1995): links. Recall over each gold cluster K is
    |K| - |partitions of K by the prediction|, over |K| - 1; precision the same
    with the roles swapped."""
    full = _complete(gold, pred)

    def side(key: Mapping[str, str], response: Mapping[str, str]) -> tuple[int, int]:
        num = den = 0
        for members in _clusters(key).values():
            num += len(members) - len({response[d] for d in members})
            den += len(members) - 1
        return num, den

    r_num, r_den = side(gold, full)
    p_num, p_den = side(full, gold)
    return prf(p_num, p_den, r_num, r_den)


def ceafe_scores(gold: Mapping[str, str], pred: Mapping[str, str]) -> PRF:
    """CEAF-e (Luo 2005): the best one-to-one alignment of gold and predicted
    clusters under phi4(K, R) = 2|K & R| / (|K| + |R|); precision divides its
    total by the number of predicted clusters, recall by the number of gold ones.

    Only clusters that share a document can gain from being aligned, so the
    alignment is solved separately on each connected component of the
    gold-cluster / predicted-cluster overlap graph."""
    full = _complete(gold, pred)
    g_size = Counter(gold.values())
    p_size = Counter(full.values())
    overlap = Counter((gold[d], full[d]) for d in gold)
    total = 0.0
    for g_ids, p_ids in _components(overlap):
        sim = [[2.0 * overlap.get((g, p), 0) / (g_size[g] + p_size[p]) for p in p_ids] for g in g_ids]
        total += max_assignment(sim)
    return prf(total, len(p_size), total, len(g_size))


def _components(edges: Mapping[tuple[str, str], int]) -> list[tuple[list[str], list[str]]]:
    """Connected components of a bipartite graph given as (left, right) edges."""
    adj: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for g, p in edges:
        adj["g", g].append(("p", p))
        adj["p", p].append(("g", g))
    seen: set[tuple[str, str]] = set()
    out = []
    for start in sorted(adj):
        if start in seen:
            continue
        seen.add(start)
        stack, left, right = [start], [], []
        while stack:
            node = stack.pop()
            (left if node[0] == "g" else right).append(node[1])
            for nxt in adj[node]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        out.append((sorted(left), sorted(right)))
    return out


def max_assignment(sim: Sequence[Sequence[float]]) -> float:
    """Total weight of a maximum-weight one-to-one assignment of rows to
    columns (weights >= 0; a row or column may stay unassigned).

    Kuhn-Munkres (Hungarian algorithm) with potentials, O(n^2 m) for n <= m,
    on costs max(sim) - sim; a rectangular matrix needs no padding because
    every row of the shorter side is assigned and weights are non-negative."""
    if not sim or not sim[0]:
        return 0.0
    if len(sim) > len(sim[0]):
        sim = [list(col) for col in zip(*sim, strict=True)]
    n, m = len(sim), len(sim[0])
    if n == 1:
        return max(sim[0])
    top = max(max(row) for row in sim)
    cost = [[top - x for x in row] for row in sim]
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    owner = [0] * (m + 1)  # owner[j]: 1-based row assigned to column j (0: none; column 0 is a sentinel)
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        owner[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = owner[j0], inf, 0
            row = cost[i0 - 1]
            for j in range(1, m + 1):
                if not used[j]:
                    cur = row[j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:  # flip the augmenting path
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    return sum(sim[owner[j] - 1][j - 1] for j in range(1, m + 1) if owner[j])


def conll_f1(scores: Mapping[str, Sequence[float]]) -> float:
    """Mean of the MUC, B-cubed and CEAF-e F1 (the CoNLL-2012 score)."""
    return (scores["muc"][2] + scores["bcubed"][2] + scores["ceafe"][2]) / 3


def score_clustering(gold: Mapping[str, str], pred: Mapping[str, str]) -> Scores:
    """Every clustering metric of `pred` against `gold` (doc id -> cluster label)."""
    pairwise, pairs = _pair_counts(gold, pred)
    metrics = {"pairwise": pairwise, "bcubed": bcubed_scores(gold, pred), "muc": muc_scores(gold, pred),
               "ceafe": ceafe_scores(gold, pred)}
    return Scores(metrics, conll_f1=conll_f1(metrics), documents=len(gold),
                  gold_clusters=len(set(gold.values())), pred_clusters=len(set(_complete(gold, pred).values())),
                  pairs=pairs)


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
