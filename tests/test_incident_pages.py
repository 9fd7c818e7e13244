"""The incident page of an over-merged incident: what it prints is capped, and the rest is one link away.

A small database with the build's schema (dedupe.store.ensure_db_shape) and hand-written rows: one
incident with more reports, claimants and scored pairs than the page prints, reports of another
incident scored against it, and an ordinary incident that stays uncapped.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
from urllib.parse import urlencode

import pytest
import sqlite_utils

from dedupe.store import ensure_db_shape
from tests.served import datasette, get, get_json, load_plugin, serve_options

PLUGIN = load_plugin()
FACETS = load_plugin("table_facets.py")
REPORTS = PLUGIN.REPORTS_SHOWN + 12  # reports of the big incident, one article each
OTHERS = PLUGIN.NEARBY_SHOWN + 5  # reports of the other incident, each scored against one of ours


def mention_id(incident: str, n: int) -> str:
    return f"m{incident}{n:03d}"


@pytest.fixture(scope="module")
def big_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "incidents.db"
    db = sqlite_utils.Database(path)
    ensure_db_shape(db)
    incidents, articles, mentions, claims, pairs = [], [], [], [], []

    def incident(iid: str, reports: int, day0: int) -> None:
        incidents.append({"id": iid, "title": f"Shooting {iid}", "event_type": "shooting", "weapon": "gun",
                          "article_count": reports, "source_count": reports, "disputed": json.dumps(["killed"]),
                          "killed": 1, "outlets": "[]"})
        for n in range(reports):
            aid, mid = f"a{iid}{n:03d}", mention_id(iid, n)
            # Published in the reverse of id order, so the page's order (oldest first) is not the ids'.
            articles.append({"id": aid, "title": f"Article {aid}", "source": f"outlet{n}.example",
                             "published": f"2021-{1 + (day0 + reports - n) // 28:02d}-{1 + (day0 + reports - n) % 28:02d}",
                             "text": "Police said a man was shot in Springfield on Sunday.", "mention_count": 1})
            mentions.append({"id": mid, "article_id": aid, "incident_id": iid, "start": 0, "end": 51,
                             "sentence": "Police said a man was shot in Springfield on Sunday.",
                             "place_text": "Springfield", "date_text": "on Sunday", "weapon": "gun",
                             "attribution": "Police", "event_type": "shooting", "position": 0, "is_lead": 1})
            claims.append({"incident_id": iid, "field": "event_type", "value": "shooting", "mention_id": mid,
                           "article_id": aid})
            claims.append({"incident_id": iid, "field": "killed", "value": str(1 + n % 2), "mention_id": mid,
                           "article_id": aid})

    incident("ibig", REPORTS, 0)
    incident("iother", OTHERS, 100)
    incident("ismall", 3, 200)
    components = json.dumps({"place": {"level": "same", "weight": 3.0}, "date": {"level": "same", "weight": 1.5}})

    def pair(left: str, right: str, score: float, decision: str) -> None:
        pairs.append({"left_mention_id": left, "right_mention_id": right, "score": score, "probability": 0.9,
                      "components": components, "decision": decision})

    # Neighbours and next-but-one neighbours: 2 * REPORTS - 3 pairs, the highest scores between the
    # reports published first (so the strongest pairs involve reports the page does not print).
    for n in range(REPORTS - 1):
        pair(mention_id("ibig", n), mention_id("ibig", n + 1), 10 + n / 10, "merged")
        if n + 2 < REPORTS:
            pair(mention_id("ibig", n), mention_id("ibig", n + 2), 5 + n / 10, "merged")
    for n in range(OTHERS):
        left, right = mention_id("ibig", n), mention_id("iother", n)
        pair(*((left, right) if n % 2 else (right, left)), -1 - n / 10, "kept-apart")
    pair(mention_id("ismall", 0), mention_id("ismall", 1), 8.0, "merged")
    for table, rows in [("incidents", incidents), ("articles", articles), ("mentions", mentions),
                        ("claims", claims), ("match_evidence", pairs)]:
        db[table].insert_all(rows)
    db.close()
    return path


@pytest.fixture(scope="module")
def conn(big_db):
    conn = sqlite3.connect(big_db)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


def report_order(conn, incident: str) -> list[str]:
    """The incident's report ids in the page's order: oldest article first."""
    return [r[0] for r in conn.execute(
        "select m.id from mentions m join articles a on a.id = m.article_id where m.incident_id = ? "
        "order by a.published, a.id, m.start", [incident])]


def anchors_and_reports(page: str) -> tuple[list[str], list[str]]:
    return re.findall(r'href="#(m\w+)"', page), re.findall(r'data-mention-id="(m\w+)"', page)


def link(page: str, text_pattern: str) -> str:
    found = re.search(r'<a class="see-all" href="([^"]+)">' + text_pattern, page)
    assert found, text_pattern
    return found.group(1).replace("&amp;", "&")


async def test_big_incident_prints_the_first_reports_and_links_to_all(big_db, conn):
    ds = datasette(big_db)
    page = (await get(ds, "/incidents/incidents/ibig")).text
    order = report_order(conn, "ibig")
    anchors, printed = anchors_and_reports(page)
    assert printed == order[:PLUGIN.REPORTS_SHOWN]
    assert [int(n) for n in re.findall(r'<span class="report-n">R(\d+)</span>', page)] == list(
        range(1, PLUGIN.REPORTS_SHOWN + 1))
    # Every in-page link goes to a printed report; the others' numbers link to their rows.
    assert set(anchors) <= set(printed)
    for mid in order[PLUGIN.REPORTS_SHOWN:]:
        assert f'id="{mid}"' not in page
    assert re.search(r'href="/incidents/mentions/(m\w+)">R(\d+)</a>', page)
    for mid, n in re.findall(r'href="/incidents/mentions/(m\w+)">R(\d+)</a>', page):
        assert order.index(mid) + 1 == int(n) > PLUGIN.REPORTS_SHOWN
    assert f"Sources: {REPORTS} articles" in page
    assert f"Showing the first {PLUGIN.REPORTS_SHOWN} of {REPORTS} reports" in page
    assert "/incidents/incident_reports?incident_id=ibig" in page
    everything = link(page, f"see all {REPORTS} in the mentions table")
    assert everything == "/incidents/mentions?" + urlencode({"incident_id": "ibig"})
    data = await get_json(ds, everything.replace("/mentions?", "/mentions.json?"))
    assert data["filtered_table_rows_count"] == REPORTS


async def test_big_incident_claims_are_counted_and_capped(big_db, conn):
    ds = datasette(big_db)
    page = (await get(ds, "/incidents/incidents/ibig")).text
    order = report_order(conn, "ibig")
    row = re.search(r'data-field="event_type">.*?</tr>', page, re.S).group(0)
    numbers = [int(n) for n in re.findall(r">R(\d+)</a>", row)]
    assert numbers == list(range(1, PLUGIN.CLAIMS_SHOWN + 1))
    more = REPORTS - PLUGIN.CLAIMS_SHOWN
    everything = link(row, f"and {more} more")
    assert everything == "/incidents/claims?" + urlencode({"incident_id": "ibig", "field": "event_type",
                                                           "value": "shooting"})
    data = await get_json(ds, everything.replace("/claims?", "/claims.json?"))
    assert data["filtered_table_rows_count"] == REPORTS
    # A disputed field: both values, the most claimed first, each with its own count.
    killed = re.search(r'class="claim-field disputed" data-field="killed">.*?</tr>', page, re.S).group(0)
    values = re.findall(r'<span class="claim-value">(\d)</span>', killed)
    assert sorted(values) == ["1", "2"]
    for value in values:
        claimants = [mid for n, mid in enumerate(order) if str(1 + int(mid[-3:]) % 2) == value]
        item = re.search(rf'<span class="claim-value">{value}</span>:(.*?)</li>', killed, re.S).group(1)
        shown = [int(n) for n in re.findall(r">R(\d+)</a>", item)]
        assert shown == sorted(order.index(mid) + 1 for mid in claimants)[:PLUGIN.CLAIMS_SHOWN]
        assert ("more</a>" in item) == (len(claimants) > PLUGIN.CLAIMS_SHOWN)


async def test_big_incident_prints_the_strongest_pairs_and_links_to_all(big_db, conn):
    ds = datasette(big_db)
    page = (await get(ds, "/incidents/incidents/ibig")).text
    within_total = 2 * REPORTS - 3
    table = re.search(r'<table class="evidence">.*?</table>', page, re.S).group(0)
    scores = [float(s) for s in re.findall(r'<td class="score">([-\d.]+)</td>', table)]
    expected = [r[0] for r in conn.execute(
        "select score from match_evidence where left_mention_id like 'mibig%' and right_mention_id like 'mibig%' "
        "order by score desc limit ?", [PLUGIN.PAIRS_SHOWN])]
    assert scores == [round(s, 1) for s in expected] and len(scores) == PLUGIN.PAIRS_SHOWN
    assert f"Showing the {PLUGIN.PAIRS_SHOWN} highest-scoring of {within_total} pairs" in page
    everything = link(page, f"see all {within_total} in the match_evidence table")
    data = await get_json(ds, everything.replace("/match_evidence?", "/match_evidence.json?"))
    assert data["filtered_table_rows_count"] == within_total
    # Pairs with the other incident: the NEARBY_SHOWN strongest of them.
    nearby = re.search(r'<table class="evidence nearby">.*?</table>', page, re.S).group(0)
    assert nearby.count('href="/incidents/incidents/iother"') == PLUGIN.NEARBY_SHOWN
    assert f"(the {PLUGIN.NEARBY_SHOWN} highest-scoring of {OTHERS})" in page
    scores = [float(s) for s in re.findall(r'<td class="score">([-\d.]+)</td>', nearby)]
    assert scores == sorted(scores, reverse=True) and scores[0] == -1.0


async def test_without_sql_the_evidence_link_is_left_out(big_db):
    options = serve_options(big_db)
    options["metadata"]["allow_sql"] = False
    from datasette.app import Datasette

    ds = Datasette([str(big_db)], **options)
    page = (await get(ds, "/incidents/incidents/ibig")).text
    assert f"Showing the {PLUGIN.PAIRS_SHOWN} highest-scoring of" in page
    assert "_where=" not in page
    assert "see all" in page  # the mentions and claims tables need no SQL


async def test_small_incident_is_not_capped(big_db, conn):
    ds = datasette(big_db)
    page = (await get(ds, "/incidents/incidents/ismall")).text
    anchors, printed = anchors_and_reports(page)
    assert printed == report_order(conn, "ismall") and set(anchors) <= set(printed)
    assert "see-all" not in page and "Showing" not in page and "Sources: 3 articles" in page


async def test_page_queries_stay_on_indexes(big_db, conn):
    """No provenance query of the incident page scans a table: each starts from the incident's id."""
    ds = datasette(big_db)
    db = ds.get_database("incidents")
    plans: list[str] = []
    execute = db.execute

    async def explained(sql, params=None, **kwargs):
        if "incident_id = :id" in sql:
            plans.extend(r["detail"] for r in (await execute("explain query plan " + sql, params)).rows)
        return await execute(sql, params, **kwargs)

    db.execute = explained
    await get(ds, "/incidents/incidents/ibig")
    assert plans and not [p for p in plans if p.startswith("SCAN ") and " USING COVERING INDEX" not in p
                          and not re.match(r"SCAN (ours|top|ranked|pairs|\(subquery-\d+\))", p)], plans


