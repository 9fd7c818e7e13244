"""The database as published: Datasette 0.65 with metadata.yml, through its in-process client."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from urllib.parse import urlencode

import pytest
import yaml
from datasette.app import Datasette
from datasette.utils import tilde_encode
from markupsafe import escape

from dedupe.cli import _datasette_command
from dedupe.pipeline import build_database
from dedupe.store import FACET_COUNTS
from tests.served import datasette, get, get_json, load_plugin, serve_options

REPO = Path(__file__).resolve().parent.parent
METADATA = yaml.safe_load((REPO / "metadata.yml").read_text(encoding="utf-8"))
DB_META = METADATA["databases"]["incidents"]

TABLES = ["incidents", "articles", "mentions", "claims", "places", "match_evidence", "ingest_errors", "build_info",
          "incident_redirects", "decisions", "boilerplate_lines", "document_terms", "facet_counts", "counted_facets"]
VIEWS = ["incident_sources", "disputed_claims"]

# The public contract: columns README.md's Schema section promises.
CONTRACT = {
    "incidents": ["id", "title", "date", "date_earliest", "date_latest", "date_precision", "place_id", "latitude",
                  "longitude", "event_type", "weapon", "quantity", "outcome", "killed", "injured", "article_count",
                  "source_count", "disputed"],
    "articles": ["id", "doc_id", "path", "source", "title", "url", "published", "published_precision", "text",
                 "primary_incident_id", "duplicate_of"],
    "mentions": ["id", "article_id", "incident_id", "sentence", "start", "end", "event_type", "weapon", "quantity",
                 "place_id", "place_text", "date_earliest", "date_latest", "date_text", "outcome", "killed",
                 "injured", "attribution"],
    "claims": ["incident_id", "field", "value", "mention_id", "article_id"],
    "places": ["id", "name", "kind", "admin1", "country", "latitude", "longitude"],
    "match_evidence": ["left_mention_id", "right_mention_id", "score", "components", "decision"],
    "ingest_errors": ["path", "line", "reason"],
}


@pytest.fixture
def ds(sample_db):
    assert sample_db.stem == "incidents"  # the name metadata.yml describes
    return datasette(sample_db)


def test_readme_schema_lists_the_contract_columns():
    """CONTRACT is README.md's Schema table (plus incidents.id); keep the two in step."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for table, columns in CONTRACT.items():
        row = re.search(rf"^\| `{table}` \|(.*)$", readme, re.M)
        assert row, f"{table} missing from README Schema table"
        listed = {c.strip() for code in re.findall(r"`([^`]+)`", row.group(1)) for c in code.split(",")
                  if "." not in c}  # not references such as `articles.text`
        assert listed <= set(columns), f"README lists {table} columns the tests do not check"
        assert set(columns) - listed <= {"id"}, f"README does not list {set(columns) - listed} for {table}"


# ------------------------------------------------------------------------------------- pages


@pytest.mark.parametrize("table", TABLES + VIEWS)
async def test_every_table_and_view_answers_in_html_and_json(ds, db, table):
    html = await get(ds, f"/incidents/{table}")
    assert html.headers["content-type"].startswith("text/html")
    data = await get_json(ds, f"/incidents/{table}.json?_shape=objects")
    total = db.execute(f"select count(*) from [{table}]").fetchone()[0]
    assert len(data["rows"]) == min(total, 50)
    if table not in ("ingest_errors", "incident_redirects", "decisions", "boilerplate_lines"):  # none in the sample
        assert total > 0, f"{table} is empty in the sample"


async def test_index_and_database_pages(ds):
    await get(ds, "/")
    page = await get(ds, "/incidents")
    for query in DB_META["queries"]:
        assert f"/incidents/{query}" in page.text
    data = await get_json(ds, "/incidents.json")
    assert {t["name"] for t in data["tables"]} >= set(TABLES)
    assert {v["name"] for v in data["views"]} >= set(VIEWS)


@pytest.mark.parametrize("table", list(CONTRACT))
async def test_contract_columns(ds, table):
    data = await get_json(ds, f"/incidents/{table}.json?_size=1")
    missing = set(CONTRACT[table]) - set(data["columns"])
    assert not missing, f"{table} lacks {missing}"
    rows = await get_json(ds, f"/incidents/{table}.json?_shape=array&_size=5")
    assert isinstance(rows, list)
    if table != "ingest_errors":
        assert rows and all(isinstance(r, dict) for r in rows)
        for r in rows:
            assert set(CONTRACT[table]) <= r.keys()


async def test_incidents_json_array_values(ds, db):
    rows = await get_json(ds, "/incidents/incidents.json?_shape=array&_size=max")
    assert len(rows) == db.execute("select count(*) from incidents").fetchone()[0]
    for r in rows:
        assert isinstance(json.loads(r["disputed"]), list)
        assert r["article_count"] >= 1 and 1 <= r["source_count"] <= r["article_count"]
        if r["date"]:
            assert r["date_earliest"] == r["date"] == r["date_latest"]
        if r["date_earliest"] and r["date_latest"]:
            assert r["date_earliest"] <= r["date_latest"]
    # sort_desc: date_earliest from metadata
    dated = [r["date_earliest"] for r in rows if r["date_earliest"]]
    assert dated == sorted(dated, reverse=True)


# ------------------------------------------------------------------------------------- metadata


def test_metadata_columns_exist_and_every_column_is_described(db):
    for table, meta in DB_META["tables"].items():
        actual = [r[1] for r in db.execute(f"pragma table_info([{table}])")]
        assert actual, f"metadata describes {table}, which does not exist"
        described = set(meta.get("columns") or {})
        assert not described - set(actual), f"metadata describes missing {table} columns"
        if table in TABLES:
            assert not set(actual) - described, f"{table} columns without a description"
        assert meta.get("description"), f"{table} has no description"
    for name in TABLES + VIEWS:
        assert name in DB_META["tables"], f"{name} not described in metadata.yml"


async def test_metadata_json_is_served(ds):
    served = await get_json(ds, "/-/metadata.json")
    assert served["title"] == METADATA["title"]
    assert served["databases"]["incidents"]["tables"]["incidents"]["columns"]["disputed"] == (
        DB_META["tables"]["incidents"]["columns"]["disputed"])


