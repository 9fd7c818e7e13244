import gzip
import json
import os
import random
import sys
import tracemalloc
from pathlib import Path

import pytest

from dedupe import sources, webpage
from dedupe.articles import parse_article
from dedupe.decode import clean_text, sniff_format
from dedupe.mentions import extract_mentions
from dedupe.models import IngestError, RawDocument
from dedupe.places import Gazetteer
from dedupe.sources import SUPPORTED_SUFFIXES, read_inputs
from dedupe.vocabulary import load_vocabulary
from tests.helpers import write

FIXTURES = Path(__file__).parent / "fixtures" / "inputs"
STORY = ("BAGHDAD - Two drones were shot down near Baghdad International Airport on Sunday, "
         "the Iraqi military said.\n")
needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="no symlinks")


def read(*paths, **kw):
    return list(read_inputs([str(p) for p in paths], **kw))


def only(items):
    assert len(items) == 1, items
    return items[0]


def error(items) -> str:
    item = only(items)
    assert isinstance(item, IngestError), item
    return item.reason


def kinds(items):
    return [(type(i).__name__, i.line) for i in items]


# ---------------------------------------------------------------- plain text


def test_txt_is_one_article_with_whole_text(tmp_path):
    p = write(tmp_path / "000_abc.txt", " date 2021-06 First line.\r\n\r\nSecond paragraph.\r\n")
    doc = only(read(p))
    assert isinstance(doc, RawDocument)
    assert doc.format == "txt"
    assert doc.text == " date 2021-06 First line.\n\nSecond paragraph.\n"  # CRLF -> LF, header kept
    assert doc.doc_id == "000_abc"
    assert doc.line is None
    assert (doc.title, doc.published, doc.source, doc.url, doc.extra) == (None, None, None, None, {})


def test_md_plain_and_front_matter(tmp_path):
    plain = only(read(write(tmp_path / "plain.md", "# Heading\n\nBody text here.\n")))
    assert plain.format == "md" and plain.text.startswith("# Heading") and plain.doc_id == "plain"

    doc = only(read(FIXTURES / "note.md"))
    assert doc.format == "md"
    assert doc.title == "Drones intercepted near Erbil"
    assert doc.published == "2021-07-06"
    assert doc.source == "Example Wire"
    assert doc.extra == {"region": "Kurdistan"}
    assert doc.text.startswith("# Drones intercepted near Erbil\n\nERBIL, Iraq")
    assert "---" not in doc.text


def test_front_matter_with_an_impossible_date_keeps_the_article(tmp_path):
    doc = only(read(write(tmp_path / "x.md", "---\ntitle: T\npublished: 2021-02-30\n---\n" + STORY)))
    assert doc.published == "2021-02-30" and doc.title == "T" and doc.text == STORY
    article, warnings = parse_article(doc)
    assert article.published is None and "undated" in only(warnings).reason


# ---------------------------------------------------------------- empty, binary, other formats


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  ", b"\xef\xbb\xbf\n", b"\xff\xfe", "\u200b\u200e\x00 \n".encode()])
def test_empty_file(tmp_path, content):
    assert error(read(write(tmp_path / "empty.txt", content))) == "empty file"


def test_file_of_nul_bytes_is_empty(tmp_path):
    assert error(read(write(tmp_path / "zeros.txt", b"\x00" * 10_000))).startswith("empty file")


@pytest.mark.parametrize("name", ["blob.txt", "blob.jsonl", "blob.csv", "blob.html", "blob.md"])
def test_binary_junk(tmp_path, name):
    junk = b"x" + random.Random(1).randbytes(20_000)
    assert error(read(write(tmp_path / name, junk))).startswith("binary file")
    assert error(read(write(tmp_path / "ctrl.txt", bytes(range(1, 32)) * 20))).startswith("binary file")


@pytest.mark.parametrize("name", ["report.pdf", "letter.DOCX", "photo.jpg", "README"])
def test_unsupported_suffix(tmp_path, name):
    reason = error(read(write(tmp_path / name, b"%PDF-1.4 whatever")))
    suffix = Path(name).suffix.lower()
    assert reason.startswith(f"unsupported file type {suffix or '(no suffix)'} (supported:")
    assert ".txt" in reason and ".jsonl" in reason


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", ".pdf: PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(100), ".zip: ZIP archive"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ".png: PNG image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), ".doc: Microsoft Office"),
        (b"\x7fELF\x02\x01\x01" + bytes(100), ".elf: ELF executable"),
    ],
)
@pytest.mark.parametrize("name", ["x.txt", "x.jsonl", "x.html", "x.csv"])
def test_other_formats_under_a_text_suffix(tmp_path, content, kind, name):
    reason = error(read(write(tmp_path / name, content)))
    assert reason.startswith(f"unsupported file type {kind}") and f"content in a {Path(name).suffix} file" in reason