# ------------------------------------------------------------------------------------- array facets


async def both_array_facets(ds, path: str, table: str, sql: str, params: dict | None = None):
    """Datasette's own ArrayFacet and the plugin's, for the same request and table SQL."""
    from datasette.facets import ArrayFacet
    from datasette.utils.asgi import Request

    request = Request.fake(path)
    args = dict(sql=sql, table=table, params=params or {}, metadata=ds.table_metadata("incidents", table))
    ours = await FACETS.ArrayFacetByKey(ds, request, "incidents", **args).facet_results()
    theirs = await ArrayFacet(ds, request, "incidents", **args).facet_results()
    return ours, theirs


async def test_array_facets_count_as_datasettes_own(sample_db, big_db, tmp_path):
    counted = 0
    for path in (sample_db, big_db):
        ds = datasette(path)
        columns = ", ".join(f"[{c}]" for c in await ds.get_database("incidents").table_columns("incidents"))
        for query, where, params in [
            ("_facet_array=outlets", "", {}),
            ("_facet_array=disputed&_facet_size=1", "", {}),
            ("event_type=shooting&_facet_array=outlets&_facet_array=disputed", "where event_type = :p0",
             {"p0": "shooting"}),
            ("disputed__arraycontains=killed&_facet_array=disputed",
             "where :p0 in (select value from json_each(disputed))", {"p0": "killed"}),
        ]:
            ours, theirs = await both_array_facets(ds, f"/incidents/incidents?{query}", "incidents",
                                                   f"select {columns} from incidents {where}", params)
            assert ours == theirs, (path, query)
            counted += sum(len(f["results"]) for f in ours[0])
    assert counted > 10
    # A rowid table with repeated items and identical rows, and a view over it (Datasette's query).
    other = tmp_path / "incidents.db"
    conn = sqlite3.connect(other)
    conn.execute("create table tags (name text, tags text)")
    conn.executemany("insert into tags values (?, ?)", [("x", '["a", "a", "b"]'), ("y", '["a"]'), ("y", '["a"]'),
                                                        ("z", None), ("w", "[]")])
    conn.execute("create view tag_view as select name, tags from tags")
    conn.commit()
    conn.close()
    ds = datasette(other)
    ours, theirs = await both_array_facets(ds, "/incidents/tags?_facet_array=tags", "tags",
                                           "select rowid, name, tags from tags")
    assert ours == theirs
    assert [(v["value"], v["count"]) for v in ours[0][0]["results"]] == [("a", 3), ("b", 1)]
    ours, theirs = await both_array_facets(ds, "/incidents/tag_view?_facet_array=tags", "tag_view",
                                           "select name, tags from tag_view")
    assert ours == theirs


