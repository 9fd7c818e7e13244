"""Casualty counts: the shapes news gives a toll in, sentences and headlines."""

from __future__ import annotations

import pytest

from dedupe.casualties import read_casualties, read_headline_figures, read_lead_toll, read_toll
from dedupe.vocabulary import load_vocabulary


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary()


@pytest.mark.parametrize("sentence, killed", [
    ("A woman and her three sons were found dead in their home on Elm Street.", 4),
    ("Two men and a teenager are dead after the shooting outside a gas station.", 3),
    ("Grandmother, 9-year-old grandson shot and killed in Dayton", 2),
    ("Father, daughter found shot to death in apartment", 2),
    ("Police said he shot and killed his girlfriend and her two children before turning the gun on himself.", 4),
    ("Man kills ex-wife, then himself", 2),
    ("The gunman opened fire on the crowd, killing five, then shot himself.", 6),
    ("Detectives are investigating a double homicide on the East Side.", 2),
    ("Investigators called it a triple murder-suicide.", 4),
    ("Five people were found shot to death inside the house.", 5),
    ("One of the victims later died at the hospital.", 1),
])
def test_killed_from_lists_killers_and_named_tolls(vocab, sentence: str, killed: int) -> None:
    assert read_casualties(sentence, vocab)[0] == killed


def test_a_murder_suicide_is_at_least_two_dead_in_a_lead_that_gives_no_more(vocab) -> None:
    assert read_casualties("Neighbors were shocked by the murder-suicide.", vocab)[0] is None  # a floor, not a toll
    assert read_lead_toll("Man kills wife in murder-suicide", "Police were called on Sunday.", vocab)[0] == 2
    assert read_lead_toll("Four dead in apparent murder-suicide", "Police were called on Sunday.", vocab)[0] == 4


def test_a_day_of_the_month_is_not_a_count(vocab) -> None:
    assert read_casualties("A man who was shot on Oct. 4 died on Sunday.", vocab)[0] is None


def test_ages_and_slashed_dates_are_no_count(vocab) -> None:
    assert read_casualties("Four boys between ages 12 and 16 were wounded on the West Side.", vocab)[1] != 16
    assert read_casualties("Two men, aged 19 and 20, were wounded.", vocab)[1] != 20
    assert read_casualties("a 4-year-old accidentally being shot 10/16/16 (LVMPD)", vocab)[1] is None
    assert read_casualties("Police said 16 were wounded.", vocab)[1] == 16


def test_an_age_in_a_list_is_not_a_count(vocab) -> None:
    assert read_casualties("A mother and her 12-year-old son were killed.", vocab)[0] == 2


@pytest.mark.parametrize("title, killed, injured", [
    ("Teenage boy shot and killed by family member", 1, None),
    ("Eighth grader dead after shooting at birthday party", 1, None),
    ("Boy, 6, dies after shooting in Gary", 1, None),
    ("Boy, 15, shot in Englewood", None, 1),
    ("Woman killed, another wounded in drive-by shooting", 1, 1),
    ("6-year-old fatally shoots grandfather at barbecue", 1, None),
    ("Teen charged with killing uncle in Shreveport", 1, None),
    ("Chicago deacon killed, boy wounded on family's couch", 1, 1),
    ("Man killed, suspect arrested in shooting", 1, None),
])
def test_headlines_without_auxiliaries(vocab, title: str, killed: int | None, injured: int | None) -> None:
    assert read_lead_toll(title, "Police are investigating the shooting.", vocab) == (killed, injured)


def test_drones_shot_down_hurt_no_one(vocab) -> None:
    title = "Two drones were shot down over an airbase on Sunday, the military said"
    assert read_lead_toll(title, "The air defence system was shot down the drones, a statement said.", vocab) \
        == (None, None)
    assert read_lead_toll("Drone shot down near the airport", "A drone was shot down.", vocab) == (None, None)


def test_a_victim_shot_then_dead_is_not_also_injured(vocab) -> None:
    opening = "Officers found the victim in critical condition on Sunday.\nHe later died at a hospital."
    assert read_lead_toll("Man dies after shooting", opening, vocab) == (1, None)
    opening = "A man was shot in the chest on Sunday.\nHe was taken to a hospital, where he died."
    assert read_lead_toll("Man dies after shooting", opening, vocab) == (1, 0)
    opening = "A man was shot in the chest on Sunday.\nHe was taken to a hospital in critical condition."
    assert read_lead_toll("Man shot on North Avenue", opening, vocab) == (None, 1)


