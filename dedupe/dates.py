"""Dates in news text: publication dates and date mentions, resolved to intervals of days.

Everything is resolved against the article's publication date (the *anchor*), never against the
real current date, so results are deterministic. An anchor may be a day, a month, a year or unknown:
a relative rule g(day) -> (lo, hi) is applied to the first and the last day of the anchor and the
hull is kept, e.g. 'on Sunday' in a June 2021 article is every Sunday from May 30 to June 27.
With an unknown anchor relative phrases give an unknown interval that keeps only the weekday /
month-day constraint. Context-relative phrases ('a day earlier') carry day offsets instead.
The phrases and the rule each stands for are in dedupe.date_phrases; comparing and moving the
intervals ('the days both allow', 'a day earlier than that') is dedupe.date_intervals'.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from .date_intervals import make_date, measure_precision
from .date_phrases import PATTERNS, TIME_PATTERN, read_rule, select_patterns
from .holidays import holiday_day
from .models import DateInterval

_ONE = dt.timedelta(days=1)


# ---------------------------------------------------------------- public types and helpers
@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    interval: DateInterval
    relative_to: str  # 'publication' (resolved against the anchor) or 'context' (previous event in the text)
    offset_days: tuple[int, int] | None  # day offsets from the context event, for relative_to='context'


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _add_months(d: dt.date, n: int) -> tuple[int, int]:
    k = d.year * 12 + d.month - 1 + n
    return k // 12, k % 12 + 1


def _make(lo, hi, text="", weekday=None, month_day=None, precision=None) -> DateInterval:
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    return DateInterval(lo, hi, precision or measure_precision(lo, hi), weekday, month_day, text)


# ---------------------------------------------------------------- parse_published
@lru_cache(maxsize=1)
def _parser():
    from dateparser.date import DateDataParser  # slow import: only when needed

    return DateDataParser(languages=["en"], settings={
        "RELATIVE_BASE": dt.datetime(2000, 1, 1), "PREFER_DAY_OF_MONTH": "first", "RETURN_TIME_AS_PERIOD": True,
        "RETURN_AS_TIMEZONE_AWARE": True, "REQUIRE_PARTS": ["year"]})


@lru_cache(maxsize=4096)
def parse_published(value: str | None) -> DateInterval:
    """An article's publication date as a day, month or year interval (unknown if unparseable)."""
    if not isinstance(value, str) or not value.strip():
        return DateInterval()
    text = value.strip()[:200]
    iso = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?|(\d\d)(\d\d))?(?:[T ][\d:.+\-Z ]*)?", text)
    if iso:
        y, m, d = (int(x) if x else None for x in (iso[1], iso[2] or iso[4], iso[3] or iso[5]))
        if not 1800 <= y <= 2200 or (m and not make_date(y, m, d or 1)):
            return DateInterval(text=text)
        if d:
            return _make(make_date(y, m, d), make_date(y, m, d), text, precision="day")
        if m:
            return _make(dt.date(y, m, 1), _month_end(y, m), text, precision="month")
        return _make(dt.date(y, 1, 1), dt.date(y, 12, 31), text, precision="year")
    if not re.search(r"(?<!\d)(?:1[89]|2[012])\d\d(?!\d)", text):
        return DateInterval(text=text)  # no year: refuse to fill it from anywhere
    try:
        data = _parser().get_date_data(text)
    except Exception:  # dateparser raises assorted errors on odd input
        data = None
    got = data.date_obj.date() if data is not None and data.date_obj is not None else None
    if got is not None and 1800 <= got.year <= 2200 and str(got.year) in text:  # else filled from elsewhere
        period = {"time": "day"}.get(data.period, data.period)
        month_name = calendar.month_name[got.month][:3]
        if period == "day" and not re.search(rf"(?<!\d)0?{got.day}(?:st|nd|rd|th)?(?!\d)", text):
            period = "month"  # '2021 at 10am' is no day
        if period in ("day", "month") and not re.search(rf"(?<!\d)0?{got.month}(?!\d)|{month_name}", text, re.I):
            period = "year"
        if period == "day":
            return _make(got, got, text, precision="day")
        if period == "month":
            return _make(got.replace(day=1), _month_end(got.year, got.month), text, precision="month")
        if period == "year":
            return _make(dt.date(got.year, 1, 1), dt.date(got.year, 12, 31), text, precision="year")
    if any(read_rule("mdy", m) is None for pattern, _ in PATTERNS[:2] for m in pattern.finditer(text)):
        return DateInterval(text=text)  # '31 February 2021': impossible, not 'February 2021'
    for hit in find_dates(text, DateInterval()):  # e.g. 'Publish Date : 06 June 2021 - 21:44'
        if hit.interval.is_known:
            return replace(hit.interval, text=text)
    return DateInterval(text=text)


