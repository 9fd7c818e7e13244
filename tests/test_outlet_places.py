"""An outlet's web address names its home town or state."""

from __future__ import annotations

import pytest

from dedupe.outlet_places import read_outlet_home
from dedupe.places import Gazetteer


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return Gazetteer.default()


def home(g: Gazetteer, outlet: str) -> tuple[str | None, str | None]:
    state, town = read_outlet_home(outlet, g)
    return (state.name if state else None), (town.name if town else None)


@pytest.mark.parametrize("outlet, state, town", [
    ("www.montgomeryadvertiser.com", "Alabama", "Montgomery"),  # a town and a masthead
    ("delawareonline.com", "Delaware", None),  # a state
    ("onlineathens.com", "Georgia", "Athens"),  # a filler first; Georgia's Athens dwarfs the others
    ("fox5atlanta.com", "Georgia", "Atlanta"),  # a broadcaster and its channel first
    ("chicago.suntimes.com", "Illinois", "Chicago"),  # a subdomain
    ("westfargopioneer.com", "North Dakota", "West Fargo"),  # a town of two words
    ("msnewsnow.com", "Mississippi", None),  # a postal code and mastheads
    ("kansascity.com", "Missouri", "Kansas City"),  # the longest name, not 'Kansas' and 'city'
])
def test_an_address_names_its_outlets_home(g: Gazetteer, outlet: str, state: str, town: str | None) -> None:
    assert home(g, outlet) == (state, town)


@pytest.mark.parametrize("outlet", [
    "therepublic.com",  # a masthead word, not Republic, Missouri
    "columbiadailyherald.com",  # which Columbia: South Carolina's, Missouri's, Maryland's are alike
    "wsbtv.com",  # call letters
    "centralillinoisproud.com",  # 'proud' is no masthead word: the rest must be made of them
    "news.blog.ajc.com",
    "",
])
def test_an_address_that_names_no_home(g: Gazetteer, outlet: str) -> None:
    assert home(g, outlet) == (None, None)


def test_only_the_corpuss_home_country_is_read(g: Gazetteer) -> None:
    assert home(g, "montgomeryadvertiser.com") == ("Alabama", "Montgomery")
    assert read_outlet_home("montgomeryadvertiser.com", g, country="GB") == (None, None)
