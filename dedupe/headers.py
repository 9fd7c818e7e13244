"""The header of a plain-text article: metadata lines, byline, timestamp, dateline and title.

Plain-text articles carry their metadata in their first lines, in many variants: ' date 2021-06 First
sentence…', 'News ID: 90946' / 'Publish Date : 06 June 2021 - 21:44', an AP-style byline and
timestamp ('By QASSIM ABDUL-ZAHRA Associated Press' / '4 January 2022, 09:53'), then the dateline
that starts the story ('CAIRO (Reuters) – …', dedupe.datelines). parse_header reads them off the
top and leaves the story as the body; dedupe.articles weighs them against the record's own fields.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .datelines import find_dateline, match_dateline
from .models import DateInterval
from .published import MONTHS, STAMP_SPLIT, more_precise_within, parse_date_text

TITLE_MAX = 300


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
    "created",
    "created on",
    "first published",
    "originally published",
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
    set(MONTHS)
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
    interval, problem = parse_date_text(s)
    return interval if problem is None and interval.is_known else None


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
        m = match_dateline(s)
        if m and len(s) > m.end():
            s = s[m.end() :]
        s = s.strip(" *_")
        if not s:
            continue
        return cut_text(s, TITLE_MAX)
    return None


def cut_text(s: str, limit: int) -> str:
    """`s` on one line, cut at a word to at most `limit` characters with an ellipsis (titles)."""
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
        interval, problem = parse_date_text(value)
        if published_text is None:
            published, published_text = interval, value
        elif problem is None and more_precise_within(interval, published):
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
        if match_dateline(s):
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
    dateline, paren = find_dateline(body_split)
    if source is None and paren and re.fullmatch(_OUTLET_RE, paren.strip()):
        source = paren.strip()  # 'CINCINNATI (AP) —'
    if published_text is None and paren:
        interval, problem = parse_date_text(paren)
        if problem is None and interval.is_known:
            published, published_text = interval, paren
    if title is None:
        title = _derive_title(body)
    elif title:
        title = cut_text(title, TITLE_MAX)
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
    parts = STAMP_SPLIT.split(value, maxsplit=1)
    return parts[0].strip(), (parts[1].strip() if len(parts) > 1 else None)


def _first_nonblank(lines: Sequence[str]) -> int:
    for i, line in enumerate(lines):
        if line.strip():
            return i
    return -1