@contextlib.contextmanager
def recording(db, seen: list[str]):
    """Every SQL statement `db` runs meanwhile, appended to `seen`."""
    execute = db.execute

    async def recorded(sql, params=None, **kwargs):
        seen.append(sql)
        return await execute(sql, params, **kwargs)

    db.execute = recorded
    try:
        yield seen
    finally:
        db.execute = execute


async def plugin_and_datasette_facets(ds, table: str, query: str, sql_seen: list[str], where: str = "",
                                      params: dict | None = None):
    """The plugin's facets and Datasette's own, for one table page (the whole table unless `where`)."""
    from datasette.facets import ArrayFacet, ColumnFacet
    from datasette.utils.asgi import Request

    db = ds.get_database("incidents")
    columns = ", ".join(f"[{c}]" for c in await db.table_columns(table))
    args = dict(sql=f"select {columns} from {table} {where}", table=table, params=params or {},
                metadata=ds.table_metadata("incidents", table))
    request = Request.fake(f"/incidents/{table}?{query}")
    with recording(db, sql_seen):
        ours = [await FACETS.CountedColumnFacet(ds, request, "incidents", **args).facet_results(),
                await FACETS.CountedArrayFacet(ds, request, "incidents", **args).facet_results()]
    theirs = [await ColumnFacet(ds, request, "incidents", **args).facet_results(),
              await ArrayFacet(ds, request, "incidents", **args).facet_results()]
    return ours, theirs


