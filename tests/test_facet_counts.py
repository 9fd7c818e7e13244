"""dedupe.store.facet_counts: whole-table facet counts kept by triggers."""

from __future__ import annotations

import json
import sqlite3

import sqlite_utils

from dedupe.store import FACET_COUNTS, ensure_db_shape
from dedupe.store.facet_counts import ensure_facet_counts, stale_facet_counts, trigger_sql

DECLARED = {"things": {"kind": "column", "year": "column", "tags": "array"}}


def things_db(tmp_path, rows: list[dict], conn: sqlite3.Connection | None = None) -> sqlite_utils.Database:
    db = sqlite_utils.Database(conn or sqlite3.connect(tmp_path / "x.db"))
    db["things"].create({"id": str, "kind": str, "year": int, "tags": str, "note": str}, pk="id")
    db["facet_counts"].create({"table_name": str, "facet": str, "value": bytes, "count": int},
                              pk=("table_name", "facet", "value"))
    db["counted_facets"].create({"table_name": str, "facet": str, "kind": str}, pk=("table_name", "facet"))
    db["things"].insert_all(rows)
    return db


def counts(db: sqlite_utils.Database, facet: str) -> dict:
    return dict(db.execute("select value, count from facet_counts where table_name = 'things' and facet = ?",
                           [facet]).fetchall())


def test_counts_follow_every_insert_update_and_delete(tmp_path):
    db = things_db(tmp_path, [{"id": "a", "kind": "fire", "year": 2020, "tags": '["x", "y"]'}])
    ensure_facet_counts(db, DECLARED)
    assert counts(db, "kind") == {"fire": 1} and counts(db, "tags") == {"x": 1, "y": 1}
    db["things"].insert_all([
        {"id": "b", "kind": "fire", "year": "2021", "tags": '["x", "x"]'},  # a repeated item counts the row once
        {"id": "c", "kind": None, "year": 2021, "tags": "not json"},  # neither a null nor bad JSON is counted
        {"id": "d", "kind": "flood", "year": 2020, "tags": '{"x": 1}'},  # an object is not an array
    ])
    assert counts(db, "kind") == {"fire": 2, "flood": 1}
    assert counts(db, "year") == {2020: 2, 2021: 2}  # the column's integers, not the text inserted
    assert counts(db, "tags") == {"x": 2, "y": 1}
    db.execute("update things set tags = '[\"z\"]', kind = 'flood' where id = 'a'")
    db.execute("update things set note = 'seen' where id = 'b'")  # not a faceted column
    db.execute("delete from things where id = 'd'")
    db.conn.commit()
    assert counts(db, "kind") == {"fire": 1, "flood": 1}
    assert counts(db, "tags") == {"x": 1, "z": 1}  # y's count reached 0 and its row went
    assert counts(db, "year") == {2020: 1, 2021: 2}
    assert stale_facet_counts(db, DECLARED) == []
    db.execute("delete from things")
    assert db.execute("select count(*) from facet_counts").fetchone()[0] == 0


def test_a_rolled_back_change_leaves_the_counts_as_they_were(tmp_path):
    db = things_db(tmp_path, [{"id": "a", "kind": "fire", "year": 2020, "tags": '["x"]'}])
    ensure_facet_counts(db, DECLARED)
    db.conn.commit()
    with db.conn:  # the update's way: all of it in one transaction
        db.execute("insert into things (id, kind) values ('c', 'fire')")
    assert counts(db, "kind") == {"fire": 2}
    db.conn.execute("begin")
    db.conn.execute("insert into things (id, kind) values ('b', 'fire')")
    db.conn.rollback()
    assert counts(db, "kind") == {"fire": 2}
    db.execute("delete from things where id = 'c'")
    db.conn.commit()
    assert counts(db, "kind") == {"fire": 1}


def test_a_database_without_the_triggers_is_counted_from_its_rows(tmp_path):
    # An older build, or a table whose rows were written before the triggers existed (a build's bulk write).
    db = things_db(tmp_path, [{"id": str(n), "kind": "fire" if n % 3 else "flood", "year": 2000 + n % 2,
                               "tags": json.dumps(["x"] * (n % 2) + ["y"])} for n in range(30)])
    assert counts(db, "kind") == {}
    ensure_facet_counts(db, DECLARED)
    assert counts(db, "kind") == {"fire": 20, "flood": 10} and counts(db, "tags") == {"x": 15, "y": 30}
    assert sorted(db.execute("select * from counted_facets").fetchall()) == [
        ("things", "kind", "column"), ("things", "tags", "array"), ("things", "year", "column")]
    # A declaration that changes is counted again; one that goes takes its triggers and counts with it.
    ensure_facet_counts(db, {"things": {"kind": "column"}})
    assert counts(db, "tags") == {} and counts(db, "kind") == {"fire": 20, "flood": 10}
    ensure_facet_counts(db, {})
    assert db.execute("select count(*) from facet_counts").fetchone()[0] == 0
    assert db.execute("select count(*) from sqlite_master where type = 'trigger'").fetchone()[0] == 0
    assert db.execute("select count(*) from counted_facets").fetchone()[0] == 0


def test_stored_triggers_compare_equal_to_the_declared_ones(tmp_path):
    db = sqlite_utils.Database(tmp_path / "x.db")
    ensure_db_shape(db)
    stored = dict(db.execute("select name, sql from sqlite_master where type = 'trigger' "
                             "and name like 'facet_counts_%'").fetchall())
    wanted = {name: sql for table, facets in FACET_COUNTS.items() for name, sql in trigger_sql(table, facets).items()}
    assert stored == wanted


def test_a_replace_is_seen_only_with_recursive_triggers(tmp_path):
    # SQLite fires no delete trigger for the row an INSERT OR REPLACE removes unless recursive_triggers
    # is on; sqlite-utils turns it on for every connection it opens (the build's and the update's).
    for recursive, stale in (("off", [("things", "kind"), ("things", "year")]), ("on", [])):
        conn = sqlite3.connect(tmp_path / f"{recursive}.db")
        db = things_db(tmp_path, [{"id": "a", "kind": "fire", "year": 2020, "tags": "[]"}], conn)
        conn.execute(f"pragma recursive_triggers = {recursive}")
        ensure_facet_counts(db, DECLARED)
        conn.execute("insert or replace into things (id, kind) values ('a', 'flood')")
        assert stale_facet_counts(db, DECLARED) == stale, recursive


def test_a_build_and_an_update_keep_every_declared_count(sample_db):
    db = sqlite_utils.Database(sample_db)
    assert stale_facet_counts(db, FACET_COUNTS) == []
    assert db.execute("select count(*) from counted_facets").fetchone()[0] == sum(map(len, FACET_COUNTS.values()))
    assert counts_of(db, "incidents", "event_type") == dict(
        db.execute("select event_type, count(*) from incidents group by event_type").fetchall())


def counts_of(db: sqlite_utils.Database, table: str, facet: str) -> dict:
    return dict(db.execute("select value, count from facet_counts where table_name = ? and facet = ?",
                           [table, facet]).fetchall())
