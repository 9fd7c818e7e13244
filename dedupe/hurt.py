"""Who was hurt, told without a count: a person shot as the object of an active verb
('accidentally shot his friend') and someone hurt besides the dead ('another man was
wounded', 'a 30-year-old woman was also shot'), not things ('other residences were also
struck by gunfire') nor someone merely elsewhere ('in another room when she was shot')."""

from __future__ import annotations

import re
from functools import lru_cache

from .boilerplate import outside
from .text import Sentence
from .vocabulary import Vocabulary, alternation

_DETERMINERS = ("a", "an", "the", "his", "her", "their", "its", "one", "another")

# 'Teen arrested after shooting 18-year-old girl in chest', 'accidentally shot his friend',
# 'accidental shooting of child, father': a person shot.
_SHOT_OBJECT = re.compile(r"\b(?:shooting(\s+of)?|shoots|shot)\s+([\w'-]+)[\s,]+([\w'-]+)(?:\s+([\w'-]+))?", re.I)
_AGED = re.compile(r"\d+-year-old")
# Nouns for people that a shooting is named by, not done to ('shooting victims', 'shooting suspect').
_NOT_OBJECTS = ("victim", "victims", "suspect", "suspects", "he", "she")


def count_shot_objects(text: str, vocab: Vocabulary) -> int | None:
    """The people an active 'shooting' or 'shot' has for its object, one unless a number is
    given ('shooting two men'); None where it has none ('shot at the car', 'shooting victims').
    Headlines drop the determiner ('Accused Of Shooting Teen Girl')."""
    def person(w: str) -> bool:
        return w in vocab.person_nouns and w not in _NOT_OBJECTS or _AGED.fullmatch(w) is not None

    for m in _SHOT_OBJECT.finditer(text):
        first, *rest = (w.lower().strip(",") for w in m.groups()[1:] if w)
        if person(first) or ((first in _DETERMINERS or vocab.number(first)) and any(person(w) for w in rest)):
            return vocab.number(first) or 1
    return None


def hurt_besides(title: str, text: str, vocab: Vocabulary) -> bool:
    """Whether someone besides the dead is told hurt, without a number ('another man
    was wounded', 'a 30-year-old woman was also shot', 'Deacon killed, boy wounded')."""
    words = tuple(vocab.injured_words + vocab.shot_words)
    found = [*vocab.another_injured.finditer(text), *other_hurt_pattern(tuple(vocab.killed_words), words).finditer(text)]
    return (any(names_person_hurt(m, vocab) for m in found)
            or headline_hurt_pattern(tuple(vocab.headline_killed.phrases), words).search(title) is not None)


# Words that end the phrase after 'another': 'in another room when she was shot' tells no one else.
_CLAUSE_WORDS = frozenset(("and", "when", "while", "as", "after", "before", "but", "where"))
_AUX_BEFORE = re.compile(r"(?:\s*,)?\s*(?:(?:was|were|is|are|has been|have been|had been)\s*)?$", re.I)
_PRONOUNS = frozenset(("he", "she", "they", "who", "him", "her", "them"))


def names_person_hurt(m: re.Match[str], vocab: Vocabulary) -> bool:
    """A match of another_injured or other_hurt_pattern that tells a person hurt: not 'in
    another room when she was shot', 'another person was fatally shot' or, since things are
    hit as well as people, 'other residences ... were also struck by gunfire'."""
    found = m.group(0).lower()
    middle = found.split()[1:-1]
    if (re.search(r"\b(?:fatally|mortally)\b", found) or re.match(r"\s+(?:to\s+death|and\s+killed|dead)\b",
                                                                    m.string[m.end():])
            or found.startswith(("another", "a ")) and _CLAUSE_WORDS.intersection(middle)
            or is_shooter(m)):
        return False
    if not found.endswith(("hit", "struck")):
        return True
    if found.startswith(("another", "a ")):
        return any(w.strip(",") in vocab.person_nouns or any(c.isdigit() for c in w) for w in middle)
    before = m.string[:m.start()]
    last = (before[:_AUX_BEFORE.search(before).start()].split() or [""])[-1].strip(",")  # type: ignore[union-attr]
    return last.lower() in vocab.person_nouns or last.lower() in _PRONOUNS or any(c.isdigit() for c in last) \
        or last[:1].isupper()


