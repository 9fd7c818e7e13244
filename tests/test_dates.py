import datetime as dt
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe.date_intervals import dates_compatible, shift_interval, weekday_name
from dedupe.dates import DateMention, find_dates, parse_published, resolve_date
from dedupe.models import DateInterval

D = dt.date
UNKNOWN = DateInterval()
SAMPLE = Path(__file__).resolve().parent.parent / "sample"
GVC = Path("/work/shared/corpora/gvc/dev")
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def r(expression: str, published: str | None) -> DateInterval:
    return resolve_date(expression, parse_published(published))


def span(iv: DateInterval) -> tuple:
    return iv.earliest, iv.latest


def texts(text: str, published: str | None = "2021-06-06") -> list[str]:
    return [h.text for h in find_dates(text, parse_published(published))]


# ---------------------------------------------------------------- parse_published
@pytest.mark.parametrize(
    "value, earliest, latest, precision",
    [
        ("2021-06-06", D(2021, 6, 6), D(2021, 6, 6), "day"),
        ("2021-06", D(2021, 6, 1), D(2021, 6, 30), "month"),
        ("2021-02", D(2021, 2, 1), D(2021, 2, 28), "month"),
        ("2021", D(2021, 1, 1), D(2021, 12, 31), "year"),
        ("06 June 2021 - 21:44", D(2021, 6, 6), D(2021, 6, 6), "day"),
        ("June 15, 2014", D(2014, 6, 15), D(2014, 6, 15), "day"),
        ("2014-06-15T10:20:00Z", D(2014, 6, 15), D(2014, 6, 15), "day"),
        ("2021-06-06T01:30:00+03:00", D(2021, 6, 6), D(2021, 6, 6), "day"),  # the date as written, not UTC
        ("Jun 6th, 2021 at 11pm EDT", D(2021, 6, 6), D(2021, 6, 6), "day"),
        ("4 January 2022, 09:53", D(2022, 1, 4), D(2022, 1, 4), "day"),
        ("Publish Date : 06 June 2021 - 21:44", D(2021, 6, 6), D(2021, 6, 6), "day"),
        ("June 2021", D(2021, 6, 1), D(2021, 6, 30), "month"),
        ("2020-02-29", D(2020, 2, 29), D(2020, 2, 29), "day"),
    ],
)
def test_parse_published(value, earliest, latest, precision):
    iv = parse_published(value)
    assert (iv.earliest, iv.latest, iv.precision) == (earliest, latest, precision)


@pytest.mark.parametrize(
    "value",
    [None, "", "   ", "garbage", "31 February 2021", "February 30, 2021", "9999-99", "2021-13-01", "2021-02-29",
     "1750-01-01", "yesterday", "2 days ago", "May 8", "Sunday", "12"],
)
def test_parse_published_unknown(value):
    iv = parse_published(value)
    assert not iv.is_known and iv.earliest is None and iv.latest is None and iv.precision == "unknown"


@pytest.mark.parametrize(
    "value, precision", [("2021 at 10am", "year"), ("last year 2021", "year"), ("2021 yesterday", "year"),
                         ("Sun, 06 Jun 2021 21:44:00 GMT", "day"), ("Summer 2021", "year")])
def test_parse_published_never_fills_from_elsewhere(value, precision):
    iv = parse_published(value)
    assert iv.precision == precision and iv.earliest.year == 2021 and iv.latest.year == 2021


def test_parse_published_ignores_machine_timezone():
    code = ("from dedupe.dates import parse_published as p; "
            "print([str(p(v).earliest) for v in ('Jun 6th, 2021 at 11pm EDT', '06 June 2021 - 23:44', "
            "'June 6, 2021 1:00 AM +1400')])")
    outputs = set()
    for tz in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        env = {**os.environ, "TZ": tz, "PYTHONPATH": str(SAMPLE.parent)}
        outputs.add(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                                   check=True).stdout)
    assert outputs == {"['2021-06-06', '2021-06-06', '2021-06-06']\n"}


