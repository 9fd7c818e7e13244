"""The rows of a build, one table at a time, and how they go into SQLite fast.

Row builders turn the pipeline's records into the columns declared in
`dedupe.store.TABLES` (a full build and an update share them). `insert_rows`
writes them with plain multi-row INSERT statements, in the chunks sqlite-utils
would use (100 rows, fewer when they would bind more than 999 values): the
full-text index's segments depend on where its pending terms are flushed (at
savepoints and statement starts), so the same chunks make the same `*_fts_*`
tables, byte for byte.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Iterable, Iterator
from math import copysign
from typing import Any

from sqlite_utils.db import SQLITE_MAX_VARS, jsonify_if_needed

from ..decisions import Decision, StaleDecision
from ..models import Article, Incident, Mention, PairScore, Place, SharedComponents, TermMap

BATCH = 100  # sqlite-utils' default batch_size
PLAIN = frozenset({str, int, float, type(None), bytes})  # bound as they are; anything else as sqlite-utils would


def insert_rows(conn: sqlite3.Connection, table: str, rows: Iterable[dict[str, Any]]) -> int:
    """Insert `rows` (dicts with the same keys, in the same order) into `table`, inside the open
    transaction, as `sqlite_utils.Table.insert_all` would (values converted with its
    jsonify_if_needed, min(100, 999 // columns) rows per statement, each in a savepoint) without
    its Python work per value. Returns the number of rows."""
    if not conn.in_transaction:
        raise ValueError("insert_rows needs an open transaction")
    it = iter(rows)
    first = next(it, None)
    if first is None:
        return 0
    columns = list(first)
    size = max(1, min(BATCH, SQLITE_MAX_VARS // len(columns)))
    one = "(" + ", ".join("?" * len(columns)) + ")"
    head = f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) VALUES "
    full = head + ", ".join([one] * size)
    count = 0
    for chunk in chunked(itertools.chain([first], it), size):
        values: list[Any] = []
        for row in chunk:
            if len(row) != len(columns):
                raise ValueError(f"{table}: row with columns {list(row)}, expected {columns}")
            values.extend(row.values())
        for n, v in enumerate(values):
            if type(v) not in PLAIN:
                values[n] = jsonify_if_needed(v)
        # A savepoint a statement, as sqlite-utils does: the full-text index's segments depend on
        # where it flushes its pending terms (at savepoints and statement starts), so every
        # flush point is kept where it was.
        conn.execute("SAVEPOINT insert_rows")
        try:
            conn.execute(full if len(chunk) == size else head + ", ".join([one] * len(chunk)), values)
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK TO SAVEPOINT insert_rows")
                conn.execute("RELEASE SAVEPOINT insert_rows")
            raise
        conn.execute("RELEASE SAVEPOINT insert_rows")
        count += len(chunk)
    return count


def chunked(it: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(it)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def decision_rows(decisions: Iterable[Decision], stale: Iterable[StaleDecision]) -> list[dict[str, Any]]:
    """One row per analyst decision, in file order, with what became of it."""
    rejected = {id(s.decision): s for s in stale}
    rows = []
    for n, d in enumerate(decisions, start=1):
        s = rejected.get(id(d))
        rows.append({"id": n, "kind": d.kind, "ids": json.dumps(list(d.ids)), "note": d.note, "by": d.by,
                     "status": s.status if s else "applied", "reason": s.reason if s else None, "line": d.line})
    return rows


def evidence_row(p: PairScore) -> dict[str, Any]:
    return {"left_mention_id": p.left_id, "right_mention_id": p.right_id, "score": p.score,
            "probability": p.probability, "components": components_json(p.components),
            "decision": p.decision, "hard_conflict": p.hard_conflict}


_encode = json.JSONEncoder(sort_keys=True).encode
_ORDERS: dict[tuple[Any, ...], list[tuple[str, str]]] = {}  # component names -> (name, '"name": ') sorted
_FRAGMENTS: dict[tuple[Any, ...], str] = {}  # (name, level, weight, their types, sign) -> '"name": {...}'


def components_json(components: dict[str, Any]) -> str:
    """json.dumps(components, sort_keys=True), the same string, in half the time: a pair's
    components are a dozen {"level", "weight"} dicts, and the few distinct ones are encoded
    once. The key tells apart all a JSON encoder does (1 from 1.0 and True, 0.0 from -0.0);
    anything else is encoded whole. Shared components are encoded once."""
    if type(components) is SharedComponents:
        if components.encoded is None:
            components.encoded = components_json(dict(components))
        return components.encoded
    names = tuple(components)
    order = _ORDERS.get(names)
    if order is None:
        if not all(type(k) is str for k in names):
            return _encode(components)
        order = _ORDERS[names] = [(k, _encode(k) + ": ") for k in sorted(names)]
    parts = []
    for name, prefix in order:
        v = components[name]
        if type(v) is not dict or len(v) != 2 or "level" not in v or "weight" not in v:
            return _encode(components)
        level, weight = v["level"], v["weight"]
        key = (name, level, type(level), weight, type(weight), copysign(1.0, weight) if type(weight) is float else 0)
        try:
            fragment = _FRAGMENTS.get(key)
        except TypeError:  # an unhashable level or weight
            return _encode(components)
        if fragment is None:
            if len(_FRAGMENTS) >= 4096:
                _FRAGMENTS.clear()
            fragment = _FRAGMENTS[key] = prefix + _encode(v)
        parts.append(fragment)
    return "{" + ", ".join(parts) + "}"


def place_row(p: Place) -> dict[str, Any]:
    return {"id": p.id, "name": p.name, "kind": p.kind, "admin1": p.admin1, "country": p.country,
            "latitude": p.latitude, "longitude": p.longitude, "parent_id": p.ancestors[0] if p.ancestors else None}


def incident_row(i: Incident, sources: dict[str, str | None]) -> dict[str, Any]:
    outlets = sorted({s for a in i.article_ids if (s := sources.get(a))})
    p = i.place
    return {
        "id": i.id, "title": i.title, "date": i.date, "date_earliest": i.date_earliest,
        "date_latest": i.date_latest, "date_precision": i.date_precision, "weekday": i.extra.get("weekday"),
        "year": int(i.date_earliest[:4]) if i.date_earliest and i.date_precision != "range" else None,
        "year_month": i.date_earliest[:7] if i.date_precision in ("day", "week", "month")
        and i.date_earliest and i.date_latest and i.date_earliest[:7] == i.date_latest[:7] else None,
        "place_id": p.id if p else None, "place_name": p.name if p else None,
        "admin1": p.admin1 if p else None, "country": p.country if p else None,
        "latitude": p.latitude if p else None, "longitude": p.longitude if p else None,
        "event_type": i.event_type, "weapon": i.weapon, "quantity": i.quantity, "outcome": i.outcome,
        "killed": i.killed, "killed_low": i.extra.get("killed_low"), "killed_high": i.extra.get("killed_high"),
        "injured": i.injured, "injured_low": i.extra.get("injured_low"),
        "injured_high": i.extra.get("injured_high"), "assumed_zero": i.extra.get("assumed_zero"),
        "article_count": i.article_count,
        "source_count": i.source_count, "disputed": json.dumps(i.disputed), "outlets": json.dumps(outlets),
    }


def article_row(a: Article, primary: str | None, mention_count: int, text: str | None = None) -> dict[str, Any]:
    """The article's row; `text` when its text is not on it (dedupe.spool)."""
    return {
        "id": a.id, "doc_id": a.doc_id, "path": a.path, "line": a.line, "source": a.source, "title": a.title,
        "url": a.url, "published": a.published, "published_precision": a.published_precision,
        "byline": a.byline, "dateline": a.dateline, "text": a.text if text is None else text,
        "primary_incident_id": primary,
        "duplicate_of": a.duplicate_of, "mention_count": mention_count,
        "extra": json.dumps(a.extra, sort_keys=True, default=str) if a.extra else None,
        "boilerplate": json.dumps(a.boilerplate) if a.boilerplate else None,
    }


def mention_row(m: Mention) -> dict[str, Any]:
    from ..date_intervals import weekday_name

    d = m.date
    return {
        "id": m.id, "article_id": m.article_id, "incident_id": m.incident_id, "sentence": m.sentence,
        "start": m.start, "end": m.end, "event_type": m.event_type, "weapon": m.weapon, "quantity": m.quantity,
        "place_id": m.place.id if m.place else None, "place_text": m.place_text,
        "date_earliest": d.earliest.isoformat() if d.earliest else None,
        "date_latest": d.latest.isoformat() if d.latest else None, "date_text": m.date_text,
        "weekday": weekday_name(d.weekday) if d.weekday is not None else None, "outcome": m.outcome,
        "outcome_text": m.outcome_text, "killed": m.killed, "injured": m.injured, "attribution": m.attribution,
        "position": m.order, "is_lead": int(m.order == 0),
    }


def mention_features(m: Mention) -> str:
    """What matching needs besides the columns, as JSON: an update scores
    stored reports from it without reading their articles again. The
    document vector is left out (it is re-weighed with the corpus's current
    frequencies); the date's precision, weekday and month-day go in."""
    d = m.date
    features = {k: dict(v.items()) if isinstance(v, TermMap) else v for k, v in m.features.items()
                if k not in ("doc_vec", "doc_keys", "text_lower")}
    features["date"] = {"precision": d.precision, "weekday": d.weekday,
                        "month_day": list(d.month_day) if d.month_day else None, "text": d.text}
    return json.dumps(features, sort_keys=True, ensure_ascii=False, default=str)
