"""Clustering resists chains and honours cannot-links."""

from __future__ import annotations

import datetime as dt

from dedupe.clustering import cluster_mentions, label_decisions
from dedupe.comparisons import load_model
from dedupe.matching import match_mentions, score_pair
from dedupe.models import DateInterval, PairScore
from tests.helpers import day, make_mention

MODEL = load_model()


def score(a, b):
    return score_pair(a, b, MODEL)


def test_chain_through_an_undated_report_does_not_merge_two_dated_incidents() -> None:
    # A (June) ~ B (undated) ~ C (January): B may join one of them, never both.
    a = make_mention("a", "x1", date=day("2021-06-06"), quantity=2)
    b = make_mention("b", "x2", quantity=2)
    c = make_mention("c", "x3", date=day("2022-01-04"), quantity=2)
    pairs = match_mentions([a, b, c], MODEL)
    clusters = cluster_mentions([a, b, c], pairs, MODEL.link_threshold, score)
    assert ["a", "c"] not in clusters and not any({"a", "c"} <= set(cl) for cl in clusters)


def test_weekday_constraints_accumulate_over_the_cluster() -> None:
    # Each pair is compatible on its own; all three together are not (Sunday and Monday).
    a = make_mention("a", "x1", date=DateInterval(weekday=6, text="Sunday"))
    b = make_mention("b", "x2", date=DateInterval(dt_lo := None, None, "unknown"))
    c = make_mention("c", "x3", date=DateInterval(weekday=0, text="Monday"))
    assert dt_lo is None
    pairs = [PairScore("a", "b", 10.0, 1.0, {}), PairScore("b", "c", 9.0, 1.0, {})]
    clusters = cluster_mentions([a, b, c], pairs, 0.0, score)
    assert not any({"a", "c"} <= set(cl) for cl in clusters)


def test_a_bare_year_does_not_keep_a_report_from_its_incident() -> None:
    # 'Convicted in 1999, the inmate escaped ...' read as dated 1999: its day-dated incident
    # takes it (no cannot-link, no clash of the cluster's dates); 'three years ago' still clashes.
    year = DateInterval(dt.date(1999, 1, 1), dt.date(1999, 12, 31), "year", text="1999")
    ago = DateInterval(dt.date(2018, 1, 1), dt.date(2018, 12, 31), "year", text="three years ago")
    a = make_mention("a", "x1", date=day("2021-06-06"), quantity=2)
    b = make_mention("b", "x2", date=year, quantity=2)
    c = make_mention("c", "x3", date=ago, quantity=2)
    assert score(a, b).hard_conflict is None and score(a, c).hard_conflict == "date"
    pairs = [PairScore("a", "b", 10.0, 1.0, {}), PairScore("a", "c", 10.0, 1.0, {})]
    clusters = cluster_mentions([a, b, c], pairs, 0.0, score)
    assert ["a", "b"] in clusters and ["c"] in clusters
    # Two passages of one article: the year is a background incident's.
    assert score(a, make_mention("d", "x1", date=year, quantity=2)).hard_conflict == "date"


def test_average_linkage_needs_support_from_all_members() -> None:
    a, b, c = (make_mention(x, f"art{x}", date=day("2021-06-06")) for x in "abc")
    strong = [PairScore("a", "b", 20.0, 1.0, {}), PairScore("b", "c", 1.0, 0.6, {})]

    def weak(x, y):
        return PairScore(min(x.id, y.id), max(x.id, y.id), -30.0, 0.0, {})

    clusters = cluster_mentions([a, b, c], strong, 0.0, weak)
    assert ["a", "b"] in clusters and ["c"] in clusters


