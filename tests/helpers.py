"""Small builders shared by the unit tests."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import sqlite_utils

from dedupe.articles import article_id, parse_article
from dedupe.dates import parse_published
from dedupe.models import Article, DateInterval, Mention, Place, RawDocument
from dedupe.store import FACET_COUNTS
from dedupe.store.facet_counts import stale_facet_counts

SAMPLE = Path(__file__).resolve().parents[1] / "sample"


def sample_raw(prefix: str) -> RawDocument:
    (path,) = SAMPLE.glob(f"{prefix}_*.txt")
    return RawDocument(
        path=str(path), line=None, format="txt", text=path.read_text("utf-8"), doc_id=path.stem
    )


def sample_article(prefix: str) -> Article:
    article, warnings = parse_article(sample_raw(prefix))
    assert warnings == []
    return article


def txt(text: str, **kw) -> RawDocument:
    return RawDocument(path="x.txt", line=None, format="txt", text=text, **kw)


def make_article(text: str, published: str | None = None, source: str | None = None,
                 dateline: str | None = None) -> Article:
    interval = parse_published(published)
    return Article(id=article_id(text), doc_id="t", path="t.txt", line=None, source=source, title=None, url=None,
                   published=published, published_precision=interval.precision if published else None,
                   published_interval=interval, byline=None, dateline=dateline, text=text)


def day(iso: str, weekday: bool = False) -> DateInterval:
    d = dt.date.fromisoformat(iso)
    return DateInterval(d, d, "day", d.weekday() if weekday else None, text=iso)


SITE = Place("site:base", "Base", "site", "Anbar", "IQ", 33.0, 42.0, ("admin1:IQ.01", "country:IQ"))
OTHER_SITE = Place("site:airport", "Airport", "site", "Baghdad", "IQ", 33.2, 44.2, ("geonames:1", "country:IQ"))
PROVINCE = Place("admin1:IQ.01", "Anbar", "admin1", "Anbar", "IQ", 33.0, 42.0, ("country:IQ",))


def make_mention(mid: str, article: str = "a1", *, weapon: str | None = "drone", place: Place | None = SITE,
                 date: DateInterval | None = None, quantity: int | None = None, outcome: str | None = None,
                 killed: int | None = None, injured: int | None = None, sentence: str = "two drones shot down",
                 event_type: str = "attack", explicit_date: bool = True, published: str | None = None) -> Mention:
    return Mention(
        id=mid, article_id=article, start=0, end=len(sentence), sentence=sentence, event_type=event_type,
        weapon=weapon, quantity=quantity, place=place, place_text=place.name if place else None,
        date=date or DateInterval(), date_text=date.text if date else None, outcome=outcome, outcome_text=outcome,
        killed=killed, injured=injured, attribution=None,
        features={"explicit": {"date": explicit_date and date is not None, "place": True, "weapon": True,
                               "quantity": True, "outcome": True, "killed": True, "injured": True},
                  "published": published, "names": [], "ages": []},
    )


def write(path: Path, data: str | bytes) -> Path:
    """Write a fixture file, creating folders; str is written as UTF-8."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def query(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    """Rows of one SQL query against a database file."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


# --------------------------------------------------------------------------- corpora and database states
# Shared by tests/test_crash.py and tests/test_concurrent_readers.py.

VARIANT_PLACES = ["Balad", "Taji", "Erbil", "Kirkuk", "Mosul", "Basra", "Tikrit", "Ramadi", "Fallujah", "Samarra",
                  "Najaf", "Karbala", "Hilla", "Baqubah", "Duhok", "Sulaymaniyah", "Nasiriyah", "Amarah", "Kut",
                  "Haditha"]
VARIANT_COUNTS = ["two", "three", "four", "five", "six", "seven", "eight", "nine"]
VARIANT_WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
VARIANT_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December"]