# ---------------------------------------------------------------- rules
def _recent_weekday(day: dt.date, w: int, strict: bool = False) -> dt.date:
    back = (day.weekday() - w) % 7
    return day - dt.timedelta(days=7 if strict and back == 0 else back)


def _day_rule(rule: tuple, day: dt.date) -> tuple[dt.date, dt.date]:
    """Interval for a publication-relative rule when the article was published on `day`."""
    kind = rule[0]
    if kind == "rel":
        return day + dt.timedelta(days=rule[1]), day + dt.timedelta(days=rule[2])
    if kind == "wd":  # ('wd', weekday, mode, night)
        if rule[2] == "next":
            x = day + dt.timedelta(days=(rule[1] - day.weekday() - 1) % 7 + 1)
        else:
            x = _recent_weekday(day, rule[1], strict=rule[2] == "last")
        return x, x + dt.timedelta(days=1 if rule[3] else 0)
    if kind == "md":  # most recent such month-day on or before the day (leap days: look further back)
        for y in range(day.year, day.year - 9, -1):
            x = make_date(y, rule[1], rule[2])
            if x and x <= day:
                return x, x
        raise ValueError("no such day")
    if kind == "m":  # ('m', month, strict): most recent such month, the current one unless strict
        y = day.year if rule[1] < day.month or (rule[1] == day.month and not rule[2]) else day.year - 1
        return dt.date(y, rule[1], 1), _month_end(y, rule[1])
    if kind == "months":  # calendar months relative to the day's month
        (y0, m0), (y1, m1) = _add_months(day, rule[1]), _add_months(day, rule[2])
        return dt.date(y0, m0, 1), _month_end(y1, m1)
    if kind == "years":
        return dt.date(day.year + rule[1], 1, 1), dt.date(day.year + rule[2], 12, 31)
    if kind == "week":  # calendar week (Monday-Sunday), one day earlier too for Sunday-start weeks
        monday = day - dt.timedelta(days=day.weekday()) + dt.timedelta(days=7 * rule[1])
        return monday - _ONE, monday + dt.timedelta(days=6)
    if kind == "weekend":  # Friday-Sunday of the latest weekend before the day ('last' also the one before)
        fri = _recent_weekday(day - _ONE, 4)
        lo = fri - dt.timedelta(days=7) if rule[1] < 0 and day.weekday() >= 5 else fri
        return lo, max(lo, min(fri + dt.timedelta(days=2), day))
    if kind == "season":  # ('season', first month, strict): the latest such three months, begun by the day
        y = day.year if rule[1] <= day.month else day.year - 1
        (ey, em) = _add_months(dt.date(y, rule[1], 1), 2)
        if rule[2] and _month_end(ey, em) >= day:  # 'last summer' in August is the one before
            y, ey = y - 1, ey - 1
        return dt.date(y, rule[1], 1), _month_end(ey, em)
    if kind == "todate":
        start = {"week": day - dt.timedelta(days=day.weekday()), "month": day.replace(day=1),
                 "year": day.replace(month=1, day=1)}[rule[1]]
        return start, day
    if kind == "past":
        return day - dt.timedelta(days=rule[1]), day
    if kind == "holiday":  # ('holiday', day rule, None, first, last): the latest one begun by the day
        for y in (day.year, day.year - 1):
            x = holiday_day(rule[1], y)
            first, last = x + dt.timedelta(days=rule[3]), x + dt.timedelta(days=rule[4])
            if first <= day:  # a weekend still under way ends on the day
                return first, max(first, min(last, day))
        raise ValueError("no such day")
    raise ValueError(kind)


