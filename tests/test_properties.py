"""Property tests: header parsing, date resolution, input reading and mention extraction never
crash on arbitrary text or bytes, and what they return holds together."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedupe.articles import parse_article
from dedupe.date_intervals import intersect_dates, shift_interval
from dedupe.dates import find_dates, parse_published, resolve_date
from dedupe.headers import parse_header
from dedupe.mentions import extract_mentions
from dedupe.models import DateInterval, IngestError, RawDocument
from dedupe.places import Gazetteer
from dedupe.sources import read_inputs
from dedupe.vocabulary import load_vocabulary

# Sized to run in about 10-15 s; PROPERTY_SCALE=20 python -m pytest tests/test_properties.py for a deeper search.
SCALE = float(os.environ.get("PROPERTY_SCALE", "1"))
FAST = settings(max_examples=int(150 * SCALE), deadline=None, suppress_health_check=[HealthCheck.too_slow])
# fewer: an unparseable date string costs dateparser tens of milliseconds
HEAVY = settings(max_examples=int(100 * SCALE), deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=int(60 * SCALE), deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ------------------------------------------------------------------ strategies

MONTHS = ["January", "Feb", "feb.", "March", "Sept", "September", "May", "DECEMBER", "Foo"]
WEEKDAYS = ["Sunday", "Monday", "saturday", "Tuesday's", "Friday"]
numbers = st.integers(min_value=-5, max_value=10_050).map(str) | st.sampled_from(["00", "09", "31", "99", "2021"])
date_ish = st.one_of(
    st.builds("{}-{}-{}".format, numbers, numbers, numbers),
    st.builds("{}-{}".format, numbers, numbers),
    st.builds("{} {} {}".format, numbers, st.sampled_from(MONTHS), numbers),
    st.builds("{} {}, {}".format, st.sampled_from(MONTHS), numbers, numbers),
    st.builds("{}/{}/{}".format, numbers, numbers, numbers),
    st.builds("{}.{}.{}".format, numbers, numbers, numbers),
    st.builds("{} {}".format, st.sampled_from(["last", "late", "early", "this past", "next", "on"]),
              st.sampled_from(WEEKDAYS)),
    st.builds("{} {} ago".format, numbers, st.sampled_from(["days", "weeks", "months", "hours", "years"])),
    st.sampled_from(["31 February 2021", "9999-99", "2021-13-45", "0000-00-00", "2021-02-30T25:61",
                     "yesterday", "the day before yesterday", "a day earlier", "later that night", "the weekend",
                     "since the start of 2020", "On May 8", "Sunday, June 6", "1e400", "1899", "2101", "12:30 GMT"]),
)
HEADERS = [" date {} ", "Publish Date : {}", "Published: {}", "Updated: {}", "Date: {}", "News ID: {}",
           "By {} Associated Press", "BAGHDAD – {}", "CAIRO (Reuters) – {}", "AKRON, Ohio ({}) — ", "Title: {}",
           "Posted {} | Updated {}", "---\ntitle: {}\n---\n"]
NEWS = ["two drones", "3 rockets", "a missile", "were shot down", "intercepted", "killed", "injured", "near",
        "Baghdad International Airport", "Ain al-Asad", "Erbil", "Mosul", "Kabul", "the Iraqi army said",
        "officials said", "Col. Wayne Marotto", "on Sunday", "late Saturday", "a day earlier", "hours before",
        "U.S.", "Dr.", "(AP)", "—", "“", "”", "...", "\n\n", ". ", "? ", "!", ";", "² drones", "٣ rockets",
        "12345678901234567890 rockets", "killing 99999999999999999999 people", "injuring ４ others"]
junk = st.text(max_size=30)  # any code point: controls, surrogates, bidi, combining marks
fragment = st.one_of(junk, date_ish, st.sampled_from(NEWS),
                     st.builds(lambda h, v: h.format(v, v), st.sampled_from(HEADERS), date_ish | junk))
separator = st.sampled_from([" ", "\n", "\r\n", "\r", ". ", ", ", "\n\n", "\t", "\x00", "\u200b", "\u2028"])
news_text = st.lists(st.tuples(fragment, separator), max_size=25).map(lambda parts: "".join(a + b for a, b in parts))
any_text = st.text(max_size=400) | news_text


@st.composite
def anchors(draw) -> DateInterval:
    kind = draw(st.sampled_from(["unknown", "day", "month", "year", "weekday", "parsed"]))
    day = draw(st.dates(min_value=dt.date(1, 1, 8), max_value=dt.date(9998, 12, 1)))
    if kind == "day":
        return DateInterval(day, day, "day")
    if kind == "month":
        return DateInterval(day.replace(day=1), day.replace(day=28), "month")
    if kind == "year":
        return DateInterval(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), "year")
    if kind == "weekday":
        return DateInterval(weekday=draw(st.integers(0, 6)), month_day=draw(st.sampled_from([None, (2, 29), (5, 8)])))
    if kind == "parsed":
        return parse_published(draw(date_ish))
    return DateInterval()


@lru_cache(maxsize=1)
def resources():
    return load_vocabulary(), Gazetteer.default()


def ordered(interval: DateInterval) -> bool:
    return interval.earliest is None or interval.latest is None or interval.earliest <= interval.latest


# ------------------------------------------------------------------ headers and articles


@HEAVY
@given(any_text)
def test_parse_header_never_raises(text):
    header = parse_header(text)
    assert isinstance(header.body, str)
    assert ordered(header.published)


@HEAVY
@given(any_text, st.none() | date_ish | junk, st.none() | junk)
def test_parse_article_never_raises(text, published, title):
    raw = RawDocument(path="p.txt", line=None, format="txt", text=text, published=published, title=title)
    try:
        article, warnings = parse_article(raw)
    except ValueError as exc:  # documented: nothing left once the header lines are removed
        assert "no article text" in str(exc)
        return
    assert all(isinstance(w, IngestError) for w in warnings)
    assert ordered(article.published_interval)
    assert article.published is None or article.published_interval.is_known


# ------------------------------------------------------------------ dates


@FAST
@given(date_ish | junk)
def test_parse_published_never_raises(value):
    assert ordered(parse_published(value))


@FAST
@given(any_text, anchors())
def test_find_and_resolve_dates_never_raise(text, anchor):
    for hit in find_dates(text, anchor):
        assert text[hit.start:hit.end] == hit.text
        assert ordered(hit.interval)
    assert ordered(resolve_date(text, anchor))


@FAST
@given(anchors(), anchors(), st.tuples(st.integers(-400, 400), st.integers(-400, 400)))
def test_shift_and_intersect_never_raise(a, b, offsets):
    shifted = shift_interval(a, offsets)
    assert ordered(shifted)
    both = intersect_dates(shifted, b)
    assert both is None or ordered(both)


# ------------------------------------------------------------------ mentions


@SLOW
@given(news_text | st.text(max_size=300), st.none() | date_ish)
def test_mentions_point_into_the_text_and_their_dates_are_ordered(text, published):
    try:
        article, _ = parse_article(RawDocument(path="p.txt", line=None, format="txt", text=text, published=published))
    except ValueError:
        return
    vocab, gazetteer = resources()
    for m in extract_mentions(article, vocab, gazetteer):
        assert article.text[m.start:m.end] == m.sentence
        assert ordered(m.date)
        assert all(v is None or 0 <= v < 2**63 for v in (m.quantity, m.killed, m.injured))  # fits SQLite INTEGER


# ------------------------------------------------------------------ reading files

PREFIXES = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x1f\x8b", b"%PDF-", b"PK\x03\x04", b"\x00\x00\xfe\xff"]


@SLOW
@given(st.lists(st.tuples(st.sampled_from(PREFIXES), st.binary(max_size=600)), min_size=1, max_size=5))
def test_read_inputs_gives_one_item_per_txt_file(files):
    with tempfile.TemporaryDirectory() as tmp:
        for n, (prefix, data) in enumerate(files):
            Path(tmp, f"{n:02d}.txt").write_bytes(prefix + data)
        items = list(read_inputs([tmp]))
    assert [Path(i.path).name for i in items] == [f"{n:02d}.txt" for n in range(len(files))]
    for item in items:
        if isinstance(item, RawDocument):
            assert item.text.strip() and "\x00" not in item.text and "\r" not in item.text
            item.text.encode("utf-8")  # storable: no lone surrogates
        else:
            assert item.reason


@SLOW
@given(st.sampled_from([".jsonl", ".json", ".csv", ".html", ".md"]), st.sampled_from(PREFIXES),
       st.binary(max_size=600) | news_text.map(str.encode))
def test_read_inputs_never_raises_on_structured_junk(suffix, prefix, data):
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "x" + suffix).write_bytes(prefix + data)
        items = list(read_inputs([tmp]))
    assert items  # a file always leaves a trace: an article or an error
    for item in items:
        assert isinstance(item, (RawDocument, IngestError))
        if isinstance(item, RawDocument):
            item.text.encode("utf-8")
