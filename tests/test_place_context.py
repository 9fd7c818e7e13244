import pytest

from dedupe.place_context import find_headline_place, headline_of
from dedupe.places import Gazetteer


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return Gazetteer.default()


def test_headline_of_drops_the_outlet() -> None:
    assert headline_of("Two hurt in Dayton shooting - WXYZ News - Columbus, Ohio") == "Two hurt in Dayton shooting"
    assert headline_of("Man shot on porch | Channel 9 | Tulsa, OK") == "Man shot on porch"
    assert headline_of("Teen shot in north-side home") == "Teen shot in north-side home"


def test_headline_place_is_the_headline_town_not_the_outlet_city(g: Gazetteer) -> None:
    hit = find_headline_place("Four hurt by gunfire in Sacramento - KXYZ News - Memphis, Tennessee", "Police said.", g)
    assert (hit.place.name, hit.place.admin1) == ("Sacramento", "California")
    assert find_headline_place("Man wounded on porch - KXYZ News - Memphis, Tennessee", "Police said.", g) is None
    assert find_headline_place(None, "Police said.", g) is None


def test_headline_place_prefers_the_town_to_its_county(g: Gazetteer) -> None:
    hit = find_headline_place("Harris County deputies: boy shot in Cypress home", "Texas deputies said.", g)
    assert hit.place.name == "Cypress" and hit.place.admin1 == "Texas"
