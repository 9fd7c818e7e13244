"""Reports rebuilt from their database rows, close enough to score as the build scored them.

`python -m dedupe.explain` scores a pair the build did not store (below the evidence floor, or
never proposed by blocking) from the database alone. The rows keep what a report says, not all the
build read from it: the place's ancestors come back from the gazetteer, a month-day ('On May 8')
from re-reading the date's text, victims' ages ('a 23-year-old man') and names from the passage.
Features computed over the whole corpus are not stored; a comparison that needs one falls to its
neutral level. (dedupe.incremental rebuilds reports from the features a build stored instead.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from .date_intervals import WEEKDAYS, measure_precision
from .dates import parse_published, resolve_date
from .mentions import AGE_PATTERN
from .models import DateInterval, Mention, Place
from .people import find_names
from .places import Gazetteer
from .vocabulary import load_vocabulary


def mention_from_row(row: Mapping[str, Any], place_row: Mapping[str, Any] | None,
                     gazetteer: Gazetteer | None = None) -> Mention:
    """A Mention rebuilt from a `mentions` row (plus `published`, the article's
    publication date, when the row carries it) and its `places` row, close
    enough to the one the build scored for `matching.score_pair` to give the
    same levels.

    What the database does not store is rebuilt: the place's ancestors come
    from the gazetteer (else the stored parent), a month-day constraint
    ('On May 8') from re-reading `date_text`, victims' ages and names from the
    passage; whether the date was explicit is taken from `date_text`. Features
    computed over the whole corpus (none are stored) are left out, so a
    comparison that needs one falls to its neutral level."""
    sentence = row["sentence"] or ""
    published = row.get("published")
    date_text = row.get("date_text")
    return Mention(
        id=row["id"],
        article_id=row["article_id"],
        start=int(row["start"]),
        end=int(row["end"]),
        sentence=sentence,
        event_type=row.get("event_type") or "other",
        weapon=row.get("weapon"),
        quantity=row.get("quantity"),
        place=place_from_row(place_row, gazetteer) if place_row else None,
        place_text=row.get("place_text"),
        date=date_from_row(row, published),
        date_text=date_text,
        outcome=row.get("outcome"),
        outcome_text=row.get("outcome_text"),
        killed=row.get("killed"),
        injured=row.get("injured"),
        attribution=row.get("attribution"),
        order=int(row.get("position") or 0),
        features={
            "explicit": {"place": row.get("place_id") is not None, "weapon": row.get("weapon") is not None,
                         "quantity": row.get("quantity") is not None, "date": bool(date_text),
                         "outcome": row.get("outcome") is not None, "killed": row.get("killed") is not None,
                         "injured": row.get("injured") is not None},
            "ages": sorted({int(a) for a in AGE_PATTERN.findall(sentence) if 0 < int(a) < 120}),
            "names": find_names(sentence, load_vocabulary().not_in_names),
            "published": published,
            "undated_article": parse_published(published).latest is None,
        },
        incident_id=row.get("incident_id"),
    )


def place_from_row(place_row: Mapping[str, Any], gazetteer: Gazetteer | None = None) -> Place:
    gazetteer = gazetteer or Gazetteer.default()
    place = gazetteer.get(place_row["id"])
    if place is not None:
        return place
    parent = place_row.get("parent_id")
    return Place(place_row["id"], place_row.get("name") or place_row["id"], place_row.get("kind") or "site",
                 place_row.get("admin1"), place_row.get("country"), place_row.get("latitude"),
                 place_row.get("longitude"), (parent,) if parent else ())


def date_from_row(row: Mapping[str, Any], published: str | None) -> DateInterval:
    lo = dt.date.fromisoformat(row["date_earliest"]) if row.get("date_earliest") else None
    hi = dt.date.fromisoformat(row["date_latest"]) if row.get("date_latest") else None
    weekday = WEEKDAYS.index(row["weekday"]) if row.get("weekday") in WEEKDAYS else None
    text = row.get("date_text") or ""
    month_day = None
    if text:
        md = resolve_date(text, parse_published(published)).month_day
        # Keep it only when the stored interval allows that day (a relative 'two days after May 8' moved it).
        if md and (lo is None or hi is None or any(
                (y, md[0], md[1]) >= (lo.year, lo.month, lo.day) and (y, md[0], md[1]) <= (hi.year, hi.month, hi.day)
                for y in range(lo.year, hi.year + 1))):
            month_day = md
    return DateInterval(lo, hi, measure_precision(lo, hi), weekday, month_day, text)
