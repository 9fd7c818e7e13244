"""Read input files and folders into RawDocument records (or IngestError rows).

One function does the work: `read_inputs(paths)`. Each path is a file or a folder
(walked in sorted order, hidden entries skipped). Every file and every record in it ends
as a `RawDocument` or an `IngestError` saying why it could not be used: a bad input never
stops the run and is never silently dropped.

Formats, chosen by suffix (case-insensitive):
  .txt / .md      one article per file; the whole decoded text (headers included),
                  doc_id = file stem. A .md file may start with a YAML front-matter
                  block (--- ... ---) whose title/published/source/url/doc_id are used.
  .jsonl          one JSON object per line (line = 1-based line number); read a line at a
                  time, like .csv, so a corpus file is never held whole
  .json           one object, or a list of objects (line = 1-based position in the list),
                  or an object wrapping such a list under 'articles'/'documents'/'items'/
                  'records'/'data'
  .csv            header row + one record per row (line = CSV record number, the header
                  being record 1, as a spreadsheet numbers rows; a quoted multi-line field
                  stays one record, and error reasons name the file lines it spans)
  .html / .htm    main text extracted with trafilatura (title/date/site metadata kept)
  .gz             decompressed (bounded) and read by the inner suffix, e.g. x.jsonl.gz
Structured records use the fields doc_id, title, published, source, url, text; any
other field is kept in `extra` under its original name.

Decoding (encodings, binary and foreign-format detection, invisible characters) is in
dedupe.decode, structured records in dedupe.records, HTML text extraction in dedupe.webpage.
"""

from __future__ import annotations

import errno
import gzip
import io
import logging
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from . import decode  # its private head checks, made on a streamed file's head as decode_bytes makes them
from .decode import GZIP_MAGIC, Unusable, clean_text, decode_bytes, is_blank, sniff_format
from .models import IngestError, RawDocument
from .records import read_csv, read_json, read_jsonl, record_to_raw, text_lines
from .webpage import read_html

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".jsonl", ".json", ".csv", ".html", ".htm", ".gz")

_CHUNK = 1 << 16

Item = RawDocument | IngestError


# --------------------------------------------------------------------------- walking


def read_inputs(paths: Iterable[str | Path], max_bytes: int = 50_000_000) -> Iterator[Item]:
    """Yield one RawDocument per article found in `paths`, or an IngestError per unusable file or record.

    Paths are read in the order given; folders are walked in sorted order, depth first, with an
    explicit stack (no recursion limit however deep). Hidden entries (name starting with '.')
    inside a folder are skipped without a record. A symlink is followed only when it resolves
    inside one of the folders given; each real file or folder is read at most once, so symlink
    loops end, and a second way to the same file is recorded, not read again.
    """
    for item in _read_paths([Path(p) for p in paths], max_bytes):
        item.path = _storable(item.path)
        if isinstance(item, IngestError):
            item.reason = _storable(item.reason)
        elif item.doc_id is not None:
            item.doc_id = _storable(item.doc_id)
        yield item


