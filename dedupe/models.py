"""Plain dataclasses passed from one pipeline stage to the next.

sources -> RawDocument | IngestError
articles -> Article
mentions -> Mention (with Place and DateInterval)
matching -> ScoredPairs (PairScore for a pair on its own)
clustering -> list of mention-id clusters
canonical -> Incident (with Claim)
store writes all of them; no other stage touches SQLite.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass
class IngestError:
    """An input (file or record) that could not be used, and why."""

    path: str
    line: int | None
    reason: str


@dataclass
class RawDocument:
    """One record as read from an input file, before any interpretation.

    For .txt/.md files `text` is the whole file (headers included) and the
    metadata fields are None; articles.parse_header pulls them out.
    For structured inputs (.jsonl/.json/.csv) the fields come from the record and
    `extra` keeps every field that is not one of the known ones.
    """

    path: str
    line: int | None  # 1-based line / record number inside the file, None for whole-file inputs
    format: str  # "txt", "md", "jsonl", "json", "csv", "html"
    text: str
    doc_id: str | None = None
    title: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DateInterval:
    """When something happened, as an inclusive interval of calendar days.

    `earliest`/`latest` may be None when unbounded on that side. `weekday`
    (0 = Monday) is kept as a constraint even when the interval is unknown,
    e.g. 'on Sunday' in an undated article. `month_day` is kept the same way
    for 'On May 8' when the year is unknown.
    """

    earliest: dt.date | None = None
    latest: dt.date | None = None
    precision: str = "unknown"  # day | week | month | year | unknown
    weekday: int | None = None
    month_day: tuple[int, int] | None = None
    text: str = ""

    @property
    def is_known(self) -> bool:
        return self.earliest is not None and self.latest is not None


@dataclass(frozen=True)
class Place:
    """A gazetteer entry. `ancestors` lists ids of the places that contain it,
    nearest first (site -> city -> admin1 -> country), so two places are
    compatible when one is the other or one of its ancestors."""

    id: str
    name: str
    kind: str  # site | city | county | admin1 | region | country
    admin1: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    latitude: float | None = None
    longitude: float | None = None
    ancestors: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlaceHit:
    """A place found in text: character span, matched text and the entry."""

    start: int
    end: int
    text: str
    place: Place


@dataclass
class Article:
    id: str  # stable: hash of the normalised text
    doc_id: str | None
    path: str
    line: int | None
    source: str | None  # outlet (domain or name)
    title: str | None
    url: str | None
    published: str | None  # ISO date, to its precision: 2021-06-06 / 2021-06 / 2021
    published_precision: str | None  # day | month | year | None
    published_interval: DateInterval  # the publication date as an interval (unknown if undated)
    byline: str | None
    dateline: str | None  # 'CAIRO', 'AKRON, Ohio'
    text: str
    extra: dict[str, Any] = field(default_factory=dict)
    duplicate_of: str | None = None
    boilerplate: list[tuple[int, int]] = field(default_factory=list)  # spans of text many articles share


@dataclass
class Mention:
    """One passage of one article reporting one incident."""

    id: str  # stable: article id + start offset
    article_id: str
    start: int
    end: int
    sentence: str  # == article.text[start:end]
    event_type: str
    weapon: str | None
    quantity: int | None
    place: Place | None
    place_text: str | None
    date: DateInterval
    date_text: str | None
    outcome: str | None
    outcome_text: str | None
    killed: int | None
    injured: int | None
    attribution: str | None
    order: int = 0  # position among the article's mentions
    # Matching features that are not stored as columns of their own.
    features: dict[str, Any] = field(default_factory=dict)
    incident_id: str | None = None


@dataclass(slots=True)  # a large build holds hundreds of thousands
class PairScore:
    left_id: str
    right_id: str
    score: float  # total match weight (log2 odds)
    probability: float
    components: dict[str, dict[str, Any]]  # comparison name -> {"level": str, "weight": float}
    hard_conflict: str | None = None  # the comparison that forbids the link, if any
    decision: str | None = None  # filled by clustering: merged | kept-apart | cannot-link


class TermMap(Mapping[str, Any]):
    """Numbers per term, in order, as a tuple and a flat array: an article's word counts
    (features['doc_terms']) and TF-IDF vector ('doc_vec'), which every lead report holds until
    the write. As dicts they took 5 KB an article (about 5 GB at a million articles), as
    arrays about half that. Reads as the dict it replaces; `typecode` is the array's."""

    __slots__ = ("terms", "numbers")

    def __init__(self, items: Iterable[tuple[str, Any]] = (), typecode: str = "d") -> None:
        pairs = list(items)
        self.terms = tuple(t for t, _ in pairs)
        self.numbers = array(typecode, (n for _, n in pairs))

    def __getitem__(self, term: str) -> Any:
        try:
            return self.numbers[self.terms.index(term)]
        except ValueError:
            raise KeyError(term) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def values(self) -> list[Any]:  # type: ignore[override]  # in order, without a look-up per term
        return self.numbers.tolist()

    def items(self) -> list[tuple[str, Any]]:  # type: ignore[override]
        return list(zip(self.terms, self.numbers.tolist(), strict=True))

    def __repr__(self) -> str:
        return f"TermMap({dict(self.items())!r})"


