import gzip
import os
from pathlib import Path

import pytest

from dedupe import sources
from dedupe.models import IngestError, RawDocument
from dedupe.sources import SUPPORTED_SUFFIXES, read_inputs
from tests.helpers import write

FIXTURES = Path(__file__).parent / "fixtures" / "inputs"


def read(*paths, **kw):
    return list(read_inputs([str(p) for p in paths], **kw))


def only(items):
    assert len(items) == 1, items
    return items[0]




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


# ---------------------------------------------------------------- structured


def test_jsonl_bad_lines_reported_and_rest_kept():
    items = read(FIXTURES / "articles.jsonl")
    kinds = [(type(i).__name__, i.line) for i in items]
    assert kinds == [
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
    assert "'text'" in items[2].reason and "empty" in items[2].reason
    assert "expected a JSON object" in items[3].reason
    assert items[4].published is None and items[4].title is None


def test_json_object():
    doc = only(read(FIXTURES / "object.json"))
    assert doc.format == "json"
    assert doc.line is None
    assert doc.doc_id == "o1" and doc.published == "2021-06"
    assert doc.extra == {"tags": ["iraq", "drones"]}


def test_json_list_with_bad_items_and_aliases():
    items = read(FIXTURES / "list.json")
    assert [(type(i).__name__, i.line) for i in items] == [
        ("RawDocument", 1),
        ("IngestError", 2),
        ("IngestError", 3),
        ("RawDocument", 4),
    ]
    assert items[0].extra == {"lang": "en"}
    assert "no 'text' field" in items[2].reason
    aliased = items[3]  # id / headline / body / date
    assert (aliased.doc_id, aliased.title, aliased.published) == ("4", "Aliased fields", "2016-01-19")
    assert aliased.text.startswith("CINCINNATI (AP)")


def test_json_that_is_not_articles(tmp_path):
    err = only(read(FIXTURES / "not_articles.json"))
    assert isinstance(err, IngestError)
    assert err.reason.startswith("not article JSON") and "'text'" in err.reason
    err = only(read(write(tmp_path / "n.json", "[1, 2, 3]")))
    assert isinstance(err, IngestError) and "not article JSON" in err.reason
    err = only(read(write(tmp_path / "s.json", '"just a string"')))
    assert isinstance(err, IngestError) and "not article JSON" in err.reason
    err = only(read(write(tmp_path / "bad.json", '{"text": ')))
    assert isinstance(err, IngestError) and "invalid JSON" in err.reason


def test_json_wrapper_object(tmp_path):
    p = write(tmp_path / "w.json", '{"articles": [{"doc_id": "a", "text": "Some text."}], "count": 1}')
    doc = only(read(p))
    assert doc.doc_id == "a" and doc.line == 1


def test_csv_multiline_ragged_and_missing_text():
    items = read(FIXTURES / "records.csv")
    assert [(type(i).__name__, i.line) for i in items] == [
        ("RawDocument", 2),
        ("IngestError", 3),
        ("IngestError", 4),
        ("RawDocument", 5),
    ]
    first = items[0]
    assert first.format == "csv"
    assert first.text == (
        "KOKOMO, Ind. — Police said four people were shot.\n\n"
        'The victims were taken to hospital, police said "late Sunday".'
    )
    assert first.extra == {"extra_col": "x"}
    assert (first.doc_id, first.published, first.source) == ("c1", "2014-06-15", "fox59.com")
    assert "8 fields" in items[1].reason and "7" in items[1].reason
    assert "empty" in items[2].reason
    assert items[3].published is None and items[3].url is None  # empty cells -> None


def test_csv_without_text_column(tmp_path):
    err = only(read(write(tmp_path / "x.csv", "a,b\n1,2\n")))
    assert isinstance(err, IngestError) and "no 'text' column" in err.reason


def test_csv_semicolon_delimiter(tmp_path):
    doc = only(read(write(tmp_path / "x.csv", "doc_id;text\nd1;Hello, world.\n")))
    assert doc.doc_id == "d1" and doc.text == "Hello, world."


# ---------------------------------------------------------------- html


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


def test_html_fallback_extractor_without_trafilatura(monkeypatch):
    def unavailable(html):
        raise ImportError("no trafilatura")

    monkeypatch.setattr(sources, "_trafilatura_extract", unavailable)
    doc = only(read(FIXTURES / "page.html"))
    assert "BAGHDAD – Two drones were shot down" in doc.text
    assert "MUST_NOT_APPEAR" not in doc.text
    assert "Home" not in doc.text  # <nav> dropped
    assert doc.title == "Drones downed over Ain al-Asad - Example News"


def test_html_without_text(tmp_path):
    p = write(tmp_path / "empty.htm", "<html><head><script>var x = 1;</script></head><body></body></html>")
    err = only(read(p))
    assert isinstance(err, IngestError) and "no article text" in err.reason


# ---------------------------------------------------------------- gzip


def test_gzip_dispatches_on_inner_suffix(tmp_path):
    data = (FIXTURES / "articles.jsonl").read_bytes()
    p = tmp_path / "batch.jsonl.gz"
    p.write_bytes(gzip.compress(data))
    items = read(p)
    assert [(type(i).__name__, i.line) for i in items][:2] == [("RawDocument", 1), ("IngestError", 2)]
    assert items[0].path == str(p) and items[0].format == "jsonl"

    t = tmp_path / "story.txt.gz"
    t.write_bytes(gzip.compress(b"Some story text.\n"))
    doc = only(read(t))
    assert doc.format == "txt" and doc.doc_id == "story" and doc.text == "Some story text.\n"


def test_gzip_bomb_is_bounded(tmp_path):
    p = tmp_path / "bomb.txt.gz"
    p.write_bytes(gzip.compress(b"a" * 200_000))
    err = only(read(p, max_bytes=50_000))
    assert isinstance(err, IngestError)
    assert "decompressed" in err.reason and "50,000" in err.reason


def test_gzip_corrupt_or_without_inner_suffix(tmp_path):
    err = only(read(write(tmp_path / "bad.txt.gz", b"\x1f\x8bnot really gzip")))
    assert isinstance(err, IngestError) and "gzip" in err.reason
    err = only(read(write(tmp_path / "plain.gz", gzip.compress(b"text"))))
    assert isinstance(err, IngestError) and "unsupported file type" in err.reason


# ---------------------------------------------------------------- rejects


@pytest.mark.parametrize("name", ["report.pdf", "letter.DOCX", "photo.jpg", "README"])
def test_unsupported_suffix(tmp_path, name):
    p = write(tmp_path / name, b"%PDF-1.4 whatever")
    err = only(read(p))
    assert isinstance(err, IngestError)
    assert err.line is None
    assert err.reason.startswith("unsupported file type")
    assert ".txt" in err.reason and ".jsonl" in err.reason
    suffix = Path(name).suffix.lower()
    assert (f"'{suffix}'" if suffix else "(no suffix)") in err.reason


def test_supported_suffixes_constant():
    assert {".txt", ".md", ".jsonl", ".json", ".csv", ".html", ".htm", ".gz"} == set(SUPPORTED_SUFFIXES)


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  ", b"\xef\xbb\xbf\n"])
def test_empty_file(tmp_path, content):
    err = only(read(write(tmp_path / "empty.txt", content)))
    assert isinstance(err, IngestError) and err.reason == "empty file"


def test_binary_file(tmp_path):
    err = only(read(write(tmp_path / "blob.txt", b"PK\x03\x04\x00\x00binary\x00junk")))
    assert isinstance(err, IngestError) and "binary file" in err.reason
    err = only(read(write(tmp_path / "ctrl.txt", bytes(range(1, 32)) * 20)))
    assert isinstance(err, IngestError) and "binary file" in err.reason


def test_file_over_the_limit(tmp_path):
    p = write(tmp_path / "big.txt", b"x" * 2000)
    err = only(read(p, max_bytes=1000))
    assert isinstance(err, IngestError)
    assert "2,000 bytes" in err.reason and "1,000" in err.reason


def test_missing_path(tmp_path):
    err = only(read(tmp_path / "nope.txt"))
    assert isinstance(err, IngestError) and "no such file" in err.reason


# ---------------------------------------------------------------- encodings


def test_cp1252_fallback(tmp_path):
    p = write(tmp_path / "win.txt", "Café “quoted” – dash".encode("cp1252"))
    assert only(read(p)).text == "Café “quoted” – dash"


def test_utf16_with_bom(tmp_path):
    p = write(tmp_path / "u16.txt", "Baghdad – “drones”\r\nline two".encode("utf-16"))
    assert only(read(p)).text == "Baghdad – “drones”\nline two"
    p = write(tmp_path / "u16be.txt", b"\xfe\xff" + "Mosul".encode("utf-16-be"))
    assert only(read(p)).text == "Mosul"


def test_utf8_bom_stripped(tmp_path):
    p = write(tmp_path / "bom.txt", b"\xef\xbb\xbfHello\r\nworld")
    assert only(read(p)).text == "Hello\nworld"


def test_utf8_bom_in_jsonl(tmp_path):
    p = write(tmp_path / "bom.jsonl", b'\xef\xbb\xbf{"text": "x y"}\n')
    assert only(read(p)).text == "x y"


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


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlinks_outside_root_not_followed_and_loops_end(tmp_path):
    outside = write(tmp_path / "outside" / "secret.txt", "outside text")
    root = tmp_path / "in"
    write(root / "a.txt", "inside text")
    try:
        (root / "link_out.txt").symlink_to(outside)
        (root / "loop").symlink_to(root, target_is_directory=True)
        (root / "same.txt").symlink_to(root / "a.txt")
        (root / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    except OSError:
        pytest.skip("cannot create symlinks here")
    items = read(root)
    docs = [i for i in items if isinstance(i, RawDocument)]
    errors = {Path(i.path).name: i.reason for i in items if isinstance(i, IngestError)}
    assert [d.text for d in docs] == ["inside text"]  # a.txt once, no loop, nothing from outside
    assert "outside" in errors["link_out.txt"]
    assert "broken symlink" in errors["dangling.txt"]
