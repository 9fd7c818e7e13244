"""benchmarks/scale.py: builds generated corpora by size, scores them and reports each size as it goes."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

_path = Path(__file__).resolve().parent.parent / "benchmarks" / "scale.py"
sys.path.insert(0, str(_path.parent))  # scale.py imports its sibling generate.py
_spec = importlib.util.spec_from_file_location("benchmarks_scale", _path)
scale = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(scale)


def test_each_size_is_reported_as_soon_as_it_is_scored(tmp_path, capsys):
    out = tmp_path / "scale.json"
    assert scale.main(["--sizes", "150", "300", "--keep", str(tmp_path / "work"), "--json", str(out)]) == 0
    # A run stopped during a later size keeps the rows printed before it.
    printed = [json.loads(line[len(scale.RESULT_MARK):]) for line in capsys.readouterr().err.splitlines()
               if line.startswith(scale.RESULT_MARK)]
    assert [row["articles"] for row in printed] == [150, 300]
    saved = json.loads(out.read_text())["rows"]
    for row, kept in zip(printed, saved, strict=True):
        assert row["status"] == "ok" and row["seconds"] == kept["seconds"]
        # Pairwise and B-cubed only, from the built database against the generator's gold.
        assert 0.5 < row["bcubed_f1"] <= 1 and 0 < row["pairwise_f1"] <= 1
        assert row["predicted_incidents"] > 0 and row["gold_incidents"] > 0
    assert "growth" in saved[1]
