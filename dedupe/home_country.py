"""Where a corpus and its outlets are at home: a town named bare is the home namesake.

An article that names 'Birmingham', 'Springfield' or 'Paris' with no state or
country gives the gazetteer nothing to choose by but population: England's
Birmingham outranks Alabama's, Missouri's Springfield Illinois's. The rest of
the corpus knows better. A local outlet reports from one state: when at least
MIN_OUTLET_LEADS of an outlet's certainly placed lead reports, and twice as
many as in any other state, lie in one state, that is the outlet's home. A
news corpus is usually about one country (98% of gva_pool's placed lead reports
are in the US): when at least HOME_SHARE of all placed lead reports (at least
MIN_LEADS) lie in one country, that is the corpus's home.

A town a report names bare (not 'Paris, France' or 'SMITHFIELD, N.C.'), in an
article that places nothing else in the town's state or country, then becomes
its namesake in the article's own other states, else in the outlet's home
state (the one its title names after the headline, '... - WFSB 3 Connecticut',
else the one its leads or its web address give), else (for a town abroad) in
the corpus's home country, the most populous there. A bare town abroad with no namesake at home, an
ocean away from everything else the article places, is no place at all: a
surname ('Rodriguez'), a word read as a town ('SUV' as Suva) or a
neighbourhood of a home city (New Orleans' Gentilly), and is dropped; Moscow
in a story from Kyiv stays. A
corpus about many countries (ECB+) has no home country, and an outlet seen too
seldom no home state: nothing moves on their account. The same town named bare
again in the article is no other place: 'Springfield' three times still names no state.

This runs on all mentions at once, after extraction and before matching, so it
is the same whatever the number of workers; an update counts the database's
lead reports too (dedupe.incremental).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .models import Mention, Place
from .outlet_places import read_outlet_home
from .place_hierarchy import city_vote, distance_km, named_with_region
from .places import Gazetteer

HOME_SHARE = 0.8
MIN_LEADS = 20
MIN_OUTLET_LEADS = 1  # a certain lead in one state (and none elsewhere) beats population
FAR_KM = 2500  # a bare town abroad this far from all the article's other places is no town
BIG_RATIO = 10  # a town this many times bigger than its namesake in the home state keeps the name
MIN_CITY_LEADS = 1  # as MIN_OUTLET_LEADS: a lead of one town, half of the outlet's, makes its home town
CITY_SHARE = 0.5  # an outlet's home city holds at least this share of its leads placed in a town
# A town abroad this big, named alone in its article, is the story's place however far from home
# ('Kyiv' or 'Kabul' in a US corpus); a smaller one is judged by the home country (far_from)
LONE_MAX_POP = 100_000

Region = tuple[str, str]  # (country, first-level region name): ('US', 'Ohio')


@dataclass
class Homes:
    """Placed lead reports counted by country, and by outlet and region."""

    countries: Counter[str] = field(default_factory=Counter)
    outlets: dict[str, Counter[Region]] = field(default_factory=lambda: defaultdict(Counter))
    cities: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))  # outlet -> town id
    # country -> [latitude sum, longitude sum, count] of its located lead places: where a county or
    # state (which the gazetteer does not locate) roughly lies
    centres: dict[str, list[float]] = field(default_factory=lambda: defaultdict(lambda: [0.0, 0.0, 0]))
    named: dict[str, tuple[Place | None, Place | None]] = field(default_factory=dict)  # outlet -> its web address's home

    def add(self, other: Homes) -> Homes:
        self.countries.update(other.countries)
        for country, (lat, lon, n) in other.centres.items():
            c = self.centres[country]
            c[0], c[1], c[2] = c[0] + lat, c[1] + lon, c[2] + n
        for outlet, regions in other.outlets.items():
            self.outlets[outlet].update(regions)
        for outlet, towns in other.cities.items():
            self.cities[outlet].update(towns)
        return self

    def centre(self, country: str | None) -> tuple[float, float] | None:
        """The mean position of the country's located lead places, if any."""
        c = self.centres.get(country) if country else None
        return (c[0] / c[2], c[1] / c[2]) if c and c[2] else None

    def country(self) -> str | None:
        """The corpus's home country, if one holds HOME_SHARE of its placed lead reports."""
        return _dominant(self.countries, MIN_LEADS)

    def region_of(self, outlet: str | None) -> Region | None:
        """The outlet's home state: the one where most of its certainly placed lead reports
        lie (at least MIN_OUTLET_LEADS, and twice as many as in any other); else the state its
        web address names in the corpus's home country (outlet_places)."""
        counted = _plurality(self.outlets[outlet], MIN_OUTLET_LEADS) if outlet and outlet in self.outlets else None
        if counted is None and (state := self._named(outlet)[0]) is not None:
            return state.country, state.name
        return counted

    def regions_of(self, outlet: str | None) -> list[Region]:
        """region_of; else, for an outlet whose certain leads split between two states (a
        Kansas City station's Missouri and Kansas), those holding a third of them each, most
        first."""
        one = self.region_of(outlet)
        if one is not None:
            return [one]
        counted = self.outlets.get(outlet) if outlet else None
        if not counted:
            return []
        total = sum(counted.values())
        shared = [r for r, n in counted.most_common(3) if n * 3 >= total]
        return shared if len(shared) == 2 else []

    def city_of(self, outlet: str | None) -> str | None:
        """The outlet's home town (its id): the town of at least MIN_CITY_LEADS and CITY_SHARE of
        its lead reports placed in a town, and more than any other ('stltoday.com' is at home in
        St. Louis; an outlet with one lead in each of two towns has none); else the town its web
        address names ('montgomeryadvertiser.com')."""
        towns = self.cities.get(outlet) if outlet else None
        if towns:
            ranked = towns.most_common(2)
            top, n = ranked[0]
            if (len(ranked) < 2 or ranked[1][1] < n) and n >= MIN_CITY_LEADS and n >= CITY_SHARE * sum(towns.values()):
                return top
        town = self._named(outlet)[1]
        return town.id if town is not None else None

    def _named(self, outlet: str | None) -> tuple[Place | None, Place | None]:
        """The state and town the outlet's web address names, in the corpus's home country."""
        home = self.country() if outlet else None
        if home is None:
            return None, None
        if outlet not in self.named:
            self.named[outlet] = read_outlet_home(outlet, Gazetteer.default(), home)
        return self.named[outlet]


