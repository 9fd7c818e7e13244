"""A lone victim who died further on in the story. An opening often tells one person shot
('A man accidentally shot his friend', 'a bullet struck the girl in the chest') and only
later that the victim died ('was taken to the hospital, but doctors were not able to save
her', 'had been dropped off for treatment and later died'): one death, no one wounded."""

from __future__ import annotations

from .casualties import read_lead_toll
from .text import Sentence
from .vocabulary import Vocabulary

# How far a lone victim's death is looked for: as far as the eighth sentence on gva_pool dev
# (the ninth and tenth add none there).
LATER_SENTENCES = 8


def died_later(title: str, sentences: list[Sentence], vocab: Vocabulary) -> bool:
    """Whether the story's first LATER_SENTENCES `sentences` (those of its other incidents
    left out) tell that someone died of wounds (vocabulary died_of_wounds), one death in all
    and no wounded: the one victim its opening told shot is dead."""
    text = "\n".join(s.text for s in sentences[:LATER_SENTENCES])
    if not vocab.died_of_wounds.find(text):
        return False
    killed, injured = read_lead_toll(title, text, vocab)
    return killed == 1 and not injured
