"""Blocking: which pairs of mentions are compared at all.

Each rule named under `blocking` in comparisons.yml gives a mention some keys;
mentions that share a key are candidate pairs. A block is never compared all
against all once it is large (a big city, a common weapon in one state): its
mentions are sorted by when they happened and each is compared with the
`window` mentions on either side of it (the sorted-neighbourhood method,
Hernández and Stolfo 1995). Reports of one incident carry one date, so they
sit next to each other in that order, and every mention is compared with at
most 2 x window others per key: the number of pairs grows with the corpus,
not with the square of its largest block. An article's own mentions are
always compared with each other.
"""

from __future__ import annotations

import datetime as dt
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .models import Mention

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")
_STOP = frozenset("""
that this with from have were been their there said says which would could about after before they them
than into over under also when what where while will your more most some such only other police officers
told according news report reported people year years week monday tuesday wednesday thursday friday
saturday sunday january february march april june july august september october november december
""".split())

UNDATED = 10**7  # sorts after every real date (ordinals are below 4 x 10^6)
NARROW_DAYS = 62  # a date known to within this many days places a report in time (narrowly_dated)


def content_words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)} - _STOP


def region_of(m: Mention) -> str | None:
    """The first-level region (state, province) of the mention's place, or its country."""
    if m.place is None:
        return None
    if m.place.kind in ("admin1", "country"):
        return m.place.id
    return next((a for a in m.place.ancestors if a.startswith("admin1:")),
                next((a for a in m.place.ancestors if a.startswith("country:")), None))


def article_keys(m: Mention, rare: list[str]) -> list[str]:
    return [f"article:{m.article_id}"]


def place_keys(m: Mention, rare: list[str]) -> list[str]:
    """The place and its nearest ancestor below the region (a town's county,
    a neighbourhood's city): reports name a place at different grains."""
    if m.place is None or m.place.kind in ("country", "admin1"):
        return []
    ids = [m.place.id] + [a for a in m.place.ancestors if not a.startswith(("country:", "admin1:"))][:1]
    return [f"place:{pid}" for pid in ids]


def weapon_region_keys(m: Mention, rare: list[str]) -> list[str]:
    """A weapon in a region is a weak key: only for a dated mention, which the
    sorted block then compares with those of about the same days."""
    region = region_of(m)
    return [f"weapon:{m.weapon}:{region}"] if m.weapon and region and narrowly_dated(m) else []


def rare_word_keys(m: Mention, rare: list[str]) -> list[str]:
    """Cheap recall for reports whose place or date could not be resolved."""
    return [f"word:{w}" for w in rare]


def document_keys(m: Mention, rare: list[str]) -> list[str]:
    """The article's heaviest TF-IDF terms that other articles share (matching.weigh_documents)."""
    return [f"doc:{t}" for t in m.features.get("doc_keys", ())]


RULES: dict[str, Callable[[Mention, list[str]], list[str]]] = {
    "article": article_keys,
    "place": place_keys,
    "weapon_region": weapon_region_keys,
    "rare_words": rare_word_keys,
    "document": document_keys,
}


@dataclass(frozen=True)
class Blocking:
    rules: tuple[str, ...] = tuple(RULES)
    window: int = 50  # neighbours compared on each side in a sorted block
    rare_word_max: int = 20  # a word shared by more mentions than this is not rare
    rare_words: int = 3  # rare words keyed per mention

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any] | None, source: str = "comparisons") -> Blocking:
        raw = dict(raw or {})
        unknown = set(raw) - {"rules", "window", "rare_word_max", "rare_words"}
        if unknown:
            raise ValueError(f"{source}: blocking: unknown setting(s) {sorted(unknown)}")
        rules = tuple(raw.get("rules") or cls.rules)
        bad = [r for r in rules if r not in RULES]
        if bad:
            raise ValueError(f"{source}: blocking: unknown rule(s) {bad}; known: {sorted(RULES)}")
        ints = {k: int(raw[k]) for k in ("window", "rare_word_max", "rare_words") if k in raw}
        if any(v < 1 for v in ints.values()):
            raise ValueError(f"{source}: blocking: window, rare_word_max and rare_words must be at least 1")
        return cls(rules=rules, **ints)


