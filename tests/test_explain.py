"""dedupe.explain on the bundled sample: why two reports are one incident or two."""

from __future__ import annotations

import inspect
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from dedupe.explain import Explainer, explain_pair, main
from dedupe.matching import score_pair
from dedupe.pipeline import build_database
from tests.helpers import query

# Comparisons a Mention rebuilt from its database row must score exactly as the build did.
ROW_COMPARISONS = ("date", "place", "weapon", "quantity", "killed", "injured", "event_type", "victims", "text",
                   "published_gap")




def run(db: Path, *args: str):
    return CliRunner().invoke(main, ["--db", str(db), *args])


def test_a_merged_pair_explains_as_merged_with_a_positive_total(sample_db: Path) -> None:
    left, right, score = query(sample_db, "select left_mention_id, right_mention_id, score from match_evidence "
                                          "where decision = 'merged' order by score desc, left_mention_id limit 1")[0]
    e = explain_pair(sample_db, left, right)
    assert e["decision"] == "merged" and e["same_incident"]
    assert e["score"] == score > 0 and e["clears_threshold"]
    assert e["evidence"] == "stored" and e["hard_conflict"] is None and e["joined_through"] is None
    assert e["prior"] + sum(c["weight"] for c in e["components"]) == pytest.approx(e["score"])
    assert e["a"]["incident"]["id"] == e["b"]["incident"]["id"]
    result = run(sample_db, left, right)
    assert result.exit_code == 0, result.output
    assert "Decision: merged" in result.output and "Same incident: yes" in result.output
    assert e["a"]["sentence"].split()[0] in result.output and "total" in result.output


def test_same_base_a_year_apart_is_a_cannot_link_on_date(sample_db: Path) -> None:
    # Whether the pair was stored depends on the weights; explain scores it on demand either way.
    rows = query(sample_db, """
        select a.id, b.id from mentions a join mentions b on a.id < b.id and a.article_id <> b.article_id
        where a.place_id = b.place_id and a.place_id like 'site:%'
          and a.date_earliest = a.date_latest and b.date_earliest = b.date_latest
          and substr(a.date_earliest, 1, 4) <> substr(b.date_earliest, 1, 4)
        order by a.id, b.id""")
    assert rows, "the sample has reports of one base in different years"
    a, b = rows[0]
    e = explain_pair(sample_db, a, b)
    assert e["decision"] == "cannot-link" and not e["same_incident"]
    assert e["hard_conflict"]["comparison"] == "date" and e["hard_conflict"]["level"] == "incompatible"
    assert {c["comparison"]: c["level"] for c in e["components"]}["place"] == "same"
    assert e["score"] < 0 and not e["clears_threshold"]
    result = run(sample_db, b, a)
    assert result.exit_code == 0, result.output
    assert "cannot-link: date is 'incompatible'" in result.output
    assert "hard conflict" in result.output and "Same incident: no" in result.output


def test_article_ids_resolve_to_their_lead_mentions(sample_db: Path) -> None:
    (art_a, lead_a), (art_b, lead_b) = query(
        sample_db, "select article_id, id from mentions where is_lead = 1 order by article_id limit 2")
    e = explain_pair(sample_db, art_a, art_b)
    assert (e["a"]["mention_id"], e["b"]["mention_id"]) == (lead_a, lead_b)
    assert e["a"]["resolved_from"] == e["b"]["resolved_from"] == "article"
    assert e["a"]["is_lead"] and e["a"]["article_id"] == art_a
    # A mention id and an article id can be mixed.
    mixed = explain_pair(sample_db, lead_a, art_b)
    assert mixed["a"]["resolved_from"] == "mention" and mixed["b"]["mention_id"] == lead_b
    result = run(sample_db, art_a, art_b)
    assert result.exit_code == 0 and f"lead report of article {art_a}" in result.output


def test_unknown_id_is_a_clear_error(sample_db: Path) -> None:
    lead = query(sample_db, "select id from mentions where is_lead = 1 limit 1")[0][0]
    result = run(sample_db, "no-such-report", lead)
    assert result.exit_code != 0
    assert "no mention or article with id 'no-such-report'" in result.output
    same = run(sample_db, lead, lead)
    assert same.exit_code != 0 and "same report" in same.output
    missing = run(sample_db.parent / "missing.db", "a", "b")
    assert missing.exit_code != 0 and "no such database" in missing.output


