"""Canonical records: best values, claims, disputes, sources, ids, titles."""

from __future__ import annotations

import dataclasses
import datetime as dt

from dedupe.canonical import best_count, build_incident, incident_id
from dedupe.models import DateInterval, Place
from tests.helpers import day, make_article, make_mention


def articles(*specs):
    out = {}
    for aid, source, dup in specs:
        a = make_article(f"text of {aid}", "2021-06-06", source=source)
        out[aid] = dataclasses.replace(a, id=aid, duplicate_of=dup)
    return out


def test_disputed_outcome_keeps_each_claim_and_picks_the_most_reported() -> None:
    arts = articles(("a1", "x.com", None), ("a2", "y.com", None), ("a3", "z.com", None))
    ms = [make_mention("m1", "a1", outcome="intercepted"), make_mention("m2", "a2", outcome="intercepted"),
          make_mention("m3", "a3", outcome="failed intercept")]
    inc = build_incident(ms, arts)
    assert inc.outcome == "intercepted"
    assert inc.disputed == ["outcome"]
    claims = {(c.value, c.article_id) for c in inc.claims if c.field == "outcome"}
    assert claims == {("intercepted", "a1"), ("intercepted", "a2"), ("failed intercept", "a3")}
    assert "(intercepted)" in inc.title  # a disputed outcome is marked in the title


def test_agreeing_sources_are_not_disputed_and_missing_values_are_not_claims() -> None:
    arts = articles(("a1", None, None), ("a2", None, None))
    inc = build_incident([make_mention("m1", "a1", quantity=2), make_mention("m2", "a2", quantity=None)], arts)
    assert inc.disputed == [] and inc.quantity == 2
    assert [c.value for c in inc.claims if c.field == "quantity"] == ["2"]


def test_date_is_the_narrowest_interval_consistent_with_all_reports() -> None:
    arts = articles(("a1", None, None), ("a2", None, None), ("a3", None, None))
    june_sundays = DateInterval(dt.date(2021, 5, 30), dt.date(2021, 6, 27), "month", 6, text="on Sunday")
    ms = [make_mention("m1", "a1", date=june_sundays), make_mention("m2", "a2", date=DateInterval(weekday=6)),
          make_mention("m3", "a3", date=day("2021-06-06"))]
    inc = build_incident(ms, arts)
    assert (inc.date, inc.date_precision) == ("2021-06-06", "day")


def test_counts_low_best_high() -> None:
    assert best_count(["2", "3", "3"]) == 3
    assert best_count(["2", "3"]) == 3  # ties go to the higher, later figure
    arts = articles(("a1", None, None), ("a2", None, None))
    inc = build_incident([make_mention("m1", "a1", killed=1), make_mention("m2", "a2", killed=2)], arts)
    assert (inc.extra["killed_low"], inc.killed, inc.extra["killed_high"]) == (1, 2, 2)
    assert "killed" in inc.disputed


def test_wire_copies_and_same_outlet_count_once() -> None:
    arts = articles(("a1", None, None), ("a2", None, "a1"), ("a3", "x.com", None), ("a4", "x.com", None))
    inc = build_incident([make_mention(f"m{i}", f"a{i}") for i in range(1, 5)], arts)
    assert inc.article_count == 4 and inc.source_count == 2


def test_incident_id_depends_on_members_not_order() -> None:
    assert incident_id(["m2", "m1"]) == incident_id(["m1", "m2"]) != incident_id(["m2", "m3"])
    arts = articles(("a1", None, None), ("a2", None, None))
    one = build_incident([make_mention("m1", "a1"), make_mention("m2", "a2")], arts)
    two = build_incident([make_mention("m2", "a2"), make_mention("m1", "a1")], arts)
    assert one.id == two.id and one.title == two.title


