"""dedupe.crowding: how many other articles report something in a report's city and days."""

from __future__ import annotations

import dataclasses

from dedupe.comparisons import crowd_level, load_model
from dedupe.crowding import count_crowds, crowd_entry
from dedupe.matching import score_pair
from dedupe.models import Place
from tests.helpers import day, make_mention

CITY = Place("geonames:99", "Ramadi", "city", "Anbar", "IQ", 33.4, 43.3, ("admin1:IQ.01", "country:IQ"))
SITE_IN_CITY = Place("site:bridge", "Bridge", "site", "Anbar", "IQ", 33.4, 43.3,
                     ("geonames:99", "admin1:IQ.01", "country:IQ"))
OTHER_CITY = Place("geonames:7", "Fallujah", "city", "Anbar", "IQ", 33.3, 43.7, ("admin1:IQ.01", "country:IQ"))


def test_a_report_counts_the_other_articles_leads_in_its_city_and_days() -> None:
    mentions = [
        make_mention("m1", "a1", place=CITY, date=day("2021-06-10")),
        make_mention("m2", "a2", place=SITE_IN_CITY, date=day("2021-06-12")),  # a site of the city, 2 days on
        make_mention("m3", "a3", place=CITY, date=day("2021-06-20")),  # ten days on: outside 3 days
        make_mention("m4", "a4", place=OTHER_CITY, date=day("2021-06-10")),  # another city
        make_mention("m5", "a5", place=None, date=day("2021-06-10")),  # no city: competes with no one
        make_mention("m6", "a6", place=CITY, published="2021-06-09"),  # undated: its publication day
    ]
    passage = dataclasses.replace(make_mention("m1b", "a1", place=CITY, date=day("2021-06-11")), order=1)
    count_crowds(mentions + [passage], days=3)
    crowd = {m.id: m.features["crowd"] for m in mentions + [passage]}
    # m1 sees m2 and m6, not its own article, the far day, the other city or the place-less report;
    # its passage m1b sees the same two, not its own lead.
    assert crowd == {"m1": 2, "m2": 2, "m3": 0, "m4": 0, "m5": 0, "m6": 2, "m1b": 2}


def test_a_passage_is_no_competitor_and_a_wider_window_counts_more() -> None:
    mentions = [make_mention("m1", "a1", place=CITY, date=day("2021-06-10")),
                dataclasses.replace(make_mention("m2", "a2", place=CITY, date=day("2021-06-11")), order=1),
                make_mention("m3", "a3", place=CITY, date=day("2021-06-20"))]
    count_crowds(mentions, days=3)
    assert [m.features["crowd"] for m in mentions] == [0, 1, 0]  # m2 is not a lead: no one counts it
    count_crowds(mentions, days=10)
    assert [m.features["crowd"] for m in mentions] == [1, 2, 1]


def test_leads_outside_the_working_set_count_as_in_a_full_build() -> None:
    # What an update does: the stored leads it did not load are passed as `others`.
    everything = [make_mention(f"m{n}", f"a{n}", place=CITY, date=day(f"2021-06-1{n}")) for n in range(4)]
    everything.append(dataclasses.replace(make_mention("m0b", "a0", place=CITY, date=day("2021-06-11")), order=1))
    count_crowds(everything, days=3)
    full = {m.id: m.features["crowd"] for m in everything}
    work = [m for m in everything if m.id in ("m1", "m0b")]
    for m in work:
        m.features["crowd"] = None
    others = [entry for m in everything if m not in work and (entry := crowd_entry(m)) is not None]
    count_crowds(work, days=3, others=others)
    assert {m.id: m.features["crowd"] for m in work} == {"m1": full["m1"], "m0b": full["m0b"]} == {"m1": 3, "m0b": 3}
    count_crowds(work, days=3)  # without them, the working set alone undercounts
    assert [m.features["crowd"] for m in work] == [0, 1]


def test_the_more_crowded_report_sets_the_level_and_passages_of_one_article_have_none() -> None:
    levels = load_model().comparisons["crowd"]
    a, b = make_mention("m1", "a1"), make_mention("m2", "a2")
    a.features["crowd"], b.features["crowd"] = 0, 0
    quiet = crowd_level(a, b, levels)
    b.features["crowd"] = 40
    crowded = crowd_level(a, b, levels)
    weight = {lv.level: lv.weight for lv in levels}
    assert weight[crowded] < weight[quiet] == 0.0
    assert crowd_level(a, dataclasses.replace(b, id="m3", article_id="a1"), levels) == "not_applicable"


def test_a_pair_in_a_crowded_city_week_scores_lower_by_the_level_weight() -> None:
    model = load_model()
    a = make_mention("m1", "a1", place=CITY, date=day("2021-06-10"))
    b = make_mention("m2", "a2", place=CITY, date=day("2021-06-10"))
    a.features["crowd"] = b.features["crowd"] = 0
    alone = score_pair(a, b, model)
    b.features["crowd"] = 40
    crowded = score_pair(a, b, model)
    drop = model.weight("crowd", crowded.components["crowd"]["level"]).weight
    assert drop < 0
    assert crowded.score == round(alone.score + drop, 3)
