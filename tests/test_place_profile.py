"""Tests for dedupe.place_profile: what an article's profile holds, and the work it skips."""

from __future__ import annotations

import pytest

from dedupe.places import Gazetteer

TYLER = "county:US.48457"  # Tyler County, Texas (West Virginia has one too)


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return Gazetteer.default()


def rescan_adds(g: Gazetteer, text: str, states: frozenset[str]) -> set[str]:
    """What the profile's second scan adds, found without the check that may skip it."""
    recs = g._recs
    return {recs[h.rec][0] for h in g._scan(text, states, keep_blocked=True)
            if h.rec >= 0 and recs[h.rec][2] == "county" and recs[h.rec][7][0] in states}


def test_an_ambiguous_county_of_the_named_state_is_in_the_profile(g: Gazetteer) -> None:
    text = "A man was shot in Tyler County on Sunday, the Texas sheriff said."
    assert TYLER in g._profile(text)
    assert g._may_name_county_of(g._read(text), frozenset({"admin1:US.TX"}))


@pytest.mark.parametrize("text", [
    "A man was shot in Tyler County on Sunday, the Texas sheriff said.",
    "WOODVILLE, Texas - Deputies in Tyler County said a man was shot.",
    "The Anderson County coroner in South Carolina said Anderson police found him.",
    "Police in Austin, Texas said two men were hurt in a shooting downtown.",
    "A man was shot in Tyler County, West Virginia, on Sunday.",
])
def test_the_county_rescan_is_skipped_only_when_it_adds_nothing(g: Gazetteer, text: str) -> None:
    states = frozenset(a for a in g._profile(text) if a.startswith("admin1:"))
    assert states
    if not g._may_name_county_of(g._read(text), states):
        assert rescan_adds(g, text, states) == set()
    # and a state none of whose counties the text names skips it
    assert not g._may_name_county_of(g._read(text), frozenset({"admin1:US.AK"}))
