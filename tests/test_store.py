"""Schema in one place, applied idempotently; atomic writes."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from dedupe import store
from dedupe.store import FTS, TABLES, VIEWS, ensure_db_shape, write_database


def test_ensure_db_shape_is_idempotent_and_complete(tmp_path: Path) -> None:
    db = sqlite_utils.Database(tmp_path / "x.db")
    ensure_db_shape(db)
    ensure_db_shape(db)
    assert set(TABLES) <= set(db.table_names())
    assert set(VIEWS) <= set(db.view_names())
    for table in FTS:
        assert db[table].detect_fts() == f"{table}_fts"
    fks = {(fk.column, fk.other_table) for fk in db["mentions"].foreign_keys}
    assert {("article_id", "articles"), ("incident_id", "incidents"), ("place_id", "places")} <= fks
    assert ("primary_incident_id", "incidents") in {(fk.column, fk.other_table) for fk in db["articles"].foreign_keys}


def test_ensure_db_shape_changes_nothing_in_a_complete_database(tmp_path: Path) -> None:
    # An update applies it to a live database: a view dropped and created again would be missing for
    # a moment, and for good if the process died in between.
    db = sqlite_utils.Database(tmp_path / "x.db")
    ensure_db_shape(db)
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    ensure_db_shape(db)
    db.conn.set_trace_callback(None)
    changes = [s for s in statements if s.lstrip().split()[0].upper() in {"CREATE", "DROP", "ALTER"}
               and "IF NOT EXISTS" not in s.upper()]
    assert changes == []


def test_public_contract_columns(tmp_path: Path) -> None:
    db = sqlite_utils.Database(tmp_path / "x.db")
    ensure_db_shape(db)
    contract = {
        "articles": "id doc_id path source title url published published_precision text primary_incident_id duplicate_of",
        "mentions": "id article_id incident_id sentence start end event_type weapon quantity place_id place_text "
                    "date_earliest date_latest date_text outcome killed injured attribution",
        "incidents": "id title date date_earliest date_latest date_precision place_id latitude longitude event_type "
                     "weapon quantity outcome killed injured article_count source_count disputed",
        "claims": "incident_id field value mention_id article_id",
        "places": "id name kind admin1 country latitude longitude",
        "match_evidence": "left_mention_id right_mention_id score components decision",
        "ingest_errors": "path line reason",
    }
    for table, cols in contract.items():
        assert set(cols.split()) <= set(db[table].columns_dict), table


def empty_build(path: Path) -> None:
    write_database(path, articles=[], mentions=[], incidents=[], pairs=[], places=[], errors=[], primary={},
                   info={"version": "t"})


def test_failed_write_leaves_the_old_database_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "incidents.db"
    empty_build(target)
    before = target.read_bytes()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "write_rows", boom)
    with pytest.raises(RuntimeError):
        empty_build(target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["incidents.db"]


def test_a_build_removes_temporary_files_of_killed_builds(tmp_path):
    import os
    import subprocess
    import sys

    from dedupe.pipeline import build_database

    target = tmp_path / "incidents.db"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    abandoned = tmp_path / f".incidents.db.{dead.stdout.strip()}.x1y2.tmp"
    running = tmp_path / f".incidents.db.{os.getpid()}.z3w4.tmp"  # a build still in progress: left alone
    abandoned.write_bytes(b"half a database")
    running.write_bytes(b"in progress")
    build_database(None, target)
    assert not abandoned.exists() and running.exists() and target.exists()


def test_components_json_is_json_dumps_sorted() -> None:
    import json

    from dedupe.models import SharedComponents
    from dedupe.store.rows import components_json

    cases = [
        {},
        {"date": {"level": "same", "weight": 3.3}, "place": {"level": "near", "weight": 0.0}},
        {"place": {"level": "near", "weight": -0.0}, "date": {"level": "same", "weight": 3.3}},
        {"date": {"level": "same", "weight": 1}, "b": {"level": "x", "weight": 1.0}, "c": {"level": "x", "weight": True}},
        {"date": {"level": "same", "weight": float("nan")}, "é": {"level": "ü", "weight": float("inf")}},
        {"date": {"weight": 2.5, "level": "same"}, "hard": {"weight": -9.0}},
        {"date": {"level": ["a"], "weight": 1.0}, "x": {"level": None, "weight": None}},
        {"date": {"level": 1, "weight": 1.0}, "other": {"level": True, "weight": 1.0}},
        {"date": {"level": "same", "weight": 2.0, "note": "x"}},
    ]
    for case in cases * 2:  # the second time from the cache
        assert components_json(case) == json.dumps(case, sort_keys=True), case
    for case in cases:  # shared by many pairs: encoded once, the same string
        shared = SharedComponents(case)
        assert components_json(shared) == json.dumps(case, sort_keys=True) == shared.encoded
        assert components_json(shared) is shared.encoded


def test_insert_rows_writes_what_insert_all_writes(tmp_path: Path) -> None:
    import datetime as dt

    from dedupe.store.rows import insert_rows

    rows = [{"id": f"a{n:04d}", "doc_id": None, "title": f"Shooting {n}", "text": f"A man was shot on street {n}.",
             "extra": {"n": n} if n % 3 else None, "published": dt.date(2020, 1, 1 + n % 28), "line": n}
            for n in range(300)]
    dbs = []
    for name in ("a", "b"):
        db = sqlite_utils.Database(tmp_path / f"{name}.db")
        ensure_db_shape(db)
        with db.atomic():
            if name == "a":
                db["articles"].insert_all(rows)
            else:
                assert insert_rows(db.conn, "articles", rows) == len(rows)
        dbs.append(db)
    for table in ("articles", "articles_fts_data", "articles_fts_idx", "articles_fts_docsize"):
        assert dbs[0].execute(f"select * from [{table}]").fetchall() == dbs[1].execute(f"select * from [{table}]").fetchall()
