"""Who was hurt besides the dead, told without a count."""

from __future__ import annotations

from dedupe.casualties import read_lead_toll
from dedupe.hurt import hurt_besides
from dedupe.vocabulary import load_vocabulary


def test_another_person_who_fired_is_not_hurt_besides_the_dead() -> None:
    vocab = load_vocabulary()
    opening = "A 14-year-old was killed Wednesday after another teenager accidentally shot him, according to deputies."
    assert not hurt_besides("", opening, vocab)
    assert read_lead_toll("14-year-old killed in alleged accidental shooting", opening, vocab) == (1, None)
    # Told in the passive, the other person is the one hit.
    assert hurt_besides("", "A man was killed and another man was shot in the leg.", vocab)
