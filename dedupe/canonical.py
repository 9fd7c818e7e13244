"""Canonical incident records from clusters of mentions.

Every field keeps all its claims (who said what, in which sentence); the
canonical value is the best supported one, and a field whose sources
disagree is listed in `disputed` instead of being silently decided.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from .canonical_place import (
    canonical_place,
    dateline_places,
    explicit,
    pool_namesakes,
    qualified_places,
    voting_places,
)
from .date_intervals import intersect_dates, weekday_name
from .date_rules import keep_the_night, narrow_by_asides, tells_the_hour
from .identity import incident_id
from .models import Article, Claim, DateInterval, Incident, Mention
from .roundups import featured_toll

CLAIM_FIELDS = ("event_type", "weapon", "quantity", "place", "date", "outcome", "killed", "injured")
# Fields whose differing claims are a disagreement between sources. Places
# and dates that are merely more or less precise (Baghdad vs the airport in
# Baghdad) are not: clustering already required them to be compatible.
DISPUTABLE = ("weapon", "quantity", "outcome", "killed", "injured")


def build_incidents(clusters: list[list[str]], mentions: dict[str, Mention],
                    articles: dict[str, Article], ids: list[str] | None = None) -> list[Incident]:
    """One incident per cluster; `ids` (dedupe.identity.assign_ids) names them,
    by default each is named after its smallest mention id."""
    ids = ids or [incident_id(c) for c in clusters]
    incidents = [build_incident([mentions[i] for i in c], articles, iid) for c, iid in zip(clusters, ids, strict=True)]
    return sorted(incidents, key=lambda inc: inc.id)


def build_incident(members: list[Mention], articles: dict[str, Article], iid: str | None = None) -> Incident:
    members = sorted(members, key=lambda m: (articles[m.article_id].published or "", m.article_id, m.start))
    iid = iid or incident_id(m.id for m in members)
    for m in members:
        m.incident_id = iid
    claims = [c for m in members for c in claims_of(m, iid, articles[m.article_id])]
    date = canonical_date(members, articles)
    estimated = date.earliest is None and estimate_date(members, articles)
    if estimated:
        date = estimated
    placed = dateline_places(members, articles)
    qualified = qualified_places(members) | {p.id for p in placed.values()}
    place = canonical_place(pool_namesakes(voting_places(members, placed), qualified))
    values = {f: [c.value for c in claims if c.field == f] for f in CLAIM_FIELDS}
    disputed = [f for f in DISPUTABLE if len(set(values[f])) > 1]
    article_ids = sorted({m.article_id for m in members})
    tolls = toll_claims(members, claims)
    killed = best_count([c.value for c in tolls if c.field == "killed"])
    injured = reconcile_injured(killed, best_count(beyond_one([c.value for c in tolls if c.field == "injured"])), claims)
    if killed is not None and injured is None:
        injured = injured_aside(members, claims, killed)
    toll_ids = {c.mention_id for c in tolls}
    if tolls and all(m.features.get("roundup") for m in members if m.id in toll_ids):
        # A roundup's toll is several incidents' total ('5 dead, 17 wounded in weekend shootings'); this
        # one's share of it is unknown but not none: one of each (on gva_pool dev most such are one),
        # unless the roundup goes on to tell its own incident ('Four men were shot in ...').
        featured = featured_toll([m.features.get("featured_toll") for m in members if m.id in toll_ids])
        killed, injured = featured or share_of_roundup(killed, injured)
    # Reports that give a toll give all of it: deaths without injuries means no
    # one was injured, and the other way round. Kept apart from the claims.
    assumed = None
    if killed is not None and injured is None:
        injured, assumed = 0, "injured"
    elif injured is not None and killed is None:
        killed, assumed = 0, "killed"
    weapon = mode(values["weapon"])
    quantity = best_count(values["quantity"])
    outcome = mode(values["outcome"])
    event_type = mode(values["event_type"]) or members[0].event_type
    inc = Incident(
        id=iid,
        title="",
        date=date.earliest.isoformat() if date.earliest and date.earliest == date.latest else None,
        date_earliest=date.earliest.isoformat() if date.earliest else None,
        date_latest=date.latest.isoformat() if date.latest else None,
        date_precision="estimate" if estimated else precision_of(date),
        place=place,
        event_type=event_type,
        weapon=weapon,
        quantity=quantity,
        outcome=outcome,
        killed=killed,
        injured=injured,
        article_count=len(article_ids),
        source_count=count_sources(article_ids, articles),
        disputed=disputed,
        mention_ids=[m.id for m in members],
        article_ids=article_ids,
        claims=claims,
        extra={
            "weekday": weekday_name(date.weekday) if date.weekday is not None else None,
            "assumed_zero": assumed,
            "killed_low": min(map(int, values["killed"])) if values["killed"] else None,
            "killed_high": max(map(int, values["killed"])) if values["killed"] else None,
            "injured_low": min(map(int, values["injured"])) if values["injured"] else None,
            "injured_high": max(map(int, values["injured"])) if values["injured"] else None,
        },
    )
    inc.title = generate_title(inc)
    return inc


def claims_of(m: Mention, iid: str, article: Article) -> list[Claim]:
    """What this mention itself asserts (inherited context is not a claim)."""
    out = []
    values = {
        "event_type": m.event_type if m.event_type != "other" else None,
        "weapon": m.weapon,
        "quantity": m.quantity,
        "place": m.place.name if m.place else None,
        "date": m.date_text if explicit(m, "date") else None,
        "outcome": m.outcome,
        "killed": m.killed,
        "injured": m.injured,
    }
    for field, value in values.items():
        if value is None or (field not in ("event_type",) and not explicit(m, field)):
            continue
        out.append(Claim(iid, field, str(value), m.id, article.id, m.attribution))
    return out


def canonical_date(members: list[Mention], articles: dict[str, Article] | None = None) -> DateInterval:
    """The narrowest interval consistent with every report that gives a date:
    the articles' lead reports when any of them does, since an article's other
    passages date its asides as often as the incident ('the gun was reported
    stolen in May', 'a few years ago'); all reports otherwise, less the months
    and years that ended more than a week before their article came out: in a
    passage besides the lead those date an aside ('a fire in 2000', 'in July,
    police launched raids') nearly always, and the estimate does better. An
    incident no lead reports (one told only in passing, 'the 2020 US airstrike')
    is what its asides date, old as they are. Leads that only place it in a week
    or a month ('last week') take the day their articles tell further down."""
    if articles is not None and any(m.features.get("lead") for m in members):
        members = [m for m in members if m.features.get("lead") or not is_old_coarse(m.date, articles[m.article_id])]
    explicit_dates = [m for m in members if explicit(m, "date")]
    dated = ([m.date for m in explicit_dates if m.features.get("lead")] or [m.date for m in explicit_dates]
             or [m.date for m in members])
    out: DateInterval | None = dated[0] if dated else DateInterval()
    for d in dated[1:]:
        out = intersect_dates(out, d) if out is not None else None
        if out is None:
            # Cannot happen for clusters built with the date constraint; keep
            # the first report's date rather than fail on hand-made clusters.
            return dated[0]
    out = keep_the_night(out, dated) if out is not None else DateInterval()
    return narrow_by_asides(out, told_days(explicit_dates))


def told_days(dated: list[Mention]) -> list[DateInterval]:
    """The dates of the passages besides the lead that tell a day as a report tells the incident's
    ('about 8 p.m. Saturday', 'early Sunday', 'Feb. 6'), in articles whose lead gives a date: another
    article's, when its own lead gives none, are as likely another shooting ('the March 18 shooting')."""
    dated_leads = {m.article_id for m in dated if m.features.get("lead")}
    return [m.date for m in dated if not m.features.get("lead") and m.article_id in dated_leads
            and tells_the_hour(m.date_text, m.sentence)]


def is_old_coarse(date: DateInterval, article: Article, days: int = 7) -> bool:
    """A month or longer that ended more than `days` before the article was published."""
    published = article.published_interval.latest
    if date.earliest is None or date.latest is None or published is None:
        return False
    return (date.latest - date.earliest).days >= 27 and (published - date.latest).days > days


COURT_STAGE_DAYS, ARREST_DAYS = 365, 7  # how far back an undated report of the vocabulary's case_stages reaches


def estimate_date(members: list[Mention], articles: dict[str, Article], days: int = 2) -> DateInterval | None:
    """When no report dates the incident: the two days before the first day-dated
    report, up to the day after it. Local news reports an incident within a day or
    two (on the labelled US corpora 88% of undated incidents fall in this window), a
    weekend's on the Monday or the Tuesday: a window that would start on a
    Saturday or a Sunday starts a day earlier. A day a lead says the incident
    came before ('died Sunday, Dec. 18' in a January report) takes the place of
    the report when earlier. The record says 'estimate' so no reader mistakes it
    for a reported date."""
    published = sorted(a.published_interval.latest for a in (articles[m.article_id] for m in members)
                       if a.published_precision == "day" and a.published_interval.latest)
    if not published:
        return None
    bounds = [m.date.latest for m in members if m.features.get("lead") and explicit(m, "date")
              and m.date.earliest is None and m.date.latest is not None]
    first = min([published[0], *bounds])
    # An article updated after the day it is recorded under reports what came later ('police on
    # Saturday had yet to identify' in one dated Friday): a day after the report, not after a bound.
    end = first if first < published[0] else first + dt.timedelta(days=1)
    stages = {s for m in members if m.features.get("lead") for s in m.features.get("case_stages", ())}
    if "court" in stages:
        # Only follow-ups report the case in court: months after the incident, often a year or more.
        return DateInterval(first - dt.timedelta(days=COURT_STAGE_DAYS), end, "estimate")
    if "arrest" in stages:
        days = ARREST_DAYS  # an arrest is reported when it is made, days after the shooting as often as not
    start = first - dt.timedelta(days=days)
    if start.weekday() >= 5:  # a weekend's shootings are reported on the Monday or the Tuesday
        start -= dt.timedelta(days=1)
    return DateInterval(start, end, "estimate")


def precision_of(d: DateInterval) -> str:
    if d.earliest is None or d.latest is None:
        return "unknown"
    span = (d.latest - d.earliest).days
    if span == 0:
        return "day"
    if span <= 7:
        return "week"
    if (d.earliest.year, d.earliest.month) == (d.latest.year, d.latest.month):
        return "month"
    if d.earliest.year == d.latest.year:
        return "year"
    return "range"


def mode(values: list[str]) -> str | None:
    if not values:
        return None
    counts = Counter(values)
    return min(counts, key=lambda v: (-counts[v], v))


def best_count(values: list[str]) -> int | None:
    """UCDP-style best estimate: the most reported figure, ties to the higher
    (tolls rise as reports come in); low and high are kept beside it."""
    if not values:
        return None
    counts = Counter(int(v) for v in values)
    return max(counts, key=lambda v: (counts[v], v))


def beyond_one(values: list[str]) -> list[str]:
    """The injured figures without the reports of one wounded when another report gives more:
    a report of one often tells only the victim it is about ('a child was shot', 'shot teens'),
    where a report of four counted them (on gva_pool dev this reads 3 more incidents right)."""
    more = [v for v in values if int(v) != 1]
    return more if any(int(v) > 1 for v in values) else values


def share_of_roundup(killed: int | None, injured: int | None) -> tuple[int | None, int | None]:
    """One incident's share of a roundup's toll: one of each it counts, but no dead when it counts
    more wounded than dead ('5 dead, 17 wounded in weekend shootings'): then most of its shootings
    killed no one (on gva_pool dev this reads 2 more incidents' dead right)."""
    if killed and injured and injured > killed:
        return 0, 1
    return (min(killed, 1) if killed is not None else None), (min(injured, 1) if injured is not None else None)


def toll_claims(members: list[Mention], claims: list[Claim]) -> list[Claim]:
    """The killed and injured claims the toll is read from: those of the
    articles' lead reports (headline and opening, where news gives the toll)
    when any gives one; the other passages of an article are asides ('one of
    the men died') or other incidents in passing. All claims otherwise. Of the
    leads, those whose headline or passage sums up several incidents (`roundup`)
    count only when no other lead gives a toll."""
    leads = {m.id for m in members if m.features.get("lead")}
    counts = [c for c in claims if c.field in ("killed", "injured")]
    # A headline that sums up a weekend's shootings gives their total, not this incident's.
    single = {m.id for m in members if m.id in leads and not m.features.get("roundup")}
    return ([c for c in counts if c.mention_id in single] or [c for c in counts if c.mention_id in leads]
            or counts)


def injured_aside(members: list[Mention], claims: list[Claim], killed: int) -> int | None:
    """When the leads tell only the dead, the wounded as a later passage tells them ('Three other
    males were also shot'), from passages that tell no more dead than the leads (an aside about
    another incident would)."""
    leads = {m.id for m in members if m.features.get("lead")}
    asides = {m.id for m in members if m.id not in leads and (m.killed is None or m.killed <= killed)}
    return best_count([c.value for c in claims if c.field == "injured" and c.mention_id in asides])


def reconcile_injured(killed: int | None, injured: int | None, claims: list[Claim]) -> int | None:
    """Injured, no more than the most people any one report says were hit
    (its killed plus injured) less the dead: a victim first reported wounded
    who then died is counted once, among the dead ('girl, 4, in critical
    condition' then 'girl, 4, dies')."""
    if killed is None or injured is None:
        return injured
    hit: dict[str, int] = {}
    for c in claims:
        if c.field in ("killed", "injured"):
            hit[c.mention_id] = hit.get(c.mention_id, 0) + int(c.value)
    most = max(hit.values(), default=killed + injured)
    return max(most - killed, 0) if killed + injured > most else injured


def count_sources(article_ids: list[str], articles: dict[str, Article]) -> int:
    """Independent sources: wire copies count once; an article without a known
    outlet counts as its own source."""
    keys = set()
    for aid in article_ids:
        art = articles[aid]
        root = art.duplicate_of or art.id
        keys.add(("outlet", art.source.lower()) if art.source else ("article", root))
    roots = {articles[a].duplicate_of or a for a in article_ids}
    return min(len(keys), len(roots))


def generate_title(inc: Incident) -> str:
    """'2 drones intercepted at Erbil International Airport, 2021-04-14'."""
    what = inc.weapon or inc.event_type
    if inc.weapon and inc.quantity and inc.quantity > 1:
        head = f"{inc.quantity} {plural(inc.weapon)}"
    elif inc.weapon and inc.weapon == inc.event_type:
        head = inc.weapon.capitalize()
    elif inc.weapon:
        head = f"{inc.weapon.capitalize()} {inc.event_type if inc.event_type not in ('attack', 'interception') else 'attack'}"
    else:
        head = what.capitalize()
    if inc.outcome:
        head += f" ({inc.outcome})" if "outcome" in inc.disputed else f" {inc.outcome}"
    if inc.killed:
        head += f", {inc.killed} killed"
    if inc.injured:
        head += f", {inc.injured} injured"
    where = f" at {inc.place.name}" if inc.place else ""
    when = inc.date or (f"{inc.date_earliest}..{inc.date_latest}" if inc.date_earliest else None)
    if when is None and inc.extra.get("weekday"):
        when = f"a {inc.extra['weekday']}, date unknown"
    return f"{head}{where}" + (f", {when}" if when else "")


def plural(word: str) -> str:
    return word if word.endswith("s") else word + "s"