# ---------------------------------------------------------------- weekdays
def test_weekday_same_day_article():
    assert span(r("on Sunday", "2021-06-06")) == (D(2021, 6, 6), D(2021, 6, 6))  # 2021-06-06 is a Sunday
    iv = r("Sunday's attack", "2021-06-06")
    assert iv.weekday == SUN and iv.precision == "day"


def test_weekday_day_anchor_goes_back():
    assert span(r("On Monday", "2022-01-04")) == (D(2022, 1, 3), D(2022, 1, 3))
    assert span(r("Tuesday", "2022-01-04")) == (D(2022, 1, 4), D(2022, 1, 4))
    assert span(r("Thursday", "2022-01-04")) == (D(2021, 12, 30), D(2021, 12, 30))
    assert span(r("Saturday morning", "2016-11-05")) == (D(2016, 11, 5), D(2016, 11, 5))
    assert span(r("early Monday", "2021-06-08")) == (D(2021, 6, 7), D(2021, 6, 7))


def test_a_bare_weekday_the_day_after_publication_is_no_day_of_last_week():
    # A Tuesday article: 'Classes resumed Wednesday after four students were shot' is tomorrow's
    # news or a record dated a day early, not last Wednesday; it only bounds the incident.
    text = "Classes at a San Francisco high school resumed Wednesday after four students were shot."
    (hit,) = find_dates(text, parse_published("2016-10-18"))
    assert (hit.text, span(hit.interval), hit.interval.weekday) == ("Wednesday", (None, D(2016, 10, 19)), None)
    # Said as last week's, or against a month, it is still last week's.
    assert span(r("last Wednesday", "2016-10-18")) == (D(2016, 10, 12), D(2016, 10, 12))
    assert r("on Wednesday", "2016-10").weekday == 2


def test_a_range_of_two_dates_is_one_span():
    text = ("Four men were killed and at least 53 other people were wounded in shootings across Chicago "
            "between late Friday afternoon and Monday morning.")
    (hit,) = find_dates(text, parse_published("2015-09-28"))
    assert (hit.text, span(hit.interval)) == ("late Friday afternoon and Monday morning", (D(2015, 9, 25), D(2015, 9, 28)))
    (hit,) = find_dates("Police logged 12 shootings from Feb. 2 to Feb. 7.", parse_published("2016-02-09"))
    assert span(hit.interval) == (D(2016, 2, 2), D(2016, 2, 7))
    # Two dates that only follow each other stay two.
    assert texts("He was shot Friday and died Monday morning.", "2015-09-28") == ["Friday", "Monday morning"]


def test_seasons_and_a_month_named_as_the_incidents():
    text = "Five suspects have been charged after a deadly shootout killed two teens and wounded four others last summer."
    (hit,) = find_dates(text, parse_published("2016-03-11"))
    assert (hit.text, span(hit.interval)) == ("last summer", (D(2015, 6, 1), D(2015, 8, 31)))
    assert span(r("last summer", "2016-08-20")) == (D(2015, 6, 1), D(2015, 8, 31))  # this one has not ended
    assert span(r("this summer", "2016-08-20")) == (D(2016, 6, 1), D(2016, 8, 31))
    assert span(r("last winter", "2016-03-01")) == (D(2015, 12, 1), D(2016, 2, 29))
    (hit,) = find_dates("Trung Le is being held after a July shooting on Bourbon Street.", parse_published("2016-01-15"))
    assert (hit.text, span(hit.interval)) == ("July", (D(2015, 7, 1), D(2015, 7, 31)))
    assert texts("They met on a June night. I saw the May sun.") == []


def test_weekday_last_and_next():
    assert span(r("last Sunday", "2021-06-06")) == (D(2021, 5, 30), D(2021, 5, 30))
    assert span(r("last Sunday", "2021-06-07")) == (D(2021, 6, 6), D(2021, 6, 6))
    assert span(r("next Friday", "2021-06-06")) == (D(2021, 6, 11), D(2021, 6, 11))


def test_weekday_month_anchor():
    iv = r("on Sunday", "2021-06")
    assert span(iv) == (D(2021, 5, 30), D(2021, 6, 27))  # every Sunday in [June 1 - 6 days, June 30]
    assert iv.weekday == SUN and iv.precision == "month"


