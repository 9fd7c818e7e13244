"""Datasette plugin for the incident database (loaded with `--plugins-dir plugins/`).

- `incident_provenance(database, incident_id)` and `article_provenance(database, article_id)` are template
  functions for `templates/row-incidents-incidents.html` and `row-incidents-articles.html`: every source
  of an incident with its reporting sentence cut into segments (plain text, or words the report was
  matched on), its claims per field with disputes marked, and the match evidence. Text is returned as
  plain strings; the templates print them with Jinja's autoescape and mark segments with <mark>, so no
  value from the database is ever inserted as HTML.

Array facets counted by key, and whole-table facet counts read from the database, are in
table_facets.py; SQL math functions in sql_math.py.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils import tilde_decode, tilde_encode

# Fields in the order the claims table lists them, and the incident column each one is decided into.
CLAIM_FIELDS = ["event_type", "date", "place", "weapon", "quantity", "outcome", "killed", "injured"]

# What one incident page prints at most. An over-merged incident of a large build has hundreds of
# reports and thousands of scored pairs; printing them all took a second a page. The rest is one link
# away: the mentions, claims and match_evidence tables filtered to the incident.
REPORTS_SHOWN = 50  # reports (with their articles), oldest article first
PAIRS_SHOWN = 50  # pairs of the incident's own reports, highest score first
NEARBY_SHOWN = 10  # pairs with reports of other incidents, highest score first
CLAIMS_SHOWN = 20  # reports listed for each value claimed, in report order

# The order reports are numbered in (R1, R2 …): oldest article first, undated ones last.
REPORT_ORDER = "a.published is null, a.published, a.id, m.start, m.id"

# What a highlighted word stands for, in the order the legend lists them.
HIGHLIGHT_KINDS = {"place": "place", "date": "date", "weapon": "weapon", "outcome": "outcome",
                   "attribution": "source"}

NEEDED = {
    "incidents": {"id", "title", "disputed"},
    "mentions": {"id", "article_id", "incident_id", "sentence", "start", "end", "place_text", "date_text",
                 "outcome_text", "weapon", "attribution"},
    "articles": {"id", "source", "published", "title", "url", "text"},
    "claims": {"incident_id", "field", "value", "mention_id", "article_id", "attribution"},
    "match_evidence": {"left_mention_id", "right_mention_id", "score", "components", "decision"},
}


# ------------------------------------------------------------------------------------- highlighting


def phrase_pattern(phrase: str, stem: bool = False) -> re.Pattern | None:
    """A case-insensitive pattern for `phrase` as whole words (any run of spaces between them);
    with `stem`, also the word's inflections ('drone' finds 'drones')."""
    phrase = (phrase or "").strip()
    if not phrase:
        return None
    body = r"\s+".join(re.escape(w) for w in phrase.split())
    before = r"(?<!\w)" if re.match(r"\w", phrase) else ""
    after = r"\w*" if stem else (r"(?!\w)" if re.search(r"\w$", phrase) else "")
    return re.compile(before + body + after, re.I)


