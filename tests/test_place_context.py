import pytest

from dedupe.mentions import extract_mentions
from dedupe.place_context import find_headline_place, headline_of, outlet_place, outlet_state, sentence_case
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
    text = "GRANITE FALLS, N.C. — A teenager was shot and killed in Caldwell County on Sunday, deputies said."
    assert lead_of(text, dateline="GRANITE FALLS, N.C.").place.name == "Granite Falls"
    # ... unless the article names another town of that county: the dateline may be a bureau's
    other = text + "\n\nLenoir has a new mayor."
    assert lead_of(other, dateline="GRANITE FALLS, N.C.").place.name == "Caldwell County"
    # ... unless it names the dateline's town again more often than the other town
    again = other + "\n\nThe teen lived with his family in Granite Falls."
    assert lead_of(again, dateline="GRANITE FALLS, N.C.").place.name == "Granite Falls"
    # a dateline's town the gazetteer knows no county of may lie in the lead's parish
    text = "ARABI, La. -- A man was wounded by a stray bullet in St. Bernard Parish on Sunday, deputies said."
    assert lead_of(text, dateline="ARABI, La.").place.name == "Arabi"


def test_the_headlines_town_replaces_a_county_of_its_state_named_in_passing() -> None:
    text = ("A woman was wounded by a stray bullet on Sunday and two teens were taken to the Essex County "
            "Juvenile Detention Center, New Jersey police said.")
    assert lead_of(text).place.name == "Essex County"
    assert lead_of(text, title="Woman struck by stray bullet in Passaic speaks out").place.name == "Passaic"


def test_sentence_case_lowers_the_words_the_text_writes_in_lower_case() -> None:
    text = "There were 300 homicides in Baltimore last year; a juvenile died in Hummelstown."
    assert sentence_case("Baltimore homicides rise, Hummelstown Mourns", text) == \
        "Baltimore homicides rise, Hummelstown Mourns"
    assert sentence_case("Hummelstown Juvenile dead", text) == "Hummelstown juvenile dead"
    assert sentence_case("Man shot in Green Bay", "by the bay in Green Bay, Green Bay police said") == "Man shot in Green Bay"
    # a short headline in sentence case is no Title Case: its place keeps its capitals
    assert sentence_case("4 shot, one fatally, on St. Louis street", "Close notifications daily!") == \
        "4 shot, one fatally, on St. Louis street"
    assert sentence_case("Man Dies After Shooting", "Police said.") == "Man dies after shooting"
    # the headline the text repeats is no evidence of how the text writes its words
    text = "Hummelstown Juvenile dead\n\nPolice found a juvenile with a gunshot wound in Hummelstown."
    assert sentence_case("Hummelstown Juvenile dead", text) == "Hummelstown juvenile dead"


def test_a_title_case_headline_names_its_town(g: Gazetteer) -> None:
    hit = find_headline_place("Baltimore Homicides", "Baltimore police counted the homicides of the year.", g)
    assert hit is not None and hit.place.name == "Baltimore"


def test_a_headlines_people_name_its_town_after_any_other_place(g: Gazetteer) -> None:
    text = "Police said the boy was shot in the leg."
    assert find_headline_place("Savannah teen accidentally shoots friend", text, g).place.name == "Savannah"
    title = "Pittsburgh man to stand trial for Allentown homicide"
    assert find_headline_place(title, "Pittsburgh police said.", g).place.name == "Allentown"
    # ... where a hospital's town is only in passing
    title = "Boy shot in the leg taken to Tampa hospital"
    assert find_headline_place(title, text, g) is None
    assert find_headline_place(title, text, g, asides=True).place.name == "Tampa"


def test_the_lead_takes_a_home_town_when_nothing_else_says_where() -> None:
    # the passage's own place is where it happened, the home town only an aside ...
    assert lead_of("A 23-year-old Riverview man was shot and killed in Tampa on Sunday, police said.").place.name == "Tampa"
    # ... the dateline beats the home town ...
    text = "WALLINGFORD, Conn. — Police identified two New Haven men who were shot and killed on Friday."
    assert lead_of(text, dateline="WALLINGFORD, Conn.").place.name == "Wallingford"
    # ... and with nothing else, the home town stands in
    lead = lead_of("A New Haven man was shot and killed on Friday, police said.")
    assert lead.place.name == "New Haven" and not lead.features["explicit"]["place"]


