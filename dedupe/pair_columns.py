"""What the comparisons read of each mention, as arrays, to score many pairs at once.

score_total walks the comparisons of comparisons.yml for one pair at a time, about 18 µs a
pair in Python; a large corpus blocks millions of pairs. score_pairs instead sorts a whole
chunk of pairs into each comparison's levels with numpy (dedupe.pair_levels), over the
per-mention arrays built here once per corpus, and adds the weights column by column in the
file's order: elementwise float64 additions in the same order as score_total's `total += w`,
so the same sums to the last bit. The level functions of dedupe.comparisons stay the
definition: a pair the arrays cannot settle exactly (a month-day within bounds, a cosine
within rounding of a threshold, shared names or people) is sorted by calling that function
(Column.call), and tests/test_comparisons.py holds the two to the same level names.
"""

from __future__ import annotations

import datetime as dt
import itertools
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from .comparisons import FINE_PRECISIONS, Level, is_bare_year
from .date_intervals import allowed_weekdays  # which weekdays a date allows: intersect_dates' own reading
from .models import Mention
from .place_hierarchy import admin1_of, city_of

NO_DAY = 0  # ordinals start at 1: an open side of an interval
LAST_DAY = dt.date.max.toordinal() + 1
WEEKDAYS = frozenset(range(7))
FEW = 4  # names (ages) of a mention compared as arrays; a pair with a side naming more is Python's
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


def _objects(items: list[Any]) -> np.ndarray:
    """A 1-d object array of `items` (np.array would make a 2-d one of equal-length tuples)."""
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


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
    texts: np.ndarray  # distinct passages (objects), as values["text"] numbers them
    names: list[Any]  # the mentions' own lists (features['names']): no copies of them
    ages: list[Any]
    streets: list[Any]
    people: list[Any]
    documents: Any  # CSR matrix of the TF-IDF vectors, a row per mention (empty without one)


def build_columns(mentions: list[Mention]) -> MentionColumns:
    """The per-mention arrays of every comparison, once per corpus (after weigh_documents)."""
    places, countries, weapons, events, articles, days, persons, texts, date_keys, victims = (
        Codes() for _ in range(10))
    v: dict[str, list[Any]] = {k: [] for k in (
        "lo", "hi", "weekdays", "month_day", "month", "day", "has_weekday", "single_day", "dated", "known", "odd_date",
        "year_only", "fine",
        "place", "city", "admin1", "is_country", "is_site", "from_document", "weapon", "event", "other",
        "related", "no_content", "no_passage", "published", "has_published", "has_vec", "has_people", "people_named",
        "main_person", "names_many", "ages_many", "streets_many", "odd_published",
        "no_quantity", "no_killed", "no_injured", "text", "date_key", "crowd")}
    ancestors, country_sets = [], []
    lists: dict[str, list[list[int]]] = {"names": [], "ages": [], "streets": []}
    vectors: list[dict[str, float]] = []
    rows: list[int] = []
    for n, m in enumerate(mentions):
        d, f = m.date, m.features
        v["lo"].append(d.earliest.toordinal() if d.earliest is not None else NO_DAY)
        v["hi"].append(d.latest.toordinal() if d.latest is not None else LAST_DAY)
        allowed = allowed_weekdays(d)
        md = d.month_day
        plain = md is None or (type(md) is tuple and len(md) == 2 and all(type(x) is int for x in md)
                               and 1 <= md[0] <= 12 and 1 <= md[1] <= 31)
        odd = allowed is not None and not allowed <= WEEKDAYS or not plain  # the level function decides
        v["odd_date"].append(odd)
        v["weekdays"].append(sum(1 << w for w in allowed) if allowed is not None and not odd else 0)
        v["month_day"].append(days(md) + 1 if md else 0)
        v["month"].append(md[0] if md and plain else 0)
        v["day"].append(md[1] if md and plain else 0)
        v["has_weekday"].append(d.weekday is not None)
        v["year_only"].append(is_bare_year(d))
        v["fine"].append(d.precision in FINE_PRECISIONS)
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
        v["no_passage"].append(bool(f.get("no_content")) and "passage" not in f)
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
        for kind in ("names", "ages", "streets"):
            numbers = sorted({victims((kind, x)) for x in f.get(kind, ())})
            v[f"{kind}_many"].append(len(numbers) > FEW)
            lists[kind].append(numbers[:FEW])
        articles(m.article_id)
        v["text"].append(texts(f.get("text_lower") or f.get("passage", m.sentence).lower()))
        v["crowd"].append(int(f.get("crowd", 0)))
        for attr in ("quantity", "killed", "injured"):
            v[f"no_{attr}"].append(getattr(m, attr) is None)
    values = {k: np.array(x, dtype=bool if isinstance(x[0], bool) else np.int64) if x else np.zeros(0, np.int64)
              for k, x in v.items()}
    values["ancestors"], values["countries"] = _padded(ancestors), _padded(country_sets)
    values["names"], values["ages"] = _padded(lists["names"]), _padded(lists["ages"])
    values["streets"] = _padded(lists["streets"])
    return MentionColumns(
        mentions, np.array([articles(m.article_id) for m in mentions], dtype=np.int64),
        np.array([m.order == 0 for m in mentions], dtype=bool), values,
        {attr: _counts([getattr(m, attr) for m in mentions]) for attr in ("quantity", "killed", "injured")},
        _objects(list(texts.numbers)),
        [m.features.get("names", ()) for m in mentions],
        [m.features.get("ages", ()) for m in mentions],
        [m.features.get("streets", ()) for m in mentions],
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
        rows = np.flatnonzero(where & (self.codes < 0))
        self.codes[rows] = [self.code(level_of(mentions[i], mentions[j], levels))
                            for i, j in zip(pairs.left[rows].tolist(), pairs.right[rows].tolist(), strict=True)]

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
        self.same_article = columns.article[left] == columns.article[right]
        self.size = len(left)

    def both(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        values = self.columns.values[name]
        return values[self.left], values[self.right]


def pair_chunks(pairs: Iterable[tuple[int, int]] | array, size: int) -> Iterator[np.ndarray]:
    """The pairs (tuples, or a flat array of index pairs) as (n, 2) arrays of at most `size` rows."""
    if isinstance(pairs, array):
        flat = np.array(pairs, dtype=np.int64)
        for start in range(0, len(flat), 2 * size):
            yield flat[start : start + 2 * size].reshape(-1, 2)
        return
    rest = itertools.chain.from_iterable(pairs)
    while len(chunk := np.fromiter(itertools.islice(rest, 2 * size), dtype=np.int64)):
        yield chunk.reshape(-1, 2)
