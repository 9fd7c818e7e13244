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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .boilerplate import common_lines, mark_lines
from .canonical import build_incidents
from .clustering import Constraints, cluster_mentions, label_decisions
from .comparisons import Model, load_model
from .decisions import Decision, DecisionWarning, StaleDecision, describe, load_decisions, resolve_decisions
from .duplicates import find_duplicates
from .evidence import Evidence
from .home_country import count_homes, note_home_cities, settle_namesakes
from .identity import Previous, assign_ids
from .matching import document_frequencies, link_pairs, score_many, score_pair, score_slim, stored_rows
from .models import (
    Article,
    CorpusStats,
    Incident,
    IngestError,
    Mention,
    PairScore,
    Place,
    RawDocument,
    ScoredPairs,
    TermMap,
)
from .parallel import Runner, chunked, extract_chunk, fewer_collections, make_runner, parse_chunk
from .sources import read_inputs
from .spool import TextSpool, chunks_with_texts, with_texts
from .store import read_previous, write_database

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample"

Progress = Callable[[str, int, int], None]


@dataclass
class PipelineResult:
    articles: list[Article]
    mentions: list[Mention]
    pairs: Sequence[PairScore]  # the stored evidence, in (left, right) order (evidence.Evidence)
    incidents: list[Incident]
    errors: list[IngestError]
    primary: dict[str, str]  # article id -> primary incident id
    timings: dict[str, float] = field(default_factory=dict)
    decisions: list[Decision] = field(default_factory=list)  # analyst decisions read, in file order
    stale_decisions: list[StaleDecision] = field(default_factory=list)  # those not applied, with the reason
    redirects: dict[str, str] = field(default_factory=dict)  # absorbed incident id -> surviving id
    prior: float | None = None  # the match prior used (estimated for this corpus)
    corpus: CorpusStats | None = None  # statistics an --update reuses
    # The articles' texts, which are not on `articles` (a large build would hold them all): text_of(a).
    texts: TextSpool | None = None

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


class StrictError(ValueError):
    """An input could not be used and the build was asked to treat that as fatal."""

    def __init__(self, errors: list[IngestError]) -> None:
        self.errors = errors
        first = errors[0]
        where = f"{first.path}:{first.line}" if first.line else first.path
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{where}: {first.reason}{more}")


