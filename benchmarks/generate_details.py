"""The sentences after a generated article's lead: time, what happened, victims, suspect, quotes.

Each is optional and the outlet puts them in an order of its own; the names, streets and venues in
them are what tells one incident's reports from a look-alike's, as in real reporting.
"""

from __future__ import annotations

import random

from generate_wording import Incident, Report, cap, clock, person, street_name, surname, toll_clause

NOUNS = {"shooting": "shooting", "stabbing": "stabbing", "explosion": "explosion", "interception": "attack",
         "fire": "fire", "arrest": "arrest"}
WITNESS_QUOTES = {
    "shooting": ["I heard five or six shots and got down on the floor", "It sounded like fireworks at first",
                 "This used to be a quiet street", "I just want it to stop", "We see the police here every week now"],
    "stabbing": ["There was shouting and then people started running", "I saw a man lying on the pavement",
                 "You don't expect this in the middle of the day"],
    "fire": ["We saw the smoke from two blocks away", "The flames were coming out of every window",
             "I banged on the doors to get everyone out"],
    "explosion": ["The whole house shook", "It felt like an earthquake", "I thought a plane had crashed"],
}
QUOTES = {
    "police": ["This is senseless violence, and we will find who did this",
               "We are asking anyone who saw something to come forward", "Our thoughts are with the families tonight",
               "We believe this was not a random act", "Officers arrived within minutes and began rendering aid"],
    "fire": ["The crews did everything they could", "Make sure your smoke alarms work",
             "The building was fully involved when we arrived"],
    "military": ["These attacks undermine the authority of Iraqi institutions and the rule of law",
                 "Our defences worked as intended", "We will respond at a time and place of our choosing",
                 "The attack is under investigation"],
}
DESCRIBED = ["a devoted parent", "a quiet person", "someone who loved to cook", "a hard worker", "a talented student"]
WORKED = ["worked at", "had just started a job at", "volunteered at", "was studying at"]
REMEMBERED = ["a fundraiser has been set up to help", "a vigil is planned to remember", "they said they would never forget"]
STRETCH = ["lined with small businesses", "a mix of row houses and vacant lots", "home to several apartment buildings",
           "close to a busy bus route"]
CHANGES = ["residents have asked for more lighting", "the city added patrols there last year",
           "a new community garden opened there in the spring", "a neighborhood group meets at a church nearby"]
CHARGES = ["robbery", "weapons", "drug", "assault", "theft"]


def details(inc: Incident, rep: Report, rng: random.Random, region: dict, officer: str, group: str) -> list[str]:
    """Sentences after the lead, each optional, in an order of this outlet's choosing."""
    out: list[str] = []
    kind, t = inc.kind, clock(inc.hour, inc.minute)
    noun = NOUNS[kind]
    local = inc.place.region in ("us", "europe")
    choice = rng.choice
    if kind in ("shooting", "stabbing") and local:
        out.append(choice([f"It happened around {t} {inc.venue}.",
                           f"Officers were called to {inc.street} around {t} after reports of a {noun}.",
                           f"The {noun} was reported at about {t}, {choice(['police', 'officials'])} said."]))
    elif kind in ("fire", "explosion") and local:
        out.append(choice([f"Crews were called to {inc.street} around {t}",  # 'a.m.' ends the sentence
                           f"The first 911 calls came in at about {t}, {choice(['officials', 'a dispatcher'])} said.",
                           f"Firefighters arrived within minutes of the {t} call."]))
    elif kind in ("interception", "explosion"):
        what = "defences engaged the threat" if kind == "interception" else "blast happened"
        out.append(choice([f"The attack came at about {t} local time, "
                           f"{choice(['a security source', 'officials', 'residents'])} said.",
                           f"Explosions were heard shortly after {t}, residents said.",
                           f"A statement said the {what} at around {t}"]))
    if rng.random() < 0.7:
        out.append(narrative(inc, rng, local))
    if local and kind in ("shooting", "stabbing", "fire", "explosion") and rng.random() < 0.5:
        lives = choice(["nearby", "down the street", "across the street", f"on {inc.street}"])
        out.append(f"\u201c{choice(WITNESS_QUOTES[kind])},\u201d said {person(rng, rng.random() < 0.5)}, who lives {lives}.")
    if kind == "shooting" and local and rng.random() < 0.2:
        out.append(f"{choice(['Investigators', 'Evidence technicians', 'Officers'])} "
                   f"{choice(['recovered', 'found', 'collected'])} {rng.randrange(3, 40)} shell casings near {inc.street}.")
    if local and rng.random() < 0.5:
        out.append(background(inc, rng))
    if inc.victims and kind in ("shooting", "stabbing", "fire") and rng.random() < 0.45 and rep.killed + rep.injured:
        names = [f"{v.name}, {v.age}" for v in inc.victims[: max(1, rep.killed + rep.injured)][:3]]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        who = choice(["Fire officials identified", "The medical examiner identified"] if kind == "fire" else
                     ["Police identified", "The coroner's office identified", "Authorities identified"])
        out.append(f"{who} the {'victim' if len(names) == 1 else 'victims'} as {listed}, of {choice(inc.place.forms)}.")
    if rep.injured and kind != "arrest":
        several = rep.injured > 1
        out.append(choice([f"{'The injured were' if several else 'The victim was'} taken to "
                           f"{choice(['area hospitals', 'a local hospital', 'a hospital'])}.",
                           f"{'One victim' if several else 'The victim'} was listed in "
                           f"{choice(['critical', 'stable', 'serious'])} condition.",
                           "Their conditions were not immediately known."]))
    out += outcome_sentences(inc, rep, rng, region)
    if group in QUOTES and rng.random() < 0.5:
        out.append(f"\u201c{choice(QUOTES[group])},\u201d {officer if rng.random() < 0.5 else 'a spokesman'} said.")
    rng.shuffle(out)
    return out


