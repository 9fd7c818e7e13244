"""Comparisons declared as data and pair scores."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from dedupe.comparisons import LEVEL_FUNCTIONS, load_model
from dedupe.matching import match_mentions, score_pair, stored_pairs
from dedupe.models import DateInterval, Place
from tests.helpers import OTHER_SITE, PROVINCE, day, make_mention


@pytest.fixture(scope="module")
def model():
    return load_model()


def test_every_comparison_in_the_data_file_has_a_level_function(model) -> None:
    assert set(model.comparisons) <= set(LEVEL_FUNCTIONS)
    hard = [(name, lv.level) for name, levels in model.comparisons.items() for lv in levels if lv.hard]
    assert ("date", "incompatible") in hard


def test_weights_come_from_the_file(tmp_path: Path, model) -> None:
    raw = yaml.safe_load(Path(model.source).read_text())
    raw["comparisons"]["weapon"]["levels"][0]["weight"] = 42.0
    edited = tmp_path / "comparisons.yml"
    edited.write_text(yaml.safe_dump(raw))
    a, b = make_mention("m1", "a1"), make_mention("m2", "a2")
    was = model.weight("weapon", "same").weight
    assert score_pair(a, b, load_model(edited)).score - score_pair(a, b, model).score == pytest.approx(42.0 - was)


def test_same_day_same_site_same_weapon_links(model) -> None:
    a = make_mention("m1", "a1", date=day("2021-06-06"), quantity=2)
    b = make_mention("m2", "a2", date=day("2021-06-06"), quantity=2)
    p = score_pair(a, b, model)
    assert p.hard_conflict is None and p.score > model.link_threshold
    assert p.components["date"]["level"] == "same_day"
    assert p.components["place"]["level"] == "same"


def test_same_base_other_year_is_a_cannot_link(model) -> None:
    a = make_mention("m1", "a1", date=day("2021-06-06"), quantity=2, outcome="intercepted")
    b = make_mention("m2", "a2", date=day("2022-01-04"), quantity=2, outcome="intercepted")
    p = score_pair(a, b, model)
    assert p.hard_conflict == "date"
    assert p.components["date"]["level"] == "incompatible"


def test_a_bare_weekday_is_not_the_same_day_as_a_date(model) -> None:
    # 'on Monday' in an undated article fits every Monday: weaker evidence than two reports naming one day.
    monday = make_mention("m1", "a1", date=DateInterval(weekday=0, text="on Monday"))
    dated = make_mention("m2", "a2", date=day("2022-01-03"))
    assert score_pair(monday, dated, model).components["date"]["level"] != "same_day"
    assert score_pair(make_mention("m3", "a3", date=day("2022-01-03")), dated, model).components["date"]["level"] \
        == "same_day"


def test_two_undated_reports_of_one_weekday_learn_nothing_from_it(model) -> None:
    # One report in seven names the same weekday by chance: no more evidence than no date at all.
    a = make_mention("m1", "a1", date=DateInterval(weekday=4, text="on Friday"))
    b = make_mention("m2", "a2", date=DateInterval(weekday=4, text="Friday night"))
    assert score_pair(a, b, model).components["date"]["level"] == "unknown"


def test_weekday_constraint_of_undated_reports(model) -> None:
    sunday = DateInterval(weekday=6, text="on Sunday")
    tuesday = DateInterval(weekday=1, text="on Tuesday")
    a = make_mention("m1", "a1", date=sunday)
    assert score_pair(a, make_mention("m2", "a2", date=tuesday), model).hard_conflict == "date"
    assert score_pair(a, make_mention("m3", "a3", date=day("2021-06-06")), model).hard_conflict is None


def test_undated_article_names_two_days_two_ways(model) -> None:
    sunday = DateInterval(weekday=6, text="on Sunday")
    may8 = DateInterval(month_day=(5, 8), text="On May 8")
    a, b = make_mention("m1", "a1", date=sunday), make_mention("m2", "a1", date=may8)
    assert score_pair(a, b, model).hard_conflict == "date"
    assert score_pair(a, make_mention("m3", "a2", date=may8), model).hard_conflict is None


def test_place_hierarchy_and_different_weapons(model) -> None:
    a = make_mention("m1", "a1")
    assert score_pair(a, make_mention("m2", "a2", place=PROVINCE), model).components["place"]["level"] == "within"
    other = score_pair(a, make_mention("m3", "a2", place=OTHER_SITE, weapon="rocket"), model)
    assert other.components["place"]["level"] == "different_sites"
    assert other.components["weapon"]["level"] == "different"
    assert other.score < model.link_threshold
    town = Place("geonames:2", "Haditha", "city", "Anbar", "IQ", 34.1, 42.4, ("admin1:IQ.01", "country:IQ"))
    far = Place("geonames:3", "Basra", "city", "Basra", "IQ", 30.5, 47.8, ("admin1:IQ.02", "country:IQ"))
    assert score_pair(make_mention("m4", "a3", place=town), make_mention("m5", "a4", place=far),
                      model).components["place"]["level"] == "same_country"
    abroad = Place("geonames:4", "Kuwait City", "city", "Al Asimah", "KW", 29.4, 48.0, ("admin1:KW.02", "country:KW"))
    assert score_pair(make_mention("m6", "a5", place=town), make_mention("m7", "a6", place=abroad),
                      model).components["place"]["level"] == "different"


def test_match_mentions_is_deterministic(model) -> None:
    ms = [make_mention(f"m{i}", f"a{i % 3}", date=day("2021-06-0" + str(1 + i % 3))) for i in range(6)]
    first = [(p.left_id, p.right_id, p.score) for p in match_mentions(ms, model)]
    second = [(p.left_id, p.right_id, p.score) for p in match_mentions(list(reversed(ms)), model)]
    assert sorted(first) == sorted(second)


def test_prior_is_estimated_per_corpus_but_kept_for_tiny_ones(model) -> None:
    from dedupe.matching import calibrate_prior

    many = []
    for i in range(40):  # every article pair here reports one incident: the prior must rise
        a = make_mention(f"a{i}", f"x{i}", date=day("2021-06-06"), quantity=2)
        b = make_mention(f"b{i}", f"y{i}", date=day("2021-06-06"), quantity=2)
        many.append((a, b))
    mentions = [m for pair in many for m in pair]
    pairs = [score_pair(a, b, model) for a, b in many]
    before = pairs[0].score
    small, same = calibrate_prior(pairs[:5], mentions[:10], model)
    assert small.prior == model.prior and [p.score for p in same] == [before] * 5
    calibrated, rescored = calibrate_prior(pairs, mentions, model)  # rescored in place
    assert calibrated.prior > model.prior
    assert rescored[0].score - before == pytest.approx(calibrated.prior - model.prior, abs=1e-3)


def test_estimated_prior_moves_in_steps_so_one_percent_more_evidence_keeps_it(model) -> None:
    from collections import Counter

    from dedupe.matching import PRIOR_STEP, estimate_prior

    estimating = dataclasses.replace(model, estimate_prior=True)

    def pairs(matches: int, others: int, cannot: int = 0) -> Counter:
        """Lead pairs by score in thousandths: clear matches 12 bits above the prior, others 3 below."""
        return Counter({round((12.0 + model.prior) * 1000): matches, round((-3.0 + model.prior) * 1000): others,
                        None: cannot})

    # 1,000 blocked lead pairs, a tenth of them clear matches: then ten more non-matches
    prior = estimate_prior(pairs(100, 900), estimating)
    assert round(prior / PRIOR_STEP, 6) == round(prior / PRIOR_STEP)
    assert estimate_prior(pairs(100, 910), estimating) == prior
    # ... while a corpus with twice the share of matches gets another prior
    assert estimate_prior(pairs(200, 800), estimating) > prior
    # cannot-links count as lead pairs that are no match
    assert estimate_prior(pairs(100, 400, 500), estimating) < estimate_prior(pairs(100, 400), estimating)


def test_scored_pairs_calibrate_and_keep_as_pair_scores_do(model) -> None:

    from dedupe.matching import (
        MAX_SHIFT,
        calibrate_prior,
        calibrate_scored,
        keep_pairs,
        score_pairs,
        worth_keeping,
    )

    mentions = []
    for i in range(40):  # one incident per pair, but every fifth pair reported on two days (a cannot-link)
        mentions.append(make_mention(f"a{i}", f"x{i}", date=day("2021-06-06"), quantity=2))
        mentions.append(make_mention(f"b{i}", f"y{i}", date=day("2021-06-07" if i % 5 == 0 else "2021-06-06"),
                                     quantity=2))
    index_pairs = [(n, n + 1) for n in range(0, len(mentions), 2)]
    scored, dropped = score_pairs(index_pairs, (mentions, model, MAX_SHIFT))
    calibrated = calibrate_scored(scored, mentions, model, dropped)
    expected_model, expected = calibrate_prior([score_pair(mentions[i], mentions[j], model) for i, j in index_pairs],
                                               mentions, model, more=dropped)
    assert calibrated.prior == expected_model.prior != model.prior
    kept = keep_pairs(scored, calibrated)
    kept.ids = [m.id for m in mentions]
    assert [(p.left_id, p.right_id, p.score, p.probability, p.hard_conflict)
            for p in map(kept.pair, range(len(kept)))] == \
        [(p.left_id, p.right_id, p.score, p.probability, p.hard_conflict)
         for p in expected if worth_keeping(p, expected_model)]
    assert any(p.hard_conflict for p in expected)


def test_only_informative_cannot_links_are_stored_as_evidence():
    model = load_model()
    base = make_mention("m1", "a1", date=day("2021-06-06"), sentence="two drones shot down over the base")
    # Same place, weapon and words, another day: all but the date says 'same incident'.
    near_miss = score_pair(base, make_mention("m2", "a2", date=day("2021-03-01"),
                                              sentence="two drones shot down over the base"), model)
    # Nothing in common but a date conflict: one of the many such pairs blocking proposes.
    unrelated = score_pair(base, make_mention("m3", "a3", date=day("2021-03-01"), weapon="rocket", place=PROVINCE,
                                              quantity=7, sentence="a convoy was hit by rockets"), model)
    assert near_miss.hard_conflict == unrelated.hard_conflict == "date"
    kept = stored_pairs([near_miss, unrelated], model)
    assert kept == [near_miss]


def near_misses_of_m0(model):
    """m0's kept-apart pairs with m1..m8, best first, and a merge with m9."""
    import dataclasses

    base = make_mention("m0", "a0", date=day("2021-06-06"))
    pairs = [dataclasses.replace(score_pair(base, make_mention(f"m{n}", f"a{n}", date=day("2021-06-06")), model),
                                 score=-3.0 - n / 10, decision="kept-apart", hard_conflict=None)
             for n in range(1, 9)]
    return pairs, dataclasses.replace(pairs[0], right_id="m9", score=5.0, decision="merged")