def narrowly_dated(m: Mention) -> bool:
    """Whether the mention's date is known to within two months."""
    d = m.date
    return d.earliest is not None and d.latest is not None and (d.latest - d.earliest).days <= NARROW_DAYS


def sort_time(m: Mention) -> float:
    """Where a mention sits in a sorted block: the middle of its date when that
    is known to within two months, else its article's publication day."""
    d = m.date
    if narrowly_dated(m):
        return d.earliest.toordinal() + (d.latest - d.earliest).days / 2
    published = m.features.get("published")
    if isinstance(published, str) and len(published) >= 10:
        try:
            return dt.date.fromisoformat(published[:10]).toordinal()
        except ValueError:
            pass
    return UNDATED


def block_mentions(mentions: list[Mention], blocking: Blocking) -> dict[str, list[int]]:
    """Blocking key -> indexes of the mentions that have it (in index order)."""
    # A tuple of shared strings per mention: a set of its own copies took ~1 KB a mention.
    shared: dict[str, str] = {}
    words = ([tuple(shared.setdefault(w, w) for w in content_words(m.sentence)) for m in mentions]
             if "rare_words" in blocking.rules else [])
    df = Counter(w for ws in words for w in ws)
    rules = [RULES[r] for r in blocking.rules]
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        rare = (sorted((w for w in words[i] if 1 < df[w] <= blocking.rare_word_max), key=lambda w: (df[w], w))
                [: blocking.rare_words] if words else [])
        for rule in rules:
            for key in rule(m, rare):
                blocks[key].append(i)
    return blocks


def candidate_pairs(mentions: list[Mention], blocking: Blocking | None = None,
                    focus: Collection[int] | None = None) -> Iterator[tuple[int, int]]:
    """Index pairs (i < j) of mentions that share a key and, in a large block,
    lie within `window` of each other by date; in sorted order, each once.
    Pairs are produced mention by mention, so memory follows the blocks, not
    the pairs. With `focus` (mention indexes), only the pairs with at least one
    of them: the same pairs as without it, less those of two other mentions."""
    blocking = blocking or Blocking()
    if focus is not None:
        yield from _focus_pairs(mentions, blocking, set(focus))
        return
    lists = list(_ordered_blocks(mentions, blocking))
    # Each mention's blocks and its position in each, flat (block, position, block, ...): a tuple
    # per entry took ~100 bytes, and there is one for every key of every mention.
    slots = [array("I") for _ in mentions]
    for b, (members, _) in enumerate(lists):
        for pos, i in enumerate(members):
            slots[i].extend((b, pos))
    w = blocking.window
    for i in range(len(mentions)):
        near: set[int] = set()
        for b, pos in zip(slots[i][::2], slots[i][1::2], strict=True):
            members, whole = lists[b]
            near.update(j for j in (members if whole else members[max(0, pos - w): pos + w + 1]) if j > i)
        for j in sorted(near):
            yield i, j


def _ordered_blocks(mentions: list[Mention], blocking: Blocking) -> Iterator[tuple[list[int], bool]]:
    """Each block of two or more mentions, and whether it is compared whole (an article's, or a
    small one); a large one comes sorted by when its mentions happened, for its windows."""
    when = [sort_time(m) for m in mentions]
    for key, members in block_mentions(mentions, blocking).items():
        if len(members) < 2:
            continue
        whole = key.startswith("article:") or len(members) <= blocking.window + 1
        if not whole:
            members.sort(key=lambda i: (when[i], i))
        yield members, whole


def _focus_pairs(mentions: list[Mention], blocking: Blocking, focus: set[int]) -> Iterator[tuple[int, int]]:
    """candidate_pairs of the `focus` mentions, found from their own blocks only: an update's
    few new reports among the many stored ones it reads."""
    w = blocking.window
    near: dict[int, set[int]] = defaultdict(set)
    for members, whole in _ordered_blocks(mentions, blocking):
        if focus.isdisjoint(members):
            continue
        for pos, i in enumerate(members):
            if i in focus:
                for j in (members if whole else members[max(0, pos - w): pos + w + 1]):
                    if j != i:
                        near[min(i, j)].add(max(i, j))
    for i in sorted(near):
        for j in sorted(near[i]):
            yield i, j
