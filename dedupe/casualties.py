"""Killed and injured counts read from news sentences and headlines.

News gives a toll in a few recurring shapes besides 'two people were killed':
a list of victims ('a man and two children are dead'), a victim list ended by
the killer's own death ('killed his wife and two sons, then himself'), a
crime named for its toll ('a double homicide', 'a murder-suicide'), and
headlines that drop their auxiliaries ('Teen shot and killed in ...').
"""

from __future__ import annotations

import re
from functools import lru_cache

from .hurt import (
    count_conditions,
    count_hurt_by_gunfire,
    count_ordinal_victims,
    count_shot_objects,
    hurt_besides,
)
from .text import has_ascii_lookalikes, mask
from .victim_lists import LIST_SPLIT, count_items, count_killer_and_victims
from .vocabulary import Vocabulary, alternation

# 'who shot the teen, or if the teen shot himself': a clause of 'if' or 'whether' lists no one more; nor
# does what is told ('the victim, it's believed the child shot himself').
_CLAUSE_STOP = re.compile(r"[.;:!?\n()\"“”—–]|\s-\s|\b(?:after|before|when|while|as|say|said|says|in|at|on|of|by|who|that|"
                         r"if|whether|believed?|believes|thinks?|thought|told|confirmed)\b", re.I)
# 'Four people, including a 13-year-old girl, were hurt': the people included are among the four.
_INCLUDING = re.compile(r",\s*(?:including|among them)\s[^,.;:!?\n]{1,60},", re.I)
_FATALLY = re.compile(r",\s*(\w+)\s+(?:of\s+(?:them|whom)\s+)?fatally\b(?!\s+(?:shot|wounded|injured|stabbed))", re.I)
# 'January 9, 2017 Man dead', 'the 2014 killing spree': a year is no count.
_YEAR = re.compile(r"(?:19|20)\d\d")
# 'Four boys between ages 12 and 16 were wounded': the second age is no count either;
# nor is a date written with slashes ('a 4-year-old accidentally being shot 10/16/16').
_AGES_BEFORE = re.compile(r"\bage[sd]?\s+(?:\d+\s*(?:and|to|-|through)\s*)?$", re.I)
_MONTH_BEFORE = re.compile(r"(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|no)\.?\s*$|"
                           r"(?:january|february|march|april|may|june|july|august|september|october|november|"
                           r"december)\s*$", re.I)


# 'They found two shooting victims': everyone hit, dead or alive.
_SHOOTING_VICTIMS = re.compile(r"\b(?!(?:19|20)\d\d\b)([\w-]+)\s+(?:shooting|gunshot|gunfire)\s+victims\b", re.I)
# A figure in a headline, not an age ('Man charged in shooting that injured 5-year-old').
_FIGURE = re.compile(r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b"
                     r"(?![-\s](?:year|month|week|day)s?[-\s]old)", re.I)


def read_headline_figures(title: str, vocab: Vocabulary) -> tuple[int | None, int | None]:
    """(killed, injured) a headline gives in figures ('Police: 1 Dead, 7 Injured
    in ...'); None where it gives none. Headlines carry an outlet's settled toll,
    often fuller than its opening sentence, which may tell one victim's story."""
    if not title or not _FIGURE.search(title):
        return None, None
    return read_casualties(title, vocab)


def read_casualties(text: str, vocab: Vocabulary) -> tuple[int | None, int | None]:
    """(killed, injured) a sentence or clause reports; None where it gives no figure.
    Of several readings of the dead the highest wins: 'two children and a man
    are dead' also reads as 'two children ... dead'."""
    killed, injured, _ = read_toll(text, vocab)
    return killed, injured


def read_toll(text: str, vocab: Vocabulary) -> tuple[int | None, int | None, bool]:
    """read_casualties, and whether the killed count is the victims' plus the
    killer's own death told apart from them."""
    killed = 0 if vocab.none_killed.find(text) else None
    injured = 0 if vocab.none_injured.find(text) else None
    text = _INCLUDING.sub("", text)
    k, killer = with_killer(text, count_dead(text, vocab), vocab)
    i = count_with(text, vocab.injured_words, vocab)
    for more in (count_listed_victims(text, vocab.injured_words, vocab), count_conditions(text, vocab)):
        if more is not None:
            i = max(i or 0, more)
    if i and (shot_of := count_hurt_by_gunfire(text, vocab)) is not None and shot_of < i:
        i = shot_of  # 'six people injured, five by gunfire': one hurt otherwise, not shot
    return (k if k is not None else killed), (i if i is not None else injured), killer


