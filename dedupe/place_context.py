"""Places an article states outside its body text: the headline and the dateline.

A headline names where it happened more often than any sentence ('4 hurt in shooting
in Sacramento'), and often ends with the outlet's own name and city ('... - KXYZ News -
Memphis, Tennessee'). The headline proper is read for the incident's place; the
outlet's part only as context, since a station reports on its whole region. A local
story's dateline ('GREENACRES, Fla. —') names the town it was filed from, which is
where it happened when the sentences name only the county around it.
"""

from __future__ import annotations

import re

from dedupe.models import Article, Mention, Place, PlaceHit
from dedupe.place_hierarchy import admin1_of, city_of, is_broad
from dedupe.place_names import fold_name
from dedupe.place_roles import names_people, person_names
from dedupe.places import Gazetteer

# ' - ', ' | ', ' — ' separate a headline from the outlet's name appended to it.
_OUTLET_SEP = re.compile(r"\s+[|\-–—]\s+|\s*\|\s*")
# Kinds that say where an incident happened finely enough to stand for it.
_LOCAL = ("site", "city", "county")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_LOCATIVE = frozenset("in at near outside from".split())
# Words of more than three letters a Title Case headline may leave in lower case.
_TITLE_CASE_LOWER = frozenset("with from into onto over after during against between about under until upon "
                              "than that this when while near among amid before behind".split())


def headline_of(title: str) -> str:
    """The headline without the outlet's name and city appended after a separator."""
    return _OUTLET_SEP.split(title, maxsplit=1)[0]


def sentence_case(head: str, text: str) -> str:
    """The headline in the case its words have in the article, so that capitals mark
    names again ('Baltimore Homicides', 'Hummelstown Juvenile dead'): a capitalised
    word (not the first) that the text writes more often in lower case than not is
    lowered, and in a Title Case headline one the text does not write at all, unless
    a preposition puts it in place ('... At Birthday Party In Compton'). Offsets are kept."""
    words = list(_WORD.finditer(head))[1:]
    capitals = sum(1 for w in words if w.group()[0].isupper())
    if not capitals:
        return head
    # In Title Case a word the text never writes is lowered too ('Baltimore Homicides'). A long word
    # in lower case that is no preposition says the headline is in sentence case, however few its
    # words ('4 shot, one fatally, on St. Louis street').
    long_words = [w.group() for w in words if len(w.group()) > 3]
    title_case = capitals >= 0.6 * len(long_words) and not any(
        w[0].islower() and w.lower() not in _TITLE_CASE_LOWER for w in long_words)
    counts: dict[str, int] = {}
    for w in _WORD.findall(text.replace(head, " ")):  # not the headline the text repeats
        key = w.lower()
        counts[key] = counts.get(key, 0) + (1 if w[0].islower() else -1)
    out = list(head)
    for k, w in enumerate(words):
        word = w.group()
        if not word[0].isupper() or word.isupper():
            continue
        count = counts.get(word.lower())
        after_prep = words[k - 1].group().lower() in _LOCATIVE if k else False
        if (count or 0) > 0 or (title_case and count is None and not after_prep):  # 'In Compton' stays
            out[w.start()] = word[0].lower()
    return "".join(out)


def titled(title: str, text: str, gazetteer: Gazetteer) -> str:
    """The title and the text as one context for the title's places. The text is read on
    its own first: the article's places are looked up in it alone too, and the two then
    share its reading (Gazetteer.read_ahead)."""
    gazetteer.read_ahead(text)
    return f"{title}\n{text}"


def find_headline_place(title: str | None, text: str, gazetteer: Gazetteer, asides: bool = False) -> PlaceHit | None:
    """The most specific local place the headline names, read in the light of the
    whole title and the article text; None when it names none. Without `asides`, a
    place named in passing (a hospital's town: place_roles) does not count; a headline's
    people's town does ('Savannah teen shoots friend'), after any other place."""
    if not title:
        return None
    head = sentence_case(headline_of(title), text)
    hits = [h for h in gazetteer.find_places(head, context=titled(title, text, gazetteer), asides=asides)
            if h.place.kind in _LOCAL]
    if not hits:
        return None
    # where its people are from only when it names no other place ('Pittsburgh man to stand
    # trial for Allentown homicide')
    return min(hits, key=lambda h: (names_people(head, h.end), _LOCAL.index(h.place.kind), h.start))


def outlet_place(title: str | None, text: str, gazetteer: Gazetteer) -> PlaceHit | None:
    """The city the outlet's part of the title names ('... - WMC Action News 5 - Memphis,
    Tennessee'), the last one; None when it names none."""
    hits = [h for h in _outlet_hits(title, text, gazetteer) if h.place.kind == "city"]
    return hits[-1] if hits else None