def variant_text(text: str, n: int) -> str:
    """Sample article `text` retold as report number `n`: another base, count, weekday, year and month, and
    a closing line with `n`, so that every variant is a new article (its own id)."""
    import re

    place = VARIANT_PLACES[n % len(VARIANT_PLACES)]
    count = VARIANT_COUNTS[(n // len(VARIANT_PLACES)) % len(VARIANT_COUNTS)]
    year, month, day = 2010 + (n // 12) % 12, n % 12 + 1, n % 28 + 1
    text = re.sub(r"Ain al-Asad|al-Asad|Ain Al Asad", place, text, flags=re.IGNORECASE)
    text = re.sub(r"\btwo\b", count, text)
    text = re.sub(r"\bTwo\b", count.capitalize(), text)
    text = re.sub(r"\b(Sunday|Monday|Tuesday)\b", VARIANT_WEEKDAYS[n % 7], text)
    text = re.sub(r"\b20(20|21|22)\b", str(year), text)
    text = re.sub(r"\b20\d\d-\d\d(-\d\d)?\b", f"{year}-{month:02d}-{day:02d}", text)
    text = re.sub(r"\b(January|June)\b", VARIANT_MONTHS[month - 1], text)
    return text + f"\nReport {n}.\n"


def write_variant_articles(folder: Path, count: int, start: int = 0) -> Path:
    """`count` new .txt articles in `folder` (v<n>.txt, n from `start`), made from the bundled sample by
    `variant_text`; returns `folder`. Different `start`s that do not overlap give different articles."""
    from dedupe.pipeline import SAMPLE_DIR

    folder.mkdir(parents=True, exist_ok=True)
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLE_DIR.glob("*.txt"))]
    for n in range(start, start + count):
        (folder / f"v{n:05d}.txt").write_text(variant_text(texts[n % len(texts)], n), encoding="utf-8")
    return folder


def dump_database(db: Path, ignore: dict[str, set[str]] | None = None) -> dict[str, object]:
    """Schema and every table's rows, sorted (full-text shadow tables included), minus the `ignore`d
    columns per table; opened read-write, so a hot journal or WAL is recovered first."""
    ignore = ignore or {}
    conn = sqlite3.connect(db)
    try:
        out: dict[str, object] = {
            "schema": conn.execute("select type, name, tbl_name, sql from sqlite_master "
                                   "where name not like 'sqlite_%' order by type, name").fetchall()}
        tables = [r[0] for r in conn.execute(
            "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")]
        for table in tables:
            cols = [r[1] for r in conn.execute(f"pragma table_info([{table}])")]
            keep = [c for c in cols if c not in ignore.get(table, set())]
            select = ", ".join(f"[{c}]" for c in keep)
            order = ", ".join(str(n) for n in range(1, len(keep) + 1))
            out[table] = (keep, conn.execute(f"select {select} from [{table}] order by {order}").fetchall())
        return out
    finally:
        conn.close()


def differing_tables(a: dict[str, object], b: dict[str, object]) -> list[str]:
    """Names of the entries of two `dump_database` results that differ."""
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


def database_problems(db: Path) -> list[str]:
    """What is wrong with an incident database, [] when nothing: SQLite's integrity and foreign key
    checks, reports without an incident, incidents without reports, a full-text index that does
    not cover every article, and facet counts that differ from the rows."""
    conn = sqlite3.connect(db)
    try:
        problems = []
        try:
            integrity = [r[0] for r in conn.execute("pragma integrity_check")]
        except sqlite3.DatabaseError as exc:
            return [f"unreadable: {exc}"]
        if integrity != ["ok"]:
            return [f"integrity_check: {integrity[:3]}"]
        if fks := conn.execute("pragma foreign_key_check").fetchall():
            problems.append(f"foreign_key_check: {fks[:3]}")
        checks = {
            "mentions without an incident": "select count(*) from mentions where incident_id is null "
                                            "or incident_id not in (select id from incidents)",
            "incidents without a mention": "select count(*) from incidents where id not in "
                                           "(select incident_id from mentions where incident_id is not null)",
            "articles with reports but no primary incident": "select count(*) from articles "
                                                             "where mention_count > 0 and primary_incident_id is null",
            "articles missing from articles_fts": "select (select count(*) from articles) - "
                                                  "(select count(*) from articles_fts)",
        }
        for name, sql in checks.items():
            if n := conn.execute(sql).fetchone()[0]:
                problems.append(f"{n} {name}")
        if stale := stale_facet_counts(sqlite_utils.Database(conn), FACET_COUNTS):
            problems.append(f"facet counts that differ from the rows: {stale}")
        return problems
    finally:
        conn.close()


def report(config, line: str) -> None:
    """Print `line` on the terminal even while pytest captures output (a tally a test wants seen)."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None:
        print(line)
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line(line)