@pytest.mark.parametrize("table", TABLES + VIEWS)
async def test_table_and_column_descriptions_shown(ds, table):
    page = (await get(ds, f"/incidents/{table}")).text
    meta = DB_META["tables"][table]
    assert str(escape(meta["description"].strip())) in page
    for column, description in (meta.get("columns") or {}).items():
        assert f"<dt>{escape(column)}</dt><dd>{escape(description)}</dd>" in page, f"{table}.{column}"


# ------------------------------------------------------------------------------------- foreign keys


async def test_labels_expand_foreign_keys(ds, db):
    rows = await get_json(ds, "/incidents/mentions.json?_shape=array&_labels=on&_size=max")
    assert rows
    titles = {r["id"]: r["title"] for r in db.execute("select id, title from incidents")}
    article_titles = {r["id"]: r["title"] for r in db.execute("select id, title from articles")}
    places = {r["id"]: r["name"] for r in db.execute("select id, name from places")}
    for r in rows:
        assert r["incident_id"] == {"value": r["incident_id"]["value"], "label": titles[r["incident_id"]["value"]]}
        assert r["article_id"]["label"] == article_titles[r["article_id"]["value"]]
        if r["place_id"] is not None:
            assert r["place_id"]["label"] == places[r["place_id"]["value"]]
    assert any(r["place_id"] for r in rows)


async def test_row_page_links_to_related_rows(ds, db):
    incident = db.execute("select id from incidents order by article_count desc, id limit 1").fetchone()[0]
    data = await get_json(ds, f"/incidents/incidents/{incident}.json?_extras=foreign_key_tables")
    assert data["rows"][0][0] == incident
    counts = {(t["other_table"], t["other_column"]): t["count"] for t in data["foreign_key_tables"]}
    expected = db.execute("select count(*) from mentions where incident_id = ?", [incident]).fetchone()[0]
    assert counts[("mentions", "incident_id")] == expected > 1


# ------------------------------------------------------------------------------------- search


async def test_full_text_search_articles(ds):
    rows = await get_json(ds, "/incidents/articles.json?_search=drones&_shape=array&_size=max")
    assert rows
    for r in rows:
        assert "drone" in (r["title"] + " " + r["text"]).lower()
    assert await get_json(ds, "/incidents/articles.json?_search=zzyzxnotaword&_shape=array") == []


async def test_full_text_search_mentions(ds, db):
    rows = await get_json(ds, "/incidents/mentions.json?_search=rocket&_shape=array&_size=max")
    assert rows
    assert all(re.search(r"\brocket\b", r["sentence"], re.I) for r in rows)
    expected = [r[0] for r in db.execute("select sentence from mentions") if re.search(r"\brocket\b", r[0], re.I)]
    assert len(rows) == len(expected)
    assert await get_json(ds, "/incidents/mentions.json?_search=zzyzxnotaword&_shape=array") == []


# ------------------------------------------------------------------------------------- canned queries


def canned_params(db) -> dict[str, dict[str, str]]:
    """Parameters for every canned query that make it answer on `db` (the sample or any other build)."""
    incident = db.execute("select id from incidents order by article_count desc, id limit 1").fetchone()[0]
    pair = db.execute("select left_mention_id, right_mention_id from match_evidence "
                      "order by score desc, left_mention_id limit 1").fetchone()
    place = db.execute("select place_name, date_earliest, date_latest, latitude, longitude from incidents "
                       "where place_name is not null and date_earliest is not null "
                       "order by article_count desc, id limit 1").fetchone()
    return {
        "disputed_incidents": {},
        "incident_reports": {"incident_id": incident},
        "incidents_by_place_and_date": {"place": place[0][-4:], "start": place[1], "end": place[2]},
        "incidents_near": {"lat": str(place[3]), "lon": str(place[4]), "km": "25", "start": place[1],
                           "end": place[2]},
        "unmatched_articles": {},
        "why_merged": {"a": pair[0], "b": pair[1]},
        "first_reporters": {},
        "incidents_per_month": {},
    }


# Queries that rightly find nothing on the bundled sample (every sample article shares an incident with
# another); tests/test_datasette.py checks them on builds where they do find rows.
EMPTY_ON_SAMPLE = {"unmatched_articles"}


def test_every_canned_query_is_covered(db):
    assert set(canned_params(db)) == set(DB_META["queries"])


@pytest.mark.parametrize("name", list(DB_META["queries"]))
async def test_canned_query_html_and_json(ds, db, name):
    params = canned_params(db)[name]
    page = await get(ds, f"/incidents/{name}?{urlencode(params)}")
    assert str(escape(DB_META["queries"][name]["title"])) in page.text
    rows = await get_json(ds, f"/incidents/{name}.json?{urlencode({**params, '_shape': 'array'})}")
    assert isinstance(rows, list), name
    assert rows or name in EMPTY_ON_SAMPLE, f"{name} returned no rows"


async def test_incident_reports_lists_every_mention(ds, db):
    incident = canned_params(db)["incident_reports"]["incident_id"]
    rows = await get_json(ds, f"/incidents/incident_reports.json?_shape=array&incident_id={incident}")
    expected = {r[0] for r in db.execute("select id from mentions where incident_id = ?", [incident])}
    assert {r["mention_id"] for r in rows} == expected and len(rows) == len(expected)


async def test_why_merged_either_order(ds, db):
    p = canned_params(db)["why_merged"]
    one = await get_json(ds, f"/incidents/why_merged.json?_shape=array&a={p['a']}&b={p['b']}")
    other = await get_json(ds, f"/incidents/why_merged.json?_shape=array&a={p['b']}&b={p['a']}")
    assert len(one) == 1 and one == other
    assert one[0]["decision"] in ("merged", "kept-apart", "cannot-link")
    assert isinstance(json.loads(one[0]["components"]), dict)


