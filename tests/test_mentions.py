"""Mention extraction: what counts as a report and which cues it carries."""

from __future__ import annotations

import datetime as dt

import pytest

from dedupe.mentions import extract_mentions
from dedupe.places import Gazetteer
from dedupe.vocabulary import load_vocabulary
from tests.helpers import make_article


def test_reads_weapon_count_place_date_outcome(extract) -> None:
    (m,) = extract("On Monday, two armed drones were shot down on their way to a facility at Baghdad airport.",
                   "2022-01-04")
    assert (m.weapon, m.quantity, m.outcome) == ("drone", 2, "intercepted")
    assert m.place.name == "Baghdad International Airport"
    assert m.date.earliest.isoformat() == m.date.latest.isoformat() == "2022-01-03"
    assert m.date_text and "Monday" in m.date_text


def test_failed_intercept_beats_shoot_down(extract) -> None:
    (m,) = extract("The C-RAM system was activated to shoot down the drones above the Ain al-Asad airbase, "
                   "but failed to intercept the aircraft on Sunday.")
    assert m.outcome == "failed intercept"
    assert m.weapon == "drone"  # 'C-RAM' and 'shoot down' are not weapons


def test_contradicting_claim_in_next_sentence_becomes_a_sibling(extract) -> None:
    text = ("The C-RAM system failed to intercept the two drones above the Ain al-Asad airbase on Sunday. "
            "The Security Media Cell, however, said the drones had been shot down.")
    first, second = extract(text)
    assert (first.outcome, second.outcome) == ("failed intercept", "intercepted")
    assert second.place == first.place and second.date == first.date  # inherited context
    assert second.features["explicit"]["place"] is False
    assert second.attribution == "The Security Media Cell"


def test_statistics_and_generalisations_are_not_reports(extract) -> None:
    text = ("Since the start of this year, there have been 39 attacks against US interests in Iraq. "
            "The US consistently blames Iran-linked factions for rocket attacks against installations.")
    mentions = extract(text)
    assert all(m.features["fallback"] for m in mentions)  # only the every-article fallback remains
    assert len(mentions) == 1


def test_connector_clause_without_anchor_is_not_a_second_incident(extract) -> None:
    text = ("Two drones were destroyed above the Ain al-Asad base on Sunday, one month after the same base "
            "was targeted by an armed drone.")
    (m,) = extract(text)
    assert m.quantity == 2 and m.end <= text.index(", one month after") + 1


def test_connector_clause_with_its_own_place_is_another_incident(extract) -> None:
    text = ("Last year, Al-Asad airbase was attacked with missiles by Iran in response to a strike near "
            "Baghdad airport that killed a commander.")
    first, second = extract(text, None)
    assert (first.weapon, first.place.name) == ("missile", "Ain al-Asad Air Base")
    assert (second.weapon, second.place.name) == ("airstrike", "Baghdad International Airport")


def test_payload_is_not_the_weapon(extract) -> None:
    (m,) = extract("Two drones loaded with explosives targeting a base in Anbar were destroyed on Tuesday.",
                   "2022-01-04")
    assert m.weapon == "drone" and m.quantity == 2


def test_country_used_as_adjective_is_not_the_place(extract) -> None:
    (m,) = extract("Two drones were destroyed above a base housing United States troops on Sunday.")
    assert m.place is None


def test_casualties(extract) -> None:
    (m,) = extract("A gunman opened fire at a bar in Kokomo, Ind. on Sunday, killing two people and "
                   "wounding four others.", "2014-06-15")
    assert (m.weapon, m.killed, m.injured) == ("gun", 2, 4)
    assert m.place.name == "Kokomo"
    (m,) = extract("On May 8, a drone targeted the Ain al-Asad base, but it caused no injuries.")
    assert (m.killed, m.injured) == (0, 0)


def test_dateline_is_not_the_incident_place(extract) -> None:
    text = "BAGHDAD (Dispatches) – The Iraqi army said two drones targeted a base in the western province of Anbar."
    (m,) = extract(text, dateline="BAGHDAD")
    assert m.place.name != "Baghdad"
    assert m.attribution == "The Iraqi army"


def test_dateline_after_a_headline_line_ends_with_its_date(extract) -> None:
    # The dateline's own date ('(Nov. 18, 2015)') is when the story was filed, not the incident's day.
    text = ("Man shot outside bar\n\nKOKOMO, Ind. (Nov. 18, 2015) — A man was shot outside a bar "
            "on Sunday, police said.")
    (m,) = extract(text, "2015-11-18", dateline="KOKOMO, Ind.")
    assert m.date.earliest.isoformat() == m.date.latest.isoformat() == "2015-11-15"


