"""Who was hurt besides the dead, told without a count."""

from __future__ import annotations

from dedupe.casualties import read_casualties, read_lead_toll
from dedupe.hurt import count_conditions, count_hurt_together, count_ordinal_victims, hurt_besides
from dedupe.text import split_sentences
from dedupe.vocabulary import load_vocabulary


def test_another_person_who_fired_is_not_hurt_besides_the_dead() -> None:
    vocab = load_vocabulary()
    opening = "A 14-year-old was killed Wednesday after another teenager accidentally shot him, according to deputies."
    assert not hurt_besides("", opening, vocab)
    assert read_lead_toll("14-year-old killed in alleged accidental shooting", opening, vocab) == (1, None)
    # Told in the passive, the other person is the one hit.
    assert hurt_besides("", "A man was killed and another man was shot in the leg.", vocab)


def test_a_breakdown_of_victims_by_condition_adds_up() -> None:
    vocab = load_vocabulary()
    assert read_casualties("Two men were in critical condition and two others injured after being shot "
                           "in Compton on Friday.", vocab) == (None, 4)
    assert read_casualties("Police said one is listed in critical condition and the other two in stable "
                           "condition.", vocab) == (None, 3)
    # One person's condition, with no second count, is one hurt as before.
    assert count_conditions("The man was in critical condition and his wife was treated.", vocab) is None


def test_the_hurt_told_together_give_their_count() -> None:
    vocab = load_vocabulary()
    sentences = split_sentences("Three men were shot outside a bar. All four victims are listed in stable condition.")
    assert count_hurt_together(sentences, [], vocab) == 4
    assert count_hurt_together(sentences, [(sentences[1].start, sentences[1].end)], vocab) is None
    assert count_hurt_together(split_sentences("Both were taken to a hospital."), [], vocab) == 2


def test_a_person_named_after_injured_is_hurt_besides_the_dead() -> None:
    vocab = load_vocabulary()
    text = ("A 7-year-old boy was clinging to life after, investigators say, his father killed his baby sister. "
            "In the murder-suicide Timothy Hollis, 32, killed Kalila Hollis, 1, and critically injured "
            "Timothy Hollis Jr. before taking his own life.")
    assert read_lead_toll("Father kills daughter, self", text, vocab) == (2, 1)


def test_a_headlines_capitals_after_wounded_name_no_one() -> None:
    vocab = load_vocabulary()
    assert not hurt_besides("Man Dies Days After Being Wounded In Shooting",
                            "Man Dies Days After Being Wounded In Shooting\nA man shot Friday has died.", vocab)


def test_a_headlines_clause_after_a_semicolon_tells_another_hurt() -> None:
    vocab = load_vocabulary()
    assert read_lead_toll("Teen driver shot to death in Allentown; his passenger is wounded",
                          "A 17-year-old Allentown man was killed Tuesday night when someone fired shots into his car, "
                          "authorities said. An 18-year-old woman with him was wounded.", vocab) == (1, 1)


def test_an_ordinal_victim_counts_everyone_hit() -> None:
    vocab = load_vocabulary()
    assert read_lead_toll("Three men shot, a fourth wounded by shrapnel in southeast Fresno",
                          "Police were called at 9:15 Wednesday night about a victim of a shooting.", vocab) == (None, 4)
    assert read_lead_toll("", "Three people were killed early Saturday. A fourth victim was taken by personal "
                              "vehicle to East Alabama Medical Center.", vocab) == (3, 1)
    # A victim whose own clause tells the death is among the dead, not one more hit.
    assert count_ordinal_victims("A third victim died at the hospital Sunday.", vocab) is None
