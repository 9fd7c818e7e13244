"""dedupe.store.facet_counts: facet counts of whole tables and under one filter, kept by triggers."""

from __future__ import annotations

import json
import re
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
    db["filtered_facet_counts"].create({"table_name": str, "filter": str, "filter_value": bytes, "facet": str,
                                       "value": bytes, "count": int},
                                      pk=("table_name", "filter", "filter_value", "facet", "value"))
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


def filtered(db: sqlite_utils.Database, by: str, value, facet: str) -> dict:
    return dict(db.execute("select value, count from filtered_facet_counts where table_name = 'things' "
                           "and filter = ? and filter_value = ? and facet = ?", [by, value, facet]).fetchall())


def test_counts_under_each_column_filter_follow_every_change(tmp_path):
    db = things_db(tmp_path, [{"id": "a", "kind": "fire", "year": 2020, "tags": '["x", "y"]'},
                              {"id": "b", "kind": "flood", "year": 2020, "tags": '["x"]'}])
    ensure_facet_counts(db, DECLARED)
    # What a page filtered to kind = fire shows: the rows where kind = fire, counted every way.
    assert filtered(db, "kind", "fire", "year") == {2020: 1} and filtered(db, "kind", "fire", "tags") == {"x": 1, "y": 1}
    assert filtered(db, "kind", "fire", "kind") == {"fire": 1}
    assert filtered(db, "year", 2020, "kind") == {"fire": 1, "flood": 1}
    assert filtered(db, "year", 2020, "tags") == {"x": 2, "y": 1}
    # An array facet is no filter: its rows would count once per item.
    assert db.execute("select count(*) from filtered_facet_counts where filter = 'tags'").fetchone()[0] == 0
    db["things"].insert_all([{"id": "c", "kind": "fire", "year": 2021, "tags": '["y", "y"]'},
                             {"id": "d", "kind": None, "year": 2021, "tags": '["x"]'}])
    db.execute("update things set year = 2021 where id = 'a'")
    db.execute("delete from things where id = 'b'")
    db.conn.commit()
    assert filtered(db, "kind", "fire", "year") == {2021: 2}
    assert filtered(db, "kind", "fire", "tags") == {"x": 1, "y": 2}
    assert filtered(db, "year", 2021, "kind") == {"fire": 2}  # d's null kind is not a value
    assert filtered(db, "year", 2021, "tags") == {"x": 2, "y": 2}
    assert filtered(db, "year", 2020, "kind") == {}  # no row left: its counts went
    assert stale_facet_counts(db, DECLARED) == []
    db.execute("update things set kind = 'flood'")
    assert stale_facet_counts(db, DECLARED) == [] and filtered(db, "kind", "flood", "year") == {2021: 3}


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
    for recursive, stale in (("off", True), ("on", False)):
        conn = sqlite3.connect(tmp_path / f"{recursive}.db")
        db = things_db(tmp_path, [{"id": "a", "kind": "fire", "year": 2020, "tags": "[]"}], conn)
        conn.execute(f"pragma recursive_triggers = {recursive}")
        ensure_facet_counts(db, DECLARED)
        conn.execute("insert or replace into things (id, kind) values ('a', 'flood')")
        found = stale_facet_counts(db, DECLARED)
        assert bool(found) == stale and (("things", "kind") in found) == stale, recursive


def test_a_build_and_an_update_keep_every_declared_count(sample_db):
    db = sqlite_utils.Database(sample_db)
    assert stale_facet_counts(db, FACET_COUNTS) == []
    assert db.execute("select count(*) from counted_facets").fetchone()[0] == sum(map(len, FACET_COUNTS.values()))
    assert counts_of(db, "incidents", "event_type") == dict(
        db.execute("select event_type, count(*) from incidents group by event_type").fetchall())


def counts_of(db: sqlite_utils.Database, table: str, facet: str) -> dict:
    return dict(db.execute("select value, count from facet_counts where table_name = ? and facet = ?",
                           [table, facet]).fetchall())


def test_every_trigger_statement_finds_its_count_by_the_whole_key(tmp_path):
    # A count found by the key's constant columns alone tests every value of the facet, under the
    # filter tens of thousands a statement at a million articles: an update of 5,000 incidents at
    # 100,000 ran for over 14 minutes that way, 13 s this way.
    db = sqlite_utils.Database(tmp_path / "x.db")
    ensure_db_shape(db)
    checked = 0
    for table, facets in FACET_COUNTS.items():
        body = trigger_sql(table, facets)[f"facet_counts_{table}_delete"].split("BEGIN", 1)[1].rsplit("END", 1)[0]
        for statement in filter(None, (s.strip() for s in body.split(";\n"))):
            # The trigger's old.[column] as a value, which is what the statement sees.
            sql = re.sub(r"old\.\[(\w+)\]", "'x'", statement.rstrip(";"))
            plan = " ".join(row[3] for row in db.execute("explain query plan " + sql).fetchall())
            key = "filter=? AND filter_value=? AND facet=? AND value=?" if "filtered_" in sql else "facet=? AND value=?"
            assert f"(table_name=? AND {key})" in plan, (sql, plan)
            checked += 1
    assert checked > 200