def outlet_state(title: str | None, text: str, gazetteer: Gazetteer) -> Place | None:
    """The state the outlet's part of the title places the outlet in, by itself or by a
    town ('... - WFSB 3 Connecticut', '... - KSLA News 12 Shreveport, Louisiana'), the last
    one named; None when it names none. A station's stories are of its own state more often
    than not, though its title tells nothing of the story's town."""
    hits = [h for h in _outlet_hits(title, text, gazetteer) if h.place.kind in ("city", "county", "admin1") and h.place.admin1]
    return hits[-1].place if hits else None


def _outlet_hits(title: str | None, text: str, gazetteer: Gazetteer) -> list[PlaceHit]:
    """The places named in the outlet's part of the title, after the headline."""
    if not title:
        return []
    rest = title[len(headline_of(title)):]
    return gazetteer.find_places(rest, context=titled(title, text, gazetteer)) if rest else []


def _broad(place: Place | None) -> bool:
    """No place, or one too coarse to stand for an incident."""
    return place is None or is_broad(place)


def _may_lie_in(town: Place, area: Place) -> bool:
    """The town lies in the area, or may: a town whose county is unknown may lie in
    any county of its state."""
    if area.id in town.ancestors:
        return True
    return (area.kind == "county" and not any(a.startswith("county:") for a in town.ancestors)
            and admin1_of(town) == admin1_of(area))


def _aside_place(lead: Mention, article: Article, content: str, gazetteer: Gazetteer) -> tuple[Place, str] | None:
    """A local place the lead passage, else the headline, names only in passing ('A
    Kuna man was hurt', 'Savannah teen shoots friend'): where the people are from is
    where it happened more often than not when nothing else says where."""
    hits = [h for h in gazetteer.find_places_in(article.text, lead.start, lead.end, also=article.title, asides=True)
            if h.place.kind in _LOCAL]
    if hits:
        best = min(hits, key=lambda h: (_LOCAL.index(h.place.kind), h.start))
        return best.place, best.text
    head = find_headline_place(article.title, content, gazetteer, asides=True)
    return (head.place, head.text) if head is not None else None


def _dateline_over_lead(town: Place, here: Place, dateline: str, hits: list[PlaceHit], gazetteer: Gazetteer) -> bool:
    """Does the dateline's town, rather than another town the lead names, say where it
    happened? When the article names it again beyond the dateline, and the lead's town is
    of another state the article names less ('five people shot in Raleigh' under MEMPHIS,
    Tenn.: Memphis's Raleigh), or smaller, not the big city a bureau or station files from
    (KATY, Texas over 'a Houston-area home'; not INDIANAPOLIS over a story of Kokomo). A
    site the lead names (a base, an airport) is more precise than any dateline."""
    if town.kind != "city" or here.kind != "city" or town.id in (here.id, *here.ancestors) \
            or here.id in town.ancestors or here.name.lower() in dateline.lower():
        return False
    if not any(h.place.id == town.id for h in hits):
        return False
    state, lead_state = admin1_of(town), admin1_of(here)
    if state != lead_state:
        named = [admin1_of(h.place) for h in hits]
        return named.count(state) > named.count(lead_state)
    return gazetteer.population(town.id) < gazetteer.population(city_of(here) or here.id)


def _dateline_leads_county(town: Place, county: Place, hits: list[PlaceHit]) -> bool:
    """Is the dateline's town, of the county the lead names, where it happened? When the
    article names no other town of the county, or names the dateline's town more often than
    any other (LONG BRANCH, NJ ... 'late Tuesday in Long Branch' ... 'the Asbury Park Press'),
    not an AP bureau's town over a story of another ('CHARLESTON, W.Va.' ... 'in Cedar Grove')."""
    counts: dict[str, int] = {}
    for h in hits:
        if h.place.id == town.id or _may_lie_in(h.place, county):
            counts[h.place.id] = counts.get(h.place.id, 0) + 1
    own = counts.pop(town.id, 0)
    return not counts or own > max(counts.values())


def _towns_inside(area: Place, hits: list[PlaceHit], maybe: bool = False) -> dict[str, PlaceHit]:
    """The towns of `hits` in the area, by id; with `maybe`, those that may lie in it (_may_lie_in)."""
    return {h.place.id: h for h in hits if (_may_lie_in(h.place, area) if maybe else area.id in h.place.ancestors)}


def _surname(hit: PlaceHit, persons: frozenset[str]) -> bool:
    """Is the one-word name of `hit` the surname of one of `persons` (place_roles.person_names)?"""
    return " " not in hit.text and fold_name(hit.text) in persons


