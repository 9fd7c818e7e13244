"""What a place is named for: where something happened, or an aside.

News names many places that are not where its incident happened: a victim's or
suspect's home town ('a 23-year-old Gary man', 'Dwayne Curtis, 27, of Trotwood'),
the town of the hospital the wounded were taken to ('Christ Medical Center in Oak
Lawn', 'a Seattle hospital') or of the court that heard the case, a town a distance
is measured from ('120 miles north of Kansas City'), and buildings, streets and street
corners named after towns ('the Woodbridge apartment complex', 'the 3700 block of
Cambridge', 'near Dexter and Tuxedo').
These asides are still places, and still tell which state an article is about; they
only do not say where it happened. The words around a name tell them apart, in
English news style; nothing here names a place.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import yaml

from dedupe.place_names import fold_name
from dedupe.vocabulary import data_path


@lru_cache(maxsize=1)
def _words() -> dict[str, list[str]]:
    with open(data_path("place_roles.yml"), encoding="utf-8") as f:
        return yaml.safe_load(f)


def _alternation(key: str) -> str:
    """The data file's words under `key` as a regex alternation, any spaces or tabs between words."""
    words = sorted(_words()[key], key=lambda w: (-len(w), w))
    return "(?:" + "|".join(r"[ \t]+".join(map(re.escape, str(w).split())) for w in words) + ")"


# People a home town is said of: 'a Gary man', 'two New Haven men', 'an Orion Township teen'.
_PEOPLE = _alternation("home_people")
# Words between a town and its people ('a Chicago high school student', 'a Minneapolis rap
# musician'), not words that end the name's phrase ('shot in Gary and a woman was hurt').
_BETWEEN = r"(?!(?:and|or|but|a|an|the|of|on|in|at|to|for|with|by|from|was|were|is|are|has|had|said|says|who|that)\b)[a-z]+"
# ... after the name, possibly with words between (_BETWEEN); 'a Houston-area girl' says
# where, if vaguely.
_HOME_AFTER = re.compile(rf"[ \t]+(?:{_BETWEEN}[ \t]+){{0,2}}{_PEOPLE}\b")
# ... before it: 'Curtis, 27, of', 'Curtis, age 9, of', 'a man from', 'a resident of', 'both of'.
_HOME_BEFORE = re.compile(
    rf"(?:,[ \t]*(?:age[ \t]+|aged[ \t]+)?\d{{1,3}}[ \t]*,?[ \t]*(?:both[ \t]+|all[ \t]+)?of"
    rf"|\b{_PEOPLE}[ \t]+(?:of|from)|\b(?:both|all|who[ \t]+(?:is|was|are|were))[ \t]+(?:of|from)"
    rf"|\bhometown[ \t]+of|\b(?:lived|lives|living|resided|resides)[ \t]+in)[ \t]+$",
    re.I,
)
# ... or after a person's surname: 'John Lander of Rochester', 'Justin Burns, of Palisade'.
_SURNAME_OF = re.compile(r"\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?)[ \t]*,?[ \t]+of[ \t]+$")
# A hospital, court or jail in the town, or the town's: 'Medical Center in Oak Lawn', 'a Seattle hospital'.
_CARE = _alternation("care_places")
_CARE_BEFORE = re.compile(rf"\b{_CARE}s?[ \t]*,?[ \t]+(?:in|at|near)[ \t]+$", re.I)
# ... but 'Treackfield Court in Phoenix' is a street: a capitalised Court after a name that
# names no kind of court ('Superior Court in Phoenix' is one).
_STREET_COURT_BEFORE = re.compile(rf"\b(?!(?i:{_alternation('court_kinds')})[ \t]+Court\b)[A-Z][\w'’]*[ \t]+Court[ \t]*,?[ \t]+(?:in|at|near)[ \t]+$")
_CARE_AFTER = re.compile(rf"(?:[ \t]*-?[ \t]*area)?[ \t]+(?:{_CARE}|(?:\w+[ \t]+)?(?:hospital|medical center))\b", re.I)
# A distance measured from the town: '120 miles north of Kansas City', '20 minutes from Macon',
# '17 miles (27 km) southwest of Portland' (a wire story converts its units in brackets).
_DISTANCE_BEFORE = re.compile(
    r"\b(?:miles?|mi\.|kilometers?|kilometres?|km|minutes?|hours?)[ \t]+(?:\([^()\n]{1,20}\)[ \t]+)?"
    r"(?:\w+[ \t]+){0,2}(?:of|from)[ \t]+$", re.I)
# A street: 'the 3700 block of Cambridge', 'the corner of Cleveland and'.
_STREET_BEFORE = re.compile(
    r"\b(?:block|blocks|corner|intersection)[ \t]+of[ \t]+(?:(?:north|south|east|west|[nsew]\.?)[ \t]+)?$", re.I)
