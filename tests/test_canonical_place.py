"""The canonical place: votes, namesakes, the most specific agreed place."""

from __future__ import annotations

from dedupe.canonical_place import canonical_place, pool_namesakes
from dedupe.models import Place
from tests.helpers import PROVINCE, SITE


def test_place_is_the_most_specific_compatible_one() -> None:
    assert canonical_place([PROVINCE, SITE, PROVINCE]) == SITE


def test_reports_vote_for_a_city_not_for_the_state() -> None:
    from dedupe.models import Place

    state = Place("admin1:US.VT", "Vermont", "admin1", "Vermont", "US", None, None, ("country:US",))
    town = Place("geonames:1", "Moretown", "city", "Vermont", "US", 44.2, -72.7, ("admin1:US.VT", "country:US"))
    assert canonical_place([state, state, town]) == town


def test_a_named_city_beats_its_county() -> None:
    from dedupe.models import Place

    county = Place("county:US.17031", "Cook County", "county", "Illinois", "US", None, None, ("admin1:US.IL",))
    city = Place("geonames:4887398", "Chicago", "city", "Illinois", "US", 41.9, -87.6, ("admin1:US.IL",))
    assert canonical_place([county, county, city]) == city


def test_namesakes_in_one_incident_are_one_town() -> None:
    nc = Place("geonames:1", "Smithfield", "city", "North Carolina", "US", ancestors=("county:US.37101", "admin1:US.NC"))
    ri = Place("geonames:2", "Smithfield", "city", "Rhode Island", "US", ancestors=("admin1:US.RI",))
    county = Place("county:US.37101", "Johnston County", "county", "North Carolina", "US", ancestors=("admin1:US.NC",))
    # Two reports read the bare name as Rhode Island's; the Johnston County report backs North Carolina's.
    assert canonical_place(pool_namesakes([ri, ri, nc, nc, county])) == nc
    # A report naming the town with its state settles it, whatever the count.
    assert canonical_place(pool_namesakes([ri, ri, ri, nc], qualified={nc.id})) == nc
    # Nothing to choose between: the votes stay as they were.
    assert pool_namesakes([ri, nc]) == [ri, nc]


def test_a_neighbourhood_agrees_with_its_city_and_is_the_record() -> None:
    # 'NASHVILLE, Tenn.' in two datelines; one story says the shooting was in Antioch.
    up = ("county:US.47037", "admin1:US.TN", "country:US")
    nashville = Place("geonames:4644585", "Nashville", "city", "Tennessee", "US", ancestors=up)
    antioch = Place("postal:US.TN.antioch", "Antioch", "city", "Tennessee", "US", ancestors=(nashville.id, *up))
    assert canonical_place([nashville, nashville, antioch]) == antioch


def test_an_incident_no_report_places_is_its_outlets_home_town() -> None:
    from dedupe.canonical_place import voting_places
    from dedupe.places import Gazetteer
    from tests.helpers import make_mention

    stl = Gazetteer.default().resolve_place("St. Louis, Missouri")
    home, other = make_mention("m1", "a1", place=None), make_mention("m2", "a2", place=None)
    home.features["home_city"] = stl.id
    assert canonical_place(voting_places([home, other])) == stl
    # any place a report gives wins over the outlet's home
    placed = make_mention("m3", "a3", place=Gazetteer.default().resolve_place("Florissant, Missouri"))
    assert canonical_place(voting_places([home, placed])).name == "Florissant"


def test_a_county_only_incident_takes_its_outlets_home_town_within_it() -> None:
    from dedupe.canonical_place import voting_places
    from dedupe.places import Gazetteer
    from tests.helpers import make_mention

    g = Gazetteer.default()
    orlando, orange = g.resolve_place("Orlando, Florida"), g.resolve_place("Orange County, Florida")
    lead = make_mention("m1", "a1", place=orange)
    lead.features["home_city"] = orlando.id
    assert canonical_place(voting_places([lead])) == orlando
    # a home town outside the county the reports name is no evidence
    lead.features["home_city"] = g.resolve_place("Tampa, Florida").id
    assert canonical_place(voting_places([lead])) == orange


def test_a_town_guessed_from_the_article_in_another_state_yields_to_the_outlets_home_town() -> None:
    # A Mobile station's story whose lead places nothing, and whose text names San Antonio
    # most (a trial there in passing): the lead is noted with the station's home town, which
    # the record then takes; a guess in the station's own state stays.
    from dedupe.canonical_place import voting_places
    from dedupe.home_country import count_homes, note_home_cities
    from dedupe.places import Gazetteer
    from tests.helpers import make_mention

    g = Gazetteer.default()
    mobile = g.resolve_place("Mobile, Alabama")
    known = [make_mention(f"m{n}", f"a{n}", place=mobile) for n in (5, 6)]
    guessed = make_mention("m1", "a1", place=g.resolve_place("San Antonio, Texas"))
    guessed.features["place_from_document"], guessed.features["explicit"]["place"] = True, False
    near = make_mention("m2", "a2", place=g.resolve_place("Prichard, Alabama"))
    near.features["place_from_document"], near.features["explicit"]["place"] = True, False
    mentions = [*known, guessed, near]
    sources = {m.article_id: "wkrg.com" for m in mentions}
    assert note_home_cities(mentions, sources, count_homes(mentions, sources)) == 1
    assert canonical_place(voting_places([guessed])) == mobile
    assert canonical_place(voting_places([near])).name == "Prichard"
