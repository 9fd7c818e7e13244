"""Structured records (JSONL lines, JSON objects, CSV rows, front matter) to RawDocuments.

Every record becomes a RawDocument or an IngestError with its line or record number; one
bad record never costs the others. Records use the fields doc_id, title, published, source,
url, text (or an alias); any other field is kept in `extra` under its original name.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from .decode import clean_text, is_blank
from .models import IngestError, RawDocument

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
# Deeper values in a record's extra fields are cut: json.dumps in the store would hit the recursion limit.
_MAX_EXTRA_DEPTH = 40

Item = RawDocument | IngestError


def _field_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return clean_text(value).strip() or None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return str(value)
    if hasattr(value, "isoformat"):  # date/datetime from YAML front matter
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _clean_extra(value: Any, depth: int = 0) -> Any:
    """Extra fields with clean strings (a lone surrogate would stop the SQLite write) and bounded depth."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, (dict, list)) and depth >= _MAX_EXTRA_DEPTH:
        return f"(nested deeper than {_MAX_EXTRA_DEPTH} levels; not kept)"
    if isinstance(value, dict):
        return {clean_text(str(k)): _clean_extra(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean_extra(v, depth + 1) for v in value]
    return value


def record_to_raw(record: dict[str, Any], path: str, line: int | None, fmt: str) -> Item:
    """Map a JSON/CSV/front-matter/HTML record to a RawDocument (unknown keys go to extra)."""
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
        return IngestError(path, line, f"no text: the record has no 'text' field (fields: {keys})")
    raw_text = record[chosen["text"]]
    if not isinstance(raw_text, str):
        kind = _json_kind(raw_text)
        return IngestError(path, line, f"no text: field '{chosen['text']}' is {kind}, not a string")
    text = clean_text(raw_text)
    if is_blank(text):
        return IngestError(path, line, f"no text: field '{chosen['text']}' is empty")
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
        except (TypeError, ValueError):  # a list/object where a string was expected: keep it, don't use it
            values[name] = None
            extra[key] = record[key]
    return RawDocument(path=path, line=line, format=fmt, text=text, extra=_clean_extra(extra), **values)


_NON_SPACE = re.compile(r"[^ \t\n\r]")
# strict=False: a raw tab inside a string is a common export slip, not a reason to lose the record
_DECODER = json.JSONDecoder(strict=False)


def read_jsonl(path: str, lines: Iterable[str]) -> Iterator[Item]:
    """One record per line of `lines` (cleaned text lines, as `text_lines` or a streamed reader
    gives them), numbered from 1; blank lines are skipped but counted."""
    for number, line in enumerate(lines, start=1):
        end = len(line) - 1 if line.endswith("\n") else len(line)
        first = _NON_SPACE.search(line, 0, end)
        if first is None:
            continue
        try:
            obj, stop = _DECODER.raw_decode(line, first.start())
        except json.JSONDecodeError as exc:
            # Out of line before the value closed (a record split over lines, or cut short):
            # the lines after it are records of their own, never read as its continuation.
            if exc.pos >= end or exc.msg.startswith("Unterminated string"):
                yield IngestError(path, number, "invalid JSON: the value continues past the end of the line")
            else:
                yield IngestError(path, number, f"invalid JSON: {exc.msg} (column {exc.pos + 1})")
            continue
        except (ValueError, RecursionError) as exc:  # a 5,000-digit number, nesting deeper than Python recurses
            yield IngestError(path, number, f"invalid JSON: {exc}")
            continue
        extra = _NON_SPACE.search(line, stop, end)
        if extra:
            yield IngestError(path, number, f"invalid JSON: extra data after the value (column {extra.start() + 1})")
            continue
        if not isinstance(obj, dict):
            yield IngestError(path, number, f"not article JSON: {_json_kind(obj)}, not an object")
            continue
        yield record_to_raw(obj, path, number, "jsonl")


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


def read_json(path: str, text: str) -> Iterator[Item]:
    try:
        data = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        yield IngestError(path, None, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
        return
    except (ValueError, RecursionError) as exc:
        yield IngestError(path, None, f"invalid JSON: {exc}")
        return
    if isinstance(data, dict):
        lowered = {str(k).lower(): k for k in data}
        has_text = any(n in lowered for n in ("text", *FIELD_ALIASES["text"]))
        wrapped = [lowered[k] for k in _WRAPPER_KEYS if k in lowered and isinstance(data[lowered[k]], list)]
        if has_text:
            yield record_to_raw(data, path, None, "json")
            return
        if not wrapped:
            keys = ", ".join(str(k) for k in list(data)[:12]) or "none"
            yield IngestError(path, None, f"not article JSON: the object has no 'text' field (fields: {keys}); "
                              "expected an article object or a list of them")
            return
        data = data[wrapped[0]]
    if not isinstance(data, list):
        yield IngestError(path, None, f"not article JSON: the top-level value is {_json_kind(data)}")
        return
    if not data:
        yield IngestError(path, None, "not article JSON: an empty list")
        return
    for number, item in enumerate(data, start=1):
        if isinstance(item, dict):
            yield record_to_raw(item, path, number, "json")
        else:
            yield IngestError(path, number, f"not article JSON: item {number} is {_json_kind(item)}, not an object")


def text_lines(text: str) -> Iterator[str]:
    """Lines with their LF, without first copying the whole text into a list."""
    pos = 0
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end + 1
        yield text[pos:end] if pos or end < len(text) else text  # a one-line text is not copied
        pos = end


def read_csv(path: str, lines: Iterable[str], max_chars: int) -> Iterator[Item]:
    """The records of a CSV file's cleaned text lines (with their LF); `max_chars` bounds the
    text's length, so no field is refused as too large."""
    lines = iter(lines)
    head = next(lines, "")
    first_line = head[: min(len(head) - head.endswith("\n"), 1 << 16)]
    delimiter = max((",", ";", "\t"), key=lambda d: (first_line.count(d), d == ","))
    if csv.field_size_limit() < max_chars:
        csv.field_size_limit(max_chars + 1)
    reader = csv.reader(itertools.chain((head,) if head else (), lines), delimiter=delimiter)
    record = last_line = data_rows = 0
    header: list[str] | None = None

    def where() -> str:
        first = last_line + 1
        lines = f"line {first}" if reader.line_num <= first else f"lines {first}-{reader.line_num}"
        return f"CSV record {record} ({lines})"

    try:
        for row in reader:
            record += 1
            if header is None and any(cell.strip() for cell in row):
                header = _column_names(row)
                lowered = {h.lower() for h in header}
                if not any(n in lowered for n in ("text", *FIELD_ALIASES["text"])):
                    yield IngestError(path, record, f"no text: the CSV header has no 'text' column "
                                      f"(columns: {', '.join(header[:12])})")
                    return
            elif header is not None and not all(is_blank(cell) for cell in row):
                data_rows += 1
                if len(row) > len(header) and not any(cell.strip() for cell in row[len(header) :]):
                    row = row[: len(header)]  # trailing empty cells, as spreadsheets export them
                if len(row) != len(header):
                    yield IngestError(path, record, f"{where()} has {len(row)} fields but the header has "
                                      f"{len(header)}")
                else:
                    item = record_to_raw(dict(zip(header, row, strict=True)), path, record, "csv")
                    if isinstance(item, IngestError):
                        item.reason = f"{where()}: {item.reason}"
                    yield item
            last_line = reader.line_num
    except csv.Error as exc:
        record += 1
        yield IngestError(path, record, f"{where()}: malformed CSV, the rest of the file is not read: {exc}")
        return
    if header is None:
        yield IngestError(path, None, "empty file")
    elif not data_rows:
        yield IngestError(path, None, "CSV file has a header but no records")


def _column_names(row: list[str]) -> list[str]:
    """Header cells, blank ones named and repeated ones numbered, so no column is lost to another."""
    names: list[str] = []
    taken: set[str] = set()  # a set: a junk first line can have a million cells
    for i, cell in enumerate(row):
        name = cell.strip() or f"column_{i + 1}"
        base, n = name, 1
        while name in taken:
            n += 1
            name = f"{base}_{n}"
        names.append(name)
        taken.add(name)
    return names