def load_articles(inputs: Iterable[str | Path], max_bytes: int, runner: Runner | None = None,
                  spool: TextSpool | None = None) -> tuple[list[Article], list[IngestError]]:
    """Every input record as an Article, or an IngestError saying why not
    (warnings about records that were still usable come back as errors too).
    With a `spool`, each text goes into it as its article arrives (dedupe.spool)."""
    runner = runner or Runner()
    articles: list[Article] = []
    errors: list[IngestError] = []

    def records() -> Iterator[RawDocument]:
        # Reading stays in this process (it is I/O); chunks of records go to the runner.
        for item in read_inputs(inputs, max_bytes=max_bytes):
            if isinstance(item, IngestError):
                errors.append(item)
            else:
                yield item

    intervals: dict[object, object] = {}
    for parsed in runner.map(parse_chunk, chunked(records())):
        for article, problems in parsed:
            errors.extend(problems)
            if article is not None:
                # One copy of each publication date (100k articles have ~27k), as share_values does.
                article.published_interval = intervals.setdefault(article.published_interval,  # type: ignore[assignment]
                                                                  article.published_interval)
                if spool is not None:
                    spool.put(article)
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
        # Salted with the record's own id where it has one, so that splitting or
        # renaming input files (as an --update does) keeps a copy's id.
        doc_ids = [a.doc_id for a in group]
        by_doc = all(doc_ids) and len(set(doc_ids)) == len(doc_ids)
        for other in group[1:]:
            where = other.doc_id if by_doc else f"{other.doc_id}|{other.path}|{other.line}"
            other.id = f"{aid}-{hashlib.sha1(where.encode()).hexdigest()[:6]}"
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
    workers: int = 1,
    scheduler: Any = None,
    previous: Previous | None = None,
    strict: bool = False,
) -> PipelineResult:
    """Everything but the database write: returns the in-memory result.

    `decisions` is an analyst decisions YAML (dedupe.decisions); a malformed
    file raises ValueError before anything is read, and each decision that
    cannot be applied is warned about (DecisionWarning) and kept in
    `stale_decisions`. `workers` processes (or the Dask `scheduler`) parse and
    extract; the result does not depend on how many. `previous` is what the
    database being replaced knew, so incidents keep their ids
    (dedupe.identity). With `strict`, any input that cannot be used raises
    StrictError before extraction starts."""
    timings: dict[str, float] = {}
    analyst = load_decisions(decisions) if decisions else []
    with make_runner(workers, scheduler) as runner, fewer_collections():
        t = time.perf_counter()
        texts = TextSpool()
        articles, errors = load_articles(list(inputs) if inputs else default_inputs(), max_bytes, runner, texts)
        timings["parse"] = time.perf_counter() - t
        if strict and errors:
            raise StrictError(errors)

        t = time.perf_counter()
        common = common_lines(with_texts(articles, texts))
        mark_lines(with_texts(articles, texts), common)
        duplicates = find_duplicates(articles, texts.text_of)
        for a in articles:
            if a.duplicate_of is None and a.id in duplicates:
                a.duplicate_of = duplicates[a.id]
        mentions = extract_all(articles, vocabulary, runner, progress, texts)
        sources = {a.id: a.source for a in articles}
        homes = count_homes(mentions, sources)
        settle_namesakes(mentions, sources, homes)
        note_home_cities(mentions, sources, homes)
        timings["extract"] = time.perf_counter() - t

        t = time.perf_counter()
        model: Model = load_model(comparisons)
        model, pairs = link_pairs(mentions, model, runner=runner)
        timings["match"] = time.perf_counter() - t

    t = time.perf_counter()
    constraints, stale = resolve_decisions(analyst, mentions, articles)
    for s in stale:
        warnings.warn(f"{decisions}:{s.decision.line}: {describe(s.decision)} not applied ({s.status}): {s.reason}",
                      DecisionWarning, stacklevel=2)
    # Pairs an analyst named are scored and kept as evidence even when blocking did not propose them.
    by_id = {m.id: m for m in mentions}
    add_analyst_pairs(constraints, pairs, by_id, model)
    clusters = cluster_mentions(mentions, pairs, model.link_threshold, lambda a, b: score_slim(a, b, model),
                                constraints, score_many=score_many(mentions, model))
    label_decisions(pairs, clusters, constraints)
    ids, redirects = assign_ids(clusters, previous)
    incidents = build_incidents(clusters, by_id, {a.id: a for a in articles}, ids)
    primary = {}
    for m in sorted(mentions, key=lambda m: (m.article_id, m.order)):
        primary.setdefault(m.article_id, m.incident_id)
    timings["canonicalise"] = time.perf_counter() - t
    stored = stored_rows(pairs, model)
    named = set(constraints.named_pairs())
    if named:
        missing = named - {pairs.key(n) for n in stored}
        stored.extend(n for n in range(len(pairs)) if pairs.key(n) in missing)
    corpus = CorpusStats(common, dict(document_frequencies(mentions)), sum(1 for m in mentions if m.order == 0))
    return PipelineResult(articles, mentions, Evidence(pairs, stored, by_id, model), incidents, errors, primary,
                          timings, analyst, stale, redirects, model.prior, corpus, texts)


def extract_all(articles: list[Article], vocabulary: str | Path | None, runner: Runner,
                progress: Progress | None = None, texts: TextSpool | None = None) -> list[Mention]:
    """Every article's mentions, in article order, however many workers read them (the
    texts from `texts` when they are spooled)."""
    mentions: list[Mention] = []
    terms: dict[str, str] = {}
    values: dict[object, object] = {}
    done = 0
    for per_article in runner.map(extract_chunk, chunks_with_texts(chunked(articles), texts),
                                  str(vocabulary) if vocabulary else None):
        for found in per_article:
            for m in found:
                share_terms(m, terms)
                share_values(m, values)
            mentions.extend(found)
            done += 1
            if progress:
                progress("extract", done, len(articles))
    return mentions


def share_terms(mention: Mention, terms: dict[str, str]) -> None:
    """Make the lead's document terms the one copy of each term string in `terms`. Every
    article's word counts hold their own copies, and most are the same few words: at 10k
    articles 610k terms, 19k distinct, 34 MB of copies, kept until the write."""
    counts = mention.features.get("doc_terms")
    if counts:
        mention.features["doc_terms"] = TermMap(((terms.setdefault(t, t), n) for t, n in counts.items()), "I")