def count_dead(text: str, vocab: Vocabulary) -> int | None:
    readings = [v for v in (count_with(text, vocab.killed_words, vocab),
                            count_listed_victims(text, vocab.killed_words, vocab), count_fatally(text, vocab),
                            count_killer_and_victims(text, vocab), count_named_toll(text, vocab)) if v is not None]
    return max(readings) if readings else None


def with_killer(text: str, killed: int | None, vocab: Vocabulary) -> tuple[int | None, bool]:
    """The dead with the killer's own death told apart from the victims'
    ('killed a customer before being fatally shot by police', 'killing two;
    he then took his own life'): the victims counted without the words of
    that death, plus one. Not when the count already names the killer
    ('including the gunman'), lists him ('killed his wife, then himself') or
    is of all the dead ('three dead', 'a murder-suicide')."""
    if not may_match(vocab.killer_died_needs, text):
        return killed, False
    spans = [(m.start(), m.end(), "", "") for m in killer_died(text, vocab)]
    if (not spans or vocab.killer_counted.search(text) or count_killer_and_victims(text, vocab) is not None
            or (may_match(vocab.named_toll_needs, text)
                and any(m.group("suicide") for m in vocab.named_toll.finditer(text)))):
        return killed, False
    # Only counts of victims: 'three dead', 'a man and two children were found dead' count the killer too.
    masked = mask(text, spans)
    readings = [v for v in (count_with(masked, vocab.victims_killed_words, vocab), count_fatally(masked, vocab),
                            count_named_toll(masked, vocab)) if v is not None]
    victims = max(readings) if readings else None
    if victims is None or (killed is not None and killed > victims):
        return killed, False
    return victims + 1, True


def read_lead_toll(title: str, opening: str, vocab: Vocabulary) -> tuple[int | None, int | None]:
    """(killed, injured) of an article's main incident from its headline and
    opening sentences, where news puts the toll, often without a number ('a man
    was shot and killed' is one death)."""
    text = _INCLUDING.sub("", f"{title}\n{opening}")
    killed, injured, killer = read_toll(text, vocab)
    unit = vocab.not_deaths.find(text)
    deaths = vocab.single_killed.find(mask(text, unit) if unit else text) + vocab.headline_killed.find(title)
    if killed is None and (deaths or vocab.killer_died.search(text)):
        killed = 1
    least = count_named_toll(text, vocab, floor=True)
    if least is not None and (killed is None or killed < least):
        killed = least
    # 'Three people were shot, one fatally': the shot who did not die were injured; 'Four shot,
    # two critically injured': all four were, the two are the worst hurt of them.
    shot_words = [*vocab.shot_words, *_WOUNDS]
    shot = count_with(text, shot_words, vocab)
    listed = count_listed_victims(text, shot_words, vocab)
    shot = max(shot or 0, listed) if listed is not None else shot
    for more in (count_named_shooting(text, vocab), largest_count(_SHOOTING_VICTIMS, text, vocab),
                 largest_count(victims_named_pattern(tuple(vocab.victim_nouns)), text, vocab)):
        shot = max(shot or 0, more) if more is not None else shot
    if shot is not None and (injured is None or shot - (killed or 0) + killer > injured):
        # The killer's own death is not among those he shot.
        injured = max(shot - (killed or 0) + killer, 0)
        if injured == 0 and killed and hurt_besides(title, text, vocab):
            injured = 1  # 'Three people were found shot to death and a fourth person was injured'
    elif injured is None:
        if killed:
            # One unnamed victim shot and then dead is one person, not a death and an injury:
            # only someone set apart ('another man was wounded') was hurt besides.
            if hurt_besides(title, text, vocab):
                injured = 1
        else:
            # 'Two drones were shot down' hit no one: outcome phrases are masked first.
            masked = mask(text, deaths + vocab.outcomes.find(text))
            if vocab.single_injured.find(masked) or vocab.headline_injured.find(mask(title, vocab.outcomes.find(title))):
                injured = 1
            injured = count_shot_objects(masked, vocab) or injured
    if killed and (others := count_other_victims(text, vocab)) is not None and others > (injured or 0):
        injured = others  # 'Two other gunshot victims arrived at the hospital': besides the dead
    # 'Three people were killed. A fourth victim was taken to a hospital': the ordinal counts the dead too.
    if (hit := count_ordinal_victims(text, vocab)) is not None and hit - (killed or 0) > (injured or 0):
        injured = hit - (killed or 0)
    return killed, injured


