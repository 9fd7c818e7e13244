"""Level functions for the comparisons declared in data/comparisons.yml.

Each function looks at two mentions and names the level they fall into; the
weights, the prior and what is a hard cannot-link live in the data file, so a
reader (or the weight fitter) changes the model without touching code.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz

from .blocking import Blocking
from .date_intervals import intersect_dates
from .models import DateInterval, Mention
from .place_hierarchy import place_relation
from .vocabulary import data_path

DEFAULT_COMPARISONS = "comparisons.yml"


@dataclass
class Level:
    level: str
    weight: float
    hard: bool = False
    min: float | None = None
    max_days: float | None = None
    # What the fitter shrinks a rarely seen level towards. Without it the fitter would shrink
    # towards `weight`, its own last output, and each refit on the same data would drift further.
    start: float | None = None


@dataclass
class Model:
    prior: float
    link_threshold: float
    evidence_floor: float
    comparisons: dict[str, list[Level]]
    blocking: Blocking
    source: str
    estimate_prior: bool = False
    within_article_margin: float = 2.0
    crowd_days: float = 3.0  # days either side of a report that dedupe.crowding counts its city's reports in

    def base(self, same_article: bool) -> float:
        """Where a pair's score starts: the prior for two articles' reports,
        just below the link threshold for two passages of one article."""
        return self.link_threshold - self.within_article_margin if same_article else self.prior

    def weight(self, comparison: str, level: str) -> Level:
        lv = self.level_table[comparison].get(level)
        if lv is None:
            raise KeyError(f"{comparison}: no level {level!r} in {self.source}")
        return lv

    @cached_property
    def plan(self) -> list[tuple[str, Callable[[Mention, Mention, list[Level]], str], list[Level], dict[str, Level]]]:
        """(name, level function, levels, level table) per comparison, in file order."""
        return [(name, LEVEL_FUNCTIONS[name], levels, self.level_table[name])
                for name, levels in self.comparisons.items()]

    @cached_property
    def level_table(self) -> dict[str, dict[str, Level]]:
        """comparison -> level name -> Level (the first of a name, as the file lists them)."""
        table: dict[str, dict[str, Level]] = {}
        for name, levels in self.comparisons.items():
            table[name] = {}
            for lv in levels:
                table[name].setdefault(lv.level, lv)
        return table


def load_model(path: str | Path | None = None) -> Model:
    """Read a comparisons file (the bundled one by default)."""
    return _load(str(path or data_path(DEFAULT_COMPARISONS)))


@lru_cache(maxsize=8)
def _load(path: str) -> Model:
    with open(path, encoding="utf-8") as f:
        raw = yaml.safe_load(f)
    comparisons = {name: [Level(**lv) for lv in spec["levels"]] for name, spec in raw["comparisons"].items()}
    unknown = set(comparisons) - set(LEVEL_FUNCTIONS)
    if unknown:
        raise ValueError(f"{path}: no level function for comparison(s) {sorted(unknown)}")
    return Model(float(raw["prior"]), float(raw["link_threshold"]), float(raw["evidence_floor"]),
                 comparisons, Blocking.from_dict(raw.get("blocking"), path), path, bool(raw.get("estimate_prior", False)),
                 float(raw.get("within_article_margin", 2.0)), float(raw.get("crowd_days", 3.0)))


def date_level(a: Mention, b: Mention, levels: list[Level]) -> str:
    if a.article_id == b.article_id and names_day_two_ways(a, b):
        return "incompatible"
    both = intersect_dates(a.date, b.date)
    if both is None:
        return "unknown" if a.article_id != b.article_id and year_against_day(a.date, b.date) else "incompatible"
    if not (is_dated(a) and is_dated(b)):
        return "unknown"
    if both.earliest is None and both.latest is None:
        # Only a weekday or a month-day in common, in undated articles: one day in seven agrees by chance.
        return "unknown"
    if both.earliest is not None and both.latest is not None:
        span = (both.latest - both.earliest).days
        # Both sides must name the day: a bare 'Monday' in an undated article fits every Monday.
        if span == 0 and a.date.earliest is not None and b.date.earliest is not None \
                and a.date.earliest == a.date.latest and b.date.earliest == b.date.latest:
            return "same_day"
        if span <= 7:
            return "within_week"
    return "compatible"


FINE_PRECISIONS = ("day", "week")  # the dates a bare year cannot overrule


def year_against_day(a: DateInterval, b: DateInterval) -> bool:
    """One date knows only a year and the other its day or week. News tells an incident by its
    day; a bare year in a report ('convicted in 1999', 'Last year') is a background passage's,
    and read as the report's own it must not keep the report from the others of its incident.
    (Two passages of one article still differ: there the year is the background incident.)"""
    return (is_bare_year(a) and b.precision in FINE_PRECISIONS) or (
        is_bare_year(b) and a.precision in FINE_PRECISIONS)


def is_bare_year(d: DateInterval) -> bool:
    """A date read from a year alone ('1999'), not from words that count back from the report
    ('three years ago', 'last year'): those tell the report's own story more often."""
    return d.precision == "year" and _BARE_YEAR.fullmatch(d.text.strip()) is not None


