import pytest

from dedupe.place_parts import part_of
from dedupe.places import Gazetteer


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return Gazetteer.default()


def test_a_part_of_the_articles_city_is_that_city_not_a_namesake_elsewhere(g: Gazetteer) -> None:
    text = ("Five wounded in Austin shooting\n\nFive people were shot on the same Austin neighborhood block "
            "on Thursday, according to Chicago Police.")
    assert [(h.text, h.place.name) for h in g.find_places(text, context=text)] == [
        ("Austin", "Chicago"), ("Chicago", "Chicago")]
    text = "LOUISVILLE, Ky. -- A toddler was shot in the Portland neighborhood on Sunday."
    assert [h.place.name for h in g.find_places(text, context=text)] == ["Louisville", "Louisville"]
    # a town of the state the article is about stays itself, and so does a name never called a part
    text = "A man was shot in the West Englewood neighborhood, Chicago police said."
    assert [h.place.name for h in g.find_places(text, context=text)] == ["West Englewood", "Chicago"]
    # a part of the same state's big city that city_counties.yml links to it stays itself, within it
    text = "Four were shot in the Jamaica Plain neighborhood, police in Boston, Massachusetts said."
    plain, boston = (h.place for h in g.find_places(text, context=text))
    assert (plain.name, boston.name) == ("Jamaica Plain", "Boston") and boston.id in plain.ancestors
    text = "Four were shot in Jamaica Plain, police in Boston, Massachusetts said."
    assert [h.place.name for h in g.find_places(text, context=text)] == ["Jamaica Plain", "Boston"]
    text = "A teen was shot in the Juniata section of Philadelphia on Monday."
    assert [h.place.name for h in g.find_places(text, context=text)] == ["Philadelphia", "Philadelphia"]
    text = "A man from Chicago was shot in Austin, police said."
    assert [h.place.name for h in g.find_places(text, context=text)] == ["Chicago", "Austin"]


def test_part_of_reads_a_name_as_the_city_it_is_a_part_of(g: Gazetteer) -> None:
    austin = g.resolve_place("Austin, Texas")
    chicago = g.resolve_place("Chicago, Illinois")
    philadelphia = g.resolve_place("Philadelphia, Pennsylvania")
    prof = frozenset({chicago.id, *chicago.ancestors})
    # the article's big city of another state, which has no Austin
    assert part_of(g, austin, "austin", prof, "Chicago police said.", "") == chicago
    # ... unless the reading is of the state of one of the article's big cities
    assert part_of(g, austin, "austin", frozenset({austin.id, g.resolve_place("Houston, Texas").id}),
                   "Houston police said.", "") == austin
    # the city the article names it a part of
    assert part_of(g, austin, "austin", frozenset(), "the Austin section of Philadelphia", "Philadelphia") == philadelphia
    # no big city: the reading stays
    assert part_of(g, austin, "austin", frozenset(), "Police said.", "") == austin
