import datetime as dt
import re

import pytest

from dedupe.articles import article_id, parse_article
from dedupe.models import DateInterval, RawDocument
from dedupe.published import parse_date_text
from tests.helpers import sample_article, txt

# ---------------------------------------------------------------- header variants (sample files)


def test_000_date_token_month_precision_rest_of_line_is_body():
    a = sample_article("000")
    assert a.published == "2021-06"
    assert a.published_precision == "month"
    assert a.published_interval.earliest == dt.date(2021, 6, 1)
    assert a.published_interval.latest == dt.date(2021, 6, 30)
    assert a.published_interval.precision == "month"
    assert a.title == (
        "The US’s C-RAM defence system shoots down the drones above the Ain al-Asad base "
        "in Iraq’s western desert, the Iraqi army says."
    )
    assert a.text.startswith("The US’s C-RAM defence system shoots down")
    assert "date 2021" not in a.text
    assert a.text.endswith("Iran has denied the accusations.")
    assert a.byline is None and a.dateline is None and a.source is None
    assert a.doc_id == "000_7205b53a5370c69c"
    assert a.id == article_id(a.text) and re.fullmatch(r"[0-9a-f]{16}", a.id)


def test_001_undated():
    a = sample_article("001")
    assert a.published is None
    assert a.published_precision is None
    assert not a.published_interval.is_known
    assert a.published_interval.precision == "unknown"
    assert a.title == (
        "Two drones were shot down over an Iraqi airbase housing US troops and Iraqi and "
        "coalition forces on Sunday, the Iraqi military said in a statement"
    )
    assert a.text.startswith("Two drones were shot down")
    assert a.byline is None and a.dateline is None


def test_002_news_id_publish_date_and_dateline():
    a = sample_article("002")
    assert a.published == "2021-06-06"
    assert a.published_precision == "day"
    assert a.published_interval.earliest == a.published_interval.latest == dt.date(2021, 6, 6)
    assert a.published_interval.text == "06 June 2021 - 21:44"
    assert a.dateline == "BAGHDAD"
    assert a.extra["news_id"] == "90946"
    assert a.doc_id == "002_4c7e3fdeb47d7b12"
    assert a.text.startswith("BAGHDAD (Dispatches) – The Iraqi army has said")
    assert "News ID" not in a.text and "Publish Date" not in a.text
    assert a.title.startswith("The Iraqi army has said that two drones targeted a base")
    assert a.byline is None


def test_003_ap_byline_timestamp_and_headline():
    a = sample_article("003")
    assert a.published == "2022-01-04"
    assert a.published_precision == "day"
    assert a.title == (
        "A US-led coalition official in Iraq said two explosive-laden drones that targeted "
        "a military base housing US troops in western Anbar province were destroyed"
    )
    assert a.byline == "QASSIM ABDUL-ZAHRA"
    assert a.source == "Associated Press"
    assert a.dateline == "BAGHDAD"
    assert "By QASSIM" not in a.text and "09:53" not in a.text and "date 2022" not in a.text
    assert a.text.startswith("A US-led coalition official")
    assert "\n\nBAGHDAD – Two drones loaded with explosives" in a.text


def test_004_no_date_headline_first_line():
    a = sample_article("004")
    assert a.published is None and a.published_precision is None
    assert a.title == "Iraq: the anti-missile system of the American embassy intercepted a drone with rockets"
    assert a.text.startswith("Iraq: the anti-missile system")
    assert a.dateline is None and a.byline is None


# ---------------------------------------------------------------- datelines in structured texts


def test_structured_record_fields_win_and_dateline_found():
    raw = RawDocument(
        path="a.jsonl",
        line=7,
        format="jsonl",
        text="CINCINNATI (AP) — An Ohio prosecutor says he will take the case to a grand jury.",
        doc_id="d7",
        title="Prosecutor takes case to grand jury",
        published="2016-01-19",
        source="wlwt.com",
        url="http://wlwt.com/x",
        extra={"incident_id": "1"},
    )
    a, warnings = parse_article(raw)
    assert warnings == []
    assert (a.doc_id, a.path, a.line) == ("d7", "a.jsonl", 7)
    assert a.title == "Prosecutor takes case to grand jury"
    assert a.source == "wlwt.com"  # structured source beats the (AP) in the dateline
    assert a.url == "http://wlwt.com/x"
    assert (a.published, a.published_precision) == ("2016-01-19", "day")
    assert a.dateline == "CINCINNATI"
    assert a.extra == {"incident_id": "1"}