def outcome_sentences(inc: Incident, rep: Report, rng: random.Random, region: dict) -> list[str]:
    """Arrests, causes, casualties and blame: how the story stands at the time of writing."""
    kind, choice = inc.kind, rng.choice
    if kind in ("shooting", "stabbing"):
        return [choice(["No arrests have been made.", "Police did not release a description of a suspect.",
                        f"A {inc.suspect_age}-year-old man was taken into custody at the scene.",
                        "Investigators believe the victims knew the attacker.", "A motive was not immediately known."])]
    if kind == "fire":
        return [choice(["Investigators are working to determine the cause.",
                        "The Red Cross is helping the displaced residents.",
                        f"It took about {rng.randrange(20, 90)} firefighters to bring the fire under control."])]
    out = []
    if kind == "arrest":
        if inc.victims and rng.random() < 0.6:
            v, age = inc.victims[0], inc.suspect_age
            out.append(choice([f"Police identified the suspect as {v.name}, {age}, of {choice(inc.place.forms)}.",
                               f"{v.name}, {age}, faces {choice(CHARGES)} charges.",
                               f"Court records list the suspect as {v.name}, {age}."]))
        out.append(choice([f"The suspect was booked into the county jail on {choice(CHARGES)} charges.",
                           "A court date has not been set.", "Police said more arrests were possible."]))
        return out
    if kind == "interception" and rep.killed + rep.injured:
        toll = toll_clause(kind, rep.killed, rep.injured, inc, rep, rng).replace("people", "soldiers", 1)
        out.append(f"{cap(toll)}, {choice(['officials', 'a security source', 'medics'])} said.")
    elif rep.killed + rep.injured == 0:
        out.append(choice(["No casualties were reported.", "There were no injuries or damage.",
                           "The attack caused no casualties, officials said."]))
    if "attackers" in region:
        out.append(choice(["No group immediately claimed responsibility.", f"Officials blamed {choice(region['attackers'])}.",
                           f"Suspicion fell on {choice(region['attackers'])}."]))
    return out


def background(inc: Incident, rng: random.Random) -> str:
    """Words about the people or the street, which tell one story from another as real reporting does."""
    choice = rng.choice
    if inc.victims and inc.kind != "arrest" and rng.random() < 0.6:
        v = inc.victims[0]
        where = choice([f"the {surname(rng)} warehouse", f"{surname(rng)} Community College",
                        f"a restaurant on {street_name(rng)}", f"the {surname(rng)} Street library"])
        return (f"{choice(['Relatives', 'Friends', 'Co-workers', 'Neighbors'])} described {v.name.split()[0]} as "
                f"{choice(DESCRIBED)} who {choice(WORKED)} {where}; {choice(REMEMBERED)} {'him' if v.male else 'her'}.")
    corner = street_name(rng).rsplit(" ", 1)[0]
    return f"The stretch of {inc.street} near {corner} is {choice(STRETCH)}, and {choice(CHANGES)}."


def narrative(inc: Incident, rng: random.Random, local: bool) -> str:
    """A sentence of what happened, beyond the lead."""
    kind, choice = inc.kind, rng.choice
    if kind in ("shooting", "stabbing") and local:
        attacker = "shooter" if kind == "shooting" else "attacker"
        fled = choice(["on foot", "in a silver sedan", "in a dark SUV", f"toward {inc.street}"])
        then = ("a car pulled up and someone inside opened fire." if kind == "shooting"
                else "a man approached them and attacked them with a knife.")
        return choice([f"Investigators said {choice(['an argument broke out', 'a fight started', 'two groups exchanged words'])} "
                       f"shortly before the {kind}.",
                       f"Witnesses described the {attacker} as a man in a dark hoodie who fled {fled}.",
                       f"The victims were standing outside when {then}"])
    if kind in ("shooting", "stabbing"):
        return choice(["Gunmen on motorcycles opened fire and fled, a security source said.",
                       "The attackers escaped before security forces arrived, witnesses said."])
    if kind == "fire":
        return choice([f"The fire started on the {choice(['first', 'second', 'third'])} floor and spread to the roof, "
                       "officials said.",
                       "Flames were showing from the roof when the first crews arrived.",
                       "Heavy smoke forced firefighters to attack the blaze from outside at first."])
    if kind == "explosion":
        return choice(["The blast shattered windows and damaged several cars parked nearby.",
                       "The explosion left a crater in the road and scattered debris across the area.",
                       "Emergency crews searched the debris for anyone trapped."])
    if kind == "interception":
        if inc.place.region == "ukraine":
            return (f"Russia launched {inc.quantity + rng.randrange(5, 60)} drones and {rng.randrange(2, 15)} missiles "
                    f"at Ukraine overnight, the air force said. Falling debris damaged {rng.randrange(2, 30)} homes "
                    "in the city.")
        side = choice(["west", "east", "north", "south"])
        return choice([f"The {inc.weapon}s were launched from an area {side} of the target, a security source said.",
                       f"Sirens sounded shortly before the {inc.weapon}s were engaged, a witness said.",
                       f"A launch platform was later found {rng.randrange(3, 20)} kilometres away, officials said."])
    return choice([f"Officers found {choice(['a handgun', 'drugs and cash', 'stolen property'])} when they searched "
                   f"{choice(['a car', 'the home', 'a storage unit'])}, police said.",
                   "The suspect was taken into custody without incident.",
                   "Police said the suspect had several prior arrests."])
