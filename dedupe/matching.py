"""Pair scoring: every candidate pair blocking proposes (dedupe.blocking) is
scored with the comparisons of comparisons.yml, the prior is estimated for the
corpus, and the pairs that can matter are kept.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from operator import itemgetter
from typing import Any

import numpy as np

from .blocking import candidate_pairs
from .comparisons import Level, Model
from .crowding import count_crowds
from .models import Mention, PairScore, ScoredPairs, TermMap, probability
from .pair_columns import MentionColumns, Pairs, build_columns, pair_chunks
from .pair_levels import score_columns
from .parallel import Runner, chunked


def document_frequencies(mentions: Iterable[Mention]) -> Counter[str]:
    """In how many articles (lead mentions) each document term occurs."""
    return Counter(t for m in mentions if "doc_terms" in m.features for t in m.features["doc_terms"])


def weigh_documents(mentions: list[Mention], keep: int = 80, corpus: tuple[Counter[str], int] | None = None) -> None:
    """Turn the word counts that lead mentions carry for their article into
    L2-normalised TF-IDF vectors (features['doc_vec']), IDF taken over this
    corpus's articles, keeping each article's `keep` heaviest terms. An update
    passes `corpus`, the document frequencies and article count of the whole
    database with its new articles, since its own mentions are only a slice."""
    leads = [m for m in mentions if "doc_terms" in m.features]
    df, n = corpus if corpus is not None else (document_frequencies(leads), len(leads))
    # Each factor once per term (count), not once per article using it: the same floats.
    idf = functools.cache(lambda t: math.log((n + 1) / (df[t] + 1)) + 1)
    tf = functools.cache(lambda c: 1 + math.log(c))
    for m in leads:
        weights = {t: tf(c) * idf(t) for t, c in m.features["doc_terms"].items()}
        # Heaviest first, ties by term: a stable sort by weight (reverse keeps ties in order) of
        # the terms in order, as a key of (-weight, term) sorts them, without a call per term.
        top = sorted(sorted(weights.items(), key=itemgetter(0)), key=itemgetter(1), reverse=True)[:keep]
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        m.features["doc_vec"] = TermMap(((t, w / norm) for t, w in top), "d")
        # Blocking keys: the heaviest terms that some other article shares.
        m.features["doc_keys"] = [t for t, _ in top if df[t] > 1][:4]


def compare(a: Mention, b: Mention, model: Model) -> Iterator[tuple[str, str, Level]]:
    """Each comparison's name, the level the pair falls into and that level's weight."""
    for name, level_of, levels, _ in model.plan:
        label = level_of(a, b, levels)
        yield name, label, model.weight(name, label)


def score_pair(a: Mention, b: Mention, model: Model) -> PairScore:
    """Score two mentions: prior plus each comparison's level weight."""
    components: dict[str, dict[str, object]] = {}
    total = model.base(a.article_id == b.article_id)
    hard = None
    for name, label, lv in compare(a, b, model):
        components[name] = {"level": label, "weight": lv.weight}
        total += lv.weight
        if lv.hard and hard is None:
            hard = name
    left, right = (a, b) if a.id < b.id else (b, a)
    # The probability of the score as rounded, as a stored row's (ScoredPairs.pair) is.
    return PairScore(left.id, right.id, round(total, 3), probability(round(total, 3)), components, hard)


def score_total(a: Mention, b: Mention, model: Model) -> tuple[float, str | None, float | None]:
    """What score_pair computes, without the per-comparison components: the
    score, the first hard (cannot-link) comparison and its weight. Most
    blocked pairs are scored only to be dropped, so they skip building them."""
    total = model.base(a.article_id == b.article_id)
    hard, hard_weight = None, None
    # compare() inlined: this runs for every blocked pair.
    for name, level_of, levels, table in model.plan:
        label = level_of(a, b, levels)
        lv = table[label] if label in table else model.weight(name, label)
        total += lv.weight
        if lv.hard and hard is None:
            hard, hard_weight = name, lv.weight
    return total, hard, hard_weight


def score_slim(a: Mention, b: Mention, model: Model) -> PairScore:
    """score_pair as link_pairs keeps a pair: the same score, probability and hard
    conflict, and of the components only a cannot-link's weight. What clustering needs
    of the pairs it scores on demand, at a tenth of the memory."""
    total, hard, hard_weight = score_total(a, b, model)
    left, right = (a.id, b.id) if a.id < b.id else (b.id, a.id)
    return PairScore(left, right, round(total, 3), probability(round(total, 3)),
                     {hard: {"weight": hard_weight}} if hard else {}, hard)


