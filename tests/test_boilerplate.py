"""Corpus boilerplate: site templates, not wire copies."""

from __future__ import annotations

from dedupe.boilerplate import content_text, mark_boilerplate
from tests.helpers import make_article

STORIES = [  # each article's own story, long enough that the page is more than its template
    "Officers found him near the river bridge after neighbours heard three loud bangs and called for help.",
    "The victim walked into a clinic downtown with a wound to his arm and told staff he had been robbed.",
    "Detectives are asking anyone with doorbell camera footage from the block to contact the precinct.",
    "Firefighters arrived first and treated him at the curb before paramedics drove him to the trauma unit.",
    "His sister said he had been waiting for a bus to work when a car slowed down beside the shelter.",
]
TEMPLATE = "We have sent you a verification email, please check your inbox and click the link to activate it."


def article(n: int, published: str, body: str, title: str) -> object:
    a = make_article(f"Line {n} of story {title}.\n{body}\nA man was shot on Main Street number {n}.\n{STORIES[n]}",
                     published)
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


SIGN_IN = ["Welcome back. Please sign in", "By submitting your registration information, you agree to our Terms "
           "of Service and Privacy Policy.", "Already have an account?"]


def test_short_lines_are_template_only_beside_template_lines() -> None:
    # 'Welcome back. Please sign in' is too short to judge alone, but it sits on a template line.
    arts = [make_article(f"{SIGN_IN[0]}\n{SIGN_IN[1]}\n\nA woman was shot. {STORIES[i]}\nNo arrests have been made.",
                         f"2016-{i + 1:02d}-10") for i in range(5)]
    for i, a in enumerate(arts):
        a.title = f"headline {i}"
    mark_boilerplate(arts)
    for a in arts:
        marked = [a.text[s:e] for s, e in a.boilerplate]
        assert marked == SIGN_IN[:2]  # the shared 'No arrests' line is the story's own: no template beside it
        assert "No arrests" in content_text(a)


def test_a_page_that_is_all_template_is_marked_whole() -> None:
    arts = [make_article(f"Sign in using your station{i} profile\n\n" + "\n\n".join(SIGN_IN), f"2016-{i + 1:02d}-10")
            for i in range(5)]
    for i, a in enumerate(arts):
        a.title = f"headline {i}"
    mark_boilerplate(arts)
    assert all(content_text(a).strip() == "" for a in arts)