def settle_lead_place(lead: Mention, article: Article, content: str, gazetteer: Gazetteer) -> None:
    """The lead report's place in the light of the dateline and the headline: either
    stands in when the sentences name no place (or only a country), and a town of
    either replaces the county or state the sentences name when it lies within it
    ('Palm Beach County' under the dateline 'GREENACRES, Fla.'); without either, a
    place the lead passage or the headline names in passing (a home town: place_roles).
    Then, with still no place, the city the article names most often (first named on a
    tie), where something happens if any does, else in passing; last, the outlet's city
    its title names."""
    gazetteer.read_ahead(content, article.text, article.boilerplate)
    dateline = gazetteer.resolve_place(article.dateline, context=article.text) if article.dateline else None
    dateline_hit = (dateline, article.dateline) if dateline is not None and not _broad(dateline) else None
    head = find_headline_place(article.title, content, gazetteer)
    headline_hit = (head.place, head.text) if head is not None else None
    if _broad(lead.place):
        found = dateline_hit or headline_hit or _aside_place(lead, article, content, gazetteer)
        if found:
            lead.place, lead.place_text = found
            lead.features["explicit"]["place"] = False
    hits: list[PlaceHit] | None = None
    every: list[PlaceHit] | None = None

    def towns(asides: bool = False) -> list[PlaceHit]:
        nonlocal hits, every
        if every is None:  # looked up once: the towns named in passing too are asked for after the others
            every = [h for h in gazetteer.find_places(content, context=content, also=article.title)
                     if h.place.kind in ("city", "site")]
        if asides:
            return every
        if hits is None:
            hits = gazetteer.drop_asides(content, every)
        return hits

    if not _broad(lead.place):
        # The headline's town (a home town too: 'Cheyenne child shoots himself') in the
        # county (or state) the lead names, or in the state of a county the lead names in
        # passing ('the Essex County Juvenile Detention Center' under '... shot in
        # Passaic'); else the dateline's town in the county, unless the article names
        # another town of it (an AP bureau's 'CHARLESTON, W.Va.' over a story of 'a
        # shooting in Cedar Grove').
        here = lead.place
        # where the headline's people are from, only within the lead's county ('Plainfield
        # teen injured' is not of the Morgan County the lead names)
        people = head is not None and names_people(sentence_case(headline_of(article.title or ""), content), head.end)
        if headline_hit and (here.id in headline_hit[0].ancestors or (
                not people and here.kind in ("county", "admin1") and headline_hit[0].kind in ("city", "site")
                and admin1_of(headline_hit[0]) == admin1_of(here))):
            lead.place, lead.place_text = headline_hit
        elif dateline_hit and _may_lie_in(dateline_hit[0], here) and _dateline_leads_county(
                dateline_hit[0], here, towns()):
            lead.place, lead.place_text = dateline_hit
        elif dateline_hit and _dateline_over_lead(dateline_hit[0], here, article.dateline or "", towns(), gazetteer):
            lead.place, lead.place_text = dateline_hit
        # A county or state, the lead's or the headline's that replaced it, then gives way to a
        # town in it.
        here = lead.place
        inside: dict[str, PlaceHit] = {}
        if here.kind == "county":
            # the one town of the county the article places something in ('Bucks County' in the
            # lead, 'the girl was shot at a home in Hulmeville' further down), else the one it
            # names at all ('Indiana County' ... 'Allen Troyer, of Smicksburg'), else the one of
            # its state whose county the gazetteer does not know ('in the city of Wilson')
            inside = (_towns_inside(here, towns()) or _towns_inside(here, towns(True))
                      or _towns_inside(here, towns(), maybe=True))
        elif here.kind == "admin1":
            # the one town of the lead's state the article places something in ('a
            # murder-suicide in Georgia' ... 'found dead at the Westminster Apartments in
            # Brunswick'); not one named only in passing, as a state holds many
            inside = _towns_inside(here, towns())
        if len(inside) == 1:
            (only,) = inside.values()
            lead.place, lead.place_text = only.place, only.text
    if _broad(lead.place):
        # not the surname of someone the article names in full, wherever it stands ('Mark
        # Teixeira' ... 'the landscape of the Teixeira sweepstakes' is no Portuguese town)
        persons = person_names(content)
        hits = ([h for h in towns() if not _surname(h, persons)]
                or [h for h in towns(asides=True) if not _surname(h, persons)])
        if hits:
            counts: dict[str, int] = {}
            for h in hits:
                counts[h.place.id] = counts.get(h.place.id, 0) + 1
            best = max(hits, key=lambda h: (counts[h.place.id], -h.start))
            lead.place, lead.place_text = best.place, best.text
            lead.features["explicit"]["place"] = False
            lead.features["place_from_document"] = True
    if _broad(lead.place) and (outlet := outlet_place(article.title, content, gazetteer)) is not None:
        # a local outlet reports on its own city more than any other
        lead.place, lead.place_text = outlet.place, outlet.text
        lead.features["explicit"]["place"] = False
        lead.features["place_from_document"] = True
