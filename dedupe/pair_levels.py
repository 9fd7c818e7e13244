"""Each comparison of comparisons.yml for a chunk of pairs at once (see pair_columns).

A function per comparison mirrors the level function of dedupe.comparisons of its name,
rule for rule and in its order: Column.settle gives each pair the first rule it meets, as
the level function returns at its first. What arrays cannot decide exactly is left to the
level function itself (Column.call). score_columns adds the levels' weights up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
from rapidfuzz import fuzz, process

from .comparisons import LEVEL_FUNCTIONS, Level, Model
from .pair_columns import COSINE_SLACK, LAST_DAY, NO_DAY, Column, Pairs

# Days from a weekday to the first (last) day of a weekday mask on or after (before) it; 7 for none.
FIRST_ALLOWED = np.array([[next((k for k in range(7) if mask >> ((w + k) % 7) & 1), 7) for mask in range(128)]
                          for w in range(7)], dtype=np.int64)
LAST_ALLOWED = np.array([[next((k for k in range(7) if mask >> ((w - k) % 7) & 1), 7) for mask in range(128)]
                         for w in range(7)], dtype=np.int64)


def _settle_thresholds(column: Column, value: np.ndarray, where: np.ndarray, levels: list[Level],
                       bound: str) -> None:
    """The first level (in file order) whose `min` the value reaches, or whose `max_days` it keeps within."""
    for lv in levels:
        limit = getattr(lv, bound)
        if limit is not None:
            column.settle(lv.level, where & ((value >= limit) if bound == "min" else (value <= limit)))


def compare_dates(pairs: Pairs, levels: list[Level], level_of: Callable[..., str]) -> Column:
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
    # year_against_day: a bare year against a day, in two articles, is no conflict; the function says what is.
    year_a, year_b = pairs.both("year_only")
    fine_a, fine_b = pairs.both("fine")
    col.call(~pairs.same_article & ((year_a & fine_b) | (year_b & fine_a)), pairs, level_of, levels)
    lo, hi = np.maximum(lo_a, lo_b), np.minimum(hi_a, hi_b)
    lo_known, hi_known = lo != NO_DAY, hi != LAST_DAY
    bounded = lo_known & hi_known
    col.settle("incompatible", bounded & (lo > hi))
    constrained = (wd_a > 0) | (wd_b > 0)
    allowed = np.where((wd_a > 0) & (wd_b > 0), wd_a & wd_b, wd_a | wd_b)
    col.settle("incompatible", constrained & (allowed == 0))
    col.settle("incompatible", has_md_a & has_md_b & (md_a != md_b))
    # A month-day narrows a bounded interval to its first and last day on that month-day (and
    # an allowed weekday); over many years, the level function searches.
    on_day = bounded & (has_md_a | has_md_b) & (col.codes < 0)
    rows = np.flatnonzero(on_day)
    month_a, month_b = pairs.both("month")
    day_a, day_b = pairs.both("day")
    first_year, last_year = _year_of(lo[rows]), _year_of(hi[rows])
    long = last_year - first_year > MAX_YEARS
    searched = np.zeros(pairs.size, dtype=bool)
    searched[rows[long]] = True
    col.call_distinct(searched, pairs, level_of, levels, "date_key")
    rows, first_year, last_year = rows[~long], first_year[~long], last_year[~long]
    lo[rows], hi[rows] = _month_day_bounds(lo[rows], hi[rows], first_year, last_year,
                                           np.where(has_md_a, month_a, month_b)[rows],
                                           np.where(has_md_a, day_a, day_b)[rows],
                                           allowed[rows], constrained[rows])
    col.settle("incompatible", on_day & (lo > hi))
    # Allowed weekdays narrow a bounded interval to its first and last allowed day.
    narrow = bounded & constrained & ~on_day
    lo = np.where(narrow, lo + FIRST_ALLOWED[(lo - 1) % 7, allowed & 127], lo)  # ordinal 1 was a Monday
    hi = np.where(narrow, hi - LAST_ALLOWED[(hi - 1) % 7, allowed & 127], hi)
    col.settle("incompatible", narrow & (lo > hi))
    col.settle("unknown", ~(dated_a & dated_b) | (~lo_known & ~hi_known))
    single_a, single_b = pairs.both("single_day")
    col.settle("same_day", bounded & (hi - lo == 0) & single_a & single_b)
    col.settle("within_week", bounded & (hi - lo <= 7))
    col.settle("compatible", np.ones(pairs.size, dtype=bool))
    return col


MAX_YEARS = 50  # a month-day searched over more years than this is the level function's to find
EPOCH = dt.date(1970, 1, 1).toordinal()  # day 0 of numpy's datetime64


def _year_of(days: np.ndarray) -> np.ndarray:
    return (days - EPOCH).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def _month_day_bounds(lo: np.ndarray, hi: np.ndarray, first_year: np.ndarray, last_year: np.ndarray,
                      month: np.ndarray, day: np.ndarray, allowed: np.ndarray, constrained: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray]:
    """intersect_dates' days of a month-day within [lo, hi], year by year (a 29 February only in
    leap years), on an allowed weekday: the first and the last, or lo > hi for none."""
    new_lo, new_hi = np.full(len(lo), LAST_DAY, dtype=np.int64), np.full(len(lo), NO_DAY, dtype=np.int64)
    for k in range(int((last_year - first_year).max(initial=-1)) + 1):
        year = first_year + k
        start = (year - 1970).astype("datetime64[Y]").astype("datetime64[M]") + (month - 1)
        length = ((start + 1).astype("datetime64[D]") - start.astype("datetime64[D]")).astype(np.int64)
        days = start.astype("datetime64[D]").astype(np.int64) + EPOCH + (day - 1)
        ok = (year <= last_year) & (day <= length) & (lo <= days) & (days <= hi)
        ok &= ~constrained | (((allowed >> ((days - 1) % 7)) & 1) == 1)
        new_lo = np.where(ok & (days < new_lo), days, new_lo)
        new_hi = np.where(ok & (days > new_hi), days, new_hi)
    return new_lo, new_hi


def compare_places(pairs: Pairs, levels: list[Level], level_of: Callable[..., str]) -> Column:
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


def compare_categories(attr: str) -> Callable[..., Column]:
    def column(pairs: Pairs, levels: list[Level], level_of: Callable[..., str]) -> Column:
        col = Column(pairs.size, ["unknown", "same", "different"])
        x, y = pairs.both(attr)
        col.settle("unknown", (x < 0) | (y < 0))
        col.settle("same", x == y)
        col.settle("different", np.ones(pairs.size, dtype=bool))
        return col

    return column


def compare_counts(attr: str) -> Callable[..., Column]:
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


def compare_event_types(pairs: Pairs, levels: list[Level], level_of: Callable[..., str]) -> Column:
    col = Column(pairs.size, ["unknown", "same", "different"])
    other_a, other_b = pairs.both("other")
    col.settle("unknown", other_a | other_b)
    e_a, e_b = pairs.both("event")
    related_a, related_b = pairs.both("related")
    col.settle("same", (e_a == e_b) | (related_a & related_b))
    col.settle("different", np.ones(pairs.size, dtype=bool))
    return col


def compare_victims(pairs: Pairs, levels: list[Level], level_of: Callable[..., str]) -> Column:
    """victims_level: names (ages) numbered, the first FEW of each side compared as arrays."""
    col = Column(pairs.size, ["shared_name", "shared_age", "different_ages", "unknown"])
    col.settle("shared_name", _share(pairs, "names"))
    col.settle("shared_age", _share(pairs, "ages"))
    ages_a, ages_b = pairs.both("ages")
    col.settle("different_ages", (ages_a[:, 0] >= 0) & (ages_b[:, 0] >= 0))
    col.settle("unknown", np.ones(pairs.size, dtype=bool))
    return col


def compare_streets(pairs: Pairs, levels: list[Level], level_of: Callable[..., str]) -> Column:
    """street_level: the streets numbered, as compare_victims compares names."""
    col = Column(pairs.size, ["same_street", "different_streets", "unknown"])
    col.settle("same_street", _share(pairs, "streets"))
    streets_a, streets_b = pairs.both("streets")
    col.settle("different_streets", (streets_a[:, 0] >= 0) & (streets_b[:, 0] >= 0))
    col.settle("unknown", np.ones(pairs.size, dtype=bool))
    return col


def _share(pairs: Pairs, kind: str) -> np.ndarray:
    """Whether the two sides' names (ages) have one in common; a side with more than FEW, by sets."""
    a, b = pairs.both(kind)
    shared = ((a[:, :, None] == b[:, None, :]) & (a[:, :, None] >= 0)).any(axis=(1, 2))
    many_a, many_b = pairs.both(f"{kind}_many")
    many = np.flatnonzero(many_a | many_b)
    lists = getattr(pairs.columns, kind)
    shared[many] = [not set(lists[i]).isdisjoint(lists[j])
                    for i, j in zip(pairs.left[many].tolist(), pairs.right[many].tolist(), strict=True)]
    return shared