def test_shot_list_minus_the_dead_are_injured(vocab) -> None:
    opening = "Two men and a woman were shot outside a bar early Sunday, and one of the men died."
    assert read_lead_toll("Three shot outside bar", opening, vocab) == (1, 2)


@pytest.mark.parametrize("title, opening, toll", [
    # the dead among those shot
    ("", "A pair of gunmen shot six people, one fatally, at a West Side party.", (1, 5)),
    ("", "Three people were shot, two of them fatally, outside a bar.", (2, 1)),
    # a person included in a count is one of them; a dash sets off who they were
    ("", "Four people, including a 13-year-old girl, were injured in the shooting.", (None, 4)),
    ("", "The four victims - three women and one man - were shot in the upper body.", (None, 4)),
    ("", "Police said four individuals were shot outside the club.", (None, 4)),
    # someone hurt besides the dead, without a number
    ("", "A father was killed and his 4-year-old son was shot while playing outside.", (1, 1)),
    ("", "The teen died at the scene. An adult man was also shot and is expected to recover.", (1, 1)),
    ("", "A woman was killed in the kitchen, and the gunman fled after wounding another.", (1, 1)),
    ("", "There was a disturbance and one individual was shot and later died at the hospital.", (1, None)),
    ("", "Two boys were fatally shot Tuesday. The shooting also injured a 65-year-old security guard.", (2, 1)),
    ("", "The teen was pronounced dead. An 18-year-old woman was also hit, but her injuries were minor.", (1, 1)),
    ("", "Perry was found fatally wounded. Officers found another 16-year-old boy who had been shot in the ankle.",
     (1, 1)),
    ("", "A man was shot and killed. Police also shot and killed the gunman's dog.", (1, 0)),
    # a list after the verb, and people named by their age
    ("", "A drive-by shooting injured three adults and an 11-year-old child.", (None, 4)),
    ("", "A gunman shot his girlfriend and her three teenage daughters at an apartment.", (None, 4)),
    ("", "An 18-year-old girl and 3-year-old were injured in a shooting Monday morning.", (None, 2)),
    ("", "A gunman shot and killed a man and wounded two others on Elm Street.", (1, 2)),
    ("Four shot, two critically injured at a hall", "Police say four people were shot during a fight.", (None, 4)),
    ("3 People Found Shot To Death Inside Car", "Three people were found shot to death and a fourth person was "
     "injured sitting inside the car.", (3, 1)),
    # a shooting named for how many it hit
    ("Police investigating deadly shooting", "One man is dead in a double shooting overnight.", (1, 1)),
    ("", "Three people were killed in a quadruple shooting in Gentilly.", (3, 1)),
    # one person hurt, told without a count
    ("", "An 18-year-old man was accidentally shot in the face.", (None, 1)),
    ("", "Police said the 3-year-old boy shot himself in the leg with his father's gun.", (None, 1)),
    ("Man accidentally shoots friend in leg", "The friend was helped by EMS.", (None, 1)),
    ("Girl recovers after being hit by stray bullet", "She came home on Monday.", (None, 1)),
    # one death, told without a count
    ("", "He was later pronounced dead at the scene.", (1, None)),
    ("", "Police are investigating a deadly shooting in southwest Atlanta.", (1, None)),
])
def test_lead_toll_shapes(vocab, title: str, opening: str, toll: tuple) -> None:
    assert read_lead_toll(title, opening, vocab) == toll


def test_a_life_claimed_is_a_death(vocab) -> None:
    assert read_casualties("The shooting claimed the life of one woman and injured three men.", vocab) == (1, 3)
    assert read_casualties("The fire took the lives of two children.", vocab)[0] == 2


