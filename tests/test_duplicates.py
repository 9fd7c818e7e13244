"""Copies among the inputs: whole and partial wire copies are found, look-alike reports and shared
footers are not, and the canonical copy does not depend on input order."""

import random
from dataclasses import replace

from dedupe.articles import parse_article
from dedupe.duplicates import duplicate_pairs, find_duplicates
from dedupe.models import Article
from dedupe.published import parse_date_text
from tests.helpers import make_article, sample_article, txt


def all_samples() -> list[Article]:
    return [sample_article(p) for p in ("000", "001", "002", "003", "004")]


def test_partial_wire_copy_000_001_is_a_duplicate():
    a000, a001 = sample_article("000"), sample_article("001")
    # 000 is dated (2021-06), 001 undated: the dated one is the canonical copy
    assert find_duplicates([a000, a001]) == {a001.id: a000.id}
    (pair,) = duplicate_pairs([a000, a001])
    assert 0.35 <= pair.containment <= 0.45


def test_similar_reports_of_same_event_are_not_duplicates():
    a000, a002 = sample_article("000"), sample_article("002")
    assert find_duplicates([a000, a002]) == {}
    assert find_duplicates([sample_article("003"), sample_article("004")]) == {}


def test_samples_only_000_001():
    arts = all_samples()
    assert find_duplicates(arts) == {arts[1].id: arts[0].id}


def test_duplicates_do_not_depend_on_input_order():
    arts = all_samples()
    near = replace(arts[0], id="f" * 16, published="2021-05", published_interval=parse_date_text("2021-05")[0])
    arts.append(near)  # same text, earlier date, larger id -> becomes the canonical copy
    expected = find_duplicates(arts)
    assert expected == {arts[0].id: "f" * 16, arts[1].id: "f" * 16}
    rng = random.Random(1)
    for _ in range(5):
        shuffled = arts[:]
        rng.shuffle(shuffled)
        assert find_duplicates(shuffled) == expected


def test_canonical_is_earliest_then_smallest_id():
    body = sample_article("000").text
    edited = body.replace("Iran has denied the accusations.", "Tehran denies this.")
    late, _ = parse_article(txt("Publish Date : 20 June 2021\n\n" + body))
    early, _ = parse_article(txt("Publish Date : 07 June 2021\n\n" + edited))
    assert late.id != early.id
    assert find_duplicates([late, early]) == {late.id: early.id}
    undated_a, _ = parse_article(txt(body))
    undated_b, _ = parse_article(txt(edited))
    lo, hi = sorted([undated_a.id, undated_b.id])
    assert find_duplicates([undated_a, undated_b]) == {hi: lo}


def test_identical_ids_never_map_to_themselves_and_marked_copies_skipped():
    a = sample_article("000")
    assert find_duplicates([a, replace(a)]) == {}
    copy = replace(sample_article("001"), duplicate_of="elsewhere")
    assert find_duplicates([a, copy]) == {}


def test_shared_boilerplate_footer_is_not_duplication():
    footer = (
        "Copyright 2016 Example Broadcasting Inc. All rights reserved. This material may not be published, "
        "broadcast, rewritten or redistributed. Anyone with information is asked to call Crime Stoppers "
        "at 555-0100; tipsters can remain anonymous and may be eligible for a reward."
    )
    arts = []
    for i in range(8):
        story = " ".join(f"w{i}x{j}" for j in range(60))
        a, _ = parse_article(txt(f"Story {i}. {story}\n\n{footer}"))
        arts.append(a)
    assert find_duplicates(arts) == {}


def test_tiny_texts_need_more_than_a_phrase():
    a, _ = parse_article(txt("Police said the shooting is under investigation."))
    b, _ = parse_article(
        txt("A man was shot on Main Street. Police said the shooting is under investigation.")
    )
    assert find_duplicates([a, b]) == {}


