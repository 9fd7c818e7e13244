"""What an article says of its places, for the gazetteer (dedupe.places) to weigh names by.

An article's *profile* is the ids (with ancestors) of the places it names firmly, the
states it is placed in ('@') and the states it only hints at ('~': a state in an agency's
name, an ambiguous county, a phone number's area code; '?', more faintly: the few states
that have a county of a name the article gives). Among namesakes, the one the
profile fits wins (_score). Gazetteer mixes this in; it reads its records and name index.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from typing import Any

from dedupe.place_names import F_ALT, F_CURATED, _cap_ok, fold_name
from dedupe.place_reading import area_codes
from dedupe.place_roles import declared_parts, is_person, names_thing, person_names
from dedupe.place_rules import _Hit

# A city this many times as big as every namesake is the one meant, firmly enough to tell
# which state an article is about.
_DOMINANT = 20
# An ambiguous county name shared by at most this many states hints at each of them.
_FEW_STATES = 3
_KIND_BASE = {"site": 9.0, "region": 8.0, "country": 8.0, "admin1": 7.0, "county": 6.0}


class ArticleProfile:
    """Gazetteer's reading of an article's places (see the module docstring)."""

    _recs: list[tuple[Any, ...]]
    _index: dict[str, tuple[int, ...]]
    _bare_pop: int
    _area_codes: dict[str, str]
    _profiles: OrderedDict[str, frozenset[str]]
    _article_facts: OrderedDict[str, tuple[dict[str, str], frozenset[str]]]
    _hints: dict[str, tuple[str, ...]]
    _county_states: dict[str, frozenset[str]]  # index key -> the states of the counties it names
    _scan: Any  # TextScan._scan (dedupe.place_scan)
    _read: Any  # TextScan._read

    def states_named(self, key: str) -> set[str]:
        """The states (admin1 ids) with a place of the folded name `key`."""
        return {a for c in self._index.get(key, ()) for a in self._recs[c >> 8][7] if a.startswith("admin1:")}

    def states_placed(self, text: str) -> frozenset[str]:
        """The US states (admin1 ids) `text` places itself in: named, or holding a place
        it names with its state, a county or a big city (see _profile)."""
        return frozenset(a[1:] for a in self._profile(text) if a.startswith("@"))

    def _facts(self, context: str) -> tuple[dict[str, str], frozenset[str]]:
        """What the article says of its names (place_roles): the parts of a city it names
        and the surnames of its people; cached as its profile is."""
        got = self._article_facts.get(context)
        if got is None:
            got = self._article_facts[context] = (declared_parts(context), person_names(context))
            if len(self._article_facts) > 256:
                self._article_facts.popitem(last=False)
        return got

    def _profile(self, text: str) -> frozenset[str]:
        """Ids (with ancestors) of the places firmly named in `text`; cached per text.
        '@' marks the states the text is placed in: named, or holding a place named with
        its state ('Akron, Ohio'), a county or a big city (a small town is no such
        evidence: 'a burglary in Ingleside' may be any state's Ingleside)."""
        prof = self._profiles.get(text)
        if prof is None:
            ids: set[str] = set()
            hits = self._scan(text, frozenset(), keep_blocked=True)
            # the article's people are read only when a town might be one: most sentences name none
            if any(h.rec >= 0 and self._recs[h.rec][2] == "city" for h in hits) and (persons := self._facts(text)[1]):
                # a person's surname ('Kelvin Watford ... Watford's friend') places no article
                hits = [h for h in hits if h.rec < 0 or self._recs[h.rec][2] != "city"
                        or not is_person(text, h.start, h.end, persons)]
            hits = self._without_town_countries(text, hits)
            # a street's or a building's name places nothing ('the Green Meadows apartment complex')
            hits = [h for h in hits if h.rec < 0 or self._recs[h.rec][2] != "city" or not names_thing(text, h.start, h.end)]
            firm = [self._recs[h.rec] for h in hits if h.strong and (
                self._recs[h.rec][2] != "city" or h.prio == 2 or self._recs[h.rec][8] >= self._bare_pop)]
            states = {a for rec in firm for a in (rec[0], *rec[7]) if a.startswith("admin1:US.")}
            # a big city that dwarfs its namesakes (Philadelphia, not Philadelphia, Miss.) in
            # an article that names no place of another state: its state is the article's
            dominant = {h for h in hits if not h.strong and self._dominates(text, h)}
            if dominant:
                named_states = {a for h in hits if h.strong for a in self._recs[h.rec][7] if a.startswith("admin1:US.")}
                dominant = {h for h in dominant if named_states <= set(self._recs[h.rec][7])}
            states |= {a for h in dominant for a in self._recs[h.rec][7] if a.startswith("admin1:US.")}
            named = {f"country:{rec[4]}" for rec in firm}
            for h in hits:
                if h.strong or h in dominant:
                    rec = self._recs[h.rec]
                    if (states and rec[2] == "city" and rec not in firm and not states.intersection(rec[7])
                            and (rec[4] == "US" or f"country:{rec[4]}" not in named)):
                        continue  # a namesake (see _gate): 'in the Wyandotte neighborhood' of Louisville
                    ids.add(rec[0])
                    ids.update(rec[7])
                elif h.country:  # 'Tyler County' is ambiguous, but in the US whichever it is
                    ids.add(f"country:{h.country}")
                if not h.strong and h.rec < 0:
                    # ... and a hint at its towns: 'Anderson' beside 'the Anderson County coroner'
                    # is the Anderson that lies in an Anderson County (see _score)
                    key = fold_name(text[h.start : h.end])
                    counties = [rec for c in self._index.get(key, ())
                                if (rec := self._recs[c >> 8])[2] == "county" and fold_name(rec[1]) == key]
                    ids.update(f"~{rec[0]}" for rec in counties)
                    # ... and, more faintly, at the other towns of its states when few states
                    # have such a county ('Tyler County' ... 'a home in Ivanhoe' is Texas's
                    # Ivanhoe, wherever its county): a name many states share says nothing
                    shared = {rec[7][0] for rec in counties if rec[7]}
                    if len(shared) <= _FEW_STATES:
                        ids.update(f"?{a}" for a in shared)
            ids.update(f"@{a}" for a in states)
            # a state named as part of a longer name ('the Iowa Division of Criminal
            # Investigation') is no place, but a hint at its towns (see find_places)
            reading = self._read(text)
            ends: dict[int, list[int]] = {}
            for i, j, *_ in reading.spans:
                ends.setdefault(i, []).append(j)
            for i, j, key, _, lowered in reading.spans:
                hints = self._hints.get(key)
                if hints is None:  # most names are no state's: remembered, they cost no more
                    hints = self._hints[key] = tuple(f"~{self._recs[c >> 8][0]}" for c in self._index[key]
                                                     if self._recs[c >> 8][2] == "admin1" and not c & (F_CURATED | F_ALT))
                if lowered or not hints:
                    continue
                inside = any(j <= b <= j + 3 and (a, b) != (i, j) for a in range(max(0, i - 3), i + 1)
                             for b in ends.get(a, ()))  # not 'Kansas' of 'Kansas City Mayor Sly James'
                if not inside and _cap_ok(reading.toks[i:j], text):
                    ids.update(hints)
            # so is a phone number's area code: a local story's tip line is a local number
            ids.update(f"~{state}" for code in area_codes(text) if (state := self._area_codes.get(code)))
            if any(i.startswith("admin1:") for i in ids):
                # a county of a state the article names is that state's ('Tyler County' in
                # an article about Texas), and then licenses the towns in it
                first = frozenset(ids)
                if self._may_name_county_of(reading, first):
                    for h in self._scan(text, first, keep_blocked=True):
                        rec = self._recs[h.rec] if h.rec >= 0 else None
                        if rec and rec[2] == "county" and rec[7][0] in first:
                            ids.add(rec[0])
            prof = self._profiles[text] = frozenset(ids)
            if len(self._profiles) > 256:
                self._profiles.popitem(last=False)
        return prof

    def _may_name_county_of(self, reading: Any, states: frozenset[str]) -> bool:
        """Could a scan of the reading hit a county of one of `states`? A scan only ever
        chooses among the records its spans' keys and its patterns index, so when none is
        such a county, the rescan with the states would add nothing and is skipped."""
        for _, _, key, _, _ in reading.spans:
            held = self._county_states.get(key)
            if held is None:  # most names are no county's: remembered, they cost no more
                held = self._county_states[key] = frozenset(
                    rec[7][0] for c in self._index[key] if (rec := self._recs[c >> 8])[2] == "county" and rec[7])
            if not held.isdisjoint(states):
                return True
        for _, cands, hit in reading.patterns:
            for n in [c[1] for c in cands] if cands else [hit.rec]:
                rec = self._recs[n] if n >= 0 else None
                if rec and rec[2] == "county" and rec[7] and rec[7][0] in states:
                    return True
        return False

    def _without_town_countries(self, text: str, hits: list[_Hit]) -> list[_Hit]:
        """The hits but a country named bare that is also a town of a county the text names
        firmly ('in Lebanon' under 'BOONE COUNTY, Ind.' is Boone County's Lebanon): the county
        says which, as a state does for its towns."""
        counties = {self._recs[h.rec][0] for h in hits if h.strong and h.rec >= 0 and self._recs[h.rec][2] == "county"}
        if not counties:
            return hits
        return [h for h in hits if h.rec < 0 or self._recs[h.rec][2] != "country" or h.prio == 2 or not any(
            counties.intersection(self._recs[c >> 8][7]) for c in self._index.get(fold_name(text[h.start : h.end]), ())
            if self._recs[c >> 8][2] == "city")]

    def _dominates(self, text: str, h: _Hit) -> bool:
        """Is the hit a big city, by its main name, _DOMINANT times as big as every other
        place of that name (other places' old or foreign names aside: Amman was Philadelphia)?"""
        if h.rec < 0 or self._recs[h.rec][2] != "city" or self._recs[h.rec][8] < self._bare_pop:
            return False
        size = self._recs[h.rec][8]
        for code in self._index.get(fold_name(text[h.start : h.end]), ()):
            rec = self._recs[code >> 8]
            if code >> 8 == h.rec and code & F_ALT:
                return False
            if code >> 8 != h.rec and not code & F_ALT and (rec[2] != "city" or rec[8] * _DOMINANT > size):
                return False
        return True

    def _score(self, n: int, flags: int, prof: frozenset[str]) -> float:
        rec = self._recs[n]
        s = _KIND_BASE[rec[2]] if rec[2] != "city" else math.log10(rec[8] + 1)
        s -= 2 if flags & F_ALT else 0
        if rec[0] in prof:
            return s + 100
        bonus = 0
        for a in rec[7]:
            if a in prof:
                bonus = max(bonus, 10 if a.startswith("country:") else 20)
            elif f"~{a}" in prof:  # a state hinted at (see find_places, _profile)
                bonus = max(bonus, 15)
            elif f"?{a}" in prof:  # one of few states with a county the article names: just
                bonus = max(bonus, 14)  # under a hint, so that a town of the county itself wins
        return s + bonus
