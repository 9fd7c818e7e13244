"""The facts of a generated incident and the phrases outlets word them with (benchmarks/generate.py).

Every report of an incident states the same facts (place, day, counts, victims) in its own words: its
own date expression ('on Sunday', 'late Saturday', 'June 5', none), place alias and toll phrasing, and
sometimes a toll that disagrees with the other outlets'. Names and streets have a long tail.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field

NUMBERS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
ORDINALS = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
AP_MONTHS = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
WEAPON_WORDS = {
    "drone": (["drone", "armed drone", "explosive-laden drone", "unmanned aerial vehicle", "attack drone"],
              ["drones", "armed drones", "explosive-laden drones", "unmanned aerial vehicles", "attack drones"]),
    "rocket": (["rocket", "Katyusha rocket", "rocket round"], ["rockets", "Katyusha rockets", "rocket rounds"]),
    "missile": (["missile", "ballistic missile", "cruise missile"], ["missiles", "ballistic missiles", "cruise missiles"]),
}


FIRST_M = ("James Michael Robert David William Marcus Anthony Jamal Carlos Luis Kevin Brandon Tyrone Daniel Jose "
           "Christopher Andre Terrell DeShawn Eric Jason Justin Malik Darius Tyler Juan Demetrius Cody Ryan Thomas "
           "Richard Joseph Charles Steven Mark Paul Andrew Joshua Kenneth Brian Timothy Ronald Jeffrey Gary Nicholas "
           "Miguel Antonio Jorge Dmitri Omar Hassan Reginald Cedric Dante Xavier Trevor Shane Kyle Travis").split()
FIRST_F = ("Mary Jennifer Aaliyah Maria Jessica Ashley Keisha Tiffany Sarah Brittany Latoya Angela Emily Destiny "
           "Monique Rosa Crystal Amanda Shanice Nicole Patricia Linda Barbara Elizabeth Susan Karen Lisa Nancy Betty "
           "Sandra Donna Carol Michelle Kimberly Amy Melissa Rebecca Laura Stephanie Jasmine Imani Ebony Guadalupe "
           "Yolanda Tamika Heather Megan Rachel Kayla").split()
COMMON_LAST = ("Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Wilson "
               "Anderson Thomas Taylor Moore Jackson Martin Lee Thompson White Harris Clark Lewis Robinson Walker Young "
               "Allen King Wright Scott Green Baker Adams Nelson Hill Ramirez Campbell Mitchell Roberts Carter "
               "Phillips Evans Turner Torres Parker Collins Edwards Stewart Morris Murphy Cook Rogers Reed Bailey "
               "Bell Cooper Richardson Cox Howard Ward Peterson Gray James Watson Brooks Kelly Sanders Price").split()
# Surnames and street names have a long tail in real news; syllables give tens of thousands of plausible ones.
ONSETS = "B Br C Ch Cr D Dr F G Gr H K L M N P Pr R S St T Tr V W Wh".split()
VOWELS = "a e i o u a e i o ea ai".split()
CODAS = "l ll n r s t ck m d nd rd ld nt".split()
ENDINGS = "son ton ley man er field wood ford berg ski ez ini by well more ham ridge worth".split()
COMMON_STREETS = ("Main Oak Maple Washington Lincoln Park Elm Cedar Pine Walnut Jefferson Madison Franklin Grand "
                  "Division Central Highland Lake Hill Church Market Spring Ridge Chestnut Broad Water Union Vine "
                  "Sycamore Prospect Fairview").split()
STREET_SUFFIXES = ["Street", "Avenue", "Drive", "Road", "Boulevard", "Lane", "Court", "Place", "Parkway"]


def surname(rng: random.Random) -> str:
    if rng.random() < 0.35:
        return rng.choice(COMMON_LAST)
    return rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) + rng.choice(ENDINGS)


def person(rng: random.Random, male: bool) -> str:
    return f"{rng.choice(FIRST_M if male else FIRST_F)} {surname(rng)}"


def street_name(rng: random.Random) -> str:
    name = rng.choice(COMMON_STREETS) if rng.random() < 0.3 else surname(rng)
    return f"{name} {rng.choice(STREET_SUFFIXES)}"


def expand(text: str, rng: random.Random) -> str:
    """'[up from|down from] last year' -> one of the alternatives, so repeated background varies."""
    return _ALTERNATIVES.sub(lambda m: rng.choice(m.group(1).split("|")), text)


_ALTERNATIVES = re.compile(r"\[([^\[\]]*\|[^\[\]]*)\]")


@dataclass(slots=True)
class Place:
    """A place incidents happen at, with every form outlets write it in (benchmarks/data/places.yml)."""

    name: str
    forms: tuple[str, ...]  # the name and its aliases
    region: str
    country: str = "US"
    country_name: str = ""  # '' for the US: US outlets do not add it
    state: str = ""  # US postal code
    state_name: str = ""  # registry's `state`: 'Indiana', or the admin1 outside the US
    ap: str = ""  # AP abbreviation of the state: 'Ind.'
    kind: str = "city"
    dateline: str = ""
    city: str = ""  # registry's `city_or_county`
    description: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()  # local outlets
    officers: tuple[str, ...] = ()  # the spokespeople quoted for this place


@dataclass(slots=True)
class Victim:
    name: str
    age: int
    male: bool


@dataclass(slots=True)
class Incident:
    """One real-world incident: the facts every report of it draws on (the gold record)."""

    id: str
    kind: str  # shooting, stabbing, explosion, interception, fire, arrest
    date: dt.date
    hour: int
    minute: int
    place: Place
    killed: int
    injured: int
    victims: list[Victim] = field(default_factory=list)
    street: str = ""
    venue: str = ""  # 'outside a bar', 'at an apartment complex'
    weapon: str = ""  # interception: drone, rocket or missile
    quantity: int = 0
    outcome: str = ""  # interception: intercepted, failed or impacted
    detail: str = ""  # fire: the building; arrest: the crime; explosion: the device
    suspect_age: int = 0
    suspect_male: bool = True


@dataclass(slots=True)
class Report:
    """What one outlet's article says: its own day, place form, toll and official."""

    outlet: str
    published: dt.date | None  # when it was written, even if the article does not say
    killed: int
    injured: int
    outcome: str
    quantity: int
    at_least: bool = False
    undated: bool = False  # the article carries no publication date (JSON `published` null)