def score_many(mentions: list[Mention], model: Model) -> Callable[[np.ndarray, np.ndarray], list[float | None]]:
    """score_slim's score (None for a cannot-link) of many pairs of mentions at once, given as two
    arrays of their numbers in `mentions`, column by column: average linkage asks for every pair
    across two clusters, thousands when both are large, one at a time 10-20 times slower. The
    columns are built on the first call (after link_pairs: the document vectors are weighed)."""
    columns: list[MentionColumns] = []

    def score(left: np.ndarray, right: np.ndarray) -> list[float | None]:
        if not columns:
            columns.append(build_columns(mentions))
        out: list[float | None] = []
        for start in range(0, len(left), PAIR_CHUNK):
            pairs = Pairs(left[start : start + PAIR_CHUNK], right[start : start + PAIR_CHUNK], columns[0])
            totals, hard, _ = score_columns(pairs, model)
            scores = round_scores(totals) / 1000
            out.extend(None if h >= 0 else s for s, h in zip(scores.tolist(), hard.tolist(), strict=True))
        return out

    return score


def match_mentions(mentions: list[Mention], model: Model,
                   corpus: tuple[Counter[str], int] | None = None) -> list[PairScore]:
    """Score every blocked candidate pair (deterministic order)."""
    weigh_documents(mentions, corpus=corpus)
    return [score_pair(mentions[i], mentions[j], model) for i, j in candidate_pairs(mentions, model.blocking)]


MAX_SHIFT = 6.0  # how far the estimated prior may move from the file's
# The estimated prior in steps of this many bits: a corpus with 1% more articles then keeps the
# same prior nearly always, and with it every score, so a rebuild or an --update does not move
# merges near the threshold for no reason of their own (a few thousandths of a bit did on a dense
# generated stream; a step of 0.05 still split gva_pool dev's base and full builds, -4.95 and -5.0).
PRIOR_STEP = 0.1
PAIR_CHUNK = 20_000  # blocked pairs per task when several workers score them


def calibrate_prior(pairs: list[PairScore], mentions: list[Mention], model: Model,
                    min_pairs: int = 30, more: Mapping[int | None, int] | None = None) -> tuple[Model, list[PairScore]]:
    """Estimate this corpus's prior by expectation-maximisation, as Splink does
    for its lambda: the share of true matches among blocked pairs of two
    articles' lead reports is high where many articles cover few events and
    low where many look-alike incidents are covered once each, and the fixed
    prior in the file cannot be right for both. Returns the model with the
    estimated prior and the pairs, rescored with it in place; small corpora (fewer than
    `min_pairs` pairs) keep the file's prior. `more` counts the evidence of lead pairs
    not in `pairs` (as estimate_prior's)."""
    if not model.estimate_prior:
        return model, pairs
    lead = {m.id for m in mentions if m.order == 0}
    article = {m.id: m.article_id for m in mentions}
    evidence: Counter[int | None] = Counter(more or {})
    evidence.update(None if p.hard_conflict else round(p.score * 1000) for p in pairs
                    if p.left_id in lead and p.right_id in lead and article[p.left_id] != article[p.right_id])
    if evidence.total() < min_pairs:
        return model, pairs
    prior = estimate_prior(evidence, model)
    shift = prior - model.prior
    # In place: a copy of every pair would double matching's peak memory on a large corpus.
    for p in pairs:
        if article[p.left_id] != article[p.right_id]:
            p.probability = probability(p.score + shift)
            p.score = round(p.score + shift, 3)
    return dataclasses.replace(model, prior=prior), pairs


_EM_CHUNK = 1 << 20  # rows of scored pairs a calibration reads at once


def count_evidence(counts: Counter[int | None], milli: np.ndarray, cannot: np.ndarray) -> None:
    """Add lead pairs to the prior's evidence: `milli` their scores in thousandths, `cannot`
    whether each is a cannot-link (which no prior can make a match: counted under None).
    Counted by score, not listed: 100,000 articles block 4 million lead pairs that scoring
    drops, a million tens of millions, and they share a few thousand scores."""
    counts[None] += int(np.count_nonzero(cannot))
    scores, n = np.unique(milli[~cannot], return_counts=True)
    counts.update(dict(zip(scores.tolist(), n.tolist(), strict=True)))


