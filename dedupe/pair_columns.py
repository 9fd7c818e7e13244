"""Comparison levels of many pairs at once, a column per comparison.

score_total walks the comparisons of comparisons.yml for one pair at a time, about 18 µs a
pair in Python; a large corpus blocks millions of pairs. Here each comparison sorts a whole
chunk of pairs into its levels with numpy over per-mention arrays (MentionColumns, built once
per corpus), and the weights are added column by column in the file's order: elementwise
float64 additions in the same order as score_total's `total += w`, so the same sums to the
last bit. The level functions of dedupe.comparisons stay the definition: a pair the arrays
cannot settle exactly (a month-day within bounds, a cosine within rounding of a threshold,
shared names or people) is sorted by calling that function, and tests hold the two to the
same level names.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse

from .comparisons import Level, Model
from .dates import _weekdays
from .models import Mention
from .place_hierarchy import admin1_of, city_of

NO_DAY = 0  # ordinals start at 1: an open side of an interval
LAST_DAY = dt.date.max.toordinal() + 1
COSINE_SLACK = 1e-9  # far above the error of summing 80 products in another order (~1e-14)


class Codes:
    """Per-value numbers: equal values, equal numbers; None is -1."""

    def __init__(self) -> None:
        self.numbers: dict[Any, int] = {}

    def __call__(self, value: Any) -> int:
        return -1 if value is None else self.numbers.setdefault(value, len(self.numbers))


def _ordinal(iso: str) -> int | None:
    try:
        return dt.date.fromisoformat(iso).toordinal()
    except (TypeError, ValueError):
        return None  # the level function raises, as it would for any pair with this mention


def _padded(rows: list[list[int]]) -> np.ndarray:
    width = max(map(len, rows), default=0) or 1
    out = np.full((len(rows), width), -1, dtype=np.int64)
    for n, row in enumerate(rows):
        out[n, : len(row)] = row
    return out


def _counts(values: list[Any]) -> np.ndarray | None:
    """Counts as int64, or None when one is not a small int (the level function decides those)."""
    if any(v is not None and (type(v) is not int or abs(v) >= 1 << 62) for v in values):
        return None
    return np.array([0 if v is None else v for v in values], dtype=np.int64)


@dataclass
class MentionColumns:
    """What the comparisons read of each mention, as arrays indexed like the mentions."""

    mentions: list[Mention]
    article: np.ndarray
    lead: np.ndarray
    values: dict[str, np.ndarray]
    counts: dict[str, np.ndarray | None]
    texts: list[str]  # distinct passages, as values["text"] numbers them
    names: list[frozenset]
    ages: list[frozenset]
    people: list[Any]
    documents: Any  # CSR matrix of the TF-IDF vectors, a row per mention (empty without one)


def build_columns(mentions: list[Mention]) -> MentionColumns:
    """The per-mention arrays of every comparison, once per corpus (after weigh_documents)."""
    places, countries, weapons, events, articles, days, persons, texts, date_keys = (Codes() for _ in range(9))
    v: dict[str, list[Any]] = {k: [] for k in (
        "lo", "hi", "weekdays", "month_day", "has_weekday", "single_day", "dated", "known", "odd_date",
        "place", "city", "admin1", "is_country", "is_site", "from_document", "weapon", "event", "other",
        "related", "no_content", "published", "has_published", "has_vec", "has_people", "people_named",
        "main_person", "has_names", "has_ages", "odd_published",
        "no_quantity", "no_killed", "no_injured", "text", "date_key")}
    ancestors, country_sets = [], []
    vectors: list[dict[str, float]] = []
    rows: list[int] = []
    for n, m in enumerate(mentions):
        d, f = m.date, m.features
        v["lo"].append(d.earliest.toordinal() if d.earliest is not None else NO_DAY)
        v["hi"].append(d.latest.toordinal() if d.latest is not None else LAST_DAY)
        allowed = _weekdays(d)
        v["weekdays"].append(sum(1 << w for w in allowed) if allowed is not None else 0)
        v["odd_date"].append(allowed is not None and not allowed <= set(range(7))
                             or d.month_day is not None and not d.month_day)
        v["month_day"].append(days(d.month_day) + 1 if d.month_day else 0)
        v["has_weekday"].append(d.weekday is not None)
        v["single_day"].append(d.earliest is not None and d.earliest == d.latest)
        v["dated"].append(bool(f.get("explicit", {}).get("date", False)) and (
            d.earliest is not None or d.weekday is not None or d.month_day is not None))
        v["known"].append(d.is_known)
        v["date_key"].append(date_keys((d.earliest, d.latest, d.weekday, d.month_day, v["dated"][-1])))
        p = m.place
        v["place"].append(places(p.id) if p else -1)
        ancestors.append([places(x) for x in p.ancestors] if p else [])
        v["city"].append(places(city_of(p)) if p else -1)
        v["admin1"].append(places(admin1_of(p)) if p else -1)
        country_sets.append(sorted({countries(x) for x in ({p.country} | {x[8:] for x in p.ancestors
                                    if x.startswith("country:")}) - {None}}) if p else [])
        v["is_country"].append(p is not None and p.kind == "country")
        v["is_site"].append(p is not None and p.kind == "site")
        v["from_document"].append(bool(f.get("place_from_document")))
        v["weapon"].append(weapons(m.weapon))
        v["event"].append(events(m.event_type))
        v["other"].append(m.event_type == "other")
        v["related"].append(m.event_type in ("attack", "interception"))
        v["no_content"].append(bool(f.get("no_content")))
        published = f.get("published")
        ok = bool(published) and len(published) == 10
        day = _ordinal(published) if ok else 0
        v["has_published"].append(ok)
        v["odd_published"].append(ok and day is None)
        v["published"].append(day or 0)
        vec = f.get("doc_vec")
        v["has_vec"].append(bool(vec))
        if vec:
            vectors.append(vec)
            rows.append(n)
        people = f.get("people")
        v["has_people"].append(people is not None)
        v["people_named"].append(bool(people))
        v["main_person"].append(persons(people[0]) if people else -1)
        v["has_names"].append(bool(f.get("names")))
        v["has_ages"].append(bool(f.get("ages")))
        articles(m.article_id)
        v["text"].append(texts(f.get("text_lower") or m.sentence.lower()))
        for attr in ("quantity", "killed", "injured"):
            v[f"no_{attr}"].append(getattr(m, attr) is None)
    values = {k: np.array(x, dtype=bool if isinstance(x[0], bool) else np.int64) if x else np.zeros(0, np.int64)
              for k, x in v.items()}
    values["ancestors"], values["countries"] = _padded(ancestors), _padded(country_sets)
    return MentionColumns(
        mentions, np.array([articles(m.article_id) for m in mentions], dtype=np.int64),
        np.array([m.order == 0 for m in mentions], dtype=bool), values,
        {attr: _counts([getattr(m, attr) for m in mentions]) for attr in ("quantity", "killed", "injured")},
        list(texts.numbers),
        [frozenset(m.features.get("names", ())) for m in mentions],
        [frozenset(m.features.get("ages", ())) for m in mentions],
        [m.features.get("people") for m in mentions],
        _document_matrix(vectors, rows, len(mentions)))


def _document_matrix(vectors: list[dict[str, float]], rows: list[int], size: int) -> Any:
    """The TF-IDF vectors as a CSR matrix, `rows` the mentions that have one (term numbers
    taken in bulk: a large corpus has millions of terms in its vectors)."""
    terms = list(itertools.chain.from_iterable(vectors))
    number = {t: n for n, t in enumerate(dict.fromkeys(terms))}
    indptr = np.zeros(size + 1, dtype=np.int64)
    indptr[np.array(rows, dtype=np.int64) + 1] = [len(v) for v in vectors]
    matrix = sparse.csr_matrix((np.fromiter(itertools.chain.from_iterable(v.values() for v in vectors),
                                            dtype=np.float64, count=len(terms)),
                                np.fromiter(map(number.__getitem__, terms), dtype=np.int64, count=len(terms)),
                                np.cumsum(indptr)), shape=(size, max(len(number), 1)))
    matrix.sort_indices()
    return matrix


# Days from a weekday to the first (last) day of a weekday mask on or after (before) it; 7 for none.
FIRST_ALLOWED = np.array([[next((k for k in range(7) if mask >> ((w + k) % 7) & 1), 7) for mask in range(128)]
                          for w in range(7)], dtype=np.int64)
LAST_ALLOWED = np.array([[next((k for k in range(7) if mask >> ((w - k) % 7) & 1), 7) for mask in range(128)]
                         for w in range(7)], dtype=np.int64)


class Column:
    """One comparison's levels for a chunk of pairs: a code per pair into `labels`."""

    def __init__(self, size: int, labels: list[str]) -> None:
        self.labels = list(labels)
        self.codes = np.full(size, -1, dtype=np.int64)

    def code(self, label: str) -> int:
        if label not in self.labels:
            self.labels.append(label)
        return self.labels.index(label)

    def settle(self, label: str, where: np.ndarray) -> None:
        """Pairs `where` not yet settled fall into `label` (so earlier rules take precedence)."""
        self.codes[where & (self.codes < 0)] = self.code(label)

    def call(self, where: np.ndarray, pairs: Pairs, level_of: Callable[..., str], levels: list[Level]) -> None:
        """The level function itself, for the unsettled pairs `where`."""
        mentions = pairs.columns.mentions
        for n in np.flatnonzero(where & (self.codes < 0)).tolist():
            self.codes[n] = self.code(level_of(mentions[pairs.left_list[n]], mentions[pairs.right_list[n]], levels))

    def call_distinct(self, where: np.ndarray, pairs: Pairs, level_of: Callable[..., str], levels: list[Level],
                      key: str) -> None:
        """`call` once per distinct pair of `key` values for pairs of two articles, `key` numbering
        all that the level function reads of a mention but its article."""
        where = where & (self.codes < 0)
        across = where & ~pairs.same_article
        key_a, key_b = pairs.both(key)
        _, first, position = np.unique(key_a[across] * (key_b.max(initial=0) + 1) + key_b[across],
                                       return_index=True, return_inverse=True)
        rows = np.flatnonzero(across)
        representative = np.zeros(pairs.size, dtype=bool)
        representative[rows[first]] = True
        self.call(representative, pairs, level_of, levels)
        self.codes[across] = self.codes[rows[first]][position]
        self.call(where, pairs, level_of, levels)

    def names(self) -> list[str]:
        return [self.labels[c] for c in self.codes.tolist()]


