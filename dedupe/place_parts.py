"""Names an article calls parts of a city, read as that city.

'Five shot in the Austin neighborhood' beside 'Chicago police' is Chicago's Austin,
not the capital of Texas; 'the Juniata section of Philadelphia' is Philadelphia's,
whatever Nebraska town shares its name. The gazetteer knows big cities' listed
neighbourhoods (place_hierarchy links them), but not every part a local paper names;
place_roles.declared_parts finds the names the article itself calls parts, and
`part_of` says which city such a name stands for, from the gazetteer's reading of it
and the big cities the article is firmly about.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from dedupe.place_hierarchy import (
    CITY_MIN_POPULATION,
    PARENT_RATIO,
    REACH_PER_SQRT_POPULATION,
    admin1_of,
    distance_km,
)

if TYPE_CHECKING:
    from dedupe.models import Place
    from dedupe.places import Gazetteer


def part_of(gazetteer: Gazetteer, place: Place, key: str, prof: frozenset[str], context: str, city: str) -> Place:
    """The place a name the article calls a part of a city stands for. `place` is the
    gazetteer's reading of the name (folded: `key`), `prof` the ids of the places the
    article is firmly about, `city` the city the article names it a part of, or ''.

    Of a named city ('the Juniata section of Philadelphia'): that city. Else a reading
    of the same state as a big city of the article, within its reach and a third of its
    size or less, is that city ('the Jamaica Plain neighborhood' of Boston); a reading of
    another state than the article's big city ('the Austin neighborhood' beside Chicago)
    is that city, unless its state has a place of the name. A part of a city the article
    names ('West Elsdon' of Chicago) stays itself."""
    if city:
        whole = gazetteer.resolve_place(city, context)
        if whole is not None and whole.kind == "city" and whole.id != place.id and whole.id not in place.ancestors:
            return whole
    if place.kind != "city" or any(
            (up := gazetteer.get(a)) is not None and re.search(rf"\b{re.escape(up.name)}\b", context)
            for a in place.ancestors if a.startswith("geonames:")):
        return place
    big = [c for p in prof if p.startswith("geonames:") and p != place.id and p not in place.ancestors
           and (c := gazetteer.get(p)) is not None and c.kind == "city"
           and gazetteer.population(p) >= CITY_MIN_POPULATION]
    state = admin1_of(place)
    same = sorted((c for c in big if admin1_of(c) == state), key=lambda c: -gazetteer.population(c.id))
    if same:
        size = gazetteer.population(place.id)
        for c in same:
            pop = gazetteer.population(c.id)
            if pop >= PARENT_RATIO * size and None not in (place.latitude, c.latitude) and distance_km(
                    place.latitude, place.longitude, c.latitude, c.longitude) <= REACH_PER_SQRT_POPULATION * math.sqrt(pop):
                return c
        return place
    named = gazetteer.states_named(key)
    big = [c for c in big if admin1_of(c) not in named]
    return max(big, key=lambda c: (gazetteer.population(c.id), c.id)) if big else place
