"""Read the cues of an article's sentences: each sentence (or clause, where a connector
such as 'in response to' introduces another event) becomes a *frame* of event words,
weapon, count, place, date, outcome, casualties and who said it. Frames are grouped
into passages in dedupe.passages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .casualties import read_casualties
from .date_rules import date_post_stamps, in_link_line
from .dates import DateMention, find_dates
from .follow_ups import bound_follow_up_dates, distance_to_incident_word
from .models import Article, DateInterval, Place, PlaceHit
from .place_hierarchy import is_broad
from .places import Gazetteer
from .text import Sentence, mask
from .vocabulary import Vocabulary

# Most specific first: the place of a frame is its most specific hit.
PLACE_SPECIFICITY = {"site": 0, "city": 1, "county": 2, "region": 3, "admin1": 4, "country": 5}


@dataclass
class Frame:
    """The cues of one sentence or clause."""

    start: int
    end: int
    sentence: int
    connector: bool  # introduced by a clause connector: another event than the clause before
    triggers: list[str] = field(default_factory=list)
    generic: bool = False
    mixed: bool = False  # names several weapons at once ('the drones ... or the rocket attack')
    quoted: bool = False  # the sentence opens with a quotation mark
    aside: bool = False  # the sentence opens as another incident's ('Separately, ...')
    weapon: str | None = None
    quantity: int | None = None
    place: Place | None = None
    place_text: str | None = None
    date: DateInterval | None = None
    date_text: str | None = None
    date_context: tuple[int, int] | None = None  # offset from the previous event ('a day earlier')
    outcome: str | None = None
    outcome_text: str | None = None
    killed: int | None = None
    injured: int | None = None
    attribution: str | None = None

    @property
    def has_event(self) -> bool:
        return bool(self.triggers or self.weapon or self.outcome
                    or self.killed is not None or self.injured is not None)

    @property
    def specific_place(self) -> bool:
        return self.place is not None and not is_broad(self.place)

    @property
    def standalone(self) -> bool:
        """Enough evidence to report an incident on its own. A clause after a
        connector ('one month after the same base was targeted') needs a place
        or a date of its own: a bare 'an armed drone' there is an older event
        the article only alludes to."""
        if not self.has_event or self.generic or self.mixed:
            return False
        what = self.weapon or self.outcome or self.killed or self.injured
        if self.connector:
            return bool(what and (self.specific_place or self.date is not None))
        anchor = self.specific_place or self.date is not None or self.quantity or self.killed or self.injured
        return bool(what and anchor)


def read_frames(sentence: Sentence, article: Article, vocab: Vocabulary, gazetteer: Gazetteer,
                skip_until: int) -> list[Frame]:
    """Split a sentence at clause connectors and read each clause's cues."""
    # A passage never starts inside the dateline ('BAGHDAD (Dispatches) –').
    first = skip_until if sentence.start < skip_until < sentence.end else sentence.start
    cuts = [first] + [sentence.start + s for s, _, _, _ in vocab.clause_connectors.find(sentence.text)
                      if sentence.start + s > first]
    cuts.append(sentence.end)
    # The dateline ('BAGHDAD (Dispatches) –') is not part of who said it.
    attribution = find_attribution(article.text[max(sentence.start, skip_until):sentence.end], vocab)
    frames = []
    for i, (a, b) in enumerate(zip(cuts, cuts[1:], strict=False)):
        if b - a < 3:
            continue
        frame = Frame(a, b, sentence.index, connector=i > 0)
        read_cues(frame, article, vocab, gazetteer, skip_until)
        frame.attribution = attribution
        frame.quoted = sentence.text[:1] in "“\"‘'"
        frame.aside = vocab.aside_opener.match(sentence.text) is not None
        frames.append(frame)
    return frames


