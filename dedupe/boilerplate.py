"""Corpus boilerplate: paragraphs that many unrelated articles share.

Scraped pages often carry no story at all, only a sign-in wall or a
newsletter prompt ('We have sent you a verification email'), or wrap the
story in a site's recurring footer. Identical text in many independent
articles is not evidence that they report one incident, so those paragraphs
are marked (Article.boilerplate, spans into the text) and the later stages
leave them out (duplicate detection too). Exact copies of one text count
once towards the threshold.
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


def paragraphs(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, key) of each line. The key keeps only the line's lowercase
    words: a site's template differs from page to page by the names filled into
    it ('Get email notifications on Jane Doe daily!') but not by its other
    words. Lines too short to be distinctive get no key."""
    for m in _PARAGRAPH.finditer(text):
        for line in re.finditer(r"[^\n]+", m.group(0)):
            words = [w for w in _NORMALISE.sub(" ", line.group(0)).split() if w.islower()]
            if len(words) >= 6:
                yield m.start() + line.start(), m.start() + line.end(), " ".join(words)


def mark_boilerplate(articles: Sequence[Article], min_articles: int = 4, min_spread_days: int = 14) -> int:
    """Set each article's boilerplate spans; returns how many spans were marked.

    A line is boilerplate when it stands in at least `min_articles` articles
    with different titles whose publication dates spread over more than
    `min_spread_days` (or, all undated, in twice as many): a site's template
    persists for months, while a wire story carried by several outlets is
    published within days and must stay."""
    return mark_lines(articles, common_lines(articles, min_articles, min_spread_days))


def mark_lines(articles: Sequence[Article], common: set[str] | frozenset[str]) -> int:
    """Mark the lines whose digest is in `common` as boilerplate; returns how many."""
    marked = 0
    for a in articles:
        a.boilerplate = [(s, e) for s, e, key in paragraphs(a.text) if digest(key) in common]
        marked += len(a.boilerplate)
    return marked


def common_lines(articles: Sequence[Article], min_articles: int = 4, min_spread_days: int = 14) -> set[str]:
    """Digests of the lines that are boilerplate in this set of articles (see mark_boilerplate)."""
    seen: dict[str, dict[str, str | None]] = defaultdict(dict)
    for a in articles:
        title = (a.title or a.id).strip().lower()
        for _, _, key in paragraphs(a.text):
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


def content_text(article: Article) -> str:
    """The article's text without its boilerplate spans."""
    text = article.text
    for s, e in reversed(article.boilerplate):
        text = text[:s] + text[e:]
    return text


def digest(key: str) -> str:
    return hashlib.blake2b(key.encode(), digest_size=8).hexdigest()


def outside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when [start, end) overlaps no boilerplate span."""
    return all(end <= s or start >= e for s, e in spans)
