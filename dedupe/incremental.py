"""`--update`: add new articles to an existing database in place.

The cost follows the new input, not the corpus. Articles the database
already has (same text, same id) are skipped. The new articles' reports are
read as in a full build, using the corpus statistics the database keeps
(boilerplate lines, document frequencies, the estimated prior), and matched
against the existing incidents they could belong to: those reported at the
same place within a date window, or in articles whose text best matches
(full-text search). Their reports are rebuilt from the database with the
features the full build stored (mention_features), so they score as they
did then, without reading their articles again. Only the blocked pairs with
a new report are scored: the pairs of two stored reports were clustered by the
build that stored them, and a merge that needs one scores it on demand.
Existing incidents are joined by new reports or merged with each other (the
absorbed id then redirects), and split only where the new reports change the
crowd level of one of their reports (dedupe.crowding): a full build would score
those pairs differently, so their reports are clustered again, from all their
pairs. Everything is written in one transaction (store.update), the stored
evidence relabelled by the incidents its reports are in now.

Analyst decisions are applied by full builds; an update keeps the incidents
they shaped and lets new reports join them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import time
from collections import Counter, defaultdict
from collections.abc import Container, Iterable
from pathlib import Path
from typing import Any

from .boilerplate import common_lines, mark_lines
from .canonical import build_incidents
from .clustering import cluster_mentions, label_decisions
from .comparisons import Model, level_reached, load_model
from .crowding import count_crowds, crowd_entry
from .dates import parse_published
from .duplicates import find_duplicates
from .evidence import with_components
from .home_country import count_homes, count_lead_places, note_home_cities, settle_namesakes
from .identity import Previous, assign_ids
from .matching import document_frequencies, link_pairs, score_many, score_slim, stored_pairs
from .models import Article, CorpusStats, DateInterval, Mention
from .parallel import make_runner
from .pipeline import (
    PipelineResult,
    Progress,
    StrictError,
    build_database,
    build_info,
    extract_all,
    load_articles,
)
from .places import Gazetteer
from .store.update import (
    StoredIncidentIds,
    apply_update,
    document_terms,
    is_incident_db,
    known_article_ids,
    open_for_update,
    read_city_leads,
    read_context,
    read_stored,
    stored_lead_places,
)

TEXT_TERMS = 6  # distinctive terms of a new article searched for in the existing articles
TEXT_TERM_SHARE = 0.01  # of the articles, at most, that a searched term is in
TEXT_TERM_FLOOR = 50  # ... or this many, in a small corpus
# ... and never more than this many: a search ranks every article holding its terms, so at a million
# articles 1% let each of 10,000 searches rank tens of thousands of articles
TEXT_TERM_MOST = 1_000


def update_database(
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
    window_days: int = 31,
) -> tuple[PipelineResult, dict]:
    """Add `inputs` to the database at `db_path`; a full build when there is none yet.

    Returns the result for the new articles (their mentions, the new and
    changed incidents) and the build_info row written."""
    if not is_incident_db(db_path):
        return build_database(inputs, db_path, vocabulary=vocabulary, comparisons=comparisons,
                              max_bytes=max_bytes, progress=progress, decisions=decisions, workers=workers,
                              scheduler=scheduler, strict=strict)
    started = time.perf_counter()
    timings: dict[str, float] = {}
    input_list = [str(p) for p in inputs or ()]
    db = open_for_update(db_path)
    try:
        stored = read_stored(db)
        with make_runner(workers, scheduler) as runner:
            t = time.perf_counter()
            parsed, errors = load_articles(input_list, max_bytes, runner)
            if strict and errors:
                raise StrictError(errors)
            known = known_article_ids(db, [a.id for a in parsed])
            new = [a for a in parsed if a.id not in known]
            timings["parse"] = time.perf_counter() - t
            if not new and not errors:
                # Nothing to add: leave the database (and its build history) untouched.
                result = PipelineResult([], [], [], [], [], {}, timings)
                info = build_info(result, input_list, vocabulary, comparisons, mode="update")
                info.update(skipped=len(parsed), seconds=round(time.perf_counter() - started, 2))
                return result, info

            t = time.perf_counter()
            common = common_lines(new) - stored.boilerplate_lines
            mark_lines(new, stored.boilerplate_lines | common)
            mentions = extract_all(new, vocabulary, runner, progress)
            # Home state and country as a full build of old and new articles would count them.
            gazetteer = Gazetteer.default()
            sources = {a.id: a.source for a in new}
            stored_leads = ((s, p, text) for s, pid, text in stored_lead_places(db) if (p := gazetteer.get(pid)))
            homes = count_homes(mentions, sources, gazetteer).add(count_lead_places(stored_leads, gazetteer))
            settle_namesakes(mentions, sources, homes, gazetteer)
            note_home_cities(mentions, sources, homes)
            timings["extract"] = time.perf_counter() - t

            t = time.perf_counter()
            new_df = document_frequencies(mentions)
            # Rare in the whole corpus, not only in the new articles: a word common there is slow to search.
            corpus_df = Counter(document_terms(db, new_df))
            corpus_df.update(new_df)
            ctx = read_context(db, mentions, window_days, text_terms={
                m.id: distinctive_terms(m, corpus_df, stored.documents + len(new)) for m in mentions if "doc_terms" in m.features})
            old_articles = [article_from_row(r) for r in ctx.articles]
            old_mentions = complete_incidents(
                [m for row in ctx.mentions if (m := mention_from_row(row, gazetteer)) is not None], ctx.incident_of)
            duplicates = find_duplicates(new + old_articles)
            for a in new:
                if a.duplicate_of is None and a.id in duplicates:
                    a.duplicate_of = duplicates[a.id]

            work = old_mentions + mentions
            # corpus_df has the new reports' terms already (stored and new counts): read only the rest.
            df = corpus_df.copy()
            df.update(document_terms(db, {t for m in old_mentions for t in m.features.get("doc_terms", ())} - df.keys()))
            model = load_model(comparisons)
            if stored.prior is not None:
                model = dataclasses.replace(model, prior=stored.prior)
            model = dataclasses.replace(model, estimate_prior=False)  # the full build estimated it
            # complete_incidents kept every report of each incident it kept: none of those is read again.
            held = {ctx.incident_of[m.id] for m in old_mentions}
            leads = stored_crowd_leads(db, work, model.crowd_days, gazetteer, held) \
                if "crowd" in model.comparisons else []
            stored_crowd = {m.id: m.features.get("crowd") for m in old_mentions}
            if "crowd" in model.comparisons:
                count_crowds(work, model.crowd_days, leads)  # as link_pairs will: recount needs them first
            # An incident whose reports' crowd level the new reports changed would be clustered otherwise
            # by a full build (its pairs score differently): its reports start apart again.
            # Not one an analyst's decision shaped: an update keeps those as they are.
            decided = decided_ids(db)
            kept = {ctx.incident_of[m.id] for m in old_mentions if m.id in decided or m.article_id in decided}
            recount = {ctx.incident_of[m.id] for m in old_mentions
                       if crowd_band(stored_crowd[m.id], model) != crowd_band(m.features.get("crowd"), model)} - kept
            # Only the pairs with a new report, or with a report of an incident clustered again: the
            # stored incidents stand as they were clustered, and average linkage scores any pair of
            # two stored reports that a merge needs on demand.
            focus = [n for n, m in enumerate(work)
                     if m.id not in ctx.incident_of or ctx.incident_of[m.id] in recount]
            model, pairs = link_pairs(work, model, corpus=(df, stored.documents + sum(1 for m in mentions if m.order == 0)),
                                      crowd_leads=leads, runner=runner, focus=focus)
            timings["match"] = time.perf_counter() - t

        t = time.perf_counter()
        groups: dict[str, list[str]] = defaultdict(list)
        for m in old_mentions:
            groups[ctx.incident_of[m.id]].append(m.id)
        initial = [sorted(g) for iid, g in sorted(groups.items()) if iid not in recount]
        clusters = cluster_mentions(work, pairs, model.link_threshold, lambda a, b: score_slim(a, b, model),
                                    initial=initial, score_many=score_many(work, model))
        label_decisions(pairs, clusters)
        previous = Previous({m.id: ctx.incident_of[m.id] for m in old_mentions}, stored.redirects,
                            StoredIncidentIds(db))
        ids, redirects = assign_ids(clusters, previous)
        fresh = {m.id for m in mentions}
        changed = [n for n, c in enumerate(clusters)
                   if any(x in fresh for x in c) or sorted(c) != sorted(groups.get(ids[n], ()))]
        by_id = {m.id: m for m in work}
        articles_by_id = {a.id: a for a in old_articles + new}
        incidents = build_incidents([clusters[n] for n in changed], by_id, articles_by_id, [ids[n] for n in changed])
        # Existing reports of the new and changed incidents (build_incidents named only those).
        moved = {m.id: m.incident_id for m in old_mentions if m.incident_id is not None}
        absorbed = sorted(set(groups) - set(ids))
        timings["canonicalise"] = time.perf_counter() - t

        t = time.perf_counter()
        changed_ids = {ids[n] for n in changed}
        evidence = with_components(
            [p for p in stored_pairs(pairs, model, near_of={work[n].id for n in focus})
             if by_id[p.left_id].incident_id in changed_ids or by_id[p.right_id].incident_id in changed_ids],
            by_id, model)
        corpus = CorpusStats(common, {term: df[term] for term in new_df}, 0)
        primary = {m.article_id: m.incident_id for m in sorted(mentions, key=lambda m: -m.order)}
        result = PipelineResult(new, mentions, evidence, incidents, errors, primary, timings, [], [], redirects,
                                model.prior, corpus)
        info = build_info(result, input_list, vocabulary, comparisons, mode="update")
        info["articles"], info["mentions"] = len(new), len(mentions)
        apply_update(db, articles=new, mentions=mentions, moved=moved, incidents=incidents, absorbed=absorbed,
                     pairs=evidence, places=result.places, errors=errors, redirects=redirects, corpus=corpus,
                     info={**info, "seconds": round(time.perf_counter() - started, 2),
                           "inputs": json.dumps(input_list)},
                     sources={a.id: a.source for a in articles_by_id.values()},
                     touched_articles={m.article_id for m in old_mentions if m.id in moved})
        timings["write"] = time.perf_counter() - t
        info["skipped"] = len(parsed) - len(new)
        info["seconds"] = round(time.perf_counter() - started, 2)
        return result, info
    finally:
        db.close()


def decided_ids(db: Any) -> set[str]:
    """The mention and article ids the database's applied analyst decisions name."""
    return {i for (ids,) in db.execute("select ids from decisions where status = 'applied'") for i in json.loads(ids)}