def _storable(value: str) -> str:
    """`value` without lone surrogates, which SQLite cannot store: a file name that is not UTF-8
    reaches Python with its bytes as surrogates, and is stored with U+FFFD in their place."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        pass
    try:
        raw = value.encode("utf-8", "surrogateescape")  # the file name's own bytes
    except UnicodeEncodeError:
        raw = value.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "replace")


def _read_paths(paths: list[Path], max_bytes: int) -> Iterator[Item]:
    roots = [p.resolve() for p in paths if p.is_dir()]
    seen: dict[str, str] = {}  # real path -> the path it was first read or walked as
    for path in paths:
        if not os.path.lexists(path):
            yield IngestError(str(path), None, "no such file or directory")
        elif path.is_dir():
            yield from _walk(path, roots, seen, max_bytes)
        else:
            yield from _visit(path, path.resolve(), seen, max_bytes)


def _walk(top: Path, roots: list[Path], seen: dict[str, str], max_bytes: int) -> Iterator[Item]:
    real_top = top.resolve()
    seen[str(real_top)] = str(top)
    # (real path of the folder, its entries): a child's real path is its folder's plus its name, so
    # only symlinks are resolved (resolve() costs a system call per level, quadratic in depth)
    stack: list[tuple[Path, Iterator[_Entry | IngestError]]] = [(real_top, iter(_list_folder(top)))]
    while stack:
        real_folder, entries = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        if isinstance(entry, IngestError):
            yield entry
            continue
        path, is_link, is_dir = entry
        if is_link:
            try:
                target = path.resolve(strict=True)
            except RuntimeError:
                yield IngestError(str(path), None, "symlink loop (the link never resolves to a file or folder)")
                continue
            except OSError as exc:
                reason = "symlink loop" if exc.errno == errno.ELOOP else "broken symlink"
                yield IngestError(str(path), None, f"{reason} (points to {os.readlink(path)})")
                continue
            if not any(target.is_relative_to(root) for root in roots):
                yield IngestError(str(path), None, f"symlink outside input: points to {target}; not followed")
                continue
            is_dir = target.is_dir()
        else:
            target = real_folder / path.name
        if is_dir:
            first = seen.get(str(target))
            if first is not None:
                loop = real_folder.is_relative_to(target)
                reason = f"symlink loop: points to {first}, which contains it" if loop else f"same folder as {first}"
                yield IngestError(str(path), None, f"{reason}, already read")
                continue
            seen[str(target)] = str(path)
            stack.append((target, iter(_list_folder(path))))
        else:
            yield from _visit(path, target, seen, max_bytes)


_Entry = tuple[Path, bool, bool]  # path, is a symlink, is a folder (not following links)


def _list_folder(folder: Path) -> list[_Entry | IngestError]:
    try:
        with os.scandir(folder) as it:
            entries = [(e.name, e.is_symlink(), e.is_dir(follow_symlinks=False))
                       for e in it if not e.name.startswith(".")]
    except OSError as exc:
        return [IngestError(str(folder), None, f"cannot list folder: {exc.strerror or exc}")]
    return [(folder / name, is_link, is_dir) for name, is_link, is_dir in sorted(entries)]


def _visit(path: Path, target: Path, seen: dict[str, str], max_bytes: int) -> Iterator[Item]:
    if not target.is_file():
        reason = "broken symlink" if path.is_symlink() and not target.exists() else "not a regular file or folder"
        yield IngestError(str(path), None, reason)
        return
    first = seen.get(str(target))
    if first is not None:
        yield IngestError(str(path), None, f"same file as {first}, already read")
        return
    seen[str(target)] = str(path)
    try:
        yield from _read_file(path, max_bytes)
    except Exception as exc:  # a parser bug on one hostile file must not cost the rest of the build
        log.exception("%s: unexpected error", path)
        yield IngestError(str(path), None, f"unexpected error while reading: {type(exc).__name__}: {exc}")


# --------------------------------------------------------------------------- one file


def _unsupported(suffix: str, detail: str = "") -> str:
    plain = ", ".join(s for s in SUPPORTED_SUFFIXES if s != ".gz")
    return f"unsupported file type {suffix or '(no suffix)'}{detail} (supported: {plain}, and any of these as .gz)"


def _read_file(path: Path, max_bytes: int) -> Iterator[Item]:
    try:
        stem, suffix = _format_of(path, max_bytes)
        lines = _streamed_lines(path, suffix, max_bytes) if suffix in _STREAMED else None
        text = _load_text(path, suffix, max_bytes) if lines is None else ""
    except Unusable as exc:
        yield IngestError(str(path), None, str(exc))
        return
    except OSError as exc:
        yield IngestError(str(path), None, f"cannot read file: {exc.strerror or exc}")
        return
    if lines is not None:
        yield from _read_streamed(path, suffix, lines, max_bytes)
    elif suffix in (".txt", ".md"):
        yield _plain_document(str(path), stem, suffix, text)
    elif suffix == ".jsonl":
        yield from read_jsonl(str(path), text_lines(text))
    elif suffix == ".json":
        yield from read_json(str(path), text)
    elif suffix == ".csv":
        yield from read_csv(str(path), text_lines(text), len(text))
    else:
        yield _html_document(str(path), stem, text)


def _format_of(path: Path, max_bytes: int) -> tuple[str, str]:
    """(stem, suffix that decides the format); a huge file is refused unread."""
    suffix = path.suffix.lower()
    stem = path.stem
    if suffix not in SUPPORTED_SUFFIXES:
        raise Unusable(_unsupported(suffix))
    if suffix == ".gz":
        inner = Path(path.name[: -len(".gz")])
        stem, suffix = inner.stem, inner.suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES or suffix == ".gz":
            raise Unusable(_unsupported(suffix, " inside .gz"))
    size = path.stat().st_size
    if size > max_bytes:
        raise Unusable(f"file too large: {size:,} bytes (limit {max_bytes:,}, see --max-bytes)")
    return stem, suffix


def _load_text(path: Path, suffix: str, max_bytes: int) -> str:
    """The decoded text, read whole; the bytes are gone once this returns."""
    size = path.stat().st_size
    with open(path, "rb") as fh:
        data: bytes | bytearray = fh.read(min(size, max_bytes) + 1)  # never a buffer of max_bytes for a small file
    if len(data) > max_bytes:  # it grew since stat()
        raise Unusable(_grew(max_bytes))
    if data.startswith(GZIP_MAGIC):  # .gz, or a gzipped file that kept its plain name
        data = _gunzip(io.BytesIO(data), max_bytes)
    elif path.suffix.lower() == ".gz":
        raise Unusable(_NOT_GZIP)
    _refuse_binary_format(path, suffix, bytes(data[:512]))
    return decode_bytes(data, html=suffix in (".html", ".htm"))


_NOT_GZIP = "corrupt gzip file: it does not start with the gzip signature"


def _grew(max_bytes: int) -> str:
    return f"file too large: over {max_bytes:,} bytes (limit {max_bytes:,}, see --max-bytes)"


def _refuse_binary_format(path: Path, suffix: str, head: bytes) -> None:
    found = sniff_format(head)
    if found:
        shown = path.suffix.lower() if suffix == path.suffix.lower() else f"{suffix} inside .gz"
        raise Unusable(_unsupported(found[0], f": {found[1]} content in a {shown} file"))


def _gunzip(fh: IO[bytes], max_bytes: int, keep: bool = True) -> bytearray:
    """The decompressed bytes (only counted, not kept, unless `keep`)."""
    out = bytearray()
    size = 0
    try:
        with gzip.GzipFile(fileobj=fh, mode="rb") as gz:
            while chunk := gz.read(_CHUNK):  # streamed, so a gzip bomb stops at the limit
                size += len(chunk)
                if keep:
                    out += chunk
                if size > max_bytes:
                    raise Unusable(f"file too large: decompressed size over the limit of {max_bytes:,} bytes")
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise Unusable(f"corrupt gzip file: {exc}") from exc
    return out


# --------------------------------------------------------------------------- streamed records

# JSONL and CSV files are read a line at a time, so a corpus file is never held whole (as bytes
# and then as text: twice its size at once). Lines split on LF bytes, which no UTF-8 sequence
# contains, and CR/CRLF become LF within each, so records and line numbers are those of the
# whole decoded text. Other encodings (UTF-16/32), and heads with NUL bytes or that may be
# binary, are read whole as before, so every refusal stays decode_bytes's.
_STREAMED = (".jsonl", ".csv")
_HEAD = decode._SAMPLE + 8  # the binary-check sample after the longest BOM


def _open_content(path: Path) -> IO[bytes]:
    """The file's content: gunzipped on the fly when it starts with the gzip signature."""
    fh = open(path, "rb")
    if fh.read(len(GZIP_MAGIC)) != GZIP_MAGIC:
        fh.seek(0)
        return fh
    fh.seek(0)
    return gzip.GzipFile(fileobj=fh, mode="rb")  # type: ignore[return-value]