async def test_incidents_by_place_and_date(ds, db):
    rows = await get_json(ds, "/incidents/incidents_by_place_and_date.json?_shape=array"
                              "&place=Asad&start=2021-06-01&end=2021-06-30")
    assert rows
    assert all("asad" in (r["place_name"] or "").lower() for r in rows)
    dated = [r for r in rows if r["date_earliest"] and r["date_latest"]]
    assert all(r["date_latest"] >= "2021-06-01" and r["date_earliest"] <= "2021-06-30" for r in dated)
    # The sample's story: the drones shot down over Ain al-Asad on Sunday 6 June 2021.
    assert any(r["date"] == "2021-06-06" for r in rows)
    # Every dated Asad incident overlapping June 2021 is found, and none outside it.
    expected = {r[0] for r in db.execute(
        "select id from incidents where place_name like '%Asad%' and date_latest >= '2021-06-01' "
        "and date_earliest <= '2021-06-30'")}
    assert {r["id"] for r in dated} == expected
    outside = {r[0] for r in db.execute(
        "select id from incidents where place_name like '%Asad%' and date_earliest > '2021-06-30'")}
    assert outside, "the sample has later Asad incidents to exclude"
    assert not outside & {r["id"] for r in rows}
    # Another place gives other incidents.
    baghdad = await get_json(ds, "/incidents/incidents_by_place_and_date.json?_shape=array"
                                 "&place=Baghdad&start=&end=")
    assert baghdad and all("baghdad" in r["place_name"].lower() for r in baghdad)


async def test_disputed_incidents(ds, db):
    rows = await get_json(ds, "/incidents/disputed_incidents.json?_shape=array&_size=max")
    assert rows and {r["field"] for r in rows} == {"outcome"}
    disputed = {r[0] for r in db.execute("select id from incidents where disputed != '[]'")}
    assert {r["incident_id"] for r in rows} == disputed
    for incident in disputed:  # a dispute has at least two different values
        assert len({r["value"] for r in rows if r["incident_id"] == incident}) >= 2


# ------------------------------------------------------------------------------------- sql, facets


async def test_arbitrary_sql_json(ds, db):
    sql = "select id, title, article_count from incidents order by article_count desc, id limit 3"
    data = await get_json(ds, "/incidents.json?" + urlencode({"sql": sql}))
    assert data["columns"] == ["id", "title", "article_count"]
    expected = [list(r) for r in db.execute(sql)]
    assert data["rows"] == expected
    rows = await get_json(ds, "/incidents.json?" + urlencode({"sql": sql, "_shape": "array"}))
    assert rows == [dict(zip(data["columns"], r, strict=True)) for r in expected]
    named = await get_json(ds, "/incidents.json?" + urlencode(
        {"sql": "select count(*) as n from mentions where incident_id = :i", "i": expected[0][0],
         "_shape": "array"}))
    n = db.execute("select count(*) from mentions where incident_id = ?", [expected[0][0]]).fetchone()[0]
    assert named == [{"n": n}] and n >= 1


async def test_sql_cannot_write(ds, sample_db):
    before = sample_db.read_bytes()
    response = await ds.client.get("/incidents.json?" + urlencode({"sql": "delete from incidents"}))
    assert response.status_code == 400
    assert sample_db.read_bytes() == before


async def test_array_facet_on_disputed(ds, db):
    data = await get_json(ds, "/incidents/incidents.json?_facet_array=disputed&_size=0")
    facet = {r["value"]: r["count"] for r in data["facet_results"]["disputed"]["results"]}
    expected = db.execute("select count(*) from incidents, json_each(incidents.disputed) d "
                          "where d.value = 'outcome'").fetchone()[0]
    assert facet.get("outcome") == expected >= 1
    filtered = await get_json(ds, "/incidents/incidents.json?_shape=array&disputed__arraycontains=outcome")
    assert len(filtered) == expected and all("outcome" in json.loads(r["disputed"]) for r in filtered)


@pytest.mark.parametrize("table", [t for t, m in DB_META["tables"].items() if m.get("facets")])
async def test_configured_facets(ds, table):
    configured = [f if isinstance(f, str) else next(iter(f.values())) for f in DB_META["tables"][table]["facets"]]
    data = await get_json(ds, f"/incidents/{table}.json?_size=0")
    assert set(configured) <= set(data["facet_results"]), f"{table}: facets missing"
    assert not data.get("facets_timed_out")
    await get(ds, f"/incidents/{table}")


async def test_readme_json_api_examples(ds, db):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    urls = re.findall(r"curl '(http://127\.0\.0\.1:8001[^']+)'", readme)
    assert len(urls) >= 3
    incident = db.execute("select id from incidents order by article_count desc, id limit 1").fetchone()[0]
    for url in urls:
        path = url.replace("http://127.0.0.1:8001", "").replace("INCIDENT_ID", incident)
        rows = await get_json(ds, path)
        assert isinstance(rows, list) and rows, path


# ------------------------------------------------------------------------------------- escaping


SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    inputs = root / "in"
    inputs.mkdir()
    (inputs / "evil.txt").write_text(
        f" date 2021-06 Two drones {SCRIPT} were shot down over Ain al-Asad airbase on Sunday, the Iraqi "
        f"military said.\n\nThe air defence system {IMG} intercepted both drones, officials said.\n",
        encoding="utf-8")
    (inputs / "paper.pdf").write_bytes(b"%PDF-1.4")
    path = root / "incidents.db"
    result, _ = build_database([inputs], path)
    assert len(result.articles) == 1
    return path


async def test_article_html_is_escaped(hostile_db):
    conn = sqlite3.connect(hostile_db)
    try:
        article_id, text = conn.execute("select id, text from articles").fetchone()
        mentions = conn.execute("select count(*) from mentions").fetchone()[0]
    finally:
        conn.close()
    assert SCRIPT in text and IMG in text  # stored verbatim, so the check below means something
    ds = datasette(hostile_db)
    pages = [f"/incidents/articles/{article_id}", "/incidents/articles", "/incidents/articles?_search=drones"]
    if mentions:
        pages.append("/incidents/mentions")
    for url in pages:
        page = (await get(ds, url)).text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url
        assert str(escape(IMG)) in page, url
        assert SCRIPT not in page and "<img src=x" not in page, url


async def test_ingest_errors_served(hostile_db):
    rows = await get_json(datasette(hostile_db), "/incidents/ingest_errors.json?_shape=array")
    assert [(Path(r["path"]).name, r["line"]) for r in rows] == [("paper.pdf", None)]
    assert set(CONTRACT["ingest_errors"]) <= rows[0].keys() and "unsupported" in rows[0]["reason"]


# ------------------------------------------------------------------------------------- metadata: levels, indexes


LEVEL_KEYS = ["title", "description", "license", "source"]