@pytest.mark.parametrize("sentence, killed", [
    # the killer's own death, told apart from the victims, is one more dead
    ("A gunman shot and killed a customer at a liquor store on Sunday before being fatally shot by police.", 2),
    ("The shooter killed three victims and wounded several others before taking his own life.", 4),
    ("He is suspected of killing his 2-year-old son and then taking his own life.", 2),
    # a list of victims ended by the killer, with or without 'then'
    ("Police: Neighbor kills woman, her son, himself in Las Vegas", 3),
    ("Gunman fatally shoots 3 musicians, self in Brooklyn", 4),
    ("The father of a student who killed four classmates and himself was arrested.", 5),
    ("A man is suspected of shooting a woman and a child to death before turning the gun on himself.", 3),
    # counts of all the dead already hold the killer
    ("Two people are dead including the gunman, who took his own life.", 2),
    ("Three people were found dead; the man appeared to have died of a self-inflicted gunshot wound.", 3),
    ("Two people were killed in what police called a murder-suicide; the man then killed himself.", 2),
    # the one killed by police is the only death
    ("A man was shot and killed by police on Sunday.", 1),
])
def test_the_killers_own_death(vocab, sentence: str, killed: int) -> None:
    assert read_casualties(sentence, vocab)[0] == killed


def test_the_killers_death_alone_is_one_dead_and_not_one_of_those_he_shot(vocab) -> None:
    assert read_lead_toll("Suspect dead after shooting deputy", "The standoff ended when the suspect died.", vocab)[0] == 1
    opening = "Three people were shot, one fatally, before the gunman turned the gun on himself."
    assert read_lead_toll("", opening, vocab) == (2, 2)


@pytest.mark.parametrize("opening, killed", [
    ("January 9, 2017 Man dead after shootout with guards outside a strip club", None),  # a year
    ("This article is about the 2014 killing spree.", None),
    ("The man died 4 days after the shooting.", 1),  # days, not people
    ("A boy accidentally shot his brother, according to the Metro Homicide Unit.", None),  # a police unit
])
def test_numbers_and_words_that_are_no_deaths(vocab, opening: str, killed: int | None) -> None:
    assert read_lead_toll("", opening, vocab)[0] == killed


def test_a_verb_before_a_list_of_victims_and_people_recovering(vocab) -> None:
    sentence = "A shooting in downtown Denver left three women and one man injured early Monday."
    assert read_casualties(sentence, vocab)[1] == 4
    assert read_casualties("Four people are recovering after a shooting outside a restaurant.", vocab)[1] == 4


@pytest.mark.parametrize("opening", [
    "A 17 year old was hurt on Sunday evening when his gun exploded.",
    "A female victim is expected to recover after an early Saturday morning shooting.",
])
def test_one_hurt_told_by_recovery(vocab, opening: str) -> None:
    assert read_lead_toll("", opening, vocab) == (None, 1)


@pytest.mark.parametrize("sentence, toll", [
    ("Three people were killed and one critically wounded in a Dallas shooting Sunday.", (3, 1)),
    ("Two men were fatally wounded and one seriously injured.", (2, 1)),
])
def test_an_adverb_before_the_verb(vocab, sentence: str, toll: tuple) -> None:
    # 'fatally wounded' is a death, not an injury.
    assert read_casualties(sentence, vocab) == toll


def test_word_prefilters_rule_out_only_texts_the_patterns_cannot_match(vocab) -> None:
    from dedupe.casualties import may_match

    for text in ("The gunman later died.", "Police shot and killed the suspect.",
                 "He took his own life.", "A DOUBLE HOMICIDE", "a murder-suicide"):
        assert may_match(vocab.killer_died_needs, text) or not vocab.killer_died.search(text)
        assert may_match(vocab.named_toll_needs, text) or not vocab.named_toll.search(text)
    assert not may_match(vocab.killer_died_needs, "Two people were hurt in a crash.")
    # the long s matches 's' case-insensitively: no quick look for 'suspect' rules it out
    assert vocab.killer_died.search("the ſuspect died") and may_match(vocab.killer_died_needs, "the ſuspect died")
    assert read_casualties("The ſuspect killed two people before he took his own life.", vocab)[0] == 3


@pytest.mark.parametrize("title, figures", [
    ("Police: 1 Dead, 7 Injured in North Minneapolis Gang-Related Shooting", (1, 7)),
    ("5 Dead, 17 Wounded In Weekend Shootings", (5, 17)),
    ("Man charged in shooting that injured 5-year-old, left man dead", (None, None)),  # an age, no figure
    ("Teen shot, killed during party", (None, None)),  # no figure at all
])
def test_headline_figures(vocab, title: str, figures: tuple) -> None:
    assert read_headline_figures(title, vocab) == figures


