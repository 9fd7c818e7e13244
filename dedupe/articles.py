"""Turn RawDocuments into Articles: header lines, publication date, stable id, duplicates.

- `parse_header(text)` recognises the header variants found in plain-text articles
  (' date 2021-06 First sentence…', 'News ID: …' / 'Publish Date : …', AP-style
  byline + timestamp lines) and the dateline at the start of the story
  ('CAIRO (Reuters) – …', 'AKRON, Ohio (June 2, 2019) — …').
- `parse_article(raw)` combines the structured fields of the record with the header.
- `article_id(text)` is a 16-hex sha1 of the normalised body text.
- `find_duplicates(articles)` flags copies and partial wire copies by word 5-gram
  shingle containment (see DUPLICATE_CONTAINMENT for how the threshold was chosen).
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .boilerplate import content_text
from .models import Article, DateInterval, IngestError, RawDocument

TITLE_MAX = 300
# Publication years outside this range are treated as errors, not dates.
MIN_YEAR, MAX_YEAR = 1800, 2100


@dataclass
class Header:
    published: DateInterval
    published_text: str | None
    title: str | None
    byline: str | None
    dateline: str | None
    news_id: str | None
    body: str
    source: str | None = None  # outlet named in the byline ('Associated Press'), if any


# =========================================================================== dates

_MONTHS = {name.lower(): i for i in range(1, 13) for name in (calendar.month_name[i], calendar.month_abbr[i])}
_MONTHS["sept"] = 9

_ISO = re.compile(
    r"(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?)?"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?|[A-Z]{2,5})?)?"
)
_SLASHED = re.compile(r"(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})")
_STAMP_SPLIT = re.compile(r"\s+(?:last\s+)?(?:updated|posted|published)\s*:\s*", re.I)
_DATE_PREFIX = re.compile(
    r"^(?:(?:first\s+)?(?:published|posted|updated|last\s+updated|publish(?:ed)?\s+date|date)\s*(?:on|at)?\s*:?\s*)+",
    re.I,
)


def _interval(year: int, month: int | None, day: int | None, text: str) -> DateInterval:
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
    return _interval(year, month, day, text), None


def _parse_date_text(value: str) -> tuple[DateInterval, str | None]:
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
    core = _STAMP_SPLIT.split(core, maxsplit=1)[0]  # 'Nov 27, 2005 8:20 AM ET Last Updated: …'
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


def _parse_published(value: str) -> DateInterval:
    """Publication date string -> DateInterval (precision day/month/year, unknown if unparseable)."""
    return _parse_date_text(value)[0]


def _iso(interval: DateInterval) -> str | None:
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


def _more_precise_within(new: DateInterval, old: DateInterval) -> bool:
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


# =========================================================================== header lines

_DATE_TOKEN = re.compile(
    r"^\s*date\s+(?P<value>\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?(?:T[\d:.]+(?:Z|[+-][\d:]+)?)?)(?:\s+(?P<rest>\S.*))?$",
    re.I,
)
_KEY_VALUE = re.compile(r"^\s*(?P<key>[A-Za-z][A-Za-z ]{0,24}?)\s*:\s*(?P<value>\S.*?)\s*$")
_DATE_KEYS = {
    "date",
    "publish date",
    "published date",
    "publication date",
    "date published",
    "published",
    "published on",
    "posted",
    "posted on",
    "pubdate",
}
_UPDATED_KEYS = {"updated", "last updated", "modified", "last modified"}
_ID_KEYS = {"news id", "article id", "story id", "news code", "id"}
_TITLE_KEYS = {"title", "headline"}
_BYLINE_KEYS = {"author", "by", "byline", "written by"}
_SOURCE_KEYS = {"source", "publisher", "outlet"}

_OUTLETS = (
    "The Associated Press",
    "Associated Press",
    "Agence France-Presse",
    "Agence France Presse",
    "Reuters",
    "AFP",
    "AP",
    "Bloomberg",
    "UPI",
    "dpa",
    "Xinhua",
    "Anadolu Agency",
    "Al Jazeera",
    "CNN",
    "BBC News",
)
_OUTLET_RE = "|".join(re.escape(o) for o in _OUTLETS)
_NAME_WORD = r"(?:[A-Z][\w'’.-]*|de|da|di|del|van|von|der|la|le|bin|al-\w+|el-\w+)"
_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}"
# 'By KEVIN McGILLAssociated Press' (lost space between name and outlet)
_LONG_OUTLETS = "|".join(re.escape(o) for o in _OUTLETS if len(o) > 4)
_GLUED_OUTLET = re.compile(rf"(?<=[A-Za-z])(?=(?:{_LONG_OUTLETS})\s*$)")

_BYLINE_START = re.compile(r"^\s*By:?\s+(?P<rest>\S.*?)\s*$")
_BYLINE_OUTLET = re.compile(rf"\s*(?:,|\||/|-|–|—|\bof\b|\bfor\b)?\s*(?P<outlet>{_OUTLET_RE})\s*$")
_BYLINE_ROLE = re.compile(
    r"\s*,?\s*(?:staff\s+writer|staff\s+reporter|correspondent|reporter|writer)\s*$", re.I
)
_BYLINE_NAMES = re.compile(rf"{_NAME}(?:(?:\s*,\s*|\s+and\s+|\s*&\s*){_NAME})*")


def _parse_byline(line: str) -> tuple[str, str | None] | None:
    """'By QASSIM ABDUL-ZAHRA Associated Press' -> ('QASSIM ABDUL-ZAHRA', 'Associated Press')."""
    m = _BYLINE_START.match(_GLUED_OUTLET.sub(" ", line))
    if not m:
        return None
    rest = _BYLINE_ROLE.sub("", m["rest"])
    if re.fullmatch(_OUTLET_RE, rest):  # 'By The Associated Press'
        return rest, rest
    outlet = None
    om = _BYLINE_OUTLET.search(rest)
    if om and om.start() > 0:
        outlet = om["outlet"]
        rest = rest[: om.start()]
    rest = _BYLINE_ROLE.sub("", rest).strip(" ,")
    if not rest or not _BYLINE_NAMES.fullmatch(rest):
        return None
    return rest, outlet


_DATE_WORDS = (
    set(_MONTHS)
    | {d.lower() for i in range(7) for d in (calendar.day_name[i], calendar.day_abbr[i])}
    | {
        "am",
        "pm",
        "a",
        "m",
        "p",
        "at",
        "on",
        "posted",
        "published",
        "updated",
        "last",
        "st",
        "nd",
        "rd",
        "th",
        "tues",
        "thur",
        "thurs",
        "t",
        "z",
    }
)


def _is_timestamp_line(line: str) -> DateInterval | None:
    """A short line that is only a date/time ('4 January 2022, 09:53'), parsed; else None."""
    s = line.strip()
    if not 6 <= len(s) <= 70 or not re.search(r"\d{4}", s):
        return None
    for token in re.findall(r"[A-Za-z]+", s):
        if token.lower() not in _DATE_WORDS and not (token.isupper() and 2 <= len(token) <= 5):
            return None
    interval, problem = _parse_date_text(s)
    return interval if problem is None and interval.is_known else None


# --------------------------------------------------------------------------- datelines

_DL_WORD = r"(?:(?:Mc|Mac|La|De|Le|Du|O')?[A-Z][A-Z'’.&-]*[A-Z.])"  # BAGHDAD, ST., WILKES-BARRE, LaGRANGE
_DL_PLACE = rf"{_DL_WORD}(?:[ ]+(?:{_DL_WORD}|&)){{0,4}}"
_DL_REGION = r"(?:[A-Z][A-Za-z.'’-]*\.?)(?:[ ]+[A-Z][A-Za-z.'’-]*){0,2}"  # Ind. / MO / S.C. / Modoc County
_DL_TITLE_PLACE = r"(?:(?:Mt|St|Ft)\.[ ])?[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}"  # Detroit / Newport News
_DL_DATE = r"(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?[ ]+\d{1,2}(?:,?[ ]+\d{4})?)"
_DL_PAREN = r"(?:\((?P<paren>[^()\n]{1,60})\)[ ]*)"
# The dash must be followed by a space, the end of the line or a capital/quote, so
# 'US-led', 'COVID-19' and 'AK-47' are never datelines.
_DL_DASH = r"(?:--?|[–—‒―])(?=[ ]|$|[A-Z\"“‘'(])"
_DATELINE_PATTERNS = (
    # CAIRO (Reuters) – / AKRON, Ohio (June 2, 2019) — / BOISE, Idaho - / GALT—
    re.compile(
        rf"^(?P<place>{_DL_PLACE}(?:,[ ]*{_DL_REGION})?)(?:,[ ]*{_DL_DATE})?[ ]*{_DL_PAREN}?{_DL_DASH}"
    ),
    # Newport News, Va. - / Marksville, LA- / Kabul, June 6 (Reuters) -
    re.compile(
        rf"^(?P<place>{_DL_TITLE_PLACE},[ ]*{_DL_REGION})(?:,[ ]*{_DL_DATE})?[ ]*{_DL_PAREN}?{_DL_DASH}"
    ),
    re.compile(rf"^(?P<place>{_DL_TITLE_PLACE})(?:,[ ]*{_DL_DATE})?[ ]*{_DL_PAREN}{_DL_DASH}"),
    # Detroit — A shooting… (title case without a region: em/en dash and a capital after it)
    re.compile(rf"^(?P<place>{_DL_TITLE_PLACE})[ ]*(?:--|[–—])[ ]*(?=[A-Z\"“])"),
)
_NOT_PLACES = {
    "UPDATE", "UPDATED", "BREAKING", "BREAKING NEWS", "WATCH", "VIDEO", "PHOTOS", "PHOTO", "LIVE", "EXCLUSIVE",
    "NEW", "DEVELOPING", "ALERT", "CLOSE", "ADVERTISEMENT", "AP", "UPI", "AFP", "CNN", "NOTE", "EDITOR'S NOTE",
    "FILE", "READ MORE", "MORE", "RELATED", "LATEST", "THE LATEST", "OPINION", "ANALYSIS", "COMMENTARY", "WARNING",
    "POLICE", "OFFICIALS", "AUTHORITIES", "WITNESSES", "SOURCES", "PROSECUTORS", "DEPUTIES", "INVESTIGATORS",
    "TODAY", "YESTERDAY", "TONIGHT", "DATE", "TIME", "PLACE", "WHERE", "WHEN", "WHAT", "WHO", "WHY", "HOW",
    "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY", "ADVERTISING", "SPONSORED",
}  # fmt: skip
DATELINE_SCAN_LINES = 6


def _match_dateline(line: str) -> re.Match[str] | None:
    s = line.lstrip()
    for pattern in _DATELINE_PATTERNS:
        m = pattern.match(s)
        if not m:
            continue
        place = m["place"].strip()
        head = place.split(",")[0].strip()
        letters = re.sub(r"[^A-Za-z]", "", head)
        if len(letters) < 3 or head.upper() in _NOT_PLACES:
            continue
        return m
    return None


def _find_dateline(lines: Sequence[str]) -> tuple[str | None, str | None]:
    """(place, parenthesis) of the first dateline among the first few non-blank lines."""
    seen = 0
    for line in lines:
        if not line.strip():
            continue
        m = _match_dateline(line)
        if m:
            return m["place"].strip().rstrip(","), m.groupdict().get("paren")
        seen += 1
        if seen >= DATELINE_SCAN_LINES:
            break
    return None, None


# --------------------------------------------------------------------------- parse_header


def _clean(text: str) -> str:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n")


def _derive_title(body: str) -> str | None:
    for line in body.split("\n"):
        s = line.strip()
        if not s:
            continue
        s = re.sub(r"^#{1,6}\s+", "", s)  # markdown heading
        m = _match_dateline(s)
        if m and len(s) > m.end():
            s = s[m.end() :]
        s = s.strip(" *_")
        if not s:
            continue
        return _cut(s, TITLE_MAX)
    return None


def _cut(s: str, limit: int) -> str:
    s = " ".join(s.split())
    if len(s) <= limit:
        return s
    cut = s[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


HEADER_SCAN_LINES = 14


def parse_header(text: str) -> Header:
    """Split a plain-text article into its header fields and body.

    Header lines are recognised only near the top: a ' date 2021-06 …' token (the rest of
    that line starts the body), 'Key: value' metadata lines (News ID, Publish Date, Title,
    Author, Source, Updated), an AP-style byline ('By NAME Associated Press') and a line that is
    only a date/time. They are removed from the body; the headline/first sentence is kept.
    """
    lines = _clean(text).split("\n")
    drop: set[int] = set()
    replace: dict[int, str] = {}
    published = DateInterval()
    published_text: str | None = None
    updated_text: str | None = None
    title = byline = news_id = source = None
    content = 0  # non-header, non-blank lines seen so far

    def offer_date(value: str) -> None:
        nonlocal published, published_text
        interval, problem = _parse_date_text(value)
        if published_text is None:
            published, published_text = interval, value
        elif problem is None and _more_precise_within(interval, published):
            published, published_text = interval, value

    first = _first_nonblank(lines)
    for i, line in enumerate(lines[:HEADER_SCAN_LINES]):
        s = line.strip()
        if not s:
            continue
        if i == first:
            m = _DATE_TOKEN.match(line)
            if m:
                offer_date(m["value"])
                if m["rest"]:
                    replace[i] = m["rest"].strip()
                else:
                    drop.add(i)
                continue
        if _match_dateline(s):
            break  # the story itself starts here
        kv = _KEY_VALUE.match(s)
        if kv and len(s) <= 200:
            key = " ".join(kv["key"].lower().split())
            value = kv["value"]
            if key in _DATE_KEYS and content <= 1:
                offer_date(value.split(" | ")[0])
                drop.add(i)
                continue
            if key in _UPDATED_KEYS and content <= 1:
                updated_text = updated_text or value
                drop.add(i)
                continue
            if content == 0 and key in _ID_KEYS and len(value) <= 40 and " " not in value:
                news_id = value
                drop.add(i)
                continue
            if content == 0 and key in _TITLE_KEYS:
                title = value
                drop.add(i)
                continue
            if content <= 1 and key in _BYLINE_KEYS and len(value) <= 100:
                # 'by: Nicole Emmett Updated: Mar 15, 2016 - 7:21 PM'
                name, stamp = _split_stamp(value)
                byline = byline or name or None
                if stamp:
                    updated_text = updated_text or stamp
                drop.add(i)
                continue
            if content == 0 and key in _SOURCE_KEYS and len(value) <= 100:
                source = value
                drop.add(i)
                continue
        if content <= 2 and len(s) <= 100:
            by = _parse_byline(s) if byline is None else None
            if by is not None:
                byline = by[0]
                source = source or by[1]
                drop.add(i)
                continue
            stamp = _is_timestamp_line(s)
            if stamp is not None:
                offer_date(s)
                drop.add(i)
                continue
        content += 1
        if content >= 3:
            break

    if published_text is None and updated_text is not None:
        offer_date(updated_text)

    body_lines = [replace.get(i, line) for i, line in enumerate(lines) if i not in drop]
    body = _clean("\n".join(body_lines))
    body_split = body.split("\n")
    dateline, paren = _find_dateline(body_split)
    if source is None and paren and re.fullmatch(_OUTLET_RE, paren.strip()):
        source = paren.strip()  # 'CINCINNATI (AP) —'
    if published_text is None and paren:
        interval, problem = _parse_date_text(paren)
        if problem is None and interval.is_known:
            published, published_text = interval, paren
    if title is None:
        title = _derive_title(body)
    elif title:
        title = _cut(title, TITLE_MAX)
    return Header(
        published=published,
        published_text=published_text,
        title=title or None,
        byline=byline,
        dateline=dateline,
        news_id=news_id,
        body=body,
        source=source,
    )


def _split_stamp(value: str) -> tuple[str, str | None]:
    """'Nicole Emmett Updated: Mar 15, 2016 - 7:21 PM' -> ('Nicole Emmett', 'Mar 15, 2016 - 7:21 PM')."""
    parts = _STAMP_SPLIT.split(value, maxsplit=1)
    return parts[0].strip(), (parts[1].strip() if len(parts) > 1 else None)


def _first_nonblank(lines: Sequence[str]) -> int:
    for i, line in enumerate(lines):
        if line.strip():
            return i
    return -1


# =========================================================================== articles


def parse_article(raw: RawDocument) -> tuple[Article, list[IngestError]]:
    """Build an Article from a RawDocument; problems that don't stop it come back as warnings.

    Raises ValueError when no text is left once header lines are removed.
    """
    header = parse_header(raw.text)
    if not header.body.strip():
        raise ValueError("no article text left after removing header lines")
    warnings: list[IngestError] = []

    interval = DateInterval()
    header_iv = header.published if header.published.is_known else None
    if raw.published:
        interval, problem = _parse_date_text(raw.published)
        if problem:
            fallback = "using the date in the article header" if header_iv else "treated as undated"
            warnings.append(
                IngestError(
                    raw.path, raw.line, f"unusable published date '{raw.published}' ({problem}); {fallback}"
                )
            )
    if header_iv is not None and (not interval.is_known or _more_precise_within(header_iv, interval)):
        interval = header_iv  # the header date, or a header date that narrows the record's ('2021' -> day)
    elif not interval.is_known and header.published_text is not None:
        _, problem = _parse_date_text(header.published_text)
        warnings.append(
            IngestError(
                raw.path,
                raw.line,
                f"unusable date '{header.published_text}' in the article header ({problem}); treated as undated",
            )
        )
    if not interval.is_known:
        interval = DateInterval()
    published = _iso(interval)

    byline = header.byline
    extra = dict(raw.extra)
    if byline is None and isinstance(extra.get("author"), str) and extra["author"].strip():
        byline = extra["author"].strip()
    if header.news_id is not None:
        extra.setdefault("news_id", header.news_id)

    title = _cut(raw.title, TITLE_MAX) if raw.title and raw.title.strip() else header.title
    article = Article(
        id=article_id(header.body),
        doc_id=raw.doc_id,
        path=raw.path,
        line=raw.line,
        source=raw.source or header.source,
        title=title,
        url=raw.url,
        published=published,
        published_precision=interval.precision if published else None,
        published_interval=interval,
        byline=byline,
        dateline=header.dateline,
        text=header.body,
        extra=extra,
    )
    return article, warnings


# =========================================================================== ids

_QUOTES = str.maketrans(
    {
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "´": "'",
        "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
        "–": "-", "—": "-", "‒": "-", "―": "-", "−": "-", "‐": "-", "‑": "-",
        "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None,
    }
)  # fmt: skip


def normalise_text(text: str) -> str:
    """NFKC, casefold, typographic quotes/dashes to ASCII, invisible characters dropped, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return " ".join(text.split())


