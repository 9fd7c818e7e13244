"""The only module that touches SQLite.

Schema intent lives in the constants below (tables, foreign keys, full-text
search, views), applied by one idempotent `ensure_db_shape(db)` in the manner
of the dogsheep tools. A build writes a new file beside the target and
atomically renames it over the target, so the database a user serves is
never half-written.
"""

from __future__ import annotations

import glob
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import sqlite_utils

from ..decisions import Decision, StaleDecision
from ..identity import Previous
from ..models import Article, CorpusStats, Incident, IngestError, Mention, PairScore, Place
from .facet_counts import ensure_facet_counts
from .rows import (
    article_row,
    decision_rows,
    evidence_row,
    incident_row,
    insert_rows,
    mention_features,
    mention_row,
    place_row,
)

# name -> (columns, pk, foreign keys as (column, other table, other column))
TABLES: dict[str, tuple[dict[str, type], str | tuple[str, ...], list[tuple[str, str, str]]]] = {
    "places": (
        {"id": str, "name": str, "kind": str, "admin1": str, "country": str, "latitude": float,
         "longitude": float, "parent_id": str},
        "id",
        [],
    ),
    "incidents": (
        {"id": str, "title": str, "date": str, "date_earliest": str, "date_latest": str, "date_precision": str,
         "weekday": str, "year": int, "year_month": str, "place_id": str, "place_name": str, "admin1": str,
         "country": str, "latitude": float, "longitude": float, "event_type": str, "weapon": str,
         "quantity": int, "outcome": str, "killed": int, "killed_low": int, "killed_high": int,
         "injured": int, "injured_low": int, "injured_high": int, "assumed_zero": str, "article_count": int,
         "source_count": int,
         "disputed": str, "outlets": str},
        "id",
        [("place_id", "places", "id")],
    ),
    "articles": (
        {"id": str, "doc_id": str, "path": str, "line": int, "source": str, "title": str, "url": str,
         "published": str, "published_precision": str, "byline": str, "dateline": str, "text": str,
         "primary_incident_id": str, "duplicate_of": str, "mention_count": int, "extra": str,
         "boilerplate": str},
        "id",
        [("primary_incident_id", "incidents", "id"), ("duplicate_of", "articles", "id")],
    ),
    "mentions": (
        {"id": str, "article_id": str, "incident_id": str, "sentence": str, "start": int, "end": int,
         "event_type": str, "weapon": str, "quantity": int, "place_id": str, "place_text": str,
         "date_earliest": str, "date_latest": str, "date_text": str, "weekday": str, "outcome": str,
         "outcome_text": str, "killed": int, "injured": int, "attribution": str, "position": int,
         "is_lead": int},
        "id",
        [("article_id", "articles", "id"), ("incident_id", "incidents", "id"), ("place_id", "places", "id")],
    ),
    "claims": (
        {"id": int, "incident_id": str, "field": str, "value": str, "mention_id": str, "article_id": str,
         "attribution": str, "source": str},
        "id",
        [("incident_id", "incidents", "id"), ("mention_id", "mentions", "id"), ("article_id", "articles", "id")],
    ),
    # Kept apart from `mentions` so its pages stay readable: word counts run to kilobytes.
    "mention_features": (
        {"mention_id": str, "features": str},
        "mention_id",
        [("mention_id", "mentions", "id")],
    ),
    "match_evidence": (
        {"left_mention_id": str, "right_mention_id": str, "score": float, "probability": float,
         "components": str, "decision": str, "hard_conflict": str},
        ("left_mention_id", "right_mention_id"),
        [("left_mention_id", "mentions", "id"), ("right_mention_id", "mentions", "id")],
    ),
    "incident_redirects": (
        {"old_id": str, "new_id": str},
        "old_id",
        [("new_id", "incidents", "id")],
    ),
    "ingest_errors": (
        {"id": int, "path": str, "line": int, "reason": str},
        "id",
        [],
    ),
    "decisions": (
        {"id": int, "kind": str, "ids": str, "note": str, "by": str, "status": str, "reason": str, "line": int},
        "id",
        [],
    ),
    # Corpus statistics an --update needs and cannot recompute from its new articles alone.
    "boilerplate_lines": (
        {"digest": str},
        "digest",
        [],
    ),
    "document_terms": (
        {"term": str, "articles": int},
        "term",
        [],
    ),
    # Facet counts of whole tables, kept by triggers (FACET_COUNTS below, dedupe/store/facet_counts.py).
    "facet_counts": (
        {"table_name": str, "facet": str, "value": bytes, "count": int},  # BLOB: no affinity, values keep their type
        ("table_name", "facet", "value"),
        [],
    ),
    # The same under each value of each column facet (a page filtered by one facet value).
    "filtered_facet_counts": (
        {"table_name": str, "filter": str, "filter_value": bytes, "facet": str, "value": bytes, "count": int},
        ("table_name", "filter", "filter_value", "facet", "value"),
        [],
    ),
    "counted_facets": (
        {"table_name": str, "facet": str, "kind": str},
        ("table_name", "facet"),
        [],
    ),
    "build_info": (
        {"id": int, "version": str, "built_at": str, "mode": str, "inputs": str, "articles": int,
         "mentions": int, "incidents": int, "disputed": int, "errors": int, "seconds": float,
         "vocabulary": str, "comparisons": str, "decisions": int, "prior": float},
        "id",
        [],
    ),
}

