"""A town named bare is the namesake its article's other places lie beside.

'Henderson police ... St. Mary's Medical Center in Evansville ... Henderson County'
is Kentucky's Henderson, not Nevada's, though Nevada's is six times bigger; 'Canton
Police Chief ... Madison County investigators' is Mississippi's Canton. Toponym
resolvers have long used this: the places of one story cluster on the map. An
article rarely names the state of a town its readers know, but it names the county,
the hospital's town, the neighbouring city; its asides (place_roles) are evidence
here, though not where the incident happened.

Of a bare town's namesakes, one whose county the article names wins; else the one
within NEAR_KM of a town the article names by another name. Nothing moves when the
town read already has such a neighbour, or when two namesakes have one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .models import Mention, Place
from .place_hierarchy import distance_km, named_with_region
from .place_names import fold_name
from .place_roles import name_words
from .places import Gazetteer

NEAR_KM = 60.0
# A town small enough to share its name with a surname or a word is no neighbour to go by.
NEIGHBOUR_MIN_POP = 20_000
# Read loosely: 'Metro Nashville Police Department' is no place of the incident, but it
# says where Antioch is; 'Madison County investigators' where Canton is.
_COUNTY = re.compile(r"\b((?:[A-Z][a-z]+[ .]+){1,3})(?:County|Parish)\b")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:[ -](?:[A-Z][a-z]+))*")


def settle_bare_town(lead: Mention, mentions: Iterable[Mention], text: str, gazetteer: Gazetteer) -> None:
    """Move the lead's bare town, and every mention of the article that read the same
    town, to the namesake the places `text` (the article's title and text) names lie
    beside (module docstring)."""
    p = lead.place
    if p is None or p.kind != "city" or named_with_region(lead.place_text):
        return
    namesakes = gazetteer.namesakes(lead.place_text or p.name, p.country) or gazetteer.namesakes(p.name, p.country)
    if len(namesakes) < 2 or p.id not in {n.id for n in namesakes}:
        return
    counties, towns = read_neighbours(text, fold_name(p.name), p.country, gazetteer)
    best = pick_neighbour(p, namesakes, counties, towns, gazetteer)
    if best is None or best.id == p.id:
        return
    for m in (lead, *mentions):
        if m.place is not None and m.place.id == p.id:
            m.place = best


def read_neighbours(text: str, own: str, country: str | None, gazetteer: Gazetteer) -> tuple[set[str], list[Place]]:
    """The county names ('madison county') and the towns of at least NEIGHBOUR_MIN_POP
    of `country` (every namesake: which one is meant is what is being settled) that `text`
    names, other than the town of folded name `own`."""
    counties = {fold_name(f"{m.group(1).strip()} {m.group(0).rsplit(None, 1)[-1]}") for m in _COUNTY.finditer(text)}
    # People's names name no towns: 'neighbor Elizabeth Yanez' no Elizabeth, New Jersey (which put a
    # bare 'Oakland' there), 'Tia A. Ewing' no Ewing, New Jersey (which put Stockton there).
    seen: set[str] = set(name_words(text))
    towns: list[Place] = []
    for run in _CAPITALISED.finditer(text):
        words = run.group().replace("-", " ").split()
        for i in range(len(words)):
            for j in range(i + 1, min(i + 3, len(words)) + 1):
                key = fold_name(" ".join(words[i:j]))
                if key == own or key in seen:
                    continue
                seen.add(key)
                towns.extend(t for t in gazetteer.namesakes(key, country)
                             if t.latitude is not None and gazetteer.population(t.id) >= NEIGHBOUR_MIN_POP)
    return counties, towns


def pick_neighbour(current: Place, namesakes: list[Place], counties: set[str], towns: list[Place],
                   gazetteer: Gazetteer) -> Place | None:
    """The namesake whose county is named, else the one near a named town; None when the
    current one has that evidence or the evidence does not single one out."""
    for evidence in (lambda n: _county_named(n, counties, gazetteer), lambda n: _near_any(n, towns)):
        if evidence(current):
            return None
        backed = [n for n in namesakes if evidence(n)]
        if len(backed) == 1:
            return backed[0]
        if backed:
            return None
    return None


def _county_named(town: Place, counties: set[str], gazetteer: Gazetteer) -> bool:
    for a in town.ancestors:
        if a.startswith("county:"):
            county = gazetteer.get(a)
            if county is not None and fold_name(county.name) in counties:
                return True
    return False


def _near_any(town: Place, towns: list[Place]) -> bool:
    if town.latitude is None or town.longitude is None:
        return False
    return any(distance_km(town.latitude, town.longitude, t.latitude, t.longitude) <= NEAR_KM
               for t in towns if t.id != town.id and t.longitude is not None)