_PASSIVE = re.compile(r"\b(?:was|is|were|are|has been|have been|had been)\b", re.I)
_OBJECT_AFTER = re.compile(r"\s+(?:him|her|them|his|their|the|a|an|at)\b", re.I)


def is_shooter(m: re.Match[str]) -> bool:
    """'after another teenager accidentally shot him': the other person named with an active
    verb and its object is who fired, not someone hurt besides."""
    found = m.group(0).lower()
    return (found.startswith(("another", "a ")) and not _PASSIVE.search(found)
            and _OBJECT_AFTER.match(m.string, m.end()) is not None)


# Capitalised words of a headline that are no name.
_NOT_NAMES = (r"(?:In|At|On|By|Near|During|After|Before|Outside|Inside|While|When|Over|From|With|And|As|For|Of|To|"
              r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Early|Late|Last|Police|Shooting)")


@lru_cache(maxsize=32)
def other_hurt_pattern(deaths: tuple[str, ...], words: tuple[str, ...]) -> re.Pattern[str]:
    """Someone hurt besides the dead, told without a number: 'a man was killed
    and his son was shot', 'a second man was also wounded', 'wounding another'."""
    verb = alternation(w for w in words if " " not in w)
    not_dead = r"(?!\s+(?:to\s+death|and\s+killed|dead|fatally))"
    return re.compile(
        rf"\b(?:{alternation(deaths)}),?\s+and\s+(?:an?|the|his|her|their)\s+(?:[\w'-]+\s+){{0,4}}?"
        rf"(?:was|is|has\s+been)\s+(?:also\s+)?(?:\w+ly\s+)?(?:{verb})\b{not_dead}"
        rf"|\balso\s+(?:\w+ly\s+)?(?:{verb}|hit|struck)\b{not_dead}"
        # 'A 28-year-old man was also found at the scene, near 3rd Street, with a gunshot wound to the arm'
        rf"|\balso\s+found\b[^.;:!?]{{0,80}}?\bwith\s+(?:an?\s+)?(?:apparent\s+)?gunshot\s+wounds?\b"
        rf"|\b(?:another|a\s+second|a\s+third)\s+(?:[\w-]+\s+){{1,6}}?(?:who\s+)?(?:had\s+been|has\s+been|was)\s+"
        rf"(?:\w+ly\s+)?(?:{verb}|hit|struck)\b{not_dead}"
        rf"|\b(?:wound|wounding|wounded|injuring|injured|hurting)\s+(?:another|a\s+second|a\s+third)\b"
        # 'killed Kalila Hollis, 1, and critically injured Timothy Hollis Jr.': a person named, not 'a wounded
        # Mark Cormier' (him, told wounded) nor a headline's capitals ('Man Dies After Being Wounded In Shooting').
        rf"|(?<!\ban\s)(?<!\ba\s)(?<!\bthe\s)(?<!fatally\s)(?<!mortally\s)\b(?:wounding|wounded|injuring|injured)\s+"
        rf"(?-i:(?!{_NOT_NAMES}\b)[A-Z][a-z]+\s+(?!{_NOT_NAMES}\b)[A-Z][a-z]+)\b"
        # 'a shootout that left his accomplice dead and a resident wounded'
        rf"|\bleft\s+(?:[\w'-]+\s+){{1,4}}dead\s+and\s+(?:an?|the|his|her|their|one|another)\s+(?:[\w'-]+\s+){{0,3}}?"
        rf"(?:wounded|injured|hurt)\b", re.I)


@lru_cache(maxsize=32)
def headline_hurt_pattern(deaths: tuple[str, ...], words: tuple[str, ...]) -> re.Pattern[str]:
    """A headline's second victim, hurt: 'Chicago deacon killed, boy wounded on couch',
    'Man dead, toddler hurt in shooting', 'Teen driver shot to death in Allentown; his passenger
    is wounded' (a clause of its own after the place)."""
    verb = alternation(w for w in words if " " not in w)
    return re.compile(rf"\b(?:{alternation(deaths)}),\s+(?:[\w'-]+\s+){{1,3}}?(?:{verb})\b"
                      rf"|\b(?:{alternation(deaths)})\b[^;]{{0,40}};\s+(?:his|her|their|a|an|the|one|another)\s+"
                      rf"(?:[\w'-]+\s+){{1,3}}?(?:is\s+|was\s+)?(?:{verb})\b", re.I)