def test_metadata_title_description_license_source_at_every_level():
    assert all(METADATA.get(k) for k in LEVEL_KEYS), "instance level"
    assert all(DB_META.get(k) for k in LEVEL_KEYS), "database level"
    for table, meta in DB_META["tables"].items():
        missing = [k for k in LEVEL_KEYS if not meta.get(k)]
        assert not missing, f"{table} lacks {missing}"


def test_views_describe_every_column(db):
    for view in VIEWS:
        actual = [r[1] for r in db.execute(f"pragma table_info([{view}])")]
        assert set(actual) == set(DB_META["tables"][view]["columns"]), view


def test_foreign_keys_read_as_names(db):
    """Every table a foreign key points at has a label_column, so links show a name, not an id."""
    targets = {fk[2] for t in TABLES for fk in db.execute(f"pragma foreign_key_list([{t}])")}
    assert targets >= {"incidents", "articles", "mentions", "places"}
    for table in targets:
        label = DB_META["tables"][table].get("label_column")
        assert label and label in [r[1] for r in db.execute(f"pragma table_info([{table}])")], table


def test_units_are_on_numeric_columns(db):
    units = {(t, c): u for t, m in DB_META["tables"].items() for c, u in (m.get("units") or {}).items()}
    assert units[("incidents", "latitude")] == units[("incidents", "longitude")] == "degree"
    for (table, column), unit in units.items():
        kind = {r[1]: r[2] for r in db.execute(f"pragma table_info([{table}])")}[column]
        assert kind in ("REAL", "INTEGER", "FLOAT"), (table, column, kind)
        assert unit in (DB_META["tables"][table]["columns"][column] + " degree second"), (table, column)


def indexed_columns(db, table: str) -> set[str]:
    """Columns that lead an index of `table` (or its primary key)."""
    lead = {r[1] for r in db.execute(f"pragma table_info([{table}])") if r[5] == 1}
    for index in db.execute(f"pragma index_list([{table}])"):
        cols = [r[2] for r in db.execute(f"pragma index_info([{index[1]}])")]
        if cols:
            lead.add(cols[0])
    return lead


def test_every_configured_facet_is_counted_by_the_database():
    # A facet metadata.yml shows on a table page and the store does not count would be counted live on
    # every visit (dedupe/store/facet_counts.py); one counted and not shown would cost every write.
    configured = {table: {(f, "column") if isinstance(f, str) else (next(iter(f.values())), next(iter(f)))
                          for f in meta.get("facets") or []}
                  for table, meta in DB_META["tables"].items() if meta.get("facets")}
    assert configured == {table: set(facets.items()) for table, facets in FACET_COUNTS.items()}


def test_every_faceted_sorted_and_filtered_column_is_indexed(db):
    for table, meta in DB_META["tables"].items():
        if table in VIEWS:
            continue
        wanted = {f if isinstance(f, str) else next(iter(f.values())) for f in meta.get("facets") or []}
        wanted -= {next(iter(f.values())) for f in meta.get("facets") or [] if isinstance(f, dict)}  # json_each
        wanted |= {meta[k] for k in ("sort", "sort_desc") if meta.get(k)}
        missing = wanted - indexed_columns(db, table)
        assert not missing, f"{table}: no index on {missing}"
    # Foreign keys, and the columns canned queries and the pages filter on.
    for table in TABLES:
        for fk in db.execute(f"pragma foreign_key_list([{table}])"):
            assert fk[3] in indexed_columns(db, table), f"{table}.{fk[3]}"
    assert {"latitude", "date_earliest", "date_latest", "place_name"} <= indexed_columns(db, "incidents")


def test_a_page_filtered_to_one_facet_value_reads_its_rows_in_order_from_an_index(db):
    # Sorting every matching row to show the first 50 took 0.59 s for incidents?country=US at a
    # million articles; read from an index of (facet, sort column), it is the first 50 index entries.
    checked = 0
    for table, meta in DB_META["tables"].items():
        sort = meta.get("sort") or meta.get("sort_desc")
        if table in VIEWS or not sort:
            continue
        order = f"[{sort}] desc" if meta.get("sort_desc") else f"[{sort}]"
        for facet in meta.get("facets") or []:
            if not isinstance(facet, str):
                continue  # an array facet's filter is json_each, no index's
            plan = " ".join(row[3] for row in db.execute(
                f"explain query plan select * from [{table}] where [{facet}] = ? order by {order} limit 51", ["x"]))
            assert "USING INDEX" in plan and "TEMP B-TREE" not in plan, (table, facet, plan)
            checked += 1
    assert checked >= 15


def test_suggest_facets_off_and_serving_settings():
    assert METADATA["settings"]["suggest_facets"] is False
    assert METADATA["settings"]["sql_time_limit_ms"] > 0


async def test_served_settings_cors_robots_and_static(ds):
    settings = await get_json(ds, "/-/settings.json")
    for name, value in METADATA["settings"].items():
        assert settings[name] == value, name
    page = await get(ds, "/incidents/incidents")
    assert "suggested-facets" not in page.text
    assert "/static/incidents.css" in page.text
    response = await get(ds, "/incidents/incidents.json?_size=1")
    assert response.headers["access-control-allow-origin"] == "*"
    robots = await get(ds, "/robots.txt")
    assert "User-agent: *" in robots.text and "Disallow: /" in robots.text.splitlines()
    for path in ("/static/incidents.css", "/static/incidents.js"):
        await get(ds, path)


async def test_plugins_are_loaded(ds):
    plugins = {p["name"] for p in await get_json(ds, "/-/plugins.json?all=1")}
    assert {"datasette-cluster-map", "datasette-leaflet", "datasette-dashboards", "datasette-search-all",
            "datasette-block-robots", "incident_pages.py", "table_facets.py", "sql_math.py"} <= plugins


async def test_plugin_assets_are_bundled_not_fetched(ds):
    """The map and the charts work offline: their scripts are served by Datasette, never from a CDN."""
    table = (await get(ds, "/incidents/incidents")).text
    dashboard = (await get(ds, "/-/dashboards/overview")).text
    for page in (table, dashboard):
        for src in re.findall(r'<script[^>]+src="([^"]+)"', page) + re.findall(r'<link[^>]+href="([^"]+\.css)"', page):
            assert src.startswith("/"), src
    assert "datasette-cluster-map.js" in table and "leaflet-v1" in table
    for name in ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js"):
        assert name in dashboard
        await get(ds, f"/-/static-plugins/datasette_dashboards/{name}")
    script = (await get(ds, "/-/static-plugins/datasette-cluster-map/datasette-cluster-map.js")).text
    assert "unpkg.com" not in script and "cdn" not in script.lower()


