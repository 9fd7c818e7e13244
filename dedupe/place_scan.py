"""Scanning text for place names, for the gazetteer (dedupe.places): the tokens, the
spans that are name-index keys, the 'City, State' patterns, and the readings cached
per text, since a text is scanned twice (for its own profile, then with the article's)
and an article's sentences are read as slices of it. Which spans name a place is
judged by the rules in place_rules.py. Gazetteer mixes this in.
"""

from __future__ import annotations

import bisect
import re
from collections import OrderedDict
from typing import Any

from dedupe.place_names import (
    F_ABBR,
    F_ACRONYM,
    F_CASE,
    F_CONTEXT,
    F_CURATED,
    F_MINOR,
    F_POSTAL,
    _cap_ok,
    _Tok,
    _tokenize,
)
from dedupe.place_reading import (
    _DATELINE_RE,
    _after_commas,
    _dateline_tokens,
    _joinable,
    _Reading,
    cut,
    joined,
    lines_cut,
    without,
)
from dedupe.place_rules import _gap, _Hit

_DATELINE_END = re.compile(r"[ \t]*(?:[—–]|--?(?=[ \t]|[A-Z])|\(|\Z)")  # what follows a dateline

_IS_KEY, _STARTS_KEY, _CAPS_ONLY = 1, 2, 4  # see Gazetteer._key_kind


def _runs_on_left(toks: list[_Tok], joins: list[bool], i: int) -> bool:
    """Does a capitalised word joined to token i continue the name to its left? Then a
    postal-list town there is part of a longer name ('Greenwich Village, New York')."""
    return i > 0 and joins[i] and toks[i - 1].raw[0].isupper()


