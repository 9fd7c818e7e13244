"""benchmarks/update.py: splits a corpus, updates, and counts what equals a full build."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from dedupe.pipeline import SAMPLE_DIR

_spec = importlib.util.spec_from_file_location(
    "benchmarks_update", Path(__file__).resolve().parent.parent / "benchmarks" / "update.py")
update = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(update)


def test_the_sample_updated_by_its_last_article_equals_a_full_build(tmp_path, capsys):
    corpus = tmp_path / "sample.jsonl"
    rows = [{"doc_id": f.stem, "text": f.read_text(encoding="utf-8")} for f in sorted(SAMPLE_DIR.glob("*.txt"))]
    corpus.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert update.main([str(corpus), "--share", "0.2", "--keep", str(tmp_path / "work")]) == 0
    printed = capsys.readouterr().out
    assert f"update of 1 articles to {len(rows) - 1}" in printed
    result = update.compare(tmp_path / "work" / "full.db", tmp_path / "work" / "update.db", {rows[-1]["doc_id"]})
    assert result["equal_share"] == 1.0 and result["full_incidents"] >= 2
    assert "(100.0%)" in printed
