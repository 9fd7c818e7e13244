"""Clustering metrics, checked against hand-computed values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dedupe.evaluate import bcubed_scores, evaluate, pairwise_scores

GOLD = {"a": "1", "b": "1", "c": "2", "d": "2", "e": "3"}


def test_all_singletons() -> None:
    pred = {d: d for d in GOLD}
    assert pairwise_scores(GOLD, pred) == (0.0, 0.0, 0.0)
    p, r, f = bcubed_scores(GOLD, pred)
    assert p == 1.0 and r == pytest.approx((0.5 + 0.5 + 0.5 + 0.5 + 1) / 5)


def test_one_wrong_merge() -> None:
    pred = {"a": "x", "b": "x", "c": "x", "d": "y", "e": "z"}
    p, r, f = pairwise_scores(GOLD, pred)
    assert (p, r) == (pytest.approx(1 / 3), 0.5)
    bp, br, _ = bcubed_scores(GOLD, pred)
    assert bp == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5)
    assert br == pytest.approx((1 + 1 + 0.5 + 0.5 + 1) / 5)


def test_missing_predictions_count_as_singletons() -> None:
    assert bcubed_scores(GOLD, {}) == bcubed_scores(GOLD, {d: d for d in GOLD})


def test_evaluate_builds_a_labelled_jsonl(tmp_path: Path) -> None:
    rows = [
        {"doc_id": "1", "incident_id": "A", "published": "2021-06-06", "title": "t",
         "text": "Two drones were shot down over the Ain al-Asad air base on Sunday, the Iraqi military said."},
        {"doc_id": "2", "incident_id": "A", "published": "2021-06-07", "title": "t",
         "text": "The Iraqi military said two drones were shot down above Ain al-Asad airbase on Sunday."},
        {"doc_id": "3", "incident_id": "B", "published": "2021-07-06", "title": "t",
         "text": "Three rockets hit the Baghdad airport on Monday, causing no casualties."},
    ]
    corpus = tmp_path / "articles.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows))
    scores, _, result = evaluate(corpus)
    assert scores["pairwise"] == (1.0, 1.0, 1.0)
    assert len(result.articles) == 3