def read_cues(frame: Frame, article: Article, vocab: Vocabulary, gazetteer: Gazetteer, skip_until: int) -> None:
    text = article.text[frame.start:frame.end]
    masked = mask(text, vocab.not_weapons.find(text))
    events = vocab.event_types.find(text)
    triggers = [m[3] for m in events]
    trigger_words = {m[2].lower() for m in events}
    frame.triggers = triggers
    weapons = vocab.weapons.find(masked)
    # Without an event word, the weapon words say it: '9 shootings this year' is a statistic.
    said = trigger_words or {m[2].lower() for m in weapons}
    frame.generic = bool(said) and all(re.sub(r"[\s\-]+", " ", w) in vocab.generic_triggers for w in said)
    frame.weapon, weapon_span = pick_weapon(masked, vocab, weapons)
    frame.mixed = len(primary_weapons(masked, vocab, weapons)) > 1
    if weapon_span:
        frame.quantity = count_before(masked, weapon_span, vocab)
    outcomes = vocab.outcomes.find(text)
    if outcomes:
        best = min(outcomes, key=lambda o: vocab.outcome_order.index(o[3]))
        frame.outcome, frame.outcome_text = best[3], best[2]
    frame.killed, frame.injured = read_casualties(text, vocab)
    if frame.generic and (frame.outcome or frame.killed or frame.injured):
        frame.generic = False
    if vocab.many_events.search(text):
        frame.generic = True  # 'More than 3,290 people have been injured in those shootings': a total
    hits = [h for h in gazetteer.find_places_in(article.text, frame.start, frame.end, also=article.title)
            if frame.start + h.start >= skip_until and not is_modifier(text, h)]
    best_hit = most_specific(hits)
    if best_hit:
        frame.place, frame.place_text = best_hit.place, best_hit.text
    dates = find_dates(text, article.published_interval)
    if frame.connector:
        # 'one month after ...' relates the two clauses; it is not this clause's own date.
        dates = [d for d in dates if d.start > 0]
    dates = [d for d in dates if not vocab.timestamp_before.search(text[max(0, d.start - 20):d.start])]
    # A 'RELATED:' line is another story's title: its day is that story's.
    dates = [d for d in dates if not in_link_line(article.text, frame.start + d.start, vocab.link_line)]
    if dates and vocab.procedural.find(text):
        near = [(distance_to_incident_word(text, d, vocab, events), d) for d in dates]
        dates = [d for dist, d in sorted(near, key=lambda x: (x[0], x[1].start)) if dist <= 30]
    # An embedded post's stamp is the incident's day or the night before, follow-up words or not.
    read_date(frame, bound_follow_up_dates(text, date_post_stamps(text, dates), vocab, events))


def pick_weapon(text: str, vocab: Vocabulary,
                found: list[tuple[int, int, str, str]] | None = None) -> tuple[str | None, tuple[int, int] | None]:
    """The frame's weapon and its span; `found`: the weapon words of `text`, if already read."""
    found = vocab.weapons.find(text) if found is None else found
    if not found:
        return None, None
    carriers = [w for w in found if not is_payload(text, w, vocab)]
    # 'attacked with missiles' has no carrier: then 'with' marks the instrument.
    pool = carriers or found
    best = min(pool, key=lambda w: (vocab.weapon_priority.index(w[3]) if w[3] in vocab.weapon_priority else 99,
                                    w[0]))
    return best[3], (best[0], best[1])


def primary_weapons(text: str, vocab: Vocabulary, found: list[tuple[int, int, str, str]] | None = None) -> set[str]:
    found = vocab.weapons.find(text) if found is None else found
    return {w[3] for w in found if not is_payload(text, w, vocab)}


def is_payload(text: str, hit: tuple[int, int, str, str], vocab: Vocabulary) -> bool:
    start, end = hit[0], hit[1]
    return bool(vocab.payload_before.search(text[max(0, start - 25):start])
                or vocab.payload_after.match(text[end:end + 8]))