def test_the_lead_tells_the_stages_of_a_case_it_reports(extract) -> None:
    def stages(title: str, text: str) -> list[str]:
        vocab, gazetteer = load_vocabulary(), Gazetteer.default()
        article = make_article(text, "2016-11-18")
        article.title = title
        return extract_mentions(article, vocab, gazetteer)[0].features["case_stages"]

    text = "A man is facing up to 40 years in prison for shooting and killing a 3-year-old girl in Landover."
    assert stages("Man Found Guilty in Shooting Death", text) == ["court"]
    assert stages("Man arrested in shooting death of girl", text) == ["arrest"]
    assert stages("Man arrested, indicted in shooting death", text) == ["arrest", "court"]
    assert stages("Girl, 3, shot dead in Landover", text) == []


def test_undated_follow_up_takes_the_lead_report_date(extract) -> None:
    text = ("Two drones targeting a base in Anbar were destroyed on Tuesday, an official said.\n\n"
            "It marked the anniversary of the 2020 airstrike near Baghdad airport.\n\n"
            "According to the official, the drones were destroyed by the defences of the Ain al-Asad air base.")
    mentions = extract(text, "2022-01-04")
    last = mentions[-1]
    assert last.place.name == "Ain al-Asad Air Base"
    assert last.date.earliest.isoformat() == "2022-01-04"
    assert last.features["explicit"]["date"] is False


def test_article_without_incident_words_still_gets_a_lead_mention(extract) -> None:
    (m,) = extract("The city council met on Tuesday to discuss the budget.")
    assert m.event_type == "other" and m.features["fallback"]


def test_mention_offsets_and_stable_ids(extract) -> None:
    text = "Intro line.\n\nOn Monday, three rockets were fired at the Ain Al Asad air base, causing no casualties."
    a = extract(text, None)
    b = extract(text, None)
    assert [m.id for m in a] == [m.id for m in b]
    for m in a:
        assert text[m.start:m.end] == m.sentence


def test_attribution_follows_the_claim(extract) -> None:
    text = ("Several hours before, the BDSC was attacked by one rocket round, a spokesman for the coalition, "
            "Wayne Marotto, said in a tweet. “The rocket impacted near the BDSC and caused no injuries.")
    (m,) = extract(text, None)
    assert (m.outcome, m.attribution) == ("impacted", "Wayne Marotto")
    text = ("The Iraqi army said two drones targeted a base in Anbar. The C-RAM system was activated to shoot "
            "down the drones above the Ain al-Asad airbase, but failed to intercept the aircraft on Sunday.")
    (m,) = extract(text)
    assert (m.outcome, m.attribution) == ("failed intercept", None)  # the outlet's own claim


def test_court_and_page_dates_are_not_the_incident_date(extract) -> None:
    (m,) = extract("A man was charged Monday in the Saturday shooting of a teen in Akron, Ohio.", "2019-06-05")
    assert m.date.weekday == 5  # Saturday, not Monday
    mentions = extract("A man appeared in court on Monday, months after the teen he is accused of shooting "
                       "was wounded in Akron, Ohio.", "2019-06-05")
    assert all(m.date.weekday != 0 for m in mentions)  # Monday is the hearing
    (m,) = extract("Man guilty in teen's shooting death Posted: Thursday, August 6, 2015 8:36 AM", "2015-08-06")
    assert m.date.earliest is None or m.date.earliest.isoformat() != "2015-08-06"


@pytest.mark.parametrize("text", [
    "A teenager shot in the head in Akron, Ohio died Friday, police said.",
    "Police in Akron, Ohio said Friday that a teenager had been shot in the head.",
    "A teenager remained in critical condition Friday night after a shooting in Akron, Ohio.",
    "Police arrested a man Friday after the fatal shooting of a teenager in Akron, Ohio.",
    "Police apprehended a suspect Friday in the fatal shooting of a teenager in Akron, Ohio.",
    "Akron police started a news conference Friday on the fatal shooting of a teenager in Akron, Ohio.",
    "Police were hunting for a gunman Friday after the fatal shooting of a teenager in Akron, Ohio.",
])
def test_a_day_of_what_followed_only_bounds_the_incident(extract, text) -> None:
    # The shooting may have been days before the death, the statement or the arrest: a report dated by
    # the shooting must not contradict this one.
    (m,) = extract(text, "2019-06-10")
    assert m.date.earliest is None
    assert m.date.latest.isoformat() == ("2019-06-08" if "night" in text else "2019-06-07")  # a night runs on


