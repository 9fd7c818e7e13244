"""The published site in a real browser: headless Chromium against Datasette serving the bundled sample
with the flags README.md documents (started in a subprocess on a free loopback port).

The incident page shows its sources with highlighted sentences, the article page its incidents, the map
its markers, the dashboard its chart, and search finds an article; an article full of markup renders
inert everywhere. Screenshots go to screenshots/tmp/, or with WRITE_SCREENSHOTS=1 to screenshots/
(those README.md shows):

    WRITE_SCREENSHOTS=1 python -m pytest tests/test_browser.py

Skipped only when no Chromium binary is found (set CHROMIUM_PATH, or apt-get install chromium); with
REQUIRE_BROWSER=1 (as .ci/run sets) a missing Chromium is a failure instead.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from urllib.parse import quote, urlencode

import pytest
from playwright.sync_api import expect

from dedupe.pipeline import SAMPLE_DIR, build_database
from tests.served import chromium, chromium_path, new_page, screenshot_dir, serve, write_hostile_inputs

if chromium_path() is None:
    if os.environ.get("REQUIRE_BROWSER"):
        raise RuntimeError("REQUIRE_BROWSER is set but no Chromium binary was found "
                           "(apt-get install -y chromium, or set CHROMIUM_PATH)")
    pytest.skip("no Chromium binary found: install it (apt-get install -y chromium) or set CHROMIUM_PATH",
                allow_module_level=True)


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def site(sample_db, tmp_path_factory):
    with serve(sample_db, tmp_path_factory.mktemp("serve") / "datasette.log") as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser):
    page = new_page(browser)
    yield page
    page.context.close()


README_SHOTS = {"map.png", "incident-sources.png", "incident-claims.png", "chart.png"}


def shot(locator, name: str) -> None:
    locator.screenshot(path=str(screenshot_dir(name in README_SHOTS) / name), animations="disabled")


def shot_region(page, name: str, top: str, bottom: str) -> None:
    """Screenshot the page from the top of the first `top` element to the bottom of the first `bottom`."""
    box = page.evaluate("""([top, bottom]) => {
        const t = document.querySelector(top).getBoundingClientRect();
        const b = document.querySelector(bottom).getBoundingClientRect();
        return {y: t.top + window.scrollY - 8, height: b.bottom - t.top + 16};
    }""", [top, bottom])
    page.screenshot(path=str(screenshot_dir(name in README_SHOTS) / name), full_page=True, animations="disabled",
                    clip={"x": 0, "y": box["y"], "width": page.viewport_size["width"], "height": box["height"]})


# ------------------------------------------------------------------------------------- provenance pages


def test_incident_page_shows_sources_and_highlighted_sentences(page, site, db):
    incident = db.execute("select * from incidents i order by article_count desc, "
                          "(select count(*) from mentions m where m.incident_id = i.id) desc, id limit 1").fetchone()
    mentions = {r["id"]: r for r in db.execute("select * from mentions where incident_id = ?", [incident["id"]])}
    articles = {r["article_id"] for r in mentions.values()}
    page.goto(f"{site}/incidents/incidents/{incident['id']}")

    assert page.locator("h1").inner_text() == incident["title"]
    # The canonical record, then every source article with its reporting sentences.
    assert page.locator("table.record tr.col-place_name td").inner_text() == incident["place_name"]
    sources = page.locator("li.source")
    assert sources.count() == len(articles) == incident["article_count"]
    for n in range(sources.count()):
        source = sources.nth(n)
        article = db.execute("select * from articles where id = ?", [source.get_attribute("data-article-id")]
                             ).fetchone()
        head = source.locator(".source-head").inner_text()
        assert (article["title"] or article["id"]) in head and (article["published"] or "undated") in head
        assert source.locator("a.article-link").get_attribute("href") == f"/incidents/articles/{article['id']}"
    reports = page.locator("blockquote.report")
    assert reports.count() == len(mentions)
    for n in range(reports.count()):
        report = reports.nth(n)
        mention = mentions[report.get_attribute("data-mention-id")]
        assert words(report.locator(".sentence").inner_text()) == words(mention["sentence"])
        # The words the report was matched on are marked, and only those.
        for kind, column in [("place", "place_text"), ("date", "date_text"), ("outcome", "outcome_text"),
                             ("attribution", "attribution")]:
            for mark in report.locator(f"mark.hl-{kind}").all_inner_texts():
                assert words(mark).casefold() == words(mention[column]).casefold(), (kind, mark)
            if mention[column] and words(mention[column]).casefold() in words(mention["sentence"]).casefold():
                assert report.locator(f"mark.hl-{kind}").count() >= 1, (kind, mention[column])
        for mark in report.locator("mark.hl-weapon").all_inner_texts():
            assert mark.lower().startswith(mention["weapon"])
    for kind in ("place", "date", "weapon", "outcome"):
        assert page.locator(f".sentence mark.hl-{kind}").count() >= 1, kind
    # Highlights are visible: the stylesheet from static/ gives them a background.
    background = page.locator(".sentence mark.hl-place").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")

    # Claims per field, disputes marked with every side's value.
    disputed = set(json.loads(incident["disputed"]))
    assert disputed, "the sample's most-reported incident is disputed"
    for field in disputed:
        row = page.locator(f"tr.claim-field[data-field='{field}']")
        assert "disputed" in (row.get_attribute("class") or "")
        values = {r[0] for r in db.execute("select distinct value from claims where incident_id = ? and field = ?",
                                           [incident["id"], field])}
        shown = set(row.locator(".claim-value").all_inner_texts())
        assert shown == values and len(values) >= 2
    # Match evidence: the pairs inside the incident, each with a link to why_merged.
    within = db.execute("""select count(*) from match_evidence e join mentions l on l.id = e.left_mention_id
                           join mentions r on r.id = e.right_mention_id
                           where l.incident_id = ? and r.incident_id = ?""", [incident["id"]] * 2).fetchone()[0]
    assert page.locator("table.evidence:not(.nearby) tbody tr").count() == within >= 1
    why = page.locator("table.evidence a", has_text="why").first.get_attribute("href")
    assert why.startswith("/incidents/why_merged?a=m")

    shot(page.locator("section.content"), "incident-page.png")
    shot(page.locator("ol.sources"), "incident-sources.png")
    shot_region(page, "incident-claims.png", "#claims", "table.evidence")


def test_article_page_shows_the_incidents_it_contributed_to(page, site, db):
    article = db.execute("select * from articles order by mention_count desc, id limit 1").fetchone()
    expected = {r[0] for r in db.execute("select distinct incident_id from mentions where article_id = ?",
                                         [article["id"]])}
    page.goto(f"{site}/incidents/articles/{article['id']}")
    assert page.locator("h1").inner_text() == article["title"]
    listed = page.locator("li.incident")
    assert {listed.nth(n).get_attribute("data-incident-id") for n in range(listed.count())} == expected
    first = listed.first.locator("a.incident-link")
    title = db.execute("select title from incidents where id = ?", [listed.first.get_attribute("data-incident-id")]
                       ).fetchone()[0]
    assert first.inner_text() == title
    assert page.locator("li.incident blockquote.report").count() == article["mention_count"]
    assert page.locator("li.incident mark.hl").count() >= 1
    # The text, with every report marked; its number links to the incident.
    assert page.locator(".article-text mark.passage").count() == article["mention_count"]
    assert words(page.locator(".article-text").inner_text()).startswith(words(article["text"])[:40])
    first.click()
    page.wait_for_url(re.compile(r"/incidents/incidents/i"))
    assert page.locator("h1").inner_text() == title
    page.go_back()
    shot(page.locator("section.content"), "article-page.png")


# ------------------------------------------------------------------------------------- map, chart, search


def test_map_renders_markers(page, site, db):
    placed = db.execute("select count(*) from incidents where latitude is not null").fetchone()[0]
    assert placed >= 2
    page.goto(f"{site}/incidents/incidents")
    page.wait_for_selector(".leaflet-container .leaflet-marker-icon")
    page.wait_for_function(
        """n => [...document.querySelectorAll('.leaflet-marker-icon')]
               .reduce((s, e) => s + (e.classList.contains('marker-cluster') ? +e.textContent : 1), 0) === n""",
        arg=placed)
    # Leaflet's own stylesheet is served locally (datasette-leaflet), so markers are positioned.
    box = page.locator(".leaflet-marker-icon").first.bounding_box()
    container = page.locator(".leaflet-container").bounding_box()
    assert container["height"] > 100
    assert container["y"] <= box["y"] <= container["y"] + container["height"]
    shot_region(page, "map.png", ".facet-results", ".leaflet-container")


def test_chart_renders(page, site, db):
    rows = db.execute("select count(*) from (select 1 from incidents where year_month is not null "
                      "group by year_month, event_type)").fetchone()[0]
    page.goto(f"{site}/-/dashboards/overview")
    bars = page.locator("#chart-per-month svg .mark-rect path")
    page.wait_for_function("n => document.querySelectorAll('#chart-per-month svg .mark-rect path').length === n",
                           arg=rows)
    assert bars.count() == rows >= 2
    axis = page.locator("#chart-per-month svg").text_content()
    for month in {r[0] for r in db.execute("select year_month from incidents where year_month is not null")}:
        assert month in axis
    incidents = db.execute("select count(*) from incidents").fetchone()[0]
    expect(page.locator("#chart-incident-count")).to_have_text(re.compile(rf"^\s*{incidents}\s*$"))
    shot(page.locator(".dashboard-card", has=page.locator("#chart-per-month")), "chart.png")
    shot(page.locator("section.content"), "dashboard.png")


def test_search_all_finds_an_article(page, site, db):
    expected = {r[0] for r in db.execute(
        "select a.title from articles a join articles_fts f on f.rowid = a.rowid where articles_fts match 'Marotto'")}
    assert expected
    page.goto(f"{site}/")
    page.fill("#search-all-q", "Marotto")
    page.press("#search-all-q", "Enter")
    page.wait_for_url(re.compile(r"/-/search\?q=Marotto"))
    results = page.locator("#search-all-results h2", has_text="in incidents: articles")
    results.wait_for()
    assert f"{len(expected)} result" in results.inner_text()
    table = page.locator("#search-all-results > div", has=page.locator("h2", has_text="in incidents: articles")
                         ).locator("table")
    assert expected <= set(table.locator("td").all_inner_texts())
    # Long texts are shortened in the overview (static/incidents.js).
    assert all(len(t) <= 301 for t in table.locator("td").all_inner_texts())
    page.locator("#search-all-results h2", has_text="in incidents: mentions").wait_for()
    # The per-table search page lists the same articles.
    results.locator("a").click()
    page.wait_for_url(re.compile(r"/incidents/articles\?_search=Marotto"))
    assert set(page.locator("td.col-title").all_inner_texts()) == expected


def test_incident_near_query_shows_a_map(page, site, db):
    lat, lon = db.execute("select latitude, longitude from incidents where latitude is not null "
                          "order by article_count desc, id limit 1").fetchone()
    page.goto(f"{site}/incidents/incidents_near?" + urlencode({"lat": lat, "lon": lon, "km": 25, "start": "",
                                                               "end": ""}))
    assert page.locator("table.rows-and-columns tbody tr").count() >= 1
    page.wait_for_selector(".leaflet-container .leaflet-marker-icon")


# ------------------------------------------------------------------------------------- hostile markup


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The sample plus an article carrying markup in its text, title, outlet and URL, served."""
    root = tmp_path_factory.mktemp("hostile")
    evil = write_hostile_inputs(root / "in")
    path = root / "incidents.db"
    build_database([SAMPLE_DIR, evil], path)
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    article = conn.execute("select * from articles where doc_id = 'evil'").fetchone()
    assert "<script>alert(1)</script>" in article["text"] and "<script>" in article["title"]
    incidents = [r[0] for r in conn.execute("select distinct incident_id from mentions where article_id = ?",
                                            [article["id"]])]
    assert incidents, "the hostile article must report an incident"
    conn.close()
    with serve(path, root / "datasette.log") as base:
        yield base, article, incidents


