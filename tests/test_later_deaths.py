from dedupe.later_deaths import died_later
from dedupe.text import Sentence, split_sentences
from dedupe.vocabulary import load_vocabulary


def sentences(text: str) -> list[Sentence]:
    return split_sentences(text, load_vocabulary().abbreviations)


def test_a_victim_who_died_at_the_hospital_died_later() -> None:
    text = ("A Glendale man is facing a manslaughter charge after accidentally shooting his friend. "
            "Court documents show a shooting victim had been dropped off at a hospital for treatment and later died.")
    assert died_later("Glendale man faces charge after shooting friend", sentences(text), load_vocabulary())


def test_a_death_told_in_passing_is_another_incident() -> None:
    # The boy recovers; the girl killed a year and a half ago is another shooting.
    text = ("Police are looking for a suspect in the shooting of a 7-year-old boy struck by a stray bullet. "
            "He is now recovering at home. Residents say they are tired of living in fear. "
            "A year and a half ago a 12-year-old girl was killed after being caught in the crossfire of a shootout.")
    assert not died_later("7-year-old boy struck by stray bullet", sentences(text), load_vocabulary())


def test_a_death_past_the_eighth_sentence_is_not_read() -> None:
    text = " ".join(["A man was shot Tuesday night, police said."] + ["Officers searched the area."] * 8
                    + ["He later died at the hospital."])
    assert not died_later("Man shot", sentences(text), load_vocabulary())
