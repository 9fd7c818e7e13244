"""Blocking and pair scoring.

Blocking keeps the number of compared pairs roughly proportional to the
number of mentions: only mentions that share a key (same article, same place,
same weapon in the same month, a shared rare word) are compared, and keys
whose block grows past `max_block` are dropped as too unspecific.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from .comparisons import LEVEL_FUNCTIONS, Model
from .models import Mention, PairScore

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")
_STOP = frozenset("""
that this with from have were been their there said says which would could about after before they them
than into over under also when what where while will your more most some such only other police officers
told according news report reported people year years week monday tuesday wednesday thursday friday
saturday sunday january february march april june july august september october november december
""".split())


def block_keys(m: Mention, rare: list[str]) -> set[str]:
    keys = {f"article:{m.article_id}"}
    months = months_of(m)
    if m.place is not None and m.place.kind != "country":
        ids = [m.place.id] + [a for a in m.place.ancestors if not a.startswith(("country:", "admin1:"))][:1]
        for pid in ids:
            keys.add(f"place:{pid}")
            keys.update(f"place:{pid}:{mon}" for mon in months)
    if m.weapon:
        keys.update(f"weapon:{m.weapon}:{mon}" for mon in months)
    keys.update(f"word:{w}" for w in rare)
    return keys


def months_of(m: Mention) -> list[str]:
    """Calendar months the mention's date may fall in, if few enough to be useful."""
    d = m.date
    if d.earliest is None or d.latest is None or (d.latest - d.earliest).days > 62:
        return []
    out, y, mo = [], d.earliest.year, d.earliest.month
    while (y, mo) <= (d.latest.year, d.latest.month):
        out.append(f"{y:04d}-{mo:02d}")
        y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
    return out


def content_words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)} - _STOP


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
    for m in leads:
        weights = {t: (1 + math.log(c)) * (math.log((n + 1) / (df[t] + 1)) + 1)
                   for t, c in m.features["doc_terms"].items()}
        top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:keep]
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        m.features["doc_vec"] = {t: w / norm for t, w in top}
        # Blocking keys: the heaviest terms that some other article shares.
        m.features["doc_keys"] = [t for t, _ in top if df[t] > 1][:4]


def candidate_pairs(mentions: list[Mention], max_block: int = 400) -> list[tuple[int, int]]:
    """Index pairs (i < j) of mentions sharing at least one usable blocking key."""
    words = [content_words(m.sentence) for m in mentions]
    df = Counter(w for ws in words for w in ws)
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        # The three rarest words seen elsewhere too: cheap recall for reports
        # whose place or date could not be resolved.
        rare = sorted((w for w in words[i] if df[w] > 1), key=lambda w: (df[w], w))[:3]
        for key in block_keys(m, rare):
            blocks[key].append(i)
        for term in m.features.get("doc_keys", ()):
            blocks[f"doc:{term}"].append(i)
    pairs: set[tuple[int, int]] = set()
    for key, members in blocks.items():
        if len(members) < 2 or (len(members) > max_block and not key.startswith("article:")):
            continue
        pairs.update(itertools.combinations(members, 2))
    return sorted(pairs)


def score_pair(a: Mention, b: Mention, model: Model) -> PairScore:
    """Score two mentions: prior plus each comparison's level weight."""
    components: dict[str, dict[str, object]] = {}
    total = model.base(a.article_id == b.article_id)
    hard = None
    for name, levels in model.comparisons.items():
        label = LEVEL_FUNCTIONS[name](a, b, levels)
        lv = model.weight(name, label)
        components[name] = {"level": label, "weight": lv.weight}
        total += lv.weight
        if lv.hard and hard is None:
            hard = name
    left, right = (a, b) if a.id < b.id else (b, a)
    return PairScore(left.id, right.id, round(total, 3), probability(total), components, hard)


def probability(score: float) -> float:
    return round(1.0 / (1.0 + math.pow(2.0, -max(min(score, 60.0), -60.0))), 4)


def match_mentions(mentions: list[Mention], model: Model,
                   corpus: tuple[Counter[str], int] | None = None) -> list[PairScore]:
    """Score every blocked candidate pair (deterministic order)."""
    max_block = int(model.blocking.get("max_block", 400))
    weigh_documents(mentions, corpus=corpus)
    return [score_pair(mentions[i], mentions[j], model) for i, j in candidate_pairs(mentions, max_block)]


MAX_SHIFT = 6.0  # how far the estimated prior may move from the file's