async def test_whole_table_facets_are_read_from_the_database_with_datasettes_counts(sample_db, big_db):
    from dedupe.store import FACET_COUNTS

    compared = 0
    for path in (sample_db, big_db):
        ds = datasette(path)
        for table, declared in FACET_COUNTS.items():
            first = (await ds.get_database("incidents").table_columns(table))[0]  # not a declared facet
            for query in ("", "_facet_size=1", f"_facet_size=max&_facet={first}"):
                seen: list[str] = []
                ours, theirs = await plugin_and_datasette_facets(ds, table, query, seen)
                assert ours == theirs, (path, table, query)
                compared += sum(len(f["results"]) for results, _ in ours for f in results)
                # Every declared facet came from facet_counts; only `first` was counted.
                counted = [s for s in seen if "facet_counts" in s]
                assert len(counted) == len([f for f in (ours[0][0] + ours[1][0]) if f["name"] in declared])
                live = [s for s in seen if "group by" in s]
                assert len(live) == ("_facet=" in query) and all(f"group by {first} " in s for s in live)
    assert compared > 100


async def test_filtered_pages_count_their_facets_in_one_query_a_kind_with_datasettes_counts(sample_db, big_db):
    compared = 0
    for path in (sample_db, big_db):
        ds = datasette(path)
        for table, where, params in [("incidents", "where event_type = :p0 and killed >= :p1", {"p0": "shooting", "p1": 0}),
                                     ("incidents", "where killed > :p0", {"p0": 0}),
                                     ("mentions", "where weapon is not null", {}),
                                     ("claims", "where field != :p0", {"p0": "title"})]:
            for query in ("", "_facet_size=1", "_facet=id&_facet_size=max"):
                seen: list[str] = []
                ours, theirs = await plugin_and_datasette_facets(ds, table, query, seen, where, params)
                assert ours == theirs, (path, table, where, query)
                compared += sum(len(f["results"]) for results, _ in ours for f in results)
                assert not [s for s in seen if "facet_counts" in s]
                # One query for the column facets, one for the array facets (incidents has both).
                assert len([s for s in seen if "facet_rows_" in s]) == (2 if table == "incidents" else 1)
    assert compared > 50


