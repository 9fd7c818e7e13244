"""Analyst corrections (dedupe.decisions): read, resolved against the build, honoured by clustering,
stored and reported. Ids are taken from the sample build (sample_result), never hard-coded."""

from __future__ import annotations

import json
import random
import warnings
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from dedupe.cli import main
from dedupe.clustering import CANNOT_LINK, MUST_LINK, Constraints, cluster_mentions, label_decisions
from dedupe.decisions import Decision, DecisionWarning, load_decisions, parse_decisions, resolve_decisions
from dedupe.models import PairScore
from dedupe.pipeline import SAMPLE_DIR, build_database
from tests.helpers import day, dump_database, make_mention, query
from tests.test_cli import VOLATILE, assert_same

REPO = Path(__file__).resolve().parent.parent




def write_decisions(path: Path, entries: list[dict] | str) -> Path:
    path.write_text(entries if isinstance(entries, str) else yaml.safe_dump(entries, sort_keys=False),
                    encoding="utf-8")
    return path


def build(tmp_path: Path, entries: list[dict] | str, inputs=None, name: str = "d.db") -> Path:
    """Build the sample with these decisions; any DecisionWarning fails the test unless caught around it."""
    decisions = write_decisions(tmp_path / f"{name}.decisions.yml", entries)
    db = tmp_path / name
    with warnings.catch_warnings():
        warnings.simplefilter("error", DecisionWarning)
        build_database(inputs, db, decisions=decisions)
    return db


def incident_of(db: Path, mention_id: str) -> str:
    return query(db, "select incident_id from mentions where id = ?", (mention_id,))[0][0]


def evidence(db: Path, x: str, y: str) -> tuple[str, str | None]:
    left, right = sorted((x, y))
    found = query(db, "select decision, hard_conflict from match_evidence where left_mention_id = ? "
                     "and right_mention_id = ?", (left, right))
    assert found, f"no match_evidence row for {left}, {right}"
    return found[0]


def members(result) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for m in sorted(result.mentions, key=lambda m: m.id):
        out[m.incident_id].append(m.id)
    return out


def lead(result, article_id: str) -> str:
    return min((m for m in result.mentions if m.article_id == article_id), key=lambda m: m.order).id


# ------------------------------------------------------------------------------------- clustering


def test_must_link_joins_two_incidents_that_were_separate_even_against_a_hard_conflict(tmp_path, sample_result):
    # A pair the model rules out (incompatible dates): the analyst wins.
    pair = min((p for p in sample_result.pairs if p.hard_conflict == "date"), key=lambda p: (p.left_id, p.right_id))
    a, b = pair.left_id, pair.right_id
    by_id = {m.id: m for m in sample_result.mentions}
    assert by_id[a].incident_id != by_id[b].incident_id
    db = build(tmp_path, [{"must_link": [b, a], "note": "same attack", "by": "tester"}])
    assert incident_of(db, a) == incident_of(db, b)
    assert evidence(db, a, b) == (MUST_LINK, "date")  # the decision says who won, the conflict stays visible
    assert query(db, "select kind, ids, note, by, status, reason, line from decisions") == [
        ("must_link", json.dumps([b, a]), "same attack", "tester", "applied", None, 1)]
    assert query(db, "select decisions from build_info") == [(1,)]


def test_must_link_by_article_id_merges_the_lead_reports(tmp_path, sample_result):
    # Two articles whose lead reports are different incidents; a pair blocking may never have compared.
    primary = sample_result.primary
    x, y = next((x, y) for x in sorted(primary) for y in sorted(primary) if x < y and primary[x] != primary[y])
    db = build(tmp_path, [{"must_link": [x, y]}])
    assert incident_of(db, lead(sample_result, x)) == incident_of(db, lead(sample_result, y))
    assert evidence(db, lead(sample_result, x), lead(sample_result, y))[0] == MUST_LINK
    assert query(db, "select primary_incident_id from articles where id = ?", (x,)) == query(
        db, "select primary_incident_id from articles where id = ?", (y,))


def test_cannot_link_splits_a_merged_incident(tmp_path, sample_result):
    # The 2021-06-06 drone incident reported by three articles.
    (target,) = [i for i in sample_result.incidents
                 if i.date == "2021-06-06" and i.weapon == "drone" and i.article_count == 3]
    leads = [a for a in target.article_ids if sample_result.primary[a] == target.id]
    assert len(leads) >= 2
    x, y = leads[:2]
    lx, ly = lead(sample_result, x), lead(sample_result, y)
    db = build(tmp_path, [{"cannot_link": [x, y], "note": "two attacks"}])
    assert incident_of(db, lx) != incident_of(db, ly)
    assert evidence(db, lx, ly)[0] == CANNOT_LINK
    # The rest of the old incident went somewhere, but never into one cluster with both.
    together = query(db, "select incident_id from mentions where id in (?, ?) group by incident_id having count(*) > 1",
                    (lx, ly))
    assert together == []
    assert len(query(db, "select id from incidents")) > len(sample_result.incidents)
    assert query(db, "select status from decisions") == [("applied",)]