# ------------------------------------------------------------------------------------- dashboard


def dashboard_queries() -> list[tuple[str, str]]:
    config = METADATA["plugins"]["datasette-dashboards"]
    return [(f"{slug}/{name}", chart["query"]) for slug, d in config.items()
            for name, chart in d["charts"].items() if chart.get("query")]


def fill_options(sql: str, params: dict[str, str]) -> str:
    """A dashboard query's optional [[ ... :name ... ]] parts kept only when `name` is given."""
    return re.sub(r"\[\[(.*?)\]\]",
                  lambda m: m.group(1) if re.search(r":(\w+)", m.group(1)).group(1) in params else "", sql)


async def test_dashboard_page_and_every_chart_query(ds):
    page = await get(ds, "/-/dashboards/overview")
    assert "Incidents per month by type" in page.text
    for name, sql in dashboard_queries():
        for params in ({}, {"date_start": "2021-01-01", "date_end": "2021-12-31", "event_type": "attack",
                            "country": "IQ"}):
            # As the plugin runs it: optional [[ ... ]] parts kept only when their parameter is given.
            used = fill_options(sql, params)
            rows = await get_json(ds, "/incidents.json?" + urlencode({"sql": used, **params, "_shape": "array"}))
            assert isinstance(rows, list) and (rows or params), name


async def test_chart_data_is_the_incidents_per_month_query(ds, db):
    rows = await get_json(ds, "/incidents/incidents_per_month.json?_shape=array")
    assert sum(r["incidents"] for r in rows) == db.execute(
        "select count(*) from incidents where year_month is not null").fetchone()[0]
    assert [r["year_month"] for r in rows] == sorted(r["year_month"] for r in rows)


# ------------------------------------------------------------------------------------- canned queries on other builds


def haversine_km(lat1, lon1, lat2, lon2) -> float:
    import math

    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


async def test_incidents_near(ds, db):
    lat, lon = 33.3128, 44.3615  # Baghdad
    rows = await get_json(ds, "/incidents/incidents_near.json?" + urlencode(
        {"lat": lat, "lon": lon, "km": 30, "start": "", "end": "", "_shape": "array"}))
    expected = {r[0]: haversine_km(lat, lon, r[1], r[2]) for r in db.execute(
        "select id, latitude, longitude from incidents where latitude is not null")}
    near = {i for i, km in expected.items() if km <= 30}
    assert near and {r["id"] for r in rows} == near
    assert all(abs(r["km"] - expected[r["id"]]) <= 0.1 for r in rows)
    assert [r["km"] for r in rows] == sorted(r["km"] for r in rows)
    far = {i for i, km in expected.items() if km > 30}
    assert far, "the sample has incidents outside Baghdad (Ain al-Asad, ~180 km)"
    # A radius that reaches Ain al-Asad finds those too; the default radius is 50 km.
    wide = await get_json(ds, "/incidents/incidents_near.json?" + urlencode(
        {"lat": lat, "lon": lon, "km": 250, "start": "", "end": "", "_shape": "array"}))
    assert {r["id"] for r in wide} == set(expected)
    default = await get_json(ds, "/incidents/incidents_near.json?" + urlencode(
        {"lat": lat, "lon": lon, "km": "", "start": "", "end": "", "_shape": "array"}))
    assert {r["id"] for r in default} == {i for i, km in expected.items() if km <= 50}
    # A date range keeps incidents whose interval overlaps it (and undated ones).
    june = await get_json(ds, "/incidents/incidents_near.json?" + urlencode(
        {"lat": lat, "lon": lon, "km": 250, "start": "2021-06-01", "end": "2021-06-30", "_shape": "array"}))
    assert june and all((r["date_latest"] or "9") >= "2021-06-01" and (r["date_earliest"] or "0") <= "2021-06-30"
                        for r in june)
    assert len(june) < len(wide)
    empty = await get_json(ds, "/incidents/incidents_near.json?lat=&lon=&km=&start=&end=&_shape=array")
    assert empty == []


def test_incidents_near_without_sqlite_math_functions(sample_db):
    """On SQLite without math functions (< 3.35, or Datasette's Docker image) the plugin supplies them."""
    plugin = load_plugin("sql_math.py")
    sql = DB_META["queries"]["incidents_near"]["sql"]
    params = {"lat": "33.3128", "lon": "44.3615", "km": "250", "start": "", "end": ""}
    native = sqlite3.connect(sample_db)
    fallback = sqlite3.connect(sample_db)
    try:
        added = plugin.ensure_math_functions(fallback)
        assert added == [n for n in plugin.MATH_FUNCTIONS if not plugin._math_sql(native, n)]
        original = plugin._math_sql
        plugin._math_sql = lambda conn, name: False  # as if SQLite had none: all are registered
        try:
            assert plugin.ensure_math_functions(fallback) == list(plugin.MATH_FUNCTIONS)
        finally:
            plugin._math_sql = original
        expected = native.execute(sql, params).fetchall() if not added else None
        got = fallback.execute(sql, params).fetchall()
        assert got and (expected is None or got == expected)
        assert fallback.execute("select sqrt(null), cos('x')").fetchone() == (None, None)
    finally:
        native.close()
        fallback.close()


@pytest.fixture(scope="module")
def unmatched_db(tmp_path_factory):
    """The sample plus an article about something else entirely: it matches nothing."""
    root = tmp_path_factory.mktemp("unmatched")
    (root / "in").mkdir()
    (root / "in" / "other.txt").write_text(
        " date 2019-03-02\nA gunman shot and killed two people at a bar in Kokomo, Indiana, on Friday night, "
        "police said.\n", encoding="utf-8")
    from dedupe.pipeline import SAMPLE_DIR

    path = root / "incidents.db"
    build_database([SAMPLE_DIR, root / "in"], path)
    return path


