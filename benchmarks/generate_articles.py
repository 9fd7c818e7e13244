"""One generated article: headline and text of an outlet's report of an incident.

An article is a dateline and a lead (what, where, when, who says so), details in an order of its own
(generate_details.py), sometimes an older incident at the same place mentioned in passing or another
incident of the region that day, and background of the region to the usual length. Wire copies are
the same text with a reprint's edits.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from generate_details import NOUNS, details
from generate_wording import (
    ORDINALS,
    WEEKDAYS,
    Incident,
    Report,
    cap,
    clock,
    count_word,
    expand,
    month_day,
    munitions,
    place_phrase,
    site_name,
    toll_clause,
    toll_participle,
    victim_noun,
    when_phrase,
)

DASHES = ("-", "\u2013", "\u2014")
def official(rng: random.Random, region: dict, group: str, inc: Incident, officer: str) -> str:
    officials = region["officials"]
    pool = officials.get(group) or officials.get("police") or officials.get("military")
    return rng.choice(pool).format(city=inc.place.city, officer=officer)


def group_of(kind: str, region: dict) -> str:
    if kind in ("interception",) or (kind == "explosion" and "military" in region["officials"]):
        return "military"
    if kind in ("fire", "explosion"):
        return kind if kind in region["officials"] else "fire"
    return "police"


def left_phrase(k: int, j: int, inc: Incident, rng: random.Random) -> str:
    """What a shooting 'left': 'two men dead', 'one person dead and three injured'."""
    if k + j == 1 and inc.victims:
        return f"{victim_noun(inc.victims[0], rng.random() < 0.5)} {'dead' if k else 'wounded'}"
    parts = []
    if k:
        parts.append(f"{count_word(k)} {'people' if k > 1 else 'person'} dead")
    if j:
        noun = ("others" if j > 1 else "other") if k else ("people" if j > 1 else "person")
        parts.append(f"{count_word(j)} {noun} {rng.choice(['injured', 'wounded'])}")
    return " and ".join(parts)


def said(attr: str) -> str:
    """'police said', but 'Sgt. Tyler Cooper, a police spokesman, said'."""
    return f"{attr}, said" if "," in attr else f"{attr} said"


def over(where: str) -> str:
    """'at the Ain al-Asad airbase' -> 'over the Ain al-Asad airbase' (what is shot down is above it)."""
    head, _, rest = where.partition(" ")
    return f"over {rest}" if head in ("at", "in", "on") else where


def lead(inc: Incident, rep: Report, rng: random.Random, where: str, when: str, attr: str,
         defences: Sequence[str]) -> str:
    k, j, kind = rep.killed, rep.injured, inc.kind
    at = " ".join(x for x in (where, when) if x)
    if kind in ("shooting", "stabbing"):
        toll = toll_clause(kind, k, j, inc, rep, rng)
        venue = inc.venue
        named = "shot" in toll or "stabbed" in toll
        n = rng.randrange(5)
        if n == 0:
            return f"{cap(toll)} {'' if named else 'in a ' + kind} {venue} {at}, {said(attr)}."
        if n == 1 and where.startswith("in "):
            return f"Police {where} are investigating a {kind} {venue} {when} that left {left_phrase(k, j, inc, rng)}."
        if n == 2:
            return f"A {kind} {venue} {at} left {left_phrase(k, j, inc, rng)}, according to {attr}."
        if n == 3 and kind == "shooting":
            shooter = rng.choice(["a gunman", "someone", "a man"])
            return f"{cap(toll)} {when} when {shooter} opened fire {venue} {where}, {said(attr)}."
        return f"{said(cap(attr))} {toll} {'' if named else 'in a ' + kind} {venue} {at}."
    if kind == "fire":
        building = f"{inc.detail} on {inc.street}" if inc.street else inc.detail
        n = rng.randrange(3)
        if n == 0 or k + j == 0:
            verb = rng.choice(["tore through", "broke out at", "gutted", "swept through"])
            return f"A fire {verb} {building} {at}, {toll_participle(k, j, rng)}, {said(attr)}."
        if n == 1:
            return f"{cap(toll_clause(kind, k, j, inc, rep, rng))} in a fire at {building} {at}, {said(attr)}."
        toll = toll_clause(kind, k, j, inc, rep, rng)
        return f"Firefighters battled a blaze at {building} {at}, and {toll}, {said(attr)}."
    if kind == "explosion":
        n = rng.randrange(3)
        if n == 0:
            return f"{cap(inc.detail)} exploded {inc.venue} {at}, {toll_participle(k, j, rng)}, {said(attr)}."
        if n == 1 and k + j:
            toll = cap(toll_clause(kind, k, j, inc, rep, rng))
            return f"{toll} when {inc.detail} went off {inc.venue} {at}, according to {attr}."
        target = f"ripped through {inc.venue[3:]}" if inc.venue.startswith("at ") else f"hit an area {inc.venue}"
        return f"An explosion {target} {at}, {toll_participle(k, j, rng)}, {said(attr)}."
    if kind == "interception":
        what = munitions(inc.weapon, rep.quantity, rng)
        were = "were" if rep.quantity > 1 else "was"
        defence = rng.choice(defences)
        if rep.outcome == "intercepted":
            n = rng.randrange(4)
            if n == 0:
                downed = rng.choice(["shot down", "intercepted", "destroyed"])
                return f"{cap(what)} {were} {downed} {over(where)} {when}, {said(attr)}."
            if n == 1:
                aim = f"fired {where}" if inc.place.kind == "site" else over(where)
                return f"{cap(defence)} intercepted {what} {aim} {when}, according to {attr}."
            if n == 2:
                return f"{said(cap(attr))} {when} that {what} targeting {where.split(' ', 1)[1]} had been brought down."
            return f"{cap(defence)} shot down {what} {where} {when}, {said(attr)}."
        if rep.outcome == "failed":
            return (f"{cap(defence)} {'was' if defence.startswith('the') else 'were'} activated to shoot down {what} "
                    f"{where} {when}, but failed to intercept {'them' if rep.quantity > 1 else 'it'}, {said(attr)}.")
        verb = rng.choice(["landed", "impacted", "struck"])
        return f"{cap(what)} {verb} {where.replace('at ', 'near ', 1)} {when}, {said(attr)}."
    # arrest
    suspect = f"a {inc.suspect_age}-year-old {'man' if inc.suspect_male else 'woman'}"
    n = rng.randrange(3)
    if n == 0:
        police = rng.choice(["Police", "Officers", "Detectives", f"{rng.choice(inc.place.forms)} police"])
        return f"{police} arrested {suspect} {at} in connection with {inc.detail}."
    if n == 1:
        return f"{cap(suspect)} was arrested {at} after {inc.detail}, {said(attr)}."
    return f"{said(cap(attr))} {when} that {suspect} had been arrested {where} in connection with {inc.detail}."


def summary(o: Incident, rng: random.Random, where: str) -> str:
    """An older incident in a clause: 'a 19-year-old man was shot and wounded on Clinton Drive'."""
    rep = Report("", None, o.killed, o.injured, o.outcome, o.quantity)
    if o.kind in ("shooting", "stabbing"):
        return f"{toll_clause(o.kind, o.killed, o.injured, o, rep, rng)} in a {o.kind} {o.venue}"
    if o.kind == "interception":
        fate = {"intercepted": "were shot down" if o.quantity > 1 else "was shot down",
                "failed": "struck", "impacted": "landed"}[o.outcome]
        return f"{munitions(o.weapon, o.quantity, rng)} targeting {where} {fate}"
    if o.kind == "fire":
        return f"a fire at {o.detail} on {o.street} {toll_participle(o.killed, o.injured, rng).replace('but ', '')}"
    if o.kind == "explosion":
        return f"{o.detail} exploded {o.venue}, {toll_participle(o.killed, o.injured, rng)}"
    return f"police arrested a {o.suspect_age}-year-old in connection with {o.detail}"


def history(inc: Incident, older: Sequence[Incident], nearby: Incident | None, rng: random.Random,
            ap: bool) -> list[str]:
    """Older incidents mentioned in passing: 'It was the third attack on the base this month; on May 2 ...'."""
    out = []
    same = [o for o in older if o.kind == inc.kind and 0 < (inc.date - o.date).days <= 60]
    if same and rng.random() < 0.45:
        o = same[-1]
        site = inc.place.kind == "site"
        where = "the base" if site else rng.choice(inc.place.forms)
        recent = sum(1 for x in same if (inc.date - x.date).days <= 30)
        if 0 < recent < 7 and rng.random() < 0.5:
            within = rng.choice(["in a month", "in recent weeks", "in less than a month"])
            out.append(f"It was the {ORDINALS[recent + 1]} {NOUNS[inc.kind]} {'on' if site else 'in'} {where} {within}.")
        gap = (inc.date - o.date).days
        if gap <= 6 and rng.random() < 0.5:
            out.append(f"Last {WEEKDAYS[o.date.weekday()]}, {summary(o, rng, where)}.")
        else:
            out.append(f"On {month_day(o.date, ap, rng)}, {summary(o, rng, where)}.")
    if nearby is not None and rng.random() < 0.5:
        form = rng.choice(nearby.place.forms)
        when = "the same day" if nearby.date == inc.date else f"on {WEEKDAYS[nearby.date.weekday()]}"
        if nearby.place.kind == "site" or nearby.kind == "interception":
            where = site_name(form) if nearby.place.kind == "site" else form
            out.append(f"Separately, {summary(nearby, rng, where)} {when}.")
        else:
            out.append(f"Separately, {summary(nearby, rng, form)} in {form} {when}.")
    return out


def headline(inc: Incident, rep: Report, rng: random.Random, form: str) -> str:
    """The outlet's headline: counts as digits, the place as the article names it, sometimes title case."""
    k, j, kind = rep.killed, rep.injured, inc.kind
    on = f" on {inc.street}" if inc.street else ""
    if kind in ("shooting", "stabbing"):
        toll = f"{k} killed, {j} wounded" if k and j else f"{k + j} {'dead' if k else 'hurt'}"
        state = "dead" if k and not j else "injured" if not k else "hurt"
        verb = "shot" if kind == "shooting" else "stabbed"
        choices = [f"{toll} in {form} {kind}", f"{form} police investigate {'deadly ' if k else ''}{kind}{on}",
                   f"Police: {k + j} {verb} {WEEKDAYS[inc.date.weekday()]} in {form}",
                   f"{cap(kind)} {inc.venue} leaves {k + j} {state}"]
    elif kind == "interception":
        what = {"drone": "Drones", "rocket": "Rockets", "missile": "Missiles"}[inc.weapon]
        downed = rep.outcome == "intercepted"
        choices = [f"{what} {'shot down over' if downed else 'hit near'} {form}", f"{form} targeted by {inc.weapon} attack",
                   f"Air defences {'intercept' if downed else 'fail to stop'} {inc.weapon}s over {form}"]
    elif kind == "fire":
        choices = [f"{'Fatal fire' if k else 'Fire'}{on} in {form}",
                   f"{k} dead in {form} house fire" if k else f"Crews battle blaze in {form}",
                   f"Fire guts {inc.detail.replace('a ', '', 1)} in {form}"]
    elif kind == "explosion":
        choices = [f"Blast in {form} kills {k}" if k else f"Explosion rocks {form}", f"{k + j} hurt in {form} explosion",
                   f"Explosion {inc.venue} in {form}"]
    else:
        crime = inc.detail.split(" on ")[0]
        choices = [f"{form} police arrest suspect in {crime.replace('a ', '', 1)}", f"Arrest made in {form} after {crime}"]
    title = rng.choice(choices)
    return title_case(title) if rng.random() < 0.25 else cap(title)