def compare_texts(pairs: Pairs, levels: list[Level], level_of: Callable[..., str]) -> Column:
    """text_level: token_set_ratio of each pair in one rapidfuzz call (the same scorer and values)."""
    col = Column(pairs.size, [])
    empty_a, empty_b = pairs.both("no_passage")
    col.settle(levels[-1].level, empty_a | empty_b)
    scored = col.codes < 0
    texts = pairs.columns.texts
    ratio = np.zeros(pairs.size, dtype=np.float64)
    if scored.any():
        text_a, text_b = pairs.both("text")
        ratio[scored] = process.cpdist(texts[text_a[scored]].tolist(), texts[text_b[scored]].tolist(),
                                       scorer=fuzz.token_set_ratio, dtype=np.float64)
    _settle_thresholds(col, ratio, scored, levels, "min")
    col.settle(levels[-1].level, np.ones(pairs.size, dtype=bool))
    return col


def compare_publication(pairs: Pairs, levels: list[Level], level_of: Callable[..., str]) -> Column:
    col = Column(pairs.size, ["not_applicable", "unknown"])
    single_a, single_b = pairs.both("single_day")
    col.settle("not_applicable", single_a & single_b & ~pairs.same_article)
    odd_a, odd_b = pairs.both("odd_published")
    col.call(odd_a | odd_b, pairs, level_of, levels)
    ok_a, ok_b = pairs.both("has_published")
    day_a, day_b = pairs.both("published")
    _settle_thresholds(col, np.abs(day_a - day_b), ok_a & ok_b, levels, "max_days")
    col.settle("unknown", np.ones(pairs.size, dtype=bool))
    return col


