"""The command line (dedupe.cli.main / build_db.py): summary, mixed inputs, errors, atomic writes,
documented options and reproducible builds."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from dedupe import store
from dedupe.cli import _datasette_command, main
from dedupe.pipeline import SAMPLE_DIR, build_database
from tests.helpers import dump_database, query, write

REPO = Path(__file__).resolve().parent.parent

SUMMARY = re.compile(
    r"^(?P<db>.+): (?P<articles>\d+) articles, (?P<mentions>\d+) mentions, (?P<incidents>\d+) incidents, "
    r"(?P<disputed>\d+) disputed, (?P<errors>\d+) errors, \d+\.\ds$"
)

# Tables a build of the sample must fill; ingest_errors is empty for the sample.
FILLED_TABLES = ["places", "incidents", "articles", "mentions", "claims", "match_evidence", "build_info"]


def run(*args: str):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=True)
    return result


def summary(stdout: str) -> dict[str, str]:
    lines = stdout.strip().splitlines()
    assert lines, "no output"
    m = SUMMARY.match(lines[-1])
    assert m, f"last line is not the summary: {lines[-1]!r}"
    return m.groupdict()


def count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"select count(*) from [{table}]").fetchone()[0]






# ------------------------------------------------------------------------------------- the sample


def test_sample_build_prints_summary_and_fills_every_table(tmp_path):
    db = tmp_path / "out.db"
    result = run("--db", db)
    assert result.exit_code == 0, result.output
    s = summary(result.stdout)
    assert s["db"] == str(db)
    assert s["articles"] == "5" and s["errors"] == "0"
    assert result.stdout.strip().count("\n") == 0  # the summary is the only line on stdout
    # The numbers printed are the numbers stored.
    for key in ("articles", "mentions", "incidents"):
        assert int(s[key]) == count(db, key), key
    assert int(s["disputed"]) == query(db, "select count(*) from incidents where disputed != '[]'")[0][0]
    assert int(s["disputed"]) >= 1  # the sample's five outlets disagree on the outcome
    for table in FILLED_TABLES:
        assert count(db, table) > 0, f"{table} is empty"
    assert count(db, "ingest_errors") == 0
    # Full-text indexes are populated, not just created.
    assert count(db, "articles_fts") == count(db, "articles")
    assert count(db, "mentions_fts") == count(db, "mentions")
    info = dict(zip(("articles", "mentions", "incidents", "errors"),
                    query(db, "select articles, mentions, incidents, errors from build_info")[0], strict=True))
    assert info == {k: int(s[k]) for k in info}


def test_build_db_script_runs_as_a_program(tmp_path):
    """`python build_db.py` from another folder: the default --db is incidents.db in the working dir."""
    proc = subprocess.run([sys.executable, str(REPO / "build_db.py"), "--quiet"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert summary(proc.stdout)["db"] == "incidents.db"
    assert proc.stderr == ""
    db = tmp_path / "incidents.db"
    assert count(db, "articles") == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["incidents.db"]  # no temp files left


# ------------------------------------------------------------------------------------- mixed inputs


TXT = """ date 2021-06 Two drones were shot down over Ain al-Asad airbase on Sunday, the Iraqi military said.