def test_the_headlines_home_town_replaces_the_county_it_lies_in() -> None:
    text = "The Laramie County Sheriff's Office said a child shot himself in the foot on Sunday."
    assert lead_of(text).place.name == "Laramie County"
    assert lead_of(text, title="Cheyenne Child Shoots Himself in the Foot").place.name == "Cheyenne"


def test_a_title_case_headline_lowers_words_the_text_never_writes() -> None:
    assert sentence_case("Baltimore Homicides", "A list of the year's cases in Baltimore.") == "Baltimore homicides"
    # ... but not a name a preposition puts in place
    assert sentence_case("Five Shot During Party In Compton", "Best tacos in Malibu.") == \
        "Five shot during party in Compton"


def test_a_headline_names_a_small_town_by_its_people(g: Gazetteer) -> None:
    text = "Deputies arrested a man they say shot a woman in the back."
    hit = find_headline_place("Riverview man arrested for shooting a woman", text, g)
    assert hit is not None and hit.place.name == "Riverview"
    # ... which refines a county the lead names only when it lies in it
    text = "A teen was hospitalized after being shot while squirrel hunting in Morgan County, Indiana."
    assert lead_of(text, title="Plainfield teen injured while squirrel hunting").place.name == "Morgan County"


def test_the_outlets_city_is_the_last_resort(g: Gazetteer) -> None:
    title = "Five people shot in apartment complex - WMC Action News 5 - Memphis, Tennessee"
    assert outlet_place(title, "Police said.", g).place.name == "Memphis"
    assert outlet_place("Five people shot in apartment complex", "Police said.", g) is None
    lead = lead_of("Five people were shot overnight, police said.", title=title)
    assert lead.place.name == "Memphis" and lead.features["place_from_document"]
    # ... only: a place the article names comes first
    assert lead_of("Five people were shot overnight in Tulsa, police said.", title=title).place.name == "Tulsa"


def test_the_datelines_town_named_again_beats_another_town_of_the_lead() -> None:
    # a smaller town than the lead's: where it was filed from is where it happened
    text = ("KATY, Texas (AP) — A man shot his wife and children in a Houston home, investigators said. "
            "The bodies were discovered Tuesday morning in Katy.")
    assert lead_of(text, dateline="KATY, Texas").place.name == "Katy"
    # ... a bigger one is a bureau's or a station's, reporting on the towns around
    text = ("INDIANAPOLIS — A man was shot in Kokomo on Sunday. Indianapolis police helped Kokomo officers "
            "search for the gunman.")
    assert lead_of(text, dateline="INDIANAPOLIS").place.name == "Kokomo"
    # ... and a town of another state only when the article names that state's places less
    text = ("MEMPHIS, Tenn. — Five people were shot in Raleigh on Sunday, Memphis police said. Memphis officers "
            "are searching for the gunman.")
    assert lead_of(text, dateline="MEMPHIS, Tenn.").place.name == "Memphis"
    text = "AUSTIN — Four boys were shot in Chicago on Monday. Chicago police said the boys were walking in Austin."
    assert lead_of(text, dateline="AUSTIN").place.name == "Chicago"


def test_a_site_the_lead_names_is_more_precise_than_any_dateline() -> None:
    text = ("BAGHDAD (Dispatches) – Two drones were shot down above the Ain al-Asad airbase on Sunday. A day "
            "earlier a rocket hit a facility in the Iraqi capital Baghdad, and Baghdad police found another.")
    assert lead_of(text, dateline="BAGHDAD").place.name == "Ain al-Asad Air Base"


def test_the_one_town_of_the_leads_county_named_below_replaces_it() -> None:
    text = ("A 9-year-old girl was shot in the chest in Bucks County, Pennsylvania, on Saturday, police said.\n"
            "Officers were called to a home on Main Street in Hulmeville just after noon.")
    lead = lead_of(text)
    assert (lead.place.name, lead.place.admin1) == ("Hulmeville", "Pennsylvania")
    # Two towns of the county: which one is not said, so the county stays.
    text2 = text + "\nThe girl was flown from Langhorne to a hospital in Philadelphia, and later moved to Hulmeville."
    two = text2.replace("in Hulmeville just", "in Hulmeville or Langhorne just")
    assert lead_of(two).place.kind == "county"