INERT_CHECK = """() => ({
    scripts: [...document.scripts].filter(s => /alert\\(/.test(s.textContent)).length,
    handlers: document.querySelectorAll('[onerror], [onload]:not(body), [onmouseover]').length,
    javascript_links: document.querySelectorAll('a[href^="javascript:" i]').length,
    injected: document.querySelectorAll('img[src="x"], svg[onload]').length,
    text: document.body.innerText,
})"""


def hostile_pages(article, incidents) -> list[tuple[str, str | None, bool]]:
    """(path, selector to wait for, whether the article's <script> text must show as text)."""
    q = quote("drones")
    pages = [(f"/incidents/incidents/{i}", "ol.sources", True) for i in incidents]
    return pages + [
        (f"/incidents/articles/{article['id']}", ".article-text", True),
        ("/incidents/articles", None, True),
        (f"/incidents/articles?_search={q}", None, True),
        ("/incidents/mentions", None, True),
        (f"/incidents/mentions?_search={q}", None, True),
        (f"/-/search?q={q}", "#search-all-results h2", True),
        (f"/incidents/incident_reports?incident_id={incidents[0]}", None, True),
        ("/incidents/incident_sources", None, True),
        ("/incidents/incidents", ".leaflet-marker-icon", False),
        ("/incidents/claims?_labels=on", None, False),
        ("/-/dashboards/overview", "#chart-per-month svg", False),
    ]


