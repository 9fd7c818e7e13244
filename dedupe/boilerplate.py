"""Corpus boilerplate: paragraphs that many unrelated articles share.

Scraped pages often carry no story at all, only a sign-in wall or a
newsletter prompt ('We have sent you a verification email'), or wrap the
story in a site's recurring footer. Identical text in many independent
articles is not evidence that they report one incident, so those paragraphs
are marked (Article.boilerplate, spans into the text) and the later stages
leave them out (duplicate detection too). Exact copies of one text count
once towards the threshold.

A short line ('Your notification has been saved.', 'Sign in using your
profile') says too little to be called a template on its own: plain news
has short lines many articles share too ('No arrests have been made.'). It
is marked only when it is that common *and* stands next to a marked line,
so a template is taken whole while a story's own short lines stay.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence

from .models import Article

_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")
_NORMALISE = re.compile(r"[\W\d_]+")
_WORDS = re.compile(r"[\W_]+")
PAGE_REST_WORDS = 20  # fewer words than this left beside template lines: the page is template
SHORT = 6  # lowercase words a line needs to be a template on its own


def line_keys(text: str) -> Iterator[tuple[int, int, str | None, bool]]:
    """(start, end, key, short) of every line, in order. A long line's key keeps
    only its lowercase words: a site's template differs from page to page by the
    names filled into it ('Get email notifications on Jane Doe daily!') but not
    by its other words. A line of fewer than SHORT lowercase words is `short`
    (marked only beside a marked line, see mark_lines) and keyed by all its
    words, names and numbers too: its lowercase words alone ('man was shot on')
    would make unrelated stories' lines one. Lines of fewer than three words
    have no key."""
    for m in _PARAGRAPH.finditer(text):
        for line in re.finditer(r"[^\n]+", m.group(0)):
            words = [w for w in _NORMALISE.sub(" ", line.group(0)).split() if w.islower()]
            short = len(words) < SHORT
            if short:
                words = _WORDS.sub(" ", line.group(0)).lower().split()
            key = " ".join(words) if len(words) >= 3 else None
            yield m.start() + line.start(), m.start() + line.end(), key, short


def mark_boilerplate(articles: Sequence[Article], min_articles: int = 4, min_spread_days: int = 14) -> int:
    """Set each article's boilerplate spans; returns how many spans were marked.

    A line is boilerplate when it stands in at least `min_articles` articles
    with different titles whose publication dates spread over more than
    `min_spread_days` (or, all undated, in twice as many): a site's template
    persists for months, while a wire story carried by several outlets is
    published within days and must stay."""
    return mark_lines(articles, common_lines(articles, min_articles, min_spread_days))


def mark_lines(articles: Sequence[Article], common: set[str] | frozenset[str]) -> int:
    """Mark the lines whose digest is in `common` as boilerplate, a short one only
    when the line before or after it is marked too, and every line of a page
    where fewer than PAGE_REST_WORDS words are left unmarked; returns how many."""
    marked = 0
    for a in articles:
        lines = list(line_keys(a.text))
        hit = [key is not None and digest(key) in common for _, _, key, _ in lines]
        is_marked = [h and not short for h, (_, _, _, short) in zip(hit, lines, strict=True)]
        # Spread from the long template lines to the common short lines around them, both ways.
        for order in (range(len(lines)), range(len(lines) - 1, -1, -1)):
            for k in order:
                if hit[k] and not is_marked[k] and ((k > 0 and is_marked[k - 1])
                                                    or (k + 1 < len(lines) and is_marked[k + 1])):
                    is_marked[k] = True
        rest = sum(len(a.text[s:e].split()) for (s, e, _, _), m in zip(lines, is_marked, strict=True) if not m)
        if any(is_marked) and rest < PAGE_REST_WORDS:
            # A sign-in wall with a station's own line or two left over: the page is all template.
            is_marked = [True] * len(lines)
        a.boilerplate = [(s, e) for (s, e, _, _), m in zip(lines, is_marked, strict=True) if m]
        marked += len(a.boilerplate)
    return marked


def common_lines(articles: Sequence[Article], min_articles: int = 4, min_spread_days: int = 14) -> set[str]:
    """Digests of the lines that are boilerplate in this set of articles (see mark_boilerplate)."""
    seen: dict[str, dict[str, str | None]] = defaultdict(dict)
    for a in articles:
        title = (a.title or a.id).strip().lower()
        for _, _, key, _ in line_keys(a.text):
            if key is not None:
                seen[digest(key)].setdefault(title, a.published)
    common = set()
    for key, titles in seen.items():
        if len(titles) < min_articles:
            continue
        days = sorted(d for d in titles.values() if d and len(d) == 10)
        spread = (dt.date.fromisoformat(days[-1]) - dt.date.fromisoformat(days[0])).days if days else 0
        if spread > min_spread_days or (not days and len(titles) >= 2 * min_articles):
            common.add(key)
    return common


def content_text(article: Article, text: str | None = None) -> str:
    """The article's text (or `text`, when its text is elsewhere: dedupe.spool) without its
    boilerplate spans."""
    text = article.text if text is None else text
    for s, e in reversed(article.boilerplate):
        text = text[:s] + text[e:]
    return text


def digest(key: str) -> str:
    return hashlib.blake2b(key.encode(), digest_size=8).hexdigest()


def outside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when [start, end) overlaps no boilerplate span."""
    return all(end <= s or start >= e for s, e in spans)
