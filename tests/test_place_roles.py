import pytest

from dedupe.place_roles import declared_parts, is_aside, name_words, person_names
from dedupe.places import Gazetteer


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return Gazetteer.default()


def aside(text: str, name: str) -> bool:
    start = text.index(name)
    return is_aside(text, start, start + len(name))


@pytest.mark.parametrize("text, name", [
    ("A 23-year-old Gary man was shot in Chicago.", "Gary"),
    ("Police identified two New Haven men killed after the concert.", "New Haven"),
    ("An Orion Township teen died a week later.", "Orion Township"),
    ("A Riverview teenager has been arrested.", "Riverview"),
    ("A Minneapolis rap musician who put together the party said so.", "Minneapolis"),
    ("Police mourned the murder of a Chicago high school student.", "Chicago"),
    ("Dwayne Curtis, 27, of Trotwood was killed.", "Trotwood"),
    ("Hank Bollen, age 9, of Magnolia, was found dead.", "Magnolia"),
    ("a 15-year-old male from Columbus who claimed he had been shot", "Columbus"),
    ("He was taken to Christ Medical Center in Oak Lawn, where he died.", "Oak Lawn"),
    ("The girl is in critical condition at a Seattle hospital.", "Seattle"),
    ("a child in an Atlanta area hospital", "Atlanta"),
    ("At his arraignment in Superior Court in Rockville on Monday", "Rockville"),
    ("He appeared in U.S. District Court in Phoenix.", "Phoenix"),
    ("the town of Elmo, 120 miles north of Kansas City, Missouri", "Kansas City"),
    ("their apartment in Saco, about 17 miles (27 km) southwest of Portland", "Portland"),
    ("shot in the 3700 block of Cambridge, near East Twain", "Cambridge"),
    ("a shooting at the Woodbridge apartment complex on Ketchum Road", "Woodbridge"),
    ("outside the Green Meadows apartment complex", "Green Meadows"),
    ("in the parking lot of Timberlake Village Apartments", "Timberlake Village"),
    ("the murder of a Garden City High School student", "Garden City"),
    ("San Diego sheriff's detectives were investigating", "San Diego"),
])
def test_asides(text: str, name: str) -> None:
    assert aside(text, name)


@pytest.mark.parametrize("text, name", [
    ("A man was shot in Gary on Sunday.", "Gary"),
    ("A man was shot in Gary and a woman was hurt.", "Gary"),
    ("Gary police said two men were wounded.", "Gary"),
    ("The shooting happened in the 1700 block of Grant Street in Gary.", "Gary"),
    ("a shooting at a Memphis apartment complex", "Memphis"),
    ("He was shot near Trotwood, police said.", "Trotwood"),
    ("in the town of Stratton", "Stratton"),
    ("accused of shooting a 4-year-old Houston-area girl", "Houston"),
    ("Stark County Sheriff's deputies responded", "Stark County"),
    # a street named Court, not a courthouse
    ("a man was shot at a house party on Treackfield Court in Phoenix the same day", "Phoenix"),
])
def test_not_asides(text: str, name: str) -> None:
    assert not aside(text, name)


def test_a_persons_home_town_after_their_surname() -> None:
    text = "The shooter was identified as John Lander of Rochester. The University of Rochester said."
    persons = person_names(text)
    start = text.index("Rochester")
    assert is_aside(text, start, start + len("Rochester"), persons)
    assert not is_aside(text, start, start + len("Rochester"))  # whose surname it is must be known
    start = text.rindex("Rochester")
    assert not is_aside(text, start, start + len("Rochester"), persons)


def test_find_places_leaves_out_asides_when_asked(g: Gazetteer) -> None:
    text = "Dwayne Curtis, 27, of Trotwood was killed in Dayton, police said."
    assert [h.text for h in g.find_places(text)] == ["Trotwood", "Dayton"]
    assert [h.text for h in g.find_places(text, asides=False)] == ["Dayton"]
    # the slice of an article is judged by the words around it, beyond the slice too
    start = text.index("Trotwood")
    assert [h.text for h in g.find_places_in(text, start, len(text))] == ["Dayton"]
    assert [h.text for h in g.find_places_in(text, start, len(text), asides=True)] == ["Trotwood", "Dayton"]


def test_declared_parts() -> None:
    text = ("Five were shot in Chicago's Austin neighborhood. The Gresham neighborhood was quiet, and so was "
            "the South Chicago neighborhood and the neighborhood of Roxbury.")
    assert declared_parts(text) == {"austin": "", "gresham": "", "southchicago": "", "roxbury": ""}
    assert declared_parts("A man was shot in Austin.") == {}
    assert declared_parts("He was shot in the Juniata section of Philadelphia.") == {"juniata": "Philadelphia"}
    # the side of town is no part of the name; a name that is a side's is kept whole
    assert declared_parts("A boy was shot in the West Side Austin neighborhood.") == {"austin": ""}
    assert declared_parts("A man was shot in the Lower East Side neighborhood.") == {"lowereastside": ""}