def compare_documents(pairs: Pairs, levels: list[Level], level_of: Callable[..., str]) -> Column:
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
    _settle_thresholds(col, cosine, scored, levels, "min")
    col.settle("not_applicable", np.ones(pairs.size, dtype=bool))
    return col


def compare_people(pairs: Pairs, levels: list[Level], level_of: Callable[..., str]) -> Column:
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


def compare_crowds(pairs: Pairs, levels: list[Level], level_of: Callable[..., str]) -> Column:
    """crowd_level: the larger of the two counts against each level's `min`."""
    col = Column(pairs.size, ["not_applicable"])
    col.settle("not_applicable", pairs.same_article)
    crowd_a, crowd_b = pairs.both("crowd")
    _settle_thresholds(col, np.maximum(crowd_a, crowd_b), np.ones(pairs.size, dtype=bool), levels, "min")
    col.settle("not_applicable", np.ones(pairs.size, dtype=bool))
    return col


COLUMNS: dict[str, Callable[[Pairs, list[Level], Callable[..., str]], Column]] = {
    "date": compare_dates,
    "place": compare_places,
    "weapon": compare_categories("weapon"),
    "quantity": compare_counts("quantity"),
    "killed": compare_counts("killed"),
    "injured": compare_counts("injured"),
    "event_type": compare_event_types,
    "victims": compare_victims,
    "street": compare_streets,
    "text": compare_texts,
    "published_gap": compare_publication,
    "document": compare_documents,
    "people": compare_people,
    "crowd": compare_crowds,
}


MIRRORED = dict(LEVEL_FUNCTIONS)  # the level functions COLUMNS mirror, as the module defines them


def sort_levels(pairs: Pairs, model: Model) -> dict[str, Column]:
    """Each comparison's levels for the chunk, in file order. A comparison whose level function
    is not the one this module mirrors (one replaced in a test) is sorted by that function, a
    pair at a time."""
    out = {}
    for name, level_of, levels, _ in model.plan:
        if name in COLUMNS and level_of is MIRRORED.get(name):
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
    for number, (name, column) in enumerate(sort_levels(pairs, model).items()):
        table = model.level_table[name]
        for code, label in enumerate(column.labels):
            if label not in table and (column.codes == code).any():
                model.weight(name, label)  # a level the file does not list raises, as in score_total
        weights = np.array([table[x].weight if x in table else 0.0 for x in column.labels], dtype=np.float64)
        is_hard = np.array([x in table and table[x].hard for x in column.labels], dtype=bool)
        total += weights[column.codes]
        first = (hard < 0) & is_hard[column.codes]
        hard[first] = number
        hard_weight[first] = weights[column.codes[first]]
    return total, hard, hard_weight

