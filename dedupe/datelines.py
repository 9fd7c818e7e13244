"""Datelines: the place, and sometimes the outlet or date, that opens a story.

'CAIRO (Reuters) – …', 'AKRON, Ohio (June 2, 2019) — …', 'Newport News, Va. - …', 'Detroit — A
shooting…'. A dateline ends the header lines (the story starts there), is left out of a title taken
from the first line, and names where the report was filed, which place reading weighs later. Capitals
and a dash are not enough: 'US-led', 'COVID-19' and 'UPDATE —' open no dateline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

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


def match_dateline(line: str) -> re.Match[str] | None:
    """The dateline that starts `line` (its groups: place, paren), or None."""
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


def find_dateline(lines: Sequence[str]) -> tuple[str | None, str | None]:
    """(place, parenthesis) of the first dateline among the first few non-blank lines."""
    seen = 0
    for line in lines:
        if not line.strip():
            continue
        m = match_dateline(line)
        if m:
            return m["place"].strip().rstrip(","), m.groupdict().get("paren")
        seen += 1
        if seen >= DATELINE_SCAN_LINES:
            break
    return None, None