@pytest.mark.parametrize("text", [
    "Four wounded in Downtown shooting", "14 shot, including 6 at West Side party", "Five hurt in East Side shooting",
    "shooting near the University of Florida campus", "at Club Blu Bar and Grill.",
])
def test_parts_of_any_city_are_no_towns(g: Gazetteer, text: str) -> None:
    assert all(h.place.kind != "city" for h in g.find_places(text))


@pytest.mark.parametrize("text, name", [
    ("near Dexter and Tuxedo just before 9 p.m.", "Dexter"),
    ("Maxwell was shot by Lawrence at Florida and Ohio.", "Florida"),
    ("Maxwell was shot by Lawrence at Florida and Ohio.", "Ohio"),
    ("a quadruple shooting near 21st & Cleveland", "Cleveland"),
    ("The shooting happened near Yosemite Avenue and Cleveland in Madera.", "Cleveland"),
])
def test_street_corners_are_asides(text: str, name: str) -> None:
    assert aside(text, name)


def test_places_listed_after_a_preposition_are_no_corner() -> None:
    assert not aside("Flights were cancelled near Dallas and Fort Worth.", "Dallas")
    assert not aside("Troops were sent to Iraq and Syria.", "Iraq")


def test_person_names() -> None:
    text = ("Rome police charged a man in the shooting of Detavious Jamalcom Milner, according to Sheriff "
            "Michael C. Chandler. In Denton, residents of East Cleveland and Metro Nashville were shocked.")
    assert person_names(text) == {"milner", "chandler"}
    assert person_names("The daughter of Kayla McKinney was shot. Police said.") == {"mckinney"}
    # a generational suffix is never the surname
    assert person_names("the stabbing death of David Lee Hamilton Jr., 31, of Montgomery.") == {"hamilton"}
    assert person_names("Police said Timothy Hollis Sr. and John Smith III were hurt.") == {"hollis", "smith"}


def test_a_title_the_text_writes_in_lower_case_is_no_given_name_but_the_name_after_it_is_found() -> None:
    # 'Sheriff' is a title here (the text writes 'the sheriff'), and an initial does not end the name
    text = ("A boy died, according to a news release from Putnam County Sheriff Michael C. Chandler. "
            "The sheriff said the boy was hunting. Chandler declined to release names.")
    assert person_names(text) == {"chandler"}
    # ... while a place's first word still names no one ('Metro Nashville Police Department')
    text = "The victim was named by the Metro Nashville Police Department. Metro police said so."
    assert "department" not in person_names(text) and "nashville" not in name_words(text)
    # ... nor does a compass word ('Southeast Dallas'), and only a title lets the search go on from
    # the next word ('Shooting Rocks Dallas' names no Rocks Dallas)
    text = "Three were killed in a far Southeast Dallas shooting, police said. The shooting kills the mood."
    assert person_names(text) == frozenset()
    assert person_names("Shooting Rocks Dallas\nThe shooting was on Sunday.") == frozenset()


def test_a_town_named_only_by_a_building_places_no_article(g: Gazetteer) -> None:
    # 'the Green Meadows apartment complex' names a building, not Green Meadows, Ohio: a bare
    # Danville beside it is not Ohio's on that account
    text = ("A 32-year-old Danville man was shot outside the Green Meadows apartment complex, police said. "
            "Danville police are investigating.")
    assert g.resolve_place("Danville", context=text).admin1 != "Ohio"
    assert "admin1:US.OH" not in g._profile(text)
    # ... while the town itself, named as a place, still does
    assert "admin1:US.OH" in g._profile(text.replace("outside the Green Meadows apartment complex", "in Green Meadows"))


def test_a_surname_used_bare_is_no_place(g: Gazetteer) -> None:
    text = ("Houston police charged Martez Thornton in the death of Queric Richardson, 17. Richardson's brother was "
            "shot too. Thornton was also shot, police said.")
    assert [h.text for h in g.find_places(text, context=text)] == ["Houston"]
    # ... but with a preposition, or as a town's police or 'Town, State', it is a place again
    text = "Queric Richardson, 17, was shot in Richardson on Sunday, Richardson police said."
    assert [h.text for h in g.find_places(text, context=text)] == ["Richardson", "Richardson"]
    # a state is no one's surname ('Taylor Kansas' aside)
    text = "Police questioned Taylor Kansas. Kansas authorities said no charges were filed."
    assert [h.place.kind for h in g.find_places(text, context=text)] == ["admin1", "admin1"]


def test_a_headline_line_names_its_town_by_its_people() -> None:
    text = "Hit-and-run crash leaves Queens mother of 2 dead\nA Queens mother of two was struck by a car."
    assert not aside(text, "Queens")
    start = text.rindex("Queens")
    assert is_aside(text, start, start + len("Queens"))
    # a first line that is a sentence is no headline
    assert aside("A Queens mother of two was struck by a car.\nShe died.", "Queens")
