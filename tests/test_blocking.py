"""Blocking: which mentions are compared, and that large blocks stay linear."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from dedupe.blocking import Blocking, candidate_pairs, sort_time
from dedupe.comparisons import load_model
from dedupe.models import DateInterval
from tests.helpers import OTHER_SITE, PROVINCE, day, make_mention


def test_blocking_compares_same_place_and_same_article_not_everything() -> None:
    ms = [make_mention("m1", "a1"), make_mention("m2", "a2"),
          make_mention("m3", "a3", place=OTHER_SITE, weapon="gun", sentence="a man was wounded at a park"),
          make_mention("m4", "a3", place=None, weapon=None, sentence="police are looking for witnesses")]
    pairs = list(candidate_pairs(ms))
    assert (0, 1) in pairs  # same site
    assert (2, 3) in pairs  # same article
    assert (0, 2) not in pairs and (1, 3) not in pairs


def test_pairs_come_once_each_in_sorted_order() -> None:
    ms = [make_mention(f"m{i}", f"a{i % 2}", date=day("2021-06-06")) for i in range(6)]
    pairs = list(candidate_pairs(ms))
    assert pairs == sorted(set(pairs))
    assert len(pairs) == 15  # one site: all against all


def test_a_large_block_compares_neighbours_in_date_order_only() -> None:
    start = dt.date(2020, 1, 1)
    ms = [make_mention(f"m{i}", f"a{i}", weapon=None, date=day((start + dt.timedelta(days=i)).isoformat()))
          for i in range(40)]
    blocking = Blocking(rules=("place",), window=5)
    pairs = set(candidate_pairs(ms, blocking))
    assert (10, 15) in pairs and (10, 16) not in pairs
    # Every mention meets at most 2 x window others: pairs grow linearly, not quadratically.
    assert len(pairs) <= 5 * len(ms)
    # The order is by date, not by position in the list.
    shuffled = ms[20:] + ms[:20]
    ids = {(shuffled[i].id, shuffled[j].id) for i, j in candidate_pairs(shuffled, blocking)}
    assert ("m10", "m15") in ids or ("m15", "m10") in ids
    assert not {("m0", "m39"), ("m39", "m0")} & ids


@pytest.mark.parametrize("focus", [[], [0], [7, 3], [39], list(range(0, 40, 3)), list(range(40))])
def test_focus_pairs_are_the_pairs_with_a_focus_mention(focus) -> None:
    # An update scores only the pairs with a new report: the same pairs, less those of two stored ones.
    start = dt.date(2020, 1, 1)
    ms = [make_mention(f"m{i}", f"a{i // 3}", place=OTHER_SITE if i % 4 else PROVINCE, weapon=None,
                       date=day((start + dt.timedelta(days=(i * 7) % 40)).isoformat())) for i in range(40)]
    blocking = Blocking(rules=("place", "article"), window=4)
    every = list(candidate_pairs(ms, blocking))
    assert list(candidate_pairs(ms, blocking, focus)) == [(i, j) for i, j in every if i in focus or j in focus]


def test_same_weapon_in_one_region_needs_a_date() -> None:
    blocking = Blocking(rules=("weapon_region",))
    town = dataclasses.replace(OTHER_SITE, ancestors=("admin1:IQ.07", "country:IQ"))
    dated = [make_mention("m1", "a1", place=PROVINCE, date=day("2021-06-06")),
             make_mention("m2", "a2", place=dataclasses.replace(PROVINCE, id="site:x", kind="site",
                                                               ancestors=("admin1:IQ.01", "country:IQ")),
                          date=day("2021-06-07"))]
    assert list(candidate_pairs(dated, blocking)) == [(0, 1)]
    undated = [dataclasses.replace(m, date=DateInterval(weekday=0, text="on Monday")) for m in dated]
    assert list(candidate_pairs(undated, blocking)) == []
    elsewhere = [dated[0], dataclasses.replace(dated[1], place=town)]
    assert list(candidate_pairs(elsewhere, blocking)) == []


def test_rare_words_key_only_words_few_mentions_share() -> None:
    blocking = Blocking(rules=("rare_words",), rare_word_max=2)
    ms = [make_mention(f"m{i}", f"a{i}", place=None, sentence=s) for i, s in enumerate(
        ["gunfire near the Kessler warehouse", "Kessler warehouse gunfire", "gunfire downtown", "more gunfire"])]
    assert list(candidate_pairs(ms, blocking)) == [(0, 1)]


def test_sort_time_uses_the_date_then_the_publication_day() -> None:
    assert sort_time(make_mention("m1", date=day("2021-06-06"))) == dt.date(2021, 6, 6).toordinal()
    assert sort_time(make_mention("m2", published="2021-06-09")) == dt.date(2021, 6, 9).toordinal()
    assert sort_time(make_mention("m3")) > sort_time(make_mention("m4", published="2999-01-01"))


def test_the_bundled_file_declares_the_rules_and_bad_settings_are_refused() -> None:
    assert load_model().blocking.rules == ("article", "place", "weapon_region", "rare_words", "document")
    with pytest.raises(ValueError, match="unknown rule"):
        Blocking.from_dict({"rules": ["article", "zipcode"]})
    with pytest.raises(ValueError, match="unknown setting"):
        Blocking.from_dict({"max_block": 400})
    with pytest.raises(ValueError, match="at least 1"):
        Blocking.from_dict({"window": 0})
