"""The home an outlet's web address names: 'montgomeryadvertiser.com' is at home in
Montgomery, Alabama, 'delawareonline.com' in Delaware, 'chicago.suntimes.com' in Chicago.

A local outlet's name is its town's or state's more often than not, and its web address
spells the name out. That says where its bare town names lie when its reports in the
corpus do not (home_country.Homes falls back on it): an outlet seen once, whose one story
names 'Montgomery' and nothing else, is Alabama's. A label counts only when it is a place
name alone or with the words of data/outlet_words.yml around it ('the', 'daily herald',
'fox5'), never a label that merely starts like a town ('therepublic', 'mobile'); a town
counts only when it is at least MIN_POPULATION and DOMINANT times as big as every namesake
of another state (Kansas City is Missouri's; 'columbiadailyherald' names no state).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from .models import Place
from .place_hierarchy import admin1_of
from .place_names import F_ALT
from .places import Gazetteer

MIN_POPULATION = 10_000
DOMINANT = 3
_DATA = Path(__file__).resolve().parent / "data" / "outlet_words.yml"
_GENERIC_LABELS = frozenset("www m mobile amp news blog blogs web static cdn edition".split())


@functools.cache
def _words() -> dict[str, frozenset[str]]:
    with open(_DATA, encoding="utf-8") as f:
        raw = yaml.safe_load(f)
    return {k: frozenset(str(w) for w in v) for k, v in raw.items()}


def _made_of(rest: str, words: frozenset[str]) -> bool:
    """Is `rest` a run of `words` (or empty)?"""
    if not rest:
        return True
    return any(rest.startswith(w) and _made_of(rest[len(w):], words) for w in words)


def _cores(label: str) -> Iterator[str]:
    """The parts of a host-name label that may be a place name: what is left once the
    fillers before it, a broadcaster and channel before it and the mastheads after it are
    cut, longest first."""
    words = _words()
    starts = {0}
    for k in range(len(label)):  # fillers, then at most one broadcaster with its channel number
        if k in starts:
            for w in words["fillers"]:
                if label.startswith(w, k):
                    starts.add(k + len(w))
    for k in sorted(starts):
        for b in words["broadcasters"]:
            if label.startswith(b, k):
                m = re.match(r"\d*", label[k + len(b):])
                starts.add(k + len(b) + len(m.group()))
    for k in sorted(starts):
        for end in range(len(label), k + 1, -1):
            core = label[k:end]
            # not a word of the name itself: 'therepublic' is no Republic, Missouri
            if _made_of(label[end:], words["mastheads"]) and core not in words["mastheads"] | words["fillers"]:
                yield core


def read_outlet_home(outlet: str | None, gazetteer: Gazetteer, country: str = "US") -> tuple[Place | None, Place | None]:
    """(state, town) the outlet's host name (home_country.outlet_key) names in `country`,
    each None when it names none; see the module docstring."""
    if not outlet:
        return None, None
    labels = [p for label in outlet.split(":")[0].split(".")[:-1] if label not in _GENERIC_LABELS
              for p in label.split("-") if p]
    for label in labels:
        for core in _cores(label):
            state, town = _place_named(core, gazetteer, country)
            if state is not None:
                return state, town
    return None, None


def _place_named(core: str, gazetteer: Gazetteer, country: str) -> tuple[Place | None, Place | None]:
    if len(core) == 2:  # a postal code ('nj.com', 'msnewsnow.com')
        return (gazetteer.get(f"admin1:US.{core.upper()}") if country == "US" else None), None
    if len(core) < 4:
        return None, None
    states = [r[0] for c in gazetteer._index.get(core, ()) if not c & F_ALT
              and (r := gazetteer._recs[c >> 8])[2] == "admin1" and r[4] == country]
    if states:
        return gazetteer.get(states[0]), None
    towns = gazetteer.namesakes(core, country)  # most populous first
    if not towns or (size := gazetteer.population(towns[0].id)) < MIN_POPULATION:
        return None, None
    state = admin1_of(towns[0])
    if state is None or any(size < DOMINANT * gazetteer.population(t.id) for t in towns if admin1_of(t) != state):
        return None, None
    return gazetteer.get(state), towns[0]
