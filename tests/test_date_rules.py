"""How reports' dates combine: the days both allow, a night keeping both its days."""

from __future__ import annotations

import datetime as dt

from dedupe.date_rules import narrow_dates
from dedupe.models import DateInterval

SAT, SUN = 5, 6


def night(day: dt.date, weekday: int, text: str) -> DateInterval:
    return DateInterval(day, day + dt.timedelta(days=1), "day", weekday, text=text)


def one_day(day: dt.date, weekday: int, text: str) -> DateInterval:
    return DateInterval(day, day, "day", weekday, text=text)


def test_a_night_narrowed_to_its_second_day_keeps_both_days() -> None:
    # 'Two men were shot late Saturday night outside a bar.' ... 'at about 12:15 a.m. Sunday.'
    saturday_night = night(dt.date(2015, 8, 22), SAT, "late Saturday night")
    sunday = one_day(dt.date(2015, 8, 23), SUN, "Sunday")
    for a, b in ((saturday_night, sunday), (sunday, saturday_night)):
        got = narrow_dates(a, b)
        assert got is not None and (got.earliest, got.latest) == (dt.date(2015, 8, 22), dt.date(2015, 8, 23))


def test_a_night_narrowed_to_its_first_day_or_two_days_stay_as_intersected() -> None:
    saturday_night = night(dt.date(2015, 8, 22), SAT, "Saturday night")
    saturday = one_day(dt.date(2015, 8, 22), SAT, "Saturday afternoon")
    got = narrow_dates(saturday_night, saturday)
    assert got is not None and (got.earliest, got.latest) == (dt.date(2015, 8, 22), dt.date(2015, 8, 22))
    sunday = one_day(dt.date(2015, 8, 23), SUN, "Sunday")
    assert narrow_dates(sunday, one_day(dt.date(2015, 8, 23), SUN, "early Sunday")) == sunday
    assert narrow_dates(sunday, saturday) is None
