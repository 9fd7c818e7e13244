"""Load the editable vocabulary (data/vocabulary.yml) and compile it into
phrase matchers. All word lists live in the data file; this module only knows
how to match them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

DEFAULT_VOCABULARY = "vocabulary.yml"


def data_path(name: str) -> Path:
    """Path of a file shipped in dedupe/data/."""
    return Path(str(resources.files("dedupe") / "data" / name))


def phrase_pattern(phrase: str) -> str:
    """Regex for a phrase: whole words, any whitespace or hyphen between words."""
    words = [re.escape(w) for w in re.split(r"[\s\-]+", phrase.strip()) if w]
    body = r"[\s\-]+".join(words)
    return rf"(?<![\w-]){body}(?![\w-])" if phrase[-1:].isalnum() else rf"(?<![\w-]){body}"


@dataclass
class PhraseMatcher:
    """Finds phrases in text and maps each to its label; longest phrase wins."""

    regex: re.Pattern[str]
    labels: dict[str, str]  # normalised phrase -> label

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
        return cls(regex, labels)

    def find(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, matched text, label) for each non-overlapping match."""
        out = []
        for m in self.regex.finditer(text):
            label = self.labels.get(normalise_phrase(m.group(0)))
            if label is not None:
                out.append((m.start(), m.end(), m.group(0), label))
        return out


def normalise_phrase(text: str) -> str:
    return re.sub(r"[\s\-]+", " ", text.strip().lower())


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
    number_words: dict[str, int]
    attribution_verbs: list[str]
    clause_connectors: PhraseMatcher
    abbreviations: set[str]
    stopwords: frozenset[str]
    procedural: PhraseMatcher
    timestamp_before: re.Pattern[str]
    source: str

    def number(self, token: str) -> int | None:
        """Value of a count written as digits or as a number word."""
        token = token.lower().replace(",", "")
        if token.isdigit():
            return int(token)
        return self.number_words.get(token)


def load_vocabulary(path: str | Path | None = None) -> Vocabulary:
    """Read and compile a vocabulary file (the bundled one by default)."""
    return _load(str(path or data_path(DEFAULT_VOCABULARY)))


@lru_cache(maxsize=8)
def _load(path: str) -> Vocabulary:
    with open(path, encoding="utf-8") as f:
        raw: dict[str, Any] = yaml.safe_load(f)
    cas = raw["casualties"]

    def alternation(words: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

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
        number_words={str(k).lower(): int(v) for k, v in raw["number_words"].items()},
        attribution_verbs=list(raw["attribution_verbs"]),
        clause_connectors=PhraseMatcher.build({"x": raw["clause_connectors"]}),
        abbreviations={str(a).lower() for a in raw["abbreviations"]},
        stopwords=frozenset(str(w).lower() for w in raw.get("stopwords", [])),
        procedural=PhraseMatcher.build({"x": raw.get("procedural_words", [])}),
        timestamp_before=re.compile(
            rf"(?:{alternation(raw.get('timestamp_markers', ['posted']))})\s*:?\s*(?:on\s+)?$", re.I),
        source=path,
    )