def test_the_one_town_of_the_leads_county_named_in_passing_replaces_it() -> None:
    text = ("A 12-year-old boy was accidentally shot and killed while hunting in Indiana County, "
            "Pennsylvania, on Saturday.\nThe coroner says the victim is Allen Troyer, of Smicksburg.")
    assert lead_of(text).place.name == "Smicksburg"
    # ... but a town the article places something in comes first
    more = text + "\nTroopers were called to a farm in Marion Center."
    assert lead_of(more).place.name == "Marion Center"


def test_the_one_town_of_the_leads_state_the_article_places_something_in_replaces_it() -> None:
    text = ("A 6-year-old girl is fighting for her life after her father shot her during a murder-suicide "
            "in Georgia, according to police.\nGlynn County Police said officers found her parents dead "
            "in a bedroom at the Westminster Apartments in Brunswick.")
    lead = lead_of(text)
    assert (lead.place.name, lead.place.admin1) == ("Brunswick", "Georgia")
    # two towns of the state: which one is not said, so the state stays
    two = text + "\nThe suspect was arrested later in Savannah."
    assert lead_of(two).place.kind == "admin1"
    # a town of the state named only in passing (a hospital's) does not replace it
    passing = text.replace("in a bedroom at the Westminster Apartments in Brunswick", "at their home") + (
        "\nThe girl was flown to a hospital in Savannah.")
    assert lead_of(passing).place.kind == "admin1"


def test_the_headlines_county_gives_way_to_the_one_town_in_it_named_below() -> None:
    # The lead names only the state; the headline's county replaces it, then the one town of
    # that county the article places something in replaces the county.
    title = "Man, 21, Shoots Bucks County Girl, 9, in Chest with BB Gun"
    text = ("A 21-year-old man accidentally shot a 9-year-old girl in Pennsylvania, police said.\n"
            "The child was struck along Bellevue Avenue near Neshaminy Street in Hulmeville, Bucks County "
            "around 3:30 p.m.")
    assert lead_of(text, title=title).place.name == "Hulmeville"
    assert lead_of(text.replace(" in Hulmeville,", " in"), title=title).place.name == "Bucks County"


def test_a_town_whose_county_is_unknown_may_be_the_one_of_the_leads_county() -> None:
    # The gazetteer gives Wilson, Kansas no county: the one town of the county's state the
    # article places something in stands in for the county.
    text = ("Law enforcement authorities in Ellsworth County, Kansas are investigating a reported accidental "
            "shooting.\nFirst responders were dispatched to a residence in the 400 block of 30th Street in the "
            "city of Wilson, according to police.")
    assert lead_of(text).place.name == "Wilson"
    assert lead_of(text.replace("in the city of Wilson", "in town")).place.name == "Ellsworth County"


def test_the_surname_of_someone_named_in_full_is_no_town_even_in_passing() -> None:
    text = ("The Boston Red Sox made an eight-year offer to free agent first baseman Mark Teixeira. The offer "
            "changes the landscape of the Teixeira sweepstakes, as the team had said it would not bid.")
    (lead, *_) = extract_mentions(make_article(text, "2008-12-16"), load_vocabulary(), Gazetteer.default())
    assert lead.place is None or lead.place.name != "Teixeira"


def test_the_headline_context_shares_the_text_read_once(g: Gazetteer) -> None:
    # 'Title\nText' joins the title's reading to the text's, read first and kept for when
    # the text is looked up alone: the text is read once, not once under the headline too.
    text = "A man was shot Tuesday night on the East Side of Akron, Ohio, police said.\nHe was taken to a hospital."
    head = find_headline_place("Man shot in Akron - WKYC Cleveland", text, g)
    assert head is not None and head.text == "Akron"
    assert text in g._readings and f"Man shot in Akron - WKYC Cleveland\n{text}" in g._readings


def test_the_outlets_state_is_the_one_its_part_of_the_title_names(g: Gazetteer) -> None:
    text = "A Berlin teenager died after he was shot with a pellet gun, police said."
    assert outlet_state("Berlin teen dies after being shot by pellet gun - WFSB 3 Connecticut", text, g).name == "Connecticut"
    state = outlet_state("Man shot - KSLA News 12 Shreveport, Louisiana News Weather & Sports", text, g)
    assert state.admin1 == "Louisiana"
    assert outlet_state("Berlin teen dies after being shot by pellet gun", text, g) is None
    assert outlet_state("Police investigate accidental shooting - KZTV10.com | Continuous News Coverage", text, g) is None
