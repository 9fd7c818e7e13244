"""Reading from and writing into an existing database for `--update`.

A full build writes a new file and renames it over the old one. An update
cannot (a Datasette serving the file would keep the old copy, and the point
is that the cost follows the new input), so it changes the file in place,
in one transaction, in WAL mode: readers keep seeing the previous state until
the commit, then all of the new one, and a killed update leaves the database
as it was (SQLite rolls the unfinished transaction back on next open).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from ..blocking import NARROW_DAYS, UNDATED, sort_time
from ..models import Article, CorpusStats, Incident, IngestError, Mention, PairScore, Place
from . import ARTICLE_INDEX, PLACE_INDEX, ensure_db_shape, index_name, table_names, write_corpus_stats
from .rows import article_row, evidence_row, incident_row, mention_features, mention_row, place_row

BUSY_MS = 30_000  # wait this long for a lock (a reader mid-query) rather than fail


def is_incident_db(path: str | Path) -> bool:
    """True when `path` is a database this package built (it has articles and mentions)."""
    return {"articles", "mentions", "incidents"} <= (table_names(path) or set())


def incident_partition(path: str | Path) -> set[frozenset[str]]:
    """The database's incidents as sets of mention ids: how an update is compared with a full
    build of the same inputs (mention ids depend only on article text and offsets)."""
    conn = sqlite3.connect(path)
    try:
        groups: dict[str, set[str]] = {}
        for mid, iid in conn.execute("select id, incident_id from mentions"):
            groups.setdefault(iid, set()).add(mid)
        return {frozenset(g) for g in groups.values()}
    finally:
        conn.close()


def open_for_update(path: str | Path) -> sqlite_utils.Database:
    """The database in WAL mode, so that readers never wait for the update and
    never see part of it; the schema brought up to date (new tables only)."""
    conn = sqlite3.connect(str(path), timeout=BUSY_MS / 1000, isolation_level=None)
    conn.execute(f"pragma busy_timeout = {BUSY_MS}")
    conn.execute("pragma journal_mode = wal")
    db = sqlite_utils.Database(conn)
    # Autocommit connection: without an explicit transaction every DDL statement would commit on its
    # own, and a process killed between two of them would leave a schema that is neither old nor new.
    conn.execute("begin immediate")
    try:
        for column in ("boilerplate",):
            if column not in db["articles"].columns_dict:
                db["articles"].add_column(column, str)
        for column, kind in (("mode", str), ("prior", float)):
            if column not in db["build_info"].columns_dict:
                db["build_info"].add_column(column, kind)
        ensure_db_shape(db)
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise
    return db


@dataclass
class Stored:
    """What an update needs from the database besides the candidate incidents."""

    boilerplate_lines: set[str]
    redirects: dict[str, str]
    prior: float | None
    documents: int


def read_stored(db: sqlite_utils.Database) -> Stored:
    prior = db.execute("select prior from build_info where prior is not null order by id desc limit 1").fetchone()
    # The articles with a report, counted on the mentions' article index: counting them on the
    # articles table read its rows (4.4-21.8 s at a million articles, cold, against 0.4 s).
    documents = db.execute("select count(distinct article_id) from mentions").fetchone()[0]
    return Stored({r[0] for r in db.execute("select digest from boilerplate_lines")},
                  dict(db.execute("select old_id, new_id from incident_redirects").fetchall()),
                  prior[0] if prior else None, documents)


def stored_lead_places(db: sqlite_utils.Database) -> list[tuple[str | None, str, str | None]]:
    """(outlet, place id, words that named it) of every stored lead report with a place."""
    # The outlet from the article index: through the article's key, each lead read its article's row
    # (90 s at a million articles from a cold page cache).
    return db.execute("select a.source, m.place_id, m.place_text from mentions m"
                      f" join articles a indexed by [{index_name('articles', ARTICLE_INDEX)}] on a.id = m.article_id"
                      " where m.is_lead = 1 and m.place_id is not null order by m.id").fetchall()


class StoredIncidentIds:
    """The ids of the database's incidents, as a container looked up one id at a time: an update
    tests only the ids it would give new incidents, not the whole table."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def __contains__(self, iid: object) -> bool:
        return self.db.execute("select 1 from incidents where id = ?", (iid,)).fetchone() is not None


