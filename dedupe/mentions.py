"""Find the passages of an article that report incidents (mentions).

An article reports several incidents: the news of the day and older ones in
passing. Each sentence (or clause, where a connector such as 'in response to'
introduces another event) becomes a *frame* of cues: event words, weapon,
count, place, date, outcome, casualties, who said it. Frames then grow into
passages: a frame that adds nothing contradictory to the passage just before
it continues that passage ('... the statement said'); one that contradicts it
on identity (date, place, weapon) starts a new mention if it carries enough
evidence of its own; one that contradicts it only on a claim (outcome, count)
becomes a sibling mention so that both claims are kept.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .boilerplate import content_text, outside
from .casualties import read_casualties, read_headline_figures, read_lead_toll
from .date_rules import date_post_stamps, in_link_line, narrow_dates
from .dates import DateMention, dates_compatible, find_dates, shift_interval
from .follow_ups import bound_follow_up_dates, distance_to_incident_word
from .hurt import count_hurt_together, count_ordinal_victims
from .later_deaths import died_later
from .models import Article, DateInterval, Mention, Place, PlaceHit, TermMap
from .people import find_names, find_people
from .place_context import settle_lead_place
from .place_hierarchy import is_broad, places_compatible
from .place_neighbours import settle_bare_town
from .places import Gazetteer
from .roundups import read_featured_toll
from .text import Sentence, mask, split_sentences
from .vocabulary import Vocabulary

# Most specific first: the place of a frame is its most specific hit.
PLACE_SPECIFICITY = {"site": 0, "city": 1, "county": 2, "region": 3, "admin1": 4, "country": 5}
IDENTITY_FIELDS = ("date", "place", "weapon")
CLAIM_FIELDS = ("outcome", "quantity", "killed", "injured")

_AGE = re.compile(r"\b(\d{1,3})[\s-]*(?:-\s*)?years?[\s-]*old\b", re.I)
# No "^": match() anchors at `pos` already, and "^" there would only match at the text's start.
_DATELINE_END = re.compile(r"[^\n]{0,80}?(?:\([^)\n]{0,40}\)\s*)?[–—-]{1,2}\s", re.S)


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


def extract_mentions(article: Article, vocab: Vocabulary, gazetteer: Gazetteer) -> list[Mention]:
    """All incident mentions of one article, in text order; at least one when
    the article has any text, so that every article has a primary incident."""
    every_sentence = split_sentences(article.text, vocab.abbreviations)
    sentences = [s for s in every_sentence if outside(article.boilerplate, s.start, s.end)]
    skip_until = dateline_end(article)
    frames = [f for s in sentences for f in read_frames(s, article, vocab, gazetteer, skip_until)]
    passages = group_passages(frames)
    if not passages:
        # A page that is all template still gets its primary incident (its lead has no content).
        fallback = fallback_frame(sentences or every_sentence, frames, article, gazetteer, skip_until)
        passages = [Passage([fallback])] if fallback else []
    mentions = [build_mention(p, i, article, vocab) for i, p in enumerate(passages)]
    if mentions:
        describe_document(mentions[0], article, vocab, gazetteer, every_sentence, others=mentions[1:])
    return mentions


_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]+")
_TRAILING_MARKS = re.compile(r"['-]+(?= |\Z)")
_PROPER = re.compile(r"\b([A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?)\s+([A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?)\b")


def describe_document(lead: Mention, article: Article, vocab: Vocabulary, gazetteer: Gazetteer,
                      sentences: list[Sentence], others: list[Mention] = ()) -> None:  # type: ignore[assignment]
    """The lead report stands for the whole article when articles are compared:
    it carries the article's word counts (title counted twice, for TF-IDF in
    matching) and its proper-name pairs ('Mark Mata', 'Henry County'), and takes
    the dateline as its place when its own sentences name none, since local news
    is filed from where it happened."""
    content = content_text(article)
    text = f"{article.title or ''}\n{article.title or ''}\n{content}"
    # Words lower-cased with their trailing quotes and hyphens cut, counted in order of first use
    # (a word starts with a letter, so only its end can need cutting).
    words = _TRAILING_MARKS.sub("", " ".join(_TOKEN.findall(text)).lower().replace("’", "'")).split(" ")
    terms = {w: n for w, n in Counter(words).items() if len(w) > 2 and w not in vocab.stopwords}
    for a, b in _PROPER.findall(text):
        if a.lower() not in vocab.stopwords and b.lower() not in vocab.stopwords:
            key = f"{a} {b}".lower()
            terms[key] = terms.get(key, 0) + 2  # a shared name says more than a shared word
    lead.features["doc_terms"] = TermMap(terms.items(), "I")
    lead.features["people"] = find_people(content, vocab.stopwords)
    lead.features["lead"] = True
    # The stages of a case it reports ('arrest', 'court'): an undated incident's estimate reaches back further.
    lead.features["case_stages"] = sorted({label for *_, label in vocab.case_stages.find(
        f"{article.title or ''}\n{lead.sentence}")})
    # A page that is all template has no passage worth comparing word by word.
    lead.features["no_content"] = len(content.split()) < 12
    read_lead_casualties(lead, article, vocab, sentences, others)
    # A lead of wounded and no dead often names the worst hurt first; all of them are told later.
    if lead.injured and not lead.killed and not lead.features["roundup"]:
        together = count_hurt_together(sentences[:10], [(m.start, m.end) for m in others], vocab)
        lead.injured = max(lead.injured, together or 0)
    settle_lead_place(lead, article, content, gazetteer)
    settle_bare_town(lead, others, f"{article.title or ''}\n{content}", gazetteer)


def dateline_end(article: Article) -> int:
    """Offset where a leading dateline ('BAGHDAD (Dispatches) –') ends: the place
    a story is filed from is not where its incidents happened."""
    if not article.dateline:
        return 0
    pos = article.text.find(article.dateline)
    if pos < 0 or pos > 600:
        return 0
    m = _DATELINE_END.match(article.text, pos)
    return m.end() if m else pos + len(article.dateline)


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
        frames.append(frame)
    return frames


def read_cues(frame: Frame, article: Article, vocab: Vocabulary, gazetteer: Gazetteer, skip_until: int) -> None:
    text = article.text[frame.start:frame.end]
    masked = mask(text, vocab.not_weapons.find(text))
    events = vocab.event_types.find(text)
    triggers = [m[3] for m in events]
    trigger_words = {m[2].lower() for m in events}
    frame.triggers = triggers
    frame.generic = bool(trigger_words) and all(
        re.sub(r"[\s\-]+", " ", w) in vocab.generic_triggers for w in trigger_words)
    weapons = vocab.weapons.find(masked)
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


def fallback_frame(sentences: list[Sentence], frames: list[Frame], article: Article, gazetteer: Gazetteer,
                   skip_until: int) -> Frame | None:
    """The lead of an article where no passage qualified: its first sentence with
    an event cue, else its first sentence; the dateline gives the place."""
    if not sentences:
        return None
    chosen = next((f for f in frames if f.has_event), None)
    if chosen is None:
        first = next((s for s in sentences if s.end > skip_until), sentences[0])
        chosen = Frame(max(first.start, min(skip_until, first.end - 1)), first.end, first.index, False)
    chosen = replace(chosen, generic=False)
    if chosen.place is None and article.dateline:
        place = gazetteer.resolve_place(article.dateline, context=article.text)
        if place is not None:
            chosen.place, chosen.place_text = place, article.dateline
    return chosen


def read_lead_casualties(lead: Mention, article: Article, vocab: Vocabulary, sentences: list[Sentence],
                         others: list[Mention] = (), opening_sentences: int = 5,  # type: ignore[assignment]
                         injured_sentences: int = 10) -> None:
    """Casualties of the article's main incident from its headline and opening
    sentences when the lead passage gives none: news puts the toll up front,
    often without a number ('a man was shot and killed' is one death). The
    injured, when the opening gives none, from the first `injured_sentences`.
    Sentences that report the article's other incidents are not read. A lead whose
    headline or passage sums up several incidents is marked (`roundup`)."""
    lead.features["roundup"] = bool(vocab.roundup.find(f"{article.title or ''}\n{lead.sentence}"))
    if not lead.features["roundup"]:
        raise_to_headline(lead, article.title or "", vocab)
    else:
        lead.features["featured_toll"] = read_featured_toll(sentences, vocab, opening_sentences)
    if lead.killed is not None and lead.injured is not None and lead.injured != 1:
        return
    elsewhere = [(m.start, m.end) for m in others]
    opening = [s for s in sentences[:opening_sentences] if outside(elsewhere, s.start, s.end)]
    killed, injured = read_lead_toll(article.title or "", "\n".join(s.text for s in opening), vocab)
    # A lead passage of one wounded often names the worst hurt ('a double shooting that left a teenager
    # critically injured'): its own count of the hit, with the same dead, is of all of them.
    if lead.injured == 1 and not lead.features["roundup"]:
        own_killed, own_injured = read_lead_toll(article.title or "", lead.sentence, vocab)
        if (own_injured or 0) > 1 and lead.killed in (None, own_killed):
            lead.injured = own_injured
    if lead.killed is not None and lead.injured is not None:
        return
    # 'Multiple people were wounded' reads as one wounded ('were wounded'): the count is further on.
    several = bool(vocab.several_hurt.find(f"{article.title or ''}\n" + "\n".join(s.text for s in opening)))
    if lead.injured is None and (not injured or (injured == 1 and several)):
        # The wounded are often told after the dead and the scene ('a fourth victim
        # remains hospitalized', 'the woman ... suffered a gunshot wound to the leg'); a zero
        # the opening only implies ('the two were shot to death') does not say no one else was hurt.
        # A passage of its own that tells no toll of its own, or the same dead, on a day that can be
        # the lead's, goes on with the lead's incident ('Three other males were also shot').
        dead = lead.killed if lead.killed is not None else killed
        # After 'multiple people were wounded', a passage's own count of wounded is the one not given.
        apart = [(m.start, m.end) for m in others
                 if not tells_same_toll(m, lead, dead) and not (several and tells_same_toll(replace(m, injured=None), lead, dead))]
        more = [s for s in sentences[:injured_sentences] if outside(apart, s.start, s.end)]
        later = read_lead_toll(article.title or "", "\n".join(s.text for s in more), vocab)[1]
        injured = later if injured is None or (later or 0) > injured else injured
        if several and (injured or 0) < 2:
            injured = 2  # at least
        # 'A fourth victim was taken by personal vehicle to ...' comes after the dead are named, often
        # past the window; an ordinal names a new person hit, so it is read through the story.
        if injured is None and dead and (hit := count_ordinal_victims(
                "\n".join(s.text for s in sentences if outside(apart, s.start, s.end)), vocab)) and hit > dead:
            injured = hit - dead
    if lead.killed is None and killed is not None:
        lead.killed = killed
        lead.features["explicit"]["killed"] = True
    if lead.injured is None and injured is not None:
        lead.injured = injured
        lead.features["explicit"]["injured"] = True
    # One victim shot, and no dead: the story may tell further on that the victim died.
    if lead.injured == 1 and not lead.killed and not lead.features["roundup"]:
        apart = [(m.start, m.end) for m in others if not tells_same_toll(m, lead, lead.killed)]
        if died_later(article.title or "", [s for s in sentences if outside(apart, s.start, s.end)], vocab):
            lead.killed, lead.injured = 1, 0
            lead.features["explicit"]["killed"] = True


def tells_same_toll(other: Mention, lead: Mention, dead: int | None) -> bool:
    """Whether another passage may tell more of the lead's incident: no wounded of its
    own, no other dead and no day apart ('Late Wednesday, at least eight people were killed
    and 12 wounded in Chicago' is a roundup beside the lead's one death)."""
    return (other.injured is None and (other.killed is None or other.killed == dead)
            and (other.date is None or lead.date is None or dates_compatible(other.date, lead.date)))


def raise_to_headline(lead: Mention, title: str, vocab: Vocabulary) -> None:
    """A headline's figures raise the lead's toll: an opening often tells one
    victim ('A 20-year-old man died at the scene') where the headline sums up
    ('1 Dead, 7 Injured'). The higher of the two wins, as a headline may also
    tell the worst hurt only ('Four shot, two critically injured'); on gva_pool
    dev this reads 8 more killed and 7 more injured leads right than either alone."""
    killed, injured = read_headline_figures(title, vocab)
    for name, value in (("killed", killed), ("injured", injured)):
        if value is not None and (getattr(lead, name) is None or value > getattr(lead, name)):
            setattr(lead, name, value)
            lead.features["explicit"][name] = True


def build_mention(passage: Passage, order: int, article: Article, vocab: Vocabulary) -> Mention:
    start, end = passage.frames[0].start, passage.frames[-1].end
    sentence = article.text[start:end]
    # Trim whitespace so that text[start:end] is exactly the passage shown.
    lead = len(sentence) - len(sentence.lstrip())
    start += lead
    end = start + len(sentence.strip())
    sentence = article.text[start:end]
    date = passage.date
    if date is None:
        pub = article.published_interval
        # Nothing is reported before it happens: the publication date bounds an undated report.
        date = DateInterval(None, pub.latest, "unknown") if pub.latest else DateInterval()
    weapon = passage.value("weapon")
    triggers = [t for f in passage.frames for t in f.triggers]
    event_type = next((t for t in vocab.event_type_order if t in triggers and t != "attack"), None)
    if event_type is None:
        event_type = vocab.weapon_event_types.get(str(weapon), "attack" if "attack" in triggers else "other")
    explicit = {name: any(getattr(f, name) is not None for f in passage.frames)
                for name in ("place", "weapon", "quantity", "date", "outcome", "killed", "injured")}
    features = {
        "explicit": explicit,
        "sentence_index": passage.frames[0].sentence,
        "ages": sorted({int(a) for a in _AGE.findall(sentence) if 0 < int(a) < 120}),
        "names": find_names(sentence, vocab.not_in_names),
        "published": article.published,
        "undated_article": article.published_interval.latest is None,
        "fallback": not any(f.standalone for f in passage.frames),
    }
    return Mention(
        id=mention_id(article.id, start),
        article_id=article.id,
        start=start,
        end=end,
        sentence=sentence,
        event_type=event_type,
        weapon=weapon,  # type: ignore[arg-type]
        quantity=passage.value("quantity"),  # type: ignore[arg-type]
        place=passage.place,
        place_text=passage.place_hit[1] if passage.place_hit else passage.inherited.get("place_text"),  # type: ignore[arg-type]
        date=date,
        date_text=next((f.date_text for f in passage.frames if f.date_text), None),
        outcome=passage.value("outcome"),  # type: ignore[arg-type]
        outcome_text=passage.value("outcome_text"),  # type: ignore[arg-type]
        killed=passage.value("killed"),  # type: ignore[arg-type]
        injured=passage.value("injured"),  # type: ignore[arg-type]
        attribution=attribution_of(passage),
        order=order,
        features=features,
    )


def attribution_of(passage: Passage) -> str | None:
    """Who made the passage's claim: the source of the sentence giving the
    outcome when there is one ('... but failed to intercept' is the outlet's
    own claim even if the sentence before quoted the army), else the first."""
    frames = passage.frames
    for i, f in enumerate(frames):
        if f.outcome is not None:
            # A quotation continuing the sentence before speaks for the same person.
            if f.attribution is None and i > 0 and f.quoted:
                return frames[i - 1].attribution
            return f.attribution
    return passage.value("attribution")  # type: ignore[return-value]


def mention_id(article_id: str, start: int) -> str:
    """Stable: the same article text gives the same mention ids."""
    return "m" + hashlib.sha1(f"{article_id}:{start}".encode()).hexdigest()[:15]
