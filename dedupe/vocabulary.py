"""Load the editable vocabulary (data/vocabulary.yml) and compile it into
phrase matchers. All word lists live in the data file; this module only knows
how to match them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .text import has_ascii_lookalikes

DEFAULT_VOCABULARY = "vocabulary.yml"


def data_path(name: str) -> Path:
    """Path of a file shipped in dedupe/data/."""
    return Path(str(resources.files("dedupe") / "data" / name))


def phrase_pattern(phrase: str) -> str:
    """Regex for a phrase: whole words, any whitespace or hyphen between words."""
    words = [re.escape(w) for w in re.split(r"[\s\-]+", phrase.strip()) if w]
    body = r"[\s\-]+".join(words)
    return rf"(?<![\w-]){body}(?![\w-])" if phrase[-1:].isalnum() else rf"(?<![\w-]){body}"


_WORD_RUN = re.compile(r"\w+")
_SIMPLE_WORD = re.compile(r"[a-z0-9]+")


@dataclass
class PhraseMatcher:
    """Finds phrases in text and maps each to its label; longest phrase wins."""

    regex: re.Pattern[str]
    labels: dict[str, str]  # normalised phrase -> label
    phrases: tuple[str, ...] = ()  # in alternation order
    # first word -> (phrase number, its other words): a phrase can only match where all its
    # words stand as whole words, so most texts need none of the alternation
    by_first: dict[str, tuple[tuple[int, frozenset[str]], ...]] = field(default_factory=dict)
    unfiltered: tuple[int, ...] = ()  # phrases the word pre-filter cannot rule out

    def __post_init__(self) -> None:
        self.first_words = frozenset(self.by_first)

    @classmethod
    def build(cls, mapping: dict[str, list[str]]) -> PhraseMatcher:
        labels: dict[str, str] = {}
        for label, phrases in mapping.items():
            for phrase in phrases:
                labels.setdefault(normalise_phrase(str(phrase)), str(label))
        ordered = sorted(labels, key=lambda p: (-len(p), p))
        if not ordered:
            return cls(re.compile(r"(?!x)x"), {})
        regex = re.compile("|".join(phrase_pattern(p) for p in ordered), re.IGNORECASE)
        by_first: dict[str, list[tuple[int, frozenset[str]]]] = {}
        unfiltered = []
        for n, phrase in enumerate(ordered):
            words = re.split(r"[\s\-]+", phrase.strip())
            if all(_SIMPLE_WORD.fullmatch(w) for w in words):
                by_first.setdefault(words[0], []).append((n, frozenset(words[1:])))
            else:  # punctuation inside a word: not a whole \w+ run of the text
                unfiltered.append(n)
        return cls(regex, labels, tuple(ordered), {w: tuple(v) for w, v in by_first.items()}, tuple(unfiltered))

    def find(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, matched text, label) for each non-overlapping match."""
        regex = self._regex_for(text)
        if regex is None:
            return []
        out = []
        for m in regex.finditer(text):
            label = self.labels.get(normalise_phrase(m.group(0)))
            if label is not None:
                out.append((m.start(), m.end(), m.group(0), label))
        return out

    def _regex_for(self, text: str) -> re.Pattern[str] | None:
        """The alternation of only those phrases whose words all occur in `text`, in the
        original order: a phrase left out cannot match anywhere, so the matches are
        the same as the full alternation's. None when no phrase can match."""
        words = words_of(text)
        if words is None or not self.phrases:
            return self.regex
        found = list(self.unfiltered)
        for w in words.intersection(self.first_words):
            for n, rest in self.by_first[w]:
                if rest <= words:
                    found.append(n)
        if not found:
            return None
        found.sort()
        return compile_phrases(tuple(self.phrases[n] for n in found))


