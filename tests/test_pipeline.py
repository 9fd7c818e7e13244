"""pipeline's glue: the values extraction's chunks bring back are shared, not copied."""

from __future__ import annotations

import copy

from dedupe.models import TermMap
from dedupe.pipeline import share_terms, share_values
from tests.helpers import day, make_mention


def test_equal_values_from_different_chunks_become_one_object() -> None:
    # Each worker's chunk comes back pickled: equal places, dates and flags, but separate objects.
    first = make_mention("m1", "a1", date=day("2021-06-06"), published="2021-06-07")
    second = copy.deepcopy(make_mention("m2", "a2", date=day("2021-06-06"), published="2021-06-07"))
    assert second.place is not first.place and second.features["explicit"] is not first.features["explicit"]
    values: dict[object, object] = {}
    for m in (first, second):
        share_values(m, values)
    assert second.place is first.place and second.date is first.date
    assert second.features["explicit"] is first.features["explicit"]
    assert second.features["published"] is first.features["published"]
    # flags that differ stay apart, each with its own values
    third = make_mention("m3", "a3", explicit_date=False, date=day("2021-06-06"))
    share_values(third, values)
    assert third.features["explicit"] is not first.features["explicit"]
    assert third.features["explicit"]["date"] is False and first.features["explicit"]["date"] is True


def test_document_terms_share_one_copy_of_each_word() -> None:
    a, b = make_mention("m1", "a1"), make_mention("m2", "a2")
    a.features["doc_terms"] = TermMap([("".join(["dro", "ne"]), 2)], "I")
    b.features["doc_terms"] = TermMap([("".join(["dr", "one"]), 1)], "I")
    assert a.features["doc_terms"].terms[0] is not b.features["doc_terms"].terms[0]
    terms: dict[str, str] = {}
    share_terms(a, terms)
    share_terms(b, terms)
    assert a.features["doc_terms"].terms[0] is b.features["doc_terms"].terms[0]
    assert dict(b.features["doc_terms"].items()) == {"drone": 1}
