"""Clustering metrics, checked against hand-computed values and the reference scorer."""

from __future__ import annotations

import importlib.util
import itertools
import random
from pathlib import Path

import pytest

from dedupe.cluster_scores import (
    bcubed_scores,
    ceafe_scores,
    conll_f1,
    max_assignment,
    muc_scores,
    pairwise_scores,
    score_clustering,
)

GOLD = {"a": "1", "b": "1", "c": "2", "d": "2", "e": "3"}

# Pradhan et al. (2014), "Scoring coreference partitions of predicted mentions", section 3:
# key K1={a,b,c}, K2={d,e,f,g}; response R1={a,b}, R2={c,d}, R3={f,g,h,i}. Here every document is
# scored, so the response's extra mentions h, i are dropped and e, which the response leaves out, is
# a singleton of its own.
PRADHAN_GOLD = {"a": "K1", "b": "K1", "c": "K1", "d": "K2", "e": "K2", "f": "K2", "g": "K2"}
PRADHAN_PRED = {"a": "R1", "b": "R1", "c": "R2", "d": "R2", "f": "R3", "g": "R3", "h": "R3", "i": "R3"}


def test_all_singletons() -> None:
    pred = {d: d for d in GOLD}
    assert pairwise_scores(GOLD, pred) == (0.0, 0.0, 0.0)
    p, r, f = bcubed_scores(GOLD, pred)
    assert p == 1.0 and r == pytest.approx((0.5 + 0.5 + 0.5 + 0.5 + 1) / 5)
    # MUC: no predicted links, so precision is 0/0 -> 0; recall 0 of 2 links.
    assert muc_scores(GOLD, pred) == (0.0, 0.0, 0.0)
    # CEAF-e: {a,b}~{a} 2/3, {c,d}~{c} 2/3, {e}~{e} 1 -> 7/3 over 5 predicted and 3 gold clusters.
    cp, cr, _ = ceafe_scores(GOLD, pred)
    assert (cp, cr) == (pytest.approx(7 / 15), pytest.approx(7 / 9))


def test_zero_over_zero_scores_zero_as_the_reference_scorer_does() -> None:
    """Gold and prediction all singletons: no pairs and no links on either side."""
    gold = {d: d for d in "abcd"}
    pred = {d: f"p{d}" for d in "abcd"}
    scores = score_clustering(gold, pred)
    assert scores["pairwise"] == (0.0, 0.0, 0.0)
    assert scores["muc"] == (0.0, 0.0, 0.0)
    assert scores["bcubed"] == (1.0, 1.0, 1.0)
    assert scores["ceafe"] == (1.0, 1.0, 1.0)
    assert scores.conll_f1 == pytest.approx(2 / 3)
    assert scores.pairs == {"true_pairs": 0, "gold_pairs": 0, "pred_pairs": 0}


def test_one_wrong_merge() -> None:
    pred = {"a": "x", "b": "x", "c": "x", "d": "y", "e": "z"}
    p, r, f = pairwise_scores(GOLD, pred)
    assert (p, r) == (pytest.approx(1 / 3), 0.5)
    bp, br, _ = bcubed_scores(GOLD, pred)
    assert bp == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5)
    assert br == pytest.approx((1 + 1 + 0.5 + 0.5 + 1) / 5)
    # MUC recall: {a,b} kept (1 of 1), {c,d} split (0 of 1); precision: {a,b,c} spans 2 gold -> 1 of 2.
    assert muc_scores(GOLD, pred) == (pytest.approx(0.5), pytest.approx(0.5), pytest.approx(0.5))
    # CEAF-e: {a,b}~{a,b,c} 4/5, {c,d}~{d} 2/3, {e}~{e} 1.
    total = 4 / 5 + 2 / 3 + 1
    cp, cr, _ = ceafe_scores(GOLD, pred)
    assert (cp, cr) == (pytest.approx(total / 3), pytest.approx(total / 3))