def _streamed_lines(path: Path, suffix: str, max_bytes: int) -> Iterator[str] | None:
    """The file's cleaned text lines, read as they are used, or None when it must be read whole.
    Raises Unusable as _load_text does, before any line is read."""
    with open(path, "rb") as fh:
        is_gzip = fh.read(len(GZIP_MAGIC)) == GZIP_MAGIC
    if is_gzip:
        with open(path, "rb") as fh:
            _gunzip(fh, max_bytes, keep=False)  # a bomb or a corrupt stream is refused before any record
    elif path.suffix.lower() == ".gz":
        raise Unusable(_NOT_GZIP)
    with _open_content(path) as content:
        head = content.read(_HEAD)
    _refuse_binary_format(path, suffix, head[:512])
    if not head:
        raise Unusable("empty file")
    encoding, skip = decode._encoding_by_bom(head)
    if encoding not in (None, "utf-8") or b"\x00" in head:
        return None
    if decode._looks_binary(str(head[skip : skip + decode._SAMPLE], "utf-8", "dedupe-cp1252")):
        return None
    return _decoded_lines(path, skip, max_bytes)


def _decoded_lines(path: Path, skip: int, max_bytes: int) -> Iterator[str]:
    """Each line with its LF, as text_lines gives them from decode_bytes's whole text."""
    read = 0
    with _open_content(path) as content:
        content.read(skip)
        while raw := content.readline():
            read += len(raw)
            if read > max_bytes:  # it grew since it was measured
                raise Unusable(_grew(max_bytes))
            text = clean_text(str(raw, "utf-8", "dedupe-cp1252"), all_breaks=False)
            del raw  # a 30 MB line is held once as text, not also as bytes
            yield from text_lines(text)