FTS = {"articles": ["title", "text"], "mentions": ["sentence"]}

# The facets metadata.yml configures, counted for whole tables by triggers so that an unfiltered
# table page reads them instead of counting (facet_counts.py; tests/test_datasette.py checks the two
# agree): table -> column -> "column" or "array" (a JSON array, each row counted once per value).
FACET_COUNTS = {
    "incidents": {"event_type": "column", "weapon": "column", "outcome": "column", "place_name": "column",
                  "country": "column", "admin1": "column", "year": "column", "year_month": "column",
                  "disputed": "array", "outlets": "array"},
    "articles": {"source": "column", "published_precision": "column"},
    "mentions": {"event_type": "column", "weapon": "column", "outcome": "column"},
    "claims": {"field": "column", "source": "column"},
    "places": {"kind": "column", "country": "column"},
    "match_evidence": {"decision": "column", "hard_conflict": "column"},
    "decisions": {"kind": "column", "status": "column"},
}

# A page filtered on facets of two columns (`?event_type=shooting&weapon=gun`, a second click on a
# facet value) is counted live: its rows read once and grouped once a facet (plugins/table_facets.py).
# Read from the rows, that is the whole row of each match (at a million articles 258,201 incidents,
# about 1.2 s). This index holds every column those counts read, the column and array facets and the
# key, so the plugin reads them from it instead, a range of it when the page filters its first
# column and the whole of it, narrow, when the filters match much of the table.
FACET_INDEXES = {table: [*FACET_COUNTS[table], "id"] for table in ("incidents", "mentions")}

