"""Counting the people a list names: 'a man and two children', 'his wife and
two sons, then himself'. Each item is a noun phrase read from its end; a
singular person is one, a plural needs its number ('two sons'), and an age
('a 3-year-old') is one person of that age. dedupe.casualties reads tolls
with these.
"""

from __future__ import annotations

import re

from .text import has_ascii_lookalikes
from .vocabulary import Vocabulary

LIST_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*", re.I)
_DETERMINERS = ("a", "an", "the", "his", "her", "their", "its", "one")
_AGE_DETERMINERS = (*_DETERMINERS, "my", "our", "your", "another")
_ANYONE = ("people", "persons", "individuals", "victims", "others")
_AGE_UNITS = ("year", "years", "month", "months", "week", "weeks", "day", "days")


def count_items(items: list[str], vocab: Vocabulary, least: int = 2) -> int | None:
    """Total people in a list of noun phrases read from its end ('a man', 'his
    two sons'); None unless at least `least` items are people of known number."""
    nouns = vocab.person_nouns
    total, counted, values = 0, 0, []
    for item in reversed([i for i in items if i]):
        words = item.lower().replace("-", " ").split()
        if len(words) >= 3 and words[-1] == "old" and words[-2] in _AGE_UNITS and vocab.number(words[-3]) is not None:
            # 'a 3-year-old': a person of that age; but in 'leaves child, 2 Police say 17-year-old was
            # shot' the item is a clause, and the victim already counted in it.
            if len(words) > 4 or (len(words) == 4 and words[0] not in _AGE_DETERMINERS):
                break
            total, counted = total + 1, counted + 1
            values.append(1)
            continue
        if not words or words[-1] not in nouns:
            break
        counts = [n for n, w in enumerate(words[:-1]) if vocab.number(w) is not None]
        if counts and counts[-1] > 0:
            words = words[counts[-1]:]  # 'his two sons', '(a shooting) left three women (and one man injured)'
        # '8-year-old son': the first number is an age, not a count.
        aged = len(words) > 1 and words[1] in _AGE_UNITS
        value = vocab.number(words[0]) if len(words) > 1 and not aged else None
        if value is None and nouns[words[-1]] == 1:
            value = 1
        if value is None:
            return None  # 'children' alone: how many is not said
        total, counted = total + value, counted + 1
        values.append(value)
    # 'Two people, a 14-year-old and an 18-year-old, were injured': the two, then who they were.
    if counted >= 3 and words[-1] in _ANYONE and values[-1] == total - values[-1]:
        return values[-1]
    return total if counted >= least else None


def count_killer_and_victims(text: str, vocab: Vocabulary) -> int | None:
    """'Killed his wife and two sons, then himself': the victims listed after the
    verb and the killer who died with them."""
    pattern = vocab.killer_then_self
    low = text.lower()
    if "self" not in low and " own " not in low and "suicide" not in low and not has_ascii_lookalikes(text):
        return None
    # Tried at every verb, not only where the last match ended: in 'shot his family,
    # killing 3, then himself' the count follows the second verb.
    for start in (m.start() for m in re.finditer(r"\b\w", text)):
        m = pattern.match(text, start)
        if not m:
            continue
        victims = m.group("victims").strip(" ,")
        total = count_items(LIST_SPLIT.split(victims), vocab, least=1)
        if total is None:
            total = count_items(LIST_SPLIT.split(named_victims(victims, vocab)), vocab, least=1)
        if total is None and len(victims.split()) <= 3:
            total = vocab.number(victims.split(" ")[0])  # 'killing three, then himself'
        if total is not None:
            return total + 1
    return None


def named_victims(phrase: str, vocab: Vocabulary, most: int = 4) -> str:
    """The phrase up to the last person it names, when at most `most` words follow that person: they tell
    when or how ('his two sons Friday morning', 'his wife dead'), not whom. The phrase otherwise."""
    words = phrase.split()
    # Only a noun phrase ('his wife', 'two men'): not a clause ('when he accidentally shot').
    if not words or (words[0].lower() not in _AGE_DETERMINERS and vocab.number(words[0]) is None):
        return phrase
    for n in range(len(words) - 2, max(len(words) - 2 - most, 0), -1):
        if words[n].lower().strip(",") in vocab.person_nouns:
            # 'and wounded his son', 'who barricaded', 'in self(-defense)': more people or a clause follow.
            kept, tail = " ".join(words[:n + 1]), " ".join(words[n:])[len(words[n].rstrip(",")):]
            return phrase if _CLAUSE_WORDS.search(kept) or _NOT_ADVERBIAL.search(tail) else kept
    return phrase


_CLAUSE_WORDS = re.compile(r"\b(?:if|or|who|whom|that|which|when|while|whether|death|\w+ed|\w+ing)\b", re.I)
_NOT_ADVERBIAL = re.compile(r",|\b(?:and|or|who|whom|that|which|when|while|as|self|\w+ly|\w+ed|shot|shoots?|"
                            r"kill(?:s|ing)?|fir(?:e|es|ing)|wound(?:s|ing)?)\b|\b(?:in|at|on|of|to|by|for|with)\s*$",
                            re.I)
