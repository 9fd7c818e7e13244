"""Group mentions into incidents without chaining.

Plain connected components over a threshold lets A~B and B~C pull A and C
together even when A and C contradict each other; with many look-alike
incidents (drones over one base every month) that is how matchers collapse.
Here clusters grow greedily from the strongest pair down, and two clusters
merge only when
  * no pair across them is a cannot-link (a hard level, e.g. incompatible dates),
  * the dates of all their members still share at least one possible day, and
  * the *average* score over the pairs across them (average linkage, scored on
    demand for pairs blocking did not propose) clears the link threshold, each
    pair of articles counting once however many passages each has there (by
    their two lead reports when both are there: see `linkage`).

Analyst decisions (dedupe.decisions, resolved to mention ids) come in as
`Constraints`: must-links are merged before anything else, whatever the scores
and hard levels say; cannot-links forbid every merge that would put both
mentions in one cluster; split-out mentions stay on their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from .comparisons import is_bare_year, year_against_day
from .date_intervals import intersect_dates
from .models import DateInterval, Mention, PairScore, ScoredPairs

MUST_LINK = "must-link (analyst)"
CANNOT_LINK = "cannot-link (analyst)"
# Unscored pairs across two clusters from which a merge scores them all at once (score_many): below
# it, a pair at a time costs less than the columns' fixed cost.
SCORE_MANY = 64


def _pair_key(x: str, y: str) -> tuple[str, str]:
    return (x, y) if x < y else (y, x)


@dataclass(frozen=True)
class Constraints:
    """Analyst decisions resolved to mention ids.

    `must_link` and `cannot_link` hold sorted (left, right) pairs, `split_out`
    the mentions that must stay singletons. dedupe.decisions.resolve_decisions
    makes them consistent; here a must-link that would break a cannot-link or
    a split-out is simply not applied.
    """

    must_link: frozenset[tuple[str, str]] = frozenset()
    cannot_link: frozenset[tuple[str, str]] = frozenset()
    split_out: frozenset[str] = frozenset()

    @classmethod
    def of(cls, must_link: Iterable[tuple[str, str]] = (), cannot_link: Iterable[tuple[str, str]] = (),
           split_out: Iterable[str] = ()) -> Constraints:
        """Build from pairs in either orientation and ids, in any order."""
        return cls(frozenset(_pair_key(x, y) for x, y in must_link),
                   frozenset(_pair_key(x, y) for x, y in cannot_link), frozenset(split_out))

    def __bool__(self) -> bool:
        return bool(self.must_link or self.cannot_link or self.split_out)

    def named_pairs(self) -> list[tuple[str, str]]:
        """Every pair a must-link or cannot-link names, sorted."""
        return sorted(self.must_link | self.cannot_link)

    def label(self, left: str, right: str, hard_conflict: str | None = None) -> str | None:
        """The analyst's decision on a pair, if one applies: a pair named by a
        decision, or a pair with a split-out mention that the model would not
        have ruled out anyway."""
        key = _pair_key(left, right)
        if key in self.must_link:
            return MUST_LINK
        if key in self.cannot_link or (not hard_conflict and (left in self.split_out or right in self.split_out)):
            return CANNOT_LINK
        return None


def cluster_mentions(
    mentions: list[Mention],
    pairs: Iterable[PairScore] | ScoredPairs,
    threshold: float,
    score: Callable[[Mention, Mention], PairScore],
    constraints: Constraints | None = None,
    initial: list[list[str]] = (),  # type: ignore[assignment]
    score_many: Callable[[np.ndarray, np.ndarray], list[float | None]] | None = None,
) -> list[list[str]]:
    """Clusters of mention ids, each sorted, the list sorted by first id.

    `pairs` are the scored pairs (ScoredPairs of these `mentions`, or PairScores);
    any other pair is scored with `score` when average linkage needs it, or, when a merge
    needs at least SCORE_MANY of them, all at once with `score_many` (matching.score_many: the
    same scores, for two arrays of mention numbers as `mentions` lists them).
    With `constraints`, must-links are merged first (overriding scores and hard
    levels); the greedy merges that follow never join a cannot-linked pair and
    never touch a split-out mention. `initial` groups (the incidents an update
    starts from) are taken as they are: they can grow and merge, never split."""
    constraints = constraints or Constraints()
    by_id = {m.id: m for m in mentions}
    ids = [m.id for m in mentions]
    table = pairs if isinstance(pairs, ScoredPairs) else ScoredPairs.of(pairs, ids)
    if table.ids != ids:
        raise ValueError("the scored pairs number other mentions than those to cluster")
    position = {mid: n for n, mid in enumerate(ids)}
    starts = table.row_starts()
    scores, hard = table.scores, table.hard
    # Pairs blocking did not propose, scored as average linkage needs them (millions on a large
    # corpus): under one int for the two mentions, the score, or None for a cannot-link (no merge
    # across one reads its score).
    on_demand: dict[int, float | None] = {}
    cluster_of = {m.id: m.id for m in mentions}
    members: dict[str, list[str]] = {m.id: [m.id] for m in mentions}
    dates: dict[str, DateInterval | None] = {m.id: m.date for m in mentions}
    apart: dict[str, set[str]] = {}
    for x, y in constraints.cannot_link:
        apart.setdefault(x, set()).add(y)
        apart.setdefault(y, set()).add(x)

    def number(x: str, y: str) -> int:
        """The pair's key in `on_demand`."""
        i, j = position[x], position[y]
        return i * len(ids) + j if i < j else j * len(ids) + i

    def cross_scores(xs: list[str], ys: list[str]) -> list[float] | None:
        """The score of every pair across (x by x), or None when one is a cannot-link. The
        stored pairs are read first, and scoring stops at the first cannot-link: most refused
        merges cross one, and the pairs after it need not be scored."""
        rows = [[table.find(position[x], position[y], starts) for y in ys] for x in xs]
        if any(hard[r] >= 0 for row in rows for r in row if r >= 0):
            return None
        if score_many is not None:
            missing: dict[int, tuple[int, int]] = {}
            for x, row in zip(xs, rows, strict=True):
                for y, r in zip(ys, row, strict=True):
                    if r < 0 and (key := number(x, y)) not in on_demand:
                        left, right = _pair_key(x, y)
                        missing[key] = (position[left], position[right])
            if len(missing) >= SCORE_MANY:
                both = np.array(list(missing.values()), dtype=np.int64).reshape(-1, 2)
                on_demand.update(zip(missing, score_many(both[:, 0], both[:, 1]), strict=True))
        out = []
        for x, row in zip(xs, rows, strict=True):
            for y, r in zip(ys, row, strict=True):
                if r >= 0:
                    out.append(scores[r] / 1000)  # thousandths (ScoredPairs.score)
                    continue
                key = number(x, y)
                if key not in on_demand:
                    left, right = _pair_key(x, y)
                    p = score(by_id[left], by_id[right])
                    on_demand[key] = None if p.hard_conflict else p.score
                if on_demand[key] is None:
                    return None
                out.append(on_demand[key])  # type: ignore[arg-type]
        return out

    def combined_dates(ca: str, cb: str) -> DateInterval | None:
        da, db = dates[ca], dates[cb]
        if not (da and db):
            return da or db
        both = intersect_dates(da, db)
        if both is None and year_against_day(da, db):
            # A bare year is a background passage's (comparisons.year_against_day): the day stands.
            return db if is_bare_year(da) else da
        return both

    def forbidden(ca: str, cb: str) -> bool:
        """An analyst decision keeps these two clusters apart."""
        if any(x in constraints.split_out for x in (*members[ca], *members[cb])):
            return True
        other = set(members[cb])
        return any(not apart.get(x, set()).isdisjoint(other) for x in members[ca])

    # Each cluster's last change, and the merges refused since: the same two clusters are
    # refused again for every other pair across them, at the cost of scoring all their pairs.
    changed: dict[str, int] = {}
    clock = [0]
    refused: dict[tuple[str, str], tuple[int, int]] = {}

    def merge(ca: str, cb: str, both: DateInterval | None) -> None:
        keep, gone = (ca, cb) if ca < cb else (cb, ca)
        members[keep].extend(members.pop(gone))
        for mid in members[keep]:
            cluster_of[mid] = keep
        dates[keep] = both
        changed[keep] = clock[0] = clock[0] + 1

    for group in initial:
        for x in group[1:]:
            ca, cb = cluster_of[group[0]], cluster_of[x]
            if ca != cb:
                merge(ca, cb, combined_dates(ca, cb))

    for x, y in sorted(constraints.must_link):
        if x not in by_id or y not in by_id:
            continue
        ca, cb = cluster_of[x], cluster_of[y]
        if ca == cb or forbidden(ca, cb):
            continue
        # The analyst wins over incompatible dates: the cluster then has no common
        # date (None), and later joins are still checked pair by pair.
        merge(ca, cb, combined_dates(ca, cb))

    # Strongest first, ties by key: sorted by key, then (stably) by score, each on one number a pair.
    ordered = table.in_key_order(n for n in range(len(table)) if hard[n] < 0 and scores[n] / 1000 >= threshold)
    ordered.sort(key=lambda n: -scores[n])
    for n in ordered:
        left, right = table.key(n)
        ca, cb = cluster_of[left], cluster_of[right]
        if ca == cb:
            continue
        stamp = (changed.get(ca, 0), changed.get(cb, 0))
        if refused.get((ca, cb)) == stamp:
            continue
        both = combined_dates(ca, cb)
        if both is None or (constraints and forbidden(ca, cb)):
            refused[ca, cb] = stamp
            continue
        cross = cross_scores(members[ca], members[cb])
        if cross is None or linkage(members[ca], members[cb], cross, by_id) < threshold:
            refused[ca, cb] = stamp
            continue
        merge(ca, cb, both)
    clusters = [sorted(ms) for ms in members.values()]
    return sorted(clusters, key=lambda c: c[0])