def article_id(text: str) -> str:
    """Stable 16-hex id of an article body: sha1 of its normalised text."""
    return hashlib.sha1(normalise_text(text).encode("utf-8")).hexdigest()[:16]


# =========================================================================== duplicates

SHINGLE_WORDS = 5
# A pair is a duplicate when this share of the shorter article's word 5-grams also occurs
# in the other one (weighted, see BOILERPLATE_DF). Chosen on labelled data:
# - sample 000/001 (a partial wire copy sharing five whole sentences) scores 0.40 with 122
#   shared 5-grams; 000/002 (different reports of the same event, similar wording) 0.10;
#   every other pair of sample articles 0.01 or less.
# - gva_pool dev (2,596 docs), pairs of real articles (sign-in/notification template pages,
#   which are textual copies of each other, counted apart): at 0.25 56 same-incident /
#   11 different-incident pairs, at 0.30 47 / 9, at 0.35 40 / 6. The different-incident
#   pairs are mostly shared site boilerplate (crime-stoppers paragraph, station footer) in
#   short articles, junk pages, or the same article filed under two incidents.
# - GVC dev: 2 pairs, both same incident; ECB+ dev: 49 pairs, all the same sub-topic.
# 0.30 keeps a wide margin under 000/001 while dropping most boilerplate-only matches.
DUPLICATE_CONTAINMENT = 0.30
# ... and they must share at least this many 5-grams (about two or three sentences), unless
# the shorter article is that short, in which case 90% of it must be shared.
MIN_SHARED_SHINGLES = 30
SHORT_TEXT_SHARE = 0.9
MIN_SHARED_FLOOR = 8  # a passage of ~12 words is never enough
# A 5-gram found in more than this many articles of the input counts less (weight
# BOILERPLATE_DF / document frequency): site footers, sign-in walls and crime-stoppers
# paragraphs repeat across unrelated stories. A wire story carried by many outlets keeps
# its score, since all its 5-grams are discounted alike.
BOILERPLATE_DF = 5
# 5-grams in more articles than this are ignored altogether (keeps the cost about linear).
MAX_SHINGLE_POSTINGS = 1000