def crowd_band(crowd: int | None, model: Model) -> str | None:
    """The crowd comparison's level a report's count falls in (comparisons.level_reached); None
    without a crowd comparison or a count."""
    if crowd is None or "crowd" not in model.comparisons:
        return None
    return level_reached(crowd, model.comparisons["crowd"])


def crowd_spans(mentions: list[Mention], days: float) -> dict[str, tuple[str, str]]:
    """Per city of `mentions`, the ISO days a stored report's date or publication day must meet
    for it to be within `days` of one of them as crowding counts (dedupe.crowding): its time is
    the middle of its date when that is narrow, else its publication day."""
    spans: dict[str, tuple[float, float]] = {}
    for m in mentions:
        if (entry := crowd_entry(m)) is not None:
            city, t, _ = entry
            lo, hi = spans.get(city, (t, t))
            spans[city] = (min(lo, t), max(hi, t))
    return {city: (dt.date.fromordinal(math.floor(lo - days)).isoformat(),
                   dt.date.fromordinal(math.ceil(hi + days)).isoformat()) for city, (lo, hi) in spans.items()}


def stored_crowd_leads(db: Any, work: list[Mention], days: float, gazetteer: Gazetteer,
                       held: Container[str] = frozenset()) -> list[tuple[str, float, str]]:
    """The stored lead reports outside the working set that count towards its reports' crowds
    (dedupe.crowding), so that an update counts a crowd as a full build of the old and new
    articles would, not only the part of it the working set holds. `held`: stored incidents all
    of whose reports are in the working set, whose leads are not read again."""
    seen = {m.id for m in work}
    leads = []
    for row in read_city_leads(db, crowd_spans(work, days), held):
        if row["id"] in seen or (m := mention_from_row(row, gazetteer)) is None:
            continue
        seen.add(m.id)
        if (entry := crowd_entry(m)) is not None:
            leads.append(entry)
    return leads


