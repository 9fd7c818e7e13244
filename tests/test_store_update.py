"""dedupe.store.update: what an update reads of the stored database."""

from __future__ import annotations

import json

from dedupe.pipeline import build_database, run_pipeline
from dedupe.store.update import open_for_update, read_context


def test_a_busy_place_loads_the_incidents_nearest_in_time_first(tmp_path):
    # Four Akron shootings in June, each its own incident; a new report of June 27 may load two.
    days = ["2021-06-01", "2021-06-10", "2021-06-20", "2021-06-28"]
    victims = ["a 19-year-old man", "a 64-year-old woman", "a 35-year-old man", "a 12-year-old girl"]
    rows = [{"doc_id": f"d{n}", "title": f"Shooting in Akron {n}", "published": day, "source": f"s{n}.com",
             "text": f"AKRON, Ohio — Police said {who} was shot and wounded in Akron on {day}."}
            for n, (day, who) in enumerate(zip(days, victims, strict=True))]
    corpus = tmp_path / "old.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db_path = tmp_path / "incidents.db"
    build_database([corpus], db_path)
    new = tmp_path / "new.jsonl"
    new.write_text(json.dumps({"doc_id": "n", "title": "Akron shooting", "published": "2021-06-27", "source": "x.com",
                               "text": "AKRON, Ohio — A 40-year-old man was shot in Akron on 2021-06-27."}) + "\n",
                   encoding="utf-8")
    (lead, *_) = run_pipeline([new]).mentions
    db = open_for_update(db_path)
    try:
        incident_of = dict(db.execute("select a.doc_id, m.incident_id from mentions m "
                                      "join articles a on a.id = m.article_id"))
        assert len(set(incident_of.values())) == 4
        ctx = read_context(db, [lead], window_days=31, per_mention=2)
    finally:
        db.close()
    assert set(ctx.incident_of.values()) == {incident_of["d3"], incident_of["d2"]}
