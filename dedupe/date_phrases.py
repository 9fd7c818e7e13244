"""Date phrases in a sentence, and the rule each one stands for.

Each pattern finds one kind of phrase ('June 6, 2021', 'last Sunday night', 'two days ago', 'the
following week') and read_rule turns a match into a rule that says which days it means once the
publication date is known ('ago' is counted back from it, 'later' from the event told before), or
refuses it: a model year ('a 2002 GMC Yukon'), 'Black Friday', 'Route 2020'. Resolving rules against
the publication date is dedupe.dates' part; the phrases stand apart so that what counts as a date,
and what does not, is read in one place.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from .date_intervals import WEEKDAYS, make_date
from .holidays import fold_holiday, holiday_names_pattern, holiday_words, holidays_by_fold
from .text import has_ascii_lookalikes

_MONTHS = {m.lower()[:3]: i for i, m in enumerate(calendar.month_name) if m}

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
TIME_PATTERN = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?|\b\d{1,2}\s*[ap]\.?m\b\.?|\b\d{3,4}\s*(?:hrs?|hours|h|local\s+time|GMT|UTC|Z)\b",
                   re.I)
_NIGHT = ("night", "overnight", "nighttime", "night-time")
# A holiday's name that is often no date ('a Christmas party', 'Easter eggs') is one after these.
_HOLIDAY_CUE = re.compile(r"\b(?:on|over|during|early|late|this|last|past|since|through|throughout|of)\s+(?:the\s+)?$",
                          re.I)


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + pattern + r")(?![\w])", re.I)


# (pattern, kind or fixed rule); the handler for a kind turns a match into (rule, weekday, context offsets).
PATTERNS: list[tuple[re.Pattern[str], object]] = [
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
    (_p(rf"(?P<hol>{holiday_names_pattern()})(?:['’]s)?{_YEAR_TAIL}(?:\s+(?:holiday\s+)?(?P<wkd>weekend))?"
        r"(?:\s+(?P<tod>morning|afternoon|evening|night))?"), "holiday"),
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
    holiday_words(),
    (_DIGIT,),
    ("yesterday",), ("yesterday", "night", "evening"), ("yesterday",), ("today", "tonight", "this"),
    ("week", "month", "year"), ("weekend",), ("spring", "summer", "fall", "autumn", "winter"), ("this",), ("past", "last"), ("ago",),
    ("earlier", "later", "before", "after", "prior"), ("next", "following", "previous", "preceding", "prior"),
    ("day", "morning", "afternoon", "evening"), ("night",),
]
assert len(_NEEDS) == len(PATTERNS)
_NEEDED_BY: dict[str, list[int]] = {}
for _n, _needs in enumerate(_NEEDS):
    for _w in _needs:
        _NEEDED_BY.setdefault(_w, []).append(_n)
_WORDS_NEEDED = tuple(w for w in _NEEDED_BY if w not in (_MONTH, _DIGIT))
_MONTH_ABBR = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
_ANY_DIGIT = re.compile(r"\d")


def select_patterns(text: str) -> list[int]:
    """Numbers of the patterns that can match somewhere in `text` (see _NEEDS)."""
    if has_ascii_lookalikes(text):
        return list(range(len(PATTERNS)))
    low = text.lower()
    found = [w for w in _WORDS_NEEDED if w in low]
    if _MONTH_ABBR.search(text):
        found.append(_MONTH)
    if _ANY_DIGIT.search(text):
        found.append(_DIGIT)
    return sorted({n for w in found for n in _NEEDED_BY[w]})


# ---------------------------------------------------------------- reading a match
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


def read_rule(kind: object, m: re.Match[str]) -> tuple[tuple, int | None, tuple[int, int] | None] | None:
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
        if not make_date(y or 2000, mon, d):
            return None
        rule = ("day", y, mon, d) if y else ("md", mon, d)
        if y and wd is not None and dt.date(y, mon, d).weekday() != wd:
            wd = None  # the explicit date wins
        return rule, wd, None
    if kind == "iso":
        y, mon, d = int(g["y"]), int(g["m"]), int(g["d"])
        return (("day", y, mon, d), None, None) if 1900 <= y <= 2100 and make_date(y, mon, d) else None
    if kind == "slash":
        a, b, y = int(g["a"]), int(g["b"]), int(g["y"])
        mon, d = (b, a) if a > 12 else (a, b) if b > 12 or a == b else (0, 0)  # ambiguous d/m: skip
        return (("day", y, mon, d), None, None) if 1900 <= y <= 2100 and make_date(y, mon, d) else None
    if kind == "wd":
        before, after = m.string[:m.start()], m.string[m.end():]
        if _NOT_WD_BEFORE.search(before[-20:]) or _NOT_WD_AFTER.match(after[:25]):
            return None
        pre, mod, tod = ((g.get(k) or "").lower() for k in ("pre", "mod", "tod"))
        night = tod in _NIGHT or ("late" in (pre[:4], mod) and tod in ("", "evening"))
        mode = "last" if pre in ("last", "this past", "past") else "next" if pre == "next" else "recent"
        return ("wd", wd, mode, night), wd, None
    if kind == "holiday":
        holiday = holidays_by_fold()[fold_holiday(g["hol"])]
        tod = (g.get("tod") or "").lower()
        if not (holiday.bare or g.get("wkd") or tod or g.get("y") or _HOLIDAY_CUE.search(m.string[max(0, m.start() - 30):m.start()])):
            return None  # 'a Christmas party', 'Easter eggs'
        y = int(g["y"]) if g.get("y") and 1900 <= int(g["y"]) <= 2100 else None
        span = holiday.weekend if g.get("wkd") else (0, 1) if tod == "night" else (0, 0)
        return ("holiday", holiday.rule, y, *span), None, None
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
