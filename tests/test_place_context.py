import pytest

from dedupe.mentions import extract_mentions
from dedupe.place_context import find_headline_place, headline_of
from dedupe.places import Gazetteer
from dedupe.vocabulary import load_vocabulary
from tests.helpers import make_article


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


def lead_of(text: str, title: str | None = None, dateline: str | None = None):
    article = make_article(text, "2016-05-02", dateline=dateline)
    article.title = title
    return extract_mentions(article, load_vocabulary(), Gazetteer.default())[0]


def test_the_datelines_town_replaces_the_county_the_lead_names() -> None:
    text = "GRANITE FALLS, N.C. — A Caldwell County teenager was shot and killed on Sunday, deputies said."
    assert lead_of(text, dateline="GRANITE FALLS, N.C.").place.name == "Granite Falls"
    # ... unless the article names another town of that county: the dateline may be a bureau's
    other = text + "\n\nLenoir has a new mayor."
    assert lead_of(other, dateline="GRANITE FALLS, N.C.").place.name == "Caldwell County"


def test_the_headlines_town_replaces_a_county_of_its_state_named_in_passing() -> None:
    text = ("A woman was wounded by a stray bullet on Sunday and two teens were taken to the Essex County "
            "Juvenile Detention Center, New Jersey police said.")
    assert lead_of(text).place.name == "Essex County"
    assert lead_of(text, title="Woman struck by stray bullet in Passaic speaks out").place.name == "Passaic"
