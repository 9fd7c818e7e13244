"""benchmarks/serve_load.py: which pages it loads (the load itself runs a server for seconds and is
measured there, not here)."""

from __future__ import annotations

import importlib.util
import sqlite3
from pathlib import Path

from dedupe.store import FACET_COUNTS
from tests.served import datasette, get_json

_spec = importlib.util.spec_from_file_location(
    "benchmarks_serve_load", Path(__file__).resolve().parent.parent / "benchmarks" / "serve_load.py")
serve_load = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(serve_load)


def test_facet_value_pages_filter_each_table_to_its_commonest_values(sample_db):
    one, two = serve_load.facet_value_filters(sample_db)
    conn = sqlite3.connect(sample_db)
    for f in one:
        (table, facet, value), = [(f["table"], k, v) for k, v in f.items() if k != "table"]
        assert FACET_COUNTS[table][facet] == "column"
        commonest = conn.execute(f"select count(*) from [{table}] where [{facet}] is not null group by [{facet}] "
                                 "order by count(*) desc limit 1").fetchone()[0]
        assert conn.execute(f"select count(*) from [{table}] where [{facet}] = ?", [value]).fetchone()[0] == commonest
    assert {f["table"] for f in one} >= {"incidents", "articles", "mentions", "claims"}
    assert all(len(f) == 3 for f in two) and "incidents" in {f["table"] for f in two}
    paths = serve_load.endpoints("incidents", ["i1"], (one, two))
    assert paths["facet value"][0].startswith("/incidents/") and len(paths["facet value"]) == len(one)
    # Without facet counts (a database from before them) the two endpoints are left out.
    assert "facet value" not in serve_load.endpoints("incidents", ["i1"])


async def test_every_facet_value_page_answers_with_its_facets(sample_db):
    ds = datasette(sample_db)
    one, two = serve_load.facet_value_filters(sample_db)
    for path in serve_load.filter_paths("incidents", one + two):
        data = await get_json(ds, path.replace("?", ".json?", 1))
        assert data["rows"] and not data.get("facets_timed_out"), path
