"""Copies among the input articles: the same story filed twice, or a wire story
carried (in part) by other outlets, found by word 5-gram shingle containment (see
DUPLICATE_CONTAINMENT for how the threshold was chosen). A copy keeps its own row
and points at the article it copies (`duplicate_of`).
"""

from __future__ import annotations

import datetime as dt
import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

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

# 5-grams are kept as 64-bit hashes in flat numpy arrays: ~14 bytes per (article, 5-gram)
# while they are numbered (hash, id, sort buffers), then 8 per occurrence of a 5-gram that
# two articles share, against ~150-340 in sets of Python ints and a dict of posting lists
# (1.26 GB at 100k generated articles). Two different 5-grams share a hash with probability
# ~n^2/2^65 (under 1e-3 for the 10^8 distinct 5-grams of a million articles); the cost would
# be one 5-gram counted as shared.
_MULT = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
# Buckets of the top hash bits: numbering the distinct 5-grams one bucket at a time keeps
# np.unique's sort buffers to a sixteenth of the corpus.
_BUCKET_BITS = 4
_CHUNK = 1 << 22  # occurrences per step of the per-article sums and the filter (bounds temporaries)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads word ids (small integers) over all 64 bits."""
    x = x * _MULT
    x = (x ^ (x >> np.uint64(30))) * _MIX1
    x = (x ^ (x >> np.uint64(27))) * _MIX2
    return x ^ (x >> np.uint64(31))


def _shingles(text: str, word_ids: dict[str, int]) -> np.ndarray:
    """The text's distinct word 5-grams as sorted 64-bit hashes of their words' ids. A text of
    one to four words is one 5-gram, padded with id 0 (no word has it)."""
    ids = [word_ids.setdefault(w, len(word_ids) + 1) for w in _WORD.findall(normalise_text(text))]
    if not ids:
        return np.empty(0, dtype=np.uint64)
    if len(ids) < SHINGLE_WORDS:
        ids += [0] * (SHINGLE_WORDS - len(ids))
    mixed = _mix(np.array(ids, dtype=np.uint64))
    n = len(ids) - SHINGLE_WORDS + 1
    key = mixed[:n].copy()
    for k in range(1, SHINGLE_WORDS):
        # mix, then add the next word: mixing the xor instead would cancel a repeated word
        # ("the the a b c" and "of of a b c" would be one 5-gram)
        key = _mix(key) ^ mixed[k : k + n]
    return np.unique(key)


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


def _ranges(first: np.ndarray, lengths: np.ndarray, total: int) -> np.ndarray:
    """first[0] .. first[0]+lengths[0]-1, then first[1] .., one flat array (lengths all > 0)."""
    steps = np.ones(total, dtype=np.int64)
    steps[0] = first[0]
    steps[np.cumsum(lengths)[:-1]] = first[1:] - (first[:-1] + lengths[:-1] - 1)
    return np.cumsum(steps)


def _number(hashes: np.ndarray) -> np.ndarray:
    """Each hash's rank among the distinct hashes: equal 5-grams get one small id."""
    out = np.empty(len(hashes), dtype=np.uint32 if len(hashes) < 1 << 32 else np.int64)
    top = (hashes >> np.uint64(64 - _BUCKET_BITS)).astype(np.uint8)
    base = 0
    for bucket in range(1 << _BUCKET_BITS):
        where = np.flatnonzero(top == bucket)
        distinct, inverse = np.unique(hashes[where], return_inverse=True)
        out[where] = inverse.reshape(-1) + base
        base += len(distinct)
    return out


