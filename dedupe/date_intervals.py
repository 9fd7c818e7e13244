"""Date intervals compared and moved: the days two dates both allow, and a date moved by day offsets.

A date is an interval of days (either end may be open) that may also pin a weekday or a month-day:
'on Sunday' in an undated article is any Sunday, 'May 8' without a year any May 8. Two dates can be
one day only when some day lies in both intervals and fits both constraints ('on Sunday' and 'on
Tuesday' never can; an undated 'May 8' and June 2021 never can). Matching, clustering and the
canonical record compare dates this way without reading any text, which dedupe.dates does.
"""

from __future__ import annotations

import datetime as dt

from .models import DateInterval

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_RANKS = ("day", "week", "month", "year")


def weekday_name(d: int) -> str:
    return WEEKDAYS[d % 7]


def make_date(y: int, m: int, d: int) -> dt.date | None:
    """The day, or None when the calendar has none ('February 30', 'April 31')."""
    try:
        return dt.date(y, m, d)
    except (ValueError, OverflowError):
        return None


def measure_precision(lo: dt.date | None, hi: dt.date | None) -> str:
    """How wide [lo, hi] is, named: a night's two days are still a 'day', a fortnight's hull a 'month'."""
    if lo is None or hi is None:
        return "unknown"
    n = (hi - lo).days + 1
    return "day" if n <= 2 else "week" if n <= 10 else "month" if n <= 62 else "year"


def _shift_md(md: tuple[int, int] | None, days: int) -> tuple[int, int] | None:
    if md is None:
        return None
    shifted = set()
    for y in (2001, 2004):  # a common and a leap year: keep the result only if both agree
        x = make_date(y, *md)
        if x is None:
            continue
        x += dt.timedelta(days=days)
        shifted.add((x.month, x.day))
    return shifted.pop() if len(shifted) == 1 else None


def shift_interval(base: DateInterval, offset_days: tuple[int, int]) -> DateInterval:
    """`base` moved by a range of day offsets (for 'a day earlier', 'several hours before', ...)."""
    lo_off, hi_off = sorted(offset_days)
    try:
        lo = base.earliest + dt.timedelta(days=lo_off) if base.earliest is not None else None
        hi = base.latest + dt.timedelta(days=hi_off) if base.latest is not None else None
    except OverflowError:
        return DateInterval(text=base.text)
    exact = lo_off == hi_off
    weekday = (base.weekday + lo_off) % 7 if exact and base.weekday is not None else None
    month_day = _shift_md(base.month_day, lo_off) if exact else None
    precision = measure_precision(lo, hi)
    if base.precision in _RANKS and precision in _RANKS:
        precision = max(precision, base.precision, key=_RANKS.index)
    return DateInterval(lo, hi, precision, weekday, month_day, base.text)


def allowed_weekdays(a: DateInterval) -> set[int] | None:
    """Weekdays a side allows: a late-night interval ([X, X+1], ends the day after its weekday) allows X+1 too."""
    if a.weekday is None:
        return None
    if a.latest is not None and a.latest.weekday() == (a.weekday + 1) % 7:
        return {a.weekday, (a.weekday + 1) % 7}
    return {a.weekday}


def intersect_dates(a: DateInterval, b: DateInterval) -> DateInterval | None:
    """The days both intervals allow, or None when they cannot be the same day."""
    los = [x for x in (a.earliest, b.earliest) if x is not None]
    his = [x for x in (a.latest, b.latest) if x is not None]
    lo, hi = max(los, default=None), min(his, default=None)
    if lo is not None and hi is not None and lo > hi:
        return None
    wa, wb = allowed_weekdays(a), allowed_weekdays(b)
    allowed = wa & wb if wa is not None and wb is not None else wa if wa is not None else wb
    if allowed is not None and not allowed:
        return None
    if a.month_day and b.month_day and a.month_day != b.month_day:
        return None
    month_day = a.month_day or b.month_day
    if lo is not None and hi is not None and (allowed is not None or month_day):
        if month_day:
            days = [x for y in range(lo.year, hi.year + 1) if (x := make_date(y, *month_day)) and lo <= x <= hi]
        else:
            days = [lo + dt.timedelta(days=i) for i in range(min(14, (hi - lo).days + 1))]
            days += [hi - dt.timedelta(days=i) for i in range(min(14, (hi - lo).days + 1))]
        days = sorted(x for x in days if allowed is None or x.weekday() in allowed)
        if not days:
            return None
        lo, hi = days[0], days[-1]
    weekday = None
    if allowed is not None:
        weekday = next(iter(allowed)) if len(allowed) == 1 else a.weekday if a.weekday is not None else b.weekday
        if lo is not None and lo == hi:
            weekday = lo.weekday()
    return DateInterval(lo, hi, measure_precision(lo, hi), weekday, month_day, a.text or b.text)


def dates_compatible(a: DateInterval, b: DateInterval) -> bool:
    return intersect_dates(a, b) is not None