# 'Officers found a man, a woman and a child with gunshot wounds': all three shot.
_WOUNDS = ("suffering from gunshot wounds", "suffering gunshot wounds", "suffering from apparent gunshot wounds",
           "with gunshot wounds", "with apparent gunshot wounds")
_OTHER_VICTIMS = re.compile(r"\b(?:other\s+([\w-]+)|([\w-]+)\s+other)\s+(?:shooting|gunshot)\s+victims\b", re.I)


@lru_cache(maxsize=8)
def victims_named_pattern(nouns: tuple[str, ...]) -> re.Pattern[str]:
    """'the victims, four young men who have not yet been identified': everyone hit, counted after
    'victims'; not the first of a list ('the victims, three men and a woman', 'Three victims, a
    25-year-old man, a 26-year-old man, and ...'), so not 'a' or 'one'."""
    return re.compile(rf"\bvictims,\s+(?!(?:19|20)\d\d\b|an?\b|one\b)([\w-]+)\s+(?:[\w-]+\s+){{0,2}}?"
                      rf"(?:{alternation(nouns)})\b(?!,?\s+and\b)", re.I)


def count_other_victims(text: str, vocab: Vocabulary) -> int | None:
    """'Two other gunshot victims', 'the other four shooting victims': those shot besides
    the one a story is about, who is dead when the opening tells a death."""
    return largest_count(_OTHER_VICTIMS, text, vocab)


def largest_count(pattern: re.Pattern[str], text: str, vocab: Vocabulary) -> int | None:
    """The largest number `pattern` finds in `text`, read from the first of its groups that matched."""
    found = [v for m in pattern.finditer(text)
             if (v := vocab.number(next((g for g in m.groups() if g), ""))) is not None]
    return max(found, default=None)


def killer_died(text: str, vocab: Vocabulary) -> list[re.Match[str]]:
    """vocab.killer_died's matches (offsets only: ASCII text is matched lower-cased)."""
    if text.isascii() and vocab.killer_died_lowered is not None:
        return list(vocab.killer_died_lowered.finditer(text.lower()))
    return list(vocab.killer_died.finditer(text))


def may_match(needs: re.Pattern[str] | None, text: str) -> bool:
    """False only when `text` has none of the words a pattern needs (vocabulary.needs_any)."""
    return needs is None or has_ascii_lookalikes(text) or needs.search(text.lower()) is not None


def count_with(text: str, words: list[str], vocab: Vocabulary) -> int | None:
    """The first count in `text` of people the `words` happened to ('two people
    were killed', 'killing three', 'left 2 dead'); a day of the month ('on
    Sept. 3 died'), a year ('the 2014 killing spree'), an age ('ages 12 and 16
    were wounded') and a date ('shot 10/16/16') are no count."""
    # Each pattern needs one of a few words; most sentences have none of them.
    low = None if has_ascii_lookalikes(text) else text.lower()
    # ASCII text is matched lower-cased by case-sensitive patterns, which re runs much faster
    # (same offsets; the count is read case-blind and the date before it in `text`).
    lowered = text.isascii()
    patterns = count_patterns(tuple(vocab.number_words), tuple(vocab.victim_nouns), tuple(words), lowered,
                              vocab.victim_adjectives)
    searched, found = None, True  # the patterns share their needs: search the text once for them
    for pattern, needs in zip(patterns, count_pattern_needs(tuple(words)), strict=True):
        if low is not None and needs is not None:
            if needs is not searched:
                searched, found = needs, needs.search(low) is not None
            if not found:
                continue
        for m in pattern.finditer(low if lowered else text):  # type: ignore[arg-type]
            if (_MONTH_BEFORE.search(text[max(0, m.start(1) - 12):m.start(1)]) or _YEAR.fullmatch(m.group(1))
                    or _AGES_BEFORE.search(text[max(0, m.start(1) - 24):m.start(1)]) or text[m.end(1):m.end(1) + 1] == "/"
                    or is_family_size(text[max(0, m.start(1) - 24):m.start(1)], vocab)
                    # 'retrieve a wounded turkey', 'killed two deer': the count is of animals
                    or (vocab.animal_after is not None and vocab.animal_after.match(text, m.end()))
                    # 'injured in those shootings': a total over many incidents
                    or vocab.many_events.search(clause_around(text, m.start(), m.end()))):
                continue
            value = vocab.number(m.group(1))
            if value is not None:
                return value
    return None


_OF_BEFORE = re.compile(r"\b([a-z]+)\s+of\s+$", re.I)


