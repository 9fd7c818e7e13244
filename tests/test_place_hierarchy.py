from dedupe.place_hierarchy import (
    Town,
    county_key,
    link_city_counties,
    link_towns,
    place_relation,
    places_compatible,
    town_key,
)
from dedupe.places import Gazetteer

COUNTIES = {("IL", "cookcounty"): "county:US.17031", ("IL", "lakecounty"): "county:US.17097"}
# (folded name, state, lat, lon, county) as read from the town table
ROWS = [("bigcity", "IL", 41.85, -87.65, "Cook County"), ("lakeside", "IL", 42.36, -87.83, "Lake County")]


def towns(*extra: Town) -> list[Town]:
    return [Town("geonames:1", "Big City", "IL", 41.85, -87.65, 2_700_000),
            Town("geonames:2", "Lakeside", "IL", 42.36, -87.83, 90_000), *extra]


def test_listed_towns_get_their_county() -> None:
    links = link_towns(towns(), COUNTIES, ROWS)
    assert links == {"geonames:1": "county:US.17031", "geonames:2": "county:US.17097"}


def test_unlisted_place_inside_a_big_city_is_part_of_it() -> None:
    part = Town("geonames:3", "Old Mill", "IL", 41.95, -87.75, 60_000)  # ~14 km from the centre
    assert link_towns(towns(part), COUNTIES, ROWS)["geonames:3"] == "geonames:1"


def test_unlisted_place_far_from_cities_takes_the_nearest_towns_county() -> None:
    hamlet = Town("geonames:4", "Pine Corner", "IL", 42.40, -87.85, 700)  # ~5 km from Lakeside
    assert link_towns(towns(hamlet), COUNTIES, ROWS)["geonames:4"] == "county:US.17097"
    remote = Town("geonames:5", "Far Away", "IL", 40.0, -89.0, 700)
    assert "geonames:5" not in link_towns(towns(remote), COUNTIES, ROWS)


def test_a_place_as_big_as_the_city_is_no_part_of_it() -> None:
    borough = Town("geonames:6", "Twin", "IL", 41.90, -87.70, 2_000_000)
    assert link_towns(towns(borough), COUNTIES, ROWS).get("geonames:6") != "geonames:1"


def test_town_key_expands_abbreviations() -> None:
    assert town_key("St. Petersburg") == town_key("Saint Petersburg") == town_key("ST PETERSBURG")


def test_county_key_joins_the_spellings_of_both_tables() -> None:
    assert county_key("Saint Louis County") == county_key("St. Louis County")
    assert county_key("City of Roanoke") == county_key("Roanoke city")
    assert county_key("De Soto County") == county_key("DeSoto County")
    assert county_key("St. Louis County") != county_key("St. Louis city")


def test_towns_of_saint_counties_lie_in_their_county() -> None:
    g = Gazetteer.default()
    overland = g.resolve_place("Overland, Missouri")
    county = g.resolve_place("St. Louis County, Missouri")
    assert county.kind == "county" and overland.ancestors[0] == county.id
    slidell = g.resolve_place("Slidell, Louisiana")
    assert slidell.ancestors[0] == g.resolve_place("St. Tammany Parish, Louisiana").id


def test_gazetteer_links_towns_to_counties_and_cities() -> None:
    g = Gazetteer.default()
    cypress = g.resolve_place("Cypress, Texas")
    harris = g.resolve_place("Harris County, Texas")
    assert harris.id in cypress.ancestors and places_compatible(cypress, harris)
    chicago = g.resolve_place("Chicago, Illinois")
    portage_park = g.resolve_place("Portage Park, Illinois")
    assert portage_park.ancestors[0] == chicago.id


def test_a_sentence_naming_only_the_county_starts_its_own_passage() -> None:
    from dedupe.passages import county_and_town

    g = Gazetteer.default()
    cypress, harris, texas = g.resolve_place("Cypress, Texas"), g.resolve_place("Harris County, Texas"), g.resolve_place("Texas")
    assert county_and_town(cypress, harris) and county_and_town(harris, cypress)
    assert not county_and_town(harris, texas) and not county_and_town(cypress, texas)


def test_places_of_a_consolidated_city_county_lie_within_the_city() -> None:
    # rec: [id, name, kind, state, country, lat, lon, parents, population]
    recs = {"admin1:US.TN": ["admin1:US.TN", "Tennessee", "admin1", "Tennessee", "US", None, None, ["country:US"], 0],
            "county:US.47037": ["county:US.47037", "Davidson County", "county", "Tennessee", "US", None, None,
                                ["admin1:US.TN"], 0]}
    for n, (name, pop) in enumerate([("Nashville", 600_000), ("Hermitage", 40_000), ("Belle Meade", 3_000)]):
        recs[f"geonames:{n}"] = [f"geonames:{n}", name, "city", "Tennessee", "US", None, None, ["county:US.47037"], pop]
    by_name = {("nashville", "US"): ["geonames:0"]}
    entries = [{"city": "Nashville", "state": "TN", "county": "Davidson County", "except": ["Belle Meade"]}]
    link_city_counties(recs, {("TN", "davidsoncounty"): "county:US.47037"}, by_name, entries)
    assert recs["geonames:1"][7] == ["geonames:0"]  # Hermitage is Nashville
    assert recs["geonames:0"][7] == ["county:US.47037"]  # the city itself stays in its county
    assert recs["geonames:2"][7] == ["county:US.47037"]  # a municipality of its own


def test_gazetteer_puts_neighbourhoods_of_city_counties_in_the_city() -> None:
    g = Gazetteer.default()
    nashville = g.resolve_place("Nashville, Tennessee")
    hermitage = g.resolve_place("Hermitage, Tennessee")
    ripple = g.resolve_place("Broad Ripple, Indiana")
    indianapolis = g.resolve_place("Indianapolis, Indiana")
    speedway = g.resolve_place("Speedway, Indiana")
    assert place_relation(hermitage, nashville) == "within"
    assert place_relation(ripple, indianapolis) == "within"
    assert place_relation(speedway, indianapolis) != "within"  # it kept its own government
    brooklyn, nyc = g.resolve_place("Brooklyn, New York"), g.resolve_place("New York City")
    assert place_relation(brooklyn, nyc) == "within"
    boston = g.resolve_place("Boston, Massachusetts")
    assert place_relation(g.resolve_place("Dorchester, Massachusetts"), boston) == "within"
    assert place_relation(g.resolve_place("Chelsea, Massachusetts"), boston) != "within"  # a city of its own
