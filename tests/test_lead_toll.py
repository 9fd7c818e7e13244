"""The lead report's toll (dedupe.lead_toll): read from the headline and the opening."""

from __future__ import annotations

from dedupe.mentions import extract_mentions
from dedupe.places import Gazetteer
from dedupe.vocabulary import load_vocabulary
from tests.helpers import make_article


def test_lead_toll_from_the_headline_and_opening(extract) -> None:
    from dedupe.mentions import extract_mentions as run
    from dedupe.places import Gazetteer
    from dedupe.vocabulary import load_vocabulary

    art = make_article("Police in Akron, Ohio are investigating a shooting on Sunday.\n\n"
                       "Officers found a man who was shot and killed outside a bar.", "2019-06-03")
    art.title = "Man shot and killed outside Akron bar"
    (lead, *_) = run(art, load_vocabulary(), Gazetteer.default())
    assert lead.killed == 1 and lead.features["explicit"]["killed"]


def test_the_wounded_told_after_the_opening_are_read(extract) -> None:
    from dedupe.mentions import extract_mentions as run
    from dedupe.places import Gazetteer
    from dedupe.vocabulary import load_vocabulary

    text = ("Police in Akron, Ohio are investigating a shooting on Sunday.\n\n"
            "Officers found a man who was shot and killed outside a bar.\n\n"
            "Neighbors said they heard several shots around midnight.\n\n"
            "Detectives spent the night canvassing the street for cameras.\n\n"
            "The bar's owner said he had never seen trouble there before.\n\n"
            "A woman who was with him was also shot and is expected to recover.")
    art = make_article(text, "2019-06-03")
    art.title = "Man shot and killed outside Akron bar"
    (lead, *_) = run(art, load_vocabulary(), Gazetteer.default())
    assert (lead.killed, lead.injured) == (1, 1)


def test_a_lead_that_sums_up_several_shootings_is_a_roundup(extract) -> None:
    (m, *_) = extract("Five people were killed and at least 17 others were wounded in separate shootings across "
                      "Chicago since Friday evening, police said.", "2014-06-01")
    assert m.features["roundup"] is True
    (m, *_) = extract("A man was killed and two others were wounded in a shooting in Akron, Ohio on Friday.",
                      "2019-06-10")
    assert m.features["roundup"] is False


def test_a_headline_toll_raises_an_opening_that_tells_one_victim(extract) -> None:
    text = ("The Minneapolis Police Department now says eight people were shot in north Minneapolis on Wednesday "
            "night. A 20-year-old man died at the scene and five others were wounded.")
    article = make_article(text, "2016-06-02")
    vocab, gazetteer = load_vocabulary(), Gazetteer.default()
    article.title = "Shooting in north Minneapolis"
    assert [(m.killed, m.injured) for m in extract_mentions(article, vocab, gazetteer)] == [(1, 5)]
    article.title = "Police: 1 Dead, 7 Injured in North Minneapolis Gang-Related Shooting"
    assert [(m.killed, m.injured) for m in extract_mentions(article, vocab, gazetteer)] == [(1, 7)]
    # a headline that sums up a weekend's shootings does not raise one incident's toll
    article.title = "Police: 1 Dead, 7 Injured in weekend shootings"
    assert [(m.killed, m.injured) for m in extract_mentions(article, vocab, gazetteer)] == [(1, 5)]


def test_a_passage_with_the_same_dead_still_tells_the_lead_wounded(extract) -> None:
    # 'MORE: 4 shot, 1 killed' opens a passage of its own, but it is the lead's shooting told again.
    art = make_article("A man has been arrested in the Fourth of July shooting death of 23-year-old Dwayne Dillard, "
                       "police said.\n\nThe shooting happened Saturday July 4, 2015 in the 2600 block of Douglass "
                       "Place SE in Washington. Dillard was found suffering from a gunshot wound. He was taken to "
                       "the hospital where he later died.\n\nMORE: 4 shot, 1 killed in SE DC shooting\n\n"
                       "Three other males were also shot. They suffered non-life threatening injuries.", "2015-07-10")
    art.title = "Arrest made in fatal Fourth of July shooting"
    lead, *others = extract_mentions(art, load_vocabulary(), Gazetteer.default())
    assert others and (lead.killed, lead.injured) == (1, 3)
    # A roundup's own dead and wounded are another toll.
    art.text = art.text.replace("MORE: 4 shot, 1 killed in SE DC shooting\n\nThree other males were also shot.",
                                "Across the city, at least eight people were killed and 12 wounded that weekend.")
    lead, *_ = extract_mentions(art, load_vocabulary(), Gazetteer.default())
    assert lead.injured in (None, 0)