def test_a_toll_without_injuries_means_none_injured() -> None:
    arts = articles(("a1", None, None))
    inc = build_incident([make_mention("m1", "a1", killed=1)], arts)
    assert (inc.killed, inc.injured, inc.extra["assumed_zero"]) == (1, 0, "injured")
    assert not [c for c in inc.claims if c.field == "injured"]  # an assumption, not a claim


def test_a_wounded_victim_who_died_is_counted_once() -> None:
    # One report: a girl in critical condition; a later one: she died. One dead, no one injured.
    arts = articles(("a1", "x.com", None), ("a2", "y.com", None))
    inc = build_incident([make_mention("m1", "a1", injured=1), make_mention("m2", "a2", killed=1)], arts)
    assert (inc.killed, inc.injured) == (1, 0)
    # 'One dead, one wounded' in a single report: two people hit, both kept.
    arts = articles(("a1", "x.com", None), ("a2", "y.com", None))
    inc = build_incident([make_mention("m1", "a1", killed=1, injured=1), make_mention("m2", "a2", killed=1)], arts)
    assert (inc.killed, inc.injured) == (1, 1)


def test_the_toll_is_read_from_the_lead_reports_when_they_give_one() -> None:
    # Two articles lead with three dead; later passages mention 'one of the victims died' twice, and more.
    arts = articles(("a1", "x.com", None), ("a2", "y.com", None))
    lead1, lead2 = make_mention("m1", "a1", killed=3), make_mention("m2", "a2", killed=3)
    for m in (lead1, lead2):
        m.features["lead"] = True
    asides = [make_mention(f"m{n}", "a1" if n % 2 else "a2", killed=1) for n in range(3, 6)]
    inc = build_incident([lead1, lead2, *asides], arts)
    assert inc.killed == 3
    assert inc.extra["killed_low"] == 1  # the asides are still claims
    # No lead gives a toll: every passage votes.
    inc = build_incident([make_mention("m6", "a1", killed=2), make_mention("m7", "a2", killed=2)], arts)
    assert inc.killed == 2


def test_a_weekend_roundup_toll_gives_way_to_the_incidents_own() -> None:
    # '5 dead, 17 wounded in weekend shootings' and 'Teen killed, five others injured in Austin shooting'.
    arts = articles(("a1", "x.com", None), ("a2", "y.com", None))
    roundup, own = make_mention("m1", "a1", killed=5, injured=17), make_mention("m2", "a2", killed=1, injured=5)
    for m in (roundup, own):
        m.features["lead"] = True
    roundup.features["roundup"] = True
    inc = build_incident([roundup, own], arts)
    assert (inc.killed, inc.injured) == (1, 5)
    assert inc.extra["injured_high"] == 17  # the total is still a claim
    # With no other report, the roundup says this incident hurt someone, not how many: one wounded,
    # and no dead, since it counts more wounded than dead (most of its shootings killed no one).
    inc = build_incident([roundup], arts)
    assert (inc.killed, inc.injured) == (0, 1)
    assert (inc.extra["killed_high"], inc.extra["injured_high"]) == (5, 17)
    # As many dead as wounded or more: one of each.
    deadly = make_mention("m4", "a1", killed=3, injured=2)
    deadly.features.update(lead=True, roundup=True)
    assert (build_incident([deadly], arts).killed, build_incident([deadly], arts).injured) == (1, 1)
    only_hurt = make_mention("m3", "a1", injured=6)
    only_hurt.features.update(lead=True, roundup=True)
    assert (build_incident([only_hurt], arts).killed, build_incident([only_hurt], arts).injured) == (0, 1)


def test_the_date_is_read_from_the_lead_reports_when_they_give_one() -> None:
    # The lead says 'shot Monday'; a later passage dates an aside ('the gun was reported stolen in May').
    arts = articles(("a1", "x.com", None), ("a2", "y.com", None))
    lead = make_mention("m1", "a1", date=DateInterval(None, dt.date(2021, 6, 14), "unknown"))
    lead.features["lead"] = True
    aside = make_mention("m2", "a1", date=DateInterval(dt.date(2021, 5, 1), dt.date(2021, 5, 31), "month"))
    other = make_mention("m3", "a2", date=day("2021-06-14"))
    other.features["lead"] = True
    inc = build_incident([lead, aside, other], arts)
    assert (inc.date, inc.date_precision) == ("2021-06-14", "day")
    # No lead gives a date: every dated passage counts.
    inc = build_incident([make_mention("m4", "a1", date=day("2021-06-13")), make_mention("m5", "a2")], arts)
    assert inc.date == "2021-06-13"