def share_kept(conn: sqlite3.Connection, table: str, column: str, values: list[str]) -> float:
    """The share of the rows with a value of `column` that hold one of `values`."""
    kept, total = conn.execute(f"select count(*) filter (where [{column}] in ({', '.join('?' * len(values))})), "
                               f"count([{column}]) from [{table}]", values).fetchone()
    return kept / total if total else 0.0


async def test_a_page_filtered_on_two_facets_counts_them_from_the_covering_index(sample_db, big_db):
    """A second click on a facet value (`?country=IQ&weapon=drone`) is counted live, with Datasette's
    counts, from the index holding every column the counts read (store.FACET_INDEXES): a range of
    it when the page filters its first column, all of it when every filter keeps a tenth of the
    table or more, and the rows as Datasette reads them when a filter keeps less or is not
    `column = value`."""
    from dedupe.store import FACET_INDEXES

    cases = [  # table, {column: values}, another condition
        ("incidents", {"country": ["IQ"], "weapon": ["drone"]}, ""),
        ("incidents", {"weapon": ["drone", "gun"], "year": ["2022"]}, ""),
        ("incidents", {"event_type": ["no such type"], "weapon": ["drone"]}, ""),
        ("incidents", {"country": ["IQ"], "weapon": ["no such weapon"]}, ""),
        ("incidents", {"country": ["IQ"]}, "killed >= 0"),
        ("mentions", {"weapon": ["drone"], "outcome": ["intercepted"]}, ""),
        ("mentions", {"weapon": ["gun"], "outcome": ["intercepted"]}, ""),
    ]
    read = {True: 0, False: 0}
    for path in (sample_db, big_db):
        ds = datasette(path)
        conn = sqlite3.connect(path)
        for table, filters, other in cases:
            index = FACET_INDEXES[table]
            terms, params = [], {}
            for column, values in filters.items():
                keys = [f"p{len(params) + n}" for n in range(len(values))]
                params.update(zip(keys, values, strict=True))
                terms.append(f'"{column}" = :{keys[0]}' if len(keys) == 1 else
                             f'"{column}" in ({", ".join(":" + k for k in keys)})')
            where = "where " + " and ".join(terms + ([other] if other else [])) + " "

            from_index = not other and (index[0] in filters or all(
                share_kept(conn, table, c, v) >= 0.1 for c, v in filters.items()))
            seen: list[str] = []
            ours, theirs = await plugin_and_datasette_facets(ds, table, "", seen, where, params)
            assert ours == theirs, (path, table, where, params)
            live = [sql for sql in seen if "facet_rows_" in sql]
            assert len(live) == (2 if table == "incidents" else 1)
            name = f"idx_{table}_{'_'.join(index)}"
            for sql in live:
                assert (f"indexed by {name} " in sql) == from_index, (path, table, where, params)
                if from_index:
                    plan = " ".join(row[3] for row in conn.execute("explain query plan " + sql, params))
                    assert f"COVERING INDEX {name}" in plan
                read[from_index] += 1
    assert read[True] >= 8 and read[False] >= 4