@lru_cache(maxsize=8192)
def words_of(text: str) -> frozenset[str] | None:
    """The lower-cased \\w+ runs of `text`, or None when it holds a character that an
    ASCII letter matches case-insensitively (the long s for 's'): then no pre-filter."""
    if text.isascii():
        return frozenset(_WORD_RUN.findall(text.lower()))
    if has_ascii_lookalikes(text):
        return None
    return frozenset(w.lower() for w in _WORD_RUN.findall(text))


@lru_cache(maxsize=1024)
def compile_phrases(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(phrase_pattern(p) for p in phrases), re.IGNORECASE)


def normalise_phrase(text: str) -> str:
    return re.sub(r"[\s\-]+", " ", text.strip().lower())


def many_events_pattern(generic: Iterable[str]) -> re.Pattern[str]:
    """'those shootings', 'these attacks': a toll told of many events at once."""
    phrases = sorted({normalise_phrase(w) for w in generic}, key=len, reverse=True)
    words = "|".join(r"[\s-]+".join(map(re.escape, w.split())) for w in phrases)
    return re.compile(rf"\b(?:those|these|such|all|the\s+\d+)\s+(?:{words})\b", re.I)


@dataclass
class Vocabulary:
    weapons: PhraseMatcher
    not_weapons: PhraseMatcher
    payload_before: re.Pattern[str]
    payload_after: re.Pattern[str]
    weapon_priority: list[str]
    event_types: PhraseMatcher
    event_type_order: list[str]
    weapon_event_types: dict[str, str]
    generic_triggers: set[str]
    many_events: re.Pattern[str]  # 'those shootings': a toll told of many events at once
    outcomes: PhraseMatcher
    outcome_order: list[str]
    none_killed: PhraseMatcher
    none_injured: PhraseMatcher
    killed_words: list[str]
    injured_words: list[str]
    single_killed: PhraseMatcher
    shot_words: list[str]
    single_injured: PhraseMatcher
    victim_nouns: list[str]
    person_nouns: dict[str, int]  # last word of a noun for people -> 1 singular, 2 plural
    headline_killed: PhraseMatcher
    headline_injured: PhraseMatcher
    not_deaths: PhraseMatcher
    hurt_by_gunfire: list[str]  # 'six people injured, five by gunfire': the shot among the hurt
    several_hurt: PhraseMatcher  # 'multiple people wounded': more than one hurt, how many not said
    hurt_together: PhraseMatcher  # 'both victims were taken to a hospital': two hurt (label: the count)
    # 'a fourth victim was taken to': at least that many hit (label: the count)
    ordinal_victims: PhraseMatcher
    died_of_wounds: PhraseMatcher  # 'was rushed to the hospital, where he died': a victim told hurt died
    another_injured: re.Pattern[str]
    toll_multipliers: dict[str, int]
    named_toll: re.Pattern[str]
    killer_then_self: re.Pattern[str]
    killer_died: re.Pattern[str]
    victims_killed_words: list[str]
    killer_counted: re.Pattern[str]
    number_words: dict[str, int]
    attribution_verbs: list[str]
    clause_connectors: PhraseMatcher
    aside_opener: re.Pattern[str]  # 'Separately, ...': a paragraph about another incident
    street_name: re.Pattern[str]  # a name that ends as a street's ('Treackfield Court')
    abbreviations: set[str]
    stopwords: frozenset[str]
    procedural: PhraseMatcher
    roundup: PhraseMatcher
    timestamp_before: re.Pattern[str]
    link_line: re.Pattern[str]  # a line that opens with 'RELATED:', 'READ MORE:'
    follow_up: PhraseMatcher
    dismissal: PhraseMatcher  # 'he was fired', 'laid off': a job lost before the incident
    case_stages: PhraseMatcher  # a case's court steps and arrests, labelled 'court' and 'arrest'
    source: str
    # For killer_died and named_toll: a search, in lower-cased text, for the words one of
    # which each needs (see needs_any); most sentences have none, and the patterns are slow.
    killer_died_needs: re.Pattern[str] | None = None
    # killer_died, case-sensitive, for lower-cased ASCII text: re runs it much faster
    killer_died_lowered: re.Pattern[str] | None = None
    named_toll_needs: re.Pattern[str] | None = None
    # Words of a victim's condition ('critical', 'stable') and of those named beside a
    # count of victims ('two teenage boys'): read by hurt.count_conditions and count_with.
    condition_words: tuple[str, ...] = ()
    victim_adjectives: tuple[str, ...] = ()
    # 'a wounded turkey', 'the injured dog': a hurt animal, no casualty (casualties.count_with)
    animal_after: re.Pattern[str] | None = None
    # 'killed in a motorcycle accident': a death of another cause than an attack (lead_toll)
    other_cause: re.Pattern[str] | None = None
    # Never in a name a passage gives ('Killed In', 'New York', 'Police Chief'): stopwords and
    # name_function_words, read by people.find_names.
    not_in_names: frozenset[str] = frozenset()

    def number(self, token: str) -> int | None:
        """Value of a count written as digits or as a number word."""
        token = token.lower().replace(",", "")
        if token.isdecimal():  # not isdigit(): '²' is a digit that int() refuses
            # no toll has ten digits; a longer number would also overflow SQLite's INTEGER
            return int(token) if len(token) <= 9 else None
        return self.number_words.get(token)