def _per_doc(table: np.ndarray, gram: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Per article, the sum of table[g] over its 5-grams g (article n's are gram[starts[n]:
    starts[n+1]]), a block of articles at a time so no corpus-sized temporary is made."""
    n_docs = len(starts) - 1
    out = np.zeros(n_docs)
    lo = 0
    while lo < n_docs:
        hi = min(n_docs, max(lo + 1, int(np.searchsorted(starts, starts[lo] + _CHUNK, side="right")) - 1))
        doc = np.repeat(np.arange(hi - lo), np.diff(starts[lo : hi + 1]))
        out[lo:hi] = np.bincount(doc, weights=table[gram[starts[lo] : starts[hi]]], minlength=hi - lo)
        lo = hi
    return out


class _ShingleIndex:
    """The corpus's 5-grams as flat arrays: per article its weighted size and count, and the
    posting lists of the 5-grams that can make a pair (in 2 to MAX_SHINGLE_POSTINGS articles).
    A 5-gram in one article only adds to that article's size, so it is counted and dropped:
    in real news that is most of them.

    Exact, not MinHash + LSH: a partial copy can be a small share of a long page (gva_pool dev
    has a pair at Jaccard 0.012), beyond what fixed-size signatures find, and generated copies
    share ~30 scattered template 5-grams of ~150; even keeping every 8th 5-gram (by hash) as
    candidates missed 2 of the 1,177 pairs at 10k generated articles and proposed 1.46M pairs."""

    def __init__(self, texts: Iterable[str], n_docs: int) -> None:
        word_ids: dict[str, int] = {}
        buf = array("Q")  # every article's hashes, back to back, grown without a list of arrays
        lengths = np.zeros(n_docs, dtype=np.int64)
        for n, text in enumerate(texts):
            grams = _shingles(text, word_ids)
            buf.frombytes(grams.tobytes())
            lengths[n] = len(grams)
        del word_ids
        starts = np.zeros(n_docs + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        gram = _number(np.frombuffer(buf, dtype=np.uint64))
        del buf
        df = np.bincount(gram)
        counted = df <= MAX_SHINGLE_POSTINGS
        gram_weight = np.where(counted, np.minimum(1.0, BOILERPLATE_DF / np.maximum(df, 1)), 0.0)
        self.sizes = _per_doc(gram_weight, gram, starts)  # the containment's denominator
        self.counts = _per_doc(counted, gram, starts).astype(np.int64)  # not ignored
        shared = counted & (df >= 2)
        kept_starts = np.zeros(n_docs + 1, dtype=np.int64)
        np.cumsum(_per_doc(shared, gram, starts).astype(np.int64), out=kept_starts[1:])
        # The kept 5-grams renumbered 0..k-1, so the posting offsets cover only them.
        new_id = (np.cumsum(shared, dtype=np.int64) - 1).astype(np.uint32)
        self.gram = np.empty(int(kept_starts[-1]), dtype=np.uint32)
        at = 0
        for lo in range(0, len(gram), _CHUNK):  # a block at a time: no corpus-sized mask or copy
            part = gram[lo : lo + _CHUNK]
            kept = new_id[part[shared[part]]]
            self.gram[at : at + len(kept)] = kept
            at += len(kept)
        del gram, new_id
        self.df = df[shared]
        self.weight = gram_weight[shared]
        self.starts = kept_starts
        self.offsets = np.zeros(len(self.df) + 1, dtype=np.int64)
        np.cumsum(self.df, out=self.offsets[1:])
        # Posting lists in article order: each article's 5-grams are distinct, so one
        # vectorised step per article files it at its lists' next free slots.
        self.postings = np.empty(len(self.gram), dtype=np.uint32)
        cursor = self.offsets[:-1].copy()
        for n in range(n_docs):
            grams = self.gram[kept_starts[n] : kept_starts[n + 1]]
            self.postings[cursor[grams]] = n
            cursor[grams] += 1

    def shared_with_later(self) -> Iterator[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
        """(article n, later articles, shared 5-grams, their summed weight) for every article
        in order: every article after n in a 5-gram's posting list, or only the next
        DENSE_NEIGHBOURS in a list longer than DENSE_POSTINGS."""
        cursor = self.offsets[:-1].copy()  # where article n sits in each list, as n goes up
        for n in range(len(self.starts) - 1):
            grams = self.gram[self.starts[n] : self.starts[n + 1]].astype(np.int64)
            if not len(grams):
                continue
            first = cursor[grams] + 1
            cursor[grams] = first
            end = self.offsets[grams + 1]
            end = np.where(self.df[grams] <= DENSE_POSTINGS, end, np.minimum(end, first + DENSE_NEIGHBOURS))
            lengths = end - first
            total = int(lengths.sum())
            if not total:
                continue
            positions = _ranges(first[lengths > 0], lengths[lengths > 0], total)
            others, slot = np.unique(self.postings[positions], return_inverse=True)
            weights = np.repeat(self.weight[grams], lengths)
            yield n, others, np.bincount(slot), np.bincount(slot, weights=weights)


@dataclass(frozen=True)
class DuplicatePair:
    left: str  # article ids, left < right
    right: str
    containment: float  # weighted share of the shorter article found in the other
    shared: int  # shared word 5-grams


def duplicate_pairs(articles: Sequence[Article], read_text: Callable[[Article], str] | None = None
                    ) -> list[DuplicatePair]:
    """Every pair of distinct articles that are copies or partial copies of each other, sorted.
    `read_text` gives an article's text when it is not on the article (dedupe.spool)."""
    by_id = _unique_by_id(articles)
    ids = sorted(by_id)
    if not ids:
        return []
    # Text many unrelated articles share (sign-in walls, footers) makes no copy.
    texts = (content_text(by_id[i], read_text(by_id[i]) if read_text else None) for i in ids)
    index = _ShingleIndex(texts, len(ids))
    pairs: list[DuplicatePair] = []
    for n, others, count, weight in index.shared_with_later():
        smaller = np.minimum(index.counts[n], index.counts[others])
        needed = np.maximum(MIN_SHARED_FLOOR, np.minimum(MIN_SHARED_SHINGLES, np.ceil(SHORT_TEXT_SHARE * smaller)))
        containment = weight / np.maximum(np.minimum(index.sizes[n], index.sizes[others]), 1e-9)
        for k in np.flatnonzero((count >= needed) & (containment >= DUPLICATE_CONTAINMENT)):
            c = round(min(float(containment[k]), 1.0), 4)
            pairs.append(DuplicatePair(ids[n], ids[int(others[k])], c, int(count[k])))
    pairs.sort(key=lambda p: (p.left, p.right))
    return pairs


def find_duplicates(articles: Sequence[Article], read_text: Callable[[Article], str] | None = None) -> dict[str, str]:
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

    for pair in duplicate_pairs(list(by_id.values()), read_text):
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
