"""The canonical place of an incident: which places its reports' votes count, which of
several namesakes they mean, and the most specific place they agree on (dedupe.canonical
calls these for each incident).
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict

from .models import Article, Mention, Place
from .place_hierarchy import city_vote, named_with_region, places_compatible, standalone_cities
from .place_names import fold_name
from .places import Gazetteer

SPECIFICITY = {"site": 0, "city": 1, "county": 2, "region": 3, "admin1": 4, "country": 5}


def explicit(m: Mention, field: str) -> bool:
    """Whether the mention's own sentence states `field`, rather than its article around it."""
    return bool(m.features.get("explicit", {}).get(field, True))


def voting_places(members: list[Mention], placed: dict[str, Place] | None = None) -> list[Place]:
    """The places that vote for the incident's: those the reports' sentences state, and
    the place each article's lead report settled on from its dateline or headline (what
    the article is about, even where its sentences only name a town in passing), else
    those read from the rest of the article, else the home towns of the reports' outlets;
    and when the sentences state only counties
    or states, also a town read elsewhere that lies in one ('Milwaukee' of the dateline in
    the 'Milwaukee County' of the sentences). `placed`: mention id -> the place to count
    for it instead of its own (dateline_places)."""
    if placed:
        members = [m if m.id not in placed else dataclasses.replace(m, place=placed[m.id]) for m in members]
    stated = [m.place for m in members if m.place is not None and (explicit(m, "place") or (
        m.features.get("lead") and not m.features.get("place_from_document")))]
    # (not a town guessed from the rest of an article that its outlet's home town outweighs:
    # home_country.note_home_cities)
    inferred = [m.place for m in members if not explicit(m, "place") and m.place is not None
                and not (m.features.get("place_from_document") and m.features.get("home_city"))]
    if not stated and not inferred:
        return home_cities(members)
    voting = stated or inferred
    if all(p.kind not in ("city", "site") for p in voting):
        areas = {p.id for p in voting}
        if stated:
            voting += [p for p in inferred if p.kind in ("city", "site") and areas.intersection(p.ancestors)]
        if all(p.kind not in ("city", "site") for p in voting):
            # a county or a state only: the outlets' home town, if it lies in one ('Orange County' in
            # the Orlando paper's story)
            voting += [p for p in home_cities(members) if areas.intersection(p.ancestors)]
    return voting


def home_cities(members: list[Mention]) -> list[Place]:
    """The home towns of the outlets whose reports place nothing (home_country.note_home_cities):
    the last resort of an incident no report places."""
    towns = [m.features["home_city"] for m in members if m.features.get("home_city")]
    if not towns:
        return []
    gazetteer = Gazetteer.default()
    return [p for t in towns if (p := gazetteer.get(t)) is not None]


def qualified_places(members: list[Mention]) -> set[str]:
    """Towns some report names with their state or country ('SMITHFIELD, N.C.', 'Columbus, GA'):
    those leave no doubt which of several namesakes is meant."""
    return {m.place.id for m in members
            if m.place is not None and m.place.kind == "city" and named_with_region(m.place_text)}