def person_nouns(nouns: list[str]) -> dict[str, int]:
    """Last word of each noun for people, 1 when singular and 2 when plural,
    so that a list of victims can count 'a man' as one and not guess 'men'."""
    plural_forms = {"people", "men", "women", "children", "police"}
    out = {}
    for noun in nouns:
        last = str(noun).lower().split()[-1]
        out[last] = 2 if last in plural_forms or (last.endswith("s") and not last.endswith("ss")) else 1
    return out


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal phrases, longest first so that 'shot dead' wins
    over 'shot'; one that never matches when there are none."""
    words = list(words)
    if not words:
        return "(?!x)x"
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def load_vocabulary(path: str | Path | None = None) -> Vocabulary:
    """Read and compile a vocabulary file (the bundled one by default)."""
    return _load(str(path or data_path(DEFAULT_VOCABULARY)))


class WordsLoader(yaml.SafeLoader):
    """YAML as a word list needs it: YAML 1.1 reads an unquoted on, off, yes or no as a boolean,
    so `[back, off, still]` lost 'off' (it became 'false'). Only true and false are booleans here."""


WordsLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
WordsLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                  list("tTfF"))


@lru_cache(maxsize=8)
def _load(path: str) -> Vocabulary:
    with open(path, encoding="utf-8") as f:
        raw: dict[str, Any] = yaml.load(f, Loader=WordsLoader)  # a SafeLoader
    cas = raw["casualties"]
    return Vocabulary(
        weapons=PhraseMatcher.build(raw["weapons"]),
        not_weapons=PhraseMatcher.build({"x": raw.get("not_weapons", [])}),
        payload_before=re.compile(rf"(?:{alternation(raw['payload_markers_before'])})\s+(?:\w+\s+)?$", re.I),
        payload_after=re.compile(rf"^\s*(?:{alternation(raw['payload_markers_after'])})", re.I),
        weapon_priority=list(raw["weapon_priority"]),
        event_types=PhraseMatcher.build(raw["event_types"]),
        event_type_order=list(raw["event_types"]),
        weapon_event_types=dict(raw["weapon_event_types"]),
        generic_triggers={normalise_phrase(w) for w in raw["generic_triggers"]},
        many_events=many_events_pattern(raw["generic_triggers"]),
        outcomes=PhraseMatcher.build(raw["outcomes"]),
        outcome_order=list(raw["outcomes"]),
        none_killed=PhraseMatcher.build({"0": cas["none_killed"]}),
        none_injured=PhraseMatcher.build({"0": cas["none_injured"]}),
        killed_words=list(cas["killed_words"]),
        injured_words=list(cas["injured_words"]),
        single_killed=PhraseMatcher.build({"1": cas.get("single_killed", [])}),
        shot_words=list(cas.get("shot_words", [])),
        single_injured=PhraseMatcher.build({"1": cas.get("single_injured", [])}),
        victim_nouns=list(cas["victim_nouns"]),
        condition_words=tuple(cas.get("condition_words", [])),
        victim_adjectives=tuple(cas.get("victim_adjectives", [])),
        animal_after=re.compile(rf"[^\S\n]+(?:{alternation(cas['animal_nouns'])})\b", re.I) if cas.get("animal_nouns") else None,
        person_nouns=person_nouns(cas["victim_nouns"] + cas.get("family_nouns", [])),
        headline_killed=PhraseMatcher.build({"1": cas.get("headline_killed", [])}),
        headline_injured=PhraseMatcher.build({"1": cas.get("headline_injured", [])}),
        not_deaths=PhraseMatcher.build({"x": cas.get("not_deaths", [])}),
        several_hurt=PhraseMatcher.build({"x": cas.get("several_hurt", [])}),
        hurt_by_gunfire=list(cas.get("hurt_by_gunfire", [])),
        hurt_together=PhraseMatcher.build({
            str(n): [f"{subject} {predicate}" for subject in subjects for predicate in cas["hurt_together"]["predicates"]]
            for n, subjects in cas.get("hurt_together", {}).get("subjects", {}).items()}),
        ordinal_victims=PhraseMatcher.build({
            str(n): [f"{subject} {noun}" for subject in subjects for noun in cas["ordinal_victims"]["nouns"]]
            for n, subjects in cas.get("ordinal_victims", {}).get("subjects", {}).items()}),
        died_of_wounds=PhraseMatcher.build({"1": cas.get("died_of_wounds", [])}),
        another_injured=re.compile(
            rf"\b(?:another|a (?:second|third|fourth|fifth|sixth|seventh))\s+(?:[\w-]+\s+){{0,3}}?(?:(?:was|is|has been)\s+)?"
            rf"(?:{alternation(cas['injured_words'] + cas.get('shot_words', []))})\b", re.I),
        toll_multipliers={str(k).lower(): int(v) for k, v in cas.get("toll_multipliers", {}).items()},
        named_toll=re.compile(
            rf"\b(?:(?P<times>{alternation(list(cas.get('toll_multipliers', {})))})[\s-]+)?"
            rf"(?:(?P<suicide>{alternation(cas.get('murder_suicide', []))})"
            rf"|(?:{alternation(cas.get('killing_nouns', []))}))\b", re.I),
        killer_then_self=killer_then_self_pattern(cas),
        killer_died=killer_died_pattern(cas),
        victims_killed_words=list(cas.get("victims_killed_words", [])),
        killer_counted=re.compile(
            rf"\b(?:including|among\s+(?:them|the\s+dead|those\s+killed))\s+(?:was\s+|is\s+)?(?:the\s+|a\s+)?"
            rf"(?:suspected\s+|alleged\s+)?(?:{alternation(cas.get('killer_nouns', []))})\b", re.I),
        number_words={str(k).lower(): int(v) for k, v in raw["number_words"].items()},
        attribution_verbs=list(raw["attribution_verbs"]),
        clause_connectors=PhraseMatcher.build({"x": raw["clause_connectors"]}),
        street_name=re.compile(rf"\s(?:{alternation(raw.get('street_suffixes', []))})\.?$"),
        aside_opener=re.compile(rf"[\W_]*(?:{alternation(raw.get('aside_openers', []))})\b", re.I),
        other_cause=re.compile(rf"\b(?:{alternation(raw['other_causes'])})\b", re.I) if raw.get("other_causes") else None,
        abbreviations={str(a).lower() for a in raw["abbreviations"]},
        stopwords=frozenset(str(w).lower() for w in raw.get("stopwords", [])),
        procedural=PhraseMatcher.build({"x": raw.get("procedural_words", [])}),
        roundup=PhraseMatcher.build({"x": raw.get("roundup_markers", [])}),
        timestamp_before=re.compile(
            rf"(?:{alternation(raw.get('timestamp_markers', ['posted']))})\s*:?\s*(?:on\s+)?$", re.I),
        link_line=re.compile(rf"^[ \t]*(?:{alternation(raw.get('link_markers', []))})[ \t]*:", re.I | re.M),
        follow_up=PhraseMatcher.build({"x": [*raw.get("follow_up_words", []), *raw["attribution_verbs"],
                                             *raw.get("procedural_words", [])]}),
        dismissal=PhraseMatcher.build({"x": raw.get("dismissal_phrases", [])}),
        case_stages=PhraseMatcher.build({str(k): list(v) for k, v in (raw.get("case_stages") or {}).items()}),
        source=path,
        killer_died_needs=needs_any([*cas.get("own_life", []), *cas.get("police_nouns", []), *cas.get("killer_nouns", [])]),
        killer_died_lowered=killer_died_pattern(cas, lowered=True),
        named_toll_needs=needs_any([*cas.get("murder_suicide", []), *cas.get("killing_nouns", [])]),
        not_in_names=frozenset(str(w).lower() for w in [*raw.get("stopwords", []), *raw.get("name_function_words", [])]),
    )


def needs_any(words: Iterable[str]) -> re.Pattern[str] | None:
    """A case-sensitive search, for lower-cased text, of the literal `words`: a case-insensitive
    pattern that cannot match without one of them cannot match a text where this finds none
    (unless the text has ASCII look-alikes: text.has_ascii_lookalikes). None when that cannot
    be told: an empty word matches anywhere."""
    words = [str(w).lower() for w in words]
    if not all(words):
        return None
    return re.compile(alternation(words))


def killer_then_self_pattern(cas: dict[str, Any]) -> re.Pattern[str]:
    """'Killed his wife and two sons, then himself', 'kills woman, her son,
    himself', 'killing his son and then taking his own life': the victims after
    the verb (group `victims`) and the killer's own death."""
    own = alternation(cas.get("own_life", []))
    self_verbs = alternation(cas.get("self_death_verbs", []))
    return re.compile(
        rf"\b(?:{alternation(cas.get('killing_verbs', []))})\s+(?P<victims>[^.;:!?\n]{{1,80}}?)(?:\s+to\s+death)?,?\s+(?:and\s+)?"
        rf"(?:(?:then|before)\s+(?:(?:{own})|(?:(?:{self_verbs})\s+)?(?:himself|herself))|(?:himself|herself|self))\b",
        re.I)