def is_family_size(before: str, vocab: Vocabulary) -> bool:
    """Whether the number after `before` tells how many children someone has, not a toll:
    'Father of 3 fatally shot', 'a mother of two was killed' are one death each."""
    m = _OF_BEFORE.search(before)
    return m is not None and m.group(1).lower() in vocab.person_nouns


def clause_around(text: str, start: int, end: int) -> str:
    """The sentence of `text` that holds text[start:end]."""
    left = max(text.rfind(".", 0, start), text.rfind("\n", 0, start)) + 1
    stops = [i for i in (text.find(".", end), text.find("\n", end)) if i >= 0]
    return text[left:min(stops) if stops else len(text)]


@lru_cache(maxsize=32)
def count_patterns(numbers: tuple[str, ...], nouns: tuple[str, ...], words: tuple[str, ...],
                   lowered: bool = False, adjectives: tuple[str, ...] = ()) -> tuple[re.Pattern[str], ...]:
    """Compiled once per vocabulary: 'two people were killed', 'three were found
    shot to death', 'one of the victims died', 'killing three', 'left 2 dead'. `lowered`:
    case-sensitive, for lower-cased ASCII text (the template has no capitals)."""
    if lowered:
        numbers, nouns, words = (tuple(w.lower() for w in ws) for ws in (numbers, nouns, words))
    # '3,290' is one number: never its tail ('290'), nor its head ('killed 2,000' is not two)
    num, noun, verb = rf"(\d{{1,3}}(?:,\d{{3}})+(?!\d)|\d+|{alternation(numbers)})", alternation(nouns), alternation(words)
    # 'two other teenage boys were shot': up to two words between a count and its noun; but
    # 'a teenage girl' is a victim named, not counted (she may be one of a list: 'a woman and a
    # teenage girl died'), so after 'a' only the words read before these ('a young man').
    # Never across a line: 'wounded 3 more' ending a headline is no count of the next line's 'Man dies'.
    adjective = rf"(?:(?:other|more|young|\w+-year-old)[^\S\n]+|(?<!\ba\s)(?<!\ban\s)(?:(?:{alternation(w.lower() for w in adjectives)}|\w+-year-old)[^\S\n]+){{1,2}})"
    # 'one critically wounded', 'two reportedly killed'; but 'fatally wounded' is no injury.
    # 'Four people were confirmed to have been shot': what was found out is told like what happened.
    aux = (r"(?:were|was|have been|had been|are|is|have|has|had)?\s*(?:(?:later|now|also|all)\s+)?"
           r"(?:found\s+|(?:confirmed|believed|reported|said)\s+to\s+have\s+been\s+)?(?:(?!fatally|mortally)[a-z]+ly\s+)?")
    # 'two more who were injured', 'three others who were wounded': those hurt besides the dead.
    besides = r"(?:(?<=\bothers\s)who\s+|(?<=\bmore\s)who\s+)?"
    # 'three members of a family were killed': the count is of the family's members.
    family = r"(?:[^\S\n]+of[^\S\n]+(?:a|the|one|his|her|their)[^\S\n]+(?:same[^\S\n]+)?family)?"
    # 'his two sons': an object counted after its owner.
    owner = r"(?:(?:his|her|their)[^\S\n]+)?"
    return tuple(re.compile(p, 0 if lowered else re.I) for p in (
        # Not when the verb has counted people for its object: in 'a man shot and killed two people'
        # the man is the killer, and 'killed two' is read below ('1 killed 3 injured' is two counts).
        rf"\b{num}[^\S\n]+{adjective}?(?:{noun})?{family}[^\S\n]*{besides}{aux}(?:{verb})\b"
        rf"(?![^\S\n]+(?:at least[^\S\n]+)?{owner}{num}[^\S\n]+(?:[\w-]+[^\S\n]+)?(?:{noun})\b)",
        # 'One of the wounded has died' refers to one of them, it counts no one wounded.
        rf"\b{num}\s+of\s+(?:them|(?:the|those)(?!\s+(?:{verb})\b))\s+(?:(?:{noun})\s+)?{aux}(?:{verb})\b",
        rf"\b(?:{verb})[^\S\n]+(?:at least\s+)?{owner}{num}\b(?!-|\s*(?:years?|months?|weeks?|days?|hours?|minutes?))",
        # 'left 2 dead' counts the dead, 'left four wounded' the wounded: the state is one of `words`.
        rf"\bleft\s+{num}\s+(?:{noun}\s+)?(?:{verb})\b",
    ))