def count_conditions(text: str, vocab: Vocabulary) -> int | None:
    """The people of a hospital's breakdown of victims by condition, added up: 'Two men were
    in critical condition and two others injured' is four hurt, 'one is listed in critical
    condition and three others are stable' four. None unless a count in a condition begins it."""
    if "condition" not in text.lower():
        return None
    best = None
    for m in condition_pattern(tuple(vocab.number_words), vocab.condition_words).finditer(text):
        first, second = vocab.number(m.group("first")), vocab.number(m.group("second"))
        if first is not None and second is not None:
            best = max(best or 0, first + second)
    return best


@lru_cache(maxsize=8)
def condition_pattern(numbers: tuple[str, ...], conditions: tuple[str, ...]) -> re.Pattern[str]:
    """A count of victims in a condition, then 'and' or 'while' and a second count of victims
    hurt or in a condition ('and the other two in stable condition', 'and five others were
    hospitalized'); the words between a count and its condition are few ('Two men were')."""
    num, cond = rf"(?:\d+|{alternation(numbers)})", alternation(conditions)
    state = rf"(?:in\s+)?(?:{cond})(?:\s+but\s+stable)?(?:\s+condition)?"
    verb = r"(?:(?:is|was|are|were|remain|remains|remained)\s+)?(?:listed\s+(?:as\s+)?)?"
    return re.compile(
        rf"\b(?P<first>{num})\s+(?:[\w-]+\s+){{0,2}}?{verb}in\s+(?:{cond})(?:\s+but\s+stable)?\s+condition\s*,?\s+"
        rf"(?:and|while)\s+(?:the\s+)?(?:other\s+)?(?P<second>{num})\s+(?:[\w-]+\s+){{0,2}}?{verb}"
        rf"(?:{state}|(?:\w+ly\s+)?(?:injured|wounded|hurt|hospitalized))\b", re.I)


def count_hurt_together(sentences: list[Sentence], elsewhere: list[tuple[int, int]], vocab: Vocabulary) -> int | None:
    """The wounded a later sentence of the lead's incident tells together ('Both victims were
    taken to a hospital', 'All four victims are listed in stable condition'); None where none does."""
    for s in sentences:
        if outside(elsewhere, s.start, s.end):
            found = vocab.hurt_together.find(s.text)
            if found:
                return max(int(label) for *_, label in found)
    return None


_CLAUSE_END = re.compile(r"[.;!?\n]")


@lru_cache(maxsize=8)
def death_words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{alternation(words)})\b", re.I)


def count_ordinal_victims(text: str, vocab: Vocabulary) -> int | None:
    """The most people an ordinal tells were hit ('a fourth victim was taken to a hospital'
    is four, the dead among them); None where none does. Not a victim whose own clause
    tells the death ('a third victim died Sunday'): that one is counted among the dead."""
    deaths = death_words_pattern(tuple(vocab.killed_words))
    best = None
    for _, end, _, label in vocab.ordinal_victims.find(text):
        stop = _CLAUSE_END.search(text, end)
        rest = text[end:stop.start() if stop else len(text)]
        if deaths.search(rest) or vocab.died_of_wounds.find(rest):
            continue
        best = max(best or 0, int(label))
    return best


@lru_cache(maxsize=8)
def hurt_by_gunfire_pattern(numbers: tuple[str, ...], hurt: tuple[str, ...], gunfire: tuple[str, ...]) -> re.Pattern[str]:
    num = rf"(?:\d+|{alternation(numbers)})"
    return re.compile(rf"\b(?P<all>{num})\s+(?:[\w-]+\s+){{0,2}}?(?:{alternation(hurt)}),\s+(?P<shot>{num})\s+"
                      rf"(?:{alternation(gunfire)})\b", re.I)


def count_hurt_by_gunfire(text: str, vocab: Vocabulary) -> int | None:
    """The shot among a count of the hurt ('left six people injured, five by gunfire' is five):
    the rest were hurt by glass or a fall, not shot. None where no such split is told."""
    pattern = hurt_by_gunfire_pattern(tuple(vocab.number_words), ("injured", "hurt", "wounded"), tuple(vocab.hurt_by_gunfire))
    for m in pattern.finditer(text):
        whole, shot = vocab.number(m.group("all")), vocab.number(m.group("shot"))
        if whole is not None and shot is not None and shot < whole:
            return shot
    return None