def test_sniff_format_leaves_text_alone():
    assert sniff_format(b"PK is a common start") is None and sniff_format(STORY.encode()) is None
    assert sniff_format(b"%PDF-1.4") == (".pdf", "PDF document")


def test_supported_suffixes_constant():
    assert {".txt", ".md", ".jsonl", ".json", ".csv", ".html", ".htm", ".gz"} == set(SUPPORTED_SUFFIXES)


def test_file_over_the_limit_is_not_read(tmp_path, monkeypatch):
    p = write(tmp_path / "big.txt", b"x" * 2000)
    reason = error(read(p, max_bytes=1000))
    assert "2,000 bytes" in reason and "1,000" in reason and reason.startswith("file too large")

    sparse = tmp_path / "sparse.txt"  # 60 MB by its size, nothing on disk: the size is checked before reading
    with open(sparse, "wb") as fh:
        fh.truncate(60_000_000)
    opened = []
    real_open = open
    monkeypatch.setattr("builtins.open", lambda f, *a, **k: opened.append(f) or real_open(f, *a, **k))
    assert error(read(sparse)).startswith("file too large: 60,000,000 bytes (limit 50,000,000")
    assert str(sparse) not in map(str, opened)


def test_missing_path(tmp_path):
    assert "no such file" in error(read(tmp_path / "nope.txt"))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_fifo_is_not_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")  # opening it would block the build forever
    assert error(read(tmp_path)) == "not a regular file or folder"
    assert error(read(tmp_path / "pipe.txt")) == "not a regular file or folder"


def test_a_crash_in_one_file_is_an_error_row_and_the_rest_is_read(tmp_path, monkeypatch):
    write(tmp_path / "a.jsonl", '{"text": "x"}\n')
    write(tmp_path / "b.txt", STORY)

    def broken(path, text):
        raise KeyError("parser bug")

    monkeypatch.setattr(sources, "read_jsonl", broken)
    items = read(tmp_path)
    assert "unexpected error while reading: KeyError" in items[0].reason
    assert isinstance(items[1], RawDocument) and items[1].text == STORY


# ---------------------------------------------------------------- encodings and characters


def test_cp1252_and_latin1(tmp_path):
    assert only(read(write(tmp_path / "win.txt", "Café “quoted” – dash".encode("cp1252")))).text == "Café “quoted” – dash"
    assert only(read(write(tmp_path / "l1.txt", "São Paulo ñ ü ß".encode("latin-1")))).text == "São Paulo ñ ü ß"


def test_utf8_with_a_few_cp1252_bytes_keeps_both(tmp_path):
    p = write(tmp_path / "mixed.txt", "Mosul – “quoted” ".encode() + b"caf\xe9 \x93x\x94")
    assert only(read(p)).text == "Mosul – “quoted” café “x”"


def test_utf16_with_bom(tmp_path):
    p = write(tmp_path / "u16.txt", "Baghdad – “drones”\r\nline two".encode("utf-16"))
    assert only(read(p)).text == "Baghdad – “drones”\nline two"
    p = write(tmp_path / "u16be.txt", b"\xfe\xff" + "Mosul".encode("utf-16-be"))
    assert only(read(p)).text == "Mosul"
    p = write(tmp_path / "u16le.txt", b"\xff\xfe" + "Erbil – Kirkuk".encode("utf-16-le"))
    assert only(read(p)).text == "Erbil – Kirkuk"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(tmp_path, encoding):
    assert only(read(write(tmp_path / "u.txt", STORY.encode(encoding)))).text == STORY


def test_utf8_bom_stripped(tmp_path):
    assert only(read(write(tmp_path / "bom.txt", b"\xef\xbb\xbfHello\r\nworld"))).text == "Hello\nworld"


