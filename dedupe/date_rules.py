"""How reports' dates combine into one: the days both allow, less strictly around midnight.

A night ('late Sunday night', [Sunday, Monday]) that another report or clause narrows to its second
day ('at 1 a.m. Monday', 'early Monday') may still be dated by its first: reports and registries date
a shooting around midnight by either day (on gva_pool dev the earlier 7 times in 18). A lead that only
places the incident in a week or a month takes the day its article tells further down.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from .date_intervals import intersect_dates
from .date_phrases import TIME_PATTERN
from .dates import DateMention
from .models import DateInterval

_ONE = dt.timedelta(days=1)
# A day told with its hour or part of day, or by its calendar date ('about 8 p.m. Saturday', 'early
# Sunday', 'Feb. 6'): how a report tells the incident's own day, not the day of a later post or statement.
_PART_OF_DAY = re.compile(r"\b(?:morning|afternoon|evening|night|overnight|early|late|noon|midnight|dawn)\b"
                          r"|\d|(?-i:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)", re.I)


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


def tells_the_hour(date_text: str | None, sentence: str) -> bool:
    """The day is told as a calendar date or with its part of day, or its sentence gives the hour."""
    return bool(date_text and _PART_OF_DAY.search(date_text)) or TIME_PATTERN.search(sentence) is not None


def narrow_by_asides(date: DateInterval, asides: list[DateInterval]) -> DateInterval:
    """A lead's week or month ('shot last week', 'over the weekend', 'killed in February') narrowed to
    the day the article's later passages give within it ('The shooting occurred Feb. 6'): a follow-up
    names the incident's day in its body when its opening only places it. Only when every such day
    agrees: two different days in the span are two events, and the lead's span is all there is. A
    bound ('died Thursday morning') likewise, by a day told on its very day."""
    if not is_coarse(date):
        return date
    days = [d for d in asides if d.earliest is not None and d.latest is not None and not is_coarse(d)
            and intersect_dates(date, d) is not None]
    if date.earliest is None and date.latest is not None:
        # A bound ('died Thursday morning') taken for the day only when a passage tells the incident on
        # that very day ('called just before 8 a.m. Thursday'): an earlier day there is an earlier event.
        days = [d for d in days if d.earliest <= date.latest <= d.latest]
    narrowed: DateInterval | None = date
    for d in days:
        narrowed = narrow_dates(narrowed, d) if narrowed is not None else None
    return narrowed if narrowed is not None and not is_coarse(narrowed) else date


def is_coarse(date: DateInterval) -> bool:
    """Longer than a night's two days (or open): no day of its own."""
    return date.earliest is None or date.latest is None or (date.latest - date.earliest).days > 1


def keep_the_night(date: DateInterval, dated: list[DateInterval]) -> DateInterval:
    """A night's report ('late Sunday night', [Sunday, Monday]) narrowed to its second day by
    another ('early Monday') keeps both: reports and registries date a shooting around midnight
    by either day (on gva_pool dev the earlier 7 times in 18)."""
    day = date.earliest
    if day is None or date.latest != day:
        return date
    if any(is_night_before(d, day) for d in dated):
        return DateInterval(day - _ONE, day, "day", text=date.text)
    return date


def in_link_line(text: str, at: int, link_line: re.Pattern[str]) -> bool:
    """The position lies on a line that links to another story ('RELATED: Man shot Tuesday ...')."""
    start = text.rfind("\n", 0, at) + 1
    return link_line.match(text, start) is not None


_POST_STAMP_BEFORE = re.compile(r"\(@\w{1,30}\)\s*$")


def date_post_stamps(text: str, dates: list[DateMention]) -> list[DateMention]:
    """An embedded post's stamp ('— Joe Smith (@jsmith) March 21, 2017') is when it went up: the
    incident's day, or the night before it when the post came after midnight."""
    return [replace(d, interval=DateInterval(d.interval.latest - _ONE, d.interval.latest, "day", text=d.interval.text))
            if d.interval.precision == "day" and d.interval.latest is not None
            and _POST_STAMP_BEFORE.search(text, 0, d.start) else d for d in dates]