def count_before(text: str, span: tuple[int, int], vocab: Vocabulary) -> int | None:
    """'two armed drones' -> 2, 'a single rocket' -> 1; None for 'a rocket attack'
    (the number counts attacks, not munitions) or when no count is given."""
    after = text[span[1]:span[1] + 12].lower()
    if re.match(r"\s*(?:attacks?|strikes?|fire|assaults?)\b", after):
        return None
    words = re.findall(r"[\w,-]+", text[max(0, span[0] - 40):span[0]])
    for w in reversed(words[-3:]):
        value = vocab.number(w.strip(","))
        if value is not None:
            return value
        if w.lower() in ("the", "these", "those", "of", "and", "or", "with", "by") or w[:1].isupper():
            return None
    return None


def find_attribution(text: str, vocab: Vocabulary) -> str | None:
    """Who said it: 'the Iraqi military said', 'said Colonel Jane Smith',
    'according to the official'."""
    text = re.sub(r",\s*(?:however|though|meanwhile|also|too|in a statement),", "", text)
    for p, needs in attribution_patterns(tuple(vocab.attribution_verbs)):
        if needs is not None and not any(w in text for w in needs):
            continue  # the pattern cannot match without one of these words
        m = p.search(text)
        if m:
            who = re.sub(r"\s+", " ", m.group(1)).strip(" ,.”\"")
            who = re.sub(r",?\s*however$", "", who)
            if 2 < len(who) <= 90 and not re.match(r"(?i)(it|he|she|they|we|i)$", who):
                return who
    return None


@lru_cache(maxsize=32)
def attribution_patterns(verb_list: tuple[str, ...]) -> tuple[tuple[re.Pattern[str], tuple[str, ...] | None], ...]:
    """Compiled once per vocabulary, each with the words (case as written) one of
    which it needs to match; None when it needs none."""
    verbs = "|".join(sorted(map(re.escape, verb_list), key=len, reverse=True))
    said = ("according to", "said", "says", "tweeted", "added", "announced")
    needs_verb = verb_list if verb_list and all(verb_list) else None  # an empty verb matches anywhere
    return (
        (re.compile(r"(?:according to|said|says|tweeted|added|announced)\s+((?:[A-Z][\w.'’-]*\s*){1,5})"), said),
        # 'a spokesman for the coalition, Jane Smith, said': the appositive name.
        (re.compile(rf",\s*([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){{0,4}}),\s+(?:{verbs})\b"), needs_verb),
        (re.compile(rf"(?:^|[,;“”\"]\s*)((?:the|a|an|The|A|An)\s[^,;.“”\"]{{2,90}}?|[A-Z][^,;.“”\"]{{2,60}}?)\s+"
                    rf"(?:has |have |had )?(?:{verbs})\b"), needs_verb),
        (re.compile(r"according to\s+((?:the\s+)?[^,;.]{3,60})"), ("according to",)),
    )


def is_modifier(text: str, hit: PlaceHit) -> bool:
    """'United States troops', 'US-led forces': a country named as an adjective
    says whose troops, not where it happened."""
    if not is_broad(hit.place):
        return False
    return bool(re.match(r"(?:-|\s+)[a-z]", text[hit.end:hit.end + 3]))


def most_specific(hits: list[PlaceHit]) -> PlaceHit | None:
    if not hits:
        return None
    return min(hits, key=lambda h: (PLACE_SPECIFICITY.get(h.place.kind, 9), h.start))


def read_date(frame: Frame, dates: list[DateMention]) -> None:
    for d in dates:
        if d.relative_to == "context" and d.offset_days is not None:
            frame.date_context, frame.date_text = d.offset_days, d.text
            return
        if (d.interval.latest is not None or d.interval.weekday is not None
                or d.interval.month_day is not None):
            frame.date, frame.date_text = d.interval, d.text
            return
        # An expression that cannot be placed (undated article, 'last year'):
        # keep its words, claim nothing.
        frame.date_text = frame.date_text or d.text