def test_utf8_bom_in_jsonl_and_utf16_jsonl(tmp_path):
    assert only(read(write(tmp_path / "bom.jsonl", b'\xef\xbb\xbf{"text": "x y"}\n'))).text == "x y"
    items = read(write(tmp_path / "u16.jsonl", '{"text": "a"}\r\n{"text": "b"}\r\n'.encode("utf-16")))
    assert [i.text for i in items] == ["a", "b"]


def test_html_declared_charset(tmp_path):
    page = '<html><head><meta charset="windows-1251"></head><body><p>Удар по Багдаду.</p></body></html>'
    assert "Удар по Багдаду." in only(read(write(tmp_path / "ru.html", page.encode("cp1251")))).text
    page = page.replace("Удар по Багдаду", "Strike on Baghdad – “quoted”")  # a declared charset it is not in
    assert "Strike on Baghdad – “quoted”" in only(read(write(tmp_path / "lie.html", page.encode()))).text


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n", "\u2028", "\x0b", "\x0c", "\x85"])
def test_line_endings(tmp_path, newline):
    p = write(tmp_path / "x.txt", f"one{newline}two{newline}{newline}three")
    assert only(read(p)).text == "one\ntwo\n\nthree"


def test_jsonl_strings_may_hold_other_line_separators(tmp_path):
    items = read(write(tmp_path / "x.jsonl", '{"text": "a\u2028b\x0cc\x85d"}\n{"text": "e"}\n'))
    assert [(i.text, i.line) for i in items] == [("a\nb\nc\nd", 1), ("e", 2)]


def test_cr_only_jsonl_lines(tmp_path):
    items = read(write(tmp_path / "mac.jsonl", '{"text": "a"}\r{"text": "b"}\r\r{"text": "c"}'))
    assert [(i.text, i.line) for i in items] == [("a", 1), ("b", 2), ("c", 4)]


def test_nul_and_control_characters_are_stripped_and_the_article_kept(tmp_path):
    p = write(tmp_path / "ctrl.txt", "Two dro\x00nes\x07 were shot\x1b down\x7f near\x9b Baghdad.\tEnd.")
    assert only(read(p)).text == "Two drones were shot down near Baghdad.\tEnd."
    padded = write(tmp_path / "padded.txt", STORY.encode() + b"\x00" * 8192)  # a crashed write's NUL tail
    assert only(read(padded)).text == STORY


def test_bidi_and_zero_width_characters_are_stripped_so_matching_works(tmp_path):
    hidden = (STORY.replace("BAGHDAD", "BAG\u200bHDAD\u200f").replace("Baghdad", "Bag\u200bh\u200ddad\u202e")
              .replace("drones", "\u2066dro\u00adnes\u2069\ufe0f").replace("Airport", "Air\U000e0041port\u2060"))
    doc = only(read(write(tmp_path / "zw.txt", hidden)))
    assert doc.text == STORY
    article, _ = parse_article(doc)
    mention = extract_mentions(article, load_vocabulary(), Gazetteer.default())[0]
    assert mention.weapon == "drone" and mention.quantity == 2
    assert mention.place is not None and "Baghdad" in mention.place.name


def test_clean_text_keeps_what_is_visible():
    text = "Arabic عربي, Hebrew עברית, emoji 🚀, CJK 巴格达, tab\there, é and e\u0301"
    assert clean_text(text) == text
    assert clean_text("a\ud800b\udfffc") == "abc"  # lone surrogates: SQLite cannot store them


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names")
def test_file_name_that_is_not_utf8(tmp_path):
    name = os.fsdecode(b"bad-\xff-name.txt")
    write(tmp_path / name, STORY)
    doc = only(read(tmp_path))
    assert doc.path == str(tmp_path / "bad-\ufffd-name.txt") and doc.doc_id == "bad-\ufffd-name"
    doc.path.encode("utf-8")  # storable


# ---------------------------------------------------------------- JSONL


def test_jsonl_bad_lines_reported_and_rest_kept():
    items = read(FIXTURES / "articles.jsonl")
    assert kinds(items) == [
        ("RawDocument", 1),
        ("IngestError", 2),
        ("IngestError", 3),
        ("IngestError", 4),
        ("RawDocument", 5),
    ]
    first = items[0]
    assert first.format == "jsonl"
    assert first.doc_id == "j1"
    assert first.title == "Shooting at Kokomo bar"
    assert first.published == "2014-06-15"
    assert first.source == "fox59.com"
    assert first.url == "http://example.com/a"
    assert first.text.startswith("KOKOMO, Ind. (June 15, 2014) — Kokomo police")
    # unknown fields are kept
    assert first.extra == {"incident_id": "146565", "archive_url": "http://web.archive.org/x"}
    assert "invalid JSON" in items[1].reason
    assert items[2].reason == "no text: field 'text' is empty"
    assert items[3].reason == "not article JSON: a list, not an object"
    assert items[4].published is None and items[4].title is None


