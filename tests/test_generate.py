"""benchmarks/generate.py: a seed gives the same corpus, of the size asked, with consistent gold."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

# Loaded under its own name: benchmarks/ is not a package, and `generate` is too common a module name.
_spec = importlib.util.spec_from_file_location(
    "benchmarks_generate", Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py")
generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate)
write_corpus = generate.write_corpus

SIZE = 200
FIELDS = {"doc_id", "title", "published", "source", "url", "text", "incident_id"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gen")
    write_corpus(out, SIZE, seed=3, start=dt.date(2020, 1, 1), days=365)
    return out


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_same_seed_same_files(corpus, tmp_path):
    write_corpus(tmp_path, SIZE, seed=3, start=dt.date(2020, 1, 1), days=365)
    for name in ("articles.jsonl", "incidents.jsonl"):
        assert (tmp_path / name).read_bytes() == (corpus / name).read_bytes()


def test_other_seed_other_corpus(corpus, tmp_path):
    write_corpus(tmp_path, SIZE, seed=4, start=dt.date(2020, 1, 1), days=365)
    assert (tmp_path / "articles.jsonl").read_bytes() != (corpus / "articles.jsonl").read_bytes()


def test_writes_the_requested_count_with_every_field(corpus):
    articles = read(corpus / "articles.jsonl")
    assert len(articles) == SIZE
    assert all(FIELDS <= set(a) for a in articles)
    assert len({a["doc_id"] for a in articles}) == SIZE
    assert json.loads((corpus / "manifest.json").read_text())["articles"] == SIZE


def test_every_article_has_a_registered_incident(corpus):
    incidents = {i["incident_id"]: i for i in read(corpus / "incidents.jsonl")}
    articles = read(corpus / "articles.jsonl")
    assert {a["incident_id"] for a in articles} == set(incidents)
    per_incident = Counter(a["incident_id"] for a in articles)
    assert all(per_incident[i] == rec["articles"] for i, rec in incidents.items())
    for rec in incidents.values():
        assert rec["city_or_county"] and rec["date"] and rec["n_killed"] >= 0 and rec["n_injured"] >= 0


def test_multi_outlet_incidents_and_wire_copies(corpus):
    articles = read(corpus / "articles.jsonl")
    by_incident: dict[str, list[dict]] = {}
    for a in articles:
        by_incident.setdefault(a["incident_id"], []).append(a)
    multi = [group for group in by_incident.values() if len({a["source"] for a in group}) > 1]
    assert len(multi) >= 10
    # A wire copy keeps its original's paragraphs word for word, under another outlet.
    copies = 0
    for group in multi:
        for i, a in enumerate(group):
            mine = set(a["text"].split("\n\n")[1:])
            copies += any(
                len(mine & set(b["text"].split("\n\n")[1:])) >= 2 and b["source"] != a["source"]
                for b in group[:i]
            )
    assert copies >= 3


def test_articles_look_like_news(corpus):
    articles = read(corpus / "articles.jsonl")
    lengths = sorted(len(a["text"]) for a in articles)
    assert 600 <= lengths[len(lengths) // 2] <= 2000
    assert any(a["published"] is None for a in articles)  # some undated
    kinds = Counter(i["kind"] for i in read(corpus / "incidents.jsonl"))
    assert len(kinds) >= 4
