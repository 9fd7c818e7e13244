"""How reports' dates combine into one: the days both allow, less strictly around midnight.

A night ('late Sunday night', [Sunday, Monday]) that another report or clause narrows to its second
day ('at 1 a.m. Monday', 'early Monday') may still be dated by its first: reports and registries date
a shooting around midnight by either day (on gva_pool dev the earlier 7 times in 18).
"""

from __future__ import annotations

import datetime as dt

from .dates import intersect_dates
from .models import DateInterval

_ONE = dt.timedelta(days=1)


def is_night_before(date: DateInterval, day: dt.date) -> bool:
    """`date` is the night that ends on `day` ([day - 1, day])."""
    return date.earliest == day - _ONE and date.latest == day


def narrow_dates(a: DateInterval, b: DateInterval) -> DateInterval | None:
    """The days both dates allow (None when none), where a night narrowed to its second day keeps both."""
    both = intersect_dates(a, b)
    if both is None or both.earliest is None or both.earliest != both.latest:
        return both
    if is_night_before(a, both.earliest) or is_night_before(b, both.earliest):
        return DateInterval(both.earliest - _ONE, both.earliest, "day", text=both.text)
    return both