def test_split_out_makes_a_singleton(tmp_path, sample_result):
    groups = members(sample_result)
    big = sorted((ms for ms in groups.values() if len(ms) >= 3), key=lambda ms: ms[0])[0]
    alone = big[-1]
    db = build(tmp_path, [{"split_out": alone}])
    iid = incident_of(db, alone)
    assert query(db, "select id from mentions where incident_id = ?", (iid,)) == [(alone,)]
    decided = query(db, "select decision from match_evidence where (left_mention_id = ? or right_mention_id = ?) "
                       "and hard_conflict is null", (alone, alone))
    assert decided and {d for (d,) in decided} == {CANNOT_LINK}


def test_split_out_by_article_id_splits_every_report_of_the_article(tmp_path, sample_result):
    groups = members(sample_result)
    article = next(a.id for a in sorted(sample_result.articles, key=lambda a: a.id)
                   if any(len(groups[m.incident_id]) > 1 for m in sample_result.mentions if m.article_id == a.id))
    ids = [m.id for m in sample_result.mentions if m.article_id == article]
    db = build(tmp_path, [{"split_out": [article]}])
    for mid in ids:
        assert query(db, "select count(*) from mentions where incident_id = ?", (incident_of(db, mid),)) == [(1,)]


def test_other_reports_may_join_a_must_linked_cluster():
    # a and b contradict each other's dates; the analyst links them; c (same day as a, undated-compatible
    # with b) joins through the usual average-linkage rule.
    a = make_mention("a", "x1", date=day("2021-06-06"))
    b = make_mention("b", "x2", date=day("2021-06-09"))
    c = make_mention("c", "x3", date=day("2021-06-06"))
    d = make_mention("d", "x4", date=day("2021-06-09"))
    pairs = [PairScore("a", "b", -20.0, 0.0, {}, "date"), PairScore("a", "c", 12.0, 1.0, {})]

    def score(x, y):
        left, right = sorted((x.id, y.id))
        hard = "date" if x.date != y.date else None
        return PairScore(left, right, -20.0 if hard else 12.0, 0.0, {}, hard)

    assert cluster_mentions([a, b, c, d], pairs, 0.0, score) == [["a", "c"], ["b"], ["d"]]
    constraints = Constraints.of(must_link=[("b", "a")])
    clusters = cluster_mentions([a, b, c, d], pairs, 0.0, score, constraints)
    # c conflicts with b, so it cannot join; with a softer c it would.
    assert ["a", "b"] in clusters and ["c"] in clusters

    def lenient(x, y):
        left, right = sorted((x.id, y.id))
        return PairScore(left, right, 12.0, 1.0, {})

    clusters = cluster_mentions([a, b, c, d], [PairScore("a", "b", -20.0, 0.0, {}, "date"),
                                               PairScore("a", "c", 12.0, 1.0, {})], 0.0, lenient, constraints)
    assert clusters[0] == ["a", "b", "c"]
    label_pairs = [PairScore("a", "b", -20.0, 0.0, {}, "date"), PairScore("a", "c", 12.0, 1.0, {})]
    label_decisions(label_pairs, clusters, constraints)
    assert [p.decision for p in label_pairs] == [MUST_LINK, "merged"]


def test_cannot_link_holds_for_every_merge_not_only_the_pair():
    # a~b and b~c are strong, but a and c may not share a cluster: c must not join {a, b} through b.
    a, b, c = (make_mention(x, f"art{x}", date=day("2021-06-06")) for x in "abc")

    def strong(x, y):
        left, right = sorted((x.id, y.id))
        return PairScore(left, right, 20.0, 1.0, {})

    pairs = [strong(a, b), strong(b, c), strong(a, c)]
    assert cluster_mentions([a, b, c], pairs, 0.0, strong) == [["a", "b", "c"]]
    clusters = cluster_mentions([a, b, c], pairs, 0.0, strong, Constraints.of(cannot_link=[("c", "a")]))
    assert not any({"a", "c"} <= set(cl) for cl in clusters)
    assert len(clusters) == 2


# ------------------------------------------------------------------------------------- stale and conflicts


