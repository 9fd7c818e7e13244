"""Date intervals compared and moved: intersect_dates, dates_compatible, shift_interval."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe.date_intervals import dates_compatible, intersect_dates, shift_interval
from dedupe.dates import parse_published, resolve_date
from dedupe.models import DateInterval

D = dt.date
UNKNOWN = DateInterval()
SAT, SUN = 5, 6


def r(expression: str, published: str | None) -> DateInterval:
    return resolve_date(expression, parse_published(published))


def span(iv: DateInterval) -> tuple:
    return iv.earliest, iv.latest


def test_shift_interval():
    sunday = r("on Sunday", "2021-06-06")
    iv = shift_interval(sunday, (-1, -1))
    assert span(iv) == (D(2021, 6, 5), D(2021, 6, 5)) and iv.weekday == SAT and iv.precision == "day"
    iv = shift_interval(sunday, (-1, 0))
    assert span(iv) == (D(2021, 6, 5), D(2021, 6, 6)) and iv.weekday is None
    iv = shift_interval(r("on Sunday", None), (-1, -1))  # undated: the weekday still moves
    assert not iv.is_known and iv.weekday == SAT
    assert shift_interval(r("May 8", None), (-1, -1)).month_day == (5, 7)
    assert shift_interval(r("March 1", None), (-1, -1)).month_day is None  # Feb 28 or 29
    iv = shift_interval(r("on Sunday", "2021-06"), (-1, 0))
    assert span(iv) == (D(2021, 5, 29), D(2021, 6, 27)) and iv.precision == "month"
    assert not shift_interval(UNKNOWN, (-1, -1)).is_known


# ---------------------------------------------------------------- intersect / compatible
def test_intersect_disjoint_and_overlap():
    june, july = parse_published("2021-06"), parse_published("2021-07")
    assert intersect_dates(june, july) is None and not dates_compatible(june, july)
    got = intersect_dates(parse_published("2021"), june)
    assert span(got) == (D(2021, 6, 1), D(2021, 6, 30))
    assert dates_compatible(UNKNOWN, june) and dates_compatible(UNKNOWN, UNKNOWN)


def test_intersect_weekday_constraints():
    sunday, tuesday = r("on Sunday", None), r("on Tuesday", None)
    assert intersect_dates(sunday, tuesday) is None  # different weekdays
    assert dates_compatible(sunday, r("Sunday's attack", None))
    assert intersect_dates(sunday, parse_published("2021-06-07")) is None  # a Monday
    got = intersect_dates(sunday, parse_published("2021-06-06"))
    assert span(got) == (D(2021, 6, 6), D(2021, 6, 6)) and got.weekday == SUN
    got = intersect_dates(sunday, parse_published("2021-06"))  # narrowed to the Sundays of June
    assert span(got) == (D(2021, 6, 6), D(2021, 6, 27)) and got.weekday == SUN
    # undated 'on Sunday' vs the 2022-01-04 Tuesday attack: the weekday alone tells them apart
    assert not dates_compatible(sunday, r("on Tuesday", "2022-01-04"))
    assert dates_compatible(r("on Sunday", "2021-06"), r("on Sunday", "2021-06-06"))


def test_intersect_late_night_allows_next_day():
    late = r("late Saturday", "2021-06-06")
    got = intersect_dates(late, parse_published("2021-06-06"))
    assert span(got) == (D(2021, 6, 6), D(2021, 6, 6))
    assert dates_compatible(late, r("on Sunday", None))
    assert dates_compatible(late, r("Saturday", None))
    assert not dates_compatible(late, r("on Friday", None))
    assert not dates_compatible(r("Saturday", "2021-06-06"), parse_published("2021-06-06"))


def test_intersect_month_day_constraints():
    may8, may9 = r("May 8", None), r("May 9", None)
    assert intersect_dates(may8, may9) is None  # different month_day
    assert intersect_dates(may8, parse_published("2021-06")) is None  # month_day not inside the interval
    got = intersect_dates(may8, parse_published("2021"))
    assert span(got) == (D(2021, 5, 8), D(2021, 5, 8))
    year_hull = r("May 8", "2021")  # [2020-05-08, 2021-05-08]
    assert span(intersect_dates(year_hull, r("on Saturday", None))) == (D(2021, 5, 8), D(2021, 5, 8))
    assert intersect_dates(year_hull, r("on Sunday", None)) is None  # neither May 8 is a Sunday
    assert dates_compatible(may8, r("On May 8", "2021-06"))


def test_intersect_open_intervals():
    since = r("since 2014", None)
    assert intersect_dates(since, parse_published("2013")) is None
    assert span(intersect_dates(since, parse_published("2020"))) == (D(2020, 1, 1), D(2020, 12, 31))


_DAYS = st.dates(min_value=D(1990, 1, 1), max_value=D(2030, 12, 31))


def _interval(a, b, weekday, month_day) -> DateInterval:
    if a is not None and b is not None and a > b:
        a, b = b, a
    return DateInterval(a, b, "day", weekday, month_day)


_INTERVALS = st.builds(
    _interval, st.none() | _DAYS, st.none() | _DAYS, st.none() | st.integers(0, 6),
    st.none() | st.sampled_from([(5, 8), (2, 29), (12, 31), (6, 6)]))


@settings(max_examples=300, deadline=None, database=None)
@given(_INTERVALS, _INTERVALS)
def test_hypothesis_intersect_is_symmetric_and_ordered(a, b):
    got = intersect_dates(a, b)
    assert (got is None) == (intersect_dates(b, a) is None)
    if got is not None and got.earliest is not None and got.latest is not None:
        assert got.earliest <= got.latest
        if got.month_day:
            assert (got.earliest.month, got.earliest.day) == got.month_day