def test_each_mention_keeps_only_its_best_near_misses():
    model = load_model()
    pairs, merged = near_misses_of_m0(model)
    kept = stored_pairs([*pairs, merged], model)
    # m0's five best near misses (each of m1..m8 has only this pair, but m0 caps them) and every merge.
    assert merged in kept
    assert {p.right_id for p in kept if p.decision == "kept-apart"} == {f"m{n}" for n in range(1, 9)}
    assert len(stored_pairs(pairs, model, near_misses=0)) == 0


def test_near_misses_are_each_mentions_best_in_full_order() -> None:
    import random

    from dedupe.models import PairScore

    rng = random.Random(7)
    model = load_model()
    ids = [f"m{n:02d}" for n in range(12)]
    pairs = [PairScore(x, y, rng.choice([-3.0, -2.5, -2.0, -4.0, -1.5]), 0.1, {}, None, "kept-apart")
             for n, x in enumerate(ids) for y in ids[n + 1:] if rng.random() < 0.7]
    for near_misses in (0, 1, 3, 5):
        # What stored_pairs keeps: of each mention's kept-apart pairs, the best by (-score, left, right).
        ranked = {m: sorted((-p.score, p.left_id, p.right_id) for p in pairs if m in (p.left_id, p.right_id))
                  for m in ids}
        expected = {(x, y) for r in ranked.values() for _, x, y in r[:near_misses]}
        assert {(p.left_id, p.right_id) for p in stored_pairs(pairs, model, near_misses)} == expected


