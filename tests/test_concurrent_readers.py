"""Concurrent readers lose nothing: a real Datasette serving the database (started as `build_db.py --serve`
starts it) answers every request while a real `build_db.py --update` process writes into the same file, and
every answer shows the database before the update or after it, never a mix (README.md, "Updating a
database": one transaction, in WAL mode).

Reader threads query continuously until the update process ends: one SQL query that counts articles,
reports, reports without an incident, incidents, incidents without a report, build_info rows and the
full-text index in one read transaction; the incidents table as JSON (its set of ids); the articles table's
row count; and the incident and article pages (HTML, with the plugin's queries). The number of requests
answered during the update is printed. Both the first update (which switches the file to WAL mode) and a
later one (Datasette then holds the WAL open) are covered, and so is a full rebuild of the served file after
such an update.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from dedupe.incremental import update_database
from dedupe.pipeline import SAMPLE_DIR, build_database
from tests.helpers import database_problems, query, report, write_variant_articles
from tests.served import serve

REPO = Path(__file__).resolve().parent.parent
BUILD_DB = REPO / "build_db.py"
UPDATE_ARTICLES = 150  # new articles the update adds to the bundled sample: a few seconds of work
READERS = 4  # threads sending requests

STATE_SQL = """
select (select count(*) from articles) as articles,
       (select count(*) from mentions) as mentions,
       (select count(*) from mentions where incident_id is null) as mentions_without_incident,
       (select count(*) from incidents) as incidents,
       (select count(*) from incidents where id not in
           (select incident_id from mentions where incident_id is not null)) as incidents_without_mention,
       (select count(*) from build_info) as builds,
       (select count(*) from articles_fts) as indexed_articles
"""


def state(db: Path) -> dict[str, object]:
    """What the readers check, read straight from the file: the counts of STATE_SQL, the incident ids and
    the articles table's row count."""
    counts = query(db, STATE_SQL)[0]
    names = ["articles", "mentions", "mentions_without_incident", "incidents", "incidents_without_mention",
             "builds", "indexed_articles"]
    return {"state": dict(zip(names, counts, strict=True)),
            "incidents": frozenset(r[0] for r in query(db, "select id from incidents")),
            "articles": query(db, "select count(*) from articles")[0][0]}


@dataclass
class Answer:
    kind: str
    started: float
    ended: float
    status: int
    observed: object  # for the kinds in `state`: what the response showed; else None
    problem: str | None = None


def read(client: httpx.Client, kind: str, path: str, params: dict | None = None) -> Answer:
    started = time.monotonic()
    response = client.get(path, params=params, follow_redirects=True)
    ended = time.monotonic()
    problem = None
    if response.status_code != 200:
        problem = f"{response.status_code}: {response.text[:300]}"
    elif "database is locked" in response.text:
        problem = "'database is locked' in a 200 response"
    observed = None
    if problem is None and kind == "state":
        rows = response.json()
        observed = rows[0] if len(rows) == 1 else rows
    elif problem is None and kind == "incidents":
        observed = frozenset(r["id"] for r in response.json()["rows"])
    elif problem is None and kind == "articles":
        observed = response.json()["filtered_table_rows_count"]
    return Answer(kind, started, ended, response.status_code, observed, problem)


def reader(base: str, n: int, stop: threading.Event, incident_ids: list[str], article_ids: list[str],
           answers: list[Answer]) -> None:
    """Requests of every kind in turn (each thread starting at another) appended to `answers`, until `stop`
    is set."""
    with httpx.Client(base_url=base, timeout=60) as client:
        i = n
        while not stop.is_set():
            kind = ("state", "incidents", "articles", "incident page", "article page")[i % 5]
            if kind == "state":
                answers.append(read(client, kind, "/incidents.json", {"sql": STATE_SQL, "_shape": "array"}))
            elif kind == "incidents":
                answers.append(read(client, kind, "/incidents/incidents.json", {"_shape": "objects", "_size": "max"}))
            elif kind == "articles":
                answers.append(read(client, kind, "/incidents/articles.json", {"_size": "0"}))
            elif kind == "incident page":
                answers.append(read(client, kind, f"/incidents/incidents/{incident_ids[i % len(incident_ids)]}"))
            else:
                answers.append(read(client, kind, f"/incidents/articles/{article_ids[i % len(article_ids)]}"))
            i += 1


def wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the readers got no answers"
        time.sleep(0.05)