def test_weekday_unknown_anchor_keeps_weekday():
    iv = r("on Sunday", None)
    assert iv.earliest is None and iv.latest is None and iv.weekday == SUN and iv.precision == "unknown"


def test_late_saturday_crosses_midnight():
    iv = r("late Saturday", "2021-06-06")
    assert span(iv) == (D(2021, 6, 5), D(2021, 6, 6)) and iv.weekday == SAT and iv.precision == "day"
    assert span(r("Saturday night", "2021-06-07")) == (D(2021, 6, 5), D(2021, 6, 6))
    assert span(r("late Friday night", "2021-06-06")) == (D(2021, 6, 4), D(2021, 6, 5))
    assert span(r("late Tuesday morning", "2021-06-09")) == (D(2021, 6, 8), D(2021, 6, 8))  # morning: no crossing
    assert span(r("late Saturday", "2021-06")) == (D(2021, 5, 29), D(2021, 6, 27))


def test_a_weekday_and_a_month_day_that_disagree_give_both_days():
    # 'Ava Castillo was shot and killed by a robber on Monday, Nov. 15.' (a Tuesday in 2016)
    iv = r("on Monday, Nov. 15", "2016-11-15")
    assert span(iv) == (D(2016, 11, 14), D(2016, 11, 15)) and iv.weekday is None
    assert span(r("on Tuesday, Nov. 15", "2016-11-16")) == (D(2016, 11, 15), D(2016, 11, 15))


def test_weekday_with_explicit_date():
    iv = r("Thursday, August 27, 2015", "2015-08-28")
    assert span(iv) == (D(2015, 8, 27), D(2015, 8, 27)) and iv.weekday == THU
    iv = r("Tuesday, August 27, 2015", None)  # wrong weekday: the explicit date wins
    assert span(iv) == (D(2015, 8, 27), D(2015, 8, 27)) and iv.weekday is None
    iv = r("Sunday, June 6", "2021-06")  # year from the anchor, the weekday picks 2021 over 2020
    assert span(iv) == (D(2021, 6, 6), D(2021, 6, 6))
    iv = r("Sunday, June 6", None)
    assert not iv.is_known and iv.weekday == SUN and iv.month_day == (6, 6)


def test_weekday_name_and_not_weekdays():
    assert [weekday_name(i) for i in (0, 6)] == ["Monday", "Sunday"]
    assert texts("Bloody Sunday was remembered; Black Friday sales; the Sunday Times; the Mail on Sunday") == []


def test_a_named_day_of_a_vendors_calendar_is_no_weekday():
    # 'Patch Tuesday' is the monthly update, not the day an attack was found.
    assert texts('attacks seen shortly after Microsoft\'s "Patch Tuesday" security bulletin') == []


# ---------------------------------------------------------------- month-day and months
def test_month_day_without_year():
    iv = r("On May 8", "2021-06")
    assert span(iv) == (D(2021, 5, 8), D(2021, 5, 8)) and iv.month_day == (5, 8)
    assert span(r("8 May", "2021-06-06")) == (D(2021, 5, 8), D(2021, 5, 8))
    assert span(r("Aug. 28", "2015-08-30")) == (D(2015, 8, 28), D(2015, 8, 28))
    assert span(r("June 15", "2014-06-15")) == (D(2014, 6, 15), D(2014, 6, 15))  # the publication day itself
    iv = r("On May 8", None)
    assert not iv.is_known and iv.month_day == (5, 8)


def test_month_day_year_rollover_in_january():
    assert span(r("Dec. 28", "2022-01-04")) == (D(2021, 12, 28), D(2021, 12, 28))
    assert span(r("Jan. 4", "2022-01-04")) == (D(2022, 1, 4), D(2022, 1, 4))
    assert span(r("Mar. 5", "2022-01-04")) == (D(2021, 3, 5), D(2021, 3, 5))
    assert span(r("Feb. 29", "2021-06-06")) == (D(2020, 2, 29), D(2020, 2, 29))