def test_stale_ids_are_warned_about_and_stored(tmp_path, sample_result):
    groups = members(sample_result)
    ms = next(ms for ms in sorted(groups.values()) if len(ms) >= 2)
    path = write_decisions(tmp_path / "decisions.yml", (
        f"- must_link: [m000000000000000, {ms[0]}]\n"
        "  note: from last month's corpus\n"
        "\n"
        f"- split_out: {ms[1]}\n"
        "- cannot_link: [ffffffffffffffff, eeeeeeeeeeeeeeee]\n"))
    db = tmp_path / "stale.db"
    with pytest.warns(DecisionWarning, match="stale") as caught:
        result, _ = build_database(None, db, decisions=path)
    messages = [str(w.message) for w in caught if issubclass(w.category, DecisionWarning)]
    assert len(messages) == 2
    assert f"{path}:1:" in messages[0] and "m000000000000000" in messages[0]
    assert f"{path}:5:" in messages[1] and "ffffffffffffffff" in messages[1]
    stored = query(db, "select id, kind, status, reason, line from decisions order by id")
    assert [(i, k, s) for i, k, s, _, _ in stored] == [
        (1, "must_link", "stale"), (2, "split_out", "applied"), (3, "cannot_link", "stale")]
    assert "m000000000000000" in stored[0][3] and ms[0] not in stored[0][3]
    assert "ffffffffffffffff" in stored[2][3] and "eeeeeeeeeeeeeeee" in stored[2][3]
    assert [line for *_, line in stored] == [1, 4, 5]
    assert [s.decision.line for s in result.stale_decisions] == [1, 5]
    # The stale must_link changed nothing; the applied split_out did.
    assert query(db, "select count(*) from mentions where incident_id = ?", (incident_of(db, ms[1]),)) == [(1,)]


def test_stale_decisions_on_stderr_from_the_command_line(tmp_path):
    path = write_decisions(tmp_path / "mine.yml", [{"split_out": "mdeadbeefdeadbee"}])
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "c.db"), "--decisions", str(path)])
    assert result.exit_code == 0, result.output
    assert "mdeadbeefdeadbee" in result.stderr and "stale" in result.stderr and f"{path}:1" in result.stderr
    assert "mdeadbeefdeadbee" not in result.stdout
    quiet = CliRunner().invoke(main, ["--db", str(tmp_path / "q.db"), "--decisions", str(path), "--quiet"])
    assert quiet.exit_code == 0 and quiet.stderr == ""
    assert query(tmp_path / "q.db", "select status from decisions") == [("stale",)]


def test_must_link_against_a_cannot_link_is_a_conflict_and_keeping_apart_wins(tmp_path, sample_result):
    groups = members(sample_result)
    x, y = next(ms for ms in sorted(groups.values()) if len(ms) >= 2)[:2]
    path = write_decisions(tmp_path / "decisions.yml", f"- must_link: [{x}, {y}]\n- cannot_link: [{y}, {x}]\n")
    db = tmp_path / "conflict.db"
    with pytest.warns(DecisionWarning, match="conflict"):
        build_database(None, db, decisions=path)
    assert incident_of(db, x) != incident_of(db, y)
    assert query(db, "select kind, status from decisions order by id") == [
        ("must_link", "conflict"), ("cannot_link", "applied")]
    assert "line 2" in query(db, "select reason from decisions where id = 1")[0][0]


def test_resolve_decisions_article_ids_and_unknown_ids(sample_result):
    article = next(a for a in sorted(sample_result.articles, key=lambda a: a.id)
                   if sum(m.article_id == a.id for m in sample_result.mentions) >= 2)
    ids = sorted(m.id for m in sample_result.mentions if m.article_id == article.id)
    other = next(m.id for m in sorted(sample_result.mentions, key=lambda m: m.id) if m.article_id != article.id)
    decisions = [Decision("cannot_link", (article.id, other)), Decision("split_out", (article.id,)),
                 Decision("must_link", ("nope", other), line=9)]
    constraints, stale = resolve_decisions(decisions, sample_result.mentions, sample_result.articles)
    assert constraints.cannot_link == {tuple(sorted((lead(sample_result, article.id), other)))}
    assert constraints.split_out == set(ids)
    assert constraints.must_link == set()
    assert [(s.decision.line, s.status) for s in stale] == [(9, "stale")] and "nope" in stale[0].reason


# ------------------------------------------------------------------------------------- the file


