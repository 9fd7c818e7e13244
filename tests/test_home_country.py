"""A town named bare is its namesake in the outlet's home state or the corpus's home country."""

from __future__ import annotations

import dataclasses

import pytest

from dedupe.home_country import MIN_LEADS, count_homes, note_home_cities, outlet_key, settle_namesakes
from dedupe.models import Mention
from dedupe.places import Gazetteer
from tests.helpers import make_mention


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return Gazetteer.default()


def lead(g: Gazetteer, n: int, name: str, text: str | None = None, outlet: str = "news.example") -> tuple[Mention, str]:
    m = make_mention(f"m{n}", f"a{n}", place=g.resolve_place(name))
    return dataclasses.replace(m, place_text=text or name), outlet


def settle(pairs: list[tuple[Mention, str]]) -> list[Mention]:
    mentions = [m for m, _ in pairs]
    sources = {m.article_id: outlet for m, outlet in pairs}
    settle_namesakes(mentions, sources, count_homes(mentions, sources))
    return mentions


def us_corpus(g: Gazetteer) -> list[tuple[Mention, str]]:
    towns = ["Houston, Texas", "Chicago, Illinois", "Memphis, Tennessee", "Denver, Colorado", "Tulsa, Oklahoma"]
    return [lead(g, 100 + n, towns[n % len(towns)], outlet=f"paper{n}.example") for n in range(MIN_LEADS)]


def test_a_bare_town_abroad_is_the_home_countrys_namesake(g: Gazetteer) -> None:
    *_, birmingham, paris = settle(us_corpus(g) + [lead(g, 1, "Birmingham"), lead(g, 2, "Paris, France")])
    assert (birmingham.place.country, birmingham.place.admin1) == ("US", "Alabama")
    assert paris.place.country == "FR"  # named with its country: it stays


def test_a_corpus_of_many_countries_has_no_home(g: Gazetteer) -> None:
    world = [lead(g, n, name) for n, name in enumerate(["Berlin", "Tokyo", "Nairobi", "Lima", "Cairo"] * 5)]
    assert {m.place.country for m in settle(world)} == {"DE", "JP", "KE", "PE", "EG"}


def test_an_outlets_home_state_settles_a_bare_namesake(g: Gazetteer) -> None:
    ohio = [lead(g, n, town, outlet="www.whio.com:80") for n, town in
            enumerate(["Dayton, Ohio", "Xenia, Ohio", "Kettering, Ohio"])]
    *_, springfield, atlanta = settle(us_corpus(g) + ohio + [lead(g, 10, "Springfield", outlet="whio.com"),
                                                             lead(g, 11, "Atlanta", outlet="whio.com")])
    assert springfield.place.admin1 == "Ohio"
    assert atlanta.place.admin1 == "Georgia"  # a big city named bare is the big city


def test_outlets_are_keyed_by_host() -> None:
    assert outlet_key("www.WBBJTV.com:80") == outlet_key("https://wbbjtv.com/2017/x") == "wbbjtv.com"
    assert outlet_key(None) is None


def test_a_bare_town_abroad_with_no_namesake_at_home_is_no_place(g: Gazetteer) -> None:
    # 'Suva' read from 'SUV' in a story from Dallas: Fiji's capital has no US namesake and lies
    # an ocean away from everything else the article places.
    dallas, _ = lead(g, 1, "Dallas, Texas")
    suv = dataclasses.replace(make_mention("m2", dallas.article_id, place=g.resolve_place("Suva")), place_text="SUV",
                              order=1)
    *_, kept, dropped = settle(us_corpus(g) + [(dallas, "news.example"), (suv, "news.example")])
    assert kept.place.name == "Dallas"
    assert dropped.place is None and dropped.place_text is None


def test_a_foreign_city_near_the_story_stays(g: Gazetteer) -> None:
    # A corpus at home in Ukraine: 'Moscow' named bare beside Kyiv is Moscow.
    ukraine = [lead(g, 100 + n, town) for n, town in enumerate(["Kyiv", "Kharkiv", "Odesa", "Lviv"] * 6)]
    kyiv, _ = lead(g, 1, "Kyiv")
    moscow = dataclasses.replace(make_mention("m2", kyiv.article_id, place=g.resolve_place("Moscow")), order=1)
    *_, after = settle(ukraine + [(kyiv, "news.example"), (moscow, "news.example")])
    assert after.place is not None and after.place.country == "RU"