def highlight(text: str, marks: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """Cut `text` into segments: {"text", "kind", "label"}; kind is None for plain text, else the kind
    of matched word ('place', 'date', ...) whose value was `label`.

    `marks` are (kind, phrase, how) with how 'exact' or 'stem'. Every occurrence is marked; where two
    would overlap the earlier (then the longer) one wins. The segments joined give `text` back."""
    spans: list[tuple[int, int, str, str]] = []
    for kind, phrase, how in marks:
        pattern = phrase_pattern(phrase, stem=how == "stem")
        if pattern is None:
            continue
        spans += [(m.start(), m.end(), kind, phrase) for m in pattern.finditer(text) if m.end() > m.start()]
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    segments: list[dict[str, Any]] = []
    pos = 0
    for start, end, kind, label in spans:
        if start < pos:
            continue
        if start > pos:
            segments.append({"text": text[pos:start], "kind": None, "label": None})
        segments.append({"text": text[start:end], "kind": kind, "label": label})
        pos = end
    if pos < len(text) or not segments:
        segments.append({"text": text[pos:], "kind": None, "label": None})
    return segments


def mention_marks(m: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The words a report was read and matched on: its place, date, weapon, outcome and source words."""
    return [("place", m.get("place_text"), "exact"), ("date", m.get("date_text"), "exact"),
            ("weapon", m.get("weapon"), "stem"), ("outcome", m.get("outcome_text"), "exact"),
            ("attribution", m.get("attribution"), "exact")]


def passages(text: str, spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cut an article's text at its reports' offsets: segments {"text", "mention"} where mention is
    the report covering the segment (None between reports). Overlapping reports keep the earlier."""
    out: list[dict[str, Any]] = []
    pos = 0
    for m in sorted(spans, key=lambda m: (m["start"], m["end"])):
        start, end = max(m["start"], pos), min(m["end"], len(text))
        if end <= start:
            continue
        if start > pos:
            out.append({"text": text[pos:start], "mention": None})
        out.append({"text": text[start:end], "mention": m})
        pos = end
    if pos < len(text):
        out.append({"text": text[pos:], "mention": None})
    return out


def web_url(value: Any) -> str | None:
    """`value` if it is an http(s) URL (safe to use as a link), else None."""
    if isinstance(value, str) and re.match(r"^https?://[^\s\"'<>]+$", value.strip(), re.I):
        return value.strip()
    return None


def components_list(raw: str | None) -> list[dict[str, Any]]:
    """match_evidence.components as a list of {comparison, level, weight}, strongest first, zeros dropped."""
    try:
        parsed = json.loads(raw or "{}")
    except ValueError:
        return []
    out = [{"comparison": k, "level": v.get("level"), "weight": v.get("weight") or 0}
           for k, v in parsed.items() if isinstance(v, dict)]
    return sorted((c for c in out if c["weight"]), key=lambda c: (-abs(c["weight"]), c["comparison"]))


# ------------------------------------------------------------------------------------- data


async def _has_schema(db) -> bool:
    for table, columns in NEEDED.items():
        if not await db.table_exists(table):
            return False
        if not columns <= set(await db.table_columns(table)):
            return False
    return True


async def _rows(db, sql: str, params: Any = None) -> list[dict[str, Any]]:
    result = await db.execute(sql, params or {})
    return [dict(r) for r in result.rows]


async def _row_by_id(db, table: str, row_id: str) -> dict[str, Any] | None:
    """One row of `table` (a name from this module, never user input), or None
    when the database lacks the schema or the row."""
    if db is None or not await _has_schema(db):
        return None
    found = await _rows(db, f"select * from {table} where id = :id", {"id": row_id})
    return found[0] if found else None


def _sql_string(value: str) -> str:
    """`value` as an SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def _canonical(incident: dict[str, Any], field: str) -> str | None:
    if field == "place":
        return incident.get("place_name")
    if field == "date":
        if incident.get("date"):
            return incident["date"]
        lo, hi = incident.get("date_earliest"), incident.get("date_latest")
        return f"{lo} to {hi}" if lo and hi and lo != hi else (lo or hi)
    value = incident.get(field)
    return None if value is None else str(value)


class Pages:
    def __init__(self, datasette, actor: dict[str, Any] | None = None):
        self.ds = datasette
        self.actor = actor

    def _db(self, database: str):
        try:
            return self.ds.get_database(database)
        except KeyError:
            return None

    def row_url(self, database: str, table: str, pk: str) -> str:
        return self.ds.urls.row(database, table, tilde_encode(str(pk)))

    def query_url(self, database: str, query: str, **params: str) -> str:
        return self.ds.urls.query(database, query) + ("?" + urlencode(params) if params else "")

    def table_url(self, database: str, table: str, **params: Any) -> str:
        """The table's page filtered by `params` (a list value repeats its parameter, as _where does)."""
        return self.ds.urls.table(database, table) + ("?" + urlencode(params, doseq=True) if params else "")

    async def sql_allowed(self, database: str) -> bool:
        """Whether this visitor may run SQL here: a table link with ?_where= needs it (allow_sql: false
        in metadata.yml turns it off)."""
        return await self.ds.permission_allowed(self.actor, "execute-sql", resource=database, default=True)

    async def record_links(self, db, table: str, row: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """Each foreign key of `row` as {value, label, url}: its value, the other row's label column
        (e.g. the incident's title) and the other row's page."""
        links = {}
        for fk in await db.foreign_keys_for_table(table):
            value = row.get(fk["column"])
            if value is None:
                continue
            label = None
            label_column = await db.label_column_for_table(fk["other_table"])
            if label_column:
                found = await db.execute(f"select [{label_column}] from [{fk['other_table']}] "
                                         f"where [{fk['other_column']}] = ?", [value])
                label = found.rows[0][0] if found.rows else None
            links[fk["column"]] = {"value": value, "label": label,
                                   "url": self.row_url(db.name, fk["other_table"], value)}
        return links

    async def incident(self, database: str, incident_id: str) -> dict[str, Any] | None:
        db = self._db(database)
        incident = await _row_by_id(db, "incidents", incident_id)
        if incident is None:
            return None
        try:
            disputed = set(json.loads(incident.get("disputed") or "[]"))
        except ValueError:
            disputed = set()
        params = {"id": incident_id}
        # Every report's number (R1, R2 …, oldest article first) and article; only the first
        # REPORTS_SHOWN are read in full and printed. A report that is not printed is linked to its row.
        numbered = await _rows(db, f"""
            select m.id, m.article_id from mentions m join articles a on a.id = m.article_id
            where m.incident_id = :id order by {REPORT_ORDER}""", params)
        number = {m["id"]: n for n, m in enumerate(numbered, start=1)}
        shown = {m["id"] for m in numbered[:REPORTS_SHOWN]}

        def href(mention_id: str | None) -> str | None:
            if mention_id is None:
                return None
            return "#" + mention_id if mention_id in shown else self.row_url(database, "mentions", mention_id)

        mentions = await _rows(db, f"""
            select m.*, a.source, a.published, a.title as article_title, a.url, a.duplicate_of
            from mentions m join articles a on a.id = m.article_id
            where m.incident_id = :id
            order by {REPORT_ORDER} limit {REPORTS_SHOWN}""", params)
        sources: list[dict[str, Any]] = []
        by_article: dict[str, dict[str, Any]] = {}
        for m in mentions:
            article = by_article.get(m["article_id"])
            if article is None:
                article = by_article[m["article_id"]] = {
                    "id": m["article_id"], "source": m["source"], "published": m["published"],
                    "title": m["article_title"], "url": web_url(m["url"]), "duplicate_of": m["duplicate_of"],
                    "duplicate_of_url": self.row_url(database, "articles", m["duplicate_of"])
                    if m["duplicate_of"] else None,
                    "link": self.row_url(database, "articles", m["article_id"]), "reports": []}
                sources.append(article)
            article["reports"].append({
                "id": m["id"], "n": number.get(m["id"]), "link": self.row_url(database, "mentions", m["id"]),
                "segments": highlight(m["sentence"] or "", mention_marks(m)),
                "attribution": m["attribution"], "date_text": m["date_text"], "place_text": m["place_text"],
                "outcome_text": m["outcome_text"], "outcome": m.get("outcome"), "is_lead": m.get("is_lead")})
        claim_rows = await self._claims(db, database, incident, disputed, number, href)
        within, within_total = await self._pairs_within(db, database, incident_id, number, href)
        nearby, nearby_total = await self._pairs_nearby(db, database, incident_id, number, href)
        absorbed = []
        if await db.table_exists("incident_redirects"):
            absorbed = [r["old_id"] for r in await _rows(
                db, "select old_id from incident_redirects where new_id = :id order by old_id", params)]
        return {
            "absorbed": absorbed,
            "incident": incident, "links": await self.record_links(db, "incidents", incident),
            "disputed": sorted(disputed), "sources": sources,
            "report_count": len(numbered), "reports_shown": len(mentions),
            "article_count": len({m["article_id"] for m in numbered}),
            "claims": claim_rows, "within": within, "within_total": within_total,
            "nearby": nearby, "nearby_total": nearby_total, "kinds": HIGHLIGHT_KINDS,
            "reports_query": self.query_url(database, "incident_reports", incident_id=incident_id),
            "reports_table": self.table_url(database, "mentions", incident_id=incident_id),
            "evidence_table": self.table_url(database, "match_evidence", _where=[
                f"{side}_mention_id in (select id from mentions where incident_id = {_sql_string(incident_id)})"
                for side in ("left", "right")]) if await self.sql_allowed(database) else None,
        }

    async def _claims(self, db, database: str, incident: dict[str, Any], disputed: set[str],
                      number: dict[str, int], href) -> list[dict[str, Any]]:
        """The claims per field: for each field, each value claimed with how many reports claimed it
        and the first CLAIMS_SHOWN of them (in report order), counted and cut in SQL."""
        # In report order: the claim's mention and that mention's article (a claim whose mention is
        # not one of this incident's reports, which a build never writes, would come first).
        rows = await _rows(db, f"""
            with ranked as (
                select c.field, c.value, c.mention_id, c.attribution, ca.source, ca.published,
                       count(*) over (partition by c.field, c.value) as total,
                       row_number() over (partition by c.field, c.value
                                          order by coalesce(m.incident_id = :id, 0), {REPORT_ORDER}, c.id) as k
                from claims c
                join articles ca on ca.id = c.article_id
                left join mentions m on m.id = c.mention_id
                left join articles a on a.id = m.article_id
                where c.incident_id = :id
            )
            select * from ranked where k <= {CLAIMS_SHOWN} order by field, value, k""", {"id": incident["id"]})
        fields: dict[str, dict[Any, dict[str, Any]]] = defaultdict(dict)
        for c in rows:
            value = fields[c["field"]].setdefault(c["value"], {"total": c["total"], "claims": []})
            value["claims"].append({
                "source": c["source"], "published": c["published"], "attribution": c["attribution"],
                "n": number.get(c["mention_id"]), "mention_id": c["mention_id"], "href": href(c["mention_id"])})
        order = CLAIM_FIELDS + sorted(set(fields) - set(CLAIM_FIELDS))
        claim_rows = []
        for field in order:
            if field not in fields and field not in disputed:
                continue
            canonical = _canonical(incident, field)
            values = sorted(fields.get(field, {}).items(), key=lambda kv: (-kv[1]["total"], str(kv[0])))
            claim_rows.append({
                "field": field, "disputed": field in disputed, "canonical": canonical,
                "values": [{"value": v, "claims": c["claims"], "total": c["total"],
                            "more": c["total"] - len(c["claims"]),
                            "all": self.table_url(database, "claims", incident_id=incident["id"], field=field,
                                                  **({"value": v} if v is not None else {"value__isnull": 1})),
                            "chosen": canonical is not None and str(v).casefold() == canonical.casefold()}
                           for v, c in values]})
        return claim_rows

    def _pair(self, database: str, p: dict[str, Any]) -> dict[str, Any]:
        return {
            "left": p["left_mention_id"], "right": p["right_mention_id"], "score": p["score"],
            "probability": p["probability"], "decision": p["decision"], "hard_conflict": p["hard_conflict"],
            "components": components_list(p["components"]),
            "why": self.query_url(database, "why_merged", a=p["left_mention_id"], b=p["right_mention_id"])}

    async def _pairs_within(self, db, database: str, incident_id: str, number: dict[str, int],
                            href) -> tuple[list[dict[str, Any]], int]:
        """The PAIRS_SHOWN highest-scoring pairs of this incident's own reports, and how many there are."""
        # Only the keys go through the sort; the rows (components run to a kilobyte) are read for the top.
        pairs = await _rows(db, f"""
            with ours as (select id from mentions where incident_id = :id),
            top as (
                select e.rowid as pair, count(*) over () as total
                from match_evidence e
                where e.left_mention_id in ours and e.right_mention_id in ours
                order by e.score desc, e.left_mention_id, e.right_mention_id
                limit {PAIRS_SHOWN}
            )
            select e.left_mention_id, e.right_mention_id, e.score, e.probability, e.decision, e.hard_conflict,
                   e.components, top.total
            from top join match_evidence e on e.rowid = top.pair
            order by e.score desc, e.left_mention_id, e.right_mention_id""", {"id": incident_id})
        within = []
        for p in pairs:
            entry = self._pair(database, p)
            entry.update({"left_n": number.get(p["left_mention_id"]), "right_n": number.get(p["right_mention_id"]),
                          "left_href": href(p["left_mention_id"]), "right_href": href(p["right_mention_id"])})
            within.append(entry)
        return within, pairs[0]["total"] if pairs else 0

    async def _pairs_nearby(self, db, database: str, incident_id: str, number: dict[str, int],
                            href) -> tuple[list[dict[str, Any]], int]:
        """The NEARBY_SHOWN highest-scoring pairs of one of this incident's reports with a report of
        another incident (or of none), and how many there are."""
        pairs = await _rows(db, f"""
            with ours as (select id from mentions where incident_id = :id),
            pairs as (
                select e.rowid as pair, e.score, e.left_mention_id, e.right_mention_id,
                       e.left_mention_id as ours_id, e.right_mention_id as other_id
                from match_evidence e where e.left_mention_id in ours and e.right_mention_id not in ours
                union all
                select e.rowid, e.score, e.left_mention_id, e.right_mention_id,
                       e.right_mention_id as ours_id, e.left_mention_id as other_id
                from match_evidence e where e.right_mention_id in ours and e.left_mention_id not in ours
            ),
            top as (
                select *, count(*) over () as total from pairs
                order by score desc, left_mention_id, right_mention_id limit {NEARBY_SHOWN}
            )
            select e.left_mention_id, e.right_mention_id, e.score, e.probability, e.decision, e.hard_conflict,
                   e.components, top.total, top.ours_id, top.other_id, o.incident_id as other_incident,
                   o.sentence as other_sentence, i.title as other_title
            from top join match_evidence e on e.rowid = top.pair
            left join mentions o on o.id = top.other_id left join incidents i on i.id = o.incident_id
            order by e.score desc, e.left_mention_id, e.right_mention_id""", {"id": incident_id})
        nearby = []
        for p in pairs:
            entry = self._pair(database, p)
            other = p["other_incident"]
            entry.update({
                "ours_n": number.get(p["ours_id"]), "ours_href": href(p["ours_id"]),
                "other_mention": p["other_id"], "other_sentence": p["other_sentence"],
                "other_incident": other, "other_title": p["other_title"],
                "other_link": self.row_url(database, "incidents", other) if other else None})
            nearby.append(entry)
        return nearby, pairs[0]["total"] if pairs else 0

    async def article(self, database: str, article_id: str) -> dict[str, Any] | None:
        db = self._db(database)
        article = await _row_by_id(db, "articles", article_id)
        if article is None:
            return None
        mentions = await _rows(db, """
            select m.*, i.title as incident_title, i.article_count, i.source_count, i.disputed,
                   (select count(*) from mentions o where o.incident_id = m.incident_id) as incident_reports
            from mentions m left join incidents i on i.id = m.incident_id
            where m.article_id = :id order by m.start""", {"id": article_id})
        incidents: list[dict[str, Any]] = []
        seen: dict[str, dict[str, Any]] = {}
        for n, m in enumerate(mentions, start=1):
            m["n"] = n
            m["link"] = self.row_url(database, "mentions", m["id"])
            m["segments"] = highlight(m["sentence"] or "", mention_marks(m))
            key = m["incident_id"]
            if key is None:
                continue
            entry = seen.get(key)
            if entry is None:
                try:
                    disputed = json.loads(m["disputed"] or "[]")
                except ValueError:
                    disputed = []
                entry = seen[key] = {
                    "id": key, "title": m["incident_title"], "link": self.row_url(database, "incidents", key),
                    "article_count": m["article_count"], "source_count": m["source_count"],
                    "reports": m["incident_reports"], "disputed": disputed, "mentions": [],
                    "primary": key == article.get("primary_incident_id")}
                incidents.append(entry)
            entry["mentions"].append(m)
        copies = await _rows(db, "select id, source, published, title from articles where duplicate_of = :id "
                                 "order by published, id", {"id": article_id})
        for c in copies:
            c["link"] = self.row_url(database, "articles", c["id"])
        text = article.get("text") or ""
        return {
            "article": article, "links": await self.record_links(db, "articles", article),
            "url": web_url(article.get("url")), "incidents": incidents,
            "mentions": mentions, "copies": copies, "kinds": HIGHLIGHT_KINDS,
            "passages": [dict(p, n=p["mention"]["n"] if p["mention"] else None,
                              incident_link=seen[p["mention"]["incident_id"]]["link"]
                              if p["mention"] and p["mention"]["incident_id"] in seen else None)
                         for p in passages(text, mentions)],
            "duplicate_of_url": self.row_url(database, "articles", article["duplicate_of"])
            if article.get("duplicate_of") else None,
        }


_INCIDENT_PATH = re.compile(r"^/(?P<database>[^/]+)/incidents/(?P<id>[^/.]+)(?P<json>\.json)?$")


@hookimpl
def handle_exception(datasette, request, exception):
    """An incident id absorbed by a merge (incident_redirects) answers with a
    redirect to the incident that absorbed it, page or JSON, so old links and
    API clients keep working; anything else falls through to Datasette."""
    from datasette.utils.asgi import NotFound, Response

    if request is None or not isinstance(exception, NotFound):
        return None
    match = _INCIDENT_PATH.match(request.path)
    if not match:
        return None

    async def inner():
        try:
            db = datasette.get_database(match["database"])
        except KeyError:
            return None
        if not await db.table_exists("incident_redirects"):
            return None
        old = tilde_decode(match["id"])
        found = await db.execute("select new_id from incident_redirects where old_id = ?", [old])
        if not found.rows:
            return None
        url = datasette.urls.row(match["database"], "incidents", tilde_encode(found.rows[0][0]))
        if match["json"]:
            url += ".json"
        return Response.redirect(url + "?" + urlencode({"_redirected_from": old}), status=301)

    return inner


@hookimpl
def extra_template_vars(datasette, request):
    pages = Pages(datasette, request.actor if request is not None else None)
    return {"incident_provenance": pages.incident, "article_provenance": pages.article}