def test_a_pronoun_in_a_list_of_the_shot_is_one_person(vocab) -> None:
    opening = "A District man died Tuesday night after he and four others were shot in front of a home."
    assert read_lead_toll("One teenager dead after homicide", opening, vocab) == (1, 4)


def test_a_list_of_the_also_injured(vocab) -> None:
    assert read_casualties("Another man and a six-month-old baby were also injured in that shooting.", vocab)[1] == 2


def test_an_age_inside_a_clause_is_no_second_victim(vocab) -> None:
    title = "Teen mother slain Schenectady, leaves child, 2"
    opening = (f"{title} Police say 17-year-old was shot in head shortly before midnight\n"
               "In the apartment next door, 17-year-old Medina Knowles died from a gunshot to the head.")
    assert read_lead_toll(title, opening, vocab) == (1, None)


def test_things_struck_by_gunfire_are_no_one_hurt(vocab) -> None:
    opening = ("Police located a juvenile victim who had been fatally shot.\n"
               "Other residences, all vacant, in the block were also struck by gunfire.")
    assert read_lead_toll("Juvenile dies in early morning shooting", opening, vocab) == (1, None)
    opening = "Police located a man who had been fatally shot.\nA 28-year-old man was also hit."
    assert read_lead_toll("Man dies in early morning shooting", opening, vocab) == (1, 1)


def test_another_room_is_no_other_victim(vocab) -> None:
    opening = "A woman was shot and killed Sunday.\nHer son was sleeping in another room when she was shot."
    assert read_lead_toll("Woman killed in her home", opening, vocab) == (1, 0)


def test_shooting_victims_found_count_everyone_hit(vocab) -> None:
    opening = ("A 17-year-old teenager was shot and killed in Akron Wednesday afternoon.\n"
               "They found two shooting victims: the 17-year-old male and a 19-year-old male.")
    assert read_lead_toll("17-year-old dead after Akron shooting", opening, vocab) == (1, 1)


@pytest.mark.parametrize("title, opening, injured", [
    ("MPD: Teen arrested after shooting 18-year-old girl in chest", "Police were called on Sunday.", 1),
    ("Suspect arrested", "The 23-year-old who reportedly shot his friend in the chest has been arrested.", 1),
    ("Two arrested", "They are accused of shooting two men outside a bar.", 2),
    # headlines drop the determiner; 'the shooting of' names who was shot
    ("Former Cop Accused Of Shooting Teen Girl In Road Rage Incident", "Police said.", 1),
    ("Authorities investigate accidental shooting of child, father", "Police said.", 1),
    ("Police: shooting suspect arrested", "Police said.", None),
    # fired at a thing, or 'shooting' as a noun, is no one shot
    ("Shots fired downtown", "Officers shot at the car.", None),
    ("Alturas shooting victims identified", "Police released their names.", None),
    # a graze, a bullet that struck a person, stray bullets
    ("Shooting ruled accidental", "A shooting that left a 12-year-old with a graze wound has been ruled accidental.", 1),
    ("Accidental shooting", "The woman was struck in the shoulder when a gun discharged.", 1),
    ("Shots fired into 2017", "Two people were struck by stray bullets after midnight.", 2),
])
def test_one_shot_told_by_its_object_or_wound(vocab, title: str, opening: str, injured: int | None) -> None:
    assert read_lead_toll(title, opening, vocab) == (None, injured)


def test_males_and_juveniles_are_people(vocab) -> None:
    assert read_casualties("Two juveniles were sent to the hospital after the gun went off.", vocab)[1] == 2
    assert read_casualties("Police said four males were wounded near the park.", vocab)[1] == 4


def test_one_of_the_wounded_is_no_count_of_the_wounded(vocab) -> None:
    assert read_casualties("One of the wounded has died, according to Atlanta police.", vocab)[1] is None
    assert read_casualties("Two of them were injured.", vocab)[1] == 2


def test_people_then_who_they_were_is_one_list(vocab) -> None:
    assert read_casualties("Two people, a 14-year-old and an 18-year-old, were injured.", vocab)[1] == 2
    assert read_casualties("Two men, a woman and a child were wounded.", vocab)[1] == 4