def estimate_prior(evidence: Mapping[int | None, int], model: Model) -> float:
    """The prior that the EM of calibrate_prior settles on for `evidence` (how many
    lead pairs have each score, in thousandths at the model's prior; None counts the
    cannot-links), within MAX_SHIFT of the file's."""
    total = sum(evidence.values())
    distinct = sorted(k for k, n in evidence.items() if k is not None and n)
    # A pair's evidence is its score less the prior it was scored with; a cannot-link's term is 0.
    values = [k / 1000 - model.prior for k in distinct]
    weights = [evidence[k] for k in distinct]
    lam = 1.0 / (1.0 + 2.0 ** -model.prior)
    for _ in range(100):
        logit = math.log2(lam / (1.0 - lam))
        # fsum is exact, so the sum does not depend on the order the pairs were counted in
        posterior = math.fsum(w / (1.0 + 2.0 ** -max(min(logit + e, 60.0), -60.0))
                              for e, w in zip(values, weights, strict=True))
        new = min(max(posterior / total, 1e-4), 0.95)
        if abs(new - lam) < 1e-6:
            break
        lam = new
    prior = max(model.prior - MAX_SHIFT, min(model.prior + MAX_SHIFT, math.log2(lam / (1.0 - lam))))
    return round(round(prior / PRIOR_STEP) * PRIOR_STEP, 3)


def calibrate_scored(scored: ScoredPairs, mentions: list[Mention], model: Model, more: Counter[int | None],
                     min_pairs: int = 30) -> Model:
    """calibrate_prior for ScoredPairs: the same evidence (these pairs' lead pairs, and
    `more`), so the same prior; the pairs are rescored in place."""
    if not model.estimate_prior:
        return model
    numbers: dict[str, int] = {}
    article = np.array([numbers.setdefault(m.article_id, len(numbers)) for m in mentions], dtype=np.int64)
    lead = np.array([m.order == 0 for m in mentions], dtype=bool)
    left, right, scores, hard = (_view(getattr(scored, name)) for name in ("left", "right", "scores", "hard"))
    evidence = Counter(more)
    # A million rows at a time: a large build holds millions, and these are its only copies.
    for k in range(0, len(scored), _EM_CHUNK):
        rows = slice(k, k + _EM_CHUNK)
        pick = lead[left[rows]] & lead[right[rows]] & (article[left[rows]] != article[right[rows]])
        count_evidence(evidence, scores[rows][pick], hard[rows][pick] >= 0)
    if evidence.total() < min_pairs:
        return model
    prior = estimate_prior(evidence, model)
    shift = prior - model.prior
    for k in range(0, len(scored), _EM_CHUNK):
        across = np.flatnonzero(article[left[k : k + _EM_CHUNK]] != article[right[k : k + _EM_CHUNK]]) + k
        scores[across] = round_scores(scores[across] / 1000 + shift)
    return dataclasses.replace(model, prior=prior)


def _view(column: array) -> np.ndarray:
    """A ScoredPairs column as a numpy array over the same memory (writes go to the column)."""
    return np.frombuffer(column, dtype=column.typecode)


_ROUNDED: dict[int, int] = {}  # a total's bits -> its score in thousandths
_ROUNDED_MAX = 1 << 18  # ~30 MB at most; 13k distinct totals at 10k articles


def round_scores(totals: np.ndarray) -> np.ndarray:
    """round(t, 3) of each total, in thousandths (int32, as ScoredPairs keeps scores; k / 1000
    is the float round(t, 3) gives). Each total is a sum of a few level weights, so a chunk has
    a few thousand distinct ones, and chunks share most of them: each is rounded by Python
    (numpy's rounding is not Python's) once per build. Distinct by their bits: -0.0 and 0.0
    round differently."""
    distinct, position = np.unique(totals.view(np.int64), return_inverse=True)
    if len(_ROUNDED) > _ROUNDED_MAX:
        _ROUNDED.clear()
    known = _ROUNDED.get
    rounded = [known(bits) if bits in _ROUNDED else _ROUNDED.setdefault(bits, round(round(t, 3) * 1000))
               for bits, t in zip(distinct.tolist(), distinct.view(np.float64).tolist(), strict=True)]
    return np.array(rounded, dtype=np.int32)[position.reshape(-1)]


def hard_weights_of(scored: ScoredPairs, hard: np.ndarray) -> np.ndarray:
    """The weight of each row's cannot-link level (0 for none) from its number in `scored.kinds`."""
    return np.array([w for _, w in scored.kinds] + [0.0], dtype=np.float64)[hard]