@lru_cache(maxsize=8192)
def _resolve_rule(rule: tuple, lo: dt.date | None, hi: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """(earliest, latest) of `rule` for an anchor interval [lo, hi]; (None, None) when it cannot be known."""
    try:
        kind = rule[0]
        if kind == "day":
            return (x := dt.date(*rule[1:])), x
        if kind == "month":
            return dt.date(rule[1], rule[2], 1), _month_end(rule[1], rule[2])
        if kind == "year":
            return dt.date(rule[1], 1, 1), dt.date(rule[1], 12, 31)
        if kind == "holiday" and rule[2] is not None:  # 'Christmas 2015'
            x = holiday_day(rule[1], rule[2])
            return x + dt.timedelta(days=rule[3]), x + dt.timedelta(days=rule[4])
        if kind == "since":  # from the start of the inner interval up to the publication date
            start, end = _resolve_rule(rule[1], lo, hi)
            if start is None:
                return None, None
            return start, (hi if hi >= start else end) if hi is not None else None
        if lo is None or hi is None:
            return None, None
        a, b = _day_rule(rule, lo), _day_rule(rule, hi)
        return min(a[0], b[0]), max(a[1], b[1])
    except (ValueError, OverflowError, KeyError, TypeError):
        return None, None


def _interval_for(rule: tuple, weekday: int | None, anchor: DateInterval, text: str) -> DateInterval:
    lo, hi = _resolve_rule(rule, anchor.earliest, anchor.latest)
    if (rule[0] == "wd" and rule[2] == "recent" and anchor.precision == "day" and lo is not None
            and (anchor.latest - lo).days == 6 and anchor.latest < dt.date.max):
        # The day after the publication date, named bare ('classes resumed Wednesday' in a Tuesday
        # article): a day still to come, or a record dated a day early, far more often than last week's.
        return _make(None, anchor.latest + _ONE, text, precision="unknown")
    if rule[0] == "md" and anchor.precision == "day" and (ahead := _next_month_day(rule[1:], anchor.latest)):
        # A month-day in the weeks after the publication ('a hearing is scheduled for Aug. 17', 'UPDATE July 16'
        # in a July 15 article) is a day to come, or the record is dated early: never last year's.
        return _make(None, ahead, text, precision="unknown")
    if rule[0] == "md" and weekday is not None and lo is not None and lo == hi and lo.weekday() != weekday:
        # 'Monday, Nov. 15' when the 15th is a Tuesday: without a year to settle it, either is the slip.
        near = next(lo + dt.timedelta(days=k) for k in range(-3, 4) if (lo.weekday() + k) % 7 == weekday)
        return _make(min(lo, near), max(lo, near), text)
    if rule[0] == "holiday" and rule[2] is None and anchor.precision == "day" and anchor.latest is not None:
        ahead = [x for y in (anchor.latest.year, anchor.latest.year + 1)
                 if 0 < ((x := holiday_day(rule[1], y)) + dt.timedelta(days=rule[3]) - anchor.latest).days <= 45]
        if ahead:  # as a month-day: 'a vigil on Christmas Eve' in a December 20 article is a day to come
            return _make(None, ahead[0] + dt.timedelta(days=rule[4]), text, precision="unknown")
    month_day = (rule[1], rule[2]) if rule[0] == "md" else None
    if month_day and weekday is not None and lo is not None and hi is not None:  # 'Sunday, June 6': keep years that fit
        fits = [x for y in range(lo.year, hi.year + 1) if (x := make_date(y, *month_day)) and lo <= x <= hi
                and x.weekday() == weekday]
        lo, hi, weekday = (fits[0], fits[-1], weekday) if fits else (lo, hi, None)
    if lo is not None and hi is not None and lo == hi and weekday is not None and lo.weekday() != weekday:
        weekday = None
    return _make(lo, hi, text, weekday, month_day)


def _next_month_day(month_day: tuple[int, int], day: dt.date, within: int = 45) -> dt.date | None:
    """The first such month-day after `day` when it comes within `within` days, else None."""
    for y in (day.year, day.year + 1):
        x = make_date(y, *month_day)
        if x is not None and 0 < (x - day).days <= within:
            return x
    return None


# ---------------------------------------------------------------- public API
def find_dates(text: str, anchor: DateInterval) -> list[DateMention]:
    """Every date expression in `text` (a sentence), sorted by offset and non-overlapping."""
    if not isinstance(text, str) or not text:
        return []
    anchor = anchor if isinstance(anchor, DateInterval) else DateInterval()
    candidates = select_patterns(text)
    if not candidates:
        return []
    times = [(m.start(), m.end()) for m in TIME_PATTERN.finditer(text)]
    found = []
    for priority in candidates:
        pattern, kind = PATTERNS[priority]
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in times):
                continue
            try:
                got = read_rule(kind, m)
            except (ValueError, KeyError, TypeError, OverflowError):
                got = None
            if got is not None:
                found.append((m.start("mon") if kind == "m" else m.start(), m.end(), priority, got))
    found.sort(key=lambda f: (-(f[1] - f[0]), f[2], f[0]))
    chosen: list[tuple] = []
    for f in found:
        if all(f[1] <= c[0] or c[1] <= f[0] for c in chosen):
            chosen.append(f)
    out = []
    for start, end, _, (rule, weekday, offsets) in sorted(chosen, key=lambda c: c[0]):
        if offsets is None and (since := _SINCE.search(text, max(0, start - 40), start)):
            start, rule, weekday = since.start(), ("since", rule), None
        span = text[start:end]
        if offsets is not None:
            out.append(DateMention(start, end, span, DateInterval(text=span), "context", tuple(offsets)))
        else:
            out.append(DateMention(start, end, span, _interval_for(rule, weekday, anchor, span), "publication", None))
    return _join_ranges(text, out)