def test_customers_and_agents_are_people(vocab) -> None:
    assert read_headline_figures("Deputy kills Raising Cane's robbery suspect; 2 customers hurt", vocab)[1] == 2
    assert read_casualties("Three agents were injured during the shootout at a Topeka motel.", vocab)[1] == 3


def test_a_clause_of_if_lists_no_one_more(vocab) -> None:
    # 'who shot the teen, or if the teen shot himself' is one teen asked about twice, not two shot.
    opening = ("Police say a 15-year-old is dead after a shooting in the 9500 block of Page.\n"
               "Investigators have not revealed who shot the teen, or if the teen shot himself.")
    assert read_lead_toll("Teen shot and killed in Overland", opening, vocab) == (1, None)
    assert read_lead_toll("", "Police shot a man, a woman and a teen.", vocab)[1] == 3


def test_what_is_told_lists_no_one_more(vocab) -> None:
    # 'the victim, it's believed the child shot himself' is one child, not a list of two.
    opening = ("Milwaukee police say a 4-year-old boy accidentally shot and killed himself.\n"
               "“Based on the evidence and injuries to the victim, it's believed the child shot himself,” police said.")
    assert read_lead_toll("", opening, vocab)[1] in (None, 0)


def test_other_shooting_victims_are_hurt_besides_the_dead(vocab) -> None:
    opening = ("Officers arrived to find Banes and Clark, both 31, with apparent gunshot wounds. They were later "
               "pronounced dead at the hospital.\nTwo other gunshot victims arrived at the hospital via personal vehicles.")
    assert read_lead_toll("Jury returns verdict in downtown double homicide", opening, vocab) == (2, 2)


def test_victims_found_with_gunshot_wounds_were_shot(vocab) -> None:
    opening = ("An 8-year-old girl died Sunday morning after an accidental shooting inside a home.\n"
               "When deputies arrived, they discovered two victims with gunshot wounds.")
    assert read_lead_toll("", opening, vocab) == (1, 1)


def test_a_count_confirmed_to_have_been_shot(vocab) -> None:
    opening = ("Police have confirmed that one person is dead and a number of other victims are injured.\n"
               "Four people were confirmed to have been shot.")
    assert read_lead_toll("Lake Charles shooting; one dead and several injured", opening, vocab) == (1, 3)


def test_left_one_dead_and_another_wounded(vocab) -> None:
    opening = ("A suspect in a home invasion that ended in a shootout that left his accomplice dead and a resident "
               "wounded remained at large.")
    assert read_lead_toll("Father kills intruder in Lemon Grove", opening, vocab) == (1, 1)
    assert read_lead_toll("Father kills intruder in Lemon Grove", opening.replace(" and a resident wounded", ""),
                          vocab) == (1, None)


def test_someone_also_found_with_a_gunshot_wound(vocab) -> None:
    opening = ("A 13-year-old girl was shot and killed Saturday afternoon.\nA 28-year-old man was also found at the "
               "scene, near 3rd Street and Pease Street, with a gunshot wound to the arm, police said.")
    assert read_lead_toll("", opening, vocab) == (1, 1)
    assert read_lead_toll("", opening.replace("also found", "found"), vocab)[1] in (None, 0)


@pytest.mark.parametrize("opening", [
    "A 21-year-old man was accidentally shot by his cousin on Sunday. The round struck him in the chest, mortally "
    "wounding him, the coroner said.",
    "A 5-year-old boy was accidentally shot in the head on Monday. He passed away at the hospital on Tuesday.",
    "A man accidentally shot his friend at a home on Monday, police said. Doctors were not able to save him.",
])
def test_the_one_shot_who_died_later_is_a_death_not_an_injury(vocab, opening: str) -> None:
    assert read_lead_toll("", opening, vocab) == (1, 0)


@pytest.mark.parametrize("title", ["Father of 3 fatally shot outside northeast Houston Walgreens",
                                   "Mother of two shot dead in her driveway"])
def test_how_many_children_a_victim_had_is_no_toll(vocab, title: str) -> None:
    assert read_lead_toll(title, "Police are looking for the gunman.", vocab)[0] == 1