# A street corner: 'near Dexter and Tuxedo', 'at Florida and Ohio', 'near 21st & Cleveland'.
_CORNER_FIRST_BEFORE = re.compile(r"\b(?:at|near)[ \t]+$")
_CORNER_FIRST_AFTER = re.compile(r"[ \t]+(?:and|&)[ \t]+[A-Z0-9][\w.]*(?![\w.]|[ \t]+[A-Z])")
_CORNER_SECOND_BEFORE = re.compile(
    r"\b(?:at|near)[ \t]+(?:[A-Z0-9][\w.]*|(?:[A-Z0-9][\w.]*[ \t]+){1,2}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|"
    r"Blvd|Drive|Dr|Lane|Ln|Way|Parkway|Pkwy|Highway|Hwy|Place|Pl|Court|Ct)\.?)[ \t]+(?:and|&)[ \t]+$")
# A building or business named after a town: 'the Woodbridge apartment complex', 'the Green Meadows complex'.
_BUILDING_AFTER = re.compile(rf"[ \t]+{_alternation('buildings')}\b")

_THE_BEFORE = re.compile(r"\b[Tt]he[ \t]+(?:[a-z]+[ \t]+)?$")  # 'the', 'the downtown'
# ... or by its own name: 'Timberlake Village Apartments', 'Garden City High School'.
_NAMED_BUILDING_AFTER = re.compile(rf"(?:[ \t]+[A-Z][a-z]+){{0,2}}[ \t]+{_alternation('named_buildings')}\b")
# The county's sheriff, named for its seat: 'San Diego sheriff's detectives'.
_NEAR_AFTER = re.compile(r"[ \t]+sheriff", re.I)
_COUNTY_NAME = re.compile(r"(?:County|Parish|Co\.?)$")


def in_headline(text: str, start: int) -> bool:
    """Is `start` on a first line that reads as a headline (short, no full stop)? A
    headline names a story's town by its people ('Queens mother of 2 killed', 'Savannah
    teen shoots friend')."""
    if "\n" in text[:start]:
        return False
    line = text.split("\n", 1)[0].rstrip()
    return len(line) <= 150 and not line.endswith(".")


def names_people(text: str, end: int) -> bool:
    """Does the place name ending at `end` say where people are from ('Pittsburgh man')?"""
    return bool(_HOME_AFTER.match(text[end : end + 40]))


def is_aside(text: str, start: int, end: int, persons: frozenset[str] = frozenset()) -> bool:
    """Is the place named at text[start:end] an aside: a home town, a hospital's or a
    court's town, a point a distance is measured from, a street, a street corner, a
    building or a county sheriff named for its seat? `persons`
    (person_names) tell whose home town 'Lander of Rochester' is. In a headline, the
    town of the people it names is where it happened."""
    before = text[max(0, start - 60) : start]
    after = text[end : end + 40]
    if (_HOME_AFTER.match(after) and not in_headline(text, start)) or _HOME_BEFORE.search(before):
        return True
    if persons and (m := _SURNAME_OF.search(before)) and fold_name(m.group(1)) in persons:
        return True
    if (_CARE_BEFORE.search(before) and not _STREET_COURT_BEFORE.search(before)) or _CARE_AFTER.match(after):
        return True
    if _DISTANCE_BEFORE.search(before) or names_thing(text, start, end):
        return True
    return bool(_NEAR_AFTER.match(after) and not _COUNTY_NAME.search(text[start:end]))


def names_thing(text: str, start: int, end: int) -> bool:
    """Is the place name at text[start:end] the name of a street, a street corner or a
    building ('the 3700 block of Cambridge', 'the Green Meadows apartment complex')? Such a
    name says nothing of where its town is, unlike a home town or a hospital's town."""
    before = text[max(0, start - 60) : start]
    after = text[end : end + 40]
    if _STREET_BEFORE.search(before) or _NAMED_BUILDING_AFTER.match(after):
        return True
    if _CORNER_SECOND_BEFORE.search(before) or (_CORNER_FIRST_BEFORE.search(before) and _CORNER_FIRST_AFTER.match(after)):
        return True
    return bool(_THE_BEFORE.search(before) and _BUILDING_AFTER.match(after))


# 'the Austin neighborhood', 'the Portland section', 'the Algiers community', 'neighborhood of Roxbury',
# 'the Juniata section of Philadelphia' (where Philadelphia is no part).
_PART_WORDS = _alternation("city_parts")
_NAME = r"[A-Z][\w'’]+(?:[ \t-]+[A-Z][\w'’]+){0,3}"
_PART_AFTER = re.compile(rf"\b({_NAME})[ \t]+{_PART_WORDS}s?\b(?:[ \t]+of[ \t]+({_NAME}))?")
_PART_BEFORE = re.compile(rf"\b[Tt]he[ \t]+{_PART_WORDS}s?[ \t]+(?:known[ \t]+as[ \t]+|called[ \t]+)?of[ \t]+({_NAME})")
_SIDES = frozenset("North South East West Northwest Northeast Southwest Southeast".split())
_PART_FIRST_WORDS = tuple({str(w).split()[0] for w in _words()["city_parts"]})  # in every match of either


