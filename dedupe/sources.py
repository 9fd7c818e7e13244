"""Read input files and folders into RawDocument records (or IngestError rows).

One function does the work: `read_inputs(paths)`. Each path is a file or a folder
(walked in sorted order, hidden entries skipped). Every file and every record in it ends
as a `RawDocument` or an `IngestError` saying why it could not be used: a bad input never
stops the run and is never silently dropped.

Formats, chosen by suffix (case-insensitive):
  .txt / .md      one article per file; the whole decoded text (headers included),
                  doc_id = file stem. A .md file may start with a YAML front-matter
                  block (--- ... ---) whose title/published/source/url/doc_id are used.
  .jsonl          one JSON object per line (line = 1-based line number)
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

from .decode import GZIP_MAGIC, Unusable, clean_text, decode_bytes, sniff_format
from .models import IngestError, RawDocument
from .records import read_csv, read_json, read_jsonl, record_to_raw
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
        stem, suffix, text = _load_text(path, max_bytes)
    except Unusable as exc:
        yield IngestError(str(path), None, str(exc))
        return
    except OSError as exc:
        yield IngestError(str(path), None, f"cannot read file: {exc.strerror or exc}")
        return
    if suffix in (".txt", ".md"):
        yield _plain_document(str(path), stem, suffix, text)
    elif suffix == ".jsonl":
        yield from read_jsonl(str(path), text)
    elif suffix == ".json":
        yield from read_json(str(path), text)
    elif suffix == ".csv":
        yield from read_csv(str(path), text)
    else:
        yield _html_document(str(path), stem, text)


def _load_text(path: Path, max_bytes: int) -> tuple[str, str, str]:
    """(stem, suffix that decides the format, decoded text); the bytes are gone once this returns."""
    suffix = path.suffix.lower()
    stem = path.stem
    if suffix not in SUPPORTED_SUFFIXES:
        raise Unusable(_unsupported(suffix))
    if suffix == ".gz":
        inner = Path(path.name[: -len(".gz")])
        stem, suffix = inner.stem, inner.suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES or suffix == ".gz":
            raise Unusable(_unsupported(suffix, " inside .gz"))
    size = path.stat().st_size  # before reading anything: a huge file is refused unread
    if size > max_bytes:
        raise Unusable(f"file too large: {size:,} bytes (limit {max_bytes:,}, see --max-bytes)")
    with open(path, "rb") as fh:
        data: bytes | bytearray = fh.read(min(size, max_bytes) + 1)  # never a buffer of max_bytes for a small file
    if len(data) > max_bytes:  # it grew since stat()
        raise Unusable(f"file too large: over {max_bytes:,} bytes (limit {max_bytes:,}, see --max-bytes)")
    if data.startswith(GZIP_MAGIC):  # .gz, or a gzipped file that kept its plain name
        data = _gunzip(io.BytesIO(data), max_bytes)
    elif path.suffix.lower() == ".gz":
        raise Unusable("corrupt gzip file: it does not start with the gzip signature")
    found = sniff_format(bytes(data[:512]))
    if found:
        shown = path.suffix.lower() if suffix == path.suffix.lower() else f"{suffix} inside .gz"
        raise Unusable(_unsupported(found[0], f": {found[1]} content in a {shown} file"))
    return stem, suffix, decode_bytes(data, html=suffix in (".html", ".htm"))


def _gunzip(fh: IO[bytes], max_bytes: int) -> bytearray:
    out = bytearray()
    try:
        with gzip.GzipFile(fileobj=fh, mode="rb") as gz:
            while chunk := gz.read(_CHUNK):  # streamed, so a gzip bomb stops at the limit
                out += chunk
                if len(out) > max_bytes:
                    raise Unusable(f"file too large: decompressed size over the limit of {max_bytes:,} bytes")
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise Unusable(f"corrupt gzip file: {exc}") from exc
    return out


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
