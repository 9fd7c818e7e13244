"""parse_header: the header fields of a plain-text article, its dateline, and the body left."""

import datetime as dt

import pytest

from dedupe.headers import parse_header
from tests.helpers import sample_raw


def test_parse_header_returns_fields():
    h = parse_header(sample_raw("002").text)
    assert h.news_id == "90946"
    assert h.published_text == "06 June 2021 - 21:44"
    assert h.published.precision == "day"
    assert h.dateline == "BAGHDAD"
    assert h.body.startswith("BAGHDAD (Dispatches)")


def test_month_header_narrowed_by_later_timestamp():
    h = parse_header(
        " date 2022-01\n\nHeadline\n\nBy JANE DOE Reuters\n\n4 January 2022, 09:53\n\nBAGHDAD – Text."
    )
    assert h.published.precision == "day" and h.published.earliest == dt.date(2022, 1, 4)
    assert (h.byline, h.source, h.dateline) == ("JANE DOE", "Reuters", "BAGHDAD")
    assert h.body == "Headline\n\nBAGHDAD – Text."


# ---------------------------------------------------------------- datelines

@pytest.mark.parametrize(
    "text, dateline",
    [
        ("KOKOMO, Ind. (June 15, 2014) — Kokomo police want to know more.", "KOKOMO, Ind."),
        (
            "Please enable Javascript to watch this video\n\nHENRY COUNTY, Ind. (Aug. 28, 2015) – Officials said.",
            "HENRY COUNTY, Ind.",
        ),
        ("CINCINNATI (AP) — An Ohio prosecutor says he will take the case.", "CINCINNATI"),
        ("SALT LAKE CITY — Police say a man shot a boy.", "SALT LAKE CITY"),
        ("KANSAS CITY, Mo. -- A 4-year-old boy was shot.", "KANSAS CITY, Mo."),
        ("Newport News, Va. - Five people were shot.", "Newport News, Va."),
        ("A US-led coalition official said two drones were destroyed.", None),
        ("COVID-19 cases rose again.", None),
        ("UPDATE — Police have released the name.", None),
    ],
)
def test_dateline(text, dateline):
    assert parse_header(text).dateline == dateline