_BARE_YEAR = re.compile(r"(?:in\s+)?\d{4}", re.I)


def is_dated(m: Mention) -> bool:
    d = m.date
    return m.features.get("explicit", {}).get("date", False) and (
        d.earliest is not None or d.weekday is not None or d.month_day is not None)


def names_day_two_ways(a: Mention, b: Mention) -> bool:
    """In one article, 'on Sunday' and 'On May 8' are two different days even
    when the article's own date is unknown."""
    da, db = a.date, b.date
    if not (is_dated(a) and is_dated(b)) or (da.is_known and db.is_known):
        return False
    return (da.weekday is not None and db.month_day is not None and db.weekday is None) or (
        db.weekday is not None and da.month_day is not None and da.weekday is None)


def place_level(a: Mention, b: Mention, levels: list[Level]) -> str:
    if a.place is None or b.place is None:
        return "unknown"
    relation = place_relation(a.place, b.place)
    if relation in ("within", "contains"):
        return "country_only" if "country" in (a.place.kind, b.place.kind) else "within"
    if relation in ("same", "same_city", "same_admin1"):
        return relation
    # A city guessed from how often an article names it supports a match but is
    # too weak to speak against one.
    if a.features.get("place_from_document") or b.features.get("place_from_document"):
        return "unknown"
    # Two named sites (bases, embassies, airports) are the clearest case of two places.
    if a.place.kind == "site" and b.place.kind == "site":
        return "different_sites"
    return relation


def categorical(attr: str) -> Callable[[Mention, Mention, list[Level]], str]:
    def level(a: Mention, b: Mention, levels: list[Level]) -> str:
        x, y = getattr(a, attr), getattr(b, attr)
        if x is None or y is None:
            return "unknown"
        return "same" if x == y else "different"

    return level


def count_level(attr: str) -> Callable[[Mention, Mention, list[Level]], str]:
    def level(a: Mention, b: Mention, levels: list[Level]) -> str:
        x, y = getattr(a, attr), getattr(b, attr)
        if x is None or y is None:
            return "unknown"
        if x == y:
            return "same"
        return "close" if abs(x - y) <= 1 and any(lv.level == "close" for lv in levels) else "different"

    return level


def event_type_level(a: Mention, b: Mention, levels: list[Level]) -> str:
    if "other" in (a.event_type, b.event_type):
        return "unknown"
    related = {"attack", "interception"}  # an intercepted attack is still the attack
    if a.event_type == b.event_type or {a.event_type, b.event_type} <= related:
        return "same"
    return "different"


def _overlap(a: Mention, b: Mention, key: str, shared: str, different: str | None = None) -> str | None:
    """`shared` when the two lists under features[key] have an item in common, `different`
    when both have items and none in common, else None."""
    mine, theirs = set(a.features.get(key, ())), set(b.features.get(key, ()))
    if mine & theirs:
        return shared
    return different if mine and theirs else None


def victims_level(a: Mention, b: Mention, levels: list[Level]) -> str:
    return _overlap(a, b, "names", "shared_name") or _overlap(a, b, "ages", "shared_age", "different_ages") or "unknown"


def street_level(a: Mention, b: Mention, levels: list[Level]) -> str:
    return _overlap(a, b, "streets", "same_street", "different_streets") or "unknown"


