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
from markupsafe import escape

from dedupe.pipeline import build_database

REPO = Path(__file__).resolve().parent.parent
METADATA = yaml.safe_load((REPO / "metadata.yml").read_text(encoding="utf-8"))
DB_META = METADATA["databases"]["incidents"]

TABLES = ["incidents", "articles", "mentions", "claims", "places", "match_evidence", "ingest_errors", "build_info"]
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


def datasette(path: Path) -> Datasette:
    # As `build_db.py --serve` runs it: metadata.yml, with its settings passed as settings (Datasette 0.65
    # does not read them from metadata).
    return Datasette([str(path)], metadata=METADATA, settings=METADATA.get("settings"))


@pytest.fixture
def ds(sample_db):
    assert sample_db.stem == "incidents"  # the name metadata.yml describes
    return datasette(sample_db)


@pytest.fixture(scope="module")
def db(sample_db):
    conn = sqlite3.connect(sample_db)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


async def get(ds: Datasette, url: str, status: int = 200):
    response = await ds.client.get(url)
    assert response.status_code == status, f"{url}: {response.status_code} {response.text[:500]}"
    return response


async def get_json(ds: Datasette, url: str):
    response = await get(ds, url)
    assert response.headers["content-type"].startswith("application/json"), url
    return response.json()


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
    if table != "ingest_errors":  # the sample has no ingest errors
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
    incident = db.execute("select id from incidents order by article_count desc, id limit 1").fetchone()[0]
    pair = db.execute("select left_mention_id, right_mention_id from match_evidence "
                      "order by score desc, left_mention_id limit 1").fetchone()
    return {
        "disputed_incidents": {},
        "incident_reports": {"incident_id": incident},
        "incidents_by_place_and_date": {"place": "Asad", "start": "2021-06-01", "end": "2021-06-30"},
        "why_merged": {"a": pair[0], "b": pair[1]},
    }


def test_every_canned_query_is_covered(db):
    assert set(canned_params(db)) == set(DB_META["queries"])


@pytest.mark.parametrize("name", list(DB_META["queries"]))
async def test_canned_query_html_and_json(ds, db, name):
    params = canned_params(db)[name]
    page = await get(ds, f"/incidents/{name}?{urlencode(params)}")
    assert DB_META["queries"][name]["title"] in page.text
    rows = await get_json(ds, f"/incidents/{name}.json?{urlencode({**params, '_shape': 'array'})}")
    assert isinstance(rows, list) and rows, f"{name} returned no rows"


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
