"""Group an article's frames (dedupe.cues) into passages, each one mention.

A frame that adds nothing contradictory to the passage just before it continues that
passage ('... the statement said'); one that contradicts it on identity (date, place,
weapon) starts a new mention if it carries enough evidence of its own; one that
contradicts it only on a claim (outcome, count) becomes a sibling mention so that both
claims are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .cues import PLACE_SPECIFICITY, Frame
from .date_intervals import dates_compatible, shift_interval
from .date_rules import narrow_dates
from .models import DateInterval, Place
from .place_hierarchy import is_broad, places_compatible

IDENTITY_FIELDS = ("date", "place", "weapon")
CLAIM_FIELDS = ("outcome", "quantity", "killed", "injured")


@dataclass
class Passage:
    frames: list[Frame]
    inherited: dict[str, object] = field(default_factory=dict)

    def value(self, name: str) -> object:
        for f in self.frames:
            v = getattr(f, name)
            if v is not None:
                return v
        return self.inherited.get(name)

    @property
    def place(self) -> Place | None:
        hit = self.place_hit
        return hit[0] if hit else self.inherited.get("place")  # type: ignore[return-value]

    @property
    def place_hit(self) -> tuple[Place, str | None] | None:
        found = [(f.place, f.place_text) for f in self.frames if f.place is not None]
        if not found:
            return None
        return min(found, key=lambda pt: PLACE_SPECIFICITY.get(pt[0].kind, 9))

    @property
    def date(self) -> DateInterval | None:
        dates = [f.date for f in self.frames if f.date is not None]
        if not dates:
            return self.inherited.get("date")  # type: ignore[return-value]
        out = dates[0]
        for d in dates[1:]:
            out = narrow_dates(out, d) or out
        return out


def conflicts(passage: Passage, frame: Frame) -> set[str]:
    """Fields on which a frame contradicts the passage it follows."""
    out = set()
    date = passage.date
    if frame.date is not None and date is not None and not dates_compatible(date, frame.date):
        out.add("date")
    place = passage.place
    if (frame.place is not None and place is not None and not is_broad(frame.place) and not is_broad(place)
            and (not places_compatible(place, frame.place) or county_and_town(place, frame.place))):
        out.add("place")
    for name in ("weapon",) + CLAIM_FIELDS:
        mine, theirs = getattr(frame, name), passage.value(name)
        if mine is not None and theirs is not None and mine != theirs:
            out.add(name)
    return out


def county_and_town(a: Place, b: Place) -> bool:
    """A county and a town in it: one incident for matching, but within an article a
    sentence naming only the county (its sheriff, its coroner) starts its own passage."""
    kinds = {a.kind, b.kind}
    return "county" in kinds and bool(kinds & {"city", "site"})


def group_passages(frames: list[Frame]) -> list[Passage]:
    passages: list[Passage] = []
    current: Passage | None = None
    for frame in frames:
        if frame.generic or not frame.has_event:
            continue
        if frame.date is None and frame.date_context and current is not None and current.date is not None:
            frame.date = shift_interval(current.date, frame.date_context)
        adjacent = current is not None and frame.sentence - current.frames[-1].sentence <= 1
        clash = conflicts(current, frame) if current is not None and adjacent else set()
        if current is not None and adjacent and not frame.connector and not clash:
            current.frames.append(frame)
            continue
        if current is not None and adjacent and not frame.connector and not (clash & set(IDENTITY_FIELDS)):
            # Same incident, other claim ('... however, said the drones had been shot down').
            inherited = {k: current.value(k) for k in ("weapon", "quantity")}
            inherited["place"], inherited["place_text"] = current.place_hit or (None, None)
            inherited["date"] = current.date
            current = Passage([frame], {k: v for k, v in inherited.items() if v is not None})
            passages.append(current)
            continue
        if frame.standalone:
            current = Passage([frame])
            passages.append(current)
            if frame.connector:
                current = None
        elif not adjacent:
            current = None
    inherit_lead_date(passages)
    return passages


def inherit_lead_date(passages: list[Passage]) -> None:
    """A later passage that gives no date and fits the article's lead report
    (same or no weapon, compatible place) is taken to be about the lead's
    time: articles return to their main story after a digression."""
    if not passages or passages[0].date is None:
        return
    lead = passages[0]
    for p in passages[1:]:
        if p.date is not None or p.frames[0].connector:
            continue
        weapon, lead_weapon = p.value("weapon"), lead.value("weapon")
        place, lead_place = p.place, lead.place
        if weapon is not None and lead_weapon is not None and weapon != lead_weapon:
            continue
        if place is not None and lead_place is not None and not places_compatible(place, lead_place):
            continue
        p.inherited["date"] = lead.date