def test_jsonl_each_malformed_line_is_its_own_error(tmp_path):
    lines = [
        '{"text": "one"}',
        '{"text": ',  # 2
        "",
        '{"text": "four"} trailing',  # 4
        "[" * 50_000 + "]" * 50_000,  # 5: deeper than Python recurses
        '{"text": "x", "n": ' + "9" * 5000 + "}",  # 6: more digits than int() accepts
        '{"text": "seven",',  # 7: continues on the next line
        '"more": 1}',  # 8
        "42",  # 9
        '{"text": 42}',  # 10
        '{"title": "no text"}',  # 11
        '  {"text": "twelve\twith a raw tab"}  ',  # 12: raw tab inside a string is accepted
    ]
    items = read(write(tmp_path / "x.jsonl", "\n".join(lines)))
    assert kinds(items) == [("RawDocument", 1)] + [("IngestError", n) for n in (2, 4, 5, 6, 7, 8, 9, 10, 11)] + [
        ("RawDocument", 12)]
    reasons = {i.line: i.reason for i in items if isinstance(i, IngestError)}
    assert reasons[4] == "invalid JSON: extra data after the value (column 18)"
    assert reasons[5].startswith("invalid JSON: maximum recursion depth")
    assert reasons[6].startswith("invalid JSON: Exceeds the limit")
    assert reasons[9] == "not article JSON: a number, not an object"
    assert reasons[10] == "no text: field 'text' is a number, not a string"
    assert reasons[11] == "no text: the record has no 'text' field (fields: title)"
    assert items[-1].text == "twelve\twith a raw tab"


def test_jsonl_fields_are_cleaned(tmp_path):
    record = {"doc_id": "d\u200b1", "title": "T\x00itle", "text": "\ud800Two\u202e drones.", "tags": ["a\x00", "\udfff"],
              "deep": json.loads("[" * 100 + "]" * 100), "who": {"k\u200b": "v"}}
    doc = only(read(write(tmp_path / "x.jsonl", json.dumps(record))))
    assert (doc.doc_id, doc.title, doc.text) == ("d1", "Title", "Two drones.")
    assert doc.extra["tags"] == ["a", ""] and doc.extra["who"] == {"k": "v"}
    json.dumps(doc.extra)  # nesting cut, so the store can serialise it
    depth, value = 0, doc.extra["deep"]
    while isinstance(value, list) and value:
        depth, value = depth + 1, value[0]
    assert depth < 60 and "nested deeper" in value


def test_a_30_mb_jsonl_line_is_read_in_bounded_memory(tmp_path):
    body = "Two drones were shot down over Baghdad. " * 750_000  # 30 MB
    p = tmp_path / "big.jsonl"
    p.write_text(json.dumps({"doc_id": "big", "text": body}) + "\n" + json.dumps({"text": "small"}) + "\n")
    size = p.stat().st_size
    tracemalloc.start()
    try:
        items = read(p)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [i.doc_id for i in items] == ["big", None] and len(items[0].text) == len(body)
    assert peak < 2.5 * size, f"peak {peak / size:.1f}x the file"  # the bytes, then the text: no other copy
    assert error(read(p, max_bytes=size - 1)).startswith("file too large")


# ---------------------------------------------------------------- JSON


def test_json_object():
    doc = only(read(FIXTURES / "object.json"))
    assert doc.format == "json"
    assert doc.line is None
    assert doc.doc_id == "o1" and doc.published == "2021-06"
    assert doc.extra == {"tags": ["iraq", "drones"]}


