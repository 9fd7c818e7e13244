"""Read input files and folders into RawDocument records (or IngestError rows).

One function does the work: `read_inputs(paths)`. Each path is a file or a folder
(walked recursively, sorted, hidden entries skipped). Every file yields either one
or more `RawDocument`s or an `IngestError` saying why it (or one record in it) could
not be used, so a bad input never stops the run and is never silently dropped.

Formats, chosen by suffix (case-insensitive):
  .txt / .md      one article per file; the whole decoded text (headers included),
                  doc_id = file stem. A .md file may start with a YAML front-matter
                  block (--- ... ---) whose title/published/source/url/doc_id are used.
  .jsonl          one JSON object per line (line = 1-based line number)
  .json           one object, or a list of objects (line = 1-based position in the list),
                  or an object wrapping such a list under 'articles'/'documents'/'items'/
                  'records'/'data'
  .csv            header row + one record per row (line = spreadsheet row number: the
                  header is row 1; a quoted multi-line field stays one row)
  .html / .htm    main text extracted with trafilatura (title/date/site metadata kept)
  .gz             decompressed (bounded) and read by the inner suffix, e.g. x.jsonl.gz
Structured records use the fields doc_id, title, published, source, url, text; any
other field is kept in `extra` under its original name.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .models import IngestError, RawDocument

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".jsonl", ".json", ".csv", ".html", ".htm", ".gz")

KNOWN_FIELDS: tuple[str, ...] = ("doc_id", "title", "published", "source", "url", "text")

# Alternative column names, used only when the canonical name is absent from the record.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "doc_id": ("id", "docid", "document_id", "article_id"),
    "title": ("headline",),
    "published": ("date", "published_at", "publish_date", "pubdate", "date_published"),
    "source": ("outlet", "publisher", "sitename", "site"),
    "url": ("link", "href"),
    "text": ("body", "content", "article", "maintext"),
}

_WRAPPER_KEYS = ("articles", "documents", "items", "records", "data")

_CHUNK = 1 << 16


class _Reject(Exception):
    """An input cannot be used; the message is the IngestError reason."""


# --------------------------------------------------------------------------- walking


def read_inputs(
    paths: Iterable[str | Path], max_bytes: int = 50_000_000
) -> Iterator[RawDocument | IngestError]:
    """Yield one RawDocument per article found in `paths`, or an IngestError per unusable input.

    Paths are read in the order given; folders are walked recursively in sorted order.
    Hidden entries (name starting with '.') inside a folder are skipped without a record.
    A symlink is followed only when it resolves inside the folder being walked; each real
    file or folder is read at most once, so symlink loops terminate.
    """
    seen_files: set[str] = set()
    for given in paths:
        path = Path(given)
        if not os.path.lexists(path):
            yield IngestError(str(path), None, "no such file or directory")
            continue
        if path.is_dir():
            root = path.resolve()
            yield from _walk(path, root, seen_files, {str(root)}, max_bytes)
        elif path.is_file():
            real = str(path.resolve())
            if real in seen_files:
                continue
            seen_files.add(real)
            yield from _read_file(path, max_bytes)
        elif path.is_symlink():
            yield IngestError(str(path), None, "broken symlink")
        else:
            yield IngestError(str(path), None, "not a regular file or folder")


def _walk(
    folder: Path, root: Path, seen_files: set[str], seen_dirs: set[str], max_bytes: int
) -> Iterator[RawDocument | IngestError]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield IngestError(str(folder), None, f"cannot list folder: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(folder, entry.name)
        if entry.is_symlink():
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):
                yield IngestError(str(path), None, "broken symlink")
                continue
            if not target.is_relative_to(root):
                yield IngestError(str(path), None, "symlink points outside the input folder; not followed")
                continue
        else:
            target = path.resolve()
        if target.is_dir():
            key = str(target)
            if key in seen_dirs:
                continue
            seen_dirs.add(key)
            yield from _walk(path, root, seen_files, seen_dirs, max_bytes)
        elif target.is_file():
            key = str(target)
            if key in seen_files:
                continue
            seen_files.add(key)
            yield from _read_file(path, max_bytes)
        else:
            yield IngestError(str(path), None, "not a regular file or folder")


# --------------------------------------------------------------------------- one file


def _suffix_error(suffix: str) -> str:
    shown = f"'{suffix}'" if suffix else "(no suffix)"
    plain = ", ".join(s for s in SUPPORTED_SUFFIXES if s != ".gz")
    return f"unsupported file type {shown} (supported: {plain}, and any of these gzipped as .gz)"


def _read_file(path: Path, max_bytes: int) -> Iterator[RawDocument | IngestError]:
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        yield IngestError(str(path), None, _suffix_error(suffix))
        return
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _Reject(f"file too large: {size:,} bytes (limit {max_bytes:,})")
        if suffix == ".gz":
            inner = Path(name[: -len(".gz")])
            inner_suffix = inner.suffix.lower()
            if inner_suffix not in SUPPORTED_SUFFIXES or inner_suffix == ".gz":
                raise _Reject(_suffix_error(inner_suffix) + " inside .gz")
            data = _read_gzip(path, max_bytes)
            stem, suffix = inner.stem, inner_suffix
        else:
            with open(path, "rb") as fh:
                data = fh.read(max_bytes + 1)
            if len(data) > max_bytes:  # grew since stat()
                raise _Reject(f"file too large: over {max_bytes:,} bytes (limit {max_bytes:,})")
            stem = path.stem
        text = decode_bytes(data)
    except _Reject as exc:
        yield IngestError(str(path), None, str(exc))
        return
    except OSError as exc:
        yield IngestError(str(path), None, f"cannot read file: {exc.strerror or exc}")
        return
    yield from _parse_text(str(path), stem, suffix, text)


def _read_gzip(path: Path, max_bytes: int) -> bytes:
    out = bytearray()
    try:
        with gzip.open(path, "rb") as fh:
            while True:
                chunk = fh.read(_CHUNK)
                if not chunk:
                    break
                out += chunk
                if len(out) > max_bytes:
                    raise _Reject(f"decompressed size over the limit of {max_bytes:,} bytes")
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise _Reject(f"corrupt gzip file: {exc}") from exc
    return bytes(out)


def _parse_text(path: str, stem: str, suffix: str, text: str) -> Iterator[RawDocument | IngestError]:
    if suffix in (".txt", ".md"):
        yield _plain_document(path, stem, suffix, text)
    elif suffix == ".jsonl":
        yield from _read_jsonl(path, text)
    elif suffix == ".json":
        yield from _read_json(path, text)
    elif suffix == ".csv":
        yield from _read_csv(path, text)
    else:  # .html / .htm
        yield _read_html(path, stem, text)


# --------------------------------------------------------------------------- decoding

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")


def decode_bytes(data: bytes) -> str:
    """Decode a file's bytes to text with LF line ends, or raise _Reject.

    UTF-8 (BOM stripped), UTF-16/32 with a BOM, otherwise cp1252 (latin-1 for the
    five bytes cp1252 leaves undefined). NUL bytes or many control characters mean
    a binary file; empty or whitespace-only text is rejected as an empty file.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        text = _strict(data[3:], "utf-8")
    elif data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        text = _strict(data, "utf-32")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _strict(data, "utf-16")
    else:
        if b"\x00" in data:
            raise _Reject("binary file (contains NUL bytes)")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
    if "\x00" in text:
        raise _Reject("binary file (contains NUL characters)")
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise _Reject("binary file (too many control characters)")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise _Reject("empty file")
    return text


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _Reject(f"invalid {encoding.upper()} text despite its byte-order mark: {exc.reason}") from exc