def _dominant(counts: Counter, at_least: int) -> object | None:
    total = sum(counts.values())
    if total < at_least:
        return None
    top, n = counts.most_common(1)[0]
    return top if n >= HOME_SHARE * total else None


def _plurality(counts: Counter, at_least: int) -> object | None:
    """The most common key when it has `at_least` and twice the runner-up."""
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < at_least or (len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]):
        return None
    return ranked[0][0]


def outlet_key(source: str | None) -> str | None:
    """'www.wbbjtv.com:80' and 'wbbjtv.com' are one outlet."""
    if not source:
        return None
    host = urlsplit(source if "//" in source else f"//{source}").hostname or source
    return host.lower().removeprefix("www.")


def count_homes(mentions: Iterable[Mention], sources: Mapping[str, str | None],
                gazetteer: Gazetteer | None = None) -> Homes:
    """Count the placed lead reports (`sources`: article id -> outlet)."""
    return count_lead_places(((sources.get(m.article_id), m.place, m.place_text) for m in mentions
                              if m.order == 0 and m.place is not None), gazetteer)


def count_lead_places(leads: Iterable[tuple[str | None, Place, str | None]],
                      gazetteer: Gazetteer | None = None) -> Homes:
    """Count lead reports given as (outlet, place, the words that named it). An outlet's
    are counted only where they leave no doubt (a town with no namesake, or named with
    its state): the doubtful ones are what its home is meant to settle."""
    homes = Homes()
    for source, p, text in leads:
        if not p.country or p.country == "?":
            continue
        homes.countries[p.country] += 1
        if p.latitude is not None and p.longitude is not None:
            c = homes.centres[p.country]
            c[0], c[1], c[2] = c[0] + p.latitude, c[1] + p.longitude, c[2] + 1
        outlet = outlet_key(source)
        if outlet and (town := city_vote(p)) and not town.startswith("county:"):
            homes.cities[outlet][town] += 1
        if outlet and p.admin1 and (p.kind != "city" or named_with_region(text) or len(
                (gazetteer := gazetteer or Gazetteer.default()).namesakes(text or p.name)) < 2):
            homes.outlets[outlet][p.country, p.admin1] += 1
    return homes