def dateline_places(members: list[Mention], articles: dict[str, Article]) -> dict[str, Place]:
    """mention id -> its town, in the state its article's dateline names: a town named bare
    below 'CAMERON, W.Va.' or 'WHITLEY COUNTY, Ky.' is that state's namesake ('Williamsburg'
    read as New York's becomes Kentucky's), and is as certain as one named with its state.
    A bare town of a state with no such namesake is one that news copy would have named
    with its state ('Raleigh, N.C.') were it that town, so below 'MEMPHIS, Tenn.' ('shot
    five people in Raleigh') it is a part of the dateline's place that the gazetteer does
    not know, and counts as that place; a city copy does name bare ('Chicago':
    place_hierarchy.standalone_cities) is left as read. A dateline that is a bare town
    ('MANHATTAN') moves nothing: it names no state, and the article's lead has already read
    it with the whole article ('Riley County', 'a Kansas teen'), where a state guessed from
    the biggest namesake would undo it."""
    out: dict[str, Place] = {}
    gazetteer = None
    for m in members:
        dateline = articles[m.article_id].dateline if m.article_id in articles else None
        if not dateline or m.place is None or m.place.kind != "city" or named_with_region(m.place_text):
            continue
        if not named_with_region(dateline) and "county" not in dateline.casefold():
            continue
        if gazetteer is None:
            from .places import Gazetteer  # loaded only for reports with a dateline

            gazetteer = Gazetteer.default()
        states = gazetteer.states_placed(dateline)
        if not states:
            continue
        if states.intersection(m.place.ancestors):
            out[m.id] = m.place
            continue
        there = [p for p in gazetteer.namesakes(m.place.name, m.place.country) if states.intersection(p.ancestors)]
        if len(there) == 1:
            out[m.id] = there[0]
        elif not there and named_with_region(dateline) and fold_name(m.place.name) not in standalone_cities():
            home = gazetteer.resolve_place(dateline)
            if home is not None and home.kind in ("city", "county") and states.intersection(home.ancestors):
                out[m.id] = home
    return out


def pool_namesakes(places: list[Place], qualified: set[str] = frozenset()) -> list[Place]:  # type: ignore[assignment]
    """Reports of one incident that name a town by the same name mean one town, though
    an article that names no state may have read another state's namesake ('Smithfield'
    as Rhode Island's, beside 'SMITHFIELD, N.C.'). The namesake a report names with its
    state wins, else the one most of the other places back (its county, its state, places
    within it, reports of it); their votes all go to it. Without a clear winner, none move."""
    groups: dict[str, dict[str, Place]] = defaultdict(dict)
    for p in places:
        if p.kind == "city":
            groups[p.name.casefold()][p.id] = p
    swap: dict[str, Place] = {}
    for namesakes in groups.values():
        if len(namesakes) < 2:
            continue
        named = [p for pid, p in namesakes.items() if pid in qualified]
        if len(named) == 1:
            best = named[0]
        else:
            backing = {pid: sum(1 for q in places if q.id == pid or q.id in c.ancestors or pid in q.ancestors)
                       for pid, c in namesakes.items()}
            ranked = sorted(namesakes, key=lambda pid: -backing[pid])
            if backing[ranked[0]] == backing[ranked[1]]:
                continue
            best = namesakes[ranked[0]]
        swap.update((pid, best) for pid in namesakes)
    return [swap.get(p.id, p) for p in places]


def canonical_place(places: list[Place]) -> Place | None:
    """The place the reports agree on. Reports vote for a city (a site votes
    for the city it lies in); within the winning city the most specific place
    named wins. Without any city (a base in a province), the most specific
    place compatible with most of the others. A province or a country is never
    chosen over a city that reports name."""
    if not places:
        return None
    # A county contains cities but is not one: it only gets a vote when no report names a city.
    votes = Counter(c for p in places if (c := city_vote(p)) and not c.startswith("county:"))
    if not votes:
        votes = Counter(c for p in places if (c := city_vote(p)))
    if votes:
        order = {c: i for i, c in reversed(list(enumerate(city_vote(p) for p in places)))}
        city = min(votes, key=lambda c: (-votes[c], order[c]))
        places = [p for p in places if city_vote(p) == city]

    def support(p: Place) -> int:
        return sum(1 for q in places if places_compatible(p, q))

    def inside(p: Place) -> int:  # a town inside another named ('Antioch' inside Nashville) is more specific
        return len({q.id for q in places if q.id in p.ancestors}) if votes else 0

    return min(places, key=lambda p: (SPECIFICITY.get(p.kind, 9) if votes else 0, -inside(p), -support(p),
                                      SPECIFICITY.get(p.kind, 9), -places.count(p), p.id))