# Every column Datasette filters, sorts or facets on (metadata.yml: facets, sort, sort_desc, label
# lookups, canned queries) is the first column of an index; tests/test_datasette.py checks it. A
# faceted column's index goes on in its table's default sort, so that a page filtered to one value
# (a click on a facet value) reads its first rows in order from the index: at a million articles,
# incidents?country=US sorted 448,456 rows by date for 0.59 s to show 50.
#
# A report's place index goes on with what an `--update` tests of the stored reports of a place (its
# dates, whether it leads, its incident, its article: store.update.read_context, read_city_leads), so
# those tests read the index alone: at a million articles, reading the rows of a big city's reports
# from disk took most of an update's time. What an update reads of a stored article besides its text
# is read from the article index (id, published, source), not from the article's row, which holds
# the text: an undated lead is placed in time by its article's publication day (the crowd of 300
# cities read 7,944 such leads in 28.7 s through the rows, 2.2 s through the indexes), and each lead's
# outlet is counted for the outlets' home places (store.update.stored_lead_places).
PLACE_INDEX = ["place_id", "date_latest", "date_earliest", "position", "incident_id", "article_id"]
ARTICLE_INDEX = ["id", "published", "source"]
INDEXES = {
    "mentions": [["article_id"], ["incident_id"], PLACE_INDEX, ["event_type", "article_id"],
                 ["weapon", "article_id"], ["outcome", "article_id"], FACET_INDEXES["mentions"]],
    "claims": [["incident_id", "field"], ["mention_id"], ["article_id"], ["field", "incident_id"],
               ["source", "incident_id"]],
    "articles": [["primary_incident_id"], ["duplicate_of"], ["source", "published"], ["published"],
                 ["published_precision", "published"], ARTICLE_INDEX],
    "incidents": [["date_earliest"], ["date_latest"], ["place_id"], ["place_name", "date_earliest"],
                  ["event_type", "date_earliest"], ["weapon", "date_earliest"], ["outcome", "date_earliest"],
                  ["year", "date_earliest"], ["year_month", "date_earliest"], ["country", "date_earliest"],
                  ["country", "admin1"], ["admin1", "date_earliest"], ["latitude"], FACET_INDEXES["incidents"]],
    "places": [["name"], ["kind", "name"], ["country", "name"], ["parent_id"]],
    "match_evidence": [["right_mention_id"], ["decision", "score"], ["hard_conflict", "score"], ["score"]],
    "decisions": [["kind"], ["status"]],
    "incident_redirects": [["new_id"]],
}


def index_name(table: str, columns: list[str]) -> str:
    """The name sqlite-utils gives an index it creates (Table.create_index), for `indexed by`."""
    return f"idx_{table}_{'_'.join(columns)}"


VIEWS = {
    "incident_sources": """
        select m.incident_id, i.title as incident_title, a.id as article_id, a.source, a.published,
               a.title as article_title, a.url, m.id as mention_id, m.sentence, m.attribution,
               a.duplicate_of
        from mentions m join articles a on a.id = m.article_id join incidents i on i.id = m.incident_id
        order by m.incident_id, a.published, a.id, m.start
    """,
    "disputed_claims": """
        select c.incident_id, i.title as incident_title, c.field, c.value, c.attribution, c.source,
               c.article_id, c.mention_id, m.sentence
        from claims c join incidents i on i.id = c.incident_id join mentions m on m.id = c.mention_id
        where exists (select 1 from json_each(i.disputed) d where d.value = c.field)
        order by c.incident_id, c.field, c.value
    """,
}


def ensure_db_shape(db: sqlite_utils.Database) -> None:
    """Create every table, index, full-text index, facet-count trigger and view if missing."""
    ensure_tables(db)
    for table, indexes in INDEXES.items():
        for cols in indexes:
            db[table].create_index(cols, if_not_exists=True)
    drop_superseded_indexes(db)
    ensure_fts(db)
    ensure_facet_counts(db, FACET_COUNTS)
    for name, sql in VIEWS.items():
        # SQLite stores the statement without its trailing whitespace; stripped, an unchanged view
        # compares equal and is left alone instead of being dropped and created again.
        db.create_view(name, sql.strip(), replace=True)


def superseded_indexes(db: sqlite_utils.Database) -> list[str]:
    """Indexes an older version created (named as index_name names them) on columns that begin an
    index INDEXES now declares, such as the place index before it held the article: the longer one
    serves every query the shorter did, and a database kept up to date by --update would otherwise
    write both (a million-article database built before them kept up 20 such indexes on every update)."""
    found = []
    for table, declared in INDEXES.items():
        if not db[table].exists():
            continue
        for index in db[table].indexes:
            cols = list(index.columns)
            if index.name == index_name(table, cols) and cols not in declared and any(
                    d[:len(cols)] == cols for d in declared):
                found.append(index.name)
    return sorted(found)


def drop_superseded_indexes(db: sqlite_utils.Database) -> None:
    for name in superseded_indexes(db):
        db.execute(f"drop index [{name}]")


def ensure_tables(db: sqlite_utils.Database) -> None:
    for name, (columns, pk, fks) in TABLES.items():
        if not db[name].exists():
            db[name].create(columns, pk=pk, foreign_keys=fks)