def settle_namesakes(mentions: list[Mention], sources: Mapping[str, str | None], homes: Homes,
                     gazetteer: Gazetteer | None = None) -> int:
    """Move each bare town to its home namesake, or drop a bare town abroad that has none (see the
    module docstring); returns how many mentions changed."""
    home = homes.country()
    by_article: dict[str, list[Mention]] = defaultdict(list)
    titled: dict[str, Region] = {}  # article id -> the state its title's outlet part names
    for m in mentions:
        by_article[m.article_id].append(m)
        if m.order == 0 and (state := m.features.get("outlet_state")):
            titled[m.article_id] = (state[0], state[1])
    moved = 0
    for m in mentions:
        p = m.place
        if p is None or p.kind != "city" or named_with_region(m.place_text):
            continue
        # the same town named bare again is no evidence of its state ('Springfield' thrice is one bare name)
        others = [o.place for o in by_article[m.article_id] if o.place is not None and o is not m
                  and (o.place.id != p.id or named_with_region(o.place_text))]
        own = {(o.country, o.admin1) for o in others if o.admin1}
        outlets = [titled[m.article_id]] if m.article_id in titled else homes.regions_of(
            outlet_key(sources.get(m.article_id)))
        # ('Paris' five times is still one bare name: the article must place something else there)
        abroad = home is not None and p.country != home and not any(o.country == p.country and o.id != p.id
                                                                    for o in others)
        strange = (p.country, p.admin1) not in own and bool(own or (outlets and (p.country, p.admin1) not in outlets))
        if not (abroad or strange):
            continue
        gazetteer = gazetteer or Gazetteer.default()  # loaded only when a town may move
        country = home if abroad else p.country
        # the words read ('Wal' for Waal), else the town's name ('DOWNTOWN JACKSON' for Jackson)
        found = gazetteer.namesakes(m.place_text or p.name, country) or gazetteer.namesakes(p.name, country)
        namesake = pick_namesake(found, own, outlets, abroad)
        if namesake is None and abroad and far_from(p, others, homes, home) and (
                others or gazetteer.population(p.id) < LONE_MAX_POP):
            # No town of that name at home, and an ocean away from everything else the article
            # places: a surname, a brand or a neighbourhood ('Rodriguez', 'SUV' read as Suva,
            # New Orleans' Gentilly), not a town abroad. (Moscow in a story from Kyiv stays.)
            m.place, m.place_text = None, None
            moved += 1
            continue
        if namesake is None or namesake.id == p.id:
            continue
        if not abroad and gazetteer.population(namesake.id) * BIG_RATIO < gazetteer.population(p.id):
            continue  # a bare 'Atlanta' or 'Brooklyn' is the big one, whatever the outlet's state
        m.place = namesake
        moved += 1
    return moved


def note_home_cities(mentions: list[Mention], sources: Mapping[str, str | None], homes: Homes) -> int:
    """Note on each lead report that places nothing, or no town, or only a town of another
    state guessed from the rest of its article, its outlet's home town (features['home_city']):
    a local outlet's story that names no place is most often of its own town, which the
    canonical record falls back on when no report of the incident places it, or places it
    only in a county or state the town lies in (canonical_place.voting_places). Returns how
    many leads were noted."""
    noted = 0
    for m in mentions:
        town_read = m.place is not None and m.place.kind in ("city", "site")
        if m.order != 0 or (town_read and not m.features.get("place_from_document")):
            continue
        town = homes.city_of(outlet_key(sources.get(m.article_id)))
        if not town:
            continue
        if town_read:
            # a town only guessed from how often the article names it, in another state than
            # the outlet's own town, says less than the outlet ('San Antonio' of a Mobile station's
            # story of a local case that names a Texas trial in passing)
            home = Gazetteer.default().get(town)
            if home is None or (home.country, home.admin1) == (m.place.country, m.place.admin1):
                continue
        m.features["home_city"] = town
        noted += 1
    return noted


def far_from(p: Place, others: list[Place], homes: Homes | None = None, home: str | None = None) -> bool:
    """Whether every other place of the article is FAR_KM or more from `p` (False when none
    is located: nothing to judge by). A county or state, which the gazetteer does not locate,
    stands at the centre of its country's lead places (`homes`): 'Orleans Parish' is an ocean
    away from Algeria's Algiers. An article that places nothing else is judged by the centre
    of the corpus's `home` country, what a story in a corpus about it is most likely about:
    'the Soho nightclub' of a New York story is no English town."""
    if p.latitude is None or p.longitude is None:
        return False
    located = [(o.latitude, o.longitude) for o in others if o.latitude is not None and o.longitude is not None]
    if homes is not None:
        located += [c for o in others if o.latitude is None and (c := homes.centre(o.country)) is not None]
        if not others and home is not None and (c := homes.centre(home)) is not None:
            located.append(c)
    return bool(located) and all(distance_km(p.latitude, p.longitude, lat, lon) >= FAR_KM for lat, lon in located)


def pick_namesake(namesakes: list[Place], own: set[Region], outlets: list[Region], abroad: bool) -> Place | None:
    """The namesake in the article's own states, else in the outlet's (the first of them
    that has one), else (for a town abroad) the most populous; `namesakes` come most
    populous first."""
    for regions in (own, *({r} for r in outlets)):
        found = [n for n in namesakes if (n.country, n.admin1) in regions]
        if found:
            return found[0]
    return namesakes[0] if abroad and namesakes else None
