"""Counting the people a list names (dedupe.victim_lists)."""

from __future__ import annotations

import pytest

from dedupe.victim_lists import LIST_SPLIT, count_items, count_killer_and_victims, named_victims
from dedupe.vocabulary import load_vocabulary


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary()


@pytest.mark.parametrize(("phrase", "people"), [
    ("a man and two children", 3),
    ("his wife, two sons and a 3-year-old", 4),
    ("Two people, a 14-year-old and an 18-year-old", 2),  # the two, then who they were
])
def test_a_list_counts_each_person_it_names(vocab, phrase: str, people: int) -> None:
    assert count_items(LIST_SPLIT.split(phrase), vocab) == people


def test_a_plural_without_its_number_is_no_count(vocab) -> None:
    assert count_items(LIST_SPLIT.split("a man and children"), vocab) is None


def test_one_person_is_a_list_only_when_asked_for(vocab) -> None:
    assert count_items(["his wife"], vocab) is None
    assert count_items(["his wife"], vocab, least=1) == 1


def test_words_of_when_or_how_after_the_last_person_are_cut(vocab) -> None:
    assert named_victims("his two sons Friday morning", vocab) == "his two sons"
    assert named_victims("his daughter dead", vocab) == "his daughter"
    # A clause after the person is kept whole: it is not an adverbial.
    assert named_victims("his wife who barricaded herself", vocab) == "his wife who barricaded herself"


def test_the_killer_who_died_is_counted_with_the_victims(vocab) -> None:
    assert count_killer_and_victims("He killed his wife and two sons, then himself.", vocab) == 4
    assert count_killer_and_victims("He shot his wife and two sons.", vocab) is None