# --------------------------------------------------------------------------- plain text

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def _plain_document(path: str, stem: str, suffix: str, text: str) -> RawDocument | IngestError:
    fmt = suffix.lstrip(".")
    if fmt == "md":
        m = _FRONT_MATTER.match(text)
        meta = _yaml_mapping(m.group(1)) if m else None
        if m and meta is not None:
            record: dict[str, Any] = {k: v for k, v in meta.items() if isinstance(k, str)}
            record = {k: v for k, v in record.items() if k.lower() != "text"}
            record["text"] = text[m.end() :]
            record.setdefault("doc_id", stem)
            return _record_to_raw(record, path, None, fmt)
    return RawDocument(path=path, line=None, format=fmt, text=text, doc_id=stem)


def _yaml_mapping(block: str) -> dict | None:
    try:
        import yaml

        value = yaml.safe_load(block)
    except Exception:  # malformed front matter: treat the file as plain text
        return None
    return value if isinstance(value, dict) else None


# --------------------------------------------------------------------------- records


def _field_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
        return value or None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return str(value)
    if hasattr(value, "isoformat"):  # date/datetime from YAML front matter
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _record_to_raw(
    record: dict[str, Any], path: str, line: int | None, fmt: str
) -> RawDocument | IngestError:
    """Map a JSON/CSV/front-matter record to a RawDocument (unknown keys go to extra)."""
    by_lower: dict[str, str] = {}
    for key in record:
        by_lower.setdefault(str(key).strip().lower(), key)
    chosen: dict[str, str] = {}  # canonical field -> original key
    for name in KNOWN_FIELDS:
        for candidate in (name, *FIELD_ALIASES.get(name, ())):
            if candidate in by_lower:
                chosen[name] = by_lower[candidate]
                break
    if "text" not in chosen:
        keys = ", ".join(str(k) for k in list(record)[:12]) or "none"
        return IngestError(path, line, f"record has no 'text' field (fields: {keys})")
    raw_text = record[chosen["text"]]
    if not isinstance(raw_text, str):
        return IngestError(
            path, line, f"field '{chosen['text']}' is not a string ({type(raw_text).__name__})"
        )
    text = raw_text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return IngestError(path, line, f"field '{chosen['text']}' is empty")
    used = set(chosen.values())
    extra: dict[str, Any] = {k: v for k, v in record.items() if k not in used}
    values: dict[str, str | None] = {}
    for name in ("doc_id", "title", "published", "source", "url"):
        key = chosen.get(name)
        if key is None:
            values[name] = None
            continue
        try:
            values[name] = _field_value(record[key])
        except TypeError:  # a list/object where a string was expected: keep it, don't use it
            values[name] = None
            extra[key] = record[key]
    return RawDocument(path=path, line=line, format=fmt, text=text, extra=extra, **values)