def _read_streamed(path: Path, suffix: str, lines: Iterator[str], max_bytes: int) -> Iterator[Item]:
    """The records of a streamed file; a file of blank lines is an 'empty file', as when read whole."""
    seen = {"text": False, "item": False}

    def watched() -> Iterator[str]:
        for line in lines:
            seen["text"] = seen["text"] or not is_blank(line)
            yield line

    records = read_jsonl(str(path), watched()) if suffix == ".jsonl" else read_csv(str(path), watched(), max_bytes)
    try:
        for item in records:
            seen["item"] = True
            yield item
    except Unusable as exc:
        yield IngestError(str(path), None, str(exc))
    except OSError as exc:
        yield IngestError(str(path), None, f"cannot read file: {exc.strerror or exc}")
    else:
        if not seen["text"] and not seen["item"]:
            yield IngestError(str(path), None, "empty file")


# --------------------------------------------------------------------------- plain text

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def _plain_document(path: str, stem: str, suffix: str, text: str) -> Item:
    fmt = suffix.lstrip(".")
    text = clean_text(text)
    if fmt == "md":
        m = _FRONT_MATTER.match(text)
        meta = _yaml_mapping(m.group(1)) if m else None
        if m and meta is not None:
            record: dict[str, Any] = {k: v for k, v in meta.items() if isinstance(k, str) and k.lower() != "text"}
            record["text"] = text[m.end() :]
            record.setdefault("doc_id", stem)
            return record_to_raw(record, path, None, fmt)
    return RawDocument(path=path, line=None, format=fmt, text=text, doc_id=stem)


def _yaml_mapping(block: str) -> dict | None:
    try:
        import yaml

        # BaseLoader: every value a string, so 'published: 2021-02-30' is an unusable date
        # (a warning) rather than a YAML error that turns the front matter into article text
        value = yaml.load(block, Loader=yaml.BaseLoader)
    except Exception:  # malformed front matter: treat the file as plain text
        return None
    return value if isinstance(value, dict) else None


def _html_document(path: str, stem: str, html: str) -> Item:
    meta, text = read_html(html, path)
    text = clean_text(text).strip()
    if not text:
        return IngestError(path, None, "no text: nothing but markup, scripts or navigation in the HTML page")
    record = {k: v for k, v in meta.items() if v}
    record.update(text=text, doc_id=stem)
    return record_to_raw(record, path, None, "html")  # its "date" is an alias of published