def test_json_list_with_bad_items_and_aliases():
    items = read(FIXTURES / "list.json")
    assert kinds(items) == [("RawDocument", 1), ("IngestError", 2), ("IngestError", 3), ("RawDocument", 4)]
    assert items[0].extra == {"lang": "en"}
    assert items[1].reason == "not article JSON: item 2 is a string, not an object"
    assert "no 'text' field" in items[2].reason
    aliased = items[3]  # id / headline / body / date
    assert (aliased.doc_id, aliased.title, aliased.published) == ("4", "Aliased fields", "2016-01-19")
    assert aliased.text.startswith("CINCINNATI (AP)")


def test_json_that_is_not_articles(tmp_path):
    assert error(read(FIXTURES / "not_articles.json")).startswith("not article JSON: the object has no 'text' field")
    assert error(read(write(tmp_path / "n.json", "42"))) == "not article JSON: the top-level value is a number"
    assert error(read(write(tmp_path / "s.json", '"just a string"'))) == (
        "not article JSON: the top-level value is a string")
    assert error(read(write(tmp_path / "e.json", "[]"))) == "not article JSON: an empty list"
    assert error(read(write(tmp_path / "bad.json", '{"text": '))).startswith("invalid JSON")
    assert error(read(write(tmp_path / "deep.json", "[" * 50_000 + "]" * 50_000))).startswith("invalid JSON")
    items = read(write(tmp_path / "strings.json", '["a", "b", 3, null, {"text": ""}]'))  # one error per item
    assert [(i.line, i.reason) for i in items] == [
        (1, "not article JSON: item 1 is a string, not an object"),
        (2, "not article JSON: item 2 is a string, not an object"),
        (3, "not article JSON: item 3 is a number, not an object"),
        (4, "not article JSON: item 4 is null, not an object"),
        (5, "no text: field 'text' is empty"),
    ]


def test_json_wrapper_object(tmp_path):
    p = write(tmp_path / "w.json", '{"articles": [{"doc_id": "a", "text": "Some text."}], "count": 1}')
    doc = only(read(p))
    assert doc.doc_id == "a" and doc.line == 1


# ---------------------------------------------------------------- CSV


def test_csv_multiline_ragged_and_missing_text():
    items = read(FIXTURES / "records.csv")
    assert kinds(items) == [("RawDocument", 2), ("IngestError", 3), ("IngestError", 4), ("RawDocument", 5)]
    first = items[0]
    assert first.format == "csv"
    assert first.text == (
        "KOKOMO, Ind. — Police said four people were shot.\n\n"
        'The victims were taken to hospital, police said "late Sunday".'
    )
    assert first.extra == {"extra_col": "x"}
    assert (first.doc_id, first.published, first.source) == ("c1", "2014-06-15", "fox59.com")
    # record 2 spans file lines 2-4, so record 3 is on line 5
    assert items[1].reason == "CSV record 3 (line 5) has 8 fields but the header has 7"
    assert items[2].reason == "CSV record 4 (line 6): no text: field 'text' is empty"
    assert items[3].published is None and items[3].url is None  # empty cells -> None


def test_csv_record_numbers_and_line_spans(tmp_path):
    text = (
        "doc_id,text\r\n"
        '1,"one\r\nspanning\r\nthree lines"\r\n'  # record 2, lines 2-4
        "\r\n"  # record 3: blank, skipped
        '2,"ragged\nover two lines",x\n'  # record 4, lines 6-7
        "3,too,many,fields\n"  # record 5, line 8
        "4,trailing empty cells,,\n"  # record 6: kept
    )
    items = read(write(tmp_path / "x.csv", text))
    assert kinds(items) == [("RawDocument", 2), ("IngestError", 4), ("IngestError", 5), ("RawDocument", 6)]
    assert items[0].text == "one\nspanning\nthree lines"
    assert items[1].reason == "CSV record 4 (lines 6-7) has 3 fields but the header has 2"
    assert items[2].reason == "CSV record 5 (line 8) has 4 fields but the header has 2"
    assert items[3].text == "trailing empty cells"


def test_csv_without_text_column_or_records(tmp_path):
    assert error(read(write(tmp_path / "x.csv", "a,b\n1,2\n"))).startswith("no text: the CSV header has no 'text' column")
    assert error(read(write(tmp_path / "h.csv", "doc_id,text\n"))) == "CSV file has a header but no records"


def test_csv_semicolon_delimiter_nul_and_repeated_columns(tmp_path):
    doc = only(read(write(tmp_path / "x.csv", "doc_id;text\nd1;Hello,\x00 world.\n")))
    assert doc.doc_id == "d1" and doc.text == "Hello, world."
    doc = only(read(write(tmp_path / "r.csv", "text,note,note\nBody,first,second\n")))
    assert doc.extra == {"note": "first", "note_2": "second"}