@pytest.mark.parametrize("title, injured", [("Austin Shooting Wounds 4 Boys, Police Say", 4),
                                             ("Shooting injures 4 at banquet hall in Warren", 4)])
def test_a_headlines_present_tense_verb_counts_the_wounded(vocab, title: str, injured: int) -> None:
    assert read_headline_figures(title, vocab) == (None, injured)


@pytest.mark.parametrize("opening, injured", [("Two teenage boys were shot Friday evening in Roseland.", 2),
                                               ("Three other adult victims were wounded.", 3)])
def test_words_between_a_count_and_its_victims_keep_the_count(vocab, opening: str, injured: int) -> None:
    assert read_lead_toll("", opening, vocab) == (None, injured)


def test_a_victim_named_with_an_adjective_is_not_a_count_of_one(vocab) -> None:
    # 'a teenage girl' is one of the list, not the toll: the list is counted.
    assert read_casualties("A woman and a teenage girl were wounded in the shooting.", vocab) == (None, 2)


@pytest.mark.parametrize("title, opening", [
    ("13-year-old's toe grazed by bullet at strip mall", "Police are looking for the person who fired."),
    ("Police ID carjacking suspect", "The armed suspect was hit and wounded during the struggle, officers said."),
])
def test_one_grazed_or_hit_and_wounded_is_one_injured(vocab, title: str, opening: str) -> None:
    assert read_lead_toll(title, opening, vocab) == (None, 1)


def test_a_count_does_not_run_across_a_line_break(vocab) -> None:
    # The '4' ends the station's name in the headline; the opening's line is about one child.
    title = "2-year-old dies after being shot inside Madison apartment - WSMV Channel 4"
    assert read_lead_toll(title, "2-year-old injured in shooting at Madison apartment.", vocab)[1] != 4


@pytest.mark.parametrize("sentence, injured", [
    ("Investigators released the names of two people found dead and two more who were injured inside a home.", 2),
    ("Three others who were wounded in the shooting were taken to Grady Memorial Hospital.", 3),
])
def test_others_who_were_hurt_are_counted(vocab, sentence: str, injured: int) -> None:
    assert read_casualties(sentence, vocab)[1] == injured


def test_people_who_were_shot_still_count_no_wounded(vocab) -> None:
    # Those shot include the dead: only 'others'/'more' who were hurt are besides them.
    assert read_casualties("Two people who were shot were taken to a hospital.", vocab)[1] is None


def test_a_count_after_injuries_does_not_run_across_a_line_break(vocab) -> None:
    # 'injuries' ends the headline; 'An 18-year-old' begins the story and is no count of the hurt.
    assert read_lead_toll("New charges made after 16-year-old dies from shooting injuries",
                          "An 18-year-old faces murder charges in connection with a November shooting.", vocab) == (1, None)


def test_the_victims_told_after_victims_are_all_those_hit(vocab) -> None:
    # 'Multiple people were wounded' is at least two; the victims' appositive says how many.
    assert read_lead_toll("Police: N. Braddock shooting may be in retaliation",
                          "Police are investigating a shooting that left multiple people wounded. Police say it "
                          "appears the victims, four young men who have not yet been identified, were on the "
                          "front porch.", vocab) == (None, 4)


def test_the_first_of_a_list_of_victims_is_not_their_count(vocab) -> None:
    assert read_lead_toll("", "The victims, three men and a woman, were all between 20 and 30.", vocab) == (None, None)


def test_one_victim_of_a_list_after_victims_is_not_their_count(vocab) -> None:
    # The two dead and three hurt are each listed; 'a 25-year-old man' is the first of the three.
    assert read_lead_toll("", "Two victims, a 25-year-old man and a 26-year-old man, died at the scene. Three victims, "
                              "a 25-year-old man, a 26-year-old man, and a 33-year-old man, were all transported to "
                              "a local hospital.", vocab)[1] != 0


def test_a_charge_of_attempted_homicide_is_no_death(vocab) -> None:
    assert read_lead_toll("Woman, 3 teenage daughters shot in Nashville",
                          "Detectives have issued arrest warrants charging a man with four counts of attempted homicide. "
                          "Police said he shot his girlfriend and her three teenage daughters at an apartment complex.",
                          vocab) == (None, 4)


