"""Sentence splitting with character offsets, shared by the extraction stages."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before
# whitespace, or at a line break. Abbreviations are checked afterwards.
_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s)|\n")
_WORD_BEFORE = re.compile(r"([\w.]+)\.$")
# The only characters outside ASCII that an ASCII letter matches under re.IGNORECASE (the
# dotted and dotless i, the long s, the Kelvin sign; found by trying every code point).
_ASCII_LOOKALIKES = re.compile("[\u0130\u0131\u017f\u212a]")


def has_ascii_lookalikes(text: str) -> bool:
    """Whether a case-insensitive pattern of ASCII words can match `text` where its
    lower-cased form does not contain the words ('\u017fhot' matches 'shot'): then
    a quick look for the words in text.lower() cannot rule the pattern out."""
    return not text.isascii() and _ASCII_LOOKALIKES.search(text) is not None


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    index: int
    paragraph: int


def split_sentences(text: str, abbreviations: set[str] | frozenset[str] = frozenset()) -> list[Sentence]:
    """Split text into sentences; offsets index into `text`, whitespace trimmed.

    Paragraphs are separated by blank lines; a single line break also ends a
    sentence because the user's articles put one sentence or headline per line.
    """
    out: list[Sentence] = []
    start = 0
    paragraph = 0
    pending_blank = False
    for m in _END.finditer(text):
        end = m.end()
        if m.group(0) != "\n":
            before = _WORD_BEFORE.search(text, max(start, m.start() - 20), m.start() + 1)
            word = before.group(1).lower() if before else ""
            nxt = text[end : end + 3].lstrip()
            # 'U.S. troops', 'Col. Wayne', 'Ind. (June': not an end; a single capital letter ('J.') neither.
            if word in abbreviations or (len(word) == 1 and word.isalpha()):
                continue
            if nxt[:1].islower():
                continue
        _emit(out, text, start, end, paragraph)
        if m.group(0) == "\n":
            if pending_blank or text[start:m.start()].strip() == "":
                if out and out[-1].paragraph == paragraph:
                    paragraph += 1
            pending_blank = text[start:m.start()].strip() == ""
        start = end
    _emit(out, text, start, len(text), paragraph)
    # Re-number paragraphs densely and index sentences.
    return [Sentence(s.start, s.end, s.text, i, s.paragraph) for i, s in enumerate(out)]


def _emit(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    s = start + lead
    out.append(Sentence(s, s + len(stripped), stripped, len(out), paragraph))


def mask(text: str, spans: list[tuple[int, int, str, str]]) -> str:
    """Blank out spans (as PhraseMatcher.find returns them) so later matchers skip
    them; offsets are kept."""
    if not spans:
        return text
    chars = list(text)
    for s, e, _, _ in spans:
        chars[s:e] = " " * (e - s)
    return "".join(chars)
