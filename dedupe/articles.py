"""Turn RawDocuments into Articles: header lines, publication date, stable id, duplicates.

- `parse_header(text)` recognises the header variants found in plain-text articles
  (' date 2021-06 First sentence…', 'News ID: …' / 'Publish Date : …', AP-style
  byline + timestamp lines) and the dateline at the start of the story
  ('CAIRO (Reuters) – …', 'AKRON, Ohio (June 2, 2019) — …').
- `parse_article(raw)` combines the structured fields of the record with the header.
- `article_id(text)` is a 16-hex sha1 of the normalised body text.
Publication dates are read by dedupe.published; copies are found by dedupe.duplicates.
"""

from __future__ import annotations

import calendar
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .models import Article, DateInterval, IngestError, RawDocument
from .published import MONTHS, STAMP_SPLIT, iso_date, more_precise_within, parse_date_text

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
        interval, problem = parse_date_text(paren)
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
    parts = STAMP_SPLIT.split(value, maxsplit=1)
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
        interval, problem = parse_date_text(raw.published)
        if problem:
            fallback = "using the date in the article header" if header_iv else "treated as undated"
            warnings.append(
                IngestError(
                    raw.path, raw.line, f"unusable published date '{raw.published}' ({problem}); {fallback}"
                )
            )
    if header_iv is not None and (not interval.is_known or more_precise_within(header_iv, interval)
                                  or predates(header_iv, interval)):
        # The header date, a header date that narrows the record's ('2021' -> day), or one before the
        # record's day: a record dated after the page's own stamp gives when it was updated or crawled.
        interval = header_iv
    elif not interval.is_known and header.published_text is not None:
        _, problem = parse_date_text(header.published_text)
        warnings.append(
            IngestError(
                raw.path,
                raw.line,
                f"unusable date '{header.published_text}' in the article header ({problem}); treated as undated",
            )
        )
    if not interval.is_known:
        interval = DateInterval()
    published = iso_date(interval)

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


def predates(header: DateInterval, record: DateInterval) -> bool:
    """Both are days, the header's the earlier."""
    return (header.precision == record.precision == "day" and header.latest is not None
            and record.earliest is not None and header.latest < record.earliest)


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