def test_a_day_between_an_arrest_and_in_the_shooting_is_the_arrest_day(extract) -> None:
    # 'Thursday in the shooting' dates the arrest; 'in the Thursday shooting' would date the shooting.
    (m,) = extract("Police arrested an Akron man Thursday in the shooting death of a 17-year-old boy in Akron, Ohio.",
                   "2019-06-10")
    assert m.date.earliest is None and m.date.latest.isoformat() == "2019-06-06"
    (m,) = extract("A man was killed Thursday in a shooting in Akron, Ohio.", "2019-06-10")
    assert m.date.earliest.isoformat() == m.date.latest.isoformat() == "2019-06-06"


def test_a_related_story_line_does_not_date_the_incident(extract) -> None:
    # The line is another story's title: its Tuesday is that story's day.
    mentions = extract("A man was shot and killed in a parked car on Main Street in Akron, Ohio, police said.\n\n"
                       "RELATED: Teen shot, killed in his car early Tuesday in Akron\n\n"
                       "Police have not named a suspect.", "2019-06-10")
    assert all(m.date_text is None for m in mentions)


def test_an_embedded_post_s_stamp_allows_the_night_before(extract) -> None:
    # A reporter's post from the scene is stamped when it went up: after midnight, the shooting was the day before.
    (m,) = extract("A man was shot outside a home in Akron, Ohio. Officers at the shooting scene "
                   "pic.twitter.com/TvFLp340hu — Joe Smith (@joesmith) June 8, 2019", "2019-06-10")
    assert (m.date.earliest.isoformat(), m.date.latest.isoformat()) == ("2019-06-07", "2019-06-08")


def test_a_closing_attribution_does_not_make_the_day_a_follow_up(extract) -> None:
    # ', police said.' reports the clause before it: Sunday is the day of the shooting.
    (m,) = extract("Two men were wounded in a shooting outside a bar on Water Street in Akron, Ohio "
                   "Sunday afternoon, police said.", "2019-06-10")
    assert m.date.earliest.isoformat() == m.date.latest.isoformat() == "2019-06-09"


def test_a_day_beside_the_incident_word_is_its_day(extract) -> None:
    (m,) = extract("A teenager was shot Friday in Akron, Ohio, police said Saturday.", "2019-06-10")
    assert m.date.earliest.isoformat() == m.date.latest.isoformat() == "2019-06-07"


def test_shot_minus_killed_are_injured(extract) -> None:
    from dedupe.mentions import extract_mentions as run
    from dedupe.places import Gazetteer
    from dedupe.vocabulary import load_vocabulary

    art = make_article("Three people were shot outside a bar in Akron, Ohio on Sunday, police said.\n\n"
                       "One of them died at the hospital.", "2019-06-03")
    art.title = "Three shot outside Akron bar, one dies"
    (lead, *_) = run(art, load_vocabulary(), Gazetteer.default())
    assert (lead.killed, lead.injured) == (1, 2)


def test_lead_without_a_place_takes_the_city_the_article_names_most(extract) -> None:
    from dedupe.mentions import extract_mentions as run
    from dedupe.places import Gazetteer
    from dedupe.vocabulary import load_vocabulary

    art = make_article("A teenager was shot and wounded on Sunday night, police said.\n\n"
                       "The neighbourhood is usually quiet.\n\nResidents of Akron said they were surprised. "
                       "Akron has a new mayor, who grew up in Cleveland.", "2019-06-03")
    (lead, *_) = run(art, load_vocabulary(), Gazetteer.default())
    assert lead.place.name == "Akron" and lead.features["explicit"]["place"] is False


def test_a_page_that_is_all_template_still_gets_a_lead_without_content() -> None:
    a = make_article("Sign in using your profile\n\nAlready have an account?", "2017-01-21")
    a.title = "16-year-old shot outside of club in east Charlotte, police say"
    a.boilerplate = [(0, len(a.text))]
    (lead,) = extract_mentions(a, load_vocabulary(), Gazetteer.default())
    assert lead.features["no_content"]
    assert lead.place is not None and lead.place.name == "Charlotte"  # from the headline
    # ... and the headline is the passage compared with other reports
    assert lead.features["passage"] == a.title


def test_a_night_a_later_sentence_narrows_to_after_midnight_keeps_both_days(extract) -> None:
    # Around midnight a registry dates the shooting by either day.
    (m,) = extract("A man was shot in the leg Saturday night in Durham. Officers found the man shot at 12:30 a.m. "
                   "Sunday in the 2700 block of Hinson Drive.", "2015-08-23")
    assert (m.date.earliest, m.date.latest) == (dt.date(2015, 8, 22), dt.date(2015, 8, 23))


