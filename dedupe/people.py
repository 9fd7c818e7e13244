"""The people an article is about.

News style names a person in full on first reference and by surname after
('Jamal Williams, 27, was arrested ... Williams told officers'). A surname
that comes back on its own after a full name is taken to be a person's: that
tells people from places ('Henry County') and organisations ('Fox News')
without a list of given names, in any language that writes names this way.
Reports of two different incidents of one kind (two drink-driving arrests of
two footballers, two weekend shootings in one city) share their vocabulary
but not their people, which is what the `people` comparison reads.
"""

from __future__ import annotations

import re
from collections import Counter

# A full name: a capitalised word, an optional middle initial, a capitalised surname.
_FULL_NAME = re.compile(
    r"\b([A-Z][a-z]+)(?:\s+[A-Z]\.)?\s+((?:Mc|Mac|O')?[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b(?!\s+[A-Z][a-z])")
MAX_PEOPLE = 3
# Two capitalised words in a row: a person ('Kimani Gray'), a street or venue ('Bourbon Street').
_NAME = re.compile(r"\b([A-Z][a-z]+(?:\s+[A-Z]\.)?\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")


def find_names(sentence: str, not_in_names: frozenset[str]) -> list[str]:
    """The names a passage gives, sorted, for the `victims` comparison. A pair
    with a common or function word in it ('New York', 'Police Chief', a
    headline's 'Just One' or 'Killed In') is a city the place comparison already
    weighs, a title or words in title case: two reports of different incidents
    share those all the time (vocabulary stopwords and name_function_words)."""
    found = set()
    for name in _NAME.findall(sentence):
        if not any(word.lower() in not_in_names for word in name.split()):
            found.add(name)
    return sorted(found)


def find_people(text: str, stopwords: frozenset[str], limit: int = MAX_PEOPLE) -> list[str]:
    """Lower-cased surnames of the people `text` is most about, most-named first.

    A surname counts when it also stands alone at least once, outside any
    longer name, and is never written in lower case in the text (so 'Police' in
    'Chicago Police ... Police said' is not a surname)."""
    full: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for m in _FULL_NAME.finditer(text):
        given, surname = m.group(1), m.group(2)
        if given.lower() in stopwords or surname.lower() in stopwords:
            continue
        full[surname] += 1
        first_seen.setdefault(surname, m.start())
    people = []
    lowered = None
    for surname, n_full in full.items():
        alone = sum(1 for start in _whole_word_at(text, surname) if _stands_alone(text, start, start + len(surname)))
        if not alone:
            continue
        if lowered is None:
            lowered = set(re.findall(r"\b[a-z][a-z'-]+\b", text))
        if surname.lower() in lowered:
            continue
        people.append((-(alone + n_full), first_seen[surname], surname.lower()))
    return [name for _, _, name in sorted(people)[:limit]]


def _whole_word_at(text: str, word: str) -> list[int]:
    """Where re.finditer(rf"\\b{re.escape(word)}\\b", text) matches, for a `word` that starts and
    ends with a letter, without compiling a pattern for every surname of every article."""
    out = []
    n = len(word)
    pos = text.find(word)
    while pos >= 0:
        end = pos + n
        if (not pos or not _is_word(text[pos - 1])) and (end == len(text) or not _is_word(text[end])):
            out.append(pos)
            pos = text.find(word, end)
        else:
            pos = text.find(word, pos + 1)
    return out


def _is_word(c: str) -> bool:
    """Is `c` a \\w character (re's test for str patterns)?"""
    return c.isalnum() or c == "_"


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Not part of a longer name ('San Diego', 'Diego Chargers') and not after
    'the' ('the County', 'the Foundation': a common noun, not a surname)."""
    before = text[max(0, start - 20):start].split()
    if before:
        prev = before[-1]
        if prev in ("the", "The") or (prev[:1].isupper() and prev[-1:].isalpha()):
            return False
    after = text[end:end + 20].split()
    return not (after and after[0][:1].isupper() and text[end:end + 1] == " ")
