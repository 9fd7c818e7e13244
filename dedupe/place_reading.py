"""The reading of a text the gazetteer scans: its tokens, the spans of them that are index
keys, which tokens can continue a name and which lie in a dateline (Gazetteer._read).

Tokens, joins, spans and dateline marks never reach across a line break, so the reading of
'Title\nText' is the title's followed by the text's, shifted (joined): an article's text is
read once, not again under its headline.
"""

from __future__ import annotations

import bisect
import re
from typing import Any, NamedTuple

from dedupe.place_names import _new_tuple, _Tok
from dedupe.place_rules import _gap, _SpanFacts

_GAP_RE = re.compile(r"[ \t]+|[ \t]*[-‐‑–][ \t]*|['’]s[ \t]+")
_DOT_GAP_RE = re.compile(r"\.[ \t]*")
# a North American phone number: '(504) 822-1111', '601-485-1893'; group 1 is its area code
_PHONE_RE = re.compile(r"(?<![\d-])\(?([2-9]\d\d)\)?[-. ]?[2-9]\d\d[-.]\d{4}(?!\d)")
_DATELINE_RE = re.compile(
    r"(?m)^[ \t]*([A-Z][A-Z'’.\-]+(?:[ \t]+[A-Z][A-Z'’.\-]*){0,4})"
    r"(?=(?:,[ \t]*[A-Z][A-Za-z.]*(?:[ \t]+[A-Z][A-Za-z.]*)?)?(?:[ \t]*\([^)\n]{1,60}\))?[ \t]+(?:—|–|--|-|>>))"
)


class _Reading(NamedTuple):
    toks: list[_Tok]
    joins: list[bool]  # joins[k]: token k can continue a name begun before it
    # (first token, end token, index key, inside a dateline, can only name a place when
    # capitals are not asked for: lower-case words whose every reading needs capitals)
    spans: list[tuple[int, int, str, bool, bool]]
    patterns: list[tuple[Any, ...]]  # see Gazetteer._read_patterns
    starts: list[int]  # where each token starts
    raw_ends: list[int]  # where each token ends before a possessive is cut off
    facts: dict[tuple[int, int, bool], _SpanFacts]  # filled in as spans are judged


def _after_commas(text: str, toks: list[_Tok]) -> list[int]:
    """The tokens after a gap holding a comma, in order: only they can start 'City, State'."""
    out: list[int] = []
    pos = text.find(",")
    if pos < 0:
        return out
    starts = [t.start for t in toks]
    while pos >= 0:
        k = bisect.bisect_right(starts, pos)
        if 0 < k < len(toks) and toks[k - 1].end <= pos and (not out or out[-1] != k):
            out.append(k)
        pos = text.find(",", pos + 1)
    return out


def _dateline_tokens(text: str, toks: list[_Tok]) -> set[int]:
    """Tokens inside a dateline ('BAGHDAD —'), where capitals are no evidence against a name."""
    dateline: set[int] = set()
    for m in _DATELINE_RE.finditer(text):
        dateline.update(k for k, t in enumerate(toks) if m.start(1) <= t.start and t.end <= m.end(1))
    return dateline


def _joinable(text: str, toks: list[_Tok], k: int) -> bool:
    """Can token k continue a name begun before it? Spaces, hyphens and possessives
    join; a period only after a short token ('St. Louis', 'U.S.'). The pronoun 'I' never
    does: folded together, 'Then I' would be Theni, India."""
    if toks[k].raw == "I":
        return False
    g = _gap(text, toks, k)
    if g == " ":
        return True
    return bool(_GAP_RE.fullmatch(g)) or (len(toks[k - 1].raw) <= 3 and bool(_DOT_GAP_RE.fullmatch(g)))


def joined(first: _Reading, rest: _Reading, offset: int, rest_text: str) -> tuple[
        list[_Tok], list[bool], list[tuple[int, int, str, bool, bool]], list[int], list[int], dict[Any, _SpanFacts]]:
    """Tokens, joins, spans, starts, raw ends and span facts of a text whose first line was
    read as `first` and whose lines after it, `rest_text` starting at `offset`, as `rest`;
    the 'City, State' patterns may reach across the line break (and \\Z ends the text), so
    they are read again."""
    nf, nr = len(first.toks), len(rest.toks)
    toks = first.toks + [_new_tuple(_Tok, (s + offset, e + offset, raw, norm)) for s, e, raw, norm in rest.toks]
    # a reading of no tokens has joins [False]; a token after a line break never continues a name
    joins = first.joins[:nf] + rest.joins[:nr] or [False]
    spans = first.spans + [(i + nf, j + nf, key, d, low) for i, j, key, d, low in rest.spans]
    return (toks, joins, spans, first.starts + [s + offset for s in rest.starts],
            first.raw_ends + [e + offset for e in rest.raw_ends], carried_facts(rest, rest_text, nf, offset))


