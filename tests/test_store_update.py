"""dedupe.store.update: what an update reads of the stored database."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest
import sqlite_utils

from dedupe.models import CorpusStats
from dedupe.pipeline import build_database, run_pipeline
from dedupe.store import ARTICLE_INDEX, FACET_COUNTS, PLACE_INDEX, index_name
from dedupe.store.facet_counts import stale_facet_counts
from dedupe.store.update import (
    StoredIncidentIds,
    UpdateError,
    apply_update,
    open_for_update,
    read_city_leads,
    read_context,
    read_stored,
    relabel_evidence,
    relabel_statement,
    stored_lead_places,
)


def test_a_busy_place_loads_the_incidents_nearest_in_time_first(tmp_path):
    # Four Akron shootings in June, each its own incident; a new report of June 27 may load two.
    days = ["2021-06-01", "2021-06-10", "2021-06-20", "2021-06-28"]
    victims = ["a 19-year-old man", "a 64-year-old woman", "a 35-year-old man", "a 12-year-old girl"]
    rows = [{"doc_id": f"d{n}", "title": f"Shooting in Akron {n}", "published": day, "source": f"s{n}.com",
             "text": f"AKRON, Ohio — Police said {who} was shot and wounded in Akron on {day}."}
            for n, (day, who) in enumerate(zip(days, victims, strict=True))]
    corpus = tmp_path / "old.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db_path = tmp_path / "incidents.db"
    build_database([corpus], db_path)
    new = tmp_path / "new.jsonl"
    new.write_text(json.dumps({"doc_id": "n", "title": "Akron shooting", "published": "2021-06-27", "source": "x.com",
                               "text": "AKRON, Ohio — A 40-year-old man was shot in Akron on 2021-06-27."}) + "\n",
                   encoding="utf-8")
    (lead, *_) = run_pipeline([new]).mentions
    db = open_for_update(db_path)
    try:
        incident_of = dict(db.execute("select a.doc_id, m.incident_id from mentions m "
                                      "join articles a on a.id = m.article_id"))
        assert len(set(incident_of.values())) == 4
        ctx = read_context(db, [lead], window_days=31, per_mention=2)
    finally:
        db.close()
    assert set(ctx.incident_of.values()) == {incident_of["d3"], incident_of["d2"]}


def test_stored_evidence_is_relabelled_by_the_incidents_its_reports_are_in_now(tmp_path, sample_db):
    db_path = tmp_path / "incidents.db"
    shutil.copy(sample_db, db_path)
    conn = sqlite3.connect(db_path)
    rows = {d: conn.execute("select left_mention_id, right_mention_id from match_evidence where decision = ? "
                            "order by 1, 2 limit 1", (d,)).fetchone() for d in ("merged", "kept-apart", "cannot-link")}
    assert all(rows.values())
    # An update merges the kept-apart pair's two incidents and clusters the merged pair's reports apart.
    (kept_left,) = conn.execute("select incident_id from mentions where id = ?", (rows["kept-apart"][0],)).fetchone()
    conn.execute("update mentions set incident_id = ? where id = ?", (kept_left, rows["kept-apart"][1]))
    (lone,) = conn.execute("select id from incidents where id not in (select incident_id from mentions "
                           "where id in (?, ?)) limit 1", rows["merged"]).fetchone()
    conn.execute("update mentions set incident_id = ? where id = ?", (lone, rows["merged"][1]))
    cannot = {r[0] for r in conn.execute("select incident_id from mentions where id in (?, ?)", rows["cannot-link"])}
    conn.execute("update mentions set incident_id = ? where id in (?, ?)", (min(cannot), *rows["cannot-link"]))
    relabel_evidence(conn, sorted({*rows["kept-apart"], *rows["merged"], *rows["cannot-link"]}))
    decision = {d: conn.execute("select decision from match_evidence where left_mention_id = ? and "
                                "right_mention_id = ?", pair).fetchone()[0] for d, pair in rows.items()}
    assert decision == {"merged": "kept-apart", "kept-apart": "merged", "cannot-link": "cannot-link"}
    assert stale_facet_counts(sqlite_utils.Database(conn), FACET_COUNTS) == []
    conn.close()


@pytest.mark.parametrize("side", ["left_mention_id", "right_mention_id"])
def test_relabelling_reads_only_the_pairs_of_its_reports(sample_db, side):
    conn = sqlite3.connect(sample_db)
    plan = " ".join(r[3] for r in conn.execute("explain query plan " + relabel_statement(side, 2), ("a", "b")))
    conn.close()
    # Pairs are found by the mention's own key or index, never by reading every pair of a decision.
    assert f"({side}=?)" in plan and "decision" not in plan.split("CORRELATED")[0]


def test_the_crowd_reads_every_stored_lead_whose_time_is_in_the_span(tmp_path):
    # Dated reports are placed in time by their date, undated ones by their publication day (sort_time).
    rows = [{"doc_id": f"d{n}", "title": f"Shooting in Akron {n}", "published": published, "source": f"s{n}.com",
             "text": f"AKRON, Ohio — Police said a {20 + n}-year-old man was shot and wounded in Akron{when}."}
            for n, (published, when) in enumerate([
                ("2021-06-12", " on 2021-06-10"),  # dated inside
                ("2021-06-12", " on 2021-03-02"),  # dated long before, published inside
                ("2021-06-14", ""),                # undated, published inside
                ("2021-09-01", ""),                # undated, published after
                ("2021-09-03", " on 2021-06-15"),  # dated inside, published after
            ])]
    corpus = tmp_path / "old.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db_path = tmp_path / "incidents.db"
    build_database([corpus], db_path)
    db = open_for_update(db_path)
    try:
        (city,) = {r[0] for r in db.execute("select place_id from mentions where position = 0")}
        found = {r["article_id"] for r in read_city_leads(db, {city: ("2021-06-05", "2021-06-20")})}
        doc = dict(db.execute("select id, doc_id from articles"))
        # The leads of incidents the caller holds every report of are not read again.
        incident = {doc[a]: iid for a, iid in db.execute("select article_id, incident_id from mentions")}
        held = {incident["d2"]}
        unheld = {r["article_id"] for r in read_city_leads(db, {city: ("2021-06-05", "2021-06-20")}, held)}
    finally:
        db.close()
    assert {doc[a] for a in found} == {"d0", "d2", "d4"}
    assert {doc[a] for a in unheld} == {d for d in ("d0", "d4") if incident[d] not in held} != set()


def test_the_crowd_reads_publication_days_from_indexes_not_article_rows(tmp_path, sample_db):
    db_path = tmp_path / "incidents.db"
    shutil.copy(sample_db, db_path)
    db = open_for_update(db_path)
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        (city,) = db.execute("select place_id from mentions where position = 0 and place_id is not null "
                             "order by place_id limit 1").fetchone()
        read_city_leads(db, {city: ("2022-01-01", "2022-01-31")})
        db.conn.set_trace_callback(None)
        (published,) = [s for s in statements if "published" in s]
        # The trace has the statement with its values in place.
        plan = " ".join(r[3] for r in db.execute("explain query plan " + published))
    finally:
        db.close()
    # An undated lead's publication day comes from the article index: an article's row holds its text.
    assert f"COVERING INDEX {index_name('articles', ARTICLE_INDEX)}" in plan
    assert f"INDEX {index_name('mentions', PLACE_INDEX)}" in plan and "SCAN" not in plan


def test_an_update_drops_the_indexes_a_newer_one_covers(tmp_path, sample_db):
    db_path = tmp_path / "incidents.db"
    shutil.copy(sample_db, db_path)
    conn = sqlite3.connect(db_path)
    # As a database built before the place index held the article and the facet indexes their sort.
    older = [("mentions", PLACE_INDEX[:5]), ("mentions", ["place_id"]), ("match_evidence", ["decision"])]
    conn.execute(f"drop index [{index_name('mentions', PLACE_INDEX)}]")
    for table, cols in older:
        conn.execute(f"create index [{index_name(table, cols)}] on {table} ({', '.join(cols)})")
    # An index of the user's own is theirs to keep, whatever its columns.
    conn.execute("create index my_decisions on match_evidence (decision)")
    conn.commit()
    conn.close()
    open_for_update(db_path).close()
    names = {r[0] for r in sqlite3.connect(db_path).execute("select name from sqlite_master where type = 'index'")}
    assert index_name("mentions", PLACE_INDEX) in names and "my_decisions" in names
    assert not names & {index_name(table, cols) for table, cols in older}


def test_the_database_s_incident_ids_are_looked_up_one_at_a_time(sample_db):
    db = sqlite_utils.Database(sample_db)
    (iid,) = db.execute("select id from incidents order by id limit 1").fetchone()
    ids = StoredIncidentIds(db)
    assert iid in ids and "i000000000000" not in ids


def test_an_update_that_would_leave_a_report_without_an_incident_writes_nothing(tmp_path, sample_db):
    db_path = tmp_path / "incidents.db"
    shutil.copy(sample_db, db_path)
    db = open_for_update(db_path)
    (iid,) = db.execute("select id from incidents order by id limit 1").fetchone()
    before = db.execute("select count(*) from incidents").fetchone()[0]
    try:
        # Replacing an incident with a record that names none of its stored reports.
        with pytest.raises(UpdateError, match="without an incident"):
            apply_update(db, articles=[], mentions=[], moved={}, incidents=[], absorbed=[iid], pairs=[],
                         places=[], errors=[], redirects={}, corpus=CorpusStats(set(), {}, 0), info={"mode": "update"},
                         sources={}, touched_articles=set())
        assert db.execute("select count(*) from incidents").fetchone()[0] == before
        assert db.execute("select count(*) from mentions where incident_id is null").fetchone()[0] == 0
    finally:
        db.close()


def test_an_update_counts_the_articles_with_a_report(sample_db):
    db = sqlite_utils.Database(sample_db)
    with_reports = db.execute("select count(*) from articles where mention_count > 0").fetchone()[0]
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    assert read_stored(db).documents == with_reports > 0
    db.conn.set_trace_callback(None)
    (count,) = [s for s in statements if "count(" in s]
    # Not on the articles table, whose rows hold the text.
    assert "COVERING INDEX" in " ".join(r[3] for r in db.execute("explain query plan " + count))


def test_the_outlets_of_stored_leads_are_read_from_the_article_index(sample_db):
    db = sqlite_utils.Database(sample_db)
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    assert stored_lead_places(db)
    db.conn.set_trace_callback(None)
    (query,) = [s for s in statements if "is_lead" in s]
    plan = " ".join(r[3] for r in db.execute("explain query plan " + query))
    # An article's row holds its text: a lead's outlet comes from the index.
    assert f"COVERING INDEX {index_name('articles', ARTICLE_INDEX)}" in plan