def test_cannot_link_pairs_never_merge_and_decisions_are_labelled() -> None:
    a = make_mention("a", "x1", date=day("2021-06-06"))
    b = make_mention("b", "x2", date=day("2021-06-06"))
    c = make_mention("c", "x3", date=day("2021-07-06"))
    pairs = match_mentions([a, b, c], MODEL)
    clusters = cluster_mentions([a, b, c], pairs, MODEL.link_threshold, score)
    label_decisions(pairs, clusters)
    decisions = {(p.left_id, p.right_id): p.decision for p in pairs}
    assert decisions[("a", "b")] == "merged"
    assert decisions[("a", "c")] == "cannot-link"


def test_clusters_do_not_depend_on_input_order() -> None:
    ms = [make_mention(f"m{i}", f"a{i}", date=day("2021-06-0" + str(1 + i % 2)), quantity=1 + i % 2)
          for i in range(6)]
    one = cluster_mentions(ms, match_mentions(ms, MODEL), MODEL.link_threshold, score)
    rev = list(reversed(ms))
    two = cluster_mentions(rev, match_mentions(rev, MODEL), MODEL.link_threshold, score)
    assert one == two


def test_each_pair_of_articles_counts_once_in_the_linkage() -> None:
    # Article 2 has three passages; only its first reports what article 1 reports. Averaged
    # passage by passage, its two asides (-5 each) outvote article 3's support; averaged by
    # article pair (article 2's passages by their mean, then article 3), the reports merge.
    x = make_mention("x", "art1")
    y1, y2, y3 = (make_mention(f"y{i}", "art2") for i in (1, 2, 3))
    y2.order, y3.order = 1, 2
    z = make_mention("z", "art3")
    known = {("y1", "y2"): 9.0, ("y1", "y3"): 9.0, ("y2", "y3"): 9.0, ("y1", "z"): 8.0, ("y2", "z"): 8.0,
             ("y3", "z"): 8.0, ("x", "y1"): 5.0, ("x", "y2"): -5.0, ("x", "y3"): -5.0, ("x", "z"): 3.0}
    pairs = [PairScore(a, b, s, 1.0, {}) for (a, b), s in known.items()]
    clusters = cluster_mentions([x, y1, y2, y3, z], pairs, 0.0, score)
    assert clusters == [["x", "y1", "y2", "y3", "z"]]


def _two_articles(aside: float) -> list[list[str]]:
    """Article 1's lead x; article 2's lead y1 and its two asides, which score `aside` against x."""
    x = make_mention("x", "art1")
    y1, y2, y3 = (make_mention(f"y{i}", "art2") for i in (1, 2, 3))
    y2.order, y3.order = 1, 2
    known = {("y1", "y2"): 9.0, ("y1", "y3"): 9.0, ("y2", "y3"): 9.0,
             ("x", "y1"): 4.0, ("x", "y2"): aside, ("x", "y3"): aside}
    pairs = [PairScore(a, b, s, 1.0, {}) for (a, b), s in known.items()]
    return cluster_mentions([x, y1, y2, y3], pairs, 0.0, score)


def test_two_articles_are_weighed_by_their_lead_reports() -> None:
    # An article's lead report is what it is about; its asides (background, what followed) read
    # poorly against another article's lead for reasons that say nothing about whether the two
    # report one incident. The mean of all four passage pairs (4, -9, -9) would keep them apart.
    assert _two_articles(aside=-9.0) == [["x", "y1", "y2", "y3"]]


def test_without_its_lead_an_article_is_weighed_by_the_passages_there() -> None:
    # Article 2's lead is not among these mentions: its two asides, by their mean (1 and -3), are
    # all the evidence there is for the pair of articles, and it is not enough.
    x = make_mention("x", "art1")
    y2, y3 = (make_mention(f"y{i}", "art2") for i in (2, 3))
    y2.order, y3.order = 1, 2
    known = {("y2", "y3"): 9.0, ("x", "y2"): 1.0, ("x", "y3"): -3.0}
    pairs = [PairScore(a, b, s, 1.0, {}) for (a, b), s in known.items()]
    assert cluster_mentions([x, y2, y3], pairs, 0.0, score) == [["x"], ["y2", "y3"]]