def test_a_zero_the_opening_only_implies_does_not_stop_the_read_of_the_wounded(extract) -> None:
    # 'the two were shot to death' tells two shot and two dead; it does not say no one else was hurt.
    art = make_article("The arrest of a man in the murder of his former girlfriend and a 2-year-old boy came as no "
                       "surprise.\n\nHe has been a person of interest in the murder of Heather Kelso and Kaden Lum "
                       "since the two were shot to death in late March in Bremerton, Washington.\n\n"
                       "The boy's father says he believes the man came after Kelso.\n\n"
                       "“My personal opinion is that Kaden wasn’t intentional,” he said.\n\n"
                       "“Heather may be a different story.”\n\nThey were shot when someone burst into her home. "
                       "Another man in the home was wounded.", "2015-05-01")
    art.title = "Arrest made in double homicide in East Bremerton"
    lead, *_ = extract_mentions(art, load_vocabulary(), Gazetteer.default())
    assert (lead.killed, lead.injured) == (2, 1)
    # ... but a headline or opening that says so is believed.
    art.title = "Arrest made in double homicide in East Bremerton that caused no injuries besides"
    lead, *_ = extract_mentions(art, load_vocabulary(), Gazetteer.default())
    assert (lead.killed, lead.injured) == (2, 0)


def test_multiple_people_wounded_is_more_than_one_and_the_count_comes_later(extract) -> None:
    opening = ("Multiple people were wounded in a shooting in Akron, Ohio on Wednesday afternoon. "
               "Officers were called to the 300 block of Main Street at 2:15 p.m. ")
    (lead, *_) = extract(opening + "Police said four people were shot, two of them seriously.", "2021-06-10")
    assert lead.injured == 4
    (lead, *_) = extract(opening + "No arrests have been made.", "2021-06-10")
    assert lead.injured == 2  # at least


def tolls(text: str, title: str) -> list[tuple[int | None, int | None]]:
    """The (killed, injured) each mention of an article of 2 June 2016 reads."""
    article = make_article(text, "2016-06-02")
    article.title = title
    return [(m.killed, m.injured) for m in extract_mentions(article, load_vocabulary(), Gazetteer.default())]


def test_an_opening_that_counts_more_hurt_raises_a_lead_of_one() -> None:
    # The lead passage names the worst hurt; the same sentence's 'double shooting' counts both.
    assert tolls("Miami-Dade Police are investigating a double shooting that left a teenager critically injured. "
                 "Police say the 16-year-old was found with multiple gunshot wounds in his legs.",
                 "Teen critically injured in shooting") == [(None, 2)]


def test_the_hurt_told_together_later_raise_a_lead_with_fewer() -> None:
    # The lead counts the man; the son hurt with him is only in 'Both victims were taken ...'.
    assert tolls("A man was shot Tuesday night in Southwest Atlanta, police said. The man and his 17-year-old son "
                 "were walking to a relative's home. Both victims were taken to a hospital and treated for their "
                 "injuries.", "Man shot in Southwest Atlanta") == [(None, 2)]


def test_a_lone_wounded_told_alone_later_stays_one() -> None:
    assert tolls("A man was shot Tuesday night in Southwest Atlanta, police said. He was walking to a relative's "
                 "home. He was taken to a hospital and is expected to survive.",
                 "Man shot in Southwest Atlanta") == [(None, 1)]


def test_a_lone_victim_who_died_further_on_is_a_death() -> None:
    # The opening tells the girl shot; only the seventh sentence that she died.
    assert tolls("The Catawba County Sheriff's Office is investigating an accidental shooting in Newton. "
                 "A 21-year-old man and a 16-year-old girl went to a house near Rocky Ford Road around 5 p.m. "
                 "Investigators say the man was showing the girl a handgun. He thought the gun was unloaded. "
                 "The gun went off. A bullet struck the girl in the chest. "
                 "She was transported to the hospital, but doctors were not able to save her.",
                 "Man accidentally shoots 16-year-old girl") == [(1, 0)]


def test_an_ordinal_victim_past_the_opening_counts_the_wounded() -> None:
    # The dead are named first; 'a fourth victim' comes after the window of the wounded.
    filler = " ".join(f"Detectives spoke with witness number {n} at the club on Lee Road." for n in range(1, 11))
    assert tolls("Three people have died after a shooting early Saturday at a club on Lee Road in Auburn. " + filler +
                 " A fourth victim was taken by personal vehicle to East Alabama Medical Center before officers arrived.",
                 "3 dead in Auburn club shooting") == [(3, 1)]


def test_a_death_of_another_cause_is_no_toll_of_the_attack() -> None:
    # Mourners were shot at; the man they mourned died in a crash weeks before.
    text = ("Four people were shot while attending a funeral service Friday in Southwest Fresno. "
            "Two men and two women were wounded in the drive-by shooting near Fresno Street. "
            "People were gathered for the funeral of Brandon Porraz, who died Nov. 27, police said. "
            "Porraz was killed in a high-speed motorcycle accident.")
    assert tolls(text, "Four injured in funeral service shooting")[0] == (None, 4)


def test_a_crash_story_keeps_its_own_toll() -> None:
    # No weapon in the lead: the other-cause words are the story itself.
    assert tolls("A crash closed Interstate 95 on Monday. Two people were killed in the car crash, police said.",
                 "Interstate crash") == [(2, None)]