class TextScan:
    """Gazetteer's scanning of text (see the module docstring)."""

    _recs: list[tuple[Any, ...]]
    _index: dict[str, tuple[int, ...]]
    _suffix: dict[str, tuple[int, ...]]
    _maxlen: int
    _readings: OrderedDict[str, _Reading]
    _sorted_keys: list[str]
    _key_kinds: dict[str, int]
    _score: Any  # ArticleProfile._score (dedupe.place_profile)
    _judge: Any  # NameRules._judge (dedupe.place_rules)
    _span_facts: Any  # NameRules._span_facts

    def read_ahead(self, text: str, whole: str | None = None, cuts: list[tuple[int, int]] = ()) -> None:  # type: ignore[assignment]
        """Read `text` before a 'Title\nText' that holds it is read: that one then joins the
        title's reading to this one (see _read) instead of reading the text again, and so
        does not this one when it is scanned alone later. With `whole`, `text` is `whole`
        without the lines `cuts` (an article without its boilerplate), and its reading is
        taken from the reading of `whole`, which the article's sentences were looked up in."""
        if text in self._readings:
            self._readings.move_to_end(text)
        elif whole is not None and cuts and lines_cut(whole, cuts):
            toks, joins, spans, starts, ends = without(self._read(whole), cuts)
            self._keep(text, _Reading(toks, joins, spans, self._read_patterns(text, toks, joins), starts, ends, {}))
        else:
            self._read(text)

    def _scan(self, text: str, prof: frozenset[str], relaxed: bool = False, keep_blocked: bool = False) -> list[_Hit]:
        reading = self._read(text)
        toks, facts = reading.toks, reading.facts
        found = self._patterns(toks, reading.patterns, prof)
        for i, j, key, in_dateline, lowered in reading.spans:
            loose = relaxed or in_dateline
            if lowered and not loose:
                continue
            f = facts.get((i, j, loose))
            if f is None:
                f = facts[i, j, loose] = self._span_facts(text, toks, i, j, key, loose)
            hit = self._judge(f, prof, loose)
            if hit:
                found.append(hit)
        chosen: list[_Hit] = []
        for h in sorted(found, key=lambda h: (h.start - h.end, -h.prio, h.start)):
            if all(h.end <= c.start or c.end <= h.start for c in chosen):
                chosen.append(h)
        return sorted(h for h in chosen if h.rec >= 0 or keep_blocked)

    def _read(self, text: str) -> _Reading:
        """What a scan of `text` finds before weighing the article: the tokens, the
        spans that are index keys, the 'City, State' patterns. A text is scanned
        twice (for its own profile, then with the article's), so this is cached."""
        got = self._readings.get(text)
        if got is not None:
            self._readings.move_to_end(text)
            return got
        nl = text.find("\n")
        if nl >= 0 and (rest := self._readings.get(text[nl + 1 :])) is not None:  # 'Title\nText', the text read
            toks, joins, spans, starts, ends, facts = joined(self._read(text[:nl]), rest, nl + 1, text[nl + 1 :])
            return self._keep(text, _Reading(toks, joins, spans, self._read_patterns(text, toks, joins), starts, ends, facts))
        raw_ends: list[int] = []
        toks = _tokenize(text, raw_ends)
        joins = [False] + [_joinable(text, toks, k) for k in range(1, len(toks))]
        dateline = _dateline_tokens(text, toks)
        spans = []
        kinds, kind_of = self._key_kinds, self._key_kind
        n, maxlen = len(toks), self._maxlen
        norms = [t.norm for t in toks]
        for i in range(n):
            key = norms[i]
            kind = kinds.get(key)
            if kind is None:
                kind = kind_of(key)
            if kind & _IS_KEY:
                spans.append((i, i + 1, key, i in dateline, bool(kind & _CAPS_ONLY) and not _cap_ok(toks[i : i + 1], text)))
            if not kind & _STARTS_KEY:  # no name goes on from here
                continue
            for j in range(i + 1, min(n, i + maxlen)):
                if not joins[j]:
                    break
                key += norms[j]
                kind = kinds.get(key)
                if kind is None:
                    kind = kind_of(key)
                if kind & _IS_KEY:
                    spans.append((i, j + 1, key, bool(dateline) and all(k in dateline for k in range(i, j + 1)),
                                  bool(kind & _CAPS_ONLY) and not _cap_ok(toks[i : j + 1], text)))
                if not kind & _STARTS_KEY:
                    break
        reading = _Reading(toks, joins, spans, self._read_patterns(text, toks, joins), [t.start for t in toks], raw_ends, {})
        return self._keep(text, reading)

    def _key_kind(self, key: str) -> int:
        """Whether `key` is an index key (_IS_KEY), begins a longer one (_STARTS_KEY) and
        names a place only when capitalised (_CAPS_ONLY: no curated name that ignores case);
        remembered, since the same words come up in every article."""
        keys = self._sorted_keys
        pos = bisect.bisect_right(keys, key)
        kind = (_STARTS_KEY if pos < len(keys) and keys[pos].startswith(key) else 0)
        if key in self._index:
            kind |= _IS_KEY
            if all(not c & F_CURATED or c & F_CASE for c in self._index[key]):
                kind |= _CAPS_ONLY
        if len(self._key_kinds) >= 100_000:
            self._key_kinds.clear()
        self._key_kinds[key] = kind
        return kind

    def _keep(self, text: str, reading: _Reading) -> _Reading:
        self._readings[text] = reading
        if len(self._readings) > 512:
            self._readings.popitem(last=False)
        return reading

    def _read_slice(self, context: str, start: int, end: int) -> bool:
        """Cache the reading of context[start:end] cut from the reading of `context`:
        the same tokens and spans, unless a token runs across either end. False when
        the slice names no place: no comma ('City, State'), no dateline, and only
        lower-case words that need capitals."""
        text = context[start:end]
        if text in self._readings:
            return True
        whole = self._read(context)
        lo, hi = bisect.bisect_left(whole.starts, start), bisect.bisect_left(whole.starts, end)
        if (lo and whole.raw_ends[lo - 1] > start) or (hi and whole.raw_ends[hi - 1] > end):
            return True  # a word cut in two: read the slice afresh
        first, last = bisect.bisect_left(whole.spans, (lo,)), bisect.bisect_left(whole.spans, (hi,))
        if ("," not in text and all(lowered for _, j, _, _, lowered in whole.spans[first:last] if j <= hi)
                and not _DATELINE_RE.search(text)):
            return False
        toks, joins, spans, starts, ends = cut(whole, text, start, lo, hi, first, last)
        self._keep(text, _Reading(toks, joins, spans, self._read_patterns(text, toks, joins), starts, ends, {}))
        return True

    def _patterns(self, toks: list[_Tok], patterns: list[tuple[Any, ...]], prof: frozenset[str]) -> list[_Hit]:
        """The 'City, State' hits, the namesake chosen by the article's profile."""
        out = []
        for end, cands, hit in patterns:
            if cands:
                i, n, _ = max(cands, key=lambda c: self._score(c[1], c[2], prof))
                out.append(_Hit(toks[i].start, end, n, True, 2))
            else:
                out.append(hit)
        return out

    def _read_patterns(self, text: str, toks: list[_Tok], joins: list[bool]) -> list[tuple[Any, ...]]:
        """'Akron, Ohio', 'SUMMIT COUNTY, Ohio', 'Erbil, Iraq': a name followed by its
        state or country is resolved inside it, whatever the stoplists say. Returns
        (end, namesakes to choose from, or else a hit) in text order."""
        out: list[tuple[Any, ...]] = []
        for k in _after_commas(text, toks):
            gap = _gap(text, toks, k).strip()
            # an abbreviated last word keeps its period before the comma ('HAMILTON TWP., N.J.')
            if (gap != "," and (gap != ".," or len(toks[k - 1].raw) > 3)) or not toks[k].raw[0].isupper():
                continue
            key, suf = "", None
            for m in range(k, min(len(toks), k + 4)):
                if m > k and not joins[m]:
                    break
                key += toks[m].norm
                for code in self._suffix.get(key, ()):
                    n, fl, end = code >> 8, code & 255, toks[m].end
                    raw = text[toks[k].start : end]
                    if fl & F_POSTAL:
                        ok = m == k and len(raw) == 2 and raw.isupper()
                    elif fl & F_ABBR and text[end : end + 1] == ".":
                        ok, end = True, end + 1
                    elif fl & F_ABBR:
                        # a dateline's state without its period ('JACKSON, Tenn — An ...'); elsewhere
                        # 'Miss', 'Ill' and 'Mass' are words
                        ok = bool(_DATELINE_END.match(text, end))
                    else:
                        ok = _cap_ok(toks[k : m + 1]) and (not fl & F_ACRONYM or raw.upper() == raw)
                    if ok:
                        suf = (n, end, fl)
            if suf is None:
                continue
            sid = self._recs[suf[0]][0]
            xkey = ""
            cands: list[tuple[int, int, int]] = []  # (start token, rec, flags)
            for i in range(k - 1, max(-1, k - 1 - self._maxlen), -1):
                if i < k - 1 and not joins[i + 1]:
                    break
                xkey = toks[i].norm + xkey
                if _cap_ok(toks[i:k], text):
                    longer = _runs_on_left(toks, joins, i)
                    cands += [
                        (i, c >> 8, c & 255)
                        for c in self._index.get(xkey, ())
                        if not c & F_CONTEXT and sid in self._recs[c >> 8][7] and not (longer and c & F_MINOR)
                    ]
            if cands:
                first = min(c[0] for c in cands)  # longest name wins, then score
                out.append((suf[1], [c for c in cands if c[0] == first], None))
            elif self._recs[suf[0]][2] == "admin1" and toks[k - 1].raw[0].isupper():
                # a town we lack ('Moretown, Vt.') or only know elsewhere ('Mountain View,
                # Missouri' when only California's is loaded): the state, over the whole
                # span so that the town name cannot resolve to another state's
                known = [(i, c) for i in range(max(0, k - 4), k) for c in self._index.get("".join(t.norm for t in toks[i:k]), ())
                         if not (c & F_MINOR and _runs_on_left(toks, joins, i))]
                towns = [i for i, c in known if self._recs[c >> 8][2] in ("city", "county") and _cap_ok(toks[i:k], text)]
                start = toks[min(towns)].start if towns else toks[k].start
                if towns or suf[2] & (F_POSTAL | F_ABBR):
                    out.append((suf[1], None, _Hit(start, suf[1], suf[0], True, 2)))
        return out