def text_level(a: Mention, b: Mention, levels: list[Level]) -> str:
    if any(m.features.get("no_content") and "passage" not in m.features for m in (a, b)):
        return levels[-1].level
    ratio = fuzz.token_set_ratio(a.features.get("text_lower") or a.features.get("passage", a.sentence).lower(),
                                 b.features.get("text_lower") or b.features.get("passage", b.sentence).lower())
    for lv in levels:
        if lv.min is not None and ratio >= lv.min:
            return lv.level
    return levels[-1].level


def _one_day(m: Mention) -> bool:
    return m.date.earliest is not None and m.date.earliest == m.date.latest


@lru_cache(maxsize=4096)
def _ordinal(iso: str) -> int:
    return dt.date.fromisoformat(iso).toordinal()


def published_gap_level(a: Mention, b: Mention, levels: list[Level]) -> str:
    if _one_day(a) and _one_day(b) and a.article_id != b.article_id:
        # Both days are known, so the date comparison has said what publication can; counting
        # 'published the same week' again would make any two same-day incidents look like one.
        # (Two passages of one article start from their own base, set with this level in it.)
        return "not_applicable"
    pa, pb = a.features.get("published"), b.features.get("published")
    if not pa or not pb or len(pa) != 10 or len(pb) != 10:
        return "unknown"
    gap = abs(_ordinal(pa) - _ordinal(pb))
    for lv in levels:
        if lv.max_days is not None and gap <= lv.max_days:
            return lv.level
    return "unknown"


def document_level(a: Mention, b: Mention, levels: list[Level]) -> str:
    """Cosine of the two articles' TF-IDF vectors, for two lead reports of
    different articles (other pairs are passages, not articles)."""
    va, vb = a.features.get("doc_vec"), b.features.get("doc_vec")
    if not va or not vb or a.article_id == b.article_id:
        return "not_applicable"
    va, vb = dict(va.items()), dict(vb.items())
    # fsum: exactly rounded, so the set's (hash-seeded) order cannot change the level.
    cosine = math.fsum(va[t] * vb[t] for t in va.keys() & vb.keys())
    for lv in levels:
        if lv.min is not None and cosine >= lv.min:
            return lv.level
    return "not_applicable"


def people_level(a: Mention, b: Mention, levels: list[Level]) -> str:
    """The people two articles are about, for two lead reports of different
    articles: the same main person, some of the same people, one naming the
    other's people only in passing (outlets lead with different people: the
    victim, the suspect, the officer who spoke), or no one in common."""
    pa, pb = a.features.get("people"), b.features.get("people")
    if pa is None or pb is None or a.article_id == b.article_id:
        return "not_applicable"
    if not pa or not pb:
        return "unknown"
    if pa[0] == pb[0]:
        return "same_main"
    if set(pa) & set(pb):
        return "shared"
    terms_a, terms_b = a.features.get("doc_terms", {}), b.features.get("doc_terms", {})
    if any(p in terms_b for p in pa) or any(p in terms_a for p in pb):
        return "named"
    return "different"


def crowd_level(a: Mention, b: Mention, levels: list[Level]) -> str:
    """How many other articles report something in the city and days of the more crowded of
    two reports of different articles (dedupe.crowding): the first level whose `min` it reaches."""
    if a.article_id == b.article_id:
        return "not_applicable"
    return level_reached(max(a.features.get("crowd", 0), b.features.get("crowd", 0)), levels)


def level_reached(count: float, levels: list[Level]) -> str:
    """The first of `levels` whose `min` the count reaches ('not_applicable' when none does)."""
    for lv in levels:
        if lv.min is not None and count >= lv.min:
            return lv.level
    return "not_applicable"


LEVEL_FUNCTIONS: dict[str, Callable[[Mention, Mention, list[Level]], str]] = {
    "date": date_level,
    "place": place_level,
    "weapon": categorical("weapon"),
    "quantity": count_level("quantity"),
    "killed": count_level("killed"),
    "injured": count_level("injured"),
    "event_type": event_type_level,
    "victims": victims_level,
    "street": street_level,
    "text": text_level,
    "published_gap": published_gap_level,
    "document": document_level,
    "people": people_level,
    "crowd": crowd_level,
}