def test_a_month_day_in_the_weeks_after_publication_is_no_day_of_last_year():
    # 'A preliminary hearing in the shooting case is scheduled for Aug. 17.' in an August 10 article,
    # 'UPDATE July 16, 3:03 p.m.: ...' in one dated July 15: at most they bound the incident.
    (hit,) = find_dates("A preliminary hearing in the shooting case is scheduled for Aug. 17.",
                        parse_published("2016-08-10"))
    assert span(hit.interval) == (None, D(2016, 8, 17)) and hit.interval.month_day is None
    assert span(r("July 16", "2015-07-15")) == (None, D(2015, 7, 16))
    assert span(r("Jan. 5", "2021-12-30")) == (None, D(2022, 1, 5))
    assert span(r("Oct. 5", "2016-08-10")) == (D(2015, 10, 5), D(2015, 10, 5))  # months ahead: last year's


def test_month_day_with_year_is_exact():
    for expr, day in [("May 8, 2021", D(2021, 5, 8)), ("4 January 2022", D(2022, 1, 4)),
                      ("August 27, 2015", D(2015, 8, 27)), ("January 16th, 2016", D(2016, 1, 16)),
                      ("2021-06-05", D(2021, 6, 5)), ("04/20/2021", D(2021, 4, 20)), ("20/04/2021", D(2021, 4, 20))]:
        for pub in ("2023-01-01", None):
            iv = r(expr, pub)
            assert span(iv) == (day, day) and iv.precision == "day", (expr, pub)


def test_impossible_month_day_is_not_a_date():
    assert texts("on February 30 and 31 April") == []


def test_month_day_year_anchor_is_a_year_wide_hull():
    iv = r("May 8", "2021")
    assert span(iv) == (D(2020, 5, 8), D(2021, 5, 8)) and iv.month_day == (5, 8)


def test_months():
    assert span(r("in April", "2021-06-06")) == (D(2021, 4, 1), D(2021, 4, 30))
    assert span(r("in June", "2021-06-06")) == (D(2021, 6, 1), D(2021, 6, 30))
    assert span(r("in December", "2022-01-04")) == (D(2021, 12, 1), D(2021, 12, 31))
    assert span(r("last month", "2022-01-04")) == (D(2021, 12, 1), D(2021, 12, 31))
    assert span(r("this month", "2022-01-04")) == (D(2022, 1, 1), D(2022, 1, 31))
    for pub in ("2030-01-01", None):
        iv = r("in June 2021", pub)
        assert span(iv) == (D(2021, 6, 1), D(2021, 6, 30)) and iv.precision == "month"
    assert span(r("in December 2011", None)) == (D(2011, 12, 1), D(2011, 12, 31))
    assert not r("in April", None).is_known
    assert texts("You may go. They march on. June Smith said") == []  # month words that are not months


# ---------------------------------------------------------------- years
def test_years():
    assert span(r("in 2020", None)) == (D(2020, 1, 1), D(2020, 12, 31))
    assert span(r("the 2020 US airstrike", None)) == (D(2020, 1, 1), D(2020, 12, 31))
    assert r("in 2020", None).precision == "year"
    assert span(r("since 2014", "2021-06-06")) == (D(2014, 1, 1), D(2021, 6, 6))
    iv = r("since 2014", None)
    assert iv.earliest == D(2014, 1, 1) and iv.latest is None
    assert texts("between 2014-2017 and in late 2017") == ["2014", "2017", "2017"]


@pytest.mark.parametrize(
    "text",
    ["The US has some 2,500 troops", "there have been 39 attacks", "At approx 0015 local time", "at 2030 GMT",
     "at 09:53", "3:15 a.m.", "on Route 2020", "Highway 1999 was closed", "in the 1900 block of Main Street",
     "at 2014 Clinton Drive", "call (313) 222-2027", "2015%", "some 2000 troops", "in the 1990s", "12345", "$2000"],
)
def test_numbers_that_are_not_years(text):
    assert texts(text) == []