def test_scored_rows_cluster_and_are_labelled_as_their_pair_scores() -> None:
    from dedupe.matching import link_pairs, score_slim

    ms = [make_mention(f"m{i}", f"a{i % 7}", date=day("2021-06-0" + str(1 + i % 3)), quantity=1 + i % 2)
          for i in range(14)]
    model, table = link_pairs(ms, MODEL)
    listed = [table.pair(n) for n in range(len(table))]
    assert len(table) > 20 and any(p.hard_conflict for p in listed)

    def slim(a, b):
        return score_slim(a, b, model)

    clusters = cluster_mentions(ms, table, model.link_threshold, slim)
    assert clusters == cluster_mentions(ms, listed, model.link_threshold, slim)
    label_decisions(table, clusters)
    label_decisions(listed, clusters)
    assert table.decisions == [p.decision for p in listed] and "merged" in table.decisions


def test_scored_rows_are_found_and_added_in_row_order() -> None:
    from dedupe.models import ScoredPairs

    ids = ["m0", "m1", "m2", "m3"]
    table = ScoredPairs.of([PairScore("m0", "m2", 1.0, 0.5, {}), PairScore("m2", "m3", -4.0, 0.1,
                                                                          {"date": {"weight": -8.0}}, "date")], ids)
    table.add(0, 1, PairScore("m0", "m1", 2.0, 0.7, {}))
    table.add(1, 3, PairScore("m1", "m3", 3.0, 0.8, {}))
    assert list(zip(table.left, table.right, strict=True)) == [(0, 1), (0, 2), (1, 3), (2, 3)]
    starts = table.row_starts()
    assert [table.find(i, j, starts) for i, j in [(1, 0), (0, 2), (3, 1), (3, 2), (0, 3), (1, 2)]] == [0, 1, 2, 3, -1, -1]
    # A row keeps the score; its probability is the score's (1 / (1 + 2^4)), not the one given.
    assert table.pair(3) == PairScore("m2", "m3", -4.0, 0.0588, {"date": {"weight": -8.0}}, "date")
    table.decisions[3] = "cannot-link"
    kept = table.compress([True, False, False, True])
    assert kept.key(1) == ("m2", "m3") and kept.decisions == [None, "cannot-link"]
    assert table.take([3, 0]).pair(0) == table.pair(3)


def test_pairs_scored_many_at_once_are_the_pairs_scored_one_by_one(monkeypatch) -> None:
    import numpy as np

    from dedupe import clustering
    from dedupe.matching import link_pairs, score_many, score_slim

    ms = [make_mention(f"m{i:02d}", f"a{i % 9}", date=day("2021-06-0" + str(1 + i % 3)), quantity=1 + i % 2)
          for i in range(27)]
    model, table = link_pairs(ms, MODEL)
    many = score_many(ms, model)
    left, right = np.array([i for i in range(27) for _ in range(27)]), np.array(list(range(27)) * 27)
    keep = left < right
    one_by_one = [None if (p := score_slim(ms[i], ms[j], model)).hard_conflict else p.score
                  for i, j in zip(left[keep].tolist(), right[keep].tolist(), strict=True)]
    assert many(left[keep], right[keep]) == one_by_one and None in one_by_one

    def slim(a, b):
        return score_slim(a, b, model)

    asked = []

    def counted(a, b):
        asked.append(len(a))
        return many(a, b)

    # Some pairs left out, as blocking leaves them: average linkage scores them as it needs them.
    given = [p for p in (table.pair(n) for n in range(len(table))) if (int(p.left_id[1:]) + int(p.right_id[1:])) % 4]
    alone = cluster_mentions(ms, given, model.link_threshold, slim)
    monkeypatch.setattr(clustering, "SCORE_MANY", 1)  # every merge's unscored pairs at once
    assert cluster_mentions(ms, given, model.link_threshold, slim, score_many=counted) == alone
    assert any(len(c) > 2 for c in alone) and sum(asked) > 0
