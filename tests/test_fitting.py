"""Weight fitting from labelled pairs."""

from __future__ import annotations

from pathlib import Path

from dedupe.comparisons import load_model
from dedupe.fitting import apply_weights, fit_weights, rewrite_file
from tests.helpers import OTHER_SITE, day, make_mention

MODEL = load_model()


def corpus(n_same: int, n_other: int) -> list:
    same = [(make_mention(f"a{i}", f"x{i}", date=day("2021-06-06")),
             make_mention(f"b{i}", f"y{i}", date=day("2021-06-06")), True) for i in range(n_same)]
    other = [(make_mention(f"c{i}", f"z{i}", date=day("2021-06-06")),
              make_mention(f"d{i}", f"w{i}", date=day("2021-06-09"), place=OTHER_SITE), False)
             for i in range(n_other)]
    return same + other


def test_levels_seen_with_matches_gain_weight_and_rare_levels_stay_near_the_prior() -> None:
    fitted = fit_weights([corpus(200, 200)], MODEL)
    hand = {lv.level: lv.weight for lv in MODEL.comparisons["place"]}
    assert fitted["place"]["same"] > 0 and fitted["place"]["different"] < 0
    # 'same_admin1' never occurs: its weight stays the hand-set one.
    assert fitted["place"]["same_admin1"] == hand["same_admin1"]


def test_each_corpus_has_an_equal_voice() -> None:
    small, big = corpus(5, 5), corpus(500, 5)
    both = fit_weights([small, big], MODEL)["place"]["same"]
    pooled = fit_weights([small + big], MODEL)["place"]["same"]
    assert both != pooled


def test_rewrite_keeps_comments_and_changes_numbers(tmp_path: Path) -> None:
    path = tmp_path / "comparisons.yml"
    path.write_text(Path(MODEL.source).read_text())
    fitted = fit_weights([corpus(50, 50)], MODEL)
    rewrite_file(path, fitted, prior=-1.5, threshold=2.0, sources=["train.jsonl"])
    text = path.read_text()
    assert text.startswith("# Weights fitted by")
    assert "# How two mentions are compared" in text
    reloaded = load_model(path)
    assert reloaded.prior == -1.5 and reloaded.link_threshold == 2.0
    assert reloaded.weight("place", "same").weight == fitted["place"]["same"]
    assert apply_weights(MODEL, fitted, -1.5, 2.0).weight("place", "same").weight == fitted["place"]["same"]


def test_refitting_on_the_same_corpora_gives_the_same_weights(tmp_path: Path) -> None:
    # Levels seen rarely shrink towards their start, not towards the last fit: without a start
    # written down, a second fit would move them again on the very same pairs.
    path = tmp_path / "comparisons.yml"
    path.write_text(Path(MODEL.source).read_text())
    pairs = [corpus(3, 40)]
    first = fit_weights(pairs, MODEL)
    rewrite_file(path, first, prior=-1.5, threshold=2.0, sources=["train.jsonl"])
    once = load_model(path)
    moved = [(name, lv.level) for name, levels in MODEL.comparisons.items() for lv in levels
             if once.weight(name, lv.level).weight != lv.weight]
    assert moved
    assert all(once.weight(name, level).start == MODEL.weight(name, level).weight
               for name, levels in first.items() for level in levels)
    second = fit_weights(pairs, once)
    assert second == first
    rewrite_file(path, second, prior=-1.5, threshold=2.0, sources=["train.jsonl"])
    assert path.read_text().count("start:") == sum(len(levels) for levels in first.values())
    assert load_model(path).comparisons == once.comparisons


def test_the_crowd_weights_are_left_as_set_by_hand(tmp_path: Path) -> None:
    # Crowded reports that are all one incident would teach the opposite of what density means.
    pairs = corpus(50, 50)
    for a, b, same in pairs:
        a.features["crowd"] = b.features["crowd"] = 40 if same else 0
    fitted = fit_weights([pairs], MODEL)
    assert "crowd" not in fitted
    path = tmp_path / "comparisons.yml"
    path.write_text(Path(MODEL.source).read_text())
    rewrite_file(path, fitted, prior=-1.5, threshold=2.0, sources=["train.jsonl"])
    reloaded = load_model(path)
    assert reloaded.comparisons["crowd"] == MODEL.comparisons["crowd"]
    assert reloaded.crowd_days == MODEL.crowd_days
    assert apply_weights(MODEL, fitted, -1.5, 2.0).crowd_days == MODEL.crowd_days