def distinctive_terms(lead: Mention, df: Counter[str], documents: int) -> list[str]:
    """The lead's rarest multi-word names and words: what a full-text search
    for other reports of the same incident should look for. Not a term in more
    than TEXT_TERM_SHARE of the `documents` (df counts them), nor in more than
    TEXT_TERM_MOST: it names no incident, and the search reads every article that has it.
    Nor a name with a word the article does not count as one of its words (a stopword or a word
    of two letters: 'Road In' and 'On Main' from a title-case headline). The search looks for the
    name as a phrase, reading every article with each of its words: at a million articles 'in'
    is in all of them, and such a phrase matches tens of thousands (a third of the search's time
    in a 1% update for a tenth of the incidents it found)."""
    terms = dict(lead.features["doc_terms"].items())
    most = min(TEXT_TERM_MOST, max(TEXT_TERM_FLOOR, TEXT_TERM_SHARE * documents))
    ranked = sorted((t for t in terms if df[t] <= most and all(w in terms for w in t.split(" "))),
                    key=lambda t: (" " not in t, df[t], -terms[t], t))
    return ranked[:TEXT_TERMS]


def complete_incidents(mentions: list[Mention], incident_of: dict[str, str]) -> list[Mention]:
    """Only the incidents all of whose reports could be rebuilt: one with a
    report stored without features (a database from an older version) is
    left as it is rather than rebuilt from part of its reports."""
    found = Counter(incident_of[m.id] for m in mentions)
    expected = Counter(incident_of.values())
    return [m for m in mentions if found[incident_of[m.id]] == expected[incident_of[m.id]]]