async def test_unmatched_articles(ds, db, unmatched_db):
    assert await get_json(ds, "/incidents/unmatched_articles.json?_shape=array") == []
    conn = sqlite3.connect(unmatched_db)
    try:
        other = conn.execute("select id from articles where path like '%other.txt'").fetchone()[0]
        expected = {r[0] for r in conn.execute("""
            select a.id from articles a where exists (select 1 from mentions m where m.article_id = a.id)
            and not exists (select 1 from mentions m where m.article_id = a.id
                            and (select count(*) from mentions o where o.incident_id = m.incident_id) > 1)""")}
    finally:
        conn.close()
    rows = await get_json(datasette(unmatched_db), "/incidents/unmatched_articles.json?_shape=array")
    assert {r["id"] for r in rows} == expected and other in expected
    assert all(r["reports"] >= 1 and r["first_report"] for r in rows)


def first_reporters_in_python(db) -> dict[str, tuple[int, int, int]]:
    """outlet -> (first_to_report, first_alone, incidents_reported), computed without the query's SQL."""
    reports: dict[str, set[tuple[str, str | None, bool]]] = {}
    for incident, source, published, precision in db.execute("""
            select m.incident_id, a.source, a.published, a.published_precision from mentions m
            join articles a on a.id = m.article_id join incidents i on i.id = m.incident_id
            where i.article_count > 1"""):
        reports.setdefault(incident, set()).add((source or "(outlet unknown)", published, precision == "day"))
    out: dict[str, list[int]] = {}
    for rs in reports.values():
        for outlet in {o for o, _, _ in rs}:
            out.setdefault(outlet, [0, 0, 0])[2] += 1
        dated = [(p, o) for o, p, d in rs if d]
        if dated:
            first = min(p for p, _ in dated)
            outlets = {o for p, o in dated if p == first}
            for o in outlets:
                out[o][0] += 1
                out[o][1] += len(outlets) == 1
    return {k: tuple(v) for k, v in out.items()}


async def test_first_reporters(ds, db):
    rows = await get_json(ds, "/incidents/first_reporters.json?_shape=array")
    assert {r["outlet"]: (r["first_to_report"], r["first_alone"], r["incidents_reported"]) for r in rows} == (
        first_reporters_in_python(db))
    keys = [(-r["first_to_report"], -r["first_alone"], -r["incidents_reported"], r["outlet"]) for r in rows]
    assert keys == sorted(keys)


GVC_DEV = REPO.parent / "shared" / "corpora" / "gvc" / "dev" / "articles.jsonl"


@pytest.fixture(scope="module")
def gvc_db(tmp_path_factory):
    if not GVC_DEV.exists():
        pytest.skip(f"{GVC_DEV} not present")
    path = tmp_path_factory.mktemp("gvc") / "incidents.db"
    build_database([GVC_DEV], path)
    conn = sqlite3.connect(path)
    yield path, conn
    conn.close()


@pytest.fixture(scope="module")
def gvc_ds(gvc_db):
    return datasette(gvc_db[0])


@pytest.mark.parametrize("name", list(DB_META["queries"]))
async def test_canned_query_on_a_gvc_sized_build(gvc_db, gvc_ds, name):
    params = canned_params(gvc_db[1])[name]
    page = await get(gvc_ds, f"/incidents/{name}?{urlencode(params)}")
    assert str(escape(DB_META["queries"][name]["title"])) in page.text
    rows = await get_json(gvc_ds, f"/incidents/{name}.json?{urlencode({**params, '_shape': 'array'})}")
    assert isinstance(rows, list) and rows, f"{name} returned no rows"


async def test_first_reporters_on_a_gvc_sized_build(gvc_db, gvc_ds):
    rows = await get_json(gvc_ds, "/incidents/first_reporters.json?_shape=array&_size=max")
    assert {r["outlet"]: (r["first_to_report"], r["first_alone"], r["incidents_reported"]) for r in rows} == (
        first_reporters_in_python(gvc_db[1]))


async def test_pages_on_a_gvc_sized_build(gvc_db, gvc_ds):
    conn = gvc_db[1]
    for (incident,) in conn.execute("select id from incidents order by article_count desc, id limit 5"):
        page = (await get(gvc_ds, f"/incidents/incidents/{incident}")).text
        assert 'class="sources"' in page and 'class="claims"' in page
    for (article,) in conn.execute("select id from articles order by id limit 5"):
        assert 'class="article-text"' in (await get(gvc_ds, f"/incidents/articles/{article}")).text
    await get(gvc_ds, "/-/dashboards/overview")
    data = await get_json(gvc_ds, "/incidents/incidents.json?_size=0")
    assert not data.get("facets_timed_out")


# ------------------------------------------------------------------------------------- provenance pages


def test_highlight_segments():
    plugin = load_plugin()
    text = "Two drones were shot down over Ain al-Asad  airbase on Sunday; a drone fell, the Iraqi army said."
    marks = [("place", "Ain al-Asad airbase", "exact"), ("date", "Sunday", "exact"), ("weapon", "drone", "stem"),
             ("outcome", "shot down", "exact"), ("attribution", "the Iraqi army", "exact"), ("place", None, "exact")]
    segments = plugin.highlight(text, marks)
    assert "".join(s["text"] for s in segments) == text
    marked = [(s["kind"], s["text"]) for s in segments if s["kind"]]
    assert marked == [("weapon", "drones"), ("outcome", "shot down"), ("place", "Ain al-Asad  airbase"),
                      ("date", "Sunday"), ("weapon", "drone"), ("attribution", "the Iraqi army")]
    # Whole words only, case-insensitive; overlapping marks keep the earlier, longer one.
    assert [s["kind"] for s in plugin.highlight("Sundays and SUNDAY", [("date", "sunday", "exact")])] == [
        None, "date"]
    overlap = plugin.highlight("Ain al-Asad base", [("place", "al-Asad base", "exact"), ("place", "Ain al-Asad", "exact")])
    assert [(s["kind"], s["text"]) for s in overlap] == [("place", "Ain al-Asad"), (None, " base")]
    assert plugin.highlight("", marks) == [{"text": "", "kind": None, "label": None}]
    # Markup is just text to the highlighter: it is never interpreted, only cut.
    evil = plugin.highlight("<script>x</script> drone", [("weapon", "drone", "stem")])
    assert evil[0] == {"text": "<script>x</script> ", "kind": None, "label": None}