def known_article_ids(db: sqlite_utils.Database, ids: Iterable[str]) -> set[str]:
    known: set[str] = set()
    ids = list(ids)
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        known.update(r[0] for r in db.execute(
            f"select id from articles where id in ({','.join('?' * len(chunk))})", chunk))
    return known


def document_terms(db: sqlite_utils.Database, terms: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    terms = sorted(set(terms))
    for i in range(0, len(terms), 500):
        chunk = terms[i:i + 500]
        out.update(db.execute(f"select term, articles from document_terms where term in ({','.join('?' * len(chunk))})",
                              chunk).fetchall())
    return out


@dataclass
class Context:
    """Existing incidents a batch of new reports could belong to: every mention
    of each (id -> incident id) and the rows of the articles they are in."""

    incident_of: dict[str, str] = field(default_factory=dict)
    mentions: list[dict[str, Any]] = field(default_factory=list)  # rows, with their `features` JSON
    articles: list[dict[str, Any]] = field(default_factory=list)


# Incidents an update loads per new report, by place and by text. With the nearest in time first,
# 25 reproduce a full build within two incidents of what 50 unordered did (gva_pool dev 99.8%, 10,000
# generated articles over a year 98.5%, over 37 days 98.0%) in about 85% of the update's time.
CONTEXT_PER_MENTION = 25


def read_context(db: sqlite_utils.Database, mentions: list[Mention], window_days: int = 31,
                 text_terms: dict[str, list[str]] | None = None, per_mention: int = CONTEXT_PER_MENTION) -> Context:
    """Incidents with a report at the same place (or a place in it) within
    `window_days` of a new mention, and the incidents of articles whose text
    best matches a new article's distinctive terms (full-text search), at most
    `per_mention` of each per new mention. Found through indexes, so the cost
    follows the new reports, not the size of the database."""
    incidents: set[str] = set()
    for m in mentions:
        keys = {m.place.id, *(a for a in m.place.ancestors[:1] if not a.startswith(("country:", "admin1:")))} \
            if m.place is not None and m.place.kind != "country" else set()
        lo, hi = window(m, window_days)
        when = middle_day(m)
        for key in sorted(keys):
            places = places_within(db, key)
            # A busy place has more incidents in the window than the limit: the nearest in time
            # first (dated before undated), which are the ones the new report can join.
            rows = db.execute(
                f"""select m.incident_id,
                          min(abs(julianday(m.date_earliest) / 2 + julianday(m.date_latest) / 2 - julianday(?))) as gap
                   from mentions m
                   where m.place_id in ({','.join('?' * len(places))})
                     and (m.date_latest is null or ? is null or m.date_latest >= ?)
                     and (m.date_earliest is null or ? is null or m.date_earliest <= ?)
                   group by m.incident_id
                   order by gap is null, gap, m.incident_id
                   limit ?""", (when, *places, lo, lo, hi, hi, per_mention))
            incidents.update(r[0] for r in rows)
    for terms in (text_terms or {}).values():
        if not terms:
            continue
        query = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        try:
            rows = db.execute(
                """select a.primary_incident_id from articles_fts f join articles a on a.rowid = f.rowid
                   where articles_fts match ? and a.primary_incident_id is not null
                   order by f.rank limit ?""", (query, per_mention))
            incidents.update(r[0] for r in rows)
        except sqlite3.OperationalError:
            continue  # a term FTS cannot parse: the place search above still applies
    ctx = Context()
    ids = sorted(incidents)
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for row in db.query(
                "select m.*, f.features from mentions m left join mention_features f on f.mention_id = m.id "
                f"where m.incident_id in ({','.join('?' * len(chunk))}) order by m.id", chunk):
            ctx.incident_of[row["id"]] = row["incident_id"]
            ctx.mentions.append(row)
    article_ids = sorted({row["article_id"] for row in ctx.mentions})
    for i in range(0, len(article_ids), 500):
        chunk = article_ids[i:i + 500]
        ctx.articles.extend(db.query(f"select * from articles where id in ({','.join('?' * len(chunk))}) "
                                     "order by id", chunk))
    return ctx


def read_city_leads(db: sqlite_utils.Database, spans: dict[str, tuple[str, str]],
                    held: Container[str] = frozenset()) -> list[dict[str, Any]]:
    """The stored lead reports (with their features) placed in each city of `spans`, or in a
    place whose parent it is, whose time (blocking.sort_time) can lie between the span's two ISO
    days: what the crowds of an update's working set are counted against (dedupe.crowding). A
    report dated to within two months has its time in its date, so its date must meet the span;
    any other, its publication day (one whose wide date meets the span is read too, and crowding
    places it by its time). Not the leads of the incidents in `held`: the caller has all their
    reports already. The dates, publication days and incidents are read from the place and article
    indexes (store.PLACE_INDEX, ARTICLE_INDEX), and only the rows of the leads kept after that:
    the cost follows the cities the new reports touch, not how many reports each holds."""
    found: set[int] = set()
    for city, (lo, hi) in sorted(spans.items()):
        places = places_within(db, city)
        marks = ",".join("?" * len(places))
        # Named: without statistics the planner takes the article's key, which reads its row.
        dated = db.execute(
            f"""select m.rowid, m.incident_id from mentions m indexed by [{index_name("mentions", PLACE_INDEX)}]
               where m.place_id in ({marks}) and m.date_latest >= ? and m.date_earliest <= ? and m.position = 0""",
            (*places, lo, hi))
        published = db.execute(
            f"""select m.rowid, m.incident_id from mentions m indexed by [{index_name("mentions", PLACE_INDEX)}]
               join articles a indexed by [{index_name("articles", ARTICLE_INDEX)}] on a.id = m.article_id
               where m.place_id in ({marks}) and m.position = 0
                 and (m.date_earliest is null or m.date_latest is null
                      or julianday(m.date_latest) - julianday(m.date_earliest) > {NARROW_DAYS})
                 and substr(a.published, 1, 10) between ? and ?""", (*places, lo, hi))
        found.update(rowid for rowid, incident in (*dated, *published) if incident not in held)
    rows: list[dict[str, Any]] = []
    keep = sorted(found)
    for i in range(0, len(keep), 500):
        chunk = keep[i:i + 500]
        rows.extend(db.query("select m.*, f.features from mentions m left join mention_features f "
                             f"on f.mention_id = m.id where m.rowid in ({','.join('?' * len(chunk))})", chunk))
    return sorted(rows, key=lambda r: r["id"])


def places_within(db: sqlite_utils.Database, place_id: str) -> list[str]:
    """The place and the places whose parent it is (a city's sites), through the key and the
    parent index: a join on either side of an OR would scan every report instead."""
    found = [r[0] for r in db.execute("select id from places where id = ? or parent_id = ? order by id",
                                      (place_id, place_id))]
    return found or [place_id]


def middle_day(m: Mention) -> str | None:
    """The ISO day in the middle of a report's date (blocking.sort_time: its publication day
    when the date is unknown or wide); None when neither is known."""
    t = sort_time(m)
    return dt.date.fromordinal(int(t)).isoformat() if t < UNDATED else None


def window(m: Mention, days: int) -> tuple[str | None, str | None]:
    d = m.date
    if d.earliest is None or d.latest is None:
        return None, None
    pad = dt.timedelta(days=days)
    return (d.earliest - pad).isoformat(), (d.latest + pad).isoformat()


def apply_update(
    db: sqlite_utils.Database,
    *,
    articles: list[Article],
    mentions: list[Mention],
    moved: dict[str, str],
    incidents: list[Incident],
    absorbed: Iterable[str],
    pairs: list[PairScore],
    places: Iterable[Place],
    errors: list[IngestError],
    redirects: dict[str, str],
    corpus: CorpusStats,
    info: dict[str, Any],
    sources: dict[str, str | None],
    touched_articles: Iterable[str] = (),
) -> None:
    """Everything an update changes, in one transaction (all or nothing).

    `incidents` are the new and changed incidents (complete records), `moved`
    the existing mentions of those incidents (mention id -> incident id), `absorbed` the ids of
    incidents merged into others, `sources` the outlet of every article of
    the changed incidents, `touched_articles` the existing articles whose
    mentions changed incident."""
    conn = db.conn
    conn.execute("begin immediate")  # take the write lock now: readers go on reading the committed state
    try:
        db["places"].insert_all((place_row(p) for p in sorted(places, key=lambda p: p.id)), ignore=True)
        gone = sorted({*absorbed, *(i.id for i in incidents)})
        for i in range(0, len(gone), 500):
            chunk = gone[i:i + 500]
            marks = ",".join("?" * len(chunk))
            conn.execute(f"delete from claims where incident_id in ({marks})", chunk)
            conn.execute(f"update articles set primary_incident_id = null where primary_incident_id in ({marks})",
                         chunk)
            conn.execute(f"update mentions set incident_id = null where incident_id in ({marks})", chunk)
            conn.execute(f"delete from incidents where id in ({marks})", chunk)
        db["incidents"].insert_all(incident_row(i, sources) for i in incidents)
        per_article: dict[str, int] = {}
        for m in mentions:
            per_article[m.article_id] = per_article.get(m.article_id, 0) + 1
        db["articles"].insert_all(article_row(a, None, per_article.get(a.id, 0))
                                  for a in sorted(articles, key=lambda a: a.id))
        db["mentions"].insert_all(mention_row(m) for m in sorted(mentions, key=lambda m: m.id))
        db["mention_features"].insert_all({"mention_id": m.id, "features": mention_features(m)}
                                          for m in sorted(mentions, key=lambda m: m.id))
        conn.executemany("update mentions set incident_id = ? where id = ?",
                         [(iid, mid) for mid, iid in sorted(moved.items())])
        touched = sorted({m.article_id for m in mentions} | set(touched_articles))
        for i in range(0, len(touched), 500):
            chunk = touched[i:i + 500]
            conn.execute(
                "update articles set primary_incident_id = (select incident_id from mentions m "
                "where m.article_id = articles.id order by m.position limit 1) "
                f"where id in ({','.join('?' * len(chunk))})", chunk)
        db["claims"].insert_all(
            {"incident_id": c.incident_id, "field": c.field, "value": c.value, "mention_id": c.mention_id,
             "article_id": c.article_id, "attribution": c.attribution, "source": sources.get(c.article_id)}
            for i in incidents for c in i.claims)
        db["match_evidence"].insert_all(
            (evidence_row(p) for p in sorted(pairs, key=lambda p: (p.left_id, p.right_id))), replace=True)
        relabel_evidence(conn, sorted(moved))
        db["ingest_errors"].insert_all({"path": e.path, "line": e.line, "reason": e.reason} for e in errors)
        db["incident_redirects"].insert_all(({"old_id": k, "new_id": v} for k, v in sorted(redirects.items())),
                                            replace=True)
        write_corpus_stats(db, corpus, replace=True)
        info = {**info, "id": (conn.execute("select coalesce(max(id), 0) + 1 from build_info").fetchone()[0])}
        db["build_info"].insert(info)
        check_every_report_placed(conn)
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise


class UpdateError(RuntimeError):
    """An update that would leave the database inconsistent: it is rolled back instead."""


def check_every_report_placed(conn: sqlite3.Connection) -> None:
    """Every report is in an incident. One left out (its incident replaced by one the update built
    without it) would vanish from every page: better no update than that."""
    lost = [r[0] for r in conn.execute("select id from mentions where incident_id is null order by id limit 5")]
    if lost:
        raise UpdateError(f"the update would leave reports without an incident ({', '.join(lost)}); "
                          "nothing was written")


def relabel_evidence(conn: sqlite3.Connection, mention_ids: list[str]) -> None:
    """The stored evidence of these (existing) mentions, labelled by the incidents they are in
    now: a pair of two stored reports is not scored again, and its row would otherwise say
    'kept-apart' for two incidents the update merged, or 'merged' for one it clustered again.
    Cannot-links and analysts' labels stand."""
    for i in range(0, len(mention_ids), 500):
        chunk = mention_ids[i:i + 500]
        for side in ("left_mention_id", "right_mention_id"):
            conn.execute(relabel_statement(side, len(chunk)), chunk)


def relabel_statement(side: str, count: int) -> str:
    """relabel_evidence's statement for `count` mention ids on one `side` of the pairs. `+decision`:
    through the decision index, SQLite would read every merged and kept-apart pair (2.6 s a chunk
    at 100,000 articles) instead of the chunk's pairs."""
    now = ("case when (select incident_id from mentions where id = left_mention_id)"
           " = (select incident_id from mentions where id = right_mention_id) then 'merged' else 'kept-apart' end")
    return (f"update match_evidence set decision = {now} where {side} in ({','.join('?' * count)})"
            f" and +decision in ('merged', 'kept-apart') and decision != {now}")