def ensure_fts(db: sqlite_utils.Database) -> None:
    for table, columns in FTS.items():
        if not db[table].detect_fts():
            db[table].enable_fts(columns, create_triggers=True)


def write_database(
    path: str | Path,
    *,
    articles: list[Article],
    mentions: list[Mention],
    incidents: list[Incident],
    pairs: Iterable[PairScore],
    places: Iterable[Place],
    errors: list[IngestError],
    primary: dict[str, str],
    info: dict[str, Any],
    decisions: Iterable[Decision] = (),
    stale_decisions: Iterable[StaleDecision] = (),
    redirects: dict[str, str] | None = None,
    corpus: CorpusStats | None = None,
    text_of: Callable[[Article], str] | None = None,
) -> None:
    """Write a complete database to a temporary file, then atomically replace `path`
    (or, when `path` is a WAL database, copy it in with one transaction: see install).
    `pairs` come in (left, right) order (in_key_order); `text_of` gives an article's text
    when it is not on the article (dedupe.spool)."""
    target = Path(path).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        db = sqlite_utils.Database(tmp)
        # A file nobody reads until it is renamed into place: no syncs while it is written (it is
        # synced once, whole, before the rename), and VACUUM needs no rollback journal (a killed
        # build's file is deleted, never opened). The transaction below keeps its journal: an
        # exception rolls it back.
        db.conn.execute("pragma synchronous = off")
        # Tables and full-text indexes (with their triggers) first, indexes once the rows are in:
        # sorting each column once is cheaper than keeping a b-tree sorted row by row. VACUUM
        # lays the schema out as ensure_db_shape would (tables, then indexes, then the rest).
        ensure_tables(db)
        ensure_fts(db)
        # One transaction: `with db.conn` alone does not open one, and sqlite-utils then
        # commits (and syncs) every chunk it inserts, most of the write's time.
        with db.atomic():
            write_rows(db, articles, mentions, incidents, pairs, places, errors, primary, info, text_of)
            db["decisions"].insert_all(decision_rows(decisions, stale_decisions))
            db["incident_redirects"].insert_all({"old_id": k, "new_id": v} for k, v in (redirects or {}).items())
            if corpus is not None:
                write_corpus_stats(db, corpus)
        ensure_db_shape(db)
        db.conn.execute("pragma journal_mode = off")
        db.conn.execute("vacuum")
        db.close()
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        # mkstemp creates 0600; a database is for serving, so give it the usual umask-based mode.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        install(Path(tmp), target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def install(tmp: Path, target: Path) -> None:
    """Put the finished database at `target`.

    A database in rollback-journal mode is replaced by renaming: readers that
    have it open keep their old copy, new ones get the new file. A database
    in WAL mode (an --update has run on it) must not be renamed over: its
    -wal and -shm files stay behind, named after the path, and SQLite would
    lay the old file's pages over the new one. It is overwritten instead with
    SQLite's backup API, in one transaction, so readers see the old content
    until the commit and then the new, and a kill leaves one or the other."""
    if not wal_mode(target):
        os.replace(tmp, target)
        return
    source = sqlite3.connect(tmp)
    dest = sqlite3.connect(target, timeout=60)
    try:
        dest.execute("pragma busy_timeout = 60000")
        source.backup(dest)
    finally:
        dest.close()
        source.close()
    tmp.unlink()


def wal_mode(path: Path) -> bool:
    """The file header's read/write versions are 2 in WAL mode; a -wal file
    beside it means the same (pages committed but not yet copied in)."""
    if Path(f"{path}-wal").exists():
        return True
    try:
        with open(path, "rb") as f:
            header = f.read(20)
    except OSError:
        return False
    return header.startswith(b"SQLite format 3\x00") and header[18:20] == b"\x02\x02"


def write_corpus_stats(db: sqlite_utils.Database, corpus: CorpusStats, replace: bool = False) -> None:
    db["boilerplate_lines"].insert_all(({"digest": d} for d in sorted(corpus.boilerplate_lines)), ignore=True)
    db["document_terms"].insert_all(
        ({"term": t, "articles": n} for t, n in sorted(corpus.document_terms.items()) if n > 1 or replace),
        replace=replace)