def test_hostile_markup_renders_inert_everywhere(browser, hostile):
    base, article, incidents = hostile
    dialogs: list[str] = []
    page = new_page(browser, dialogs)
    try:
        for path, selector, shows_text in hostile_pages(article, incidents):
            page.goto(base + path)
            if selector:
                page.wait_for_selector(selector)
            page.wait_for_load_state("networkidle")
            found = page.evaluate(INERT_CHECK)
            assert not dialogs, f"{path}: a script from the data ran: {dialogs}"
            assert found["scripts"] == 0, f"{path}: a <script> from the data is in the DOM"
            assert found["handlers"] == 0 and found["injected"] == 0, f"{path}: markup from the data is live"
            assert found["javascript_links"] == 0, f"{path}: the javascript: URL became a link"
            if shows_text:
                assert "<script>alert(1)</script>" in found["text"], f"{path}: the text should show as text"
        # The marked-up outlet and title show as text on the incident page too.
        page.goto(f"{base}/incidents/incidents/{incidents[0]}")
        head = page.locator(f"li.source[data-article-id='{article['id']}'] .source-head").inner_text()
        assert article["source"] in head and article["title"] in head
        assert page.locator(f"li.source[data-article-id='{article['id']}'] a.original").count() == 0
        assert not dialogs
    finally:
        page.context.close()