def share_values(mention: Mention, values: dict[object, object]) -> None:
    """Make the mention's place and date the one copy of each equal value in `values`. Each
    chunk of articles a worker extracts comes back with its own copies: at 100k articles
    70,156 Place objects for 1,831 places and 154,595 dates for 42,791 (about 100 MB). So too
    its publication day, and its flags of which fields its own sentence states: a dict of
    seven flags (270 bytes a report) with a few dozen distinct values, read-only from here on."""
    if mention.place is not None:
        mention.place = values.setdefault(mention.place, mention.place)  # type: ignore[assignment]
    mention.date = values.setdefault(mention.date, mention.date)  # type: ignore[assignment]
    features = mention.features
    if (published := features.get("published")) is not None:
        features["published"] = values.setdefault(published, published)
    if (explicit := features.get("explicit")) is not None:
        features["explicit"] = values.setdefault(("explicit", *sorted(explicit.items())), explicit)


def add_analyst_pairs(constraints: Constraints, pairs: ScoredPairs, by_id: dict[str, Mention], model: Model) -> None:
    """Score the must-link and cannot-link pairs that matching did not keep, and add them to `pairs`."""
    named = constraints.named_pairs()
    if not named:
        return
    position = {mid: n for n, mid in enumerate(pairs.ids)}
    starts = pairs.row_starts()
    missing = [(x, y) for x, y in named if pairs.find(position[x], position[y], starts) < 0]
    for x, y in missing:
        i, j = sorted((position[x], position[y]))
        pairs.add(i, j, score_pair(by_id[x], by_id[y], model))


def build_database(
    inputs: Iterable[str | Path] | None,
    db_path: str | Path,
    *,
    vocabulary: str | Path | None = None,
    comparisons: str | Path | None = None,
    max_bytes: int = 50_000_000,
    progress: Progress | None = None,
    decisions: str | Path | None = None,
    workers: int = 1,
    scheduler: Any = None,
    strict: bool = False,
) -> tuple[PipelineResult, dict]:
    """Build `db_path` from the inputs (the bundled sample when none). When
    `db_path` already holds a database, its incidents keep their ids and the
    ones absorbed by a merge get redirects (dedupe.identity)."""
    started = time.perf_counter()
    input_list = [str(p) for p in (inputs or default_inputs())]
    result = run_pipeline(input_list, vocabulary=vocabulary, comparisons=comparisons, max_bytes=max_bytes,
                          progress=progress, decisions=decisions, workers=workers, scheduler=scheduler,
                          previous=read_previous(db_path), strict=strict)
    t = time.perf_counter()
    info = build_info(result, input_list, vocabulary, comparisons)
    info["seconds"] = round(time.perf_counter() - started, 2)
    if not result.articles:
        # Nothing usable: keep whatever database is there rather than replace it with an empty one.
        return result, info
    with fewer_collections():
        write_database(db_path, articles=result.articles, mentions=result.mentions, incidents=result.incidents,
                       pairs=result.pairs, places=result.places, errors=result.errors, primary=result.primary,
                       info=info, decisions=result.decisions, stale_decisions=result.stale_decisions,
                       redirects=result.redirects, corpus=result.corpus,
                       text_of=result.texts.text_of if result.texts else None)
    result.timings["write"] = time.perf_counter() - t
    info["seconds"] = round(time.perf_counter() - started, 2)
    return result, info


def build_info(result: PipelineResult, inputs: list[str], vocabulary: str | Path | None,
               comparisons: str | Path | None, mode: str = "build") -> dict[str, Any]:
    """The build_info row: what went in and what came out."""
    return {
        "version": __version__,
        "built_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "mode": mode,
        "inputs": json.dumps(inputs),
        "articles": len(result.articles),
        "mentions": len(result.mentions),
        "incidents": len(result.incidents),
        "disputed": sum(1 for i in result.incidents if i.disputed),
        "errors": len(result.errors),
        "seconds": 0.0,
        "vocabulary": str(vocabulary or "bundled"),
        "comparisons": str(comparisons or "bundled"),
        "decisions": len(result.decisions),
        "prior": result.prior,
    }