@pytest.mark.parametrize("text, expected", [
    ("- must_link: [a, b\n", "not valid YAML"),
    ("must_link: [a, b]\n", "expected a list of decisions"),
    ("- must_link: [a, b]\n- [c, d]\n", ":2: decision 2: expected a mapping"),
    ("- must_link: [a, b]\n  nte: typo\n", "unknown key 'nte'"),
    ("- must_link: [a, b]\n  cannot_link: [a, b]\n", "both must_link and cannot_link"),
    ("- note: nothing decided\n", "needs exactly one of"),
    ("\n\n- cannot_link: [a]\n", ":3: decision 1 (cannot_link): needs at least 2 ids"),
    ("- split_out: []\n", "needs at least 1 id"),
    ("- must_link: [a, {b: c}]\n", "expected a mention or article id"),
    ("- must_link: [a, ~]\n", "expected a mention or article id"),
    ("- split_out: a\n  by: [x, y]\n", "(by): expected text"),
    ("- split_out: a\n  split_out: b\n", "'split_out' given twice"),
], ids=["syntax", "not-a-list", "not-a-mapping", "unknown-key", "two-kinds", "no-kind", "one-id", "no-id",
        "mapping-id", "null-id", "by-list", "duplicate-key"])
def test_malformed_files_give_a_clear_error(tmp_path, text, expected):
    path = write_decisions(tmp_path / "bad.yml", text)
    with pytest.raises(ValueError) as info:
        load_decisions(path)
    assert expected in str(info.value)
    assert str(path) in str(info.value)
    # The build refuses before doing any work, and the command line says which option is wrong.
    with pytest.raises(ValueError):
        build_database(None, tmp_path / "x.db", decisions=path)
    assert not (tmp_path / "x.db").exists()
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "y.db"), "--decisions", str(path)])
    assert result.exit_code == 2 and "--decisions" in result.stderr and expected in result.stderr
    assert not (tmp_path / "y.db").exists()


def test_ids_are_read_as_written_and_empty_files_are_empty():
    # An all-digit article id with a leading zero would be a YAML number (octal!) if loaded naively.
    (d,) = parse_decisions("- cannot_link: [0123456701234567, 1e10]\n  note:\n")
    assert d.ids == ("0123456701234567", "1e10") and d.note is None and d.line == 1
    assert parse_decisions("") == parse_decisions("# nothing yet\n") == []


def test_example_file_is_valid_and_documents_every_kind():
    decisions = load_decisions(REPO / "decisions.example.yml")
    assert {d.kind for d in decisions} == {"must_link", "cannot_link", "split_out"}


# ------------------------------------------------------------------------------------- builds


def test_no_decisions_leaves_an_empty_table(sample_db, sample_info):
    assert query(sample_db, "select count(*) from decisions") == [(0,)]
    assert query(sample_db, "select decisions from build_info") == [(0,)] and sample_info["decisions"] == 0
    assert query(sample_db, "select count(*) from match_evidence where decision like '%analyst%'") == [(0,)]


def test_decisions_yml_in_the_working_directory_is_the_default(tmp_path, monkeypatch, sample_result):
    groups = members(sample_result)
    alone = next(ms for ms in sorted(groups.values()) if len(ms) >= 2)[0]
    write_decisions(tmp_path / "decisions.yml", [{"split_out": alone}])
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["--db", "here.db", "--quiet"])
    assert result.exit_code == 0, result.output
    assert query(tmp_path / "here.db", "select kind, status from decisions") == [("split_out", "applied")]


def test_decisions_apply_identically_whatever_the_input_order(tmp_path, sample_result):
    (target,) = [i for i in sample_result.incidents
                 if i.date == "2021-06-06" and i.weapon == "drone" and i.article_count == 3]
    x, y = [a for a in target.article_ids if sample_result.primary[a] == target.id][:2]
    pair = min((p for p in sample_result.pairs if p.hard_conflict == "date"), key=lambda p: (p.left_id, p.right_id))
    groups = members(sample_result)
    taken = {pair.left_id, pair.right_id, lead(sample_result, x), lead(sample_result, y)}
    alone = next(m for ms in sorted(groups.values()) if len(ms) >= 2 for m in ms if m not in taken)
    entries = [{"cannot_link": [x, y]}, {"must_link": [pair.left_id, pair.right_id]}, {"split_out": alone}]
    files = sorted(SAMPLE_DIR.iterdir())
    one = build(tmp_path, entries, files, "one.db")
    shuffled = files[:]
    random.Random(7).shuffle(shuffled)
    two = build(tmp_path, entries, list(reversed(files)), "two.db")
    three = build(tmp_path, entries, shuffled, "three.db")
    reference = dump_database(one, VOLATILE)
    assert_same(reference, dump_database(two, VOLATILE))
    assert_same(reference, dump_database(three, VOLATILE))
    assert query(one, "select status from decisions") == [("applied",)] * 3
    # Ids listed in another order within a decision decide the same.
    flipped = [{"cannot_link": [y, x]}, {"must_link": [pair.right_id, pair.left_id]}, {"split_out": [alone]}]
    four = build(tmp_path, flipped, files, "four.db")
    ignore = {**VOLATILE, "decisions": {"ids"}}
    assert_same(dump_database(one, ignore), dump_database(four, ignore))
