"""benchmarks/quality.py: the table of every corpus it is given, the generated one included."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from click.testing import CliRunner

_spec = importlib.util.spec_from_file_location(
    "benchmarks_quality", Path(__file__).resolve().parent.parent / "benchmarks" / "quality.py")
quality = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(quality)


def test_a_labelled_corpus_and_a_generated_one_are_scored_in_one_table(tmp_path):
    corpus = tmp_path / "tiny" / "dev" / "articles.jsonl"
    corpus.parent.mkdir(parents=True)
    rows = [{"doc_id": "1", "incident_id": "A", "published": "2021-06-06", "title": "t",
             "text": "Two drones were shot down over the Ain al-Asad air base on Sunday, the Iraqi military said."},
            {"doc_id": "2", "incident_id": "A", "published": "2021-06-07", "title": "t",
             "text": "The Iraqi military said two drones were shot down above Ain al-Asad airbase on Sunday."}]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "run.json"
    result = CliRunner().invoke(quality.main, [str(corpus), "--generated", "40", "--generated-days", "2",
                                               "--json", str(out)])
    assert result.exit_code == 0, result.output
    runs = {r["corpus"]: r for r in json.loads(out.read_text(encoding="utf-8"))["results"]}
    assert set(runs) == {"tiny/dev", "generated/40x2d"}
    assert runs["tiny/dev"]["bcubed"]["f"] == 1.0
    generated = runs["generated/40x2d"]
    assert generated["documents"] == 40 and generated["canonical"] is not None  # the generator writes incidents
    assert 0.5 < generated["bcubed"]["f"] <= 1.0


def test_no_corpus_and_no_generated_one_is_nothing_to_do(tmp_path, monkeypatch):
    monkeypatch.setattr(quality, "CORPORA", tmp_path / "missing")
    result = CliRunner().invoke(quality.main, ["--generated", "0"])
    assert result.exit_code == 0 and "Nothing to do." in result.output
