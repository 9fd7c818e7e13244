"""Incident ids: derived from content, inherited across rebuilds, redirected when absorbed."""

from __future__ import annotations

import shutil
import sqlite3

from dedupe.identity import Previous, assign_ids, incident_id
from dedupe.pipeline import SAMPLE_DIR, build_database


def test_new_incidents_are_named_after_their_smallest_mention():
    ids, redirects = assign_ids([["m2", "m1"], ["m3"]])
    assert ids == [incident_id(["m1"]), incident_id(["m3"])]
    assert redirects == {}


def test_a_cluster_inherits_the_id_most_of_its_mentions_had():
    previous = Previous({"m1": "iOLD", "m2": "iOLD", "m9": "iOTHER"})
    # m0 is new and sorts first: without history the id would change.
    ids, redirects = assign_ids([["m0", "m1", "m2"], ["m9"]], previous)
    assert ids == ["iOLD", "iOTHER"]
    assert redirects == {}


def test_merged_incidents_redirect_to_the_survivor():
    previous = Previous({"m1": "iA", "m2": "iA", "m3": "iB"})
    ids, redirects = assign_ids([["m1", "m2", "m3"]], previous)
    assert ids == ["iA"]  # the one with more mentions in the merged cluster
    assert redirects == {"iB": "iA"}


def test_ties_between_absorbed_ids_break_on_the_id_not_on_order():
    previous = Previous({"m1": "iB", "m2": "iA"})
    assert assign_ids([["m1", "m2"]], previous) == assign_ids([["m2", "m1"]], previous) == (["iA"], {"iB": "iA"})


def test_earlier_redirects_follow_a_later_merge():
    previous = Previous({"m1": "iB", "m2": "iC"}, redirects={"iA": "iB"})
    ids, redirects = assign_ids([["m1", "m2", "m3"]], Previous({"m1": "iB", "m2": "iC", "m3": "iC"}, {"iA": "iB"}))
    assert ids == ["iC"]
    assert redirects == {"iA": "iC", "iB": "iC"}  # no chain ends at an id that no longer exists
    assert previous.redirects == {"iA": "iB"}


def test_a_new_id_never_reuses_an_absorbed_one():
    taken = {incident_id(["m5"])}
    salted = incident_id(["m5"], taken)
    assert salted != incident_id(["m5"]) and salted.startswith("i") and len(salted) == 12
    ids, _ = assign_ids([["m5"]], Previous({}, {incident_id(["m5"]): "iX"}))
    assert ids == [salted]


def test_a_new_id_never_takes_one_the_database_holds_outside_what_was_read():
    # An update read m1-m3 (incident iZ) but not incident_id(["m1"]), named after m1 before m1 left
    # it and still held by its other reports: m1, split out alone, must not take that id.
    held = incident_id(["m1"])
    ids, _ = assign_ids([["m1"], ["m2", "m3"]], Previous({"m1": "iZ", "m2": "iZ", "m3": "iZ"}, elsewhere={held}))
    assert ids == [incident_id(["m1"], {held}), "iZ"] and held not in ids
    ids, _ = assign_ids([["m1"], ["m2", "m3"]], Previous({"m1": "iZ", "m2": "iZ", "m3": "iZ"}))
    assert ids == [held, "iZ"]


def _ids(path):
    conn = sqlite3.connect(path)
    try:
        return dict(conn.execute("select id, incident_id from mentions")), \
            dict(conn.execute("select old_id, new_id from incident_redirects"))
    finally:
        conn.close()


def test_a_rebuild_that_adds_inputs_keeps_every_incident_id(tmp_path):
    files = sorted(SAMPLE_DIR.glob("*.txt"))
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir()
    later.mkdir()
    for f in files[1:]:
        shutil.copy(f, first)
    shutil.copy(files[0], later)
    db = tmp_path / "incidents.db"
    build_database([first], db)
    before, _ = _ids(db)
    build_database([first, later], db)
    after, redirects = _ids(db)
    # Every old id still names an incident, or redirects to one; reports keep their incident's id, except
    # where the new article changes which incident a report belongs to (here: one of 17).
    assert set(before.values()) <= set(after.values()) | set(redirects)
    assert set(redirects.values()) <= set(after.values())
    kept = sum(after[m] == i for m, i in before.items())
    assert kept >= len(before) - 1
    fresh = tmp_path / "fresh.db"
    build_database([first, later], fresh)
    # Same incidents as a build from scratch, only (possibly) different names.
    groups = lambda d: sorted(sorted(m for m in d if d[m] == i) for i in set(d.values()))  # noqa: E731
    assert groups(after) == groups(_ids(fresh)[0])