def test_passages_and_links():
    plugin = load_plugin()
    text = "One. Two drones. Three. Four rockets."
    spans = [{"start": 5, "end": 16, "id": "a"}, {"start": 24, "end": 37, "id": "b"}, {"start": 10, "end": 20, "id": "c"}]
    out = plugin.passages(text, spans)
    assert "".join(p["text"] for p in out) == text
    assert [(p["text"], p["mention"]["id"] if p["mention"] else None) for p in out] == [
        ("One. ", None), ("Two drones.", "a"), (" Thr", "c"), ("ee. ", None), ("Four rockets.", "b")]
    assert plugin.web_url("https://example.com/a?b=1") == "https://example.com/a?b=1"
    for bad in ("javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "//evil", None, 3,
                'https://x" onmouseover="alert(1)'):
        assert plugin.web_url(bad) is None, bad
    assert plugin.components_list('{"a": {"level": "x", "weight": 0}, "b": {"level": "y", "weight": -2.5}, '
                                  '"c": {"level": "z", "weight": 1.0}}') == [
        {"comparison": "b", "level": "y", "weight": -2.5}, {"comparison": "c", "level": "z", "weight": 1.0}]
    assert plugin.components_list("not json") == []


async def test_incident_page_shows_provenance(ds, db):
    incident = db.execute("select * from incidents where disputed != '[]' order by article_count desc, id limit 1"
                          ).fetchone()
    page = (await get(ds, f"/incidents/incidents/{incident['id']}")).text
    assert "<h1" in page and str(escape(incident["title"])) in page
    for a in db.execute("select distinct a.id, a.title from mentions m join articles a on a.id = m.article_id "
                        "where m.incident_id = ?", [incident["id"]]):
        assert f'href="/incidents/articles/{a["id"]}"' in page and str(escape(a["title"])) in page
    for m in db.execute("select id, place_text from mentions where incident_id = ?", [incident["id"]]):
        assert f'data-mention-id="{m["id"]}"' in page
    assert 'class="hl hl-place"' in page and 'class="hl hl-date"' in page
    for field in json.loads(incident["disputed"]):
        assert f'class="claim-field disputed" data-field="{field}"' in page
    assert "/incidents/why_merged?a=m" in page
    # The page still answers as JSON, as any row does.
    data = await get_json(ds, f"/incidents/incidents/{incident['id']}.json")
    assert data["rows"][0][0] == incident["id"]


async def test_article_page_shows_its_incidents(ds, db):
    article = db.execute("select * from articles order by mention_count desc, id limit 1").fetchone()
    page = (await get(ds, f"/incidents/articles/{article['id']}")).text
    for (incident, title) in db.execute("select distinct i.id, i.title from mentions m join incidents i "
                                        "on i.id = m.incident_id where m.article_id = ?", [article["id"]]):
        assert f'data-incident-id="{incident}"' in page and str(escape(title)) in page
    assert page.count('<mark class="passage" title="report ') == article["mention_count"]


async def test_pages_for_a_database_not_called_incidents(sample_db, tmp_path):
    """build_db.py --db news.db serves the database as `news`: same pages, queries and charts."""
    import shutil

    news = tmp_path / "news.db"
    shutil.copy(sample_db, news)
    ds = datasette(news)
    incident = sqlite3.connect(news).execute("select id from incidents order by article_count desc limit 1"
                                             ).fetchone()[0]
    page = (await get(ds, f"/news/incidents/{incident}")).text
    assert 'class="sources"' in page and "/news/articles/" in page and "/news/why_merged?a=" in page
    article = sqlite3.connect(news).execute("select id from articles limit 1").fetchone()[0]
    assert 'class="article-text"' in (await get(ds, f"/news/articles/{article}")).text
    await get(ds, "/news/incidents_near?lat=33.3&lon=44.4&km=50&start=&end=")
    dashboard = (await get(ds, "/-/dashboards/overview")).text
    assert '"db": "news"' in dashboard and '"db": "incidents"' not in dashboard
    # Other tables keep Datasette's own row page.
    place = sqlite3.connect(news).execute("select id from places limit 1").fetchone()[0]
    assert 'class="sources"' not in (await get(ds, f"/news/places/{tilde_encode(place)}")).text


async def test_row_pages_fall_back_without_the_schema(tmp_path):
    """A database that merely has a table called incidents gets Datasette's ordinary row page."""
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("create table incidents (id text primary key, title text)")
    conn.execute("insert into incidents values ('x1', '<b>bold</b>')")
    conn.commit()
    conn.close()
    ds = datasette(path)
    page = (await get(ds, "/other/incidents/x1")).text
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and 'class="sources"' not in page


async def test_provenance_pages_escape_everything(hostile_db):
    conn = sqlite3.connect(hostile_db)
    try:
        article_id = conn.execute("select id from articles").fetchone()[0]
        incidents = [r[0] for r in conn.execute("select distinct incident_id from mentions")]
    finally:
        conn.close()
    ds = datasette(hostile_db)
    assert incidents
    for url in [f"/incidents/incidents/{i}" for i in incidents] + [f"/incidents/articles/{article_id}"]:
        page = (await get(ds, url)).text
        assert SCRIPT not in page and "<img src=x" not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url


# ------------------------------------------------------------------------------------- serving and publishing


def readme() -> str:
    return (REPO / "README.md").read_text(encoding="utf-8")