def test_a_bare_town_named_again_is_still_settled_by_the_outlets_home(g: Gazetteer) -> None:
    # 'Springfield' in three sentences of a story from an Illinois station is Illinois's: the
    # town named again says nothing of its state. Certain leads make the outlet's home.
    illinois = [lead(g, n, town, outlet="wandtv.com") for n, town in enumerate(["Decatur, Illinois", "Peoria, Illinois"])]
    first, _ = lead(g, 10, "Springfield", outlet="wandtv.com")
    again = dataclasses.replace(make_mention("m11", first.article_id, place=first.place), place_text="Springfield",
                                order=1)
    *_, a, b = settle(us_corpus(g) + illinois + [(first, "wandtv.com"), (again, "wandtv.com")])
    assert a.place.admin1 == b.place.admin1 == "Illinois"


def test_a_town_named_with_its_state_keeps_a_bare_namesake_there(g: Gazetteer) -> None:
    # 'Springfield, Mo.' then 'Springfield' in a story from an Ohio station: Missouri's.
    ohio = [lead(g, n, town, outlet="whio.com") for n, town in enumerate(["Dayton, Ohio", "Xenia, Ohio"])]
    named, _ = lead(g, 10, "Springfield, Missouri", outlet="whio.com")
    bare = dataclasses.replace(make_mention("m11", named.article_id, place=named.place), place_text="Springfield",
                               order=1)
    *_, after = settle(us_corpus(g) + ohio + [(named, "whio.com"), (bare, "whio.com")])
    assert after.place.admin1 == "Missouri"


def test_a_lead_that_places_nothing_is_noted_with_its_outlets_home_town(g: Gazetteer) -> None:
    # An outlet whose placed leads are mostly of St. Louis is at home there; a lead of it that
    # places nothing is noted with St. Louis, one of an outlet with no home town is not.
    stl = [lead(g, n, town, outlet="www.stltoday.com") for n, town in
           enumerate(["St. Louis, Missouri", "St. Louis, Missouri", "St. Louis, Missouri", "Florissant, Missouri"])]
    spread = [lead(g, 10 + n, town, outlet="wire.example") for n, town in
              enumerate(["Houston, Texas", "Chicago, Illinois", "Memphis, Tennessee", "Denver, Colorado"])]
    unplaced = [make_mention("m20", "a20", place=None), make_mention("m21", "a21", place=None)]
    pairs = stl + spread + [(unplaced[0], "stltoday.com"), (unplaced[1], "wire.example")]
    mentions = [m for m, _ in pairs]
    sources = {m.article_id: outlet for m, outlet in pairs}
    homes = count_homes(mentions, sources)
    assert note_home_cities(mentions, sources, homes) == 1
    assert g.get(unplaced[0].features["home_city"]).name == "St. Louis"
    assert "home_city" not in unplaced[1].features
    assert all("home_city" not in m.features for m, _ in stl)  # placed leads keep their own place


def test_a_bare_town_abroad_beside_only_a_county_at_home_is_no_place(g: Gazetteer) -> None:
    # 'Algiers' (a New Orleans neighbourhood) beside 'Orleans Parish': the parish, which the
    # gazetteer does not locate, stands at the centre of the corpus's US leads, an ocean away.
    parish, _ = lead(g, 1, "Orleans Parish")
    algiers = dataclasses.replace(make_mention("m2", parish.article_id, place=g.resolve_place("Algiers")),
                                  place_text="Algiers", order=1)
    assert algiers.place.country == "DZ"
    *_, kept, dropped = settle(us_corpus(g) + [(parish, "news.example"), (algiers, "news.example")])
    assert kept.place.name == "Orleans Parish"
    assert dropped.place is None


def test_a_bare_town_abroad_alone_in_its_article_is_judged_by_the_home_country(g: Gazetteer) -> None:
    # 'the Soho nightclub' in a New York story that places nothing else: England's Soho has no
    # US namesake and lies an ocean away from the corpus's US leads. In a corpus at home in
    # Ukraine, 'Moscow' named alone stays.
    soho = lead(g, 1, "Soho, England", text="Soho")
    *_, dropped = settle(us_corpus(g) + [soho])
    assert dropped.place is None and dropped.place_text is None
    # ... but a big city abroad named alone is the story's place ('Kabul' in a US corpus)
    *_, kabul = settle(us_corpus(g) + [lead(g, 2, "Kabul")])
    assert kabul.place is not None and kabul.place.country == "AF"
    ukraine = [lead(g, 100 + n, town) for n, town in enumerate(["Kyiv", "Kharkiv", "Odesa", "Lviv"] * 6)]
    *_, near = settle(ukraine + [lead(g, 1, "Moscow")])
    assert near.place is not None and near.place.country == "RU"


