"""The lead report's casualties: the toll of the article's main incident, read from its
headline and opening sentences when the lead passage gives none or gives too few.
"""

from __future__ import annotations

from dataclasses import replace

from .boilerplate import outside
from .casualties import read_headline_figures, read_lead_toll
from .date_intervals import dates_compatible
from .hurt import count_ordinal_victims
from .later_deaths import died_later
from .models import Article, Mention
from .roundups import read_featured_toll
from .text import Sentence
from .vocabulary import Vocabulary


def read_lead_casualties(lead: Mention, article: Article, vocab: Vocabulary, sentences: list[Sentence],
                         others: list[Mention] = (), opening_sentences: int = 5,  # type: ignore[assignment]
                         injured_sentences: int = 10) -> None:
    """Casualties of the article's main incident from its headline and opening
    sentences when the lead passage gives none: news puts the toll up front,
    often without a number ('a man was shot and killed' is one death). The
    injured, when the opening gives none, from the first `injured_sentences`.
    Sentences that report the article's other incidents are not read. A lead whose
    headline or passage sums up several incidents is marked (`roundup`)."""
    lead.features["roundup"] = bool(vocab.roundup.find(f"{article.title or ''}\n{lead.sentence}"))
    if not lead.features["roundup"]:
        raise_to_headline(lead, article.title or "", vocab)
    else:
        lead.features["featured_toll"] = read_featured_toll(sentences, vocab, opening_sentences)
    if lead.killed is not None and lead.injured is not None and lead.injured != 1:
        return
    elsewhere = [(m.start, m.end) for m in others]
    opening = [s for s in sentences[:opening_sentences] if outside(elsewhere, s.start, s.end) and of_attack(s, lead, vocab)]
    killed, injured = read_lead_toll(article.title or "", "\n".join(s.text for s in opening), vocab)
    # A lead passage of one wounded often names the worst hurt ('a double shooting that left a teenager
    # critically injured'): its own count of the hit, with the same dead, is of all of them.
    if lead.injured == 1 and not lead.features["roundup"]:
        own_killed, own_injured = read_lead_toll(article.title or "", lead.sentence, vocab)
        if (own_injured or 0) > 1 and lead.killed in (None, own_killed):
            lead.injured = own_injured
    if lead.killed is not None and lead.injured is not None:
        return
    # 'Multiple people were wounded' reads as one wounded ('were wounded'): the count is further on.
    several = bool(vocab.several_hurt.find(f"{article.title or ''}\n" + "\n".join(s.text for s in opening)))
    if lead.injured is None and (not injured or (injured == 1 and several)):
        # The wounded are often told after the dead and the scene ('a fourth victim
        # remains hospitalized', 'the woman ... suffered a gunshot wound to the leg'); a zero
        # the opening only implies ('the two were shot to death') does not say no one else was hurt.
        # A passage of its own that tells no toll of its own, or the same dead, on a day that can be
        # the lead's, goes on with the lead's incident ('Three other males were also shot').
        dead = lead.killed if lead.killed is not None else killed
        # After 'multiple people were wounded', a passage's own count of wounded is the one not given.
        apart = [(m.start, m.end) for m in others if m.features.get("aside") or (
                 not tells_same_toll(m, lead, dead) and not (several and tells_same_toll(replace(m, injured=None), lead, dead)))]
        more = [s for s in sentences[:injured_sentences] if outside(apart, s.start, s.end) and of_attack(s, lead, vocab)]
        later = read_lead_toll(article.title or "", "\n".join(s.text for s in more), vocab)[1]
        injured = later if injured is None or (later or 0) > injured else injured
        if several and (injured or 0) < 2:
            injured = 2  # at least
        # 'A fourth victim was taken by personal vehicle to ...' comes after the dead are named, often
        # past the window; an ordinal names a new person hit, so it is read through the story.
        if injured is None and dead and (hit := count_ordinal_victims(
                "\n".join(s.text for s in sentences if outside(apart, s.start, s.end)), vocab)) and hit > dead:
            injured = hit - dead
    if lead.killed is None and killed is not None:
        lead.killed = killed
        lead.features["explicit"]["killed"] = True
    if lead.injured is None and injured is not None:
        lead.injured = injured
        lead.features["explicit"]["injured"] = True
    # One victim shot, and no dead: the story may tell further on that the victim died.
    if lead.injured == 1 and not lead.killed and not lead.features["roundup"]:
        apart = [(m.start, m.end) for m in others if m.features.get("aside") or not tells_same_toll(m, lead, lead.killed)]
        if died_later(article.title or "", [s for s in sentences if outside(apart, s.start, s.end)], vocab):
            lead.killed, lead.injured = 1, 0
            lead.features["explicit"]["killed"] = True


def tells_same_toll(other: Mention, lead: Mention, dead: int | None) -> bool:
    """Whether another passage may tell more of the lead's incident: no wounded of its
    own, no other dead and no day apart ('Late Wednesday, at least eight people were killed
    and 12 wounded in Chicago' is a roundup beside the lead's one death)."""
    return (other.injured is None and (other.killed is None or other.killed == dead)
            and (other.date is None or lead.date is None or dates_compatible(other.date, lead.date)))


def raise_to_headline(lead: Mention, title: str, vocab: Vocabulary) -> None:
    """A headline's figures raise the lead's toll: an opening often tells one
    victim ('A 20-year-old man died at the scene') where the headline sums up
    ('1 Dead, 7 Injured'). The higher of the two wins, as a headline may also
    tell the worst hurt only ('Four shot, two critically injured'); on gva_pool
    dev this reads 8 more killed and 7 more injured leads right than either alone."""
    killed, injured = read_headline_figures(title, vocab)
    for name, value in (("killed", killed), ("injured", injured)):
        if value is not None and (getattr(lead, name) is None or value > getattr(lead, name)):
            setattr(lead, name, value)
            lead.features["explicit"][name] = True


def of_attack(sentence: Sentence, lead: Mention, vocab: Vocabulary) -> bool:
    """False, for a lead of an attack with a weapon, for a sentence that tells a death or injury of
    another cause and names no weapon ('Porraz was killed in a high-speed motorcycle accident', of
    the man whose funeral was shot at): its toll is not the lead incident's. A crash story's own
    sentences stay its toll."""
    return (lead.weapon is None or vocab.other_cause is None or not vocab.other_cause.search(sentence.text)
            or bool(vocab.weapons.find(sentence.text)))