def killer_died_pattern(cas: dict[str, Any], lowered: bool = False) -> re.Pattern[str]:
    """The killer's own death: by his own hand ('took his own life'), at the
    hands of police ('was shot and killed by officers', 'police killed the
    gunman'), or told of the killer ('the suspect died'). `lowered`: case-sensitive,
    for lower-cased ASCII text (the template has no capitals)."""
    def words(key: str) -> str:
        return alternation(str(w).lower() if lowered else w for w in cas.get(key, []))

    killers, police = words("killer_nouns"), words("police_nouns")
    verbs = words("police_killing_verbs")
    return re.compile(
        rf"\b(?:{words('own_life')})\b"
        rf"|\b(?:{verbs})\s+by\s+(?:{police})\b"
        rf"|\b(?:{police})\s+(?:later\s+)?(?:{verbs})\s+(?:him|her|the\s+(?:{killers}))\b"
        rf"|\b(?:{killers})\s+(?:was|is|has\s+been)\s+(?:also\s+|later\s+)?(?:{verbs}|dead|pronounced\s+dead)\b"
        rf"|\b(?:{killers})\s+(?:later\s+)?died\b"
        rf"|\b(?:{killers})\s+(?:{verbs})(?=\s*(?:$|[.;,:\n]))", 0 if lowered else re.I)  # a headline's 'suspect killed'