def test_last_this_year():
    assert span(r("Last year", "2021-06-06")) == (D(2020, 1, 1), D(2020, 12, 31))
    assert span(r("last year", "2022-01-04")) == (D(2021, 1, 1), D(2021, 12, 31))
    assert span(r("this year", "2021-06")) == (D(2021, 1, 1), D(2021, 12, 31))
    assert span(r("Since the start of this year", "2021-06")) == (D(2021, 1, 1), D(2021, 6, 30))
    iv = r("Last year", None)
    assert not iv.is_known and iv.precision == "unknown"


# ---------------------------------------------------------------- relative to publication
@pytest.mark.parametrize(
    "expr, earliest, latest",
    [
        ("yesterday", D(2021, 6, 5), D(2021, 6, 5)),
        ("yesterday morning", D(2021, 6, 5), D(2021, 6, 5)),
        ("today", D(2021, 6, 6), D(2021, 6, 6)),
        ("tonight", D(2021, 6, 6), D(2021, 6, 6)),
        ("this morning", D(2021, 6, 6), D(2021, 6, 6)),
        ("earlier today", D(2021, 6, 6), D(2021, 6, 6)),
        ("last night", D(2021, 6, 5), D(2021, 6, 6)),
        ("overnight", D(2021, 6, 5), D(2021, 6, 6)),
        ("two days ago", D(2021, 6, 4), D(2021, 6, 4)),
        ("3 days ago", D(2021, 6, 3), D(2021, 6, 3)),
        ("a week ago", D(2021, 5, 29), D(2021, 5, 31)),
        ("hours ago", D(2021, 6, 5), D(2021, 6, 6)),
        ("a couple of months ago", D(2021, 3, 29), D(2021, 4, 18)),  # 56-62 days back, give or take a week
        ("last week", D(2021, 5, 23), D(2021, 5, 30)),  # Monday-Sunday week before, plus the Sunday before it
        ("earlier this month", D(2021, 6, 1), D(2021, 6, 6)),
        ("over the weekend", D(2021, 6, 4), D(2021, 6, 6)),
    ],
)
def test_relative_to_publication(expr, earliest, latest):
    (hit,) = find_dates(expr, parse_published("2021-06-06"))
    assert hit.relative_to == "publication" and hit.offset_days is None
    assert span(hit.interval) == (earliest, latest)


def test_months_ago_count_from_the_day_not_the_calendar_month():
    # 'Matt Anderson, 15, died nearly 6 months ago, on March 1' in an article of August 25.
    iv = r("6 months ago", "2014-08-25")
    assert iv.earliest <= D(2014, 3, 1) <= iv.latest
    assert span(iv) == (D(2014, 2, 13), D(2014, 3, 17))


def test_last_week_from_a_monday():
    assert span(r("last week", "2021-06-07")) == (D(2021, 5, 30), D(2021, 6, 6))


def test_relative_month_anchor_is_a_hull():
    assert span(r("yesterday", "2021-06")) == (D(2021, 5, 31), D(2021, 6, 29))


@pytest.mark.parametrize("expr", ["yesterday", "last night", "two days ago", "last week", "last month", "today",
                                  "this year", "in April", "May 8", "on Sunday"])
def test_unknown_anchor_never_guesses(expr):
    iv = r(expr, None)
    assert iv.earliest is None and iv.latest is None and iv.precision == "unknown"


# ---------------------------------------------------------------- relative to context
@pytest.mark.parametrize(
    "expr, offsets",
    [
        ("A day earlier", (-1, -1)),
        ("Several hours earlier", (-1, 0)),
        ("Several hours before", (-1, 0)),
        ("hours before", (-1, 0)),
        ("hours after", (0, 1)),
        ("the day before", (-1, -1)),
        ("a day after", (1, 1)),
        ("two days later", (2, 2)),
        ("a week later", (6, 8)),
        ("the next day", (1, 1)),
        ("the previous night", (-1, 0)),
        ("later that day", (0, 0)),
        ("48 hours earlier", (-2, -2)),
        ("one month after", (28, 31)),
    ],
)
def test_relative_to_context(expr, offsets):
    (hit,) = find_dates(expr, parse_published("2021-06-06"))
    assert hit.relative_to == "context" and hit.offset_days == offsets and hit.text == expr
    assert not hit.interval.is_known
    assert not resolve_date(expr, parse_published("2021-06-06")).is_known


