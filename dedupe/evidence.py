"""The stored evidence: the pairs a build keeps, with every comparison's level and weight.

Matching keeps only a pair's score (and a cannot-link's weight): the per-comparison
components, a dict for every comparison, would take about 2.3 KB a pair. They are
worked out again as the pairs are written, with the same model, so they are the
same levels and weights the score was made of.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from .comparisons import Model
from .matching import score_pair
from .models import Mention, PairScore, ScoredPairs, SharedComponents
from .pair_columns import MentionColumns, Pairs, build_columns
from .pair_levels import sort_levels

EVIDENCE_CHUNK = 20_000  # pairs whose levels are sorted at once when the evidence is read in order


def with_components(pairs: Iterable[PairScore], mentions: dict[str, Mention], model: Model) -> list[PairScore]:
    """The pairs with their per-comparison components (link_pairs drops them
    to save memory), scored again with the same model: the same scores."""
    out = []
    for p in pairs:
        if len(p.components) < len(model.comparisons):
            full = score_pair(mentions[p.left_id], mentions[p.right_id], model)
            p = dataclasses.replace(p, components=full.components)
        out.append(p)
    return out


class Evidence(Sequence[PairScore]):
    """The pairs stored as evidence (`rows` of `pairs`), in (left, right) order, each a
    PairScore with its per-comparison components only when it is read. Held all at once
    they take about 2.3 KB a pair: at 10k articles 317 MB, the largest part of a build's
    peak, for rows the write turns into a line of JSON one at a time. Only these rows are
    kept, not the rest of `pairs`. Read in order (the write), a chunk of pairs has its
    levels sorted column by column (pair_levels), as matching scored them; a pair read on
    its own is scored again by the level functions (with_components): the same levels."""

    def __init__(self, pairs: ScoredPairs, rows: Iterable[int], mentions: dict[str, Mention], model: Model) -> None:
        self.table = pairs.take(pairs.in_key_order(rows))
        self.mentions = mentions
        self.model = model
        self._columns: MentionColumns | None = None

    def __len__(self) -> int:
        return len(self.table)

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return with_components(map(self.table.pair, range(len(self))[index]), self.mentions, self.model)
        return with_components([self.table.pair(range(len(self))[index])], self.mentions, self.model)[0]

    def __iter__(self) -> Iterator[PairScore]:
        for start in range(0, len(self), EVIDENCE_CHUNK):
            yield from self._read(range(start, min(start + EVIDENCE_CHUNK, len(self))))
        self._columns = None  # about 100 MB at 100k articles, needed again only for another pass

    def _read(self, rows: range) -> list[PairScore]:
        """These rows with their components, the levels of all of them sorted at once."""
        if self._columns is None:
            # The arrays matching built, built again (~10 s at 100k articles) rather than kept: held from
            # matching through clustering they would add ~100 MB where the build peaks. The mentions
            # still carry what they read (weigh_documents' vectors).
            self._columns = build_columns([self.mentions[mid] for mid in self.table.ids])
        left = np.array(self.table.left[rows.start : rows.stop], dtype=np.int64)
        right = np.array(self.table.right[rows.start : rows.stop], dtype=np.int64)
        columns = sort_levels(Pairs(left, right, self._columns), self.model)
        # Pairs with the same level in every comparison share one components dict (and its JSON):
        # a chunk holds far fewer such combinations than pairs.
        combos, which = np.unique(np.stack([c.codes for c in columns.values()], axis=1), axis=0,
                                  return_inverse=True)
        shared = [SharedComponents({name: {"level": column.labels[code],
                                           "weight": self.model.weight(name, column.labels[code]).weight}
                                    for (name, column), code in zip(columns.items(), combo, strict=True)})
                  for combo in combos.tolist()]
        pair = self.table.pair
        return [pair(n, shared[k]) for n, k in zip(rows, which.reshape(-1).tolist(), strict=True)]