def carried_facts(rest: _Reading, rest_text: str, nf: int, offset: int) -> dict[tuple[int, int, bool], _SpanFacts]:
    """The span facts of `rest` (see joined) that hold under a first line too, shifted: those
    of spans on its second line or later, with three tokens before them, judged not loosely.
    What _span_facts reads of a span's surroundings stops at a line break, but for the
    headline test (only a first line is one), the corner test (three tokens back) and a
    loose span's test of the whole text for capitals."""
    nl = rest_text.find("\n")
    if nl < 0 or not rest.facts:
        return {}
    first = max(bisect.bisect_left(rest.starts, nl), 3)
    return {(i + nf, j + nf, False): _new_tuple(_SpanFacts, (f.start + offset, f.end + offset, *f[2:]))
            for (i, j, loose), f in rest.facts.items() if i >= first and not loose}


def cut(whole: _Reading, text: str, start: int, lo: int, hi: int, first: int, last: int) -> tuple[
        list[_Tok], list[bool], list[tuple[int, int, str, bool, bool]], list[int], list[int]]:
    """Tokens, joins, spans, starts and raw ends of `text`, tokens lo..hi-1 of the text read
    as `whole` from `start` on, whose spans first..last-1 start there (Gazetteer._read_slice)."""
    toks = [_new_tuple(_Tok, (s - start, e - start, raw, norm)) for s, e, raw, norm in whole.toks[lo:hi]]
    dateline = _dateline_tokens(text, toks)
    spans = [(i - lo, j - lo, key, all(k in dateline for k in range(i - lo, j - lo)), lowered)
             for i, j, key, _, lowered in whole.spans[first:last] if j <= hi]
    return (toks, [False] + whole.joins[lo + 1 : hi], spans,
            whole.starts[lo:hi] if not start else [s - start for s in whole.starts[lo:hi]],
            [e - start for e in whole.raw_ends[lo:hi]])


def lines_cut(text: str, cuts: list[tuple[int, int]]) -> bool:
    """Are `cuts` whole lines of `text` (a line's start to its end, before its line break), in
    order and apart? Then the text without them reads as its other lines do (without)."""
    last = -1
    for s, e in cuts:
        if not last < s <= e <= len(text) or (s and text[s - 1] != "\n") or (e < len(text) and text[e] != "\n"):
            return False
        last = e
    return True


def without(whole: _Reading, cuts: list[tuple[int, int]]) -> tuple[
        list[_Tok], list[bool], list[tuple[int, int, str, bool, bool]], list[int], list[int]]:
    """Tokens, joins, spans, starts and raw ends of the text read as `whole` with the lines
    `cuts` taken out (lines_cut): nothing of a reading but the 'City, State' patterns reaches
    across a line break, so the other lines' tokens and spans stay as they were, shifted."""
    toks: list[_Tok] = []
    joins: list[bool] = []
    ends: list[int] = []
    new = [-1] * len(whole.toks)
    shift, r = 0, 0
    for k, (s, e, raw, norm) in enumerate(whole.toks):
        while r < len(cuts) and cuts[r][1] <= s:
            shift += cuts[r][1] - cuts[r][0]
            r += 1
        if r < len(cuts) and cuts[r][0] <= s:
            continue
        new[k] = len(toks)
        toks.append(_new_tuple(_Tok, (s - shift, e - shift, raw, norm)))
        joins.append(whole.joins[k])
        ends.append(whole.raw_ends[k] - shift)
    spans = [(new[i], new[i] + j - i, key, d, low) for i, j, key, d, low in whole.spans if new[i] >= 0]
    return toks, joins or [False], spans, [t.start for t in toks], ends


def area_codes(text: str) -> list[str]:
    """The area codes of the phone numbers in `text`, in order."""
    return [m.group(1) for m in _PHONE_RE.finditer(text)]
