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

Frames and their cues are read in dedupe.cues, grouped in dedupe.passages; the lead
report's toll is read in dedupe.lead_toll.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import replace

from .boilerplate import content_text, outside
from .cues import Frame, read_frames
from .hurt import count_hurt_together
from .lead_toll import read_lead_casualties
from .models import Article, DateInterval, Mention, TermMap
from .passages import Passage, group_passages
from .people import find_names, find_people
from .place_context import headline_of, outlet_state, settle_lead_place
from .place_neighbours import settle_bare_town
from .places import Gazetteer
from .text import Sentence, split_sentences
from .vocabulary import Vocabulary

# Victims' ages ('a 23-year-old man'); dedupe.explain_rows reads a stored passage's ages the same way.
AGE_PATTERN = re.compile(r"\b(\d{1,3})[\s-]*(?:-\s*)?years?[\s-]*old\b", re.I)
# No "^": match() anchors at `pos` already, and "^" there would only match at the text's start.
_DATELINE_END = re.compile(r"[^\n]{0,80}?(?:\([^)\n]{0,40}\)\s*)?[–—-]{1,2}\s", re.S)


def extract_mentions(article: Article, vocab: Vocabulary, gazetteer: Gazetteer) -> list[Mention]:
    """All incident mentions of one article, in text order; at least one when
    the article has any text, so that every article has a primary incident."""
    every_sentence = split_sentences(article.text, vocab.abbreviations)
    sentences = [s for s in every_sentence if outside(article.boilerplate, s.start, s.end)]
    skip_until = dateline_end(article)
    frames = [f for s in sentences for f in read_frames(s, article, vocab, gazetteer, skip_until)]
    passages = group_passages(frames)
    if passages and passages[0].frames[0].aside:
        # The first report is of another incident ('Separately, ...'): the article's own story
        # comes before it, and leads even when it says too little to stand alone.
        before = [f for f in frames if f.sentence < passages[0].frames[0].sentence]
        opening = fallback_frame([s for s in sentences if s.index < passages[0].frames[0].sentence], before,
                                 article, gazetteer, skip_until)
        if opening is not None:
            passages.insert(0, Passage([opening]))
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
    if lead.features["no_content"] and article.title:
        # ... but its headline is: passages are compared with it instead ('4 shot, one fatally, on St.
        # Louis street' against a report that tells the story)
        lead.features["passage"] = headline_of(article.title)
    read_lead_casualties(lead, article, vocab, sentences, others)
    # A lead of wounded and no dead often names the worst hurt first; all of them are told later.
    if lead.injured and not lead.killed and not lead.features["roundup"]:
        together = count_hurt_together(sentences[:10], [(m.start, m.end) for m in others], vocab)
        lead.injured = max(lead.injured, together or 0)
    settle_lead_place(lead, article, content, gazetteer)
    if (state := outlet_state(article.title, content, gazetteer)) is not None:
        lead.features["outlet_state"] = [state.country, state.admin1]  # home_country.settle_namesakes
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
        "ages": sorted({int(a) for a in AGE_PATTERN.findall(sentence) if 0 < int(a) < 120}),
        "names": find_names(sentence, vocab.not_in_names),
        "published": article.published,
        "undated_article": article.published_interval.latest is None,
        "fallback": not any(f.standalone for f in passage.frames),
    }
    if passage.frames[0].aside:
        features["aside"] = True  # 'Separately, ...': another incident than the article's
    streets = [n for n in features["names"] if vocab.street_name.search(n)]  # type: ignore[union-attr]
    if streets:
        features["streets"] = streets
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
