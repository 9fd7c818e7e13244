"""Building a labelled corpus and scoring its canonical records against the registry."""

from __future__ import annotations

import json
from pathlib import Path

from dedupe.evaluate import canonical_accuracy, city_matches, evaluate
from dedupe.places import Gazetteer


def labelled_corpus(tmp_path: Path) -> Path:
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
    return corpus


def test_evaluate_builds_a_labelled_jsonl(tmp_path: Path) -> None:
    scores, accuracy, result = evaluate(labelled_corpus(tmp_path))
    assert scores["pairwise"] == (1.0, 1.0, 1.0)
    assert scores["muc"] == (1.0, 1.0, 1.0) and scores["ceafe"] == (1.0, 1.0, 1.0)
    assert scores.conll_f1 == 1.0
    assert (scores.documents, scores.gold_clusters, scores.pred_clusters) == (3, 2, 2)
    assert accuracy == {} and accuracy.scored == 0
    assert len(result.articles) == 3


def test_canonical_accuracy_counts_the_incidents_it_scored(tmp_path: Path) -> None:
    corpus = labelled_corpus(tmp_path)
    (tmp_path / "incidents.jsonl").write_text(
        json.dumps({"incident_id": "A", "has_metadata": True, "date": "2021-06-06", "city_or_county": "Nowhere",
                    "n_killed": None, "n_injured": None}) + "\n"
        + json.dumps({"incident_id": "B", "has_metadata": False}) + "\n"
        + json.dumps({"incident_id": "C", "has_metadata": True, "date": "2020-01-01"}) + "\n")
    scores, accuracy, result = evaluate(corpus)
    assert (accuracy.incidents, accuracy.with_metadata, accuracy.scored) == (2, 1, 1)
    assert set(accuracy) == {"date", "date_2d", "city", "killed", "injured"}
    assert accuracy["date"] == 1.0 and accuracy["city"] == 0.0
    # A gold incident none of whose articles got a prediction has metadata but is not scored.
    gold = {"1": "A", "2": "A", "3": "B", "9": "C"}
    again = canonical_accuracy(result, gold, tmp_path / "incidents.jsonl")
    assert (again.incidents, again.with_metadata, again.scored) == (3, 2, 1)


def test_a_wide_date_is_right_but_not_right_to_two_days(tmp_path: Path) -> None:
    corpus = labelled_corpus(tmp_path)
    (tmp_path / "incidents.jsonl").write_text(json.dumps(
        {"incident_id": "A", "has_metadata": True, "date": "2021-06-06", "city_or_county": "Nowhere"}) + "\n")
    _, accuracy, result = evaluate(corpus)
    assert accuracy["date"] == accuracy["date_2d"] == 1.0
    gold = {"1": "A", "2": "A"}
    for incident in result.incidents:
        incident.date_earliest, incident.date_latest = "2021-06-01", "2021-06-07"
    wide = canonical_accuracy(result, gold, tmp_path / "incidents.jsonl")
    assert (wide["date"], wide["date_2d"]) == (1.0, 0.0)


def test_a_city_the_registry_spells_differently_is_the_same_city() -> None:
    gazetteer = Gazetteer.default()
    bronx = gazetteer.resolve_place("The Bronx, New York")
    nyc = gazetteer.resolve_place("New York City")
    assert city_matches(bronx, "Bronx", "New York")
    assert city_matches(nyc, "New York", "New York")
    assert not city_matches(bronx, "Brooklyn", "New York")
    assert not city_matches(nyc, "Albany", "New York")


def test_a_namesake_in_another_state_is_not_the_city() -> None:
    jackson_ms = Gazetteer.default().resolve_place("Jackson, Mississippi")
    assert city_matches(jackson_ms, "Jackson", "Mississippi")
    assert city_matches(jackson_ms, "Jackson")  # no state given: the name decides
    assert not city_matches(jackson_ms, "Jackson", "Tennessee")