def table_names(path: str | Path) -> set[str] | None:
    """The tables of the SQLite database at `path`, read-only; None when
    there is no file or it is not a database."""
    if not Path(path).is_file():
        return None
    try:
        conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
        try:
            return {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return None


def read_previous(path: str | Path) -> Previous | None:
    """Which incident each mention of an existing database belonged to, and
    its redirects, so a rebuild can keep incident ids (dedupe.identity).
    None when there is no incident database at `path` (not a database, or
    not ours: nothing to inherit, the build replaces it)."""
    tables = table_names(path)
    if not tables or "mentions" not in tables:
        return None
    conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
    try:
        previous = Previous(dict(conn.execute("select id, incident_id from mentions")))
        if "incident_redirects" in tables:
            previous.redirects = dict(conn.execute("select old_id, new_id from incident_redirects"))
        return previous
    finally:
        conn.close()


def remove_abandoned(target: Path) -> list[Path]:
    """Delete the temporary files of earlier builds of `target` that were
    killed before they could clean up (SIGKILL runs no handler). The process
    id in the name tells whether its build is still running."""
    removed = []
    for tmp in target.parent.glob(f".{glob.escape(target.name)}.*.tmp*"):  # and its -journal
        pid = tmp.name[len(target.name) + 2:].split(".", 1)[0]
        if pid.isdigit() and not process_alive(int(pid)):
            tmp.unlink(missing_ok=True)
            removed.append(tmp)
    return removed


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def write_rows(db: sqlite_utils.Database, articles: list[Article], mentions: list[Mention],
               incidents: list[Incident], pairs: Iterable[PairScore], places: Iterable[Place],
               errors: list[IngestError], primary: dict[str, str], info: dict[str, Any],
               text_of: Callable[[Article], str] | None = None) -> None:
    conn = db.conn
    sources = {a.id: a.source for a in articles}
    insert_rows(conn, "places", (place_row(p) for p in sorted(places, key=lambda p: p.id)))
    insert_rows(conn, "incidents", (incident_row(i, sources) for i in incidents))
    per_article: dict[str, int] = {}
    for m in mentions:
        per_article[m.article_id] = per_article.get(m.article_id, 0) + 1
    insert_rows(conn, "articles", (article_row(a, primary.get(a.id), per_article.get(a.id, 0),
                                               text_of(a) if text_of else None)
                                   for a in sorted(articles, key=lambda a: a.id)))
    by_id = sorted(mentions, key=lambda m: m.id)
    insert_rows(conn, "mentions", (mention_row(m) for m in by_id))
    insert_rows(conn, "mention_features", ({"mention_id": m.id, "features": mention_features(m)} for m in by_id))
    insert_rows(conn, "claims", (
        {"id": n, "incident_id": c.incident_id, "field": c.field, "value": c.value, "mention_id": c.mention_id,
         "article_id": c.article_id, "attribution": c.attribution, "source": sources.get(c.article_id)}
        for n, c in enumerate((c for i in incidents for c in i.claims), start=1)))
    insert_rows(conn, "match_evidence", map(evidence_row, in_key_order(pairs)))
    insert_rows(conn, "ingest_errors", (
        {"id": n, "path": e.path, "line": e.line, "reason": e.reason} for n, e in enumerate(errors, start=1)))
    db["build_info"].insert({"id": 1, **info})


def in_key_order(pairs: Iterable[PairScore]) -> Iterator[PairScore]:
    """The pairs as given, which must come in (left, right) order: rows are numbered in the
    order they are written, so the same pairs in another order would make another file. They
    are not sorted here, since a build's pairs (evidence.Evidence) get their components a chunk
    at a time as they are written, and sorting would hold them all."""
    last: tuple[str, str] | None = None
    for p in pairs:
        key = (p.left_id, p.right_id)
        if last is not None and key <= last:
            raise ValueError(f"match evidence out of order: {key} after {last}")
        last = key
        yield p