def mention_from_row(row: dict[str, Any], gazetteer: Gazetteer) -> Mention | None:
    """A stored report with the features a full build gave it; None when it was stored without them."""
    if not row.get("features"):
        return None
    features = json.loads(row["features"])
    d = features.pop("date")
    date = DateInterval(
        dt.date.fromisoformat(row["date_earliest"]) if row["date_earliest"] else None,
        dt.date.fromisoformat(row["date_latest"]) if row["date_latest"] else None,
        d["precision"], d["weekday"], tuple(d["month_day"]) if d["month_day"] else None, d["text"])
    return Mention(
        id=row["id"], article_id=row["article_id"], start=row["start"], end=row["end"], sentence=row["sentence"],
        event_type=row["event_type"], weapon=row["weapon"], quantity=row["quantity"],
        place=gazetteer.get(row["place_id"]) if row["place_id"] else None, place_text=row["place_text"], date=date,
        date_text=row["date_text"], outcome=row["outcome"], outcome_text=row["outcome_text"], killed=row["killed"],
        injured=row["injured"], attribution=row["attribution"], order=row["position"], features=features)


def article_from_row(row: dict[str, Any]) -> Article:
    """An article as a build stored it, ready to be read again."""
    return Article(
        id=row["id"], doc_id=row["doc_id"], path=row["path"], line=row["line"], source=row["source"],
        title=row["title"], url=row["url"], published=row["published"],
        published_precision=row["published_precision"], published_interval=parse_published(row["published"]),
        byline=row["byline"], dateline=row["dateline"], text=row["text"],
        extra=json.loads(row["extra"]) if row.get("extra") else {}, duplicate_of=row["duplicate_of"],
        boilerplate=[tuple(s) for s in json.loads(row["boilerplate"])] if row.get("boilerplate") else [],
    )