def test_day_without_count_is_not_context():
    assert texts("day after day") == []


@pytest.mark.parametrize("text", ["They found a silver 2002 GMC Yukon in the ditch.",
                                  'won Record of the Year, and "1989," by Taylor Swift, won Album of the Year.'])
def test_model_years_and_quoted_titles_are_no_dates(text):
    assert texts(text) == []


def test_a_year_before_a_lower_case_word_is_a_date():
    assert texts("He was convicted in 2002 of robbery.") == ["2002"]


# ---------------------------------------------------------------- whole texts
def test_find_dates_sample_002():
    text = (SAMPLE / "002_4c7e3fdeb47d7b12.txt").read_text()
    anchor = parse_published("06 June 2021 - 21:44")
    hits = {h.text: h for h in find_dates(text, anchor)}
    assert span(hits["late Saturday"].interval) == (D(2021, 6, 5), D(2021, 6, 6))
    assert span(hits["Sunday"].interval) == (D(2021, 6, 6), D(2021, 6, 6))
    assert hits["A day earlier"].offset_days == (-1, -1)
    assert span(hits["April 8"].interval) == (D(2021, 4, 8), D(2021, 4, 8))
    assert not any(h.text in ("0015", "21:15", "90946") for h in hits.values())


def test_find_dates_sample_000_month_anchor():
    text = (SAMPLE / "000_7205b53a5370c69c.txt").read_text()
    hits = find_dates(text, parse_published("2021-06"))
    by_text = {h.text: h for h in hits}
    assert span(by_text["May 8"].interval) == (D(2021, 5, 8), D(2021, 5, 8))
    assert by_text["Sunday"].interval.weekday == SUN
    assert by_text["Several hours earlier"].offset_days == (-1, 0)
    assert span(by_text["December 2011"].interval) == (D(2011, 12, 1), D(2011, 12, 31))


def test_find_dates_sample_001_undated():
    text = (SAMPLE / "001_30bd4df8f24fa5f0.txt").read_text()
    hits = find_dates(text, UNKNOWN)
    by_text = {h.text: h for h in hits}
    assert by_text["Sunday"].interval.weekday == SUN and not by_text["Sunday"].interval.is_known
    assert not by_text["Last year"].interval.is_known
    assert by_text["May 8"].interval.month_day == (5, 8)
    assert "2,500" not in by_text and "39" not in by_text


def check_mentions(text: str, hits: list[DateMention]) -> None:
    last_end = 0
    for h in hits:
        assert text[h.start:h.end] == h.text and h.text
        assert h.start >= last_end  # sorted, non-overlapping
        last_end = h.end
        assert h.relative_to in ("publication", "context")
        assert (h.offset_days is not None) == (h.relative_to == "context")
        iv = h.interval
        if iv.earliest is not None and iv.latest is not None:
            assert iv.earliest <= iv.latest


@pytest.mark.parametrize("published", [None, "2021-06-06", "2021-06", "2021", "2022-01-01"])
def test_find_dates_invariants_on_samples(published):
    for path in sorted(SAMPLE.glob("*.txt")):
        text = path.read_text()
        check_mentions(text, find_dates(text, parse_published(published)))


# ---------------------------------------------------------------- robustness
_ALPHABET = "abcdefghijklmnopqrstuvwxyzSMTWFJADNO0123456789 ,.:-/'’()%$#\n"
_WORDS = ["Sunday", "late", "Saturday", "night", "May", "8", "2021", "June", "15,", "last", "year", "week", "a",
          "day", "earlier", "hours", "before", "ago", "since", "the", "2,500", "0015", "21:15", "Aug.", "Feb", "29",
          "31", "on", "in", "2014-2017", "yesterday", "Tuesday,", "August", "27,", "2015", "next", "this", "past"]
_ANCHORS = [UNKNOWN, parse_published("2021-06-06"), parse_published("2021-06"), parse_published("2021"),
            parse_published("2000-02-29"), DateInterval(dt.date(1, 1, 1), dt.date(1, 1, 1), "day"),
            DateInterval(dt.date(9999, 12, 31), dt.date(9999, 12, 31), "day"), DateInterval(dt.date(2021, 1, 1))]