def count_word(n: int) -> str:
    return NUMBERS[n] if n < 10 else str(n)


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def clock(hour: int, minute: int) -> str:
    h = hour % 12 or 12
    return f"{h}:{minute:02d} {'a.m.' if hour < 12 else 'p.m.'}"


def month_day(d: dt.date, ap: bool, rng: random.Random, year: bool = False) -> str:
    """'June 5', 'Sept. 5', '5 June' (outside US style), with the year when asked."""
    if not ap and rng.random() < 0.4:
        return f"{d.day} {MONTHS[d.month - 1]}" + (f" {d.year}" if year else "")
    month = AP_MONTHS[d.month - 1] if ap else MONTHS[d.month - 1]
    return f"{month} {d.day}" + (f", {d.year}" if year else "")


def when_phrase(inc: Incident, rep: Report, rng: random.Random, ap: bool) -> str:
    """The incident's day as this article writes it, relative to its own publication date."""
    d, p = inc.date, rep.published
    roll = rng.random()
    if p is None or rep.undated:
        if roll < 0.55:
            return "on " + month_day(d, ap, rng, year=rng.random() < 0.5)
        return "" if roll < 0.8 else "on " + WEEKDAYS[d.weekday()]  # ambiguous without a publication date
    delay = (p - d).days
    if roll < 0.18:
        return ""
    if roll < 0.25 and delay <= 1:
        if delay == 0:
            return rng.choice(["today", "earlier today", "this morning" if inc.hour < 12 else "tonight"])
        return "last night" if inc.hour >= 19 else "yesterday"
    if roll < 0.72 and delay <= 6:
        wd = WEEKDAYS[d.weekday()]
        h = inc.hour
        if rng.random() < 0.4:
            return f"on {wd}"
        if h < 5:
            return rng.choice([f"early {wd}", f"early {wd} morning", f"{wd} morning"])
        if h < 12:
            return f"{wd} morning"
        if h < 18:
            return f"{wd} afternoon"
        return rng.choice([f"{wd} night", f"late {wd}", f"{wd} evening"])
    return ("on " if rng.random() < 0.7 else "") + month_day(d, ap, rng, year=delay > 20 or rng.random() < 0.1)