def _read_jsonl(path: str, text: str) -> Iterator[RawDocument | IngestError]:
    # split on LF only: JSON strings may legally contain U+2028 and similar raw characters
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield IngestError(path, number, f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(obj, dict):
            yield IngestError(path, number, f"expected a JSON object, got {_json_kind(obj)}")
            continue
        yield _record_to_raw(obj, path, number, "jsonl")


def _json_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return "a number"


def _read_json(path: str, text: str) -> Iterator[RawDocument | IngestError]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield IngestError(path, None, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
        return
    if isinstance(data, dict):
        lowered = {str(k).lower(): k for k in data}
        has_text = any(n in lowered for n in ("text", *FIELD_ALIASES["text"]))
        wrapped = [lowered[k] for k in _WRAPPER_KEYS if k in lowered and isinstance(data[lowered[k]], list)]
        if not has_text and wrapped:
            data = data[wrapped[0]]
        elif not has_text:
            keys = ", ".join(str(k) for k in list(data)[:12]) or "none"
            yield IngestError(
                path,
                None,
                f"not article JSON: the object has no 'text' field (fields: {keys}); "
                "expected an article object or a list of them",
            )
            return
        else:
            yield _record_to_raw(data, path, None, "json")
            return
    if not isinstance(data, list):
        yield IngestError(path, None, f"not article JSON: top-level value is {_json_kind(data)}")
        return
    if not data:
        yield IngestError(path, None, "empty JSON list")
        return
    if not any(isinstance(item, dict) for item in data):
        yield IngestError(path, None, f"not article JSON: a list of {len(data)} items and none is an object")
        return
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            yield IngestError(path, number, f"expected a JSON object, got {_json_kind(item)}")
            continue
        yield _record_to_raw(item, path, number, "json")


def _read_csv(path: str, text: str) -> Iterator[RawDocument | IngestError]:
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=lambda d: (first_line.count(d), d == ","))
    if csv.field_size_limit() < len(text):
        csv.field_size_limit(len(text) + 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    row_number = 0
    header: list[str] | None = None
    try:
        for row in reader:
            row_number += 1
            if header is None:
                if not any(cell.strip() for cell in row):
                    continue  # leading blank lines before the header
                header = [cell.strip() or f"column_{i + 1}" for i, cell in enumerate(row)]
                header_row = row_number
                lowered = {h.lower() for h in header}
                if not any(n in lowered for n in ("text", *FIELD_ALIASES["text"])):
                    yield IngestError(
                        path,
                        row_number,
                        f"CSV header has no 'text' column (columns: {', '.join(header[:12])})",
                    )
                    return
                continue
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                yield IngestError(
                    path, row_number, f"row has {len(row)} fields but the header has {len(header)}"
                )
                continue
            yield _record_to_raw(dict(zip(header, row, strict=True)), path, row_number, "csv")
    except csv.Error as exc:
        yield IngestError(path, row_number + 1, f"malformed CSV: {exc}")
        return
    if header is None:
        yield IngestError(path, None, "empty file")
    elif row_number == header_row:
        yield IngestError(path, None, "CSV file has a header but no records")


# --------------------------------------------------------------------------- HTML


def _read_html(path: str, stem: str, html: str) -> RawDocument | IngestError:
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
        meta.setdefault("title", fallback_title)
    text = text.strip()
    if not text:
        return IngestError(path, None, "no article text found in the HTML page")
    extra = {k: v for k, v in meta.items() if k not in ("title", "date", "source", "url") and v}
    return RawDocument(
        path=path,
        line=None,
        format="html",
        text=text,
        doc_id=stem,
        title=_field_value(meta.get("title")),
        published=_field_value(meta.get("date")),
        source=_field_value(meta.get("source")),
        url=_field_value(meta.get("url")),
        extra=extra,
    )


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