class SharedComponents(dict):
    """A pair's components that many pairs share (all the pairs of a chunk with the same
    level in every comparison): made once, never changed after, so their JSON is encoded
    once too (`encoded`, filled by the write)."""

    __slots__ = ("encoded",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.encoded: str | None = None


def probability(score: float) -> float:
    """A pair's probability of reporting one incident, from its score (log2 odds), to 4 decimals."""
    return round(1.0 / (1.0 + math.pow(2.0, -max(min(score, 60.0), -60.0))), 4)


def _column(typecode: str) -> Any:
    return field(default_factory=lambda: array(typecode))


@dataclass
class ScoredPairs:
    """Scored pairs of mentions in flat arrays, one row a pair: 13 bytes a pair, where a
    PairScore with its floats and dicts takes 200 to 500 and a large corpus keeps millions
    (24 a mention at 30k articles, twice that while matching still keeps pairs the corpus's
    prior may need). Matching scores them, clustering decides them, and the ones stored as
    evidence become PairScores only as they are written.

    `left` < `right` number mentions as `ids` lists them (the build's mentions, in order), and
    rows come in (left, right) order, as blocking proposes the pairs: `find` bisects them.
    A score is kept in thousandths, exactly the 3 decimals PairScore.score is rounded to, and
    its probability is computed from it when a row becomes a PairScore. A cannot-link is a
    number in `kinds`: its comparison and that level's weight (few distinct ones in a build)."""

    left: array = _column("I")
    right: array = _column("I")
    scores: array = _column("i")  # thousandths: score(row) is PairScore.score
    hard: array = _column("b")  # the cannot-link, as `kinds` numbers them; -1 for none
    kinds: tuple[tuple[str, float], ...] = ()  # cannot-links: (comparison, its hard level's weight)
    ids: list[str] = field(default_factory=list)  # mention ids
    decisions: list[str | None] = field(default_factory=list)  # per row, once clustering labels them

    COLUMNS = ("left", "right", "scores", "hard")

    @classmethod
    def of(cls, pairs: Iterable[PairScore], ids: list[str]) -> ScoredPairs:
        """PairScores (of mentions in `ids`) as rows, in row order, with their decisions."""
        position = {mid: n for n, mid in enumerate(ids)}
        rows = sorted(((min(position[p.left_id], position[p.right_id]),
                        max(position[p.left_id], position[p.right_id]), p) for p in pairs), key=lambda r: r[:2])
        table = cls(ids=ids)
        for i, j, p in rows:
            table.append(i, j, p)
        table.decisions = [p.decision for _, _, p in rows]
        return table

    def score(self, row: int) -> float:
        """The row's score, as PairScore.score (k / 1000 is the float round(x, 3) gives)."""
        return self.scores[row] / 1000

    def kind(self, name: str, weight: float) -> int:
        """The number of the cannot-link by comparison `name` at level weight `weight`, added if new."""
        if (name, weight) not in self.kinds:
            if len(self.kinds) >= 127:
                raise ValueError("more than 127 kinds of cannot-link in one build")
            self.kinds += ((name, weight),)
        return self.kinds.index((name, weight))

    def __len__(self) -> int:
        return len(self.left)

    def append(self, i: int, j: int, p: PairScore) -> None:
        """Add `p`, the pair of mentions i < j, as the last row."""
        self.insert(len(self), i, j, p)

    def add(self, i: int, j: int, p: PairScore) -> None:
        """Add `p`, the pair of mentions i < j, where row order puts it."""
        lo, hi = bisect.bisect_left(self.left, i), bisect.bisect_right(self.left, i)
        self.insert(bisect.bisect_left(self.right, j, lo, hi), i, j, p)

    def insert(self, row: int, i: int, j: int, p: PairScore) -> None:
        """Add `p`, the pair of mentions i < j, as row `row` (the caller keeps row order)."""
        # A hand-made pair may name its cannot-link without components; clustering reads no weight.
        hard = (self.kind(p.hard_conflict, p.components.get(p.hard_conflict, {}).get("weight", 0.0))
                if p.hard_conflict else -1)
        values = (i, j, round(p.score * 1000), hard)
        for name, value in zip(self.COLUMNS, values, strict=True):
            getattr(self, name).insert(row, value)
        if self.decisions:
            self.decisions.insert(row, p.decision)

    def extend(self, other: ScoredPairs) -> None:
        """Add `other`'s rows after these (their cannot-links renumbered as these number them)."""
        self.left.extend(other.left)
        self.right.extend(other.right)
        self.scores.extend(other.scores)
        codes = [self.kind(*k) for k in other.kinds]
        if codes == list(range(len(codes))):
            self.hard.extend(other.hard)
        else:
            self.hard.extend(array("b", (codes[h] if h >= 0 else -1 for h in other.hard)))

    def compress(self, keep: Iterable[bool]) -> ScoredPairs:
        """The rows where `keep` is true (in order)."""
        keep = bytes(keep)
        return ScoredPairs(*(array(getattr(self, name).typecode, itertools.compress(getattr(self, name), keep))
                             for name in self.COLUMNS), kinds=self.kinds, ids=self.ids,
                           decisions=list(itertools.compress(self.decisions, keep)) if self.decisions else [])

    def take(self, rows: Iterable[int]) -> ScoredPairs:
        """These rows, in the order given: in another order than (left, right), `find` does not apply."""
        rows = array("I", rows)
        return ScoredPairs(*(array(getattr(self, name).typecode, map(getattr(self, name).__getitem__, rows))
                             for name in self.COLUMNS), kinds=self.kinds, ids=self.ids,
                           decisions=[self.decisions[n] for n in rows] if self.decisions else [])

    def row_starts(self) -> array:
        """Where each mention's rows as `left` start (and the last one's end), for `find`."""
        return array("I", (bisect.bisect_left(self.left, i) for i in range(len(self.ids) + 1)))

    def find(self, i: int, j: int, starts: array) -> int:
        """The row of the pair of mentions i and j, or -1."""
        if i > j:
            i, j = j, i
        lo, hi = starts[i], starts[i + 1]
        row = bisect.bisect_left(self.right, j, lo, hi)
        return row if row < hi and self.right[row] == j else -1

    def in_key_order(self, rows: Iterable[int]) -> list[int]:
        """The rows sorted by key (left id, right id). Each is sorted on one int, from the ranks
        of its ids, rather than on a tuple of the two: a large build sorts millions."""
        rank = [0] * len(self.ids)
        for r, n in enumerate(sorted(range(len(self.ids)), key=self.ids.__getitem__)):
            rank[n] = r
        left, right, size = self.left, self.right, len(rank)

        def key(row: int) -> int:
            a, b = rank[left[row]], rank[right[row]]
            return a * size + b if a < b else b * size + a

        return sorted(rows, key=key)

    def key(self, row: int) -> tuple[str, str]:
        """The row's mention ids, ordered as PairScore's left_id and right_id."""
        a, b = self.ids[self.left[row]], self.ids[self.right[row]]
        return (a, b) if a < b else (b, a)

    def hard_conflict(self, row: int) -> str | None:
        return self.kinds[self.hard[row]][0] if self.hard[row] >= 0 else None

    def hard_weight(self, row: int) -> float | None:
        """The weight of the row's cannot-link level, None without one."""
        return self.kinds[self.hard[row]][1] if self.hard[row] >= 0 else None

    def pair(self, row: int, components: dict[str, dict[str, Any]] | None = None) -> PairScore:
        """The row as a PairScore with `components`, or of its components only a cannot-link's weight."""
        hard = self.hard_conflict(row)
        if components is None:
            components = {hard: {"weight": self.hard_weight(row)}} if hard else {}
        score = self.score(row)
        return PairScore(*self.key(row), score, probability(score), components, hard,
                         self.decisions[row] if self.decisions else None)


@dataclass
class Claim:
    incident_id: str
    field: str
    value: str
    mention_id: str
    article_id: str
    attribution: str | None = None


@dataclass
class Incident:
    id: str
    title: str
    date: str | None
    date_earliest: str | None
    date_latest: str | None
    date_precision: str
    place: Place | None
    event_type: str
    weapon: str | None
    quantity: int | None
    outcome: str | None
    killed: int | None
    injured: int | None
    article_count: int
    source_count: int
    disputed: list[str]
    mention_ids: list[str]
    article_ids: list[str]
    claims: list[Claim] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class CorpusStats:
    """Corpus-wide statistics: digests of boilerplate lines, and in how many
    articles each document term occurs (terms seen once are left out: an
    update counts them from zero, a negligible difference in their weight)."""

    boilerplate_lines: set[str] = field(default_factory=set)
    document_terms: dict[str, int] = field(default_factory=dict)
    documents: int = 0