def test_json_output(sample_db: Path) -> None:
    a, b = query(sample_db, "select left_mention_id, right_mention_id from match_evidence "
                            "where decision = 'kept-apart' order by score, left_mention_id limit 1")[0]
    result = run(sample_db, a, b, "--json")
    assert result.exit_code == 0, result.output
    e = json.loads(result.output)
    assert e["decision"] == "kept-apart" and e["same_incident"] is False
    assert {"a", "b", "components", "score", "link_threshold", "reason", "evidence"} <= set(e)
    assert all({"comparison", "level", "weight", "hard"} <= set(c) for c in e["components"])


def test_help_documents_every_option() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for option in ("--db", "--comparisons", "--json"):
        line = next(line for line in result.output.splitlines() if line.strip().startswith(option))
        assert len(line.split()) > 2, f"{option} has no help text"


def test_rebuilt_mentions_score_as_the_build_did(sample_db: Path) -> None:
    """mention_from_row: recomputing every stored pair from the rows gives the stored levels."""
    explainer = Explainer(sample_db)
    try:
        pairs = explainer.query("select left_mention_id, right_mention_id, components from match_evidence")
        assert pairs
        for p in pairs:
            got = score_pair(explainer.mention(p["left_mention_id"]), explainer.mention(p["right_mention_id"]),
                             explainer.model)
            stored = json.loads(p["components"])
            for name in ROW_COMPARISONS:
                if name in stored:
                    assert got.components[name]["level"] == stored[name]["level"], (p, name)
    finally:
        explainer.close()


def test_a_pair_not_stored_is_recomputed(sample_db: Path, tmp_path: Path) -> None:
    a, b, score = query(sample_db, "select left_mention_id, right_mention_id, score from match_evidence "
                                   "where decision = 'cannot-link' order by left_mention_id limit 1")[0]
    copy = tmp_path / "incidents.db"
    shutil.copy(sample_db, copy)
    with sqlite3.connect(copy) as conn:
        conn.execute("delete from match_evidence where left_mention_id = ? and right_mention_id = ?", (a, b))
    conn.close()
    e = explain_pair(copy, a, b)
    assert e["evidence"] == "recomputed" and "not in match_evidence" in e["evidence_note"]
    assert e["decision"] == "cannot-link" and e["hard_conflict"]["comparison"] == "date"


def test_same_incident_with_a_low_direct_score_is_joined_through_others(sample_db: Path, tmp_path: Path) -> None:
    # In the sample every merged pair scores above the threshold; lower one to see how a pair merged
    # through the rest of its incident is explained.
    rows = query(sample_db, """
        select e.left_mention_id, e.right_mention_id, m.incident_id from match_evidence e
        join mentions m on m.id = e.left_mention_id
        where e.decision = 'merged' and (select count(*) from mentions x where x.incident_id = m.incident_id) >= 3
        order by e.left_mention_id, e.right_mention_id limit 1""")
    a, b, incident = rows[0]
    copy = tmp_path / "incidents.db"
    shutil.copy(sample_db, copy)
    with sqlite3.connect(copy) as conn:
        conn.execute("update match_evidence set score = -2.5 where left_mention_id = ? and right_mention_id = ?",
                     (a, b))
    conn.close()
    e = explain_pair(copy, a, b)
    assert e["decision"] == "merged" and e["same_incident"] and not e["clears_threshold"]
    joined = e["joined_through"]
    others = {r[0] for r in query(copy, "select id from mentions where incident_id = ?", (incident,))} - {a, b}
    assert joined["incident_id"] == incident and joined["other_reports"] == len(others) >= 1
    assert {r["mention_id"] for r in joined["listed"]} == others
    result = run(copy, a, b)
    assert "joined through" in result.output.lower() and sorted(others)[0] in result.output


def test_analyst_decisions_are_shown(tmp_path: Path) -> None:
    if "decisions" not in inspect.signature(build_database).parameters:
        pytest.skip("this build has no analyst decisions")
    built = tmp_path / "built.db"
    build_database(None, built)
    a, b = query(built, "select left_mention_id, right_mention_id from match_evidence where decision = 'merged' "
                        "order by score desc, left_mention_id limit 1")[0]
    decisions = tmp_path / "decisions.yml"
    decisions.write_text(f"- cannot_link: [{a}, {b}]\n  note: two different attacks\n")
    db = tmp_path / "incidents.db"
    build_database(None, db, decisions=decisions)
    e = explain_pair(db, a, b)
    assert e["decision"] == "cannot-link (analyst)" and not e["same_incident"]
    assert [d["kind"] for d in e["analyst_decisions"]] == ["cannot_link"]
    assert "two different attacks" in run(db, a, b).output
