"""The column-wise scoring of dedupe.pair_columns against the level functions of
dedupe.comparisons, which stay the definition: the same level names for every pair of the
sample's mentions and of edge cases made from them, the same totals to the last bit."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from array import array
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import yaml

from dedupe import matching
from dedupe.comparisons import Model, load_model, street_level, text_level, victims_level
from dedupe.matching import can_matter, probability, score_pairs, score_total
from dedupe.models import DateInterval, Mention, Place
from dedupe.pair_columns import Pairs, build_columns
from dedupe.pair_levels import score_columns, sort_levels
from dedupe.people import find_names
from dedupe.vocabulary import load_vocabulary

CITY = Place("geonames:99", "Ramadi", "city", "Anbar", "IQ", 33.4, 43.3, ("admin1:IQ.01", "country:IQ"))
SITE_IN_CITY = Place("site:bridge", "Bridge", "site", "Anbar", "IQ", 33.4, 43.3,
                     ("geonames:99", "admin1:IQ.01", "country:IQ"))
OTHER_ADMIN1 = Place("admin1:IQ.07", "Baghdad", "admin1", "Baghdad", "IQ", 33.3, 44.4, ("country:IQ",))
ABROAD = Place("geonames:7", "Damascus", "city", None, "SY", 33.5, 36.3, ("country:SY",))
NO_COUNTRY = Place("site:nowhere", "Nowhere", "site")


def _day(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


EDGE_DATES = [
    DateInterval(),  # no date at all
    DateInterval(weekday=6, text="on Sunday"),
    DateInterval(month_day=(5, 8), text="On May 8"),
    DateInterval(weekday=5, month_day=(5, 8), text="Saturday, May 8"),
    DateInterval(_day("2021-06-05"), _day("2021-06-06"), "day", 5, text="late on Saturday"),  # [X, X+1]
    DateInterval(_day("2021-06-01"), _day("2021-06-30"), "month", text="in June"),
    DateInterval(_day("2020-01-01"), _day("2022-12-31"), "year", month_day=(5, 8), text="May 8"),
    DateInterval(_day("2021-05-02"), _day("2021-06-27"), "week", weekday=2, text="a Wednesday"),
    DateInterval(None, _day("2021-06-06"), "unknown", weekday=6, text="before"),
    DateInterval(_day("2021-06-06"), None, "unknown", text="after"),
    DateInterval(_day("2021-06-07"), _day("2021-06-07"), "day", text="June 7"),
    DateInterval(month_day=(2, 29), text="February 29"),
    DateInterval(_day("1999-01-01"), _day("1999-12-31"), "year", text="1999"),
    DateInterval(_day("2018-01-01"), _day("2018-12-31"), "year", text="three years ago"),
    DateInterval(_day("2019-01-01"), _day("2021-12-31"), "year", month_day=(2, 29), text="Feb 29"),
    DateInterval(_day("1900-01-01"), _day("2021-12-31"), "unknown", month_day=(5, 8), text="May 8, long ago"),
    DateInterval(_day("2021-06-01"), _day("2021-06-30"), "month", weekday=9, text="no such weekday"),
    DateInterval(_day("2021-01-01"), _day("2021-12-31"), "year", month_day=(13, 40), text="no such day"),
]


def _variant(m: Mention, n: int, same_article: bool, **changes: object) -> Mention:
    features = {**m.features, **changes.pop("features", {})}
    return dataclasses.replace(m, id=f"{m.id}-v{n}", article_id=m.article_id if same_article else f"a-v{n}",
                               features=features, **changes)


def edge_mentions(mentions: list[Mention]) -> list[Mention]:
    """The sample's mentions and variants of them: missing and odd dates, missing and nested
    places, passages of one article, empty text, publication dates, people, names, counts, crowds."""
    lead = next(m for m in mentions if m.order == 0)
    other = next(m for m in mentions if m.order > 0)
    changes: list[dict[str, object]] = [{"date": d, "features": {"explicit": {"date": explicit}}}
                                        for d in EDGE_DATES for explicit in (True, False)]
    changes += [{"place": p} for p in (None, CITY, SITE_IN_CITY, OTHER_ADMIN1, ABROAD, NO_COUNTRY)]
    changes += [
        {"place": ABROAD, "features": {"place_from_document": True}},
        {"features": {"no_content": True}},
        {"features": {"no_content": True, "passage": "Teen shot near Ain al-Asad air base"}},
        {"features": {"published": None}}, {"features": {"published": "2021-06"}},
        {"features": {"published": "2021-06-20"}}, {"features": {"published": "2023-01-01"}},
        {"features": {"people": None}}, {"features": {"people": []}},
        {"features": {"people": ["nobody"]}}, {"features": {"doc_vec": {}}},
        {"features": {"names": ["smith"], "ages": [23]}}, {"features": {"names": [], "ages": [31, 23]}},
        {"features": {"names": ["ames", "bell", "cole", "dunn", "eddy", "smith"], "ages": [1, 2, 3, 4, 5, 31]}},
        {"features": {"names": ["ames", "bell", "cole", "dunn", "eddy"], "ages": [40, 41, 42, 43, 44]}},
        {"features": {"names": ["Killed In", "Queens Woman"]}}, {"features": {"names": ["British Climber", "Killed In"]}},
        {"features": {"streets": ["Grant Street"]}}, {"features": {"streets": ["Elm Road"]}},
        {"features": {"streets": ["Ames Ave", "Bell Rd", "Cole St", "Dunn Way", "Eddy Ct", "Grant Street"]}},
        {"killed": 1, "injured": 3, "quantity": 2}, {"killed": 2, "injured": 5, "quantity": None},
        {"event_type": "other"}, {"weapon": None},
        {"features": {"crowd": 5}}, {"features": {"crowd": 8}}, {"features": {"crowd": 40}},
    ]
    out = list(mentions)
    for n, change in enumerate(changes):
        for k, source in enumerate((lead, other)):
            out.append(_variant(source, 2 * n + k, same_article=bool((n + k) % 2), **dict(change)))
    return out


@pytest.fixture(scope="module")
def model() -> Model:
    return load_model()


@pytest.fixture(scope="module")
def mentions(sample_result) -> list[Mention]:
    return edge_mentions(sample_result.mentions)


def _all_pairs(mentions: list[Mention]) -> Pairs:
    n = len(mentions)
    left, right = np.divmod(np.arange(n * n), n)
    keep = left != right
    return Pairs(left[keep], right[keep], build_columns(mentions))


def test_columns_sort_every_pair_into_the_level_its_function_names(mentions, model) -> None:
    pairs = _all_pairs(mentions)
    columns = sort_levels(pairs, model)
    assert list(columns) == list(model.comparisons)
    for name, level_of, levels, _ in model.plan:
        expected = [level_of(mentions[i], mentions[j], levels) for i, j in zip(pairs.left.tolist(), pairs.right.tolist(), strict=True)]
        got = columns[name].names()
        wrong = [(mentions[i].id, mentions[j].id, e, g)
                 for i, j, e, g in zip(pairs.left.tolist(), pairs.right.tolist(), expected, got, strict=True) if e != g]
        assert not wrong, (name, wrong[:5])
        assert len(set(expected)) > 1, name  # the edge cases reach more than one level of each


def test_columns_add_up_to_score_total_to_the_last_bit(mentions, model) -> None:
    pairs = _all_pairs(mentions)
    totals, hard, hard_weights = score_columns(pairs, model)
    names = list(model.comparisons)
    for n, (i, j) in enumerate(zip(pairs.left.tolist(), pairs.right.tolist(), strict=True)):
        total, hard_name, hard_weight = score_total(mentions[i], mentions[j], model)
        assert totals[n].tobytes() == np.float64(total).tobytes()
        assert (names[hard[n]] if hard[n] >= 0 else None) == hard_name
        assert hard_weights[n] == (hard_weight or 0.0)
    assert (hard >= 0).any() and (hard < 0).any()


def _score_pairs_one_by_one(pairs: list[tuple[int, int]], mentions: list[Mention], model: Model,
                            margin: float) -> tuple[list[tuple], Counter]:
    """score_pairs as it was, a pair at a time with score_total."""
    kept, dropped = [], Counter()
    for i, j in pairs:
        a, b = mentions[i], mentions[j]
        total, hard, hard_weight = score_total(a, b, model)
        score = round(total, 3)
        if can_matter(score, hard_weight, model, margin):
            kept.append((i, j, score, probability(score), hard, hard_weight))
        elif a.order == 0 and b.order == 0 and a.article_id != b.article_id:
            dropped[None if hard else round(score * 1000)] += 1
    return kept, dropped


@pytest.mark.parametrize("margin", [0.0, 6.0])
def test_score_pairs_keeps_what_one_pair_at_a_time_kept(mentions, model, margin, monkeypatch) -> None:
    monkeypatch.setattr(matching, "PAIR_CHUNK", 97)  # chunk edges inside the pairs
    pairs = [(i, j) for i in range(len(mentions)) for j in range(i + 1, len(mentions))]
    expected_kept, expected_dropped = _score_pairs_one_by_one(pairs, mentions, model, margin)
    for given in (iter(pairs), array("I", [x for p in pairs for x in p])):
        kept, dropped = score_pairs(given, (mentions, model, margin))
        kept.ids = [m.id for m in mentions]
        got = [(kept.left[n], kept.right[n], kept.score(n), kept.pair(n).probability, kept.hard_conflict(n),
                kept.hard_weight(n)) for n in range(len(kept))]
        assert got == expected_kept
        assert +dropped == +expected_dropped
    assert expected_dropped or margin > 0  # at the file's prior some pairs are dropped


def test_a_comparisons_file_in_another_order_adds_in_its_order(tmp_path: Path, mentions, model) -> None:
    raw = yaml.safe_load(Path(model.source).read_text())
    raw["comparisons"] = dict(reversed(list(raw["comparisons"].items())))
    del raw["comparisons"]["text"]
    raw["comparisons"]["killed"]["levels"] = [lv for lv in raw["comparisons"]["killed"]["levels"]
                                              if lv["level"] != "close"]
    edited = tmp_path / "comparisons.yml"
    edited.write_text(yaml.safe_dump(raw, sort_keys=False))
    other = load_model(edited)
    pairs = _all_pairs(mentions)
    totals, _, _ = score_columns(pairs, other)
    for n, (i, j) in enumerate(zip(pairs.left.tolist(), pairs.right.tolist(), strict=True)):
        assert totals[n].tobytes() == np.float64(score_total(mentions[i], mentions[j], other)[0]).tobytes()


def _random_date(rng: random.Random) -> DateInterval:
    start = dt.date(2019, 12, 1) + dt.timedelta(days=rng.randrange(900))
    earliest = rng.choice([None, start])
    latest = rng.choice([None, start, start + dt.timedelta(days=1), start + dt.timedelta(days=rng.randrange(40)),
                         start + dt.timedelta(days=rng.randrange(1200))])
    weekday = rng.choice([None, None, rng.randrange(7), (latest or start).weekday()])
    month_day = rng.choice([None, None, (rng.randrange(1, 13), rng.randrange(1, 29)), (2, 29), (start.month, start.day)])
    return DateInterval(earliest, latest, "day", weekday, month_day, "random")


def test_dates_in_random_intervals_fall_into_the_level_date_level_names(sample_result, model) -> None:
    rng = random.Random(7)
    source = sample_result.mentions
    mentions = [_variant(rng.choice(source), n, rng.random() < 0.2, date=_random_date(rng),
                         features={"explicit": {"date": rng.random() < 0.9}}) for n in range(300)]
    left = np.array([rng.randrange(300) for _ in range(6000)])
    right = np.array([rng.randrange(300) for _ in range(6000)])
    pairs = Pairs(left, right, build_columns(mentions))
    level_of, levels = model.plan[0][1], model.plan[0][2]
    got = sort_levels(pairs, model)["date"].names()
    expected = [level_of(mentions[i], mentions[j], levels) for i, j in zip(left.tolist(), right.tolist(), strict=True)]
    assert got == expected
    assert len(set(expected)) == 5


def test_headline_words_are_no_shared_name(sample_result) -> None:
    """Two headlines of two deaths share 'Killed In', which names no one; a real name still counts."""
    lead = next(m for m in sample_result.mentions if m.order == 0)

    def report(n: int, sentence: str) -> Mention:
        names = find_names(sentence, load_vocabulary().not_in_names)
        return _variant(lead, n, same_article=False, sentence=sentence, features={"names": names, "ages": []})

    queens = report(1, "Cops: Queens Woman Killed In Hit - And - Run")
    climber = report(2, "New Zealand: British Climber Killed In Fall")
    assert victims_level(queens, climber, []) == "unknown"
    named = report(3, "Raj Chohan Killed In Hit - And - Run")
    again = report(4, "Driver charged after Raj Chohan died")
    assert victims_level(named, again, []) == "shared_name"


def test_a_page_that_is_all_template_is_compared_by_its_headline(sample_result, model) -> None:
    """A page of template has no passage, but its headline tells the story: compared with a report
    of it, the headline is related text; without a headline the page's template is dissimilar."""
    lead = next(m for m in sample_result.mentions if m.order == 0)
    levels = next(levels for name, _, levels, _ in model.plan if name == "text")
    story = _variant(lead, 1, same_article=False, sentence="Four people were shot, one of them fatally, on a "
                     "St. Louis street on Sunday night, police said.", features={"text_lower": None})
    template = _variant(lead, 2, same_article=False, sentence="Close Get email notifications daily!",
                        features={"no_content": True, "text_lower": None})
    headline = _variant(template, 3, same_article=False,
                        features={"passage": "4 shot, one fatally, on St. Louis street"})
    assert text_level(template, story, levels) == levels[-1].level
    assert text_level(headline, story, levels) in ("near_identical", "similar", "related")


def test_streets_tell_look_alike_reports_apart(sample_result) -> None:
    lead = next(m for m in sample_result.mentions if m.order == 0)
    levels = load_model().comparisons["street"]

    def on(*streets: str) -> Mention:
        return dataclasses.replace(lead, features={**lead.features, "streets": list(streets)})

    assert street_level(on("Grant Street"), on("Elm Road", "Grant Street"), levels) == "same_street"
    assert street_level(on("Grant Street"), on("Elm Road"), levels) == "different_streets"
    assert street_level(on("Grant Street"), on(), levels) == "unknown"
    model = load_model()
    assert model.weight("street", "different_streets").weight < 0 < model.weight("street", "same_street").weight