def label_decisions(pairs: list[PairScore] | ScoredPairs, clusters: list[list[str]],
                    constraints: Constraints | None = None) -> None:
    """Record on each pair what the clustering did with it; a pair settled by an
    analyst decision says so ('must-link (analyst)' / 'cannot-link (analyst)')."""
    cluster_of = {mid: i for i, c in enumerate(clusters) for mid in c}

    def decide(left: str, right: str, hard_conflict: str | None) -> str:
        together = cluster_of.get(left) == cluster_of.get(right)
        analyst = constraints.label(left, right, hard_conflict) if constraints else None
        if analyst is not None and together == (analyst == MUST_LINK):
            return analyst
        if together:
            return "merged"
        return "cannot-link" if hard_conflict else "kept-apart"

    if isinstance(pairs, ScoredPairs) and not constraints:
        # decide() without an analyst, on row numbers: a large build labels millions of rows.
        number = [cluster_of.get(mid) for mid in pairs.ids]
        pairs.decisions = ["merged" if number[i] == number[j] else "cannot-link" if h >= 0 else "kept-apart"
                           for i, j, h in zip(pairs.left, pairs.right, pairs.hard, strict=True)]
        return
    if isinstance(pairs, ScoredPairs):
        pairs.decisions = [decide(*pairs.key(n), pairs.hard_conflict(n)) for n in range(len(pairs))]
        return
    for p in pairs:
        p.decision = decide(p.left_id, p.right_id, p.hard_conflict)


def linkage(left: list[str], right: list[str], cross: list[float], by_id: dict[str, Mention]) -> float:
    """Average linkage in which each pair of articles counts once, however many passages
    each article has in the clusters: by the pair of their lead reports when both are
    there, else by the mean of the passage pairs that are. An article's lead report is
    what it is about; its other passages (background, what followed) read poorly against
    another article's lead for reasons that say nothing about whether the two report one
    incident, and averaging them in kept reports of one incident apart (gva_pool dev B3
    +0.9, GVC train +1.7). `cross` holds the scores of every (left, right) pair, left by left."""
    by_pair: dict[tuple[str, str], list[float]] = {}
    leads: dict[tuple[str, str], float] = {}
    scores = iter(cross)
    for x in left:
        for y in right:
            s = next(scores)
            key = (by_id[x].article_id, by_id[y].article_id)
            by_pair.setdefault(key, []).append(s)
            if by_id[x].order == 0 and by_id[y].order == 0:
                leads[key] = s
    return sum(leads[k] if k in leads else sum(v) / len(v) for k, v in by_pair.items()) / len(by_pair)