def calibrate_prior(pairs: list[PairScore], mentions: list[Mention], model: Model,
                    min_pairs: int = 30, more: Iterable[float | None] = ()) -> tuple[Model, list[PairScore]]:
    """Estimate this corpus's prior by expectation-maximisation, as Splink does
    for its lambda: the share of true matches among blocked pairs of two
    articles' lead reports is high where many articles cover few events and
    low where many look-alike incidents are covered once each, and the fixed
    prior in the file cannot be right for both. Returns the model with the
    estimated prior and the pairs rescored with it; small corpora (fewer than
    `min_pairs` pairs) keep the file's prior. `more` is the evidence (score
    less prior, None for a cannot-link) of lead pairs not in `pairs`."""
    if not model.estimate_prior:
        return model, pairs
    lead = {m.id for m in mentions if m.order == 0}
    article = {m.id: m.article_id for m in mentions}
    evidence = [None if p.hard_conflict else p.score - model.prior for p in pairs
                if p.left_id in lead and p.right_id in lead and article[p.left_id] != article[p.right_id]]
    evidence.extend(more)
    if len(evidence) < min_pairs:
        return model, pairs
    lam = 1.0 / (1.0 + 2.0 ** -model.prior)
    for _ in range(100):
        logit = math.log2(lam / (1.0 - lam))
        posterior = sum(0.0 if e is None else 1.0 / (1.0 + 2.0 ** -max(min(logit + e, 60.0), -60.0))
                        for e in evidence)
        new = min(max(posterior / len(evidence), 1e-4), 0.95)
        if abs(new - lam) < 1e-6:
            break
        lam = new
    prior = round(max(model.prior - MAX_SHIFT, min(model.prior + MAX_SHIFT, math.log2(lam / (1.0 - lam)))), 3)
    shift = prior - model.prior
    rescored = [p if article[p.left_id] == article[p.right_id] else
                dataclasses.replace(p, score=round(p.score + shift, 3), probability=probability(p.score + shift))
                for p in pairs]
    return dataclasses.replace(model, prior=prior), rescored


def link_pairs(mentions: list[Mention], model: Model,
               corpus: tuple[Counter[str], int] | None = None) -> tuple[Model, list[PairScore]]:
    """Score every blocked pair, estimate the prior (calibrate_prior), and keep
    only the pairs that can matter: any that could link or be kept as
    evidence (worth_keeping). The others, most pairs of a large corpus, are
    dropped as they are scored, so memory follows the pairs that matter; the
    clustering scores any pair it needs again on demand, to the same value."""
    max_block = int(model.blocking.get("max_block", 400))
    weigh_documents(mentions, corpus=corpus)
    margin = MAX_SHIFT if model.estimate_prior else 0.0
    lead = {m.id for m in mentions if m.order == 0}
    kept: list[PairScore] = []
    dropped_leads: list[float | None] = []
    for i, j in candidate_pairs(mentions, max_block):
        a, b = mentions[i], mentions[j]
        p = score_pair(a, b, model)
        if worth_keeping(p, model, margin):
            # Clustering needs only the score (and a cannot-link's own weight, see worth_keeping);
            # the per-comparison components, most of a pair's memory, are scored again for the
            # few pairs stored as evidence (with_components).
            slim = {p.hard_conflict: p.components[p.hard_conflict]} if p.hard_conflict else {}
            kept.append(dataclasses.replace(p, components=slim))
        elif a.id in lead and b.id in lead and a.article_id != b.article_id:
            dropped_leads.append(None if p.hard_conflict else p.score - model.prior)
    model, kept = calibrate_prior(kept, mentions, model, more=dropped_leads)
    return model, [p for p in kept if worth_keeping(p, model)]


def with_components(pairs: Iterable[PairScore], mentions: dict[str, Mention], model: Model) -> list[PairScore]:
    """The pairs with their per-comparison components (link_pairs drops them
    to save memory), scored again with the same model: the same scores."""
    out = []
    for p in pairs:
        if len(p.components) < len(model.comparisons):
            full = score_pair(mentions[p.left_id], mentions[p.right_id], model)
            p = dataclasses.replace(p, components=full.components)
        out.append(p)
    return out


def worth_keeping(p: PairScore, model: Model, margin: float = 0.0) -> bool:
    """Whether a pair can still link or be stored as evidence once the prior
    has moved by at most `margin`: a score above the evidence floor, or a
    cannot-link whose other evidence would reach the link threshold."""
    if p.hard_conflict:
        return p.score - p.components[p.hard_conflict]["weight"] + margin >= model.link_threshold
    return p.score + margin >= model.evidence_floor


def stored_pairs(pairs: Iterable[PairScore], model: Model, near_misses: int = 5) -> list[PairScore]:
    """Pairs worth keeping as evidence, of those worth keeping at all: every
    pair the clustering merged (or an analyst decided), each mention's
    `near_misses` best-scoring pairs that were kept apart, and the
    cannot-links whose other evidence alone would have linked them (the ones
    a reader asks about). Evidence thus grows with the mentions, not with the
    blocks; `python -m dedupe.explain` scores any other pair on demand."""
    pairs = [p for p in pairs if worth_keeping(p, model) or (p.decision or "").endswith("(analyst)")]
    best: dict[str, list[tuple[float, str, str]]] = defaultdict(list)
    for p in pairs:
        if p.decision == "kept-apart":
            for mid in (p.left_id, p.right_id):
                best[mid].append((-p.score, p.left_id, p.right_id))
    near = {(x, y) for ranked in best.values() for _, x, y in sorted(ranked)[:near_misses]}
    return [p for p in pairs if p.decision not in ("kept-apart", "cannot-link") or (p.left_id, p.right_id) in near
            or p.hard_conflict]