def declared_parts(text: str) -> dict[str, str]:
    """Names the text says are parts of a city ('the Austin neighborhood', 'the
    neighborhood of Roxbury'), folded (place_names.fold_name), each with the city it names
    them a part of ('the Juniata section of Philadelphia'), or ''. Such a name is the
    article's city's, whatever towns elsewhere are called so. A city's name before it is
    not part of it ("Chicago's Austin neighborhood"); the words of a longer name are (not
    'Chicago' of 'the South Chicago neighborhood')."""
    out: dict[str, str] = {}
    if not any(w in text for w in _PART_FIRST_WORDS):  # most articles name no part: skip the slow patterns
        return out
    for m in [*_PART_AFTER.finditer(text), *_PART_BEFORE.finditer(text)]:
        words = re.split(r"[ \t-]+", m.group(1))
        while len(words) > 1 and (words[0] in ("The", "A") or words[0][-2:] in ("'s", "’s")):
            words = words[1:]
        # the side of town it lies on is no part of its name ('the West Side Austin neighborhood')
        if len(words) > 2 and words[1] == "Side" and words[0] in _SIDES:
            words = words[2:]
        city = m.group(2) if m.re is _PART_AFTER and m.group(2) else ""
        key = fold_name(" ".join(words))
        if city or key not in out:
            out[key] = city
    return out


# 'Detavious Milner', 'Sheriff Michael C. Chandler': capitalised words and initials before a
# surname, and the name not going on ('Fort Myers Police Department' is no one).
_NAME_WORD = r"(?:Mc|Mac|O['’])?[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
# A generational suffix follows the surname, never is it ('David Lee Hamilton Jr.' is a Hamilton).
_SUFFIX = r"(?:,?[ \t]+(?:Jr|Sr)\b\.?|[ \t]+(?:II|III|IV)\b)"
_FULL_NAME = re.compile(
    rf"\b([A-Z][a-z]+)((?:[ \t]+(?:[A-Z]\.|(?!(?:Jr|Sr)\b){_NAME_WORD})){{0,2}})[ \t]+(?!(?:Jr|Sr)\b)({_NAME_WORD})\b"
    rf"{_SUFFIX}?(?![ \t]+(?:[A-Z][a-z]|[A-Z]\.))")
# First words of place names ('East Cleveland', 'Mount Vernon'), not given names.
PLACE_FIRST_WORDS = frozenset(_words()["place_first_words"])
_TITLES = frozenset(_words()["titles"])
_PLACE_WORDS = PLACE_FIRST_WORDS | frozenset(
    # ... nor words that start a sentence ('An Allentown man')
    "a an the this that these those in at on of for to from by with and but or as when after before while if "
    "his her their our its my some every each two three four five".split())
_BARE_BEFORE = re.compile(
    r"\b(?:in|at|near|outside|from|of|to|into|toward|towards|across|around)[ \t]+(?:the[ \t]+)?"
    r"(?:(?:north|south|east|west|northeast|northwest|southeast|southwest|central|downtown)[ \t]+)?$", re.I)
_PLACE_AFTER = re.compile(r"[ \t]*(?:,[ \t]*[A-Z]|[ \t]+(?:police|county|sheriff|fire|city|township|area|residents?)\b)", re.I)


def person_names(text: str) -> frozenset[str]:
    """Surnames of people the text names in full ('Detavious Jamalcom Milner', 'Sheriff
    Michael C. Chandler', 'Kayla McKinney'), folded: a word the text writes in lower case
    (a title, 'In') or the first word of a place name ('East Cleveland') is no given name.
    Given names are not kept: 'Detroit Lions', 'Hummelstown Juvenile' read as names too."""
    return frozenset(fold_name(m.group(3)) for m in _full_names(text))


def name_words(text: str) -> frozenset[str]:
    """The given names and surnames of the people person_names finds, folded ('elizabeth' and
    'yanez' of 'neighbor Elizabeth Yanez'), in one reading: a town of such a name is not what
    the text names there."""
    return frozenset(fold_name(m.group(k)) for m in _full_names(text) for k in (1, 3))


def _full_names(text: str) -> Iterator[re.Match[str]]:
    lowered: set[str] | None = None  # read only once a name is found
    pos = 0
    while m := _FULL_NAME.search(text, pos):
        given = m.group(1).lower()
        pos = m.end()
        if given in _PLACE_WORDS:  # 'Metro Nashville Police Department' names no one
            continue
        if lowered is None:
            lowered = set(re.findall(r"\b[a-z]+\b", text))
        if given not in lowered:
            yield m
        elif given in _TITLES:  # a title is no given name, but a name follows it ('Sheriff Michael C. Chandler')
            pos = m.end(1)


def is_person(text: str, start: int, end: int, persons: frozenset[str]) -> bool:
    """Is the one-word name at text[start:end] the surname of one of `persons`, used bare
    ('accused of shooting Milner, 22', 'Richardson's brother'): no locative preposition
    before it, no 'police' or ', State' after it?"""
    name = text[start:end]
    if " " in name or fold_name(name) not in persons:
        return False
    return not _BARE_BEFORE.search(text[max(0, start - 20) : start]) and not _PLACE_AFTER.match(text[end : end + 20])
