"""Scanning text for place names (dedupe.place_scan): readings cached and reused."""

from __future__ import annotations

import re

import pytest

from dedupe.place_reading import lines_cut
from dedupe.places import Gazetteer


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return Gazetteer.default()


def texts(g: Gazetteer, text: str, context: str | None = None) -> list[str]:
    return [h.text for h in g.find_places(text, context)]


@pytest.mark.parametrize("title, text", [
    ("Man shot in Akron, Ohio", "AKRON, Ohio — Police said a man was shot Tuesday in Akron."),
    ("Shooting in Akron,", "Ohio police said two men were hurt."),  # 'Akron,\nOhio' reaches across
    ("JACKSON, Tenn", ""),
    ("", "KANSAS CITY, Mo. — A St. Louis man's car"),
])
def test_title_and_text_read_as_one_text_whatever_was_read_first(title: str, text: str) -> None:
    def reading(g: Gazetteer, whole: str) -> tuple[object, ...]:
        r = g._read(whole)
        return r.toks, r.joins, r.spans, r.patterns, r.starts, r.raw_ends

    fresh, joined = Gazetteer.load(), Gazetteer.load()
    joined._read(text)  # then the title's line is read and the text's reading joined to it
    assert reading(joined, f"{title}\n{text}") == reading(fresh, f"{title}\n{text}")


def test_a_text_without_its_template_lines_reads_as_the_text_read_afresh(g: Gazetteer) -> None:
    # An article's content (its text without boilerplate lines) takes its reading from the
    # article's: the same tokens, spans and 'City, State' patterns as a reading of its own.
    text = ("DECATUR, Ill. — A man was shot Friday near Springfield, Illinois.\n"
            "Sign up for our newsletter for breaking news from Chicago, Ill.\n"
            "Police said the gunman fled toward Peoria in a St. Louis-bound car.\n"
            "Copyright Decatur Herald, all rights reserved")
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    cuts = [lines[1], lines[3]]
    content = text[: cuts[0][0]] + text[cuts[0][1] : cuts[1][0]] + text[cuts[1][1] :]
    assert not lines_cut(text, [(lines[1][0] + 1, lines[1][1])])  # not a whole line: read afresh
    g.read_ahead(content, text, cuts)
    carried = g._readings.pop(content)
    fresh = g._read(content)
    assert carried[:6] == fresh[:6] and carried.toks
    assert [t.raw for t in carried.toks[:3]] == ["DECATUR", "Ill", "A"]
    assert texts(g, content, content) == ["DECATUR, Ill.", "Springfield, Illinois", "Peoria", "St. Louis"]