def matter_where(scores: np.ndarray, hard: np.ndarray, hard_weights: np.ndarray, model: Model,
                 margin: float = 0.0) -> np.ndarray:
    """can_matter for arrays of rounded scores (hard < 0: no cannot-link), the same float operations
    (scores as floats: thousandths / 1000)."""
    with np.errstate(invalid="ignore"):
        return np.where(hard >= 0, scores - hard_weights + margin >= model.link_threshold,
                        scores + margin >= model.evidence_floor)


def link_pairs(mentions: list[Mention], model: Model, corpus: tuple[Counter[str], int] | None = None,
               runner: Runner | None = None, crowd_leads: Iterable[tuple[str, float, str]] = (),
               focus: Collection[int] | None = None) -> tuple[Model, ScoredPairs]:
    """Score every blocked pair, estimate the prior (calibrate_prior), and keep
    only the pairs that can matter: any that could link or be kept as
    evidence (worth_keeping). The others, most pairs of a large corpus, are
    dropped as they are scored, so memory follows the pairs that matter; the
    clustering scores any pair it needs again on demand, to the same value.
    With a runner of several workers, chunks of pairs are scored in parallel
    and collected in order: the same pairs as in one process. The pairs come
    as rows of `mentions` numbered as listed (ScoredPairs). `crowd_leads` are lead reports
    outside `mentions` that count towards their crowds (crowding.count_crowds). With `focus`
    (mention indexes), only the blocked pairs with one of them are scored (an update's new reports:
    blocking.candidate_pairs)."""
    weigh_documents(mentions, corpus=corpus)
    for m in mentions:
        # Once per mention rather than once per pair it is in (text_level).
        m.features["text_lower"] = m.features.get("passage", m.sentence).lower()
    if "crowd" in model.comparisons:
        count_crowds(mentions, model.crowd_days, crowd_leads)
    margin = MAX_SHIFT if model.estimate_prior else 0.0
    columns = build_columns(mentions)
    pairs = candidate_pairs(mentions, model.blocking, focus)
    if runner is None or runner.workers < 2:
        scored, dropped_leads = score_pairs(pairs, (mentions, model, margin, columns))
    else:
        scored, dropped_leads = ScoredPairs(), Counter()
        chunks = (array("I", itertools.chain.from_iterable(c)) for c in chunked(pairs, PAIR_CHUNK))
        for s, d in runner.map_shared(score_pairs, chunks, (mentions, model, margin, columns)):
            scored.extend(s)
            dropped_leads.update(d)
    model = calibrate_scored(scored, mentions, model, dropped_leads)
    _ROUNDED.clear()
    kept = keep_pairs(scored, model)
    kept.ids = [m.id for m in mentions]
    return model, kept


def keep_pairs(scored: ScoredPairs, model: Model) -> ScoredPairs:
    """The rows worth keeping (worth_keeping) with the model's final prior."""
    scores, hard = _view(scored.scores), _view(scored.hard)
    keep = bytearray()
    for k in range(0, len(scored), _EM_CHUNK):
        rows = slice(k, k + _EM_CHUNK)
        keep += matter_where(scores[rows] / 1000, hard[rows], hard_weights_of(scored, hard[rows]), model).tobytes()
    del scores, hard  # the columns are read again, not resized: no views need outlive this
    return scored.compress(keep)


def score_pairs(pairs: Iterable[tuple[int, int]] | array, shared: tuple[Any, ...]
                ) -> tuple[ScoredPairs, Counter[int | None]]:
    """Score pairs of mention indices (tuples, or a flat array of index pairs): the pairs that can
    matter once the prior moves by at most `margin`, and the evidence of the dropped pairs of two
    articles' lead reports, counted by score (count_evidence, for calibrate_scored). `shared` is
    (mentions, model, margin), and the mentions' columns (build_columns) when link_pairs built them."""
    mentions, model, margin = shared[:3]
    columns = shared[3] if len(shared) > 3 else build_columns(mentions)
    kept = ScoredPairs()
    dropped_leads: Counter[int | None] = Counter()
    # A chunk at a time, column by column (pair_columns): the same totals as score_total.
    for chunk in pair_chunks(pairs, PAIR_CHUNK):
        keep_scored(Pairs(chunk[:, 0], chunk[:, 1], columns), model, margin, kept, dropped_leads)
    return kept, dropped_leads