def test_dateline_date_used_when_no_other_date():
    a, _ = parse_article(txt("KOKOMO, Ind. (June 15, 2014) — Kokomo police want to know more."))
    assert (a.published, a.published_precision) == ("2014-06-15", "day")


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "value, iso, precision",
    [
        ("2021-06-06", "2021-06-06", "day"),
        ("2021-06", "2021-06-01", "month"),
        ("2021", "2021-01-01", "year"),
        ("06 June 2021 - 21:44", "2021-06-06", "day"),
        ("June 15, 2014", "2014-06-15", "day"),
        ("4 January 2022, 09:53", "2022-01-04", "day"),
        ("2021-06-06T23:30:00-05:00", "2021-06-06", "day"),  # the local day as written
        ("Tuesday, January 28, 2014 8:18 PM EST", "2014-01-28", "day"),
        ("June 2021", "2021-06-01", "month"),
        ("Posted: Friday, May 13, 2016 11:05 pm |", "2016-05-13", "day"),
        ("31.12.2020", "2020-12-31", "day"),
    ],
)
def test_parse_published_header_dates(value, iso, precision):
    iv = parse_date_text(value)[0]
    assert iv.precision == precision
    assert iv.earliest.isoformat() == iso
    assert iv.text == value


@pytest.mark.parametrize(
    "value", ["31 February 2021", "9999-99", "2021-13-01", "May 8", "Sunday", "yesterday", ""]
)
def test_unparseable_or_partial_dates_are_unknown_never_today(value):
    iv = parse_date_text(value)[0]
    assert iv == DateInterval(text=iv.text)
    assert not iv.is_known


@pytest.mark.parametrize(
    "text",
    [
        " date 9999-99 The army said two drones were downed.",
        "News ID: 1\nPublish Date : 31 February 2021 - 10:00\n\nThe army said two drones were downed.",
    ],
)
def test_impossible_header_date_warns_and_is_undated(text):
    a, warnings = parse_article(txt(text))
    assert a.published is None and a.published_precision is None
    assert not a.published_interval.is_known
    assert len(warnings) == 1
    assert warnings[0].path == "x.txt"
    assert "treated as undated" in warnings[0].reason
    assert a.text == "The army said two drones were downed."


def test_impossible_structured_date_warns_and_falls_back_to_header():
    raw = RawDocument(
        path="a.csv",
        line=3,
        format="csv",
        text="News ID: 5\nPublish Date : 06 June 2021\n\nBody.",
        published="2021-02-30",
    )
    a, warnings = parse_article(raw)
    assert a.published == "2021-06-06"
    assert len(warnings) == 1 and warnings[0].line == 3 and "2021-02-30" in warnings[0].reason


def test_text_with_only_headers_is_unusable():
    with pytest.raises(ValueError):
        parse_article(txt("News ID: 90946\nPublish Date : 06 June 2021 - 21:44\n\n"))
    with pytest.raises(ValueError):
        parse_article(txt(" date 2021-06 \n\n"))


def test_long_first_line_title_is_cut():
    a, _ = parse_article(txt(" ".join(["word"] * 200) + "\n\nSecond paragraph."))
    assert len(a.title) <= 300 and a.title.endswith("…")


# ---------------------------------------------------------------- ids


def test_article_id_stable_under_whitespace_and_quotes():
    base = article_id("The US’s “C-RAM” system – shot down two drones.\n\nNext paragraph.")
    assert base == article_id('  The US\'s "C-RAM"   system - shot down two drones. Next paragraph.\n')
    assert base == article_id("THE US’S “C-RAM” SYSTEM – SHOT DOWN TWO DRONES. NEXT PARAGRAPH.")
    assert base != article_id("The US’s “C-RAM” system shot down three drones. Next paragraph.")
    assert re.fullmatch(r"[0-9a-f]{16}", base)


def test_same_body_different_header_same_id():
    body = sample_article("000").text
    other, _ = parse_article(txt("News ID: 1\nPublish Date : 07 June 2021 - 10:00\n\n" + body))
    assert other.id == sample_article("000").id
    assert other.published == "2021-06-07"


def test_header_date_narrows_a_coarser_structured_date():
    raw = RawDocument(
        path="a.json", line=1, format="json", text="Publish Date : 06 June 2021\n\nBody.", published="2021"
    )
    a, warnings = parse_article(raw)
    assert (a.published, a.published_precision, warnings) == ("2021-06-06", "day", [])


def test_bad_structured_date_without_header_date_is_undated():
    raw = RawDocument(path="a.json", line=2, format="json", text="Body text.", published="not a date")
    a, warnings = parse_article(raw)
    assert a.published is None and not a.published_interval.is_known
    assert len(warnings) == 1 and "treated as undated" in warnings[0].reason


def test_the_pages_own_earlier_stamp_beats_a_record_dated_when_it_was_crawled():
    # The record gives the day the page was collected; the page says when it was written.
    text = ("Updated: 08/10/2014 4:26 PM\n\nCreated: 08/09/2014 5:14 AM KSTP.com\n\nBy: Megan Stewart\n\n"
            "Minneapolis police are investigating a shooting inside of a downtown nightclub, which injured "
            "nine people early Saturday.")
    raw = RawDocument(path="a.jsonl", line=1, format="jsonl", text=text, published="2017-01-28")
    a, warnings = parse_article(raw)
    assert (a.published, a.published_precision, warnings) == ("2014-08-09", "day", [])
    # A stamp later than the record's day does not move it.
    raw = RawDocument(path="a.jsonl", line=1, format="jsonl", text=text, published="2014-08-08")
    assert parse_article(raw)[0].published == "2014-08-08"
