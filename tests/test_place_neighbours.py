"""A bare town is the namesake its article's other places lie beside."""

from __future__ import annotations

import pytest

from dedupe.mentions import extract_mentions
from dedupe.place_neighbours import pick_neighbour, read_neighbours
from dedupe.places import Gazetteer
from dedupe.vocabulary import load_vocabulary
from tests.helpers import make_article


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return Gazetteer.default()


def lead_place(text: str, title: str | None = None):
    article = make_article(text, "2016-10-05")
    article.title = title
    lead = extract_mentions(article, load_vocabulary(), Gazetteer.default())[0]
    return lead.place.name, lead.place.admin1


def test_the_county_named_settles_the_namesake() -> None:
    text = ("A child was shot multiple times at an apartment complex in Canton on Tuesday night. "
            "Madison County investigators are handling the case.")
    assert lead_place(text) == ("Canton", "Mississippi")
    assert lead_place(text.replace("Madison", "Stark")) == ("Canton", "Ohio")


def test_a_town_named_nearby_settles_the_namesake_even_in_a_name() -> None:
    text = ("Police say a deadly shootout happened at an apartment complex in Antioch on Monday night. "
            "According to the Metro Nashville Police Department, two groups were meeting in the parking lot.")
    assert lead_place(text) == ("Antioch", "Tennessee")
    # with nothing to go by, the biggest namesake stays
    assert lead_place("Police say a deadly shootout happened at an apartment complex in Antioch on Monday "
                      "night.") == ("Antioch", "California")


def test_nothing_moves_when_the_evidence_backs_two_namesakes_or_the_town_read(g: Gazetteer) -> None:
    cantons = g.namesakes("Canton", "US")
    ohio = next(c for c in cantons if c.admin1 == "Ohio")
    mississippi = next(c for c in cantons if c.admin1 == "Mississippi")
    counties, towns = read_neighbours("Stark County deputies and Madison County investigators", "canton", "US", g)
    assert counties == {"starkcounty", "madisoncounty"}
    assert pick_neighbour(mississippi, cantons, counties, towns, g) is None  # it has its county already
    counties, towns = read_neighbours("investigators from Akron and Jackson", "canton", "US", g)
    assert pick_neighbour(cantons[0], cantons, set(), towns, g) is None  # two namesakes have a neighbour
    assert pick_neighbour(cantons[0], cantons, {"starkcounty"}, [], g) == ohio


def test_a_given_name_is_no_neighbouring_town() -> None:
    # Elizabeth, New Jersey lies beside New Jersey's Oakland; here it is a neighbour's first name.
    text = ("Oakland police officers responded to reports of a shooting that left seven people injured on "
            "Saturday night. \"That's really sad,\" neighbor Elizabeth Yanez said.")
    assert lead_place(text) == ("Oakland", "California")
    assert lead_place(text.replace("neighbor Elizabeth Yanez", "a neighbor in Elizabeth")) == ("Oakland", "New Jersey")
    stockton = ("Seven people were shot, three fatally, in a drive-by shooting in Stockton on Tuesday night, "
                "reporter Tia A. Ewing said.")
    assert lead_place(stockton) == ("Stockton", "California")