@lru_cache(maxsize=32)
def count_pattern_needs(words: tuple[str, ...]) -> tuple[re.Pattern[str] | None, ...]:
    """For each of count_patterns, a search for the words (lower case) one of which it
    cannot match without; None where that cannot be told (a word outside ASCII)."""
    verbs = re.compile("|".join(re.escape(w.lower()) for w in words)) if words and all(w.isascii() for w in words) else None
    return verbs, verbs, verbs, re.compile("left")


def count_listed_victims(text: str, words: list[str], vocab: Vocabulary) -> int | None:
    """'A man and two children are dead', 'Mother, son found shot to death':
    the people of a list before the verb, each counted (a singular noun is
    one); None unless two or more items all name people with a known number."""
    if not may_match(count_pattern_needs(tuple(words))[0], text):
        return None  # the pattern ends in one of the words
    lowered = text.isascii()  # as in count_with
    pattern = listed_victims_pattern(tuple(words), lowered)
    best = None
    for m in pattern.finditer(text.lower() if lowered else text):
        head = text[max(0, m.start() - 120):m.start()].rstrip(" -–—,")
        stops = list(_CLAUSE_STOP.finditer(head))
        if stops:
            head = head[stops[-1].end():]
        total = count_items(LIST_SPLIT.split(head.strip(" ,")), vocab)
        if total is not None:
            best = max(best or 0, total)
    # ... and after an active verb: 'injured three adults and an 11-year-old child'.
    for m in listed_objects_pattern(tuple(words)).finditer(text):
        tail = text[m.end():m.end() + 120]
        stop = _CLAUSE_STOP.search(tail)
        items = LIST_SPLIT.split((tail[:stop.start()] if stop else tail).strip(" ,"))
        # 'killed a man and wounded two others': the list ends where another verb begins.
        kept = next((items[:n] for n, item in enumerate(items) if _VERB_LIKE.search(item)), items)
        total = count_items(kept, vocab)
        if total is not None:
            best = max(best or 0, total)
    return best


# A word of a list item that makes it a clause of its own ('and wounded two others').
_VERB_LIKE = re.compile(r"\b\w+(?:ed|ing)\b(?<!\bold)", re.I)


def count_fatally(text: str, vocab: Vocabulary) -> int | None:
    """'Six people were shot, one fatally', 'shot three men, two of them fatally':
    the dead among those shot."""
    for m in _FATALLY.finditer(text):
        value = vocab.number(m.group(1))
        if value is not None:
            return value
    return None


def count_named_shooting(text: str, vocab: Vocabulary) -> int | None:
    """'A double shooting' hit two people, 'a quadruple shooting' four."""
    best = None
    for m in named_shooting_pattern(tuple(vocab.toll_multipliers)).finditer(text):
        best = max(best or 0, vocab.toll_multipliers[m.group(1).lower()])
    return best


@lru_cache(maxsize=32)
def named_shooting_pattern(multipliers: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"\b({alternation(multipliers)})[\s-]+shooting\b", re.I)


def count_named_toll(text: str, vocab: Vocabulary, floor: bool = False) -> int | None:
    """'A double homicide' is two dead, 'a triple murder-suicide' three and the
    killer. A plain murder-suicide is at least two: a floor, not a toll, given
    only when `floor` is asked for (the lead of an article that gives no more)."""
    best = None
    if not may_match(vocab.named_toll_needs, text):
        return None
    for m in vocab.named_toll.finditer(text):
        times = vocab.toll_multipliers.get((m.group("times") or "").lower())
        if times is None and not (floor and m.group("suicide")):
            continue
        best = max(best or 0, (times or 1) + (1 if m.group("suicide") else 0))
    return best


@lru_cache(maxsize=32)
def listed_objects_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """An active verb of the `words` and the start of its object ('shot his', 'injuring three')."""
    verbs = [w for w in words if " " not in w and w.endswith(("ed", "ing", "shot", "hurt"))]
    return re.compile(rf"\b(?:{alternation(verbs)})\s+(?=(?:an?|the|his|her|their|two|three|four|five|six|seven|"
                      rf"eight|nine|ten|\d+)\b)", re.I)


@lru_cache(maxsize=32)
def listed_victims_pattern(words: tuple[str, ...], lowered: bool = False) -> re.Pattern[str]:
    """`lowered`: as in count_patterns."""
    aux = r"(?:(?:were|was|are|is|have been|had been)\s+)?(?:(?:all|both|later|now|also)\s+)?(?:found\s+)?"
    if lowered:
        return re.compile(rf"(?<=\s){aux}(?:{alternation(w.lower() for w in words)})\b")
    return re.compile(rf"(?<=\s){aux}(?:{alternation(words)})\b", re.I)