def keep_scored(pairs: Pairs, model: Model, margin: float, kept: ScoredPairs,
                dropped_leads: Counter[int | None]) -> None:
    """Score a chunk and add the pairs that can matter to `kept` (in pair order), the evidence
    of the dropped lead pairs to `dropped_leads`."""
    totals, hard, hard_weights = score_columns(pairs, model)
    milli = round_scores(totals)
    scores = milli / 1000
    matter = matter_where(scores, hard, hard_weights, model, margin)
    lead = pairs.columns.lead
    leads = lead[pairs.left] & lead[pairs.right] & ~pairs.same_article & ~matter
    kinds = np.full(len(hard), -1, dtype=np.int8)
    for h in np.unique(hard[matter & (hard >= 0)]).tolist():
        for w in np.unique(hard_weights[matter & (hard == h)]).tolist():
            kinds[(hard == h) & (hard_weights == w)] = kept.kind(model.plan[h][0], w)
    kept.left.extend(array("I", pairs.left[matter].astype(np.uint32).tobytes()))
    kept.right.extend(array("I", pairs.right[matter].astype(np.uint32).tobytes()))
    kept.scores.extend(array("i", milli[matter].tobytes()))
    kept.hard.extend(array("b", kinds[matter].tobytes()))
    count_evidence(dropped_leads, milli[leads], hard[leads] >= 0)


def worth_keeping(p: PairScore, model: Model, margin: float = 0.0) -> bool:
    """Whether a pair can still link or be stored as evidence once the prior
    has moved by at most `margin`: a score above the evidence floor, or a
    cannot-link whose other evidence would reach the link threshold."""
    return can_matter(p.score, p.components[p.hard_conflict]["weight"] if p.hard_conflict else None, model, margin)


def can_matter(score: float, hard_weight: float | None, model: Model, margin: float = 0.0) -> bool:
    """worth_keeping on a bare score; `hard_weight` is the cannot-link level's weight, if any."""
    if hard_weight is not None:
        return score - hard_weight + margin >= model.link_threshold
    return score + margin >= model.evidence_floor


def stored_pairs(pairs: list[PairScore] | ScoredPairs, model: Model, near_misses: int = 5,
                 near_of: set[str] | None = None) -> list[PairScore]:
    """stored_rows, as PairScores (those of a list, in its order)."""
    if isinstance(pairs, ScoredPairs):
        return [pairs.pair(n) for n in stored_rows(pairs, model, near_misses, near_of)]
    table = ScoredPairs.of(pairs, sorted({mid for p in pairs for mid in (p.left_id, p.right_id)}))
    stored = {table.key(n) for n in stored_rows(table, model, near_misses, near_of)}
    return [p for p in pairs if (p.left_id, p.right_id) in stored]


def stored_rows(pairs: ScoredPairs, model: Model, near_misses: int = 5, near_of: set[str] | None = None) -> array:
    """Pairs worth keeping as evidence, of those worth keeping at all: every
    pair the clustering merged (or an analyst decided), each mention's
    `near_misses` best-scoring pairs that were kept apart, and the
    cannot-links whose other evidence alone would have linked them (the ones
    a reader asks about). Evidence thus grows with the mentions, not with the
    blocks; `python -m dedupe.explain` scores any other pair on demand.

    With `near_of`, only those mentions' near misses are kept: an update scores only the
    pairs of its new reports, and a stored report's best among those alone is rarely among
    its best of all, which the build that stored it kept already."""
    scores, hard, score, hard_weight = pairs.scores, pairs.hard, pairs.score, pairs.hard_weight
    decisions = pairs.decisions or [None] * len(pairs)
    worth = bytes(can_matter(score(n), hard_weight(n), model)
                  or (decisions[n] or "").endswith("(analyst)") for n in range(len(pairs)))
    # Each mention's best so far only, not all its kept-apart pairs: most kept pairs are kept apart.
    best: dict[str, list[tuple[float, str, str]]] = defaultdict(list)
    for n in range(len(pairs)):
        if decisions[n] == "kept-apart" and worth[n] and near_misses:
            left, right = pairs.key(n)
            entry = (-scores[n], left, right)  # thousandths: the same order as the scores
            for mid in (left, right):
                if near_of is not None and mid not in near_of:
                    continue
                ranked = best[mid]
                if len(ranked) < near_misses or entry < ranked[-1]:
                    bisect.insort(ranked, entry)
                    del ranked[near_misses:]
    near = {(x, y) for ranked in best.values() for _, x, y in ranked}
    return array("I", (n for n in range(len(pairs)) if worth[n] and (
        decisions[n] not in ("kept-apart", "cannot-link") or hard[n] >= 0
        or (decisions[n] == "kept-apart" and pairs.key(n) in near))))