# ---------------------------------------------------------------- HTML

HOSTILE_PAGE = """<!doctype html><html><head><title>Drones downed</title>
<script>document.write("SCRIPT_MUST_NOT_APPEAR")</script></head>
<body onload="alert('HANDLER_MUST_NOT_APPEAR')">
<article><h1>Drones downed</h1>
<p onclick="alert('HANDLER_MUST_NOT_APPEAR')">{story}</p>
<a href="javascript:alert('JS_URL_MUST_NOT_APPEAR')">Read more</a>
<img src=x onerror="alert('HANDLER_MUST_NOT_APPEAR')">
<svg><script>SCRIPT_MUST_NOT_APPEAR</script></svg><iframe srcdoc="SCRIPT_MUST_NOT_APPEAR"></iframe>
<p>{story}</p></article></body></html>"""


def test_html_main_text_without_script():
    doc = only(read(FIXTURES / "page.html"))
    assert isinstance(doc, RawDocument)
    assert doc.format == "html"
    assert "BAGHDAD – Two drones were shot down" in doc.text
    for junk in ("SCRIPT_MUST_NOT_APPEAR", "STYLE_MUST_NOT_APPEAR", "function f()", "Home | World"):
        assert junk not in doc.text
    assert doc.title == "Drones downed over Ain al-Asad"
    assert doc.published == "2021-06-06"
    assert doc.source == "Example News"
    assert doc.url == "https://news.example.com/2021/06/06/drones"
    assert doc.extra.get("author") == "Jane Roe"


@pytest.mark.parametrize("trafilatura", [True, False])
def test_html_scripts_handlers_and_javascript_urls_never_become_text(tmp_path, monkeypatch, trafilatura):
    if not trafilatura:
        monkeypatch.setattr(webpage, "_trafilatura_extract", lambda html: (_ for _ in ()).throw(ImportError("no")))
    doc = only(read(write(tmp_path / "x.html", HOSTILE_PAGE.format(story=STORY.strip()))))
    assert "Two drones were shot down near Baghdad International Airport" in doc.text
    for junk in ("MUST_NOT_APPEAR", "alert(", "javascript:", "document.write"):
        assert junk not in doc.text and junk not in (doc.title or "")


def test_html_fallback_extractor_without_trafilatura(monkeypatch):
    def unavailable(html):
        raise ImportError("no trafilatura")

    monkeypatch.setattr(webpage, "_trafilatura_extract", unavailable)
    doc = only(read(FIXTURES / "page.html"))
    assert "BAGHDAD – Two drones were shot down" in doc.text
    assert "MUST_NOT_APPEAR" not in doc.text
    assert "Home" not in doc.text  # <nav> dropped
    assert doc.title == "Drones downed over Ain al-Asad - Example News"


def test_html_without_text(tmp_path):
    p = write(tmp_path / "empty.htm", "<html><head><script>var x = 1;</script></head><body></body></html>")
    assert error(read(p)).startswith("no text:")


# ---------------------------------------------------------------- gzip


def test_gzip_dispatches_on_inner_suffix(tmp_path):
    data = (FIXTURES / "articles.jsonl").read_bytes()
    p = tmp_path / "batch.jsonl.gz"
    p.write_bytes(gzip.compress(data))
    items = read(p)
    assert kinds(items)[:2] == [("RawDocument", 1), ("IngestError", 2)]
    assert items[0].path == str(p) and items[0].format == "jsonl"

    t = tmp_path / "story.txt.gz"
    t.write_bytes(gzip.compress(b"Some story text.\n"))
    doc = only(read(t))
    assert doc.format == "txt" and doc.doc_id == "story" and doc.text == "Some story text.\n"


def test_gzipped_file_under_its_plain_name(tmp_path):
    doc = only(read(write(tmp_path / "story.txt", gzip.compress(STORY.encode()))))
    assert doc.text == STORY and doc.doc_id == "story"