def title_case(title: str) -> str:
    """'Drones Hit Near US Embassy' (str.title would write 'Us')."""
    return " ".join(w[:1].upper() + w[1:] for w in title.split(" "))


def dateline(inc: Incident, rep: Report, rng: random.Random, ap: bool) -> str:
    """'KOKOMO, Ind. —', 'BAGHDAD (Reuters) -', 'Kabul, June 6 (Reuters) -', or nothing."""
    p = inc.place
    tag = {"apnews.com": " (AP)", "reuters.com": " (Reuters)"}.get(rep.outlet, "")
    city = p.dateline or p.name.upper()
    if p.country == "US":
        if p.state in ("DC",) or city == "NEW YORK":
            return f"{city}{tag} \u2014 "
        return f"{city}, {p.ap}{tag} \u2014 "
    if tag == " (Reuters)" and rep.published and rng.random() < 0.5:
        return f"{city.title()}, {month_day(rep.published, False, rng)} (Reuters) - "
    return f"{city}{tag} {rng.choice(DASHES)} "


def write_article(inc: Incident, rep: Report, rng: random.Random, region: dict, older: Sequence[Incident],
                  nearby: Incident | None, officer: str) -> tuple[str, str]:
    """(headline, text) of one outlet's report, 800-2,000 characters."""
    p = inc.place
    ap = p.country == "US"
    where, form = place_phrase(p, rng, with_state=ap and rng.random() < 0.1)
    when = when_phrase(inc, rep, rng, ap)
    group = group_of(inc.kind, region)
    attr = official(rng, region, group, inc, officer)
    first = " ".join(lead(inc, rep, rng, where, when, attr, region.get("defences") or ["air defences"]).split())
    first = first.replace(" ,", ",")
    line = dateline(inc, rep, rng, ap) if rng.random() < 0.6 else ""
    paragraphs = [line + first]
    if p.kind == "site" and p.description and rng.random() < 0.6:
        paragraphs[0] += f" {cap(site_name(form))} is {rng.choice(p.description)}."
    body = details(inc, rep, rng, region, officer, group)
    while body:
        take = rng.randint(1, 2)
        paragraphs.append(" ".join(body[:take]))
        body = body[take:]
    past = history(inc, older, nearby, rng, ap)
    if past:
        paragraphs.insert(rng.randint(2, max(2, len(paragraphs))), " ".join(past))
    target = rng.randint(900, 1800)
    by_group = region["context"]
    context = by_group.get(inc.kind, by_group.get(group, [])) + by_group.get("any", [])
    if len(context) < 7 and group != "military":  # conflict regions: their background is the conflict's
        context += by_group.get("military", [])
    length = sum(len(x) + 2 for x in paragraphs)
    for sentence in rng.sample(context, min(len(context), 7)):
        if length >= target:
            break
        text = expand(sentence, rng).format(city=form, place=form, n=rng.randrange(5, 60), m=rng.randrange(5, 60),
                                            officer=officer)
        if len(paragraphs) > 3 and rng.random() < 0.5:
            paragraphs[-1] += " " + text
        else:
            paragraphs.append(text)
        length += len(text) + 2
    if rep.undated and rng.random() < 0.4:
        # A page stamp instead of a publication date field, as scraped pages often have.
        stamp = f"Posted: {month_day(rep.published, True, rng, year=True)} {clock(rng.randrange(6, 23), rng.randrange(60))}"
        paragraphs.insert(0, stamp)
    return headline(inc, rep, rng, form), "\n\n".join(paragraphs)


def wire_copy(title: str, text: str, rng: random.Random, year: int, agency: str) -> tuple[str, str]:
    """The same story reprinted by another outlet, with the small edits reprints have."""
    paragraphs = text.split("\n\n")
    if len(paragraphs) > 3 and rng.random() < 0.5:
        paragraphs = paragraphs[:-1]  # trimmed to fit
    first = paragraphs[0]
    if rng.random() < 0.5:
        first = first.replace(" (AP) \u2014", " \u2014").replace(" (Reuters) -", " -")
    elif rng.random() < 0.5:
        first = first.replace("\u2014", "-")
    paragraphs[0] = first
    if rng.random() < 0.4:
        paragraphs.append(f"Copyright {year} The Associated Press. All rights reserved." if agency == "apnews.com"
                          else "(Reporting by staff; Editing by the desk)")
    if rng.random() < 0.3:
        i = rng.randrange(len(paragraphs))
        paragraphs[i] = paragraphs[i].replace(" said.", " says.", 1)
    if rng.random() < 0.5:
        title = title_case(title) if rng.random() < 0.5 else title.rstrip(".") + (" - report" if rng.random() < 0.3 else "")
    return title, "\n\n".join(paragraphs)
