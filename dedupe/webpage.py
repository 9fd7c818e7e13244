"""Main text and metadata of an HTML page.

trafilatura finds the article among navigation, comments and adverts; when it is missing or
finds nothing, a plain extractor keeps the text outside script, style, navigation and other
non-content elements. Neither ever returns script code, event handler attributes or link
targets (javascript: URLs included): only text nodes become article text.
"""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser
from typing import Any

log = logging.getLogger(__name__)


def read_html(html: str, path: str = "") -> tuple[dict[str, Any], str]:
    """(metadata: title, date, source, url, author, description; main text) of a page; text may be empty."""
    meta: dict[str, Any] = {}
    text = ""
    try:
        meta, text = _trafilatura_extract(html)
    except ImportError as exc:  # trafilatura (or one of its dependencies) unavailable
        log.warning("trafilatura unavailable (%s); using the plain HTML text extractor", exc)
    except Exception as exc:  # a parser failure on one page must not stop the run
        log.warning("%s: trafilatura failed (%s); using the plain HTML text extractor", path, exc)
    if not text.strip():
        fallback_title, text = _plain_html_text(html)
        if not meta.get("title"):
            meta["title"] = fallback_title
    return meta, text


def _trafilatura_extract(html: str) -> tuple[dict[str, Any], str]:
    import trafilatura

    doc = None
    for favor_recall in (False, True):
        result = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            favor_recall=favor_recall,
            # only dates the page states in its metadata/markup; no guessing from
            # copyright lines or other dates found anywhere in the text
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
        doc = result.as_dict() if hasattr(result, "as_dict") else result
        if doc and (doc.get("text") or "").strip():
            break
    if not doc:
        return {}, ""
    meta = {
        "title": doc.get("title"),
        "date": doc.get("date"),
        "source": doc.get("sitename") or doc.get("hostname"),
        "url": doc.get("url"),
        "author": doc.get("author"),
        "description": doc.get("description"),
    }
    # trafilatura puts one block per line; separate them by a blank line like a .txt article
    text = "\n\n".join(line.strip() for line in (doc.get("text") or "").split("\n") if line.strip())
    return meta, text


_SKIP_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "svg",
    "head",
    "iframe",
    "object",
    "select",
    "textarea",
    "button",
}
_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "section",
    "article",
    "blockquote",
}


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self._skip:
            self.parts.append(data)


def _plain_html_text(html: str) -> tuple[str | None, str]:
    parser = _TextParser()
    try:
        parser.feed(html)
        parser.close()
    except Exception:
        return None, ""
    text = "".join(parser.parts)
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    title = " ".join("".join(parser.title).split()) or None
    return title, "\n\n".join(p for p in paragraphs if p)