The air defence system at the base intercepted both drones, officials said.
"""

JSONL_LINES = [
    '{"doc_id": "j1", "title": "Rocket hits Baghdad", "published": "2021-06-05", "source": "Wire", '
    '"url": "http://example.com/1", "text": "A rocket struck near the Baghdad Diplomatic Support Center late '
    'Saturday, a coalition spokesman said."}',
    '{"doc_id": "j2", "title": broken',
    '{"doc_id": "j3", "title": "Drone downed", "published": "2021-06-07", "source": "Other", '
    '"url": "http://example.com/3", "text": "A drone was shot down near Erbil airport on Monday, Kurdish '
    'officials said.", "section": "world"}',
]


@pytest.fixture
def mixed_inputs(tmp_path):
    root = tmp_path / "in"
    txt = write(root / "sub" / "report.txt", TXT)
    jsonl = write(root / "feed.jsonl", "\n".join(JSONL_LINES) + "\n")
    pdf = write(root / "paper.pdf", b"%PDF-1.4 not really")
    return root, txt, jsonl, pdf


def test_mixed_inputs_every_record_is_an_article_or_an_error(tmp_path, mixed_inputs):
    root, txt, jsonl, pdf = mixed_inputs
    db = tmp_path / "mixed.db"
    result = run(root, "--db", db)
    assert result.exit_code == 0, result.output
    s = summary(result.stdout)
    assert (s["articles"], s["errors"]) == ("3", "2")

    articles = query(db, "select path, line, doc_id from articles")
    errors = query(db, "select path, line, reason from ingest_errors order by id")
    assert sorted((p, line) for p, line, _ in articles) == sorted(
        [(str(txt), None), (str(jsonl), 1), (str(jsonl), 3)])
    assert {d for _, _, d in articles} == {"report", "j1", "j3"}
    assert [(p, line) for p, line, _ in errors] == [(str(jsonl), 2), (str(pdf), None)]
    assert "json" in errors[0][2].lower()
    assert "unsupported" in errors[1][2].lower() and ".pdf" in errors[1][2]
    # Nothing silently dropped: every input record is accounted for exactly once.
    expected = {(str(txt), None), (str(jsonl), 1), (str(jsonl), 2), (str(jsonl), 3), (str(pdf), None)}
    seen = [(p, line) for p, line, _ in articles] + [(p, line) for p, line, _ in errors]
    assert sorted(seen, key=repr) == sorted(expected, key=repr)
    # Fields the schema does not know are kept, not dropped.
    assert query(db, "select extra from articles where doc_id = 'j3'") == [('{"section": "world"}',)]

    # Each error is reported on stderr with its path (and line), not on stdout.
    assert f"{jsonl}:2" in result.stderr
    assert str(pdf) in result.stderr and "unsupported" in result.stderr
    assert str(pdf) not in result.stdout


def test_quiet_prints_only_the_summary(tmp_path, mixed_inputs):
    root, *_ = mixed_inputs
    result = run(root, "--db", tmp_path / "q.db", "--quiet")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert len(result.stdout.strip().splitlines()) == 1
    assert summary(result.stdout)["errors"] == "2"
    assert count(tmp_path / "q.db", "ingest_errors") == 2  # quiet hides errors from stderr only


def test_strict_makes_any_input_error_fatal_and_writes_nothing(tmp_path, mixed_inputs):
    root, *_ = mixed_inputs
    db = tmp_path / "strict.db"
    result = run(root, "--db", db, "--strict")
    assert result.exit_code == 1
    assert "--strict: 2 input error(s)" in result.stderr and "error: " in result.stderr
    assert not db.exists()
    assert run(root, "--db", db).exit_code == 0  # the same inputs without --strict build


def test_update_adds_new_articles_and_skips_known_ones(tmp_path):
    from dedupe.pipeline import SAMPLE_DIR

    files = sorted(SAMPLE_DIR.glob("*.txt"))
    for f in files[:3]:
        write(tmp_path / "first" / f.name, f.read_bytes())
    for f in files[2:]:
        write(tmp_path / "second" / f.name, f.read_bytes())
    db = tmp_path / "incidents.db"
    assert run(tmp_path / "first", "--db", db, "--quiet").exit_code == 0
    result = run(tmp_path / "second", "--db", db, "--update", "--quiet")
    assert result.exit_code == 0, result.output
    assert summary(result.stdout)["articles"] == "2"  # the third was already there
    assert count(db, "articles") == 5
    assert [r[0] for r in sqlite3.connect(db).execute("select mode from build_info order by id")] == ["build", "update"]


@pytest.mark.parametrize("files", [
    {"paper.pdf": b"%PDF-1.4"},
    {"empty.txt": b""},
    {"bad.jsonl": b"{not json\n"},
], ids=["unsupported", "empty", "malformed"])
def test_no_article_at_all_exits_non_zero_and_keeps_the_old_db(tmp_path, files):
    for name, data in files.items():
        write(tmp_path / "in" / name, data)
    db = tmp_path / "out" / "incidents.db"
    write(db, b"previous database")
    result = run(tmp_path / "in", "--db", db)
    assert result.exit_code != 0
    assert summary(result.stdout)["articles"] == "0"
    assert next(iter(files)) in result.stderr  # the reason is shown
    assert db.read_bytes() == b"previous database"
    assert sorted(os.listdir(db.parent)) == ["incidents.db"]


def test_missing_input_is_a_usage_error(tmp_path):
    result = run(tmp_path / "nope.txt", "--db", tmp_path / "x.db")
    assert result.exit_code == 2
    assert "nope.txt" in result.stderr
    assert not (tmp_path / "x.db").exists()


# ------------------------------------------------------------------------------------- atomic write


def test_failed_build_leaves_existing_db_byte_identical(tmp_path, monkeypatch):
    db = tmp_path / "incidents.db"
    old = b"SQLite format 3\x00 pretend this is yesterday's database"
    db.write_bytes(old)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "write_rows", boom)
    result = run(SAMPLE_DIR / "000_7205b53a5370c69c.txt", "--db", db)
    assert result.exit_code != 0
    assert isinstance(result.exception, RuntimeError)
    assert db.read_bytes() == old
    assert os.listdir(tmp_path) == ["incidents.db"], "temporary files left behind"


def test_successful_build_replaces_existing_db_without_leftovers(tmp_path):
    db = tmp_path / "incidents.db"
    db.write_bytes(b"old")
    result = run(SAMPLE_DIR / "000_7205b53a5370c69c.txt", "--db", db)
    assert result.exit_code == 0, result.output
    assert db.read_bytes()[:16] == b"SQLite format 3\x00"
    assert count(db, "articles") == 1
    assert os.listdir(tmp_path) == ["incidents.db"], "temporary files left behind"


# ------------------------------------------------------------------------------------- documentation


def option_names() -> list[str]:
    ctx = click.Context(main, **main.context_settings)  # as make_context would: -h too
    names = []
    for param in main.get_params(ctx):  # main.params plus the help option
        if isinstance(param, click.Option):
            names += [*param.opts, *param.secondary_opts]
    return names


def test_every_option_is_documented_in_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    names = option_names()
    assert {"--db", "--serve", "-h", "--help"} <= set(names)
    assert all(name in names for p in main.params if isinstance(p, click.Option) for name in p.opts)
    missing = [n for n in names if not re.search(rf"`{re.escape(n)}(?![\w-])", readme)]
    assert not missing, f"options not documented in README.md: {missing}"


def test_help_lists_every_option():
    result = run("--help")
    assert result.exit_code == 0
    for name in option_names():
        assert name in result.stdout


# ------------------------------------------------------------------------------------- serving


def test_serve_passes_metadata_and_settings_to_datasette(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr("dedupe.cli.os.execv", lambda exe, args: calls.append((exe, args)))
    db = tmp_path / "news.db"
    result = run(SAMPLE_DIR / "000_7205b53a5370c69c.txt", "--db", db, "--serve", "--port", "8123", "--quiet")
    assert result.exit_code == 0, result.output
    (exe, args), = calls
    assert args[0] == exe and "serve" in args and str(db) in args
    assert args[args.index("--port") + 1] == "8123"
    # Datasette 0.65 ignores `settings:` in metadata; they must arrive as --setting options.
    meta = yaml.safe_load((REPO / "metadata.yml").read_text(encoding="utf-8"))
    passed = {args[i + 1]: args[i + 2] for i, a in enumerate(args) if a == "--setting"}
    for name, value in (meta.get("settings") or {}).items():
        expected = ("on" if value else "off") if isinstance(value, bool) else str(value)
        assert passed.get(name) == expected, name
    # The metadata served describes the database under its URL name (the file stem).
    served_path = Path(args[args.index("-m") + 1])
    served = yaml.safe_load(served_path.read_text(encoding="utf-8"))
    served_path.unlink()  # a renamed copy, never metadata.yml itself
    assert list(served["databases"]) == ["news"]
    assert served["databases"]["news"] == next(iter(meta["databases"].values()))
    assert served_path != REPO / "metadata.yml"


def test_serving_a_database_again_reuses_its_renamed_metadata(tmp_path):
    # Datasette replaces the CLI process, so the renamed copy outlives it: each serve of the
    # same database must not leave another one behind.
    first = _datasette_command(tmp_path / "news.db", 8001)[1]
    second = _datasette_command(tmp_path / "news.db", 8002)[1]
    path = Path(first[first.index("-m") + 1])
    assert Path(second[second.index("-m") + 1]) == path and path.exists()
    other = _datasette_command(tmp_path / "other.db", 8001)[1]
    assert Path(other[other.index("-m") + 1]) != path


def test_serve_command_for_incidents_db_uses_metadata_yml_itself(tmp_path):
    _, args = _datasette_command(tmp_path / "incidents.db", 8001)
    assert args[args.index("-m") + 1] == str(REPO / "metadata.yml")


# ------------------------------------------------------------------------------------- reproducible


VOLATILE = {"build_info": {"built_at", "seconds", "inputs"}}


def assert_same(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for key in a:
        assert a[key] == b[key], f"{key} differs between builds"


def test_same_inputs_same_database(tmp_path, sample_db):
    again = tmp_path / "again.db"
    build_database(None, again)
    assert_same(dump_database(sample_db, VOLATILE), dump_database(again, VOLATILE))


def test_input_order_does_not_change_the_database(tmp_path, sample_db):
    files = sorted(SAMPLE_DIR.iterdir())
    assert len(files) == 5
    reversed_db = tmp_path / "reversed.db"
    build_database(list(reversed(files)), reversed_db)
    reference = dump_database(sample_db, VOLATILE)
    assert_same(reference, dump_database(reversed_db, VOLATILE))

    # The same files copied into a different folder layout, so they are walked in another order.
    layout = tmp_path / "layout"
    for n, f in enumerate(reversed(files)):
        folder = layout / f"{'a' if n % 2 else 'z'}{n}"  # 004 -> z0, 003 -> a1, 002 -> z2, ...
        folder.mkdir(parents=True)
        shutil.copy(f, folder / f.name)
    moved_db = tmp_path / "moved.db"
    build_database([layout], moved_db)
    ignore = {**VOLATILE, "articles": {"path"}}
    assert_same(dump_database(sample_db, ignore), dump_database(moved_db, ignore))
    ids = "select id from incidents order by id"
    assert query(sample_db, ids) == query(reversed_db, ids) == query(moved_db, ids)
    assert len(query(sample_db, ids)) > 1