async def test_pages_filtered_by_one_value_read_their_facets_and_others_count_live(big_db):
    ds = datasette(big_db)
    db = ds.get_database("incidents")
    seen: list[str] = []

    async def page(query: str) -> dict:
        seen.clear()
        with recording(db, seen):
            return await get_json(ds, f"/incidents/incidents.json?_size=0&{query}")

    one = await page("event_type=shooting")
    assert [s for s in seen if "filtered_facet_counts" in s] and not [s for s in seen if "facet_rows_" in s]
    assert one["facet_results"]["weapon"]["results"][0]["count"] == 3
    assert one["facet_results"]["event_type"]["results"][0]["selected"]
    two = await page("event_type=shooting&killed__gte=0")  # two filters: counted live
    assert not [s for s in seen if "facet_counts" in s] and [s for s in seen if "facet_rows_" in s]
    assert two["facet_results"]["weapon"]["results"][0]["count"] == 3
    whole = await page("")
    assert [s for s in seen if " facet_counts " in s] and not [s for s in seen if "filtered_facet_counts" in s]
    assert whole["facet_results"]["weapon"]["results"] == [
        {**r, "toggle_url": r["toggle_url"].replace("event_type=shooting&", "")}
        for r in one["facet_results"]["weapon"]["results"]]


def column_filters(*paths):
    """(path, Datasette, table, column, the column's values, commonest first) for every column facet
    a counted table's pages can be filtered by and still read their counts, on each database."""
    from dedupe.store import FACET_COUNTS
    from dedupe.store.facet_counts import filters_of

    for path in paths:
        ds = datasette(path)
        with contextlib.closing(sqlite3.connect(path)) as conn:
            for table, declared in FACET_COUNTS.items():
                for by in filters_of(declared):
                    yield path, ds, table, by, [v for (v,) in conn.execute(
                        f"select [{by}] from [{table}] where [{by}] is not null group by [{by}] "
                        f"order by count(*) desc, [{by}]")]


