"""`--update`: new articles added in place, with the incidents a full build would give."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
import sqlite_utils

from dedupe.incremental import crowd_spans, distinctive_terms, update_database
from dedupe.models import Place
from dedupe.pipeline import SAMPLE_DIR, build_database
from dedupe.store import FACET_COUNTS
from dedupe.store.facet_counts import stale_facet_counts
from dedupe.store.update import incident_partition as clusters
from tests.helpers import day, make_mention

SAMPLE = sorted(SAMPLE_DIR.glob("*.txt"))


def check_consistent(path) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert conn.execute("pragma foreign_key_check").fetchall() == []
        assert conn.execute("select count(*) from mentions where incident_id is null").fetchone()[0] == 0
        assert conn.execute("select count(*) from incidents where id not in "
                            "(select incident_id from mentions)").fetchone()[0] == 0
        assert conn.execute("select count(*) from articles where primary_incident_id is null "
                            "and mention_count > 0").fetchone()[0] == 0
        # Each incident's counts agree with its reports.
        assert conn.execute("""select count(*) from incidents i where article_count !=
                               (select count(distinct article_id) from mentions m where m.incident_id = i.id)"""
                            ).fetchone()[0] == 0
        # Each pair's evidence says what became of it: 'merged' within one incident, 'kept-apart' across two.
        assert conn.execute("""select count(*) from match_evidence e
                               join mentions l on l.id = e.left_mention_id join mentions r on r.id = e.right_mention_id
                               where (e.decision = 'merged') != (l.incident_id = r.incident_id)
                                 and e.decision in ('merged', 'kept-apart')""").fetchone()[0] == 0
        # The triggers kept the whole-table facet counts (dedupe.store.facet_counts).
        assert stale_facet_counts(sqlite_utils.Database(conn), FACET_COUNTS) == []
        # The full-text index follows the new rows.
        assert conn.execute("select count(*) from articles_fts").fetchone()[0] == \
            conn.execute("select count(*) from articles").fetchone()[0]
    finally:
        conn.close()


def split(tmp_path, held_out: int):
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    for n, f in enumerate(SAMPLE):
        shutil.copy(f, new if n == held_out else old)
    return old, new


# Sample article 0 is the original of the wire copy 1: without it, the four-article build joins two
# reports that the full build, with 0's evidence, separates; an update splits an existing incident
# only where the new reports change its crowd level.
@pytest.mark.parametrize("held_out", range(1, len(SAMPLE)))
def test_an_update_gives_the_incidents_of_a_full_build(tmp_path, held_out):
    old, new = split(tmp_path, held_out)
    db = tmp_path / "incidents.db"
    build_database([old], db)
    before = sqlite3.connect(db).execute("select id from incidents").fetchall()
    result, info = update_database([new], db)
    assert info["articles"] == 1 and info["skipped"] == 0
    full = tmp_path / "full.db"
    build_database([old, new], full)
    assert clusters(db) == clusters(full)
    check_consistent(db)
    conn = sqlite3.connect(db)
    # Old incidents keep their ids (or redirect); the update is one more build_info row.
    ids = {r[0] for r in conn.execute("select id from incidents")}
    redirects = dict(conn.execute("select old_id, new_id from incident_redirects"))
    assert all(i in ids or redirects.get(i) in ids for (i,) in before)
    assert [r[0] for r in conn.execute("select mode from build_info order by id")] == ["build", "update"]
    assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_an_update_grows_incidents_but_never_splits_them(tmp_path):
    # No report of the sample changes its crowd level (see the crowd tests below), so nothing splits.
    old, new = split(tmp_path, 0)
    db = tmp_path / "incidents.db"
    build_database([old], db)
    before = clusters(db)
    update_database([new], db)
    after = clusters(db)
    assert all(any(group <= grown for grown in after) for group in before)
    full = tmp_path / "full.db"
    build_database([old, new], full)
    assert len(after & clusters(full)) >= 0.8 * len(clusters(full))
    check_consistent(db)


def test_known_articles_are_skipped_and_change_nothing(tmp_path):
    db = tmp_path / "incidents.db"
    build_database(None, db)
    dump = lambda: sorted(sqlite3.connect(db).execute("select * from incidents").fetchall())  # noqa: E731
    before = dump()
    result, info = update_database([SAMPLE_DIR], db)
    assert info["articles"] == 0 and info["skipped"] == len(SAMPLE)
    assert result.incidents == [] and dump() == before
    check_consistent(db)
    assert [r[0] for r in sqlite3.connect(db).execute("select mode from build_info")] == ["build"]


def test_an_update_without_a_database_is_a_full_build(tmp_path):
    db = tmp_path / "new.db"
    _, info = update_database(None, db)
    assert info["mode"] == "build" and info["articles"] == len(SAMPLE)
    assert clusters(db)


def test_a_failed_update_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    old, new = split(tmp_path, 0)
    db = tmp_path / "incidents.db"
    build_database([old], db)
    before = db.read_bytes()
    import dedupe.store.update as store_update

    def fail(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store_update, "write_corpus_stats", fail)  # the last step before the commit
    with pytest.raises(RuntimeError):
        update_database([new], db)
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from articles").fetchone()[0] == len(SAMPLE) - 1
    assert [r[0] for r in conn.execute("select mode from build_info")] == ["build"]
    conn.close()
    check_consistent(db)
    assert len(before) > 0


def test_stored_reports_score_exactly_as_the_originals(sample_db, sample_result):
    import itertools

    from dedupe.comparisons import load_model
    from dedupe.incremental import mention_from_row
    from dedupe.matching import score_pair, weigh_documents
    from dedupe.places import Gazetteer

    conn = sqlite3.connect(sample_db)
    conn.row_factory = sqlite3.Row
    rows = [dict(r) for r in conn.execute(
        "select m.*, f.features from mentions m join mention_features f on f.mention_id = m.id")]
    conn.close()
    rebuilt = [mention_from_row(r, Gazetteer.default()) for r in rows]
    weigh_documents(rebuilt)
    original = {m.id: m for m in sample_result.mentions}
    assert len(rebuilt) == len(original)
    model = load_model()
    for a, b in itertools.combinations(rebuilt, 2):
        again, first = score_pair(a, b, model), score_pair(original[a.id], original[b.id], model)
        assert (again.score, again.components, again.hard_conflict) == \
            (first.score, first.components, first.hard_conflict)


def test_a_copy_keeps_its_id_whichever_file_brings_it(tmp_path):
    # Two records with one text (a syndicated story, a sign-in wall) share a text hash; the second
    # copy's id must not depend on the file or line it came from, or splitting a corpus into a base
    # and an update would give its reports new ids.
    text = "A man was shot and killed on Elm Street in Gary, Indiana, on Sunday night, police said."
    rows = [json.dumps({"doc_id": d, "title": "Man killed in Gary", "published": "2016-05-02", "text": text})
            for d in ("a1", "b2")]
    whole = tmp_path / "whole.jsonl"
    whole.write_text("\n".join(rows) + "\n")
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    second.write_text(rows[0] + "\n")
    first.write_text(rows[1] + "\n")

    def ids(db):
        return sorted(r[0] for r in sqlite3.connect(db).execute("select id from articles"))

    build_database([whole], tmp_path / "a.db")
    build_database([first, second], tmp_path / "b.db")
    assert len(ids(tmp_path / "a.db")) == 2
    assert ids(tmp_path / "a.db") == ids(tmp_path / "b.db")


def test_the_stored_reports_a_crowd_counts_are_looked_for_within_its_days() -> None:
    # A stored report counts when its time (the middle of a narrow date, else its publication
    # day) is within `days` of a report of the working set: its date or publication day meets the span.
    city = Place("geonames:99", "Ramadi", "city", "Anbar", "IQ", 33.4, 43.3, ("admin1:IQ.01", "country:IQ"))
    site = Place("site:bridge", "Bridge", "site", "Anbar", "IQ", 33.4, 43.3, ("geonames:99", "admin1:IQ.01", "country:IQ"))
    work = [make_mention("m1", "a1", place=city, date=day("2021-06-10")),
            make_mention("m2", "a2", place=site, published="2021-06-20"),
            make_mention("m3", "a3", place=None, date=day("2021-06-10"))]
    assert crowd_spans(work, 7) == {"geonames:99": ("2021-06-03", "2021-06-27")}


def crowd_sensitive_model(tmp_path):
    """comparisons.yml with one crowd level: a report with two other articles' reports in its city
    and week is pushed far apart from every other (a toy of what a dense stream's crowds do)."""
    text = (Path(__file__).resolve().parents[1] / "dedupe" / "data" / "comparisons.yml").read_text(encoding="utf-8")
    levels = text.index("    levels:", text.index("  crowd:"))
    end = text.index("      - {level: not_applicable", levels)
    path = tmp_path / "comparisons.yml"
    path.write_text(text[:levels] + "    levels:\n      - {level: crowded, min: 2, weight: -30.0}\n"
                    "      - {level: alone, min: 0, weight: 0.0}\n" + text[end:], encoding="utf-8")
    return path


def akron_stream(tmp_path):
    """Two reports of one Akron shooting, then a third article on another Akron shooting that week."""
    old = [{"doc_id": "a1", "title": "Man shot on Elm Street", "published": "2021-06-07", "source": "a.com",
            "text": "AKRON, Ohio — A 23-year-old man was shot and wounded on Elm Street in Akron on Sunday night, "
                    "police said. He was taken to a hospital."},
           {"doc_id": "a2", "title": "Akron man wounded in Sunday shooting", "published": "2021-06-08",
            "source": "b.com", "text": "AKRON, Ohio — Police in Akron are looking for the gunman who shot a "
                                       "23-year-old man on Elm Street on Sunday night."}]
    new = [{"doc_id": "a3", "title": "Woman shot in Akron", "published": "2021-06-09", "source": "c.com",
            "text": "AKRON, Ohio — A woman was shot and wounded in Akron on Tuesday afternoon, police said."}]
    paths = tmp_path / "old.jsonl", tmp_path / "new.jsonl"
    for path, rows in zip(paths, (old, new), strict=True):
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return paths


def test_an_incident_whose_crowd_the_new_reports_change_is_clustered_again(tmp_path):
    # The new article makes the old reports' city and week crowded: a full build keeps them apart,
    # and so must the update, though it never splits an incident otherwise.
    comparisons = crowd_sensitive_model(tmp_path)
    old, new = akron_stream(tmp_path)
    db, full = tmp_path / "incidents.db", tmp_path / "full.db"
    build_database([old], db, comparisons=comparisons)
    assert len(clusters(db)) == 1
    update_database([new], db, comparisons=comparisons)
    build_database([old, new], full, comparisons=comparisons)
    assert clusters(db) == clusters(full) and len(clusters(full)) == 3
    check_consistent(db)


def test_an_incident_an_analyst_decided_is_kept_whatever_its_crowd(tmp_path):
    comparisons = crowd_sensitive_model(tmp_path)
    old, new = akron_stream(tmp_path)
    db = tmp_path / "incidents.db"
    build_database([old], db, comparisons=comparisons)
    (pair,) = clusters(db)
    decisions = tmp_path / "decisions.yml"
    decisions.write_text(f"- must_link: [{', '.join(sorted(pair))}]\n", encoding="utf-8")
    build_database([old], db, comparisons=comparisons, decisions=decisions)
    update_database([new], db, comparisons=comparisons)
    assert pair in clusters(db)


def test_the_text_search_looks_for_names_first_and_never_for_words_most_articles_have() -> None:
    lead = make_mention("m1")
    # The words of a name are words of the article too.
    words = {"maple": 1, "court": 1, "brosby": 1, "avenue": 1}
    terms = {"maple court": 1, "hollis": 2, "canvassed": 3, "next": 1, "shooting": 4, "brosby avenue": 1, **words}
    lead.features["doc_terms"] = terms
    common = Counter(dict.fromkeys(words, 3_000))
    df = Counter({"maple court": 3, "hollis": 40, "canvassed": 700, "next": 2_000, "shooting": 9_000,
                  "brosby avenue": 12}) + common
    # At 10,000 articles, a term in more than 1% of them names no incident and is slow to search.
    assert distinctive_terms(lead, df, 10_000) == ["maple court", "brosby avenue", "hollis"]
    # A small corpus still searches its names: at most 50 articles or 1%, whichever is more.
    assert distinctive_terms(lead, Counter({"hollis": 40, "next": 60}) + common, 300) == [
        "brosby avenue", "maple court", "shooting", "canvassed", "hollis"]
    # A large corpus searches no term in more than 1,000 articles, however small a share that is.
    assert distinctive_terms(lead, df, 1_000_000) == ["maple court", "brosby avenue", "hollis", "canvassed"]


def test_the_text_search_skips_a_name_with_a_word_the_article_does_not_count() -> None:
    # 'Road In' and 'On Main' from a title-case headline: a phrase with 'in' reads every article.
    lead = make_mention("m1")
    lead.features["doc_terms"] = {"road in": 2, "on main": 2, "main": 1, "road": 1, "oak road": 2, "oak": 1}
    df = Counter({"road in": 3, "on main": 5, "oak road": 8, "main": 400, "road": 900, "oak": 700})
    assert distinctive_terms(lead, df, 1_000_000) == ["oak road", "main", "oak", "road"]