def test_gzip_bomb_is_bounded(tmp_path):
    p = tmp_path / "bomb.txt.gz"
    p.write_bytes(gzip.compress(b"a" * 20_000_000))
    tracemalloc.start()
    try:
        reason = error(read(p, max_bytes=50_000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "decompressed" in reason and "50,000" in reason
    assert peak < 1_000_000  # stopped at the limit, not decompressed whole


def test_gzip_corrupt_truncated_or_without_inner_suffix(tmp_path):
    assert "gzip" in error(read(write(tmp_path / "bad.txt.gz", b"\x1f\x8bnot really gzip")))
    truncated = gzip.compress(STORY.encode() * 50)[:40]
    assert error(read(write(tmp_path / "cut.txt.gz", truncated))).startswith("corrupt gzip file")
    assert error(read(write(tmp_path / "plain.txt.gz", STORY))) == (
        "corrupt gzip file: it does not start with the gzip signature")
    assert error(read(write(tmp_path / "plain.gz", gzip.compress(b"text")))).startswith(
        "unsupported file type (no suffix) inside .gz")
    assert error(read(write(tmp_path / "doc.pdf.gz", gzip.compress(b"%PDF-1.4")))).startswith(
        "unsupported file type .pdf inside .gz")
    assert error(read(write(tmp_path / "pdf.txt.gz", gzip.compress(b"%PDF-1.4")))).startswith(
        "unsupported file type .pdf: PDF document content in a .txt inside .gz file")


# ---------------------------------------------------------------- folders


def test_folder_recursion_is_sorted_and_skips_hidden(tmp_path):
    root = tmp_path / "in"
    for rel in ["b/2.txt", "a/sub/0.txt", "a/1.txt", "c.txt", ".hidden/x.txt", "a/.secret.txt", "Z.txt"]:
        write(root / rel, f"text of {rel}")
    items = read(root)
    assert all(isinstance(i, RawDocument) for i in items)
    rel = [Path(i.path).relative_to(root).as_posix() for i in items]
    assert rel == ["Z.txt", "a/1.txt", "a/sub/0.txt", "b/2.txt", "c.txt"]
    assert items[0].path == str(root / "Z.txt")  # paths as walked, not resolved


def test_several_inputs_in_given_order(tmp_path):
    a = write(tmp_path / "a.txt", "A text")
    b = write(tmp_path / "b.txt", "B text")
    assert [i.doc_id for i in read(b, a)] == ["b", "a"]
    items = read(a, a)  # the same file twice: read once, the second accounted for
    assert items[0].doc_id == "a" and items[1].reason == f"same file as {a}, already read"


def test_folders_deeper_than_the_recursion_limit(tmp_path):
    levels = sys.getrecursionlimit() + 100
    deep = tmp_path
    try:
        for _ in range(levels):  # one by one: mkdir(parents=True) itself recurses
            deep = deep / "d"
            deep.mkdir()
        (deep / "story.txt").write_text(STORY)
        doc = only(read(tmp_path))
        assert doc.text == STORY and doc.path.count("/d") == levels
    except OSError:
        pytest.skip("path too long for this file system")
    finally:  # bottom up: pytest's own clean-up (shutil.rmtree) recurses, and would fail on this tree
        for sub in (deep, *deep.parents):
            if sub == tmp_path:
                break
            for child in sub.iterdir():
                if not child.is_dir():
                    child.unlink()
            sub.rmdir()


@needs_symlinks
def test_symlinks_outside_root_not_followed_and_loops_end(tmp_path):
    outside = write(tmp_path / "outside" / "secret.txt", "outside text")
    root = tmp_path / "in"
    write(root / "a.txt", "inside text")
    try:
        (root / "link_out.txt").symlink_to(outside)
        (root / "outdir").symlink_to(outside.parent, target_is_directory=True)
        (root / "loop").symlink_to(root, target_is_directory=True)
        (root / "same.txt").symlink_to(root / "a.txt")
        (root / "dangling.txt").symlink_to(tmp_path / "missing.txt")
        (root / "self.txt").symlink_to(root / "self.txt")
    except OSError:
        pytest.skip("cannot create symlinks here")
    items = read(root)
    docs = [i for i in items if isinstance(i, RawDocument)]
    errors = {Path(i.path).name: i.reason for i in items if isinstance(i, IngestError)}
    assert [d.text for d in docs] == ["inside text"]  # a.txt once, no loop, nothing from outside
    assert errors["link_out.txt"].startswith("symlink outside input")
    assert errors["outdir"].startswith("symlink outside input")
    assert errors["loop"].startswith("symlink loop")
    assert errors["self.txt"].startswith("symlink loop")
    assert errors["dangling.txt"].startswith("broken symlink")
    assert errors["same.txt"] == f"same file as {root / 'a.txt'}, already read"
    assert len(items) == 7  # every entry accounted for


@needs_symlinks
def test_symlink_into_another_input_folder_is_followed(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write(b / "story.txt", STORY)
    a.mkdir()
    (a / "link.txt").symlink_to(b / "story.txt")
    items = read(a, b)  # both folders were given: the link stays inside the input
    assert isinstance(items[0], RawDocument) and items[0].path == str(a / "link.txt")
    assert items[1].reason.startswith("same file as")
    assert error(read(a)).startswith("symlink outside input")  # b not given: outside


# ---------------------------------------------------------------- streamed JSONL and CSV


def _whole_and_streamed(monkeypatch, path: Path) -> tuple[list, list]:
    streamed = read(path)
    with monkeypatch.context() as m:
        m.setattr(sources, "_STREAMED", ())  # every file read whole, as before streaming
        whole = read(path)
    return whole, streamed


@pytest.mark.parametrize("gz", [False, True])
def test_streamed_jsonl_reads_as_the_whole_text(tmp_path, monkeypatch, gz):
    lines = ['{"text": "crlf \\u00e9"}\r\n', '{"text": "cr"}\r{"text": "after cr"}\n', "\n", "  \r\n",
             '{"text": "split",\n', '"rest": 1}\n', '{"text": "a\u2028b\x85c"}\n', '{"bad" 1}\n', "[1]\r\n",
             '{"text": "cut off\n', '{"text": "last, no newline"}']
    data = "".join(lines).encode() + b'\n{"text": "caf\xe9 \x93x\x94"}'  # cp1252 bytes in UTF-8 text
    path = write(tmp_path / ("x.jsonl.gz" if gz else "x.jsonl"), gzip.compress(data) if gz else data)
    whole, streamed = _whole_and_streamed(monkeypatch, path)
    assert [vars(i) for i in streamed] == [vars(i) for i in whole]
    assert [(type(i).__name__, i.line) for i in streamed][-1] == ("RawDocument", 13)
    assert streamed[-1].text == "café “x”"
    reasons = {i.line: i.reason for i in streamed if isinstance(i, IngestError)}
    assert reasons[6] == reasons[11] == "invalid JSON: the value continues past the end of the line"


def test_streamed_csv_reads_as_the_whole_text(tmp_path, monkeypatch):
    text = ("doc_id;text\r\n" '1;"one\r\nspanning\rthree lines"\r\n' "\r\n" '2;"ragged\nover two";x\n'
            "3;too;many\n" "4;trailing;;\n" + "5;" + "long " * 20_000 + "\n")
    whole, streamed = _whole_and_streamed(monkeypatch, write(tmp_path / "x.csv", text))
    assert [vars(i) for i in streamed] == [vars(i) for i in whole]
    assert kinds(streamed) == [("RawDocument", 2), ("IngestError", 4), ("IngestError", 5), ("RawDocument", 6),
                               ("RawDocument", 7)]


def test_a_streamed_file_of_blank_lines_is_empty(tmp_path):
    assert error(read(write(tmp_path / "b.jsonl", " \n\r\n\t\n"))) == "empty file"
    assert error(read(write(tmp_path / "b.csv", " \n\r\n"))) == "empty file"


@pytest.mark.parametrize("name", ["big.jsonl", "big.jsonl.gz", "big.csv"])
def test_a_big_file_is_read_a_record_at_a_time(tmp_path, name):
    records = [{"doc_id": f"d{n}", "text": f"Story {n}. " + "Two drones were shot down. " * 400} for n in range(2_000)]
    if name.endswith(".csv"):
        data = "doc_id,text\n" + "".join(f"{r['doc_id']},{r['text']}\n" for r in records)
    else:
        data = "".join(json.dumps(r) + "\n" for r in records)
    raw = data.encode()
    p = write(tmp_path / name, gzip.compress(raw) if name.endswith(".gz") else raw)
    tracemalloc.start()
    try:
        count = sum(isinstance(item, RawDocument) for item in read_inputs([str(p)]))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 2_000
    assert peak < len(raw) / 10, f"peak {peak / len(raw):.2f}x the {len(raw):,}-byte file"
