from __future__ import annotations

import json

from dedupe import evidence
from dedupe.evidence import Evidence, with_components
from dedupe.models import SharedComponents
from dedupe.pipeline import run_pipeline


def test_evidence_read_in_chunks_has_the_levels_each_pair_scored_alone_has(monkeypatch) -> None:
    # The write reads the evidence in order, a chunk's levels sorted column by column; a pair read
    # on its own is scored again by the level functions. Small chunks cross several edges.
    result = run_pipeline(None)
    pairs = result.pairs
    assert isinstance(pairs, Evidence) and len(pairs) > 20
    monkeypatch.setattr(evidence, "EVIDENCE_CHUNK", 7)
    in_order = list(pairs)
    one_by_one = [pairs[n] for n in range(len(pairs))]
    assert [p.components for p in in_order] == [p.components for p in one_by_one]
    assert [(p.left_id, p.right_id, p.score, p.decision) for p in in_order] == \
        [(p.left_id, p.right_id, p.score, p.decision) for p in one_by_one]
    # pairs of one chunk with the same levels share their components (encoded once by the write)
    assert all(type(p.components) is SharedComponents for p in in_order)
    chunk = in_order[:7]
    assert len({id(p.components) for p in chunk}) == len({json.dumps(p.components) for p in chunk})
    model = pairs.model
    for p in in_order:
        assert list(p.components) == list(model.comparisons)
        # the components add up to the stored score (the prior is where a pair of articles starts)
        left, right = pairs.mentions[p.left_id], pairs.mentions[p.right_id]
        base = model.base(left.article_id == right.article_id)
        assert round(base + sum(c["weight"] for c in p.components.values()), 3) == p.score


def test_with_components_leaves_a_pair_that_has_them() -> None:
    result = run_pipeline(None)
    full = result.pairs[0]
    assert with_components([full], result.pairs.mentions, result.pairs.model)[0] is full