def shell_commands(text: str) -> list[list[str]]:
    """Every command in README.md's bash blocks, continuation lines joined, comments dropped."""
    import shlex

    commands = []
    for block in re.findall(r"```bash\n(.*?)```", text, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split(" # ")[0].strip()
            if line and not line.startswith("#"):
                commands.append(shlex.split(line))
    return commands


def test_readme_documents_the_exact_serve_command(tmp_path):
    _, args = _datasette_command(Path("incidents.db"), 8001)
    args = ["datasette", *args[args.index("serve"):]]
    documented = [a.replace(f"{REPO}/", "") for a in args]
    assert documented in shell_commands(readme()), " ".join(documented)
    assert "build_db.py --serve" in readme()
    # The public copy's command serves with the same options, immutable and with an inspect file.
    immutable = next(c for c in shell_commands(readme()) if c[:3] == ["datasette", "serve", "-i"])
    assert immutable[3:7] == ["incidents.db", "--inspect-file", "inspect-data.json", "-m"]
    options = " ".join(documented[3:documented.index("--port")] + documented[documented.index("--port") + 2:])
    assert options in " ".join(immutable), options


def test_readme_publish_recipe_installs_every_plugin():
    import tomllib

    deps = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    plugins = {re.split(r"[<>=!~ ]", d)[0] for d in deps if d.startswith("datasette")}
    package = next(c for c in shell_commands(readme()) if c[:2] == ["datasette", "package"])
    installed = {re.split(r"[<>=!~ ]", package[i + 1])[0] for i, a in enumerate(package) if a == "--install"}
    assert plugins <= installed, plugins - installed


def test_readme_package_recipe_builds_an_immutable_image(monkeypatch, sample_db, tmp_path):
    """`datasette package` as README.md gives it (docker itself stubbed): the image serves the database
    immutable (-i) with an inspect file, the repository's metadata, templates, plugins, static files and
    settings."""
    import shutil

    from click.testing import CliRunner
    from datasette import cli as datasette_cli

    command = next(c for c in shell_commands(readme()) if c[:2] == ["datasette", "package"])
    built = {}

    def fake_call(args):
        built["args"] = args
        built["dockerfile"] = Path("Dockerfile").read_text()
        built["files"] = sorted(str(p) for p in Path(".").rglob("*"))
        return 0

    monkeypatch.setattr(datasette_cli, "call", fake_call)
    monkeypatch.setattr(datasette_cli.shutil, "which", lambda name: "/usr/bin/docker")
    shutil.copy(sample_db, tmp_path / "incidents.db")
    for name in ("metadata.yml", "templates", "plugins", "static"):
        (tmp_path / name).symlink_to(REPO / name)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(datasette_cli.cli, command[1:], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    dockerfile = built["dockerfile"]
    cmd = next(line for line in dockerfile.splitlines() if line.startswith("CMD"))
    for part in ("-i incidents.db", "--cors", "--inspect-file inspect-data.json", "--metadata metadata.json",
                 "--template-dir templates/", "--plugins-dir plugins/", "--static static:static"):
        assert part in cmd, part
    for name, value in METADATA["settings"].items():
        value = ("on" if value else "off") if isinstance(value, bool) else str(value)
        assert f"--setting {name} {value}" in cmd, name
    assert "RUN datasette inspect incidents.db --inspect-file inspect-data.json" in dockerfile
    assert "datasette==0.65" in dockerfile
    assert {"templates/row-incidents-incidents.html", "plugins/incident_pages.py", "plugins/table_facets.py",
            "plugins/sql_math.py", "static/incidents.css",
            "metadata.json", "incidents.db"} <= set(built["files"])


async def test_inspect_file_and_immutable_mode(sample_db, tmp_path):
    """The public-copy recipe: `datasette inspect` then `datasette serve -i ... --inspect-file`."""
    import subprocess
    import sys

    inspect = next(c for c in shell_commands(readme()) if c[:2] == ["datasette", "inspect"])
    path = tmp_path / "incidents.db"
    path.write_bytes(sample_db.read_bytes())
    out = tmp_path / "inspect-data.json"
    args = [str(path) if a == "incidents.db" else str(out) if a == "inspect-data.json" else a for a in inspect[1:]]
    done = subprocess.run([sys.executable, "-m", "datasette", *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text())
    counts = data["incidents"]["tables"]["incidents"]["count"]
    options = serve_options(path)
    ds = Datasette(immutables=[str(path)], inspect_data=data, **options)
    page = await get_json(ds, "/incidents/incidents.json?_size=0")
    assert page["filtered_table_rows_count"] == counts == sqlite3.connect(path).execute(
        "select count(*) from incidents").fetchone()[0]
    databases = await get_json(ds, "/-/databases.json")
    assert [d["is_mutable"] for d in databases if d["name"] == "incidents"] == [False]
    await get(ds, f"/incidents/incidents/{sqlite3.connect(path).execute('select id from incidents').fetchone()[0]}")


async def test_an_absorbed_incident_redirects_to_the_one_that_absorbed_it(sample_db, tmp_path):
    path = tmp_path / "incidents.db"
    path.write_bytes(sample_db.read_bytes())
    conn = sqlite3.connect(path)
    survivor = conn.execute("select id from incidents order by id limit 1").fetchone()[0]
    conn.execute("insert into incident_redirects (old_id, new_id) values ('iabsorbed0001', ?)", [survivor])
    conn.commit()
    conn.close()
    ds = datasette(path)
    for suffix in ("", ".json"):
        response = await ds.client.get(f"/incidents/incidents/iabsorbed0001{suffix}")
        assert response.status_code == 301
        location = response.headers["location"]
        assert location.split("?")[0] == f"/incidents/incidents/{survivor}{suffix}"
        assert "_redirected_from=iabsorbed0001" in location
    page = (await get(ds, f"/incidents/incidents/{survivor}?_redirected_from=iabsorbed0001")).text
    assert "which has since been merged into this one" in page
    assert "Merged from earlier incident" in page and "iabsorbed0001" in page
    data = await get_json(ds, f"/incidents/incidents/{survivor}.json?_shape=objects")
    assert data["rows"][0]["id"] == survivor
    # An id that was never absorbed is still a plain 404.
    await get(ds, "/incidents/incidents/inever0000000", status=404)


async def test_served_database_is_read_only_and_canned_queries_take_parameters(ds):
    for name, query in DB_META["queries"].items():
        assert not query.get("write"), f"{name} writes"
        params = set(re.findall(r"(?<!:):(\w+)", query["sql"]))
        assert set(query.get("params", params)) <= params, name  # declared parameters are bound, not pasted
    count = "/incidents.json?" + urlencode({"sql": "select count(*) as n from incidents", "_shape": "array"})
    before = (await get_json(ds, count))[0]["n"]
    for sql in ("delete from incidents", "drop table incidents", "update incidents set title = 'x'"):
        response = await ds.client.get("/incidents.json?" + urlencode({"sql": sql}))
        assert response.status_code == 400, sql  # 'Statement must be a SELECT'
    assert (await get_json(ds, count))[0]["n"] == before > 0