async def test_every_one_value_filter_reads_datasettes_counts(sample_db, big_db):
    compared = 0
    for path, ds, table, by, found in column_filters(sample_db, big_db):
        # The commonest and rarest value, one no row holds, and each as the text Datasette passes.
        for value in dict.fromkeys([*found[:1], *found[-1:], "no such value"]):
            for query in ("", "_facet_size=1"):
                seen: list[str] = []
                ours, theirs = await plugin_and_datasette_facets(
                    ds, table, f"{by}={value}&{query}", seen, f'where "{by}" = :p0 ', {"p0": str(value)})
                assert ours == theirs, (path, table, by, value, query)
                compared += sum(len(f["results"]) for results, _ in ours for f in results)
                assert not [s for s in seen if "group by" in s or "facet_rows_" in s], (table, by)
    assert compared > 200


async def test_a_filter_to_several_values_of_one_column_adds_up_their_counts(sample_db, big_db):
    """`?event_type__in=a,b` reads the counts under a and under b and adds them up: Datasette's
    own counts, with no query over the page's rows."""
    compared = 0
    for path, ds, table, by, found in column_filters(sample_db, big_db):
        found = [str(v) for v in found]
        # the two commonest, the commonest and the rarest with one no row holds, and one twice
        for values in ([*found[:2]], [*found[:1], *found[-1:], "no such value"], [*found[:1]] * 2):
            if not values:  # an empty table
                continue
            params = {f"p{k}": v for k, v in enumerate(values)}
            where = f'where "{by}" in ({", ".join(":" + k for k in params)}) '
            seen: list[str] = []
            ours, theirs = await plugin_and_datasette_facets(ds, table, f"{by}__in={','.join(values)}", seen,
                                                             where, params)
            assert ours == theirs, (path, table, by, values)
            compared += sum(len(f["results"]) for results, _ in ours for f in results)
            assert not [s for s in seen if "facet_rows_" in s], (table, by)
    assert compared > 200


async def test_a_page_filtered_to_several_values_reads_their_counts(sample_db):
    """... as Datasette filters a page with its own SQL (`event_type in (:p0, :p1)`)."""
    ds = datasette(sample_db)
    db = ds.get_database("incidents")
    conn = sqlite3.connect(sample_db)
    expected = dict(conn.execute("select event_type, count(*) from incidents group by event_type "
                                 "order by count(*) desc, event_type limit 2").fetchall())
    weapons = dict(conn.execute("select weapon, count(*) from incidents where event_type in (?, ?) and weapon "
                                "is not null group by weapon", list(expected)).fetchall())
    assert len(expected) == 2
    seen: list[str] = []
    with recording(db, seen):
        page = await get_json(ds, f"/incidents/incidents.json?_size=0&event_type__in={','.join(expected)}")
    assert [s for s in seen if "sum(count)" in s] and not [s for s in seen if "facet_rows_" in s]
    facets = page["facet_results"]
    assert {r["value"]: r["count"] for r in facets["event_type"]["results"]} == expected
    assert {r["value"]: r["count"] for r in facets["weapon"]["results"]} == weapons


async def test_the_plugin_facets_replace_datasettes(sample_db):
    from datasette.facets import ArrayFacet, ColumnFacet
    from datasette.plugins import pm

    classes = [cls for found in pm.hook.register_facet_classes() for cls in found]
    names = [cls.__name__ for cls in classes]
    assert {"CountedColumnFacet", "CountedArrayFacet"} <= set(names)
    assert ArrayFacet not in classes and ColumnFacet not in classes
    ds = datasette(sample_db)
    data = await get_json(ds, "/incidents/incidents.json?_size=0")
    assert {"disputed", "outlets"} <= set(data["facet_results"])
    assert not [name for name in data["facet_results"] if name.endswith("_2")]
    assert not data.get("facets_timed_out")
    disputed = {v["value"]: v["count"] for v in data["facet_results"]["disputed"]["results"]}
    conn = sqlite3.connect(sample_db)
    expected = dict(conn.execute("select j.value, count(*) from incidents, json_each(incidents.disputed) j "
                                 "group by j.value").fetchall())
    assert disputed == expected