def test_an_old_month_in_a_later_passage_does_not_date_an_undated_incident() -> None:
    # 'In July, Detroit Police launched "Operation 7 Mile Cruise", a series of raids ...' in an
    # article of August 28 whose lead gives no date: the month dates an aside, not the shooting.
    art = dataclasses.replace(make_article("three incidents of gunfire left a teen dead", "2014-08-28"), id="a1")
    lead = make_mention("m1", "a1", date=DateInterval(None, dt.date(2014, 8, 28), "unknown"), explicit_date=False)
    lead.features["lead"] = True
    july = make_mention("m2", "a1", date=DateInterval(dt.date(2014, 7, 1), dt.date(2014, 7, 31), "month", text="July"))
    inc = build_incident([lead, july], {"a1": art})
    assert (inc.date_earliest, inc.date_latest, inc.date_precision) == ("2014-08-26", "2014-08-29", "estimate")
    # This month's, or a day long past ('on July 19, a girl was shot'), still dates it.
    for date in (DateInterval(dt.date(2014, 8, 1), dt.date(2014, 8, 31), "month", text="this month"),
                 day("2014-07-19")):
        dated = make_mention("m2", "a1", date=date)
        inc = build_incident([lead, dated], {"a1": art})
        assert (inc.date_earliest, inc.date_latest) == (date.earliest.isoformat(), date.latest.isoformat())
    # An incident told only in passing ('the 2020 US airstrike') is what its asides date.
    year = make_mention("m3", "a1", date=DateInterval(dt.date(2013, 1, 1), dt.date(2013, 12, 31), "year", text="2013"))
    inc = build_incident([year], {"a1": art})
    assert (inc.date_earliest, inc.date_latest) == ("2013-01-01", "2013-12-31")


def test_an_undated_incident_reported_after_a_weekend_may_be_the_weekends() -> None:
    # 'Police are investigating a shooting that left four injured' in articles with no date of their own.
    def estimate(published: str) -> tuple[str | None, str | None]:
        art = dataclasses.replace(make_article("a shooting left four injured", published), id="a1")
        lead = make_mention("m1", "a1", date=DateInterval(None, dt.date.fromisoformat(published), "unknown"),
                            explicit_date=False)
        inc = build_incident([lead], {"a1": art})
        assert inc.date_precision == "estimate"
        return inc.date_earliest, inc.date_latest

    # Two days back, and the day after, which an article updated after its recorded day may report.
    assert estimate("2015-06-25") == ("2015-06-23", "2015-06-26")  # a Thursday: two days back
    assert estimate("2015-06-29") == ("2015-06-26", "2015-06-30")  # a Monday: back to the Friday
    assert estimate("2015-06-30") == ("2015-06-27", "2015-07-01")  # a Tuesday: back to the Saturday


def test_an_undated_court_report_estimates_the_incident_up_to_a_year_back() -> None:
    # The stages a lead reports are read at extraction (vocabulary case_stages; tests/test_mentions.py).
    art = dataclasses.replace(make_article("x", "2016-11-18"), id="a1")
    lead = make_mention("m1", "a1", date=DateInterval(None, dt.date(2016, 11, 18), "unknown"), explicit_date=False)
    lead.features.update(lead=True, case_stages=["court"])
    inc = build_incident([lead], {"a1": art})
    assert (inc.date_earliest, inc.date_latest, inc.date_precision) == ("2015-11-19", "2016-11-19", "estimate")
    # An arrest is no court stage, but it too comes days after the shooting: a week back.
    lead.features["case_stages"] = ["arrest"]
    inc = build_incident([lead], {"a1": art})
    assert (inc.date_earliest, inc.date_latest) == ("2016-11-11", "2016-11-19")
    # A first report: the usual days before it.
    lead.features["case_stages"] = []
    inc = build_incident([lead], {"a1": art})
    assert (inc.date_earliest, inc.date_latest) == ("2016-11-16", "2016-11-19")


