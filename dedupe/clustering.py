"""Group mentions into incidents without chaining.

Plain connected components over a threshold lets A~B and B~C pull A and C
together even when A and C contradict each other; with many look-alike
incidents (drones over one base every month) that is how matchers collapse.
Here clusters grow greedily from the strongest pair down, and two clusters
merge only when
  * no pair across them is a cannot-link (a hard level, e.g. incompatible dates),
  * the dates of all their members still share at least one possible day, and
  * the *average* score over every pair across them (average linkage, scored on
    demand for pairs blocking did not propose) clears the link threshold.
"""

from __future__ import annotations

from collections.abc import Callable

from .dates import intersect_dates
from .models import DateInterval, Mention, PairScore


def cluster_mentions(
    mentions: list[Mention],
    pairs: list[PairScore],
    threshold: float,
    score: Callable[[Mention, Mention], PairScore],
) -> list[list[str]]:
    """Clusters of mention ids, each sorted, the list sorted by first id."""
    by_id = {m.id: m for m in mentions}
    known: dict[tuple[str, str], PairScore] = {(p.left_id, p.right_id): p for p in pairs}
    cluster_of = {m.id: m.id for m in mentions}
    members: dict[str, list[str]] = {m.id: [m.id] for m in mentions}
    dates: dict[str, DateInterval | None] = {m.id: m.date for m in mentions}

    def pair(x: str, y: str) -> PairScore:
        key = (x, y) if x < y else (y, x)
        if key not in known:
            known[key] = score(by_id[key[0]], by_id[key[1]])
        return known[key]

    ordered = sorted((p for p in pairs if p.hard_conflict is None and p.score >= threshold),
                     key=lambda p: (-p.score, p.left_id, p.right_id))
    for p in ordered:
        ca, cb = cluster_of[p.left_id], cluster_of[p.right_id]
        if ca == cb:
            continue
        both = intersect_dates(dates[ca], dates[cb]) if dates[ca] and dates[cb] else (dates[ca] or dates[cb])
        if both is None:
            continue
        cross = [pair(x, y) for x in members[ca] for y in members[cb]]
        if any(c.hard_conflict for c in cross):
            continue
        if sum(c.score for c in cross) / len(cross) < threshold:
            continue
        keep, gone = (ca, cb) if ca < cb else (cb, ca)
        members[keep].extend(members.pop(gone))
        for mid in members[keep]:
            cluster_of[mid] = keep
        dates[keep] = both
    clusters = [sorted(ms) for ms in members.values()]
    return sorted(clusters, key=lambda c: c[0])


def label_decisions(pairs: list[PairScore], clusters: list[list[str]]) -> None:
    """Record on each pair what the clustering did with it."""
    cluster_of = {mid: i for i, c in enumerate(clusters) for mid in c}
    for p in pairs:
        if cluster_of.get(p.left_id) == cluster_of.get(p.right_id):
            p.decision = "merged"
        elif p.hard_conflict:
            p.decision = "cannot-link"
        else:
            p.decision = "kept-apart"