def victim_noun(v: Victim, with_age: bool) -> str:
    noun = ("man" if v.age >= 18 else "boy") if v.male else ("woman" if v.age >= 18 else "girl")
    return f"a {v.age}-year-old {noun}" if with_age else f"a {noun}"


def group_noun(n: int, victims: list[Victim]) -> str:
    if victims and all(v.male for v in victims[:n]) and len(victims) >= n:
        return "men" if n > 1 else "man"
    return "people" if n > 1 else "person"


def toll_clause(kind: str, k: int, j: int, inc: Incident, rep: Report, rng: random.Random) -> str:
    """'a 23-year-old man was shot and killed', 'one person was killed and three others were wounded'."""
    verb = {"shooting": ("shot and killed", "fatally shot", "shot and wounded", "shot"),
            "stabbing": ("stabbed to death", "fatally stabbed", "stabbed and wounded", "stabbed")}.get(
        kind, ("killed", "killed", "injured", "injured"))
    least = "at least " if rep.at_least else ""
    if k + j == 1 and inc.victims:
        v = victim_noun(inc.victims[0], rng.random() < 0.6)
        return f"{v} was {verb[rng.randrange(2)] if k else verb[2 + rng.randrange(2)]}"
    if j == 0:
        return f"{least}{count_word(k)} {group_noun(k, inc.victims)} {'were' if k > 1 else 'was'} {verb[0]}"
    if k == 0:
        word = rng.choice([verb[3], "wounded", "injured"]) if kind in ("shooting", "stabbing") else "injured"
        return f"{least}{count_word(j)} {group_noun(j, inc.victims)} {'were' if j > 1 else 'was'} {word}"
    killed = f"{least}{count_word(k)} {'people were' if k > 1 else 'person was'} killed"
    hurt = rng.choice(["wounded", "injured", "hurt"])
    return f"{killed} and {count_word(j)} {'others were' if j > 1 else 'other was'} {hurt}"


def toll_participle(k: int, j: int, rng: random.Random) -> str:
    """'killing two people and wounding three', 'injuring four', 'causing no casualties'."""
    if k == 0 and j == 0:
        return rng.choice(["causing no casualties", "without causing casualties", "but no one was hurt"])
    parts = []
    if k:
        parts.append(f"killing {count_word(k)} {'people' if k > 1 else 'person'}")
    if j:
        noun = "" if k else (" people" if j > 1 else " person")
        parts.append(f"{rng.choice(['wounding', 'injuring'])} {count_word(j)}{noun}")
    return " and ".join(parts)


def munitions(weapon: str, q: int, rng: random.Random) -> str:
    singular, plural = WEAPON_WORDS[weapon]
    if q == 1:
        word = rng.choice(singular)
        return ("an " if word[0] in "aeiou" else "a ") + word
    return f"{count_word(q)} {rng.choice(plural)}"


SITE_NOUNS = {"base", "airbase", "airport", "garrison", "center", "centre", "compound", "airfield"}


def site_name(form: str) -> str:
    """'the Ain al-Asad airbase', 'the US embassy in Baghdad', but 'Ain al-Asad', 'Camp Taji', 'BDSC'."""
    words = form.lower().split()
    if form.startswith(("Camp", "Tower")) or not (words[-1] in SITE_NOUNS or {"embassy", "consulate"} & set(words)):
        return form
    return "the " + form


def place_phrase(place, rng: random.Random, *, with_state: bool = False) -> tuple[str, str]:
    """('in Saint Louis', 'Saint Louis'): the preposition phrase and the form of the name used."""
    form = rng.choice(place.forms)
    if place.kind == "site":
        return f"{rng.choice(['at', 'near', 'at', 'on'])} {site_name(form)}", form
    if place.country == "US" and with_state and place.state != "DC":
        return f"in {form}, {place.state_name}", form
    if place.country_name and rng.random() < 0.25:
        return f"in {form}, {place.country_name}", form
    return f"in {form}", form