_WORD = re.compile(r"\w+")


def _shingles(text: str) -> set[str]:
    words = _WORD.findall(normalise_text(text))
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def _canonical_key(article: Article) -> tuple:
    """Sort key of the canonical copy: earliest publication (undated last), then smallest id."""
    interval = article.published_interval
    earliest = interval.earliest if interval.is_known else None
    return (earliest is None, earliest or dt.date.min, article.id)


def _unique_by_id(articles: Sequence[Article]) -> dict[str, Article]:
    """One article per id; articles already marked as a copy (duplicate_of set) are left out."""
    by_id: dict[str, Article] = {}
    for a in articles:
        if a.duplicate_of is not None:
            continue
        if a.id not in by_id or _canonical_key(a) < _canonical_key(by_id[a.id]):
            by_id[a.id] = a
    return by_id


@dataclass(frozen=True)
class DuplicatePair:
    left: str  # article ids, left < right
    right: str
    containment: float  # weighted share of the shorter article found in the other
    shared: int  # shared word 5-grams


def duplicate_pairs(articles: Sequence[Article]) -> list[DuplicatePair]:
    """Every pair of distinct articles that are copies or partial copies of each other, sorted."""
    by_id = _unique_by_id(articles)
    ids = sorted(by_id)
    # Text many unrelated articles share (sign-in walls, footers) makes no copy.
    sets = [_shingles(content_text(by_id[i])) for i in ids]
    postings: dict[str, list[int]] = defaultdict(list)
    for n, shingles in enumerate(sets):
        for s in shingles:
            postings[s].append(n)
    weight = {
        s: min(1.0, BOILERPLATE_DF / len(docs))
        for s, docs in postings.items()
        if len(docs) <= MAX_SHINGLE_POSTINGS
    }
    sizes = [sum(weight.get(s, 0.0) for s in shingles) for shingles in sets]
    counts_raw = [sum(1 for s in shingles if s in weight) for shingles in sets]
    pairs: list[DuplicatePair] = []
    for n, shingles in enumerate(sets):
        shared: dict[int, int] = defaultdict(int)
        shared_weight: dict[int, float] = defaultdict(float)
        for s in shingles:
            w = weight.get(s)
            if w is None:
                continue
            for other in postings[s]:
                if other > n:
                    shared[other] += 1
                    shared_weight[other] += w
        for other, count in shared.items():
            smaller = min(counts_raw[n], counts_raw[other])
            needed = max(MIN_SHARED_FLOOR, min(MIN_SHARED_SHINGLES, math.ceil(SHORT_TEXT_SHARE * smaller)))
            if count < needed:
                continue
            containment = shared_weight[other] / max(min(sizes[n], sizes[other]), 1e-9)
            if containment >= DUPLICATE_CONTAINMENT:
                pairs.append(DuplicatePair(ids[n], ids[other], round(min(containment, 1.0), 4), count))
    pairs.sort(key=lambda p: (p.left, p.right))
    return pairs


def find_duplicates(articles: Sequence[Article]) -> dict[str, str]:
    """Map each duplicate article's id to the id of the canonical copy it duplicates.

    Copies (same normalised body -> same id), near-identical copies and partial wire copies
    sharing whole sentences are grouped (transitively); the canonical copy of a group is
    the earliest published one, then the smallest id, so the result does not depend on
    input order. Articles with the same id are one article and never map to themselves;
    articles whose `duplicate_of` is already set are left out (already resolved).
    """
    by_id = _unique_by_id(articles)
    parent: dict[str, str] = {i: i for i in by_id}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pair in duplicate_pairs(list(by_id.values())):
        a, b = find(pair.left), find(pair.right)
        if a == b:
            continue
        # keep the canonical (earliest, then smallest id) as the root
        if _canonical_key(by_id[b]) < _canonical_key(by_id[a]):
            a, b = b, a
        parent[b] = a
    result = {}
    for i in sorted(by_id):
        root = find(i)
        if root != i:
            result[i] = root
    return result
