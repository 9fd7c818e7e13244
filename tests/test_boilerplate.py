"""Corpus boilerplate: site templates, not wire copies."""

from __future__ import annotations

from dedupe.boilerplate import content_text, mark_boilerplate
from tests.helpers import make_article

TEMPLATE = "We have sent you a verification email, please check your inbox and click the link to activate it."


def article(n: int, published: str, body: str, title: str) -> object:
    a = make_article(f"Line {n} of story {title}.\n{body}\nA man was shot on Main Street number {n}.", published)
    a.title = title
    return a


def test_template_lines_across_months_are_marked() -> None:
    arts = [article(i, f"2016-{i + 1:02d}-10", TEMPLATE, f"headline {i}") for i in range(5)]
    mark_boilerplate(arts)
    for a in arts:
        (span,) = a.boilerplate
        assert a.text[span[0]:span[1]] == TEMPLATE
        assert len(content_text(a).split()) < len(a.text.split())


def test_template_with_names_filled_in_is_still_a_template() -> None:
    arts = [article(i, f"2016-{i + 1:02d}-10",
                    f"Close get email notifications on Reporter{'ABCDE'[i]} Smith daily when they publish new stories",
                    f"headline {i}") for i in range(5)]
    mark_boilerplate(arts)
    assert all(len(a.boilerplate) == 1 for a in arts)


def test_a_wire_story_carried_in_one_week_is_not_boilerplate() -> None:
    wire = "Two drones were shot down over the air base on Sunday, the military said in a statement today."
    arts = [article(i, f"2021-06-0{i + 6}", wire, f"outlet {i} headline") for i in range(5)]
    mark_boilerplate(arts)
    assert all(a.boilerplate == [] for a in arts)


def test_few_articles_are_never_boilerplate() -> None:
    arts = [article(i, f"2016-{i + 1:02d}-10", TEMPLATE, f"headline {i}") for i in range(3)]
    assert mark_boilerplate(arts) == 0
