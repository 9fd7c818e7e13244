"""Days that date what followed an incident, not the incident: 'died Saturday', 'police said
Monday', 'Police arrested a man Thursday in the shooting'. A clause's dates are read here
before its passage takes one (dedupe.cues.read_cues): such a day only bounds the incident.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .dates import DateMention
from .models import DateInterval
from .vocabulary import Vocabulary

_ADVERBIAL_AFTER = re.compile(r"\s+(?:in|for|over)\s+(?:the|a|an|connection\s+with|last)\b", re.I)
# 'today's shooting', 'Monday's attack': the day a possessive names is its incident's.
_POSSESSIVE = re.compile(r"['’]s\s+(?:\w+\s+){0,2}")


def bound_follow_up_dates(text: str, dates: list[DateMention], vocab: Vocabulary,
                          events: list[tuple[int, int, str, str]]) -> list[DateMention]:
    """Dates of what followed the incident, turned into bounds: 'died Saturday',
    'police said Monday', 'remained in critical condition Sunday night after the
    shooting' tell that the incident happened on or before that day, not on it.
    Reading them as the incident's day makes two reports of one shooting
    contradict each other (one dated by the shooting, one by the arrest). A day
    is a follow-up's when a follow-up word stands nearer to it than any incident
    word, or when 'after' separates it from the incident word that follows it.
    Only days are bounded ('Friday night' may run past midnight), and a follow-up's weekday in an
    undated article, which has no day to bound, tells nothing of the incident's. Incident dates come first."""
    dates = bound_dismissal_dates(text, dates, vocab)
    later = vocab.follow_up.find(text)
    if not later or not dates:
        return dates
    incident = [e for e in events if e[3] != "arrest" and not any(e[0] < f[1] and f[0] < e[1] for f in later)]
    firm, bounds = [], []
    for d in dates:
        iv = d.interval
        if d.relative_to != "publication" or not (iv.precision == "day" and iv.earliest is not None
                                                  or is_bare_weekday(iv)):
            firm.append(d)
            continue
        # '... in Indianapolis Sunday afternoon, fire officials said.': a closing attribution after a
        # comma reports the clause before it, whose day is the incident's.
        gap_later = min((span_gap(d.start, d.end, f[0], f[1]) for f in later
                         if not closes_sentence(text, d.end, f, told=bool(incident))), default=10**6)
        gap_event = min((span_gap(d.start, d.end, e[0], e[1]) for e in incident), default=10**6)
        following = [e for e in incident if e[0] >= d.end]
        nearest_after = min(following, key=lambda e: e[0], default=None)
        after = nearest_after is not None and re.search(r"\b(?:after|following)\b", text[d.end:nearest_after[0]])
        # 'Police arrested a man Thursday in the shooting': a day followed by 'in the ...' modifies the verb
        # before it, not the noun after it ('in the Thursday shooting'); when that verb is a follow-up's, so is the day.
        prev_later = max((f[1] for f in later if f[1] <= d.start), default=-1)
        prev_event = max((e[1] for e in incident if e[1] <= d.start), default=-1)
        verb_day = prev_later > prev_event and _ADVERBIAL_AFTER.match(text, d.end) is not None
        if (gap_later < gap_event or after or verb_day) and not _owned(text, d, incident):
            # Undated, a follow-up's weekday bounds nothing: kept, it would forbid the reports of the
            # incident that name its own day ('officials said Saturday' against 'exploded late Friday').
            bound = DateInterval(None, iv.latest, "unknown", text=iv.text)
            bounds.append(replace(d, interval=bound))
        else:
            firm.append(d)
    return firm + bounds


def _owned(text: str, d: DateMention, incident: list[tuple[int, int, str, str]]) -> bool:
    """The day is an incident word's possessive ('today's shooting'): that incident's day."""
    m = _POSSESSIVE.match(text, d.end)
    return m is not None and any(e[0] == m.end() for e in incident)


def bound_dismissal_dates(text: str, dates: list[DateMention], vocab: Vocabulary) -> list[DateMention]:
    """A date just after a lost job ('from which he was fired last week') dates the firing,
    which came before the incident: it only bounds the incident from below. Read as the
    incident's day, a workplace shooting's reports would clash with each other ('last week'
    against 'Monday'). Incident dates come first."""
    lost = vocab.dismissal.find(text) if dates else []
    if not lost:
        return dates
    firm, bounds = [], []
    for d in dates:
        if d.relative_to == "publication" and any(0 <= d.start - f[1] <= 3 for f in lost):
            bounds.append(replace(d, interval=DateInterval(d.interval.earliest, None, "unknown", text=d.interval.text)))
        else:
            firm.append(d)
    return firm + bounds


def is_bare_weekday(iv: DateInterval) -> bool:
    """A weekday alone, in an article with no date to place it ('said Saturday', undated)."""
    return iv.weekday is not None and iv.earliest is None and iv.latest is None and iv.month_day is None


def closes_sentence(text: str, date_end: int, word: tuple[int, int, str, str], told: bool = True) -> bool:
    """The word follows the date after a comma and ends its sentence: ', police said.',
    ', the military said in a statement.', and, when the clause tells the incident (`told`: it has
    an incident word), ', according to the Marion County Sheriff's Department.' ('chased him last
    Aug. 17, according to police' dates an aside)."""
    if word[0] < date_end or "," not in text[date_end:word[0]]:
        return False
    if word[2].lower().startswith("according"):
        return told and _SOURCE_END.match(text, word[1]) is not None
    return _SENTENCE_END.match(text, word[1]) is not None


# What may trail a closing attribution: 'in a statement', 'on Twitter', then the sentence's end.
_SENTENCE_END = re.compile(r"(?:\s+(?:in|on)(?:\s+[\w-]+){1,3})?\s*(?:[.!?\n]|$)")
# Who said it, after 'according to': a name of up to six words ('police', 'a police report'), then the end.
_SOURCE_END = re.compile(r"(?:\s+[\w'’&-]+){1,6}\s*(?:[.!?\n]|$)")


def span_gap(start: int, end: int, other_start: int, other_end: int) -> int:
    return max(other_start - end, start - other_end, 0)


def distance_to_incident_word(text: str, d: DateMention, vocab: Vocabulary,
                              events: list[tuple[int, int, str, str]] | None = None) -> int:
    """Characters between a date and the nearest incident word ('shooting',
    'shot', 'killed'): 'in the Saturday shooting' is 1, 'charged Monday in the
    Saturday shooting' puts Monday further away. `events`: the event words of
    `text` when the caller has them already."""
    if events is None:
        events = vocab.event_types.find(text)
    gaps = [max(s - d.end, d.start - e, 0) for s, e, _, label in events if label != "arrest"]
    return min(gaps, default=10**6)