# The first update switches the database to WAL mode while Datasette reads it; a later one finds it in WAL
# mode, with Datasette holding the WAL open.
@pytest.mark.parametrize("earlier", [0, 10], ids=["first update", "later update"])
def test_datasette_answers_throughout_an_update_and_shows_the_old_or_the_new_state(tmp_path, request, earlier):
    db = tmp_path / "incidents.db"  # Datasette names the database after the file: /incidents/...
    build_database(None, db)
    if earlier:
        update_database([write_variant_articles(tmp_path / "earlier", earlier, start=2000)], db)
    inputs = write_variant_articles(tmp_path / "new", UPDATE_ARTICLES, start=3000)
    before = state(db)
    incident_ids = sorted(before["incidents"])
    article_ids = [r[0] for r in query(db, "select id from articles order by id")]

    answers: list[Answer] = []
    with serve(db, tmp_path / "datasette.log") as base:
        stop = threading.Event()
        with ThreadPoolExecutor(READERS) as pool:
            futures = [pool.submit(reader, base, n, stop, incident_ids, article_ids, answers)
                       for n in range(READERS)]
            try:
                wait_for(lambda: len(answers) >= 2 * READERS)  # readers on the old state first
                started = time.monotonic()
                update = subprocess.run(
                    [sys.executable, str(BUILD_DB), str(inputs), "--db", str(db), "--update", "--quiet"],
                    cwd=REPO, capture_output=True, text=True, timeout=300)
                ended = time.monotonic()
                wait_for(lambda: sum(a.started > ended for a in answers) >= 2 * READERS)  # and on the new one
            finally:
                stop.set()
                for f in futures:
                    f.result()
        assert update.returncode == 0, update.stderr
        after = state(db)
        with httpx.Client(base_url=base, timeout=60) as client:
            final = read(client, "state", "/incidents.json", {"sql": STATE_SQL, "_shape": "array"})

    assert after["state"]["articles"] == before["state"]["articles"] + UPDATE_ARTICLES
    assert after["state"]["builds"] == before["state"]["builds"] + 1
    for s in (before, after):
        assert s["state"]["mentions_without_incident"] == 0 and s["state"]["incidents_without_mention"] == 0
        assert s["state"]["indexed_articles"] == s["state"]["articles"]
    assert database_problems(db) == []
    assert final.observed == after["state"], "Datasette does not see the committed update"

    problems = [f"{a.kind}: {a.problem}" for a in answers if a.problem]
    assert problems == [], f"{len(problems)} of {len(answers)} requests failed: {problems[:5]}"
    mixed = [f"{a.kind} at {a.started - started:+.2f}s: {a.observed}" for a in answers
             if a.observed is not None and a.observed not in (before[a.kind], after[a.kind])]
    assert mixed == [], f"states that are neither before nor after the update: {mixed[:5]}"

    during = [a for a in answers if a.started >= started and a.ended <= ended]
    reads = [a for a in answers if a.observed is not None]
    new = [a for a in reads if a.observed == after[a.kind]]
    line = (f"test_concurrent_readers[{request.node.callspec.id}]: {len(during)} requests answered during the "
            f"{ended - started:.1f}s update ({len(answers)} in all, {READERS} readers), all 200; of those that "
            f"read the database, {sum(a.observed == before[a.kind] for a in reads if a in during)} showed the old "
            f"state and {sum(1 for a in new if a in during)} the new one")
    report(request.config, line)
    assert len(during) >= 10, line
    # The old state until the update started; once one answer showed the new state, every later one does.
    assert all(a.observed == before[a.kind] for a in reads if a.ended < started)
    assert new, "no answer showed the updated database"
    first_new = min(a.ended for a in new)
    assert all(a.observed == after[a.kind] for a in reads if a.started > first_new)


def test_a_rebuild_of_a_served_database_after_an_update_is_not_corrupted(tmp_path):
    """A Datasette serving a database in WAL mode (updated before) keeps the WAL open, so an update while it
    serves leaves its committed transaction in the WAL, not yet copied into the database. A full build then
    renames its new file over the database and leaves the old WAL and its index beside it: the next
    connection to the new file reads the old update's pages from that WAL as if they were the new file's."""
    db = tmp_path / "incidents.db"
    sample = tmp_path / "sample"
    shutil.copytree(SAMPLE_DIR, sample)
    first = write_variant_articles(tmp_path / "first", 20, start=4000)
    second = write_variant_articles(tmp_path / "second", 20, start=4100)
    build_database([sample], db)
    update_database([first], db)  # the database is in WAL mode from now on
    sql = {"sql": STATE_SQL, "_shape": "array"}
    with serve(db, tmp_path / "datasette.log") as base, httpx.Client(base_url=base, timeout=60) as client:
        assert read(client, "state", "/incidents.json", sql).observed["articles"] == 25
        update_database([second], db)
        assert read(client, "state", "/incidents.json", sql).observed == state(db)["state"]
        assert database_problems(db) == []
        build_database([sample, first, second], db)  # README: "A rebuild replaces the file atomically"
        while_served = database_problems(db)
    assert while_served == [], "a new connection to the rebuilt file, while Datasette still serves the old one"
    assert database_problems(db) == [], "the rebuilt file, once Datasette has stopped"
    with serve(db, tmp_path / "restarted.log") as base, httpx.Client(base_url=base, timeout=60) as client:
        answer = read(client, "state", "/incidents.json", sql)
    assert answer.problem is None and answer.observed["articles"] == 45