def test_an_update_keeps_near_misses_of_its_new_reports_only() -> None:
    model = load_model()
    pairs, merged = near_misses_of_m0(model)
    # m0 new, m1..m8 stored: m0's five best only (each stored report's one pair with a new report
    # is its best among those alone, not among all its pairs), and every merge
    kept = stored_pairs([*pairs, merged], model, near_of={"m0"})
    assert merged in kept
    assert {p.right_id for p in kept if p.decision == "kept-apart"} == {f"m{n}" for n in range(1, 6)}
    # a stored report among the new ones' keeps its own best too
    also = stored_pairs([*pairs, merged], model, near_of={"m0", "m8"})
    assert {p.right_id for p in also if p.decision == "kept-apart"} == {"m1", "m2", "m3", "m4", "m5", "m8"}


def test_people_tell_topic_mates_apart(model) -> None:
    def lead(mid: str, article: str, people: list[str], words: str = "") -> object:
        m = make_mention(mid, article)
        m.features.update(people=people, doc_terms={w: 1 for w in (words.split() + people)})
        return m

    jackson = lead("m1", "a1", ["jackson"], "chargers dui arrested")
    level = lambda a, b: score_pair(a, b, model).components["people"]["level"]  # noqa: E731
    assert level(jackson, lead("m2", "a2", ["jackson", "turner"])) == "same_main"
    assert level(jackson, lead("m3", "a3", ["williams", "jackson"])) == "shared"
    # Named only in passing by the other article (the earlier arrest it recalls).
    assert level(jackson, lead("m4", "a4", ["williams"], "jackson")) == "named"
    assert level(jackson, lead("m5", "a5", ["williams"])) == "different"
    assert level(jackson, lead("m6", "a6", [])) == "unknown"
    assert level(jackson, make_mention("m7", "a7")) == "not_applicable"  # not a lead report
    weights = model.level_table["people"]
    assert weights["same_main"].weight > weights["shared"].weight > 0 > weights["different"].weight


