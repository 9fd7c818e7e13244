"""Why are these two reports one incident, or two?

    python -m dedupe.explain --db incidents.db A B [--json]

A and B are mention ids, or article ids (an article stands for its lead report,
`mentions.is_lead = 1`). Prints both passages with their article's title, outlet
and date; every comparison's level and weight (from `match_evidence` when the
build stored the pair, else recomputed from the database rows with the bundled
model); the total score against the link threshold; what the clustering did
(merged, kept apart, or a cannot-link and the comparison that forbids it); and
whether the two ended in one incident — when they did although their own pair
scored low, through which other reports.

Reads the database only; it never writes to it. Reports are rebuilt from their rows by
dedupe.explain_rows, and the explanation is put into words by dedupe.explain_format.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from .clustering import linkage
from .comparisons import Model, load_model
from .date_intervals import intersect_dates
from .explain_format import describe_decision, format_explanation, label_date, shorten_text
from .explain_rows import mention_from_row
from .matching import score_pair
from .models import DateInterval, Mention
from .places import Gazetteer

# Incidents larger than this many cross pairs are not re-scored pair by pair.
MAX_CROSS_PAIRS = 2500
# How many other reports of an incident to list.
MAX_LISTED = 12


class ExplainError(click.ClickException):
    """A problem with the request (unknown id, not an incident database)."""


# --------------------------------------------------------------------------- reading the database
class Explainer:
    """Reads one incident database and explains pairs of its mentions."""

    def __init__(self, db_path: str | Path, model: Model | None = None,
                 gazetteer: Gazetteer | None = None) -> None:
        path = Path(db_path)
        if not path.is_file():
            raise ExplainError(f"{path}: no such database")
        self.conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        self.conn.row_factory = sqlite3.Row
        tables = {r[0] for r in self.conn.execute("select name from sqlite_master where type in ('table', 'view')")}
        missing = {"mentions", "articles", "incidents", "places", "match_evidence"} - tables
        if missing:
            raise ExplainError(f"{path}: not an incident database (no table {', '.join(sorted(missing))})")
        self.model = model or load_model()
        self._gazetteer = gazetteer
        self._rows: dict[str, dict[str, Any]] = {}
        self._mentions: dict[str, Mention] = {}
        self._pairs: dict[tuple[str, str], dict[str, Any]] = {}

    def close(self) -> None:
        self.conn.close()

    def query(self, sql: str, params: tuple = ()) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute(sql, params)]

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = Gazetteer.default()
        return self._gazetteer

    _MENTION_SQL = """
        select m.*, a.published as published, a.title as article_title, a.source as article_source,
               a.doc_id as article_doc_id
        from mentions m join articles a on a.id = m.article_id
    """

    def mention_row(self, mention_id: str) -> dict[str, Any] | None:
        if mention_id not in self._rows:
            rows = self.query(self._MENTION_SQL + " where m.id = ?", (mention_id,))
            if not rows:
                return None
            self._rows[mention_id] = rows[0]
        return self._rows[mention_id]

    def resolve(self, ident: str) -> tuple[dict[str, Any], str]:
        """The mention row an id stands for, and how it was found (mention / article / doc_id)."""
        row = self.mention_row(ident)
        if row is not None:
            return row, "mention"
        articles = self.query("select id from articles where id = ?", (ident,))
        how = "article"
        if not articles:
            articles = self.query("select id from articles where doc_id = ?", (ident,))
            how = "doc_id"
            if len(articles) > 1:
                raise ExplainError(f"{ident!r} is the doc_id of {len(articles)} articles: give a mention or article id")
        if not articles:
            raise ExplainError(f"no mention or article with id {ident!r} in the database")
        leads = self.query("select id from mentions where article_id = ? order by is_lead desc, position, start",
                           (articles[0]["id"],))
        if not leads:
            raise ExplainError(f"article {articles[0]['id']} ({ident!r}) has no reports (no mentions)")
        return self.mention_row(leads[0]["id"]), how  # type: ignore[return-value]

    def mention(self, mention_id: str) -> Mention:
        if mention_id not in self._mentions:
            row = self.mention_row(mention_id)
            if row is None:
                raise ExplainError(f"no mention {mention_id!r}")
            place = None
            if row.get("place_id"):
                found = self.query("select * from places where id = ?", (row["place_id"],))
                place = found[0] if found else {"id": row["place_id"], "name": row.get("place_text")}
            self._mentions[mention_id] = mention_from_row(row, place, self.gazetteer)
        return self._mentions[mention_id]

    def pair(self, x: str, y: str) -> dict[str, Any]:
        """The pair's score and components: stored evidence if any, else recomputed."""
        left, right = (x, y) if x < y else (y, x)
        if (left, right) in self._pairs:
            return self._pairs[left, right]
        stored = self.query("select * from match_evidence where left_mention_id = ? and right_mention_id = ?",
                            (left, right))
        if stored:
            s = stored[0]
            components = json.loads(s["components"]) if s["components"] else {}
            out = {"source": "stored", "score": s["score"], "probability": s["probability"],
                   "components": components, "hard_conflict": s.get("hard_conflict"),
                   "stored_decision": s.get("decision")}
        else:
            p = score_pair(self.mention(left), self.mention(right), self.model)
            out = {"source": "recomputed", "score": p.score, "probability": p.probability,
                   "components": p.components, "hard_conflict": p.hard_conflict, "stored_decision": None}
        self._pairs[left, right] = out
        return out

    def incident(self, incident_id: str | None) -> dict[str, Any] | None:
        if not incident_id:
            return None
        rows = self.query("select id, title, article_count, source_count from incidents where id = ?", (incident_id,))
        return rows[0] if rows else {"id": incident_id, "title": None}

    def members(self, incident_id: str) -> list[dict[str, Any]]:
        rows = self.query(self._MENTION_SQL + " where m.incident_id = ? order by a.published, m.article_id, m.start",
                          (incident_id,))
        for r in rows:
            self._rows.setdefault(r["id"], r)
        return rows

    # ----------------------------------------------------------------------- the explanation
    def explain(self, a: str, b: str) -> dict[str, Any]:
        row_a, how_a = self.resolve(a)
        row_b, how_b = self.resolve(b)
        if row_a["id"] == row_b["id"]:
            raise ExplainError(f"{a!r} and {b!r} are the same report ({row_a['id']}): give two different ones")
        pair = self.pair(row_a["id"], row_b["id"])
        threshold = self.model.link_threshold
        order = {name: n for n, name in enumerate(self.model.comparisons)}
        components = [self._component(name, c) for name, c in
                      sorted(pair["components"].items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))]
        hard = pair["hard_conflict"]
        same = row_a["incident_id"] is not None and row_a["incident_id"] == row_b["incident_id"]
        decision = "merged" if same else "cannot-link" if hard else "kept-apart"
        stored_decision = pair.get("stored_decision") or ""
        if stored_decision.endswith("(analyst)"):  # 'must-link (analyst)' / 'cannot-link (analyst)'
            decision = stored_decision
        out: dict[str, Any] = {
            "a": self._side(row_a, a, how_a),
            "b": self._side(row_b, b, how_b),
            "evidence": pair["source"],
            "evidence_note": self._evidence_note(pair),
            "prior": self.model.prior,
            "components": components,
            "score": pair["score"],
            "probability": pair["probability"],
            "link_threshold": threshold,
            "clears_threshold": pair["score"] >= threshold and not hard,
            "hard_conflict": None,
            "decision": decision,
            "same_incident": same,
            "joined_through": None,
            "across_incidents": None,
            "analyst_decisions": self._analyst_decisions(row_a, row_b),
        }
        if hard:
            c = pair["components"].get(hard, {})
            out["hard_conflict"] = {"comparison": hard, "level": c.get("level"), "weight": c.get("weight")}
        if same and not out["clears_threshold"] and not decision.endswith("(analyst)"):
            out["joined_through"] = self._joined_through(row_a, row_b)
        if decision == "kept-apart" and row_a["incident_id"] and row_b["incident_id"]:
            out["across_incidents"] = self._across(row_a["incident_id"], row_b["incident_id"])
        out["reason"] = describe_decision(out)
        return out

    def _analyst_decisions(self, row_a: dict[str, Any], row_b: dict[str, Any]) -> list[dict[str, Any]]:
        """Analyst decisions (decisions.yml, stored in `decisions`) naming either report or its article."""
        if not self.query("select name from sqlite_master where type = 'table' and name = 'decisions'"):
            return []
        names = {row_a["id"], row_a["article_id"], row_b["id"], row_b["article_id"]}
        out = []
        for d in self.query("select * from decisions order by id"):
            try:
                ids = [str(i) for i in json.loads(d.get("ids") or "[]")]
            except ValueError:
                continue
            if names & set(ids):
                out.append({"kind": d.get("kind"), "ids": ids, "note": d.get("note"), "by": d.get("by"),
                            "status": d.get("status"), "reason": d.get("reason"), "line": d.get("line")})
        return out

    def _side(self, row: dict[str, Any], asked: str, how: str) -> dict[str, Any]:
        place = None
        if row.get("place_id"):
            found = self.query("select name from places where id = ?", (row["place_id"],))
            place = found[0]["name"] if found else row["place_id"]
        return {
            "asked": asked, "resolved_from": how, "mention_id": row["id"], "article_id": row["article_id"],
            "is_lead": bool(row.get("is_lead")), "article_title": row.get("article_title"),
            "outlet": row.get("article_source"), "published": row.get("published"), "sentence": row["sentence"],
            "incident": self.incident(row.get("incident_id")),
            "fields": {"event_type": row.get("event_type"), "weapon": row.get("weapon"),
                       "quantity": row.get("quantity"), "place": place, "place_text": row.get("place_text"),
                       "date": label_date(row), "date_text": row.get("date_text"), "outcome": row.get("outcome"),
                       "killed": row.get("killed"), "injured": row.get("injured"),
                       "attribution": row.get("attribution")},
        }

    def _component(self, name: str, c: Mapping[str, Any]) -> dict[str, Any]:
        try:
            hard = self.model.weight(name, c.get("level")).hard
        except KeyError:  # the database was built with another comparisons file
            hard = False
        return {"comparison": name, "level": c.get("level"), "weight": c.get("weight"), "hard": hard}

    def _evidence_note(self, pair: dict[str, Any]) -> str:
        if pair["source"] == "stored":
            return "stored in match_evidence by the build"
        floor = self.model.evidence_floor
        why = (f"it scores below the evidence floor ({floor:g}), so the build did not keep it"
               if pair["score"] < floor else "blocking did not propose it as a candidate pair")
        return (f"not in match_evidence: {why}; recomputed from the database rows with {self.model.source} "
                "(features the database does not store, such as corpus-wide ones, count as unknown)")

    def _joined_through(self, row_a: dict[str, Any], row_b: dict[str, Any]) -> dict[str, Any]:
        others = [r for r in self.members(row_a["incident_id"]) if r["id"] not in (row_a["id"], row_b["id"])]
        listed = []
        for r in others[:MAX_LISTED]:
            listed.append({"mention_id": r["id"], "article_id": r["article_id"], "outlet": r.get("article_source"),
                           "published": r.get("published"), "sentence": shorten_text(r["sentence"], 100),
                           "score_with_a": self.pair(row_a["id"], r["id"])["score"],
                           "score_with_b": self.pair(row_b["id"], r["id"])["score"]})
        return {"incident_id": row_a["incident_id"], "other_reports": len(others), "listed": listed}

    def _across(self, inc_a: str, inc_b: str) -> dict[str, Any] | None:
        ma, mb = self.members(inc_a), self.members(inc_b)
        n = len(ma) * len(mb)
        if n > MAX_CROSS_PAIRS:
            return {"pairs": n, "average": None, "cannot_links": [], "note": "too many pairs to re-score"}
        scores, conflicts = [], []
        for x in ma:
            for y in mb:
                p = self.pair(x["id"], y["id"])
                scores.append(p["score"])
                if p["hard_conflict"]:
                    conflicts.append({"left": x["id"], "right": y["id"], "comparison": p["hard_conflict"],
                                      "level": p["components"].get(p["hard_conflict"], {}).get("level")})
        # As the clustering weighs them (clustering.linkage): each pair of articles once, by its lead reports.
        by_id = {r["id"]: self.mention(r["id"]) for r in ma + mb}
        average = linkage([r["id"] for r in ma], [r["id"] for r in mb], scores, by_id) if n else None
        return {"pairs": n, "average": round(average, 3) if average is not None else None, "cannot_links": conflicts,
                "sizes": [len(ma), len(mb)], "dates_overlap": self._dates_overlap([r["id"] for r in ma + mb])}

    def _dates_overlap(self, mention_ids: list[str]) -> bool:
        """Whether some day satisfies the dates of all these reports (as clustering requires)."""
        both: DateInterval | None = None
        for mid in mention_ids:
            d = self.mention(mid).date
            both = d if both is None else intersect_dates(both, d)
            if both is None:
                return False
        return True


def explain_pair(db_path: str | Path, a: str, b: str, comparisons: str | Path | None = None) -> dict[str, Any]:
    """The explanation of why mentions/articles `a` and `b` are one incident or two, as a dict."""
    explainer = Explainer(db_path, load_model(comparisons))
    try:
        return explainer.explain(a, b)
    finally:
        explainer.close()


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("a")
@click.argument("b")
@click.option("--db", "db_path", default="incidents.db", show_default=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Incident database built by build_db.py (read only).")
@click.option("--comparisons", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Comparisons YAML for pairs the build did not store (default: the bundled "
                   "dedupe/data/comparisons.yml; give the file the database was built with, if another).")
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON instead of text.")
def main(a: str, b: str, db_path: Path, comparisons: Path | None, as_json: bool) -> None:
    """Explain why reports A and B ended in one incident or in two.

    A and B are mention ids or article ids (an article stands for its lead report)."""
    explanation = explain_pair(db_path, a, b, comparisons)
    if as_json:
        click.echo(json.dumps(explanation, indent=2, ensure_ascii=False))
    else:
        click.echo(format_explanation(explanation))


if __name__ == "__main__":
    main()
