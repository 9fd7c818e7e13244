"""A roundup's own incident: the wounded of the shooting it tells first, not its total."""

from __future__ import annotations

import dataclasses

from dedupe.canonical import build_incident
from dedupe.mentions import extract_mentions
from dedupe.places import Gazetteer
from dedupe.roundups import featured_toll
from dedupe.vocabulary import load_vocabulary
from tests.helpers import make_article, make_mention


def test_a_roundup_keeps_the_wounded_of_the_shooting_it_tells_first() -> None:
    article = make_article(
        "At least 15 people were shot in shootings across Chicago between Sunday afternoon and early Monday, "
        "police said. The largest single attack happened in West Englewood, where four men were shot in the "
        "6700 block of South Winchester Avenue. Someone approached them at 9:50 p.m., fired shots and fled.",
        "2014-06-02")
    article.title = "15 wounded in shootings citywide"
    lead, *_ = extract_mentions(article, load_vocabulary(), Gazetteer.default())
    assert lead.features["roundup"] is True
    assert lead.features["featured_toll"] == (0, 4)
    inc = build_incident([lead], {article.id: article})
    assert (inc.killed, inc.injured) == (0, 4)  # not the total, nor the one of each a bare roundup gets


def test_a_roundups_dead_are_not_the_featured_shootings() -> None:
    # '1 dead, 7 wounded in Chicago shootings', then a shooting in which no one died.
    roundup = make_mention("m1", "a1", killed=1, injured=7)
    roundup.features.update(lead=True, roundup=True, featured_toll=[0, 3])  # as read back from the database
    article = dataclasses.replace(make_article("One dead, seven wounded in shootings across the city."), id="a1")
    assert (build_incident([roundup], {"a1": article}).killed, build_incident([roundup], {"a1": article}).injured) == (0, 3)


def test_a_roundup_without_its_own_count_still_gets_one_wounded_and_its_dead_when_they_prevail() -> None:
    roundup = make_mention("m1", "a1", killed=5, injured=17)
    roundup.features.update(lead=True, roundup=True, featured_toll=None)
    article = dataclasses.replace(make_article("Five killed, 17 wounded in weekend shootings."), id="a1")
    inc = build_incident([roundup], {"a1": article})
    assert (inc.killed, inc.injured) == (0, 1)  # more wounded than dead: most of its shootings killed no one
    deadly = make_mention("m2", "a1", killed=3, injured=2)
    deadly.features.update(lead=True, roundup=True, featured_toll=None)
    assert (build_incident([deadly], {"a1": article}).killed, build_incident([deadly], {"a1": article}).injured) == (1, 1)
    assert featured_toll([None, (0, 3), [0, 3], (1, 5)]) == (0, 3)
