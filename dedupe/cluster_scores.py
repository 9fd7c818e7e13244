"""Clustering metrics: pairwise, B-cubed, MUC and CEAF-e precision/recall/F1 and the CoNLL F1.

Every document is one "mention" of the coreference metrics. Gold documents with no prediction
are scored as predicted singletons; predicted documents that are not in the gold are ignored.
0/0 scores 0, as the CoNLL reference scorer does (e.g. pairwise and MUC precision of an
all-singletons prediction). dedupe.evaluate builds a corpus and reports these; dedupe.fitting
and the benchmarks score with them too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import NamedTuple


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
