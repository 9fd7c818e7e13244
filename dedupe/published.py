"""Publication dates as article headers and records write them: ISO and slashed
forms, month names, page time stamps, and dateparser for the rest, each read as a
DateInterval with its precision (day, month or year). An impossible date is an
error the caller reports, never a guess.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from .models import DateInterval

# Publication years outside this range are treated as errors, not dates.
MIN_YEAR, MAX_YEAR = 1800, 2100

MONTHS = {name.lower(): i for i in range(1, 13) for name in (calendar.month_name[i], calendar.month_abbr[i])}
MONTHS["sept"] = 9

_ISO = re.compile(
    r"(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?)?"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?|[A-Z]{2,5})?)?"
)
_SLASHED = re.compile(r"(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})")
STAMP_SPLIT = re.compile(r"\s+(?:last\s+)?(?:updated|posted|published)\s*:\s*", re.I)
_DATE_PREFIX = re.compile(
    r"^(?:(?:first\s+)?(?:published|posted|updated|last\s+updated|publish(?:ed)?\s+date|date)\s*(?:on|at)?\s*:?\s*)+",
    re.I,
)


def date_interval(year: int, month: int | None, day: int | None, text: str) -> DateInterval:
    if month is None:
        return DateInterval(dt.date(year, 1, 1), dt.date(year, 12, 31), "year", text=text)
    if day is None:
        last = calendar.monthrange(year, month)[1]
        return DateInterval(dt.date(year, month, 1), dt.date(year, month, last), "month", text=text)
    d = dt.date(year, month, day)
    return DateInterval(d, d, "day", text=text)


def _checked(year: int, month: int | None, day: int | None, text: str) -> tuple[DateInterval, str | None]:
    if month is not None and not 1 <= month <= 12:
        return DateInterval(text=text), f"impossible month {month}"
    if not MIN_YEAR <= year <= MAX_YEAR:
        return DateInterval(text=text), f"implausible year {year}"
    if day is not None and month is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return DateInterval(text=text), "impossible day of month"
    return date_interval(year, month, day, text), None


def parse_date_text(value: str) -> tuple[DateInterval, str | None]:
    """Parse a publication date string. Returns (interval, problem); problem is None when it parsed.

    The precision is what the string states: '2021' -> year, 'June 2021' -> month,
    '06 June 2021 - 21:44' -> day. Missing parts are never filled from today's date,
    and times/zones are ignored (the calendar day as written is kept).
    """
    text = " ".join(value.split())
    if not text:
        return DateInterval(), None
    core = _DATE_PREFIX.sub("", text).strip(" ,|")
    m = _ISO.fullmatch(core)
    if m:
        return _checked(
            int(m["y"]),
            int(m["m"]) if m["m"] else None,
            int(m["d"]) if m["d"] else None,
            text,
        )
    m = _SLASHED.fullmatch(core)
    if m:
        a, b = int(m["a"]), int(m["b"])
        # '06.07.2021' is European day.month; '06/07/2021' follows the US month/day order.
        day, month = (a, b) if m["sep"] == "." else (b, a)
        return _checked(int(m["y"]), month, day, text)
    if not re.search(r"\d", core):
        return DateInterval(text=text), "no year in date"
    core = STAMP_SPLIT.split(core, maxsplit=1)[0]  # 'Nov 27, 2005 8:20 AM ET Last Updated: …'
    core = re.sub(r"\s+(?:last\s+)?updated\s*$", "", core, flags=re.I)
    interval, problem = _dateparser_parse(core, text)
    if problem is not None:
        # a date inside a longer stamp: '1052 GMT (1852 HKT), April 10, 2007'
        for m in _DATE_IN_TEXT.finditer(core):
            found, found_problem = _dateparser_parse(m.group(0), text)
            if found_problem is None:
                return found, None
    return interval, problem


_MONTH_RE = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE_IN_TEXT = re.compile(
    rf"\b(?:{_MONTH_RE}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH_RE},?\s+\d{{4}}"
    r"|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4})\b",
    re.I,
)


_DP_CACHE: dict[str, tuple[DateInterval, str | None]] = {}
_DP_CACHE_SIZE = 4096  # date strings repeat within a site; a bound keeps a long build's memory flat


def _dateparser_parse(core: str, text: str) -> tuple[DateInterval, str | None]:
    if core in _DP_CACHE:
        got, problem = _DP_CACHE[core]
        return DateInterval(got.earliest, got.latest, got.precision, text=text), problem
    import dateparser

    cleaned = re.sub(r"\s+[-–—|]\s+", " ", core)  # '06 June 2021 - 21:44'
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", cleaned)
    result: tuple[DateInterval, str | None] = (DateInterval(text=text), "unrecognised or impossible date")
    attempts: dict[tuple[bool, str], tuple[dt.datetime | None, bool]] = {}

    def attempt(languages: list[str] | None, parts: list[str]) -> tuple[dt.datetime | None, bool]:
        """dateparser's reading, and whether it raised; each asked for once."""
        key = (languages is None, parts[0])
        if key not in attempts:
            settings = {
                "REQUIRE_PARTS": parts,  # never fill a missing day/month/year from today's date
                "PARSERS": ["custom-formats", "absolute-time"],  # no 'yesterday', no timestamps
                "RETURN_AS_TIMEZONE_AWARE": False,
                "PREFER_DAY_OF_MONTH": "first",
            }
            try:
                attempts[key] = dateparser.parse(cleaned, languages=languages, settings=settings), False
            except Exception:  # dateparser raises on some odd inputs
                attempts[key] = None, True
        return attempts[key]

    for languages in (["en"], None):
        # Every language is slow to try (each locale's words are matched against the string).
        # Requiring fewer parts only lets more readings through, so when no language finds
        # a year, none finds a month and a year or a full date either.
        if languages is None and attempt(None, ["year"]) == (None, False):
            break
        for parts, precision in (
            (["day", "month", "year"], "day"),
            (["month", "year"], "month"),
            (["year"], "year"),
        ):
            got = attempt(languages, parts)[0]
            if got is not None:
                y = got.year
                iv = _checked(
                    y,
                    got.month if precision in ("day", "month") else None,
                    got.day if precision == "day" else None,
                    text,
                )
                result = iv
                break
        if result[1] is None:
            break
    if len(_DP_CACHE) >= _DP_CACHE_SIZE:
        del _DP_CACHE[next(iter(_DP_CACHE))]
    _DP_CACHE[core] = result
    return result


def iso_date(interval: DateInterval) -> str | None:
    if not interval.is_known or interval.earliest is None:
        return None
    d = interval.earliest
    if interval.precision == "day":
        return d.isoformat()
    if interval.precision == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if interval.precision == "year":
        return f"{d.year:04d}"
    return None


_PRECISION_RANK = {"day": 3, "week": 2, "month": 1, "year": 0, "unknown": -1}


def more_precise_within(new: DateInterval, old: DateInterval) -> bool:
    """True when `new` narrows `old` (e.g. '4 January 2022' after 'date 2022-01')."""
    if not new.is_known:
        return False
    if not old.is_known:
        return True
    assert new.earliest and new.latest and old.earliest and old.latest
    return (
        _PRECISION_RANK[new.precision] > _PRECISION_RANK[old.precision]
        and old.earliest <= new.earliest
        and new.latest <= old.latest
    )
