"""Bytes to article text: what a file really is, its encoding, and the characters to drop.

- `sniff_format(head)` names a binary format (PDF, ZIP/DOCX, images, archives...) from its
  magic bytes, so a report.pdf renamed report.txt is refused, not read as garbage.
- `decode_bytes(data)` finds the encoding (BOMs, UTF-16 without BOM, UTF-8 with cp1252 for
  the bytes that are not UTF-8, an HTML page's declared charset), refuses binary data and
  returns clean text.
- `clean_text(text)` normalises line ends and drops control, bidi and zero-width characters:
  they are invisible to a reader but split words ('Bag\u200bhdad') so matching misses them,
  and a lone surrogate would stop the SQLite write.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

GZIP_MAGIC = b"\x1f\x8b"

# (offset, magic, suffix, what it is)
_MAGIC: tuple[tuple[int, bytes, str, str], ...] = (
    (0, b"%PDF-", ".pdf", "PDF document"),
    (0, b"PK\x03\x04", ".zip", "ZIP archive (DOCX/XLSX/ODT/EPUB)"),
    (0, b"PK\x05\x06", ".zip", "ZIP archive"),
    (0, b"PK\x07\x08", ".zip", "ZIP archive"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".doc", "Microsoft Office (OLE) document"),
    (0, b"{\\rtf", ".rtf", "RTF document"),
    (0, b"%!PS", ".ps", "PostScript document"),
    (0, b"\x89PNG\r\n\x1a\n", ".png", "PNG image"),
    (0, b"\xff\xd8\xff", ".jpg", "JPEG image"),
    (0, b"GIF87a", ".gif", "GIF image"),
    (0, b"GIF89a", ".gif", "GIF image"),
    (0, b"II*\x00", ".tif", "TIFF image"),
    (0, b"MM\x00*", ".tif", "TIFF image"),
    (8, b"WEBP", ".webp", "WebP image"),
    (4, b"ftyp", ".mp4", "MP4/QuickTime media"),
    (0, b"OggS", ".ogg", "Ogg media"),
    (0, b"fLaC", ".flac", "FLAC audio"),
    (0, b"\x7fELF", ".elf", "ELF executable"),
    (0, b"SQLite format 3\x00", ".sqlite", "SQLite database"),
    (0, GZIP_MAGIC, ".gz", "gzip data"),
    (0, b"\xfd7zXZ\x00", ".xz", "xz archive"),
    (0, b"7z\xbc\xaf\x27\x1c", ".7z", "7-Zip archive"),
    (0, b"\x28\xb5\x2f\xfd", ".zst", "zstd archive"),
    (0, b"Rar!\x1a\x07", ".rar", "RAR archive"),
    (257, b"ustar", ".tar", "tar archive"),
)
_BZIP2 = re.compile(rb"BZh[1-9]1AY&SY")


class Unusable(Exception):
    """The bytes cannot become article text; the message is the ingest_errors reason."""


def sniff_format(head: bytes) -> tuple[str, str] | None:
    """(suffix, description) of the binary format `head` (a file's first 512 bytes) starts, or None."""
    for offset, magic, suffix, what in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return suffix, what
    if _BZIP2.match(head):
        return ".bz2", "bzip2 archive"
    return None


# --------------------------------------------------------------------------- encodings

# cp1252 for the bytes of a file that are not UTF-8, so one stray Windows quote does not turn
# every other accented letter of a UTF-8 file into mojibake; latin-1 for the five bytes
# cp1252 leaves undefined (they become C1 controls, which clean_text drops).
_CP1252 = tuple(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256))