def test_a_lead_that_only_bounds_the_incident_moves_its_estimate_back() -> None:
    # 'Jesus Rios, a 17-year-old Latino male, died Sunday, Dec. 18, after being shot in Pacoima'
    # in a report of January 3: the shooting came on or before December 18.
    art = dataclasses.replace(make_article("Jesus Rios died after being shot in Pacoima", "2017-01-03"), id="a1")
    lead = make_mention("m1", "a1", date=DateInterval(None, dt.date(2016, 12, 18), "unknown", text="Sunday, Dec. 18"))
    lead.features["lead"] = True
    inc = build_incident([lead], {"a1": art})
    assert (inc.date_earliest, inc.date_latest, inc.date_precision) == ("2016-12-16", "2016-12-18", "estimate")


def test_a_night_narrowed_to_its_second_day_keeps_both_days() -> None:
    # 'Two people were killed in a shooting in northwest Miami-Dade late Sunday night.' and, in
    # another report, '... early Monday morning.': the registry may date it by either day.
    arts = articles(("a1", "x.com", None), ("a2", "y.com", None))
    sunday_night = DateInterval(dt.date(2014, 7, 6), dt.date(2014, 7, 7), "day", 6, text="late Sunday night")
    monday = DateInterval(dt.date(2014, 7, 7), dt.date(2014, 7, 7), "day", 0, text="early Monday morning")
    ms = [make_mention("m1", "a1", date=sunday_night), make_mention("m2", "a2", date=monday)]
    for m in ms:
        m.features["lead"] = True
    inc = build_incident(ms, arts)
    assert (inc.date_earliest, inc.date_latest) == ("2014-07-06", "2014-07-07")
    # Narrowed to the night's first day, it is that day.
    sunday = DateInterval(dt.date(2014, 7, 6), dt.date(2014, 7, 6), "day", 6, text="Sunday")
    other = make_mention("m3", "a2", date=sunday)
    other.features["lead"] = True
    inc = build_incident([ms[0], other], arts)
    assert (inc.date_earliest, inc.date_latest) == ("2014-07-06", "2014-07-06")


def test_a_dateline_town_in_the_county_the_sentences_state_is_the_place() -> None:
    from dedupe.models import Place

    county = Place("county:US.55079", "Milwaukee County", "county", "Wisconsin", "US", None, None,
                   ("admin1:US.WI", "country:US"))
    city = Place("geonames:5263045", "Milwaukee", "city", "Wisconsin", "US", 43.0, -87.9,
                 ("county:US.55079", "admin1:US.WI", "country:US"))
    elsewhere = Place("geonames:5258393", "Madison", "city", "Wisconsin", "US", 43.1, -89.4,
                      ("county:US.55025", "admin1:US.WI", "country:US"))
    arts = articles(("a1", "x.com", None), ("a2", "y.com", None))
    read_elsewhere = {"explicit": {"place": False}}
    dateline = make_mention("m1", "a1", place=city)
    dateline.features.update(read_elsewhere)
    stated = make_mention("m2", "a2", place=county)
    assert build_incident([dateline, stated], arts).place == city
    # a town read from a dateline outside the stated county does not vote
    other = make_mention("m3", "a1", place=elsewhere)
    other.features.update(read_elsewhere)
    assert build_incident([other, stated], arts).place == county