def test_publication_week_counts_only_when_a_day_is_unknown(model) -> None:
    # Two incidents dated to the day: the date comparison has said it; the week they were
    # reported in would count the same thing twice (and make any two same-day incidents one).
    dated = [make_mention(f"d{i}", f"a{i}", date=day("2016-07-17"), published="2016-07-18") for i in range(2)]
    assert score_pair(*dated, model).components["published_gap"]["level"] == "not_applicable"
    undated = make_mention("u1", "a3", published="2016-07-18")
    assert score_pair(dated[0], undated, model).components["published_gap"]["level"] == "same_week"
    # Two passages of one article start from their own base, which was set with this level in it.
    passage = make_mention("p1", "a0", date=day("2016-07-17"), published="2016-07-18")
    assert score_pair(dated[0], passage, model).components["published_gap"]["level"] == "same_week"


def test_stored_evidence_reads_as_a_sorted_list_of_pairs_with_components(sample_result, model) -> None:
    evidence = sample_result.pairs
    listed = list(evidence)
    assert len(listed) == len(evidence) > 3
    assert [(p.left_id, p.right_id) for p in listed] == sorted((p.left_id, p.right_id) for p in listed)
    assert evidence[0] == listed[0] and evidence[-1] == listed[-1] and evidence[1:3] == listed[1:3]
    assert all(set(p.components) == set(model.comparisons) and p.decision for p in listed)


def test_document_terms_and_vectors_are_compact_maps_that_read_as_dicts(sample_result) -> None:
    import json
    import pickle

    from dedupe.models import TermMap
    from dedupe.store.rows import mention_features

    lead = next(m for m in sample_result.mentions if "doc_vec" in m.features)
    terms, vector = lead.features["doc_terms"], lead.features["doc_vec"]
    assert isinstance(terms, TermMap) and isinstance(vector, TermMap)
    as_dict = dict(vector.items())
    assert vector == as_dict and list(vector) == list(as_dict) and vector.values() == list(as_dict.values())
    first = next(iter(as_dict))
    assert vector[first] == as_dict[first] and first in vector and "no such term" not in vector
    assert abs(sum(w * w for w in vector.values()) - 1.0) < 1e-9  # L2-normalised
    assert all(type(n) is int for n in terms.values())
    assert pickle.loads(pickle.dumps(terms)) == terms  # as workers send them back
    # stored as the plain JSON object an update reads back
    assert json.loads(mention_features(lead))["doc_terms"] == dict(terms.items())
