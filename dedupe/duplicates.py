"""Copies among the input articles: the same story filed twice, or a wire story
carried (in part) by other outlets, found by word 5-gram shingle containment (see
DUPLICATE_CONTAINMENT for how the threshold was chosen). A copy keeps its own row
and points at the article it copies (`duplicate_of`).
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .articles import normalise_text
from .boilerplate import content_text
from .models import Article

SHINGLE_WORDS = 5
# A pair is a duplicate when this share of the shorter article's word 5-grams also occurs
# in the other one (weighted, see BOILERPLATE_DF). Chosen on labelled data:
# - sample 000/001 (a partial wire copy sharing five whole sentences) scores 0.40 with 122
#   shared 5-grams; 000/002 (different reports of the same event, similar wording) 0.10;
#   every other pair of sample articles 0.01 or less.
# - gva_pool dev (2,596 docs), pairs of real articles (sign-in/notification template pages,
#   which are textual copies of each other, counted apart): at 0.25 56 same-incident /
#   11 different-incident pairs, at 0.30 47 / 9, at 0.35 40 / 6. The different-incident
#   pairs are mostly shared site boilerplate (crime-stoppers paragraph, station footer) in
#   short articles, junk pages, or the same article filed under two incidents.
# - GVC dev: 2 pairs, both same incident; ECB+ dev: 49 pairs, all the same sub-topic.
# 0.30 keeps a wide margin under 000/001 while dropping most boilerplate-only matches.
DUPLICATE_CONTAINMENT = 0.30
# ... and they must share at least this many 5-grams (about two or three sentences), unless
# the shorter article is that short, in which case 90% of it must be shared.
MIN_SHARED_SHINGLES = 30
SHORT_TEXT_SHARE = 0.9
MIN_SHARED_FLOOR = 8  # a passage of ~12 words is never enough
# A 5-gram found in more than this many articles of the input counts less (weight
# BOILERPLATE_DF / document frequency): site footers, sign-in walls and crime-stoppers
# paragraphs repeat across unrelated stories. A wire story carried by many outlets keeps
# its score, since all its 5-grams are discounted alike.
BOILERPLATE_DF = 5
# 5-grams in more articles than this are ignored altogether.
MAX_SHINGLE_POSTINGS = 1000
# A 5-gram in at most this many articles is counted for every pair of them; one in more
# (a template phrase, a story carried by many outlets) only for each article and the next
# DENSE_NEIGHBOURS that have it. Copies of one story share nearly all their 5-grams, so they
# stay neighbours in each list and are still found (and grouped transitively), while the
# cost stops growing with the square of the commonest phrases' frequency.
DENSE_POSTINGS = 100
DENSE_NEIGHBOURS = 25

_WORD = re.compile(r"\w+")


def _shingles(text: str, word_ids: dict[str, int]) -> set[int]:
    """The text's word 5-grams, each packed into one int from its words' ids
    (exact, unlike a hash, and a fraction of the memory of the strings: a
    large corpus holds tens of millions of them at once)."""
    ids = [word_ids.setdefault(w, len(word_ids) + 1) for w in _WORD.findall(normalise_text(text))]
    if len(ids) < SHINGLE_WORDS:
        ids = ids + [0] * (SHINGLE_WORDS - len(ids)) if ids else []
    out = set()
    for i in range(len(ids) - SHINGLE_WORDS + 1):
        key = 0
        for w in ids[i : i + SHINGLE_WORDS]:
            key = (key << 32) | w
        out.add(key)
    return out


def _canonical_key(article: Article) -> tuple:
    """Sort key of the canonical copy: earliest publication (undated last), then smallest id."""
    interval = article.published_interval
    earliest = interval.earliest if interval.is_known else None
    return (earliest is None, earliest or dt.date.min, article.id)


def _unique_by_id(articles: Sequence[Article]) -> dict[str, Article]:
    """One article per id; articles already marked as a copy (duplicate_of set) are left out."""
    by_id: dict[str, Article] = {}
    for a in articles:
        if a.duplicate_of is not None:
            continue
        if a.id not in by_id or _canonical_key(a) < _canonical_key(by_id[a.id]):
            by_id[a.id] = a
    return by_id


@dataclass(frozen=True)
class DuplicatePair:
    left: str  # article ids, left < right
    right: str
    containment: float  # weighted share of the shorter article found in the other
    shared: int  # shared word 5-grams


def duplicate_pairs(articles: Sequence[Article]) -> list[DuplicatePair]:
    """Every pair of distinct articles that are copies or partial copies of each other, sorted."""
    by_id = _unique_by_id(articles)
    ids = sorted(by_id)
    # Text many unrelated articles share (sign-in walls, footers) makes no copy.
    word_ids: dict[str, int] = {}
    sets = [_shingles(content_text(by_id[i]), word_ids) for i in ids]
    del word_ids
    postings: dict[int, list[int]] = defaultdict(list)
    for n, shingles in enumerate(sets):
        for s in shingles:
            postings[s].append(n)
    weight = {
        s: min(1.0, BOILERPLATE_DF / len(docs))
        for s, docs in postings.items()
        if len(docs) <= MAX_SHINGLE_POSTINGS
    }
    sizes = [sum(weight.get(s, 0.0) for s in shingles) for shingles in sets]
    counts_raw = [sum(1 for s in shingles if s in weight) for shingles in sets]
    pairs: list[DuplicatePair] = []
    for n, shingles in enumerate(sets):
        shared: dict[int, int] = defaultdict(int)
        shared_weight: dict[int, float] = defaultdict(float)
        for s in shingles:
            w = weight.get(s)
            if w is None:
                continue
            docs = postings[s]
            start = bisect.bisect_right(docs, n)
            for other in docs[start:] if len(docs) <= DENSE_POSTINGS else docs[start : start + DENSE_NEIGHBOURS]:
                shared[other] += 1
                shared_weight[other] += w
        for other, count in shared.items():
            smaller = min(counts_raw[n], counts_raw[other])
            needed = max(MIN_SHARED_FLOOR, min(MIN_SHARED_SHINGLES, math.ceil(SHORT_TEXT_SHARE * smaller)))
            if count < needed:
                continue
            containment = shared_weight[other] / max(min(sizes[n], sizes[other]), 1e-9)
            if containment >= DUPLICATE_CONTAINMENT:
                pairs.append(DuplicatePair(ids[n], ids[other], round(min(containment, 1.0), 4), count))
    pairs.sort(key=lambda p: (p.left, p.right))
    return pairs


def find_duplicates(articles: Sequence[Article]) -> dict[str, str]:
    """Map each duplicate article's id to the id of the canonical copy it duplicates.

    Copies (same normalised body -> same id), near-identical copies and partial wire copies
    sharing whole sentences are grouped (transitively); the canonical copy of a group is
    the earliest published one, then the smallest id, so the result does not depend on
    input order. Articles with the same id are one article and never map to themselves;
    articles whose `duplicate_of` is already set are left out (already resolved).
    """
    by_id = _unique_by_id(articles)
    parent: dict[str, str] = {i: i for i in by_id}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pair in duplicate_pairs(list(by_id.values())):
        a, b = find(pair.left), find(pair.right)
        if a == b:
            continue
        # keep the canonical (earliest, then smallest id) as the root
        if _canonical_key(by_id[b]) < _canonical_key(by_id[a]):
            a, b = b, a
        parent[b] = a
    result = {}
    for i in sorted(by_id):
        root = find(i)
        if root != i:
            result[i] = root
    return result