def test_the_hurt_by_gunfire_are_the_shot_among_the_hurt() -> None:
    vocab = load_vocabulary()
    # One of the six was hurt otherwise (glass, a fall): five were shot.
    assert read_casualties("A shooting in West Oakland on Friday night left six people injured, five with gunshot "
                           "wounds, police said.", vocab) == (None, 5)
    assert read_casualties("A shooting in West Oakland on Friday night left six people injured.", vocab) == (None, 6)


@pytest.mark.parametrize("sentence, killed", [
    # When or how the victims died follows them: 'Friday morning', 'dead', 'last month'.
    ("A father shot and killed his two sons Friday morning before taking his own life.", 3),
    ("A man shot his 1-year-old daughter dead before turning the gun on himself.", 2),
    ("He fatally shot three people last month before turning the gun on himself.", 4),
])
def test_victims_before_the_killers_death_with_when_or_how_after_them(vocab, sentence: str, killed: int) -> None:
    assert read_lead_toll("", sentence, vocab)[0] == killed


@pytest.mark.parametrize("sentence, killed", [
    # A clause after the victim tells more than when or how: no more dead are read from it.
    ("A 3-year-old boy was killed when he accidentally shot himself.", 1),
    ("Police shot and killed a woman who barricaded herself inside a home.", 1),
])
def test_a_clause_after_the_victim_adds_no_dead(vocab, sentence: str, killed: int) -> None:
    assert read_lead_toll("", sentence, vocab)[0] == killed


def test_left_some_wounded_counts_no_dead(vocab) -> None:
    # 'left N dead' and 'left N wounded' share a pattern; the state after the count says which.
    assert read_toll("Police search for suspects in overnight shooting that left four wounded", vocab) == (None, 4, False)
    assert read_toll("a shooting that left 2 dead and three wounded.", vocab) == (2, 3, False)
    assert read_toll("a shooting that left four people dead.", vocab)[:2] == (4, None)


def test_a_count_never_reaches_across_a_line(vocab) -> None:
    # The headline repeated as the first line: '... wounded 3 more' then 'Man dies' is no '3 more man dies'.
    title = "Man dies 4 days after West Side shooting that wounded 3 more"
    assert read_lead_toll(title, title, vocab) == (1, 3)


@pytest.mark.parametrize("sentence, toll", [
    # The subject of an active verb with counted people for its object is the killer, not a victim.
    ("A man shot and killed two people on Sunday.", (2, None)),
    ("A father shot and killed his two sons.", (2, None)),
    ("A man fatally shot his 2 sons.", (2, None)),
    # A headline's two counts stay two counts.
    ("1 killed 3 injured in weekend shooting", (1, 3)),
    # The members of a family are counted people.
    ("Three members of a family were fatally shot Sunday.", (3, None)),
    ("Three family members were killed.", (3, None)),
    ("Two sons were shot and killed.", (2, None)),
    # A number before a hyphen is an age, even when its noun comes later: '12- and 10-year-old'.
    ("A father shot and killed his 12- and 10-year-old sons.", (None, None)),
    ("A woman fatally shot her 17-month-old son.", (1, None)),
])
def test_who_the_count_is_of(vocab, sentence: str, toll: tuple[int | None, int | None]) -> None:
    assert read_casualties(sentence, vocab) == toll


@pytest.mark.parametrize("sentence, killed, injured", [
    ("He left his blind to retrieve a wounded turkey around 7:30 a.m.", None, None),
    ("The hunters had killed two deer before one man was wounded.", None, 1),
    ("A wounded man ran from the house.", None, 1),
])
def test_a_count_of_animals_is_no_casualty(vocab, sentence: str, killed: int | None, injured: int | None) -> None:
    assert read_casualties(sentence, vocab) == (killed, injured)


@pytest.mark.parametrize("title, killed, injured", [
    ("Porterville officer, suspect wounded in exchange of gunfire", None, 2),
    ("Deputy, suspect killed in shootout", 2, None),
])
def test_a_suspect_listed_with_a_victim_is_counted(vocab, title: str, killed: int | None, injured: int | None) -> None:
    # the registry counts everyone shot, the suspect too
    assert read_casualties(title, vocab) == (killed, injured)