def test_a_story_in_more_articles_than_dense_postings_is_still_grouped(monkeypatch) -> None:
    # Past DENSE_POSTINGS a 5-gram counts only for neighbouring articles in its list; copies of
    # one story share all their 5-grams, so every copy still joins the group.
    import dedupe.duplicates as dup

    monkeypatch.setattr(dup, "DENSE_POSTINGS", 3)
    monkeypatch.setattr(dup, "DENSE_NEIGHBOURS", 1)
    story = " ".join(f"word{i} follows word{i + 1} in the wire copy number {i}." for i in range(12))
    copies = [make_article(f"{story} Filed by outlet {n} at its desk today.") for n in range(8)]
    groups = dup.find_duplicates(copies)
    assert len(groups) == 7 and len(set(groups.values())) == 1


def test_five_grams_differing_in_a_repeated_word_are_different() -> None:
    # The hash must not cancel a repeated word: "aa aa x y z" and "bb bb x y z" are two 5-grams.
    from dedupe.duplicates import _shingles

    ids: dict[str, int] = {}
    first, second = _shingles("aa aa x y z", ids), _shingles("bb bb x y z", ids)
    assert len(first) == len(second) == 1 and first[0] != second[0]
    assert len(_shingles("x y z x y z x y z", ids)) == 3  # a repeated 5-gram counts once
    assert len(_shingles("Two words", ids)) == 1 and len(_shingles("", ids)) == 0


def test_pairs_match_the_set_definition_on_random_texts(monkeypatch) -> None:
    # The flat-array index must decide exactly as the definition on sets of 5-grams: shared
    # count, document-frequency weights, dense posting lists limited to the next neighbours.
    import math
    from collections import defaultdict

    import dedupe.duplicates as dup
    from dedupe.boilerplate import content_text

    rng = random.Random(7)
    phrases = [" ".join(f"p{k}w{j}" for j in range(rng.randint(6, 40))) for k in range(40)]
    texts = []
    for _ in range(120):
        parts = [rng.choice(phrases[: rng.choice((8, 40))]) for _ in range(rng.randint(1, 5))]
        parts += [" ".join(f"u{rng.randint(0, 50)}" for _ in range(rng.randint(0, 30)))]
        rng.shuffle(parts)
        texts.append(". ".join(parts))
    arts = [make_article(t) for t in texts]
    by_id = dup._unique_by_id(arts)
    ids = sorted(by_id)

    def grams(text: str) -> set[tuple[str, ...]]:
        words = dup._WORD.findall(dup.normalise_text(text))
        words += [""] * (5 - len(words)) if 0 < len(words) < 5 else []
        return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}

    sets = [grams(content_text(by_id[i])) for i in ids]
    postings: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for n, s in enumerate(sets):
        for g in s:
            postings[g].append(n)
    weight = {g: min(1.0, 5 / len(d)) for g, d in postings.items() if len(d) <= 20}
    expected = set()
    for n, s in enumerate(sets):
        count: dict[int, int] = defaultdict(int)
        shared: dict[int, float] = defaultdict(float)
        for g in s & weight.keys():
            d = postings[g]
            later = d[d.index(n) + 1 :]
            for o in later if len(d) <= 6 else later[:3]:
                count[o] += 1
                shared[o] += weight[g]
        for o, c in count.items():
            small = min(sum(1 for g in sets[n] if g in weight), sum(1 for g in sets[o] if g in weight))
            size = min(sum(weight.get(g, 0) for g in sets[n]), sum(weight.get(g, 0) for g in sets[o]))
            if c >= max(8, min(30, math.ceil(0.9 * small))) and shared[o] / max(size, 1e-9) >= 0.3:
                expected.add((ids[n], ids[o], c))
    monkeypatch.setattr(dup, "MAX_SHINGLE_POSTINGS", 20)
    monkeypatch.setattr(dup, "DENSE_POSTINGS", 6)
    monkeypatch.setattr(dup, "DENSE_NEIGHBOURS", 3)
    found = {(p.left, p.right, p.shared) for p in dup.duplicate_pairs(arts)}
    monkeypatch.setattr(dup, "DENSE_POSTINGS", 1000)  # the neighbour limit must have mattered
    unlimited = {(p.left, p.right, p.shared) for p in dup.duplicate_pairs(arts)}
    assert found == expected and len(found) > 10 and unlimited != found
