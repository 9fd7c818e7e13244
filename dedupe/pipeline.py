"""Run the stages in order: sources -> articles -> mentions -> matching ->
clustering -> canonical -> store. Each stage gets plain dataclasses from the
one before it and never reaches back."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .articles import find_duplicates, parse_article
from .boilerplate import mark_boilerplate
from .canonical import build_incidents
from .clustering import Constraints, cluster_mentions, label_decisions
from .comparisons import Model, load_model
from .decisions import Decision, DecisionWarning, StaleDecision, describe, load_decisions, resolve_decisions
from .matching import calibrate_prior, match_mentions, score_pair, stored_pairs
from .mentions import extract_mentions
from .models import Article, Incident, IngestError, Mention, PairScore, Place
from .places import Gazetteer
from .sources import read_inputs
from .store import write_database
from .vocabulary import load_vocabulary

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample"

Progress = Callable[[str, int, int], None]


@dataclass
class PipelineResult:
    articles: list[Article]
    mentions: list[Mention]
    pairs: list[PairScore]
    incidents: list[Incident]
    errors: list[IngestError]
    primary: dict[str, str]  # article id -> primary incident id
    timings: dict[str, float] = field(default_factory=dict)
    decisions: list[Decision] = field(default_factory=list)  # analyst decisions read, in file order
    stale_decisions: list[StaleDecision] = field(default_factory=list)  # those not applied, with the reason

    @property
    def places(self) -> list[Place]:
        seen: dict[str, Place] = {}
        for m in self.mentions:
            if m.place is not None:
                seen[m.place.id] = m.place
        for i in self.incidents:
            if i.place is not None:
                seen[i.place.id] = i.place
        return list(seen.values())


def default_inputs() -> list[Path]:
    """The bundled sample corpus, used when no input is given."""
    return [SAMPLE_DIR]


def load_articles(inputs: Iterable[str | Path], max_bytes: int) -> tuple[list[Article], list[IngestError]]:
    articles: list[Article] = []
    errors: list[IngestError] = []
    for item in read_inputs(inputs, max_bytes=max_bytes):
        if isinstance(item, IngestError):
            errors.append(item)
            continue
        try:
            article, warnings = parse_article(item)
        except ValueError as exc:
            errors.append(IngestError(item.path, item.line, str(exc)))
            continue
        errors.extend(warnings)
        articles.append(article)
    return dedupe_ids(articles), errors


def dedupe_ids(articles: list[Article]) -> list[Article]:
    """Identical texts share a text hash; the copy chosen first in a fixed order
    (not input order) keeps it, the others get an id salted with where they came
    from, and all point at it through duplicate_of."""
    groups: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        groups[a.id].append(a)
    out = []
    for aid, group in groups.items():
        group.sort(key=lambda a: (a.published or "9999", a.doc_id or "", a.path, a.line or 0))
        out.append(group[0])
        for other in group[1:]:
            salt = hashlib.sha1(f"{other.doc_id}|{other.path}|{other.line}".encode()).hexdigest()[:6]
            other.id = f"{aid}-{salt}"
            # Same text under another headline is a page template, not a copy.
            if not (other.title and group[0].title) or other.title.strip().lower() == group[0].title.strip().lower():
                other.duplicate_of = aid
            out.append(other)
    return sorted(out, key=lambda a: a.id)


def run_pipeline(
    inputs: Iterable[str | Path] | None = None,
    *,
    vocabulary: str | Path | None = None,
    comparisons: str | Path | None = None,
    max_bytes: int = 50_000_000,
    progress: Progress | None = None,
    decisions: str | Path | None = None,
) -> PipelineResult:
    """Everything but the database write: returns the in-memory result.

    `decisions` is an analyst decisions YAML (dedupe.decisions); a malformed
    file raises ValueError before anything is read, and each decision that
    cannot be applied is warned about (DecisionWarning) and kept in
    `stale_decisions`."""
    timings: dict[str, float] = {}
    analyst = load_decisions(decisions) if decisions else []
    t = time.perf_counter()
    articles, errors = load_articles(list(inputs) if inputs else default_inputs(), max_bytes)
    timings["parse"] = time.perf_counter() - t

    t = time.perf_counter()
    mark_boilerplate(articles)
    duplicates = find_duplicates(articles)
    for a in articles:
        if a.duplicate_of is None and a.id in duplicates:
            a.duplicate_of = duplicates[a.id]
    vocab = load_vocabulary(vocabulary)
    gazetteer = Gazetteer.default()
    mentions: list[Mention] = []
    for n, article in enumerate(articles, start=1):
        mentions.extend(extract_mentions(article, vocab, gazetteer))
        if progress:
            progress("extract", n, len(articles))
    timings["extract"] = time.perf_counter() - t

    t = time.perf_counter()
    model: Model = load_model(comparisons)
    pairs = match_mentions(mentions, model)
    model, pairs = calibrate_prior(pairs, mentions, model)
    timings["match"] = time.perf_counter() - t

    t = time.perf_counter()
    constraints, stale = resolve_decisions(analyst, mentions, articles)
    for s in stale:
        warnings.warn(f"{decisions}:{s.decision.line}: {describe(s.decision)} not applied ({s.status}): {s.reason}",
                      DecisionWarning, stacklevel=2)
    # Pairs an analyst named are scored and kept as evidence even when blocking did not propose them.
    by_id = {m.id: m for m in mentions}
    pairs = pairs + analyst_pairs(constraints, pairs, by_id, model)
    clusters = cluster_mentions(mentions, pairs, model.link_threshold, lambda a, b: score_pair(a, b, model),
                                constraints)
    label_decisions(pairs, clusters, constraints)
    incidents = build_incidents(clusters, by_id, {a.id: a for a in articles})
    primary = {}
    for m in sorted(mentions, key=lambda m: (m.article_id, m.order)):
        primary.setdefault(m.article_id, m.incident_id)
    timings["canonicalise"] = time.perf_counter() - t
    stored = stored_pairs(pairs, model)
    missing = set(constraints.named_pairs()) - {(p.left_id, p.right_id) for p in stored}
    stored += [p for p in pairs if (p.left_id, p.right_id) in missing]
    return PipelineResult(articles, mentions, stored, incidents, errors, primary, timings, analyst, stale)


def analyst_pairs(constraints: Constraints, pairs: list[PairScore], by_id: dict[str, Mention],
                  model: Model) -> list[PairScore]:
    """Scores for the must-link and cannot-link pairs that matching did not compare."""
    seen = {(p.left_id, p.right_id) for p in pairs}
    return [score_pair(by_id[x], by_id[y], model) for x, y in constraints.named_pairs() if (x, y) not in seen]


def build_database(
    inputs: Iterable[str | Path] | None,
    db_path: str | Path,
    *,
    vocabulary: str | Path | None = None,
    comparisons: str | Path | None = None,
    max_bytes: int = 50_000_000,
    progress: Progress | None = None,
    decisions: str | Path | None = None,
) -> tuple[PipelineResult, dict]:
    """Build `db_path` from the inputs (the bundled sample when none)."""
    started = time.perf_counter()
    input_list = [str(p) for p in (inputs or default_inputs())]
    result = run_pipeline(input_list, vocabulary=vocabulary, comparisons=comparisons, max_bytes=max_bytes,
                          progress=progress, decisions=decisions)
    t = time.perf_counter()
    info = {
        "version": __version__,
        "built_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "inputs": json.dumps(input_list),
        "articles": len(result.articles),
        "mentions": len(result.mentions),
        "incidents": len(result.incidents),
        "disputed": sum(1 for i in result.incidents if i.disputed),
        "errors": len(result.errors),
        "seconds": 0.0,
        "vocabulary": str(vocabulary or "bundled"),
        "comparisons": str(comparisons or "bundled"),
        "decisions": len(result.decisions),
    }
    info["seconds"] = round(time.perf_counter() - started, 2)
    if not result.articles:
        # Nothing usable: keep whatever database is there rather than replace it with an empty one.
        return result, info
    write_database(db_path, articles=result.articles, mentions=result.mentions, incidents=result.incidents,
                   pairs=result.pairs, places=result.places, errors=result.errors, primary=result.primary,
                   info=info, decisions=result.decisions, stale_decisions=result.stale_decisions)
    result.timings["write"] = time.perf_counter() - t
    info["seconds"] = round(time.perf_counter() - started, 2)
    return result, info
