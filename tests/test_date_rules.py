"""How reports' dates combine: the days both allow, a night keeping both its days."""

from __future__ import annotations

import datetime as dt

from dedupe.date_rules import date_post_stamps, in_link_line, narrow_by_asides, narrow_dates, tells_the_hour
from dedupe.dates import find_dates
from dedupe.models import DateInterval
from dedupe.vocabulary import load_vocabulary

SAT, SUN = 5, 6


def night(day: dt.date, weekday: int, text: str) -> DateInterval:
    return DateInterval(day, day + dt.timedelta(days=1), "day", weekday, text=text)


def one_day(day: dt.date, weekday: int, text: str) -> DateInterval:
    return DateInterval(day, day, "day", weekday, text=text)


def test_a_night_narrowed_to_its_second_day_keeps_both_days() -> None:
    # 'Two men were shot late Saturday night outside a bar.' ... 'at about 12:15 a.m. Sunday.'
    saturday_night = night(dt.date(2015, 8, 22), SAT, "late Saturday night")
    sunday = one_day(dt.date(2015, 8, 23), SUN, "Sunday")
    for a, b in ((saturday_night, sunday), (sunday, saturday_night)):
        got = narrow_dates(a, b)
        assert got is not None and (got.earliest, got.latest) == (dt.date(2015, 8, 22), dt.date(2015, 8, 23))


def test_a_night_narrowed_to_its_first_day_or_two_days_stay_as_intersected() -> None:
    saturday_night = night(dt.date(2015, 8, 22), SAT, "Saturday night")
    saturday = one_day(dt.date(2015, 8, 22), SAT, "Saturday afternoon")
    got = narrow_dates(saturday_night, saturday)
    assert got is not None and (got.earliest, got.latest) == (dt.date(2015, 8, 22), dt.date(2015, 8, 22))
    sunday = one_day(dt.date(2015, 8, 23), SUN, "Sunday")
    assert narrow_dates(sunday, one_day(dt.date(2015, 8, 23), SUN, "early Sunday")) == sunday
    assert narrow_dates(sunday, saturday) is None


def test_a_day_told_with_its_hour_or_date_is_the_incident_s() -> None:
    assert tells_the_hour("Saturday", "The shooting happened Saturday at 11:15 p.m.")
    assert tells_the_hour("early Sunday morning", "Shots were fired early Sunday morning.")
    assert tells_the_hour("Feb. 6", "The shooting occurred Feb. 6 at a home on 11th Street.")
    assert not tells_the_hour("Friday", "The school also posted about the shooting on its Facebook page Friday.")


def test_a_week_narrowed_to_the_day_every_told_day_agrees_on() -> None:
    def span(d: DateInterval) -> tuple[dt.date | None, dt.date | None]:
        return d.earliest, d.latest

    last_week = DateInterval(dt.date(2015, 8, 2), dt.date(2015, 8, 9), "week", text="last week")
    aug7 = one_day(dt.date(2015, 8, 7), 4, "Aug. 7")
    assert span(narrow_by_asides(last_week, [aug7, aug7])) == span(aug7)
    assert narrow_by_asides(last_week, [aug7, one_day(dt.date(2015, 8, 4), 1, "Aug. 4")]) == last_week
    assert narrow_by_asides(last_week, [one_day(dt.date(2015, 7, 4), 5, "July 4")]) == last_week  # outside it
    saturday_night = night(dt.date(2015, 8, 8), SAT, "Saturday night")
    assert span(narrow_by_asides(last_week, [saturday_night])) == span(saturday_night)
    assert narrow_by_asides(aug7, [one_day(dt.date(2015, 8, 6), 3, "Aug. 6")]) == aug7  # a day already


def test_a_bound_is_the_day_only_when_a_passage_tells_the_incident_on_that_very_day() -> None:
    # 'A woman died Thursday morning after police say a gun went off inside a car.' (a bound: on or
    # before Thursday) and 'Officers were called to Regal Way just before 8 a.m. Thursday'.
    died_thursday = DateInterval(None, dt.date(2017, 3, 16), "unknown", text="Thursday morning")
    thursday = one_day(dt.date(2017, 3, 16), 3, "Thursday")
    got = narrow_by_asides(died_thursday, [thursday])
    assert (got.earliest, got.latest) == (dt.date(2017, 3, 16), dt.date(2017, 3, 16))
    # An earlier day in the article is an earlier event ('a burglary report had been taken at about
    # 9 p.m. Saturday'): the bound stays, for the estimate.
    saturday = one_day(dt.date(2017, 3, 11), SAT, "Saturday")
    assert narrow_by_asides(died_thursday, [saturday]) == died_thursday


def test_a_date_on_a_related_story_line_is_that_story_s() -> None:
    link = load_vocabulary().link_line
    text = "A man was shot Sunday on Main Street.\nRELATED: Teen shot, killed early Tuesday in Akron\nMore to come."
    assert in_link_line(text, text.index("Tuesday"), link)
    assert not in_link_line(text, text.index("Sunday"), link)
    text = "PREVIOUS STORY: A double homicide in Cleveland Monday is under investigation."
    assert not in_link_line(text, text.index("Monday"), link)  # an update page's own first version


def test_an_embedded_post_s_stamp_is_its_day_or_the_night_before() -> None:
    text = "Officers at the shooting scene pic.twitter.com/TvFLp340hu — Joe Smith (@joesmith) June 8, 2019"
    (d,) = date_post_stamps(text, find_dates(text, DateInterval(dt.date(2019, 6, 10), dt.date(2019, 6, 10), "day")))
    assert (d.interval.earliest, d.interval.latest) == (dt.date(2019, 6, 7), dt.date(2019, 6, 8))
    text = "A man was shot on June 8, 2019 in Akron."
    (d,) = date_post_stamps(text, find_dates(text, DateInterval()))
    assert d.interval.earliest == d.interval.latest == dt.date(2019, 6, 8)