_SINCE = re.compile(r"\bsince\s+(?:the\s+(?:start|beginning)\s+of\s+)?$", re.I)
_RANGE_OPEN = re.compile(r"\b(?:between|from)\s+$", re.I)
_RANGE_JOIN = re.compile(r"\s+(?:and|to|through|until|till)\s+", re.I)


def _join_ranges(text: str, dates: list[DateMention]) -> list[DateMention]:
    """'between late Friday afternoon and Monday morning', 'from Feb. 2 to Feb. 7': one span of both."""
    out: list[DateMention] = []
    for d in dates:
        a = out[-1] if out else None
        if (a is not None and a.relative_to == d.relative_to == "publication" and a.interval.is_known
                and d.interval.is_known and _RANGE_JOIN.fullmatch(text, a.end, d.start)
                and _RANGE_OPEN.search(text, max(0, a.start - 12), a.start)):
            lo, hi = min(a.interval.earliest, d.interval.earliest), max(a.interval.latest, d.interval.latest)
            span = text[a.start:d.end]
            out[-1] = DateMention(a.start, d.end, span, _make(lo, hi, span), "publication", None)
            continue
        out.append(d)
    return out


def resolve_date(expression: str, anchor: DateInterval) -> DateInterval:
    """One date expression against the article's publication date (unknown if context-relative)."""
    hits = [h for h in find_dates(expression, anchor) if h.relative_to == "publication"]
    if hits:
        return max(hits, key=lambda h: h.end - h.start).interval
    if isinstance(expression, str) and re.search(r"\d{4}", expression):
        return parse_published(expression)  # dateparser for the remaining absolute formats
    return DateInterval(text=expression if isinstance(expression, str) else "")
