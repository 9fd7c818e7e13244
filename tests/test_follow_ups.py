"""Days of what followed an incident only bound it (dedupe.follow_ups)."""

from __future__ import annotations

import datetime as dt

from dedupe.dates import find_dates
from dedupe.follow_ups import bound_follow_up_dates, distance_to_incident_word
from dedupe.models import DateInterval
from dedupe.vocabulary import load_vocabulary

PUBLISHED = DateInterval(dt.date(2016, 3, 12), dt.date(2016, 3, 12), "day")  # a Saturday


def read(text: str) -> list[tuple[dt.date | None, dt.date | None]]:
    vocab = load_vocabulary()
    dates = bound_follow_up_dates(text, find_dates(text, PUBLISHED), vocab, vocab.event_types.find(text))
    return [(d.interval.earliest, d.interval.latest) for d in dates]


def test_a_day_told_for_a_death_only_bounds_the_shooting() -> None:
    assert read("The man who was shot in Akron died Thursday.") == [(None, dt.date(2016, 3, 10))]


def test_the_day_of_the_shooting_itself_dates_it_and_comes_first() -> None:
    assert read("A man was shot Thursday in Akron and died Friday.") == [
        (dt.date(2016, 3, 10), dt.date(2016, 3, 10)), (None, dt.date(2016, 3, 11))]


def test_a_day_between_a_follow_up_and_in_the_shooting_is_the_follow_ups() -> None:
    # 'in the shooting' attaches to the verb before the day, not to the day.
    assert read("Police identified a man Thursday in the shooting of a teenager.") == [(None, dt.date(2016, 3, 10))]


def test_a_day_is_far_from_an_incident_word_an_arrest_stands_between() -> None:
    vocab = load_vocabulary()
    text = "Police charged a man Monday in the Saturday shooting."
    monday, saturday = find_dates(text, PUBLISHED)
    assert distance_to_incident_word(text, saturday, vocab) < distance_to_incident_word(text, monday, vocab)


def test_a_follow_ups_weekday_in_an_undated_article_claims_no_day() -> None:
    # Kept, 'Saturday' would forbid the reports that date the blast by its own day, 'late Friday'.
    vocab = load_vocabulary()
    text = "A bomb explosion at a bank killed a police officer, officials said Saturday."
    dates = bound_follow_up_dates(text, find_dates(text, DateInterval()), vocab, vocab.event_types.find(text))
    assert [(d.interval.weekday, d.interval.earliest, d.interval.latest) for d in dates] == [(None, None, None)]


def test_the_incidents_own_weekday_in_an_undated_article_stays() -> None:
    vocab = load_vocabulary()
    text = "A bomb exploded late Friday at a Woodburn bank, killing two officers."
    dates = bound_follow_up_dates(text, find_dates(text, DateInterval()), vocab, vocab.event_types.find(text))
    assert [d.interval.weekday for d in dates] == [4]


def test_a_day_after_a_lost_job_only_bounds_the_shooting_from_below() -> None:
    # The firing came before the shooting: 'last week' must not clash with the reports' 'Monday'.
    assert read("A man who was fired last week walked into his old office with a shotgun and killed a manager.") == [
        (dt.date(2016, 2, 28), None)]


def test_shots_fired_on_a_day_are_the_shooting() -> None:
    assert read("Shots were fired Thursday on Main Street.") == [(dt.date(2016, 3, 10), dt.date(2016, 3, 10))]


def test_a_closing_attribution_in_a_statement_reports_the_clause_before() -> None:
    # ', the military said in a statement' tells who reported the downing, not a later day.
    assert read("Two drones were shot down over an air base on Thursday, the military said in a statement.") == [
        (dt.date(2016, 3, 10), dt.date(2016, 3, 10))]



def test_a_closing_according_to_names_who_reported_the_clause_before() -> None:
    # ', according to the Marion County Sheriff's Department.' ends the sentence with its source.
    assert read("A child was shot in the leg on Wednesday night, according to the Marion County Sheriff's "
                "Department.") == [(dt.date(2016, 3, 9), dt.date(2016, 3, 10))]


def test_according_to_with_a_long_tail_is_no_closing_attribution() -> None:
    # More than a source's few words follow: 'according to' stands as near the day as the shooting.
    assert read("A child was shot in the leg on Wednesday night, according to reports that were released by "
                "officials at the scene of the crime.") == [(None, dt.date(2016, 3, 10))]


def test_according_to_after_a_clause_without_the_incident_still_bounds_its_day() -> None:
    # The chase is an aside of a later story: its day is no shooting's.
    assert read("Officers chased the man when he took off running last Thursday, according to police.") == [
        (None, dt.date(2016, 3, 10))]


def test_an_investigation_or_a_release_only_bounds_the_shooting() -> None:
    # The day of the investigation or of the news release, not of the shooting.
    assert read("A death investigation is underway Friday after a teen was shot.") == [(None, dt.date(2016, 3, 11))]
    assert read("The sheriff stated in a news release Friday that the shooting was accidental.") == [
        (None, dt.date(2016, 3, 11))]


def test_a_possessive_day_is_its_incidents() -> None:
    # 'today's shooting' dates the shooting, however near 'continue to investigate' stands.
    assert read("Police continue to investigate today's shooting.") == [(dt.date(2016, 3, 12), dt.date(2016, 3, 12))]