def test_an_articles_lead_votes_with_the_place_its_dateline_or_headline_gives() -> None:
    from dedupe.models import Place

    def city(gid: str, name: str) -> Place:
        return Place(f"geonames:{gid}", name, "city", "Florida", "US", None, None, ("admin1:US.FL", "country:US"))

    jacksonville, orlando, tampa = city("1", "Jacksonville"), city("2", "Orlando"), city("3", "Tampa")
    arts = articles(("a1", "x.com", None), ("a2", "y.com", None))
    # 'JACKSONVILLE, Fla. — A teen was shot ...' and, in passing, '... on the heels of the shooting in Orlando'
    lead = make_mention("m1", "a1", place=jacksonville)
    lead.features.update({"explicit": {"place": False}, "lead": True})
    aside = make_mention("m2", "a1", place=orlando)
    assert build_incident([lead, aside], arts).place == jacksonville
    # ... but the most-named town of an article whose lead names none is no such vote
    lead.features["place_from_document"] = True
    assert build_incident([lead, aside], arts).place == orlando
    lead.features["place_from_document"] = False
    stated = [make_mention(f"m{n}", "a2", place=tampa) for n in (3, 4)]
    assert build_incident([lead, *stated], arts).place == tampa


def test_the_wounded_a_later_passage_tells_when_the_leads_tell_only_the_dead() -> None:
    # Lead: 'A man has been arrested in the shooting death of Dwayne Dillard'; later: 'Three other
    # males were also shot.' A passage telling more dead is another incident in passing.
    arts = articles(("a1", "x.com", None))
    lead, aside = make_mention("m1", "a1", killed=1), make_mention("m2", "a1", injured=3)
    lead.features["lead"] = True
    assert build_incident([lead, aside], arts).injured == 3
    other = make_mention("m3", "a1", killed=2, injured=5)
    assert build_incident([lead, other], arts).injured == 0


def test_a_report_of_one_wounded_gives_way_to_a_count_of_more() -> None:
    # 'Shooting leaves 4 kids injured' beside 'children shot' and 'Daniel, 6, and Oscar were shot' (read as one).
    arts = articles(("a1", "x.com", None), ("a2", "y.com", None), ("a3", "z.com", None))
    reports = [make_mention("m1", "a1", injured=4), make_mention("m2", "a2", injured=1),
               make_mention("m3", "a3", injured=1)]
    for m in reports:
        m.features["lead"] = True
    assert build_incident(reports, arts).injured == 4
    assert build_incident(reports[1:], arts).injured == 1


def test_a_lead_that_only_places_the_incident_in_a_week_takes_the_day_its_article_tells() -> None:
    # 'The death certificates for the three women gunned down in Berlin last week ...' and further down
    # 'Officials say Jody Herring shot Sobel twice as she was leaving work on Aug. 7.'
    arts = articles(("a1", "x.com", None), ("a2", "y.com", None))
    last_week = DateInterval(dt.date(2015, 8, 2), dt.date(2015, 8, 9), "week", text="last week")
    lead = make_mention("m1", "a1", date=last_week, sentence="three women gunned down in Berlin last week")
    lead.features["lead"] = True
    aug7 = DateInterval(dt.date(2015, 8, 7), dt.date(2015, 8, 7), "day", text="Aug. 7")
    told = make_mention("m2", "a1", date=aug7, sentence="Herring shot Sobel twice as she was leaving work on Aug. 7.")
    inc = build_incident([lead, told], arts)
    assert (inc.date_earliest, inc.date_latest) == ("2015-08-07", "2015-08-07")
    # A bare day with no hour is as often the day of a later post or statement ('... also posted about
    # the shooting on its Facebook page Friday'); and another article's day, when its lead gives none,
    # as often another shooting.
    friday = DateInterval(dt.date(2015, 8, 7), dt.date(2015, 8, 7), "day", 4, text="Friday")
    posted = make_mention("m3", "a1", date=friday, sentence="The school posted about the shooting Friday.")
    other = make_mention("m4", "a2", date=aug7, sentence="the Aug. 7 shooting at a home in Barre")
    for members in ([lead, posted], [lead, other]):
        inc = build_incident(members, arts)
        assert (inc.date_earliest, inc.date_latest) == ("2015-08-02", "2015-08-09")
    # Two different days within the week are two events: the lead's week is all there is.
    aug4 = DateInterval(dt.date(2015, 8, 4), dt.date(2015, 8, 4), "day", text="Aug. 4")
    before = make_mention("m5", "a1", date=aug4, sentence="A man was shot on Aug. 4 in Montpelier.")
    inc = build_incident([lead, told, before], arts)
    assert (inc.date_earliest, inc.date_latest) == ("2015-08-02", "2015-08-09")