def test_random_strings_never_raise():
    rng = random.Random(1234)
    for i in range(1500):
        if i % 2:
            text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 60)))
        else:
            text = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 10)))
        anchor = _ANCHORS[i % len(_ANCHORS)]
        check_mentions(text, find_dates(text, anchor))
        for iv in (resolve_date(text, anchor), parse_published(text)):
            assert iv.earliest is None or iv.latest is None or iv.earliest <= iv.latest
        for h in find_dates(text, anchor):
            if h.offset_days:
                shift_interval(anchor, h.offset_days)
            dates_compatible(h.interval, anchor)


@settings(max_examples=200, deadline=None, database=None)
@given(st.text(max_size=80), st.sampled_from(_ANCHORS))
def test_hypothesis_text_never_raises(text, anchor):
    check_mentions(text, find_dates(text, anchor))
    iv = parse_published(text)
    assert iv.earliest is None or iv.latest is None or iv.earliest <= iv.latest


# ---------------------------------------------------------------- corpus sanity (skipped when absent)
@pytest.mark.skipif(not (GVC / "articles.jsonl").exists(), reason="GVC dev corpus not available")
def test_gvc_dev_true_date_usually_inside_a_hit():
    incidents = {}
    for line in (GVC / "incidents.jsonl").read_text().splitlines():
        record = json.loads(line)
        incidents[record["incident_id"]] = dt.date.fromisoformat(record["date"])
    articles = [json.loads(line) for line in (GVC / "articles.jsonl").read_text().splitlines()]
    inside = 0
    for article in articles:
        true = incidents[article["incident_id"]]
        hits = find_dates(article["text"], parse_published(article["published"]))
        inside += any(h.interval.is_known and h.interval.earliest <= true <= h.interval.latest for h in hits)
    assert inside >= 0.85 * len(articles)


# ---------------------------------------------------------------- holidays (data/holidays.yml)
def holiday_hits(text: str, published: str) -> list[tuple[str, str | None, str | None]]:
    return [(h.text, str(h.interval.earliest) if h.interval.earliest else None,
             str(h.interval.latest) if h.interval.latest else None) for h in find_dates(text, parse_published(published))]


def test_a_holiday_is_its_latest_day_before_the_publication():
    assert holiday_hits("shot in the early morning hours of Easter Sunday", "2015-04-06") == [
        ("Easter Sunday", "2015-04-05", "2015-04-05")]
    # New Year's Eve told on January 5 is the last day of the year before
    assert holiday_hits("A man wounded by a stray bullet on New Year’s Eve is home", "2017-01-05") == [
        ("New Year’s Eve", "2016-12-31", "2016-12-31")]
    assert holiday_hits("He died on Martin Luther King Jr. Day", "2017-01-20") == [
        ("Martin Luther King Jr. Day", "2017-01-16", "2017-01-16")]


def test_a_holiday_night_and_weekend_span_days():
    assert holiday_hits("killed Thanksgiving night", "2015-11-30") == [("Thanksgiving night", "2015-11-26", "2015-11-27")]
    assert holiday_hits("8 killed over the Labor Day weekend", "2015-09-08") == [
        ("Labor Day weekend", "2015-09-04", "2015-09-07")]
    # a weekend still under way when published ends on the publication day
    assert holiday_hits("killed on Memorial Day weekend", "2016-05-28") == [
        ("Memorial Day weekend", "2016-05-27", "2016-05-28")]


def test_a_holiday_name_that_is_often_no_date_needs_a_cue():
    assert texts("She bought Easter eggs for a Christmas party; Black Friday sales") == []
    assert texts("the shooting happened on Christmas") == ["Christmas"]
    assert holiday_hits("and Christmas 2013 too", "2016-01-01") == [("Christmas 2013", "2013-12-25", "2013-12-25")]


def test_a_holiday_in_the_weeks_after_publication_is_a_day_to_come():
    assert holiday_hits("a vigil is planned for Christmas Eve", "2015-12-20") == [("Christmas Eve", None, "2015-12-24")]
