"""Dates in news text: publication dates, date mentions, and interval logic.

Everything is resolved against the article's publication date (the *anchor*), never against the
real current date, so results are deterministic. An anchor may be a day, a month, a year or unknown:
a relative rule g(day) -> (lo, hi) is applied to the first and the last day of the anchor and the
hull is kept, e.g. 'on Sunday' in a June 2021 article is every Sunday from May 30 to June 27.
With an unknown anchor relative phrases give an unknown interval that keeps only the weekday /
month-day constraint. Context-relative phrases ('a day earlier') carry day offsets instead.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from dedupe.models import DateInterval
from dedupe.text import has_ascii_lookalikes

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = {m.lower()[:3]: i for i, m in enumerate(calendar.month_name) if m}
_ONE = dt.timedelta(days=1)
_RANKS = ("day", "week", "month", "year")

# ---------------------------------------------------------------- vocabulary and patterns
_NUMS = {"a": (1, 1), "an": (1, 1), "one": (1, 1), "the": (1, 1), "two": (2, 2), "three": (3, 3),
         "four": (4, 4), "five": (5, 5), "six": (6, 6), "seven": (7, 7), "eight": (8, 8), "nine": (9, 9),
         "ten": (10, 10), "eleven": (11, 11), "twelve": (12, 12), "a couple of": (2, 2), "couple of": (2, 2),
         "a few": (2, 4), "few": (2, 4), "several": (2, 7), "some": (2, 7), "": (2, 7)}
_NUM = r"(?P<n>\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|(?:a\s+)?couple\s+of|(?:a\s+)?few|several|some)"
_UNIT = r"(?P<unit>minute|hour|day|night|week|month|year)(?P<pl>s)?"
_WD = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MON = (r"(?-i:(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
        r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?))(?![a-z])\.?")
_FULL_MON = r"(?-i:(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December))(?![a-z])"
_YEAR_TAIL = r"(?:,?\s*(?P<y>\d{4})(?!\d))?"
_DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?(?!\d|:\d)"
_NOT_YEAR_BEFORE = re.compile(
    r"\b(?:route|highway|hwy|interstate|flight|room|suite|apt|apartment|unit|box|building|gate|bus|resolution|"
    r"article|section|chapter|page|model|exit|no|number|lot|platform|terminal|code|id|at|approx|approximately)"
    r"\.?\s*#?\s*$", re.I)
_NOT_YEAR_AFTER = re.compile(
    r"\s*%|\s*(?:percent|local|gmt|utc|hrs?|hours|h|z|zulu|[ecmp][sd]t|block|people|persons|troops|soldiers|"
    r"fighters|militants|civilians|residents|families|homes|houses|rounds|rockets|shells|bullets|shots|attacks|"
    r"dollars|euros|pounds|meters|metres|feet|ft|km|kilometers|kilometres|miles|yards|acres|kg|tons|tonnes|"
    r"vehicles|cars|cases|deaths|members|officers|policemen|students|votes|men|women|children|times)\b"
    r"|\s+(?:[NSEW]\.?\s+)?(?-i:(?:[A-Z][\w'-]*\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Drive|Dr|Boulevard|Blvd"
    r"|Lane|Ln|Way|Court|Ct|Place|Pl|Highway|Hwy|Parkway|Pkwy|Circle|Terrace|Trail)\b)", re.I)
_NOT_WD_BEFORE = re.compile(r"(?:Black|Good|Super|Bloody|Ash|Palm|Easter|Cyber|Holy|Maundy|Shrove|Whit|Giving|Patch"
                            r"|Mail on|Independent on)\s+$")
_NOT_WD_AFTER = re.compile(r"\s+(?:[Ss]chool|Times|Telegraph|Mirror|Express|Post|Herald|Mail|Night\s+(?:Football|Live)"
                           r"|Morning\s+Herald|Sport|[Pp]aper|[Ee]dition|Star|Tribune|Independent)\b")
# 'a July shooting': a month named as the incident's, without a preposition.
_INCIDENT_NOUN = r"(?:shooting|killing|slaying|murder|homicide|attack|stabbing|incident|crash|fire)s?\b"
_SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
_TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?|\b\d{1,2}\s*[ap]\.?m\b\.?|\b\d{3,4}\s*(?:hrs?|hours|h|local\s+time|GMT|UTC|Z)\b",
                   re.I)
_SINCE = re.compile(r"\bsince\s+(?:the\s+(?:start|beginning)\s+of\s+)?$", re.I)
_NIGHT = ("night", "overnight", "nighttime", "night-time")


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + pattern + r")(?![\w])", re.I)


# (pattern, kind or fixed rule); the handler for a kind turns a match into (rule, weekday, context offsets).
_PATTERNS: list[tuple[re.Pattern[str], object]] = [
    (_p(rf"(?:{_WD}(?:,\s*|\s+|\s*\(\s*)(?:the\s+)?)?{_MON}\s*{_DAY}{_YEAR_TAIL}"), "mdy"),
    (_p(rf"(?:{_WD},?\s+)?(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MON}{_YEAR_TAIL}"), "mdy"),
    (_p(rf"{_MON},?\s+(?:of\s+)?(?P<y>\d{{4}})(?!\d)"), "my"),
    (_p(rf"(?:(?:in|since|during|until|till|by|from|through|throughout|early|late|mid|last|this|next)\s+|mid-"
        rf"|(?:an?|the)\s+(?=(?-i:[A-Z])[a-z]+\s+{_INCIDENT_NOUN}))"
        rf"{_FULL_MON}"), "m"),
    (_p(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"), "iso"),
    (_p(r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})"), "slash"),
    (_p(rf"(?:(?P<pre>(?:early|late)(?:\s+on)?|last|this\s+past|past|this|next)\s+)?{_WD}(?:['’]s)?"
        rf"(?:\s+(?P<mod>early|late))?(?:\s+(?P<tod>morning|afternoon|evening|night|overnight|night-?time))?"), "wd"),
    # Not a model year ('a 2002 GMC Yukon': two capitalised words follow) or a quoted title ('"1989," by').
    (re.compile(r"(?<![\w$£€#\"“])(?<!\d[,.])(?:(?<=(?:19|20)\d\d[-–])|(?<!\d[-–]))(?P<y>19\d\d|20\d\d|2100)"
                r"(?![\w%]|[,.]\d|:\d|-(?!(?:19|20)\d\d(?!\d))\d{3}|\s+[A-Z][\w-]*\s+[A-Z0-9])"), "year"),
    (_p(r"the\s+day\s+before\s+yesterday"), ("rel", -2, -2)),
    (_p(r"(?:late\s+)?yesterday\s+night|late\s+yesterday|(?:late\s+)?last\s+night|last\s+evening|overnight"),
     ("rel", -1, 0)),
    (_p(r"(?:early\s+|earlier\s+)?yesterday(?:\s+(?:morning|afternoon|evening))?"), ("rel", -1, -1)),
    (_p(r"(?:earlier\s+|later\s+|early\s+)?(?:today|tonight)|(?:early\s+|earlier\s+|late\s+|later\s+)?this\s+"
        r"(?:morning|afternoon|evening)"), ("rel", 0, 0)),
    (_p(r"(?P<which>last|this|next)\s+(?P<unit>week|weekend|month|year)"), "this"),
    (_p(r"(?:over\s+)?the\s+weekend"), ("weekend", 0)),
    (_p(r"(?P<which>last|this|past)\s+(?P<season>spring|summer|fall|autumn|winter)"), "season"),
    (_p(r"(?:earlier|so\s+far)\s+this\s+(?P<unit>week|month|year)|this\s+(?P<unit2>month|year)\s+so\s+far"), "todate"),
    (_p(rf"the\s+(?:past|last)\s+(?:{_NUM}\s+)?{_UNIT}|(?:the\s+)?past\s+{_UNIT.replace('?P<', '?P<x')}"), "past"),
    (_p(rf"(?:{_NUM}\s+)?{_UNIT}\s+ago"), "ago"),
    (_p(rf"(?:(?P<the>the)\s+|{_NUM}\s+)?{_UNIT}\s+(?P<dir>earlier|later|before|after|prior)"), "ctx"),
    (_p(r"the\s+(?P<rel>next|following|previous|preceding|prior)\s+(?P<unit>day|morning|afternoon|evening|night|week"
        r"|month|year)"), "ctxnext"),
    (_p(r"(?:(?:later|earlier)\s+)?(?:that|the\s+same)\s+(?:day|morning|afternoon|evening)|(?:later|earlier)\s+in\s+"
        r"the\s+day"), ("ctx", 0, 0)),
    (_p(r"(?:later\s+)?that\s+night"), ("ctx", 0, 1)),
]


# Words without which each pattern above cannot match (lower case; MONTH: a capitalised month
# abbreviation, DIGIT: a digit), so that a sentence is run only through the patterns it can match.
_MONTH, _DIGIT = "MONTH", "DIGIT"
_NEEDS: list[tuple[str, ...]] = [
    (_MONTH,), (_MONTH,), (_MONTH,), (_MONTH,), (_DIGIT,), (_DIGIT,),
    ("day",),  # every weekday name
    (_DIGIT,),
    ("yesterday",), ("yesterday", "night", "evening"), ("yesterday",), ("today", "tonight", "this"),
    ("week", "month", "year"), ("weekend",), ("spring", "summer", "fall", "autumn", "winter"), ("this",), ("past", "last"), ("ago",),
    ("earlier", "later", "before", "after", "prior"), ("next", "following", "previous", "preceding", "prior"),
    ("day", "morning", "afternoon", "evening"), ("night",),
]
assert len(_NEEDS) == len(_PATTERNS)
_NEEDED_BY: dict[str, list[int]] = {}
for _n, _needs in enumerate(_NEEDS):
    for _w in _needs:
        _NEEDED_BY.setdefault(_w, []).append(_n)
_WORDS_NEEDED = tuple(w for w in _NEEDED_BY if w not in (_MONTH, _DIGIT))
_MONTH_ABBR = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
_ANY_DIGIT = re.compile(r"\d")


def _candidate_patterns(text: str) -> list[int]:
    """Numbers of the patterns that can match somewhere in `text` (see _NEEDS)."""
    if has_ascii_lookalikes(text):
        return list(range(len(_PATTERNS)))
    low = text.lower()
    found = [w for w in _WORDS_NEEDED if w in low]
    if _MONTH_ABBR.search(text):
        found.append(_MONTH)
    if _ANY_DIGIT.search(text):
        found.append(_DIGIT)
    return sorted({n for w in found for n in _NEEDED_BY[w]})


# ---------------------------------------------------------------- public types and helpers
@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    interval: DateInterval
    relative_to: str  # 'publication' (resolved against the anchor) or 'context' (previous event in the text)
    offset_days: tuple[int, int] | None  # day offsets from the context event, for relative_to='context'


def weekday_name(d: int) -> str:
    return WEEKDAYS[d % 7]


def _date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except (ValueError, OverflowError):
        return None


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _add_months(d: dt.date, n: int) -> tuple[int, int]:
    k = d.year * 12 + d.month - 1 + n
    return k // 12, k % 12 + 1


def _precision(lo: dt.date | None, hi: dt.date | None) -> str:
    if lo is None or hi is None:
        return "unknown"
    n = (hi - lo).days + 1
    return "day" if n <= 2 else "week" if n <= 10 else "month" if n <= 62 else "year"


def _make(lo, hi, text="", weekday=None, month_day=None, precision=None) -> DateInterval:
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    return DateInterval(lo, hi, precision or _precision(lo, hi), weekday, month_day, text)


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
        if not 1800 <= y <= 2200 or (m and not _date(y, m, d or 1)):
            return DateInterval(text=text)
        if d:
            return _make(_date(y, m, d), _date(y, m, d), text, precision="day")
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
    if any(_handle("mdy", m) is None for pattern, _ in _PATTERNS[:2] for m in pattern.finditer(text)):
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
            x = _date(y, rule[1], rule[2])
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


def _num(word: str | None) -> tuple[int, int]:
    word = re.sub(r"\s+", " ", (word or "").lower())
    return (int(word), int(word)) if word.isdigit() else _NUMS.get(word, (2, 7))


def _span_days(unit: str, n: tuple[int, int], sign: int) -> tuple[int, int]:
    """Day offsets (lo, hi) for `n` units before (sign -1) or after (+1) a reference day."""
    lo, hi = n
    if unit in ("minute", "hour", "night"):
        per = 1440 if unit == "minute" else 24 if unit == "hour" else 1
        if unit == "night":
            return (-lo, -lo + 1) if sign < 0 else (hi - 1, hi)
        hi_d = -((-hi) // per)  # ceil
        return (-hi_d, -(lo // per)) if sign < 0 else (lo // per, hi_d)
    days = {"day": (lo, hi), "week": (7 * lo - 1, 7 * hi + 1), "month": (28 * lo, 31 * hi),
            "year": (365 * lo - 15, 366 * hi + 15)}[unit]
    return (-days[1], -days[0]) if sign < 0 else days


def _handle(kind: object, m: re.Match[str]) -> tuple[tuple, int | None, tuple[int, int] | None] | None:
    """Match -> (rule, weekday, context offsets), or None when the match is not a date."""
    g = m.groupdict()
    wd = next((i for i, n in enumerate(WEEKDAYS) if g.get("wd") and n.lower() == g["wd"].lower()), None)
    if isinstance(kind, tuple):
        return (kind, None, kind[1:]) if kind[0] == "ctx" else (kind, None, None)
    if kind in ("mdy", "my", "m"):
        mon = _MONTHS[g["mon"][:3].lower()]
        y = int(g["y"]) if g.get("y") and 1900 <= int(g["y"]) <= 2100 else None
        if kind == "m":
            pre = m.group(0)[:m.start("mon") - m.start()].lower()
            return None if "next" in pre else (("m", mon, "last" in pre), None, None)
        if kind == "my":
            return (("month", y, mon), None, None) if y else None
        d = int(g["d"])
        if not _date(y or 2000, mon, d):
            return None
        rule = ("day", y, mon, d) if y else ("md", mon, d)
        if y and wd is not None and dt.date(y, mon, d).weekday() != wd:
            wd = None  # the explicit date wins
        return rule, wd, None
    if kind == "iso":
        y, mon, d = int(g["y"]), int(g["m"]), int(g["d"])
        return (("day", y, mon, d), None, None) if 1900 <= y <= 2100 and _date(y, mon, d) else None
    if kind == "slash":
        a, b, y = int(g["a"]), int(g["b"]), int(g["y"])
        mon, d = (b, a) if a > 12 else (a, b) if b > 12 or a == b else (0, 0)  # ambiguous d/m: skip
        return (("day", y, mon, d), None, None) if 1900 <= y <= 2100 and _date(y, mon, d) else None
    if kind == "wd":
        before, after = m.string[:m.start()], m.string[m.end():]
        if _NOT_WD_BEFORE.search(before[-20:]) or _NOT_WD_AFTER.match(after[:25]):
            return None
        pre, mod, tod = ((g.get(k) or "").lower() for k in ("pre", "mod", "tod"))
        night = tod in _NIGHT or ("late" in (pre[:4], mod) and tod in ("", "evening"))
        mode = "last" if pre in ("last", "this past", "past") else "next" if pre == "next" else "recent"
        return ("wd", wd, mode, night), wd, None
    if kind == "year":
        before, after = m.string[max(0, m.start() - 20):m.start()], m.string[m.end():m.end() + 60]
        if _NOT_YEAR_BEFORE.search(before) or _NOT_YEAR_AFTER.match(after):
            return None
        return ("year", int(g["y"])), None, None
    if kind == "this":
        which, unit = g["which"].lower(), g["unit"].lower()
        n = {"last": -1, "this": 0, "next": 1}[which]
        rule = {"week": ("week", n), "weekend": ("weekend", n), "month": ("months", n, n), "year": ("years", n, n)}
        return rule[unit], None, None
    if kind == "season":
        return ("season", _SEASONS[g["season"].lower()], g["which"].lower() == "last"), None, None
    if kind == "todate":
        return ("todate", (g["unit"] or g["unit2"]).lower()), None, None
    if kind == "past":
        unit = (g.get("unit") or g.get("xunit") or "day").lower()
        n = _num(g.get("n")) if g.get("pl") or g.get("xpl") else (1, 1)
        return ("past", -_span_days("day" if unit in ("minute", "hour", "night") else unit, n, -1)[0]), None, None
    unit, n = g["unit"].lower(), _num(g.get("n") or g.get("the"))
    if kind == "ctxnext":
        sign = 1 if g["rel"].lower() in ("next", "following") else -1
        offsets = {"night": (0, 1), "week": (1, 13), "month": (1, 62), "year": (1, 731)}.get(unit, (1, 1))
        offsets = offsets if sign > 0 else (-offsets[1], -offsets[0])
        return ("ctx", *offsets), None, offsets
    if not g.get("pl") and not (g.get("n") or g.get("the")) or (g.get("the") and g.get("pl")):
        return None  # 'day before' needs a count; 'the days after' is vague
    if kind == "ago":
        if unit == "month":  # counted from the day, give or take a week: 'nearly 6 months ago, on March 1'
            return ("rel", -31 * n[1] - 7, -28 * n[0] + 7), None, None
        if unit == "year":
            return ("years", -n[1], -n[0]), None, None
        return ("rel", *_span_days(unit, n, -1)), None, None
    if kind == "ctx":
        offsets = _span_days(unit, n, -1 if g["dir"].lower() in ("earlier", "before", "prior") else 1)
        return ("ctx", *offsets), None, offsets
    return None


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
    month_day = (rule[1], rule[2]) if rule[0] == "md" else None
    if month_day and weekday is not None and lo is not None and hi is not None:  # 'Sunday, June 6': keep years that fit
        fits = [x for y in range(lo.year, hi.year + 1) if (x := _date(y, *month_day)) and lo <= x <= hi
                and x.weekday() == weekday]
        lo, hi, weekday = (fits[0], fits[-1], weekday) if fits else (lo, hi, None)
    if lo is not None and hi is not None and lo == hi and weekday is not None and lo.weekday() != weekday:
        weekday = None
    return _make(lo, hi, text, weekday, month_day)


def _next_month_day(month_day: tuple[int, int], day: dt.date, within: int = 45) -> dt.date | None:
    """The first such month-day after `day` when it comes within `within` days, else None."""
    for y in (day.year, day.year + 1):
        x = _date(y, *month_day)
        if x is not None and 0 < (x - day).days <= within:
            return x
    return None


# ---------------------------------------------------------------- public API
def find_dates(text: str, anchor: DateInterval) -> list[DateMention]:
    """Every date expression in `text` (a sentence), sorted by offset and non-overlapping."""
    if not isinstance(text, str) or not text:
        return []
    anchor = anchor if isinstance(anchor, DateInterval) else DateInterval()
    candidates = _candidate_patterns(text)
    if not candidates:
        return []
    times = [(m.start(), m.end()) for m in _TIME.finditer(text)]
    found = []
    for priority in candidates:
        pattern, kind = _PATTERNS[priority]
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in times):
                continue
            try:
                got = _handle(kind, m)
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


def _shift_md(md: tuple[int, int] | None, days: int) -> tuple[int, int] | None:
    if md is None:
        return None
    shifted = set()
    for y in (2001, 2004):  # a common and a leap year: keep the result only if both agree
        x = _date(y, *md)
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
    precision = _precision(lo, hi)
    if base.precision in _RANKS and precision in _RANKS:
        precision = max(precision, base.precision, key=_RANKS.index)
    return DateInterval(lo, hi, precision, weekday, month_day, base.text)


def _weekdays(a: DateInterval) -> set[int] | None:
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
    wa, wb = _weekdays(a), _weekdays(b)
    allowed = wa & wb if wa is not None and wb is not None else wa if wa is not None else wb
    if allowed is not None and not allowed:
        return None
    if a.month_day and b.month_day and a.month_day != b.month_day:
        return None
    month_day = a.month_day or b.month_day
    if lo is not None and hi is not None and (allowed is not None or month_day):
        if month_day:
            days = [x for y in range(lo.year, hi.year + 1) if (x := _date(y, *month_day)) and lo <= x <= hi]
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
    return DateInterval(lo, hi, _precision(lo, hi), weekday, month_day, a.text or b.text)


def dates_compatible(a: DateInterval, b: DateInterval) -> bool:
    return intersect_dates(a, b) is not None