def _cp1252_for_bad_utf8(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return "".join(_CP1252[b] for b in exc.object[exc.start : exc.end]), exc.end


codecs.register_error("dedupe-cp1252", _cp1252_for_bad_utf8)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""", re.I)
_SAMPLE = 1 << 16


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le'/'-be' when NULs alternate the way mostly-ASCII UTF-16 text makes them."""
    pairs = len(head) // 2
    if pairs < 4:
        return None
    even = head[0 : pairs * 2 : 2].count(0)
    odd = head[1 : pairs * 2 : 2].count(0)
    if odd > 0.4 * pairs and even < 0.05 * pairs:
        return "utf-16-le"
    if even > 0.4 * pairs and odd < 0.05 * pairs:
        return "utf-16-be"
    return None


def _encoding_by_bom(data: bytes | bytearray) -> tuple[str | None, int]:
    """(encoding, BOM length) when a BOM or the NUL pattern of UTF-16 gives the encoding away."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return _utf16_without_bom(bytes(data[:4096])), 0


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _utf8_or_cp1252(data: memoryview) -> str:
    try:
        return str(data, "utf-8")
    except UnicodeDecodeError:
        pass
    if _UTF8_SEQUENCE.search(data) is None:  # no UTF-8 anywhere: all cp1252, decoded in C, not byte by byte
        return str(data, "cp1252", "dedupe-cp1252")
    return str(data, "utf-8", "dedupe-cp1252")


def _declared_charset(head: bytes) -> str | None:
    m = _CHARSET.search(head)
    if not m:
        return None
    try:
        return codecs.lookup(m.group(1).decode("ascii")).name
    except LookupError:
        return None


def decode_bytes(data: bytes | bytearray, html: bool = False) -> str:
    """A file's bytes as text (clean_text with all_breaks=False), or raise Unusable ('binary ...', 'empty file').

    A BOM decides the encoding; otherwise UTF-16 is recognised by its NUL pattern, and the rest is
    UTF-8 with cp1252 for the bytes that are not valid UTF-8 (for an HTML page whose declared
    charset is not UTF-8, that charset instead). NUL padding at the end (a crashed write) is
    ignored; text whose sample is more than 5% (and more than 16) control, unassigned or
    undecodable characters is binary.
    """
    if not data:
        raise Unusable("empty file")
    encoding, skip = _encoding_by_bom(data)
    if encoding is None:
        if data.endswith(b"\x00"):
            data = bytes(data).rstrip(b"\x00")
            if not data:
                raise Unusable("empty file (only NUL bytes)")
        encoding = "utf-8"
    errors = "dedupe-cp1252" if encoding == "utf-8" else "replace"
    with memoryview(data) as view:
        # A sample first: a large binary file is refused before a slow full decode.
        if _looks_binary(str(view[skip : skip + _SAMPLE], encoding, errors)):
            raise Unusable("binary file (not text: too many control or undecodable characters)")
        declared = _declared_charset(bytes(view[:4096])) if html and not skip and encoding == "utf-8" else None
        text = None
        if declared and declared not in ("utf-8", "ascii"):
            try:
                text = str(view, "utf-8")  # pages often declare a charset they are not in
            except UnicodeDecodeError:
                text = str(view, declared, "replace")
        if text is None:
            text = _utf8_or_cp1252(view[skip:]) if encoding == "utf-8" else str(view[skip:], encoding, errors)
    text = clean_text(text, all_breaks=False)
    if is_blank(text):
        raise Unusable("empty file")
    return text


_NON_BLANK = re.compile(r"\S")


def is_blank(text: str) -> bool:
    """True when `text` is empty or whitespace; unlike text.strip(), never copies a huge text."""
    return _NON_BLANK.search(text) is None


def _looks_binary(sample: str) -> bool:
    bad = 0
    limit = max(16, len(sample) // 20)  # a few stray controls in a short text are junk to strip, not binary
    for ch in sample:
        if ch < " ":
            if ch not in "\t\n\r\f\v":
                bad += 1
        elif ch >= "\x7f" and (ch == "\ufffd" or unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn")):
            bad += 1
        if bad > limit:
            return True
    return False


# --------------------------------------------------------------------------- cleaning

# C0/C1 controls but tab and newline, bidi embeddings/overrides/isolates, zero-width and
# other invisible format characters, Unicode tags, variation selectors and lone surrogates.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufe00-\ufe0f\ufeff\ufff9-\ufffb\ud800-\udfff"
    "\U000e0000-\U000e007f\U000e0100-\U000e01ef]"
)
_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_CR = re.compile("\r\n?")


def clean_text(text: str, all_breaks: bool = True) -> str:
    """LF line ends (CRLF, CR, VT, FF, NEL and the Unicode separators become LF), invisible characters dropped.

    all_breaks=False turns only CR and CRLF into LF: for a whole JSONL, JSON or CSV file, whose
    strings may hold the other separators, and whose records are split on LF."""
    breaks = _LINE_BREAKS if all_breaks else _CR
    if breaks.search(text):
        text = breaks.sub("\n", text)
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    return text
