"""Small builders shared by the unit tests."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from dedupe.articles import article_id
from dedupe.dates import parse_published
from dedupe.models import Article, DateInterval, Mention, Place


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