def test_the_fire_service_is_not_a_fire(extract) -> None:
    # 'Fire Rescue' named a fire and made the paramedics' sentence a report of another incident
    reports = extract("A 19-year-old man accidentally shot his friend in the head at a Miami home on Monday, "
                      "police said. Miami-Dade Fire Rescue crews pronounced the victim dead at the scene. "
                      "He had been a firefighter with the Corpus Christi Fire Department for 19 years.",
                      "2016-05-03")
    assert [m.event_type for m in reports] == ["shooting"]
    assert "fire" not in {m.weapon for m in reports}


def test_the_day_of_a_hunting_accident_is_the_incidents(extract) -> None:
    # 'hunting' is what the victim was doing, not police hunting for someone afterwards.
    (m,) = extract("Brennan Weikel, 17, was killed while hunting feral hogs with his family Monday morning in "
                   "Wise County, Texas, officials said.", "2016-03-15")
    assert m.date.earliest.isoformat() == m.date.latest.isoformat() == "2016-03-14"


def test_a_bullet_that_struck_someone_is_a_shooting_report(extract) -> None:
    # The story's own sentence named no weapon, so a caption of another shooting later on the
    # page became the article's lead and placed it in Sunrise.
    reports = extract("A bullet struck an 11-year-old girl who was a passenger in a car Saturday afternoon "
                      "in West Palm Beach, police said. The gunshot wound was not life-threatening.\n\n"
                      "Caption Two men facing murder charges after Sunrise home break-in. They are charged "
                      "in the fatal shooting of their alleged accomplice.", "2016-12-12")
    lead = reports[0]
    assert (lead.weapon, lead.place.name) == ("gun", "West Palm Beach")
    assert lead.date.earliest.isoformat() == "2016-12-10"


def test_a_bullet_point_is_no_weapon(extract) -> None:
    reports = extract("The council's plan has five bullet points and the mayor said the city dodged a bullet "
                      "on Monday in Tulsa.", "2016-12-12")
    assert all(m.weapon is None for m in reports)


@pytest.mark.parametrize("sentence", [
    "Officers recovered 10 shell casings near Jackson Lane.",
    "The city has recorded 9 shootings this year, compared with 50 a year earlier.",
    "Police in Akron have logged 22 shooting incidents since January, compared with 42 last year.",
    "More than 3,290 people have been injured in those shootings this year in Chicago.",
])
def test_casings_and_tallies_are_no_report(extract, sentence: str) -> None:
    # a lone such sentence still makes the article's lead (every article has one): it must
    # carry no weapon or toll of its own, and after a report it must add no other
    reports = extract("A man was shot and wounded on Main Street in Akron on Monday, police said. " + sentence,
                      "2016-05-03")
    assert len(reports) == 1 and reports[0].sentence.startswith("A man was shot")
    assert reports[0].injured == 1


def test_an_incident_told_in_passing_keeps_its_place(extract) -> None:
    # 'Treackfield Court in Phoenix' was read as a courthouse's town, so the report had no place
    reports = extract("A woman was shot and killed outside a tavern on Jackson Lane in Denver on Wednesday, "
                      "police said.\n\nSeparately, a man was shot in a shooting at a house party on Treackfield "
                      "Court in Phoenix the same day.", "2014-01-02")
    assert [m.place.name for m in reports] == ["Denver", "Phoenix"]


def test_a_paragraph_opening_separately_is_never_the_lead(extract) -> None:
    # The arrest says too little to stand alone, so the other incident's paragraph had become
    # the article's lead, and lent it its wounded man.
    reports = extract("Police arrested a 36-year-old man in Dallas Wednesday night in connection with the theft "
                      "of catalytic converters.\n\nOfficers found drugs and cash when they searched the home.\n\n"
                      "Separately, a man was shot in a shooting in a parking lot on Verberg Lane in Stockton "
                      "the same day.", "2014-01-02")
    lead, aside = reports
    assert (lead.event_type, lead.place.name, lead.injured) == ("arrest", "Dallas", None)
    assert (aside.place.name, aside.features.get("aside")) == ("Stockton", True)


def test_a_report_keeps_the_streets_it_names(extract) -> None:
    (m,) = extract("Two men were wounded on Wednesday when someone opened fire in the 5300 block of Wantworth "
                   "Parkway in Stockton, police said.", "2014-01-02")
    assert m.features["streets"] == ["Wantworth Parkway"]