def test_one_certain_lead_makes_an_outlets_home_but_a_tie_none(g: Gazetteer) -> None:
    # 'Duncan' (Oklahoma's is the bigger) from a station whose one certain lead is of South
    # Carolina is South Carolina's; from one with a lead in each of two states it stays as read.
    sc = lead(g, 1, "Spartanburg, South Carolina", outlet="wspa.com")
    split = [lead(g, 2, "Spartanburg, South Carolina", outlet="wire.example"),
             lead(g, 3, "Tulsa, Oklahoma", outlet="wire.example")]
    *_, home, tied = settle(us_corpus(g) + [sc, *split, lead(g, 4, "Duncan", outlet="wspa.com"),
                                            lead(g, 5, "Duncan", outlet="wire.example")])
    assert home.place.admin1 == "South Carolina"
    assert tied.place.admin1 == "Oklahoma"


def test_one_town_lead_makes_an_outlets_home_town_but_a_tie_none(g: Gazetteer) -> None:
    # An outlet seen once with a lead placed in Lafayette: its unplaced lead is noted with
    # Lafayette; one with a lead in each of two towns has no home town.
    one = [lead(g, 1, "Lafayette, Louisiana", outlet="kadn.example")]
    two = [lead(g, 2, "Houston, Texas", outlet="wire.example"), lead(g, 3, "Tulsa, Oklahoma", outlet="wire.example")]
    unplaced = [make_mention("m20", "a20", place=None), make_mention("m21", "a21", place=None)]
    pairs = one + two + [(unplaced[0], "kadn.example"), (unplaced[1], "wire.example")]
    mentions = [m for m, _ in pairs]
    sources = {m.article_id: outlet for m, outlet in pairs}
    assert note_home_cities(mentions, sources, count_homes(mentions, sources)) == 1
    assert g.get(unplaced[0].features["home_city"]).name == "Lafayette"
    assert "home_city" not in unplaced[1].features


def test_an_outlet_seen_without_certain_leads_is_at_home_where_its_address_says(g: Gazetteer) -> None:
    # 'Duncan' (Oklahoma's is the bigger) from an outlet seen once, whose address names South
    # Carolina ('scnow.com'), is South Carolina's; an outlet whose one certain lead is of
    # Oklahoma keeps what its leads say.
    sc = lead(g, 1, "Duncan", outlet="www.scnow.com")
    led = [lead(g, 2, "Tulsa, Oklahoma", outlet="ohionews.example"), lead(g, 3, "Duncan", outlet="ohionews.example")]
    *_, named, _, counted = settle(us_corpus(g) + [sc, *led])
    assert named.place.admin1 == "South Carolina"
    assert counted.place.admin1 == "Oklahoma"
    # ... and its unplaced leads are noted with the town the address names
    unplaced = make_mention("m20", "a20", place=None)
    pairs = us_corpus(g) + [(unplaced, "www.montgomeryadvertiser.com")]
    mentions = [m for m, _ in pairs]
    sources = {m.article_id: outlet for m, outlet in pairs}
    assert note_home_cities(mentions, sources, count_homes(mentions, sources)) == 1
    assert g.get(unplaced.features["home_city"]).admin1 == "Alabama"
    # a corpus with no home country reads no address
    world = [lead(g, n, name) for n, name in enumerate(["Berlin", "Tokyo", "Nairobi", "Lima", "Cairo"] * 5)]
    *_, far = settle(world + [lead(g, 30, "Duncan", outlet="scnow.com")])
    assert far.place.admin1 == "Oklahoma"


def test_a_title_naming_the_outlets_state_settles_a_bare_namesake(g: Gazetteer) -> None:
    # 'Berlin' read as Germany's in a story whose title ends '- WFSB 3 Connecticut' is
    # Connecticut's Berlin, though the outlet's leads say nothing of its home
    berlin, outlet = lead(g, 1, "Berlin", outlet="wfsb.com")
    berlin.features["outlet_state"] = ["US", "Connecticut"]
    *_, moved = settle(us_corpus(g) + [(berlin, outlet)])
    assert (moved.place.country, moved.place.admin1) == ("US", "Connecticut")


def test_an_outlet_split_between_two_states_settles_a_namesake_in_either(g: Gazetteer) -> None:
    # A Kansas City station's certain leads lie in Missouri and Kansas, neither twice the
    # other: a bare 'Columbia' (South Carolina's is the biggest) is Missouri's, the one of the
    # two states that has a Columbia; a wire service spread over three states settles nothing.
    kc = [lead(g, n, town, outlet="kmbc.com") for n, town in
          enumerate(["Independence, Missouri", "Olathe, Kansas", "Lee's Summit, Missouri", "Lawrence, Kansas"])]
    wire = [lead(g, 10 + n, town, outlet="wire.example") for n, town in
            enumerate(["Independence, Missouri", "Olathe, Kansas", "Tulsa, Oklahoma"])]
    *_, local, spread = settle(us_corpus(g) + kc + wire + [lead(g, 20, "Columbia", outlet="kmbc.com"),
                                                           lead(g, 21, "Columbia", outlet="wire.example")])
    assert local.place.admin1 == "Missouri"
    assert spread.place.admin1 == "South Carolina"