class Pairs:
    """A chunk of pairs: mention indices `left`, `right` and what both sides read."""

    def __init__(self, left: np.ndarray, right: np.ndarray, columns: MentionColumns) -> None:
        self.left, self.right, self.columns = left, right, columns
        self.left_list, self.right_list = left.tolist(), right.tolist()
        self.same_article = columns.article[left] == columns.article[right]
        self.size = len(left)

    def both(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        values = self.columns.values[name]
        return values[self.left], values[self.right]


def _first_at_least(column: Column, value: np.ndarray, where: np.ndarray, levels: list[Level],
                    bound: str) -> None:
    """The first level (in file order) whose `min` the value reaches, or whose `max_days` it keeps within."""
    for lv in levels:
        limit = getattr(lv, bound)
        if limit is not None:
            column.settle(lv.level, where & ((value >= limit) if bound == "min" else (value <= limit)))


def date_column(pairs: Pairs, levels: list[Level], level_of: Callable[..., str]) -> Column:
    """date_level: intersect_dates on day ordinals, weekday sets as bit masks."""
    col = Column(pairs.size, ["incompatible", "unknown", "same_day", "within_week", "compatible"])
    lo_a, lo_b = pairs.both("lo")
    hi_a, hi_b = pairs.both("hi")
    wd_a, wd_b = pairs.both("weekdays")
    md_a, md_b = pairs.both("month_day")
    dated_a, dated_b = pairs.both("dated")
    odd_a, odd_b = pairs.both("odd_date")
    col.call(odd_a | odd_b, pairs, level_of, levels)
    # names_day_two_ways: a weekday on one side, a month-day without weekday on the other.
    has_wd_a, has_wd_b = pairs.both("has_weekday")
    known_a, known_b = pairs.both("known")
    has_md_a, has_md_b = md_a > 0, md_b > 0
    two_ways = pairs.same_article & dated_a & dated_b & ~(known_a & known_b) & (
        (has_wd_a & has_md_b & ~has_wd_b) | (has_wd_b & has_md_a & ~has_wd_a))
    col.settle("incompatible", two_ways)
    lo, hi = np.maximum(lo_a, lo_b), np.minimum(hi_a, hi_b)
    lo_known, hi_known = lo != NO_DAY, hi != LAST_DAY
    bounded = lo_known & hi_known
    col.settle("incompatible", bounded & (lo > hi))
    constrained = (wd_a > 0) | (wd_b > 0)
    allowed = np.where((wd_a > 0) & (wd_b > 0), wd_a & wd_b, wd_a | wd_b)
    col.settle("incompatible", constrained & (allowed == 0))
    col.settle("incompatible", has_md_a & has_md_b & (md_a != md_b))
    # Which days of a bounded interval fall on a month-day: the level function's own search.
    col.call_distinct(bounded & (has_md_a | has_md_b), pairs, level_of, levels, "date_key")
    # Allowed weekdays narrow a bounded interval to its first and last allowed day.
    narrow = bounded & constrained
    lo = np.where(narrow, lo + FIRST_ALLOWED[(lo - 1) % 7, allowed & 127], lo)  # ordinal 1 was a Monday
    hi = np.where(narrow, hi - LAST_ALLOWED[(hi - 1) % 7, allowed & 127], hi)
    col.settle("incompatible", narrow & (lo > hi))
    col.settle("unknown", ~(dated_a & dated_b) | (~lo_known & ~hi_known))
    single_a, single_b = pairs.both("single_day")
    col.settle("same_day", bounded & (hi - lo == 0) & single_a & single_b)
    col.settle("within_week", bounded & (hi - lo <= 7))
    col.settle("compatible", np.ones(pairs.size, dtype=bool))
    return col


def place_column(pairs: Pairs, levels: list[Level], level_of: Callable[..., str]) -> Column:
    """place_level: place_relation on numbered ids, ancestors and countries."""
    col = Column(pairs.size, ["unknown", "same", "country_only", "within", "same_city", "same_admin1",
                              "different_sites", "same_country", "different"])
    p_a, p_b = pairs.both("place")
    col.settle("unknown", (p_a < 0) | (p_b < 0))
    anc_a, anc_b = pairs.both("ancestors")
    col.settle("same", p_a == p_b)
    nested = (anc_a == p_b[:, None]).any(axis=1) | (anc_b == p_a[:, None]).any(axis=1)
    country_a, country_b = pairs.both("is_country")
    col.settle("country_only", nested & (country_a | country_b))
    col.settle("within", nested)
    city_a, city_b = pairs.both("city")
    col.settle("same_city", (city_a >= 0) & (city_a == city_b))
    admin_a, admin_b = pairs.both("admin1")
    col.settle("same_admin1", (admin_a >= 0) & (admin_a == admin_b))
    doc_a, doc_b = pairs.both("from_document")
    col.settle("unknown", doc_a | doc_b)
    site_a, site_b = pairs.both("is_site")
    col.settle("different_sites", site_a & site_b)
    c_a, c_b = pairs.both("countries")
    shared = ((c_a[:, :, None] == c_b[:, None, :]) & (c_a[:, :, None] >= 0)).any(axis=(1, 2))
    col.settle("same_country", shared)
    col.settle("different", np.ones(pairs.size, dtype=bool))
    return col


def categorical_column(attr: str) -> Callable[..., Column]:
    def column(pairs: Pairs, levels: list[Level], level_of: Callable[..., str]) -> Column:
        col = Column(pairs.size, ["unknown", "same", "different"])
        x, y = pairs.both(attr)
        col.settle("unknown", (x < 0) | (y < 0))
        col.settle("same", x == y)
        col.settle("different", np.ones(pairs.size, dtype=bool))
        return col

    return column


def count_column(attr: str) -> Callable[..., Column]:
    def column(pairs: Pairs, levels: list[Level], level_of: Callable[..., str]) -> Column:
        col = Column(pairs.size, ["unknown", "same", "close", "different"])
        values = pairs.columns.counts[attr]
        if values is None:
            col.call(np.ones(pairs.size, dtype=bool), pairs, level_of, levels)
            return col
        missing_a, missing_b = pairs.both(f"no_{attr}")
        col.settle("unknown", missing_a | missing_b)
        x, y = values[pairs.left], values[pairs.right]
        col.settle("same", x == y)
        if any(lv.level == "close" for lv in levels):
            col.settle("close", np.abs(x - y) <= 1)
        col.settle("different", np.ones(pairs.size, dtype=bool))
        return col

    return column


def event_type_column(pairs: Pairs, levels: list[Level], level_of: Callable[..., str]) -> Column:
    col = Column(pairs.size, ["unknown", "same", "different"])
    other_a, other_b = pairs.both("other")
    col.settle("unknown", other_a | other_b)
    e_a, e_b = pairs.both("event")
    related_a, related_b = pairs.both("related")
    col.settle("same", (e_a == e_b) | (related_a & related_b))
    col.settle("different", np.ones(pairs.size, dtype=bool))
    return col


def victims_column(pairs: Pairs, levels: list[Level], level_of: Callable[..., str]) -> Column:
    """victims_level: set intersections in Python, for the pairs where both sides name someone."""
    col = Column(pairs.size, ["shared_name", "shared_age", "different_ages", "unknown"])
    names_a, names_b = pairs.both("has_names")
    ages_a, ages_b = pairs.both("has_ages")
    both_names, both_ages = names_a & names_b, ages_a & ages_b
    names, ages = pairs.columns.names, pairs.columns.ages
    left, right = pairs.left_list, pairs.right_list
    shared = [not names[left[n]].isdisjoint(names[right[n]]) for n in np.flatnonzero(both_names).tolist()]
    col.settle("shared_name", _scatter(both_names, shared))
    shared = [not ages[left[n]].isdisjoint(ages[right[n]]) for n in np.flatnonzero(both_ages).tolist()]
    col.settle("shared_age", _scatter(both_ages, shared))
    col.settle("different_ages", both_ages)
    col.settle("unknown", np.ones(pairs.size, dtype=bool))
    return col


def _scatter(where: np.ndarray, values: list[bool]) -> np.ndarray:
    out = np.zeros(len(where), dtype=bool)
    out[where] = values
    return out


def text_column(pairs: Pairs, levels: list[Level], level_of: Callable[..., str]) -> Column:
    """text_level: token_set_ratio of each pair in one rapidfuzz call (the same scorer and values)."""
    col = Column(pairs.size, [])
    empty_a, empty_b = pairs.both("no_content")
    col.settle(levels[-1].level, empty_a | empty_b)
    scored = col.codes < 0
    texts = pairs.columns.texts
    ratio = np.zeros(pairs.size, dtype=np.float64)
    if scored.any():
        text_a, text_b = pairs.both("text")
        ratio[scored] = process.cpdist([texts[n] for n in text_a[scored].tolist()],
                                       [texts[n] for n in text_b[scored].tolist()],
                                       scorer=fuzz.token_set_ratio, dtype=np.float64)
    _first_at_least(col, ratio, scored, levels, "min")
    col.settle(levels[-1].level, np.ones(pairs.size, dtype=bool))
    return col


def published_gap_column(pairs: Pairs, levels: list[Level], level_of: Callable[..., str]) -> Column:
    col = Column(pairs.size, ["not_applicable", "unknown"])
    single_a, single_b = pairs.both("single_day")
    col.settle("not_applicable", single_a & single_b & ~pairs.same_article)
    odd_a, odd_b = pairs.both("odd_published")
    col.call(odd_a | odd_b, pairs, level_of, levels)
    ok_a, ok_b = pairs.both("has_published")
    day_a, day_b = pairs.both("published")
    _first_at_least(col, np.abs(day_a - day_b), ok_a & ok_b, levels, "max_days")
    col.settle("unknown", np.ones(pairs.size, dtype=bool))
    return col


def document_column(pairs: Pairs, levels: list[Level], level_of: Callable[..., str]) -> Column:
    """document_level: the cosines as sparse row products; fsum (the level function) decides
    the pairs within rounding of a threshold."""
    col = Column(pairs.size, ["not_applicable"])
    vec_a, vec_b = pairs.both("has_vec")
    col.settle("not_applicable", ~(vec_a & vec_b) | pairs.same_article)
    scored = col.codes < 0
    cosine = np.zeros(pairs.size, dtype=np.float64)
    if scored.any():
        docs = pairs.columns.documents
        cosine[scored] = np.asarray(docs[pairs.left[scored]].multiply(docs[pairs.right[scored]]).sum(axis=1)).ravel()
    near = np.zeros(pairs.size, dtype=bool)
    for lv in levels:
        if lv.min is not None:
            near |= np.abs(cosine - lv.min) <= COSINE_SLACK
    col.call(scored & near, pairs, level_of, levels)
    _first_at_least(col, cosine, scored, levels, "min")
    col.settle("not_applicable", np.ones(pairs.size, dtype=bool))
    return col


def people_column(pairs: Pairs, levels: list[Level], level_of: Callable[..., str]) -> Column:
    """people_level; who two articles share is the level function's to say."""
    col = Column(pairs.size, ["not_applicable", "unknown", "same_main"])
    has_a, has_b = pairs.both("has_people")
    col.settle("not_applicable", ~(has_a & has_b) | pairs.same_article)
    named_a, named_b = pairs.both("people_named")
    col.settle("unknown", ~(named_a & named_b))
    main_a, main_b = pairs.both("main_person")
    col.settle("same_main", main_a == main_b)
    col.call(np.ones(pairs.size, dtype=bool), pairs, level_of, levels)
    return col


COLUMNS: dict[str, Callable[[Pairs, list[Level], Callable[..., str]], Column]] = {
    "date": date_column,
    "place": place_column,
    "weapon": categorical_column("weapon"),
    "quantity": count_column("quantity"),
    "killed": count_column("killed"),
    "injured": count_column("injured"),
    "event_type": event_type_column,
    "victims": victims_column,
    "text": text_column,
    "published_gap": published_gap_column,
    "document": document_column,
    "people": people_column,
}


def level_columns(pairs: Pairs, model: Model) -> dict[str, Column]:
    """Each comparison's levels for the chunk, in file order. A comparison whose level function
    is not the one this module mirrors is sorted by that function, a pair at a time."""
    from .comparisons import LEVEL_FUNCTIONS

    out = {}
    for name, level_of, levels, _ in model.plan:
        if name in COLUMNS and level_of is LEVEL_FUNCTIONS.get(name):
            out[name] = COLUMNS[name](pairs, levels, level_of)
        else:
            out[name] = Column(pairs.size, [])
            out[name].call(np.ones(pairs.size, dtype=bool), pairs, level_of, levels)
    return out


def score_columns(pairs: Pairs, model: Model) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """score_total for every pair: the totals, the first hard comparison's number in the plan
    (-1 for none) and its weight (0.0 for none)."""
    total = np.where(pairs.same_article, model.base(True), model.base(False)).astype(np.float64)
    hard = np.full(pairs.size, -1, dtype=np.int64)
    hard_weight = np.zeros(pairs.size, dtype=np.float64)
    for number, (name, column) in enumerate(level_columns(pairs, model).items()):
        table = model.level_table[name]
        used = np.unique(column.codes)
        for code in used.tolist():
            model.weight(name, column.labels[code])  # a level the file does not list raises, as in score_total
        weights = np.array([table[x].weight if x in table else 0.0 for x in column.labels], dtype=np.float64)
        is_hard = np.array([x in table and table[x].hard for x in column.labels], dtype=bool)
        total += weights[column.codes]
        first = (hard < 0) & is_hard[column.codes]
        hard[first] = number
        hard_weight[first] = weights[column.codes[first]]
    return total, hard, hard_weight

