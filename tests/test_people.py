from __future__ import annotations

from dedupe.people import find_names, find_people
from dedupe.vocabulary import load_vocabulary

STOP = load_vocabulary().stopwords


def test_surname_used_alone_after_the_full_name_is_a_person() -> None:
    text = ("Chargers defensive tackle Jamal Williams was arrested early Sunday in Coronado. "
            "Williams, 32, was booked into the county jail. Coach Norv Turner declined to comment.")
    assert find_people(text, STOP) == ["williams"]


def test_most_named_person_comes_first() -> None:
    text = ("Police said Mark Vinar fell on Mount Cook. A friend, Anna Reid, raised the alarm. "
            "Reid waited two nights. Vinar was 43. Vinar had climbed there before.")
    assert find_people(text, STOP) == ["vinar", "reid"]


def test_places_and_organisations_are_not_people() -> None:
    text = ("Deputies from the Colleton County Sheriff's Office were called. The County said little. "
            "San Diego Chargers fans in San Diego were stunned. Police Chief Eddie Johnson spoke. "
            "Police said the Chicago Police were investigating. Chicago police said more.")
    # 'Johnson' is never used alone, 'County' only after 'the', 'Police' is also written 'police'.
    assert find_people(text, STOP) == []


def test_at_most_three_people() -> None:
    names = ["Ann Able", "Bo Baker", "Cy Cole", "Di Dunn"]
    text = " ".join(f"{n} spoke. {n.split()[1]} left." for n in names)
    assert len(find_people(text, STOP)) == 3


def test_names_of_a_passage_leave_out_cities_titles_and_title_case_phrases() -> None:
    # Two shootings in one city share 'Las Vegas Police Chief' and a headline's 'Just One', not who was
    # shot or on which street: those names are what the victims comparison weighs.
    sentence = ("New York Police Chief Dermot Shea said Kimani Gray was shot on Bourbon Street, "
                "Just One Block from his home.")
    assert find_names(sentence, STOP) == ["Bourbon Street", "Dermot Shea", "Kimani Gray"]