def test_muc_on_the_pradhan_example() -> None:
    # Recall: K1 is cut in 2 parts ({a,b},{c}) -> 1 of 2 links; K2 in 3 ({d},{e},{f,g}) -> 1 of 3.
    # Precision: R1 1 of 1, R2={c,d} 0 of 1, R3={f,g} 1 of 1, {e} 0 of 0.
    p, r, f = muc_scores(PRADHAN_GOLD, PRADHAN_PRED)
    assert (p, r, f) == (pytest.approx(2 / 3), pytest.approx(2 / 5), pytest.approx(0.5))


def test_ceafe_on_the_pradhan_example() -> None:
    # phi4: K1~R1 = 2*2/(3+2) = 0.8, K1~R2 = 0.4, K2~R2 = 2/6, K2~R3 = 2*2/(4+2), K2~{e} = 2/5.
    # Best alignment K1-R1, K2-R3: 0.8 + 2/3 = 22/15, over 4 predicted and 2 gold clusters.
    p, r, f = ceafe_scores(PRADHAN_GOLD, PRADHAN_PRED)
    assert (p, r, f) == (pytest.approx(11 / 30), pytest.approx(11 / 15), pytest.approx(22 / 45))
    # The paper's own mention-level figures (h, i kept, e missing): R3={f,g,h,i} so K2~R3 = 4/8,
    # total 1.3, recall 1.3/2 = 0.65, precision 1.3/3 = 0.43.
    sim = [[0.8, 0.4, 0.0], [0.0, 2 / 6, 0.5]]
    assert max_assignment(sim) == pytest.approx(1.3)


def test_conll_is_the_mean_of_muc_bcubed_and_ceafe() -> None:
    scores = score_clustering(PRADHAN_GOLD, PRADHAN_PRED)
    expected = (scores["muc"].f + scores["bcubed"].f + scores["ceafe"].f) / 3
    assert scores.conll_f1 == pytest.approx(expected) == conll_f1(scores)


def test_max_assignment_matches_brute_force() -> None:
    rng = random.Random(7)
    for _ in range(300):
        rows, cols = rng.randint(1, 5), rng.randint(1, 5)
        sim = [[rng.choice([0.0, rng.random()]) for _ in range(cols)] for _ in range(rows)]
        if rows <= cols:
            best = max(sum(sim[i][j] for i, j in enumerate(perm))
                       for perm in itertools.permutations(range(cols), rows))
        else:
            best = max(sum(sim[i][j] for j, i in enumerate(perm))
                       for perm in itertools.permutations(range(rows), cols))
        assert max_assignment(sim) == pytest.approx(best)


def test_missing_predictions_count_as_singletons() -> None:
    assert bcubed_scores(GOLD, {}) == bcubed_scores(GOLD, {d: d for d in GOLD})
    assert ceafe_scores(GOLD, {}) == ceafe_scores(GOLD, {d: d for d in GOLD})
    assert score_clustering(GOLD, {"zz": "x"}).pred_clusters == 5  # documents outside the gold are ignored


SCORER = Path(__file__).resolve().parents[2] / "shared" / "tools" / "score.py"


@pytest.mark.skipif(not SCORER.exists(), reason="reference scorer not available")
def test_agrees_with_the_reference_scorer_on_random_clusterings() -> None:
    spec = importlib.util.spec_from_file_location("reference_score", SCORER)
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    rng = random.Random(3)
    for _ in range(200):
        n = rng.randint(1, 25)
        gold = {f"d{i}": str(rng.randint(0, rng.randint(0, n))) for i in range(n)}
        pred = {d: str(rng.randint(0, rng.randint(0, n))) for d in gold if rng.random() < 0.9}
        mine, theirs = score_clustering(gold, pred).as_dict(), ref.score(gold, pred, warn=False)
        for metric in ("pairwise", "bcubed", "muc", "ceafe"):
            for k in "prf":
                assert mine[metric][k] == pytest.approx(theirs[metric][k])
        assert mine["conll_f1"] == pytest.approx(theirs["conll_f1"])
