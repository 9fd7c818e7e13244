"""Incident ids that survive rebuilds, updates and merges.

A new incident's id is derived from its smallest mention id, so the same
inputs always give the same ids. But when inputs are added, a new article can
bring a smaller mention id into an old incident, and two old incidents can
become one; links and API consumers holding the old id must not break. So a
build that replaces (or updates) a database first reads which incident each
of its mentions belonged to (`Previous`), and every cluster *inherits* the id
most of its previously known mentions carried. An old id that no cluster
inherits, because its incident was absorbed into another, is recorded as a
redirect to the incident that took most of its mentions; earlier redirects
are followed through so that no chain of links ever dead-ends.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field


@dataclass
class Previous:
    """What the database being replaced knew: mention id -> incident id, and
    its redirects (absorbed id -> surviving id). `elsewhere` holds the ids of
    its other incidents: an update reads only the incidents its new reports
    could join, and a new incident must not take the id of one it did not read."""

    incident_of: dict[str, str] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    elsewhere: Container[str] = frozenset()


class _AnyOf:
    """Membership in any of several containers (a set and the database's ids)."""

    def __init__(self, *containers: Container[str]) -> None:
        self.containers = containers

    def __contains__(self, item: object) -> bool:
        return any(item in c for c in self.containers)


def incident_id(mention_ids: Iterable[str], taken: Container[str] = frozenset()) -> str:
    """The id of a new incident: derived from its smallest mention id, which
    depends only on article text and offsets, never on input order. Salted in
    the rare case that id already names another (or an absorbed) incident."""
    seed = min(mention_ids)
    iid = "i" + hashlib.sha1(seed.encode()).hexdigest()[:11]
    n = 0
    while iid in taken:
        n += 1
        iid = "i" + hashlib.sha1(f"{seed}#{n}".encode()).hexdigest()[:11]
    return iid


def assign_ids(clusters: list[list[str]], previous: Previous | None = None) -> tuple[list[str], dict[str, str]]:
    """An id for each cluster (same order) and the redirects to store (old id -> id).

    Each old incident id goes to the cluster holding most of its mentions;
    a cluster claimed by several old ids keeps the one with most mentions
    there (ties: the smaller id, for determinism) and the others redirect to it."""
    previous = previous or Previous()
    votes: Counter[tuple[int, str]] = Counter()
    for n, cluster in enumerate(clusters):
        for mid in cluster:
            old = previous.incident_of.get(mid)
            if old is not None:
                votes[(n, old)] += 1
    ids: list[str | None] = [None] * len(clusters)
    owner: dict[str, int] = {}
    for (n, old), _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0][1], kv[0][0])):
        if ids[n] is None and old not in owner:
            ids[n], owner[old] = old, n
    taken = set(previous.incident_of.values()) | set(previous.redirects) | set(owner)
    # A report's own id once named an incident it has since left: that incident, kept by its other
    # reports, may lie outside what an update read, and taking its id would overwrite it.
    either = _AnyOf(taken, previous.elsewhere)
    for n, cluster in enumerate(clusters):
        if ids[n] is None:
            ids[n] = incident_id(cluster, either)
            taken.add(ids[n])
    final: list[str] = [i for i in ids if i is not None]
    return final, redirects_for(final, votes, previous)


def redirects_for(ids: list[str], votes: Mapping[tuple[int, str], int], previous: Previous) -> dict[str, str]:
    alive = set(ids)
    # Where each old id's mentions went: the cluster with most of them.
    absorbed: dict[str, str] = {}
    for (n, old), _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0][0], kv[0][1])):
        if old not in alive and old not in absorbed:
            absorbed[old] = ids[n]
    out = dict(absorbed)
    # Earlier redirects point at ids that may since have been absorbed too: follow them to a live id.
    onward = {**previous.redirects, **absorbed}
    for old, new in previous.redirects.items():
        seen = {old}
        while new not in alive and new in onward and new not in seen:
            seen.add(new)
            new = onward[new]
        if new in alive and old not in alive:
            out[old] = new
    return dict(sorted(out.items()))
