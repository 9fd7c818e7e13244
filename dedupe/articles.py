"""Turn RawDocuments into Articles: header fields, publication date, stable id.

- `parse_article(raw)` combines the structured fields of the record with the header that
  dedupe.headers reads off the text (' date 2021-06 …', 'Publish Date : …', bylines, datelines).
- `article_id(text)` is a 16-hex sha1 of the normalised body text.
Publication dates are read by dedupe.published; copies are found by dedupe.duplicates.
"""

from __future__ import annotations

import hashlib
import unicodedata

from .headers import TITLE_MAX, cut_text, parse_header
from .models import Article, DateInterval, IngestError, RawDocument
from .published import iso_date, more_precise_within, parse_date_text


def parse_article(raw: RawDocument) -> tuple[Article, list[IngestError]]:
    """Build an Article from a RawDocument; problems that don't stop it come back as warnings.

    Raises ValueError when no text is left once header lines are removed.
    """
    header = parse_header(raw.text)
    if not header.body.strip():
        raise ValueError("no article text left after removing header lines")
    warnings: list[IngestError] = []

    interval = DateInterval()
    header_iv = header.published if header.published.is_known else None
    if raw.published:
        interval, problem = parse_date_text(raw.published)
        if problem:
            fallback = "using the date in the article header" if header_iv else "treated as undated"
            warnings.append(
                IngestError(
                    raw.path, raw.line, f"unusable published date '{raw.published}' ({problem}); {fallback}"
                )
            )
    if header_iv is not None and (not interval.is_known or more_precise_within(header_iv, interval)
                                  or predates(header_iv, interval)):
        # The header date, a header date that narrows the record's ('2021' -> day), or one before the
        # record's day: a record dated after the page's own stamp gives when it was updated or crawled.
        interval = header_iv
    elif not interval.is_known and header.published_text is not None:
        _, problem = parse_date_text(header.published_text)
        warnings.append(
            IngestError(
                raw.path,
                raw.line,
                f"unusable date '{header.published_text}' in the article header ({problem}); treated as undated",
            )
        )
    if not interval.is_known:
        interval = DateInterval()
    published = iso_date(interval)

    byline = header.byline
    extra = dict(raw.extra)
    if byline is None and isinstance(extra.get("author"), str) and extra["author"].strip():
        byline = extra["author"].strip()
    if header.news_id is not None:
        extra.setdefault("news_id", header.news_id)

    title = cut_text(raw.title, TITLE_MAX) if raw.title and raw.title.strip() else header.title
    article = Article(
        id=article_id(header.body),
        doc_id=raw.doc_id,
        path=raw.path,
        line=raw.line,
        source=raw.source or header.source,
        title=title,
        url=raw.url,
        published=published,
        published_precision=interval.precision if published else None,
        published_interval=interval,
        byline=byline,
        dateline=header.dateline,
        text=header.body,
        extra=extra,
    )
    return article, warnings


def predates(header: DateInterval, record: DateInterval) -> bool:
    """Both are days, the header's the earlier."""
    return (header.precision == record.precision == "day" and header.latest is not None
            and record.earliest is not None and header.latest < record.earliest)


# =========================================================================== ids

_QUOTES = str.maketrans(
    {
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "´": "'",
        "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
        "–": "-", "—": "-", "‒": "-", "―": "-", "−": "-", "‐": "-", "‑": "-",
        "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None,
    }
)  # fmt: skip


def normalise_text(text: str) -> str:
    """NFKC, casefold, typographic quotes/dashes to ASCII, invisible characters dropped, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return " ".join(text.split())


def article_id(text: str) -> str:
    """Stable 16-hex id of an article body: sha1 of its normalised text."""
    return hashlib.sha1(normalise_text(text).encode("utf-8")).hexdigest()[:16]