def test_a_town_named_bare_is_the_namesake_in_its_datelines_state() -> None:
    from dedupe.places import Gazetteer

    gazetteer = Gazetteer.default()

    def town(name: str, state: str) -> Place:
        return next(p for p in gazetteer.namesakes(name, "US") if p.admin1 == state)

    # 'WHITLEY COUNTY, Ky. — ... the shooting near Williamsburg Independent School', read as New York's
    arts = articles(("a1", "x.com", None), ("a2", "y.com", None))
    arts["a1"] = dataclasses.replace(arts["a1"], dateline="WHITLEY COUNTY, Ky.")
    ny = make_mention("m1", "a1", place=town("Williamsburg", "New York"))
    assert build_incident([ny], arts).place == town("Williamsburg", "Kentucky")
    # 'CAMERON, W.Va. — Cameron police say ...' outweighs two bare 'Cameron's read as another state's
    arts["a1"] = dataclasses.replace(arts["a1"], dateline="CAMERON, W.Va.")
    wv, mo = town("Cameron", "West Virginia"), town("Cameron", "Missouri")
    ms = [make_mention("m1", "a1", place=wv), make_mention("m2", "a2", place=mo), make_mention("m3", "a2", place=mo)]
    assert build_incident(ms, arts).place == wv
    # without a dateline, the reports' count decides as before
    arts["a1"] = dataclasses.replace(arts["a1"], dateline=None)
    assert build_incident(ms, arts).place == mo


def test_a_bare_town_dateline_leaves_the_namesake_its_article_settled() -> None:
    from dedupe.places import Gazetteer

    # 'MANHATTAN - Law enforcement authorities in Riley County ...': the lead read Kansas's
    # Manhattan; the dateline names no state, and New York's big namesake must not win it back
    kansas = next(p for p in Gazetteer.default().namesakes("Manhattan", "US") if p.admin1 == "Kansas")
    arts = articles(("a1", "salinapost.com", None))
    arts["a1"] = dataclasses.replace(arts["a1"], dateline="MANHATTAN")
    lead = make_mention("m1", "a1", place=kansas)
    assert build_incident([lead], arts).place == kansas


def test_a_bare_town_of_another_state_below_a_state_dateline_counts_as_the_dateline_place() -> None:
    from dedupe.places import Gazetteer

    gazetteer = Gazetteer.default()
    # 'MEMPHIS, Tenn -- Police are searching for a group of men who shot five people in Raleigh':
    # a Memphis neighbourhood, not North Carolina's capital, which copy would name 'Raleigh, N.C.'
    raleigh = gazetteer.resolve_place("Raleigh, N.C.")
    memphis = gazetteer.resolve_place("Memphis, Tenn.")
    arts = articles(("a1", "wreg.com", None))
    arts["a1"] = dataclasses.replace(arts["a1"], dateline="MEMPHIS, Tenn")
    lead = make_mention("m1", "a1", place=raleigh)
    assert build_incident([lead], arts).place == memphis
    # a city copy names bare ('flown to Chicago') is left as read, as is a town named with its state
    chicago = gazetteer.resolve_place("Chicago, Ill.")
    assert build_incident([make_mention("m1", "a1", place=chicago)], arts).place == chicago
    named = dataclasses.replace(lead, place_text="Raleigh, N.C.")
    assert build_incident([named], arts).place == raleigh
