"""The precision rules for world place names: which capitalised words name a place.

News text is full of capitalised words that are also place names ('Washington
said', 'President Lincoln', 'Clinton Drive', 'a party in Austin' in a Chicago
story). A world-gazetteer name counts only when the words around it say it is
a place (a locative preposition, the town's own police, a 'City, State'
pattern) or the article names it, its county or its state firmly elsewhere;
among namesakes, the one in a country or state the article names wins. The
curated names of dedupe/data/places.yml pass without these rules. Gazetteer
(dedupe.places) mixes these in; they read its records and name index.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from dedupe.place_names import (
    _MACRONS,
    F_ACRONYM,
    F_ALT,
    F_CASE,
    F_CONTEXT,
    F_CURATED,
    F_MINOR,
    _cap_ok,
    _new_tuple,
    _Tok,
)
from dedupe.place_roles import PLACE_FIRST_WORDS, in_headline

# English function words and titles (not place names) used by the precision rules.
_PREPS = frozenset("in at near outside from of into inside across throughout around within over above toward towards".split())
_MODIFIERS = frozenset(
    "the northern southern eastern western central north south east west northeast northwest southeast "
    "southwest northeastern northwestern southeastern southwestern downtown nearby neighboring neighbouring "
    "suburban rural greater".split()
)
_HONORIFICS = frozenset(
    "mr mrs ms miss dr president gen general sen senator rep gov governor judge justice officer sgt sergeant lt "
    "lieutenant capt captain col colonel maj major chief deputy detective det pastor rev reverend coach prof "
    "professor mayor secretary minister king queen prince princess lord lady sir sheikh imam ayatollah pope cpl "
    "pvt adm admiral commissioner councilman councilwoman attorney trooper agent".split()
)
_SPEECH = frozenset(
    "said says say told tells added adds stated announced claimed denied warned insisted argued asked wrote "
    "tweeted responded acknowledged explained noted replied testified recalled confirmed reported urged".split()
)
_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august "
    "september october november december jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_NEXT_OK = frozenset("county parish police sheriff state township province governorate region district borough metro area airport fire "
                     "thanksgiving christmas easter halloween".split())
_FUNCTION = frozenset(
    "and or but since on in for with to as after before by from at last this that over of is was has have had "
    "will would where when who which because until while during amid than said says a an his her their its "
    "our every each another".split()
)
_STREET_HEADS = frozenset("block corner intersection".split())
# Words that begin a clause, never a place name of several words.
_CONJUNCTIONS = frozenset("and or but nor because although though whereas".split())
_POLICE = frozenset("police sheriff sheriffs".split())
_PEOPLE = frozenset("man men woman women boy boys girl girls teen teens teenager teenagers youth juvenile child children "
                    "kids student students resident residents native brothers sisters toddler infant area".split())
# ... and the incident a headline calls after its town ('Alturas shooting victims identified')
_EVENTS = frozenset("shooting shootings homicide homicides murder murders slaying slayings stabbing stabbings killing "
                    "killings shootout standoff".split())
_HEADLINE_NEXT = _PEOPLE | _EVENTS
_STREET_WORDS = frozenset(
    "street streets st avenue avenues ave road roads rd drive drives dr boulevard blvd lane lanes ln way court ct "
    "place pl highway hwy parkway pkwy circle terrace trail freeway expressway pike turnpike".split()
)
_ONE_STREET = _STREET_WORDS - frozenset("streets avenues roads drives lanes".split())

_HYPHENS = ("-", "‐", "‑")

_UNSEEN = object()

_SPACE_RE = re.compile(r"[ \t]+")
_PREV_GAP_RE = re.compile(r"\.?[ \t]+")
_ADJECTIVE_GAP_RE = re.compile(r"[ \t]*[-‐‑]?[ \t]*")
_LIST_GAP_RE = re.compile(r",?[ \t]+")


class _Hit(NamedTuple):
    start: int
    end: int
    rec: int  # -1: an ambiguous name that only blocks shorter names inside it
    strong: bool  # firm enough to disambiguate other names in the article
    prio: int  # curated 3 > 'City, State' pattern 2 > world name 1
    country: str | None = None  # the country all readings of an ambiguous name share


class _SpanFacts(NamedTuple):
    """See Gazetteer._span_facts."""

    start: int
    end: int
    curated: list[tuple[int, int]]  # (record, flags) of curated names
    context: list[tuple[int, int]]  # ... of context-only aliases
    world: list[tuple[int, int]]  # ... of world-gazetteer names
    gate: tuple[Any, ...] | None  # see Gazetteer._gate_facts; None: no world name passes
    prep: bool  # a locative preposition before the span
    # (index key, capitalised, all capitals, gate, prep): all the above but where the span is,
    # so equal signatures are judged alike under the same profile
    sig: tuple[Any, ...]


def _gap(text: str, toks: list[_Tok], k: int) -> str:
    """Text between token k-1 and token k."""
    return text[toks[k - 1].end : toks[k].start]


def _shouted(text: str, start: int, end: int) -> bool:
    """Is text[start:end] a short word in capitals ('an SUV', 'S.O.B.'s') on a line that is
    not? News writes such words for abbreviations; a town's name in capitals is a dateline's
    or a headline's, whose line is all capitals."""
    letters = [c for c in text[start:end] if c.isalpha()]
    if not 0 < len(letters) <= 4 or not all(c.isupper() for c in letters):
        return False
    lo, hi = text.rfind("\n", 0, start) + 1, text.find("\n", end)
    return any(c.islower() for c in text[lo : hi if hi >= 0 else len(text)])


class NameRules:
    """Gazetteer's precision rules (see the module docstring)."""

    _recs: list[tuple[Any, ...]]
    _index: dict[str, tuple[int, ...]]
    _never: frozenset[str]
    _city_parts: frozenset[str]
    _needs_prep: frozenset[str]
    _bare_pop: int
    _bare_multi_pop: int
    _last_countries: tuple[frozenset[str] | None, tuple[set[str], set[str], set[str]]]
    _nests: dict[int, tuple[str, ...]]  # record -> its county and city ancestors, as _gate asks
    _score: Any  # Gazetteer._score: how well a record fits the places an article names
    _plain_verdicts: dict[tuple[Any, ...], tuple[Any, ...] | None]  # see _judge

    def _span_facts(self, text: str, toks: list[_Tok], i: int, j: int, key: str, loose: bool) -> _SpanFacts:
        """What _judge needs to know of tokens i..j-1 that does not depend on the article's
        profile: a text is judged twice (for its profile, then with the article's)."""
        span = toks[i:j]
        s, e = span[0].start, span[-1].end
        lower_input = loose and not any(c.isupper() for c in text)  # resolve_place('akron, ohio')
        cap = lower_input or _cap_ok(span, text)
        upper = None  # all capitals ('US', not 'Us'): looked at only for an acronym
        if j - i > 1 and text[e : e + 1] == "." and all(_gap(text, toks, k) == "." for k in range(i + 1, j)):
            e += 1  # 'U.S.', 'D.C.'
        cur, ctx, world = [], [], []
        for code in self._index[key]:
            n, fl = code >> 8, code & 255
            if fl & F_ACRONYM:
                if upper is None:
                    upper = lower_input or not any(c.isalpha() and not c.isupper() for c in text[s:e])
                if not upper:
                    continue
            if fl & F_CURATED:
                if cap or not fl & F_CASE:
                    (ctx if fl & F_CONTEXT else cur).append((n, fl))
            elif cap:
                world.append((n, fl))
        if world and not loose and _shouted(text, s, e):
            world = [c for c in world if c[1] & F_ACRONYM]
        gate: tuple[Any, ...] | None = None
        prep = False
        if world and not cur and not ctx:
            prep = not loose and key not in _CALENDAR and key not in _FUNCTION and self._has_prep(text, toks, i)
            if prep and (toks[i - 1].norm == "of" or (i > 1 and toks[i - 1].norm == "the" and toks[i - 2].norm == "of")):
                # 'of' places a town ('a resident of Hīt'), but a name read only once its macrons
                # are dropped needs more: 'in the final days of the Bush administration' is no Būsh
                world = [c for c in world if not _MACRONS.search(self._recs[c[0]][1])]
            gate = self._gate_facts(text, toks, i, j, key, loose, prep)
        # (the number of world names too: 'of the' leaves out those read without their macrons)
        return _SpanFacts(s, e, cur, ctx, world, gate, prep, (key, cap, upper, gate, prep, len(world)))

    def _judge(self, facts: _SpanFacts, prof: frozenset[str], loose: bool) -> _Hit | None:
        """Decide whether a span names a place, and which. Every text is first judged
        without a profile (Gazetteer._profile), and the same words come up in every
        article: those verdicts are remembered by the span's signature."""
        if prof:
            return self._weigh(facts, prof, loose)
        memo = self._plain_verdicts
        verdict = memo.get((facts.sig, loose), _UNSEEN)
        if verdict is _UNSEEN:
            hit = self._weigh(facts, prof, loose)
            verdict = None if hit is None else hit[2:]
            if len(memo) >= 200_000:
                memo.clear()
            memo[facts.sig, loose] = verdict
        return None if verdict is None else _new_tuple(_Hit, (facts.start, facts.end, *verdict))

    def _weigh(self, facts: _SpanFacts, prof: frozenset[str], loose: bool) -> _Hit | None:
        """_judge without the memory."""
        s, e, cur, ctx, world, gate, prep, _ = facts
        if cur:
            return _Hit(s, e, max(cur, key=lambda c: self._score(c[0], c[1], prof))[0], True, 3)
        if ctx:  # 'US embassy' is Baghdad's only in an article that names Baghdad
            ok = [c for c in ctx if self._anchor(c[0]) in prof]
            return _Hit(s, e, max(ok, key=lambda c: self._score(c[0], c[1], prof))[0] if ok else -1, False, 3)
        # the precision rules only ever remove world names
        gated = self._gate(world, gate, prof) if gate is not None else []
        if not gated:
            return None
        ranked = sorted(gated, key=lambda c: -self._score(c[0], c[1], prof))
        best = self._recs[ranked[0][0]]
        rivals = [self._recs[c[0]] for c in ranked[1:] if self._recs[c[0]][0] != best[0]]
        if best[2] in ("city", "county") and best[0] not in prof and not any(a in prof for a in best[7][:-1]):
            same_country = [r for r in rivals if r[2] == best[2] and r[4] == best[4]]
            named_elsewhere = any(p.startswith(f"admin1:{best[4]}.") for p in prof)
            if same_country and (best[2] == "county" or (named_elsewhere and best[8] < self._bare_pop)):
                # e.g. 'Madisonville' in an article about Ohio is not Kentucky's; the span
                # still blocks shorter names inside it ('Henry' of 'Henry County')
                return _Hit(s, e, -1, False, 1, best[4] if all(r[4] == best[4] for r in rivals) else None)
        # firm (usable as context) only when unambiguous; a state or country outranks
        # towns named after it ('Indiana' vs Indiana, Pa.), a town outranks nothing
        big = ("country", "admin1", "region")
        strong = not rivals or (best[2] in big and all(r[2] not in big for r in rivals))
        # a small town named bare ('between West Jackson and West Jefferson') is no evidence
        strong &= best[2] != "city" or loose or best[8] >= self._bare_pop or prep
        return _Hit(s, e, ranked[0][0], strong, 1, best[4] if all(r[4] == best[4] for r in rivals) else None)

    def _anchor(self, n: int) -> str:
        """What must be named for a context alias to apply: the city, else the parent."""
        rec = self._recs[n]
        return next((a for a in rec[7] if a.startswith("geonames:")), rec[7][0] if rec[7] else rec[0])

    def _gate_facts(self, text: str, toks: list[_Tok], i: int, j: int, key: str, loose: bool,
                    has_prep: bool) -> tuple[Any, ...] | None:
        """The context the precision rules for world names look at (see module docstring):
        None when they reject the name whatever the article says, () when they pass it.
        `has_prep`: _has_prep(text, toks, i)."""
        if key in _CALENDAR or key in _FUNCTION or (j - i > 1 and (
                toks[i].norm in _CONJUNCTIONS or toks[j - 1].norm in _FUNCTION)):
            return None  # 'And I' is not Andi, 'JUST IN:' no Justin
        if key in self._city_parts:
            return None  # 'LOWER EAST SIDE —' is no dateline of East Ridge, Tennessee
        if loose:
            return ()
        nxt = toks[j] if j < len(toks) and _SPACE_RE.fullmatch(_gap(text, toks, j)) else None
        prv = toks[i - 1] if i > 0 and _PREV_GAP_RE.fullmatch(_gap(text, toks, i)) else None
        # a locative preposition before, or the town's police after ('Bladensburg police')
        # ... or, in a headline, its people or its incident ('Riverview man arrested', 'Dalton area
        # boy dies', 'Alturas shooting victims identified')
        prep = has_prep or bool(nxt and (nxt.norm in _POLICE or (
            nxt.norm in _HEADLINE_NEXT and in_headline(text, toks[i].start))))
        police = bool(nxt and nxt.norm == "police")  # a town's own (a sheriff is a county's)
        if key in self._never or (not prep and ((prv and prv.norm in _HONORIFICS) or (nxt and nxt.norm in _SPEECH))):
            return None  # 'Washington said', 'President Lincoln'
        next_cap = bool(nxt and nxt.raw[0].isupper() and nxt.norm not in _NEXT_OK | _CALENDAR)
        # a capitalised word hyphened on is one name with it, a business's ('the Cook-Out',
        # 'Wal-Mart'), unless it names or begins a place too ('Dallas-Fort Worth', 'Akron-Canton')
        if j < len(toks) and _gap(text, toks, j) in _HYPHENS and toks[j].raw[0].isupper():
            next_cap |= toks[j].norm not in self._index and toks[j].norm not in PLACE_FIRST_WORDS
        prev_cap = bool(prv and (prv.raw[0].isupper() or prv.raw[0].isdigit()) and prv.norm not in _MODIFIERS | _PREPS | _CALENDAR | _FUNCTION)
        # street names: 'Clinton Drive', 'Van Buren St.', 'River Road', 'Belmont and Junction avenues'
        # ('New Roads', 'Hampton Roads': a name ending in a plural is no one street)
        # ... not a town's street in lower case ('on St. Louis street', 'on Chicago streets'), nor
        # a town whose name ends like a street's where a town's name stands ('in Federal Way',
        # 'Federal Way police'; a street is 'on' one)
        street = bool(nxt and nxt.norm in _STREET_WORDS and not nxt.raw.islower()) or (
            j - i > 1 and toks[j - 1].norm in _ONE_STREET and not (prv and prv.norm in ("in", "from"))
            and not (nxt and nxt.norm in _POLICE))
        street |= j + 2 < len(toks) and toks[j].norm == "and" and toks[j + 2].norm in _STREET_WORDS
        # a corner: 'at Brook and Winter', 'at 5th and Main' (towns are 'in Gary and Hammond'); only
        # small towns are read so (_gate): 'at Baghdad and Erbil airports' names two cities
        def named(t: _Tok) -> bool:
            return t.raw[0].isupper() or t.raw[0].isdigit()

        corner = bool(prv and prv.norm == "at" and j + 1 < len(toks) and toks[j].norm == "and" and named(toks[j + 1]))
        corner |= i > 2 and toks[i - 1].norm == "and" and toks[i - 3].norm == "at" and named(toks[i - 2])
        possessive = text[toks[j - 1].end : toks[j - 1].end + 1] in ("'", "’")  # "at Collins' home"
        adjectival = bool(  # 'US troops', 'U.S.-led'
            j < len(toks) and _ADJECTIVE_GAP_RE.fullmatch(_gap(text, toks, j)) and toks[j].raw[0].islower() and toks[j].norm not in _FUNCTION
        )
        return prep, next_cap, prev_cap, street, possessive, adjectival, key in self._needs_prep, j - i > 1, police, corner

    def _countries(self, prof: frozenset[str]) -> tuple[set[str], set[str], set[str]]:
        """The countries in a profile, the US states it is placed in ('@') and those it
        faintly hints at ('?', see place_profile); a scan asks once per span with the same
        profile."""
        last = self._last_countries
        if last[0] is not prof:
            last = self._last_countries = (prof, ({p for p in prof if p.startswith("country:")},
                                                  {p[1:] for p in prof if p.startswith("@admin1:US.")},
                                                  {p[1:] for p in prof if p.startswith("?")}))
        return last[1]

    def _gate(self, world: list[tuple[int, int]], facts: tuple[Any, ...], prof: frozenset[str]) -> list[tuple[int, int]]:
        """Precision rules for world-gazetteer names (see module docstring)."""
        if not facts:
            return world
        prep, next_cap, prev_cap, street, possessive, adjectival, needs_prep, several_words, police, corner = facts
        countries, states, faint = self._countries(prof)
        out, towns, licensed = [], [], False
        for n, fl in world:
            if (needs_prep and not prep) or (fl & F_ACRONYM and adjectival):
                continue
            rec = self._recs[n]
            confirmed = rec[0] in prof
            # the article names the county or city it lies in ('Granite Falls' beside 'Caldwell County')
            nest = self._nests.get(n)
            if nest is None:
                nest = self._nests[n] = tuple(a for a in rec[7] if a.startswith(("county:", "geonames:")))
            nested = not prof.isdisjoint(nest)
            if fl & F_MINOR and not (confirmed or (prep and (nested or not faint.isdisjoint(rec[7])))):
                # 'near Delia' beside 'Jackson County', 'Delia, Kan.'; never 'Fred LaRue'; 'in
                # Ivanhoe' beside 'Tyler County', which only Texas and West Virginia have
                continue
            if rec[2] == "county":
                out.append((n, fl))
            elif rec[2] != "city":
                if not next_cap:
                    out.append((n, fl))
            elif confirmed or not (prev_cap or street or (corner and rec[8] < self._bare_pop)):
                # a town of another country, named bare in an article about elsewhere, is a
                # person's name more often than not ('Rodriguez was pronounced dead')
                abroad = bool(countries) and not prep and not confirmed and f"country:{rec[4]}" not in countries
                # a small town of another state, or a town of a country the article does not
                # name, in an article placed in named states, is a neighbourhood, street,
                # building or person of the same name ('a party in Austin' in Chicago, 'the
                # Woodbridge apartments' in Memphis, 'Wellington Street in Parma'); a town
                # with police of its own is a town ('Valdosta police' beside 'Tallahassee')
                abroad |= bool(states) and not police and not confirmed and not nested and not states.intersection(rec[7]) and (
                    f"country:{rec[4]}" not in countries or (rec[4] == "US" and rec[8] < self._bare_pop))
                if several_words:
                    if not abroad and (prep or confirmed or nested or (rec[8] >= self._bare_multi_pop and not next_cap)):
                        out.append((n, fl))
                elif not next_cap:
                    # once one namesake licenses the word as a place name, all of them compete
                    # ('of Bristol' is Bristol, Conn. in an article that names Connecticut)
                    towns += [] if abroad else [(n, fl)]
                    licensed |= confirmed or nested or (prep and not possessive) or (rec[8] >= self._bare_pop and not fl & F_ALT)
        return out + towns if licensed else out

    @staticmethod
    def _has_prep(text: str, toks: list[_Tok], i: int) -> bool:
        """A locative preposition before token i, possibly with 'the'/'northern'... or a
        list of names ('in Iraq, Syria and') between."""
        k = m = i - 1
        listed = False
        while m >= 0 and k - m < 8 and _LIST_GAP_RE.fullmatch(_gap(text, toks, m + 1)):
            listed |= "," in _gap(text, toks, m + 1) or toks[m].norm in ("and", "or")
            if toks[m].norm not in ("and", "or") and not (toks[m].raw[0].isupper() and toks[m].norm not in _PREPS | _MODIFIERS):
                break
            m -= 1
        if listed and m < k:
            k = m
        skipped = 0
        while k >= 0 and _SPACE_RE.fullmatch(_gap(text, toks, k + 1)):
            w = toks[k].norm
            if w in _PREPS:
                if w == "of" and k > 0:  # 'block of Page', 'Bank of America' are not locations
                    before = toks[k - 1]
                    if before.norm in _STREET_HEADS or (before.raw[0].isupper() and _SPACE_RE.fullmatch(_gap(text, toks, k))):
                        return False
                return True
            if w not in _MODIFIERS or skipped == 2:
                return False
            k, skipped = k - 1, skipped + 1
        return False
