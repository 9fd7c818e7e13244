"""A corpus of hostile inputs, generated at test time so no binary fixture lives in git.

`write_hostile_corpus(root)` writes one file (or link, or pipe) per input class under `root`
and returns, per path relative to `root`, what a build must make of it: how many articles, how
many ingest errors from reading, and how many warnings (ingest_errors rows about records that
were still kept, such as an impossible date). Every file is in the dict: nothing may be lost.

One file is written outside `root`, in `<root>-outside/`, for a symlink to point at: the build
must never read it.
"""

from __future__ import annotations

import gzip
import json
import os
import random
from dataclasses import dataclass
from pathlib import Path

STORY = (
    "BAGHDAD - Two drones were shot down near Baghdad International Airport on Sunday, "
    "the Iraqi military said. Nobody was hurt in the attack, officials said.\n\n"
    "The airport has been targeted repeatedly this year.\n"
)
MARKERS = ("SCRIPT_MUST_NOT_APPEAR", "HANDLER_MUST_NOT_APPEAR", "JS_URL_MUST_NOT_APPEAR", "OUTSIDE_MUST_NOT_APPEAR")
DEEP_LEVELS = 200


@dataclass(frozen=True)
class Expect:
    articles: int = 0
    errors: int = 0  # rows read_inputs yields as IngestError
    warnings: int = 0  # rows about kept records (e.g. an unusable date), written by parse_article
    reason: str = ""  # a word every error reason for this file contains

    @property
    def rows(self) -> int:
        """ingest_errors rows in the database."""
        return self.errors + self.warnings


def story(n: int, place: str = "Baghdad International Airport") -> str:
    """An article naming an incident, distinct per n so the texts get different ids."""
    return (
        f"BAGHDAD - {n + 2} drones were shot down near {place} on Sunday, the Iraqi military said. "
        f"Nobody was hurt in the attack number {n}, officials said.\n\nThe airport was targeted again.\n"
    )


def write_hostile_corpus(root: Path) -> dict[str, Expect]:
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    expected: dict[str, Expect] = {}
    counter = iter(range(10_000))

    def put(rel: str, data: str | bytes, expect: Expect) -> Path:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        expected[rel] = expect
        return path

    def text() -> str:
        return story(next(counter))

    article, empty, binary = Expect(1), Expect(0, 1, reason="empty"), Expect(0, 1, reason="binary")
    rng = random.Random(20240611)

    # -- empty, binary, sizes
    put("size/empty.txt", b"", empty)
    put("size/whitespace.txt", b" \n\t\r\n  \r \n", empty)
    put("size/only-invisible.txt", "\u200b\u200e\ufeff\x00\x01 \n".encode(), empty)
    put("size/only-nul.txt", b"\x00" * 4096, empty)
    junk = rng.randbytes(8192)
    put("size/random-junk.txt", b"x" + junk, binary)  # 'x': never a magic number by chance
    put("size/elf-like.md", b"\x00\x01\x02\x03" * 1024 + b"text", binary)
    huge = root / "size/huge-sparse.txt"  # sparse: over the default 50 MB limit without using the disk
    with open(huge, "wb") as fh:
        fh.truncate(50_000_001)
    expected["size/huge-sparse.txt"] = Expect(0, 1, reason="too large")
    put("size/bomb.txt.gz", gzip.compress(b"A" * 50_000_100, compresslevel=9), Expect(0, 1, reason="too large"))
    put("size/long-line.jsonl", json.dumps({"doc_id": "long", "text": text() + " filler" * 15_000}) + "\n", article)
    put("size/long-word.txt", text() + "x" * 50_000 + "\n", article)

    # -- encodings and line ends
    put("enc/cp1252.txt", ("Café “Baghdad” – " + text()).encode("cp1252"), article)
    put("enc/latin1.txt", ("São Paulo, Ñandú: " + text()).encode("latin-1"), article)
    put("enc/utf8-bom.txt", b"\xef\xbb\xbf" + text().encode(), article)
    put("enc/utf16le-bom.txt", b"\xff\xfe" + text().encode("utf-16-le"), article)
    put("enc/utf16be-bom.txt", b"\xfe\xff" + text().encode("utf-16-be"), article)
    put("enc/utf16le-no-bom.txt", text().encode("utf-16-le"), article)
    put("enc/utf8-with-stray-cp1252.txt", ("Mosul – “quoted” " + text()).encode() + b" caf\xe9 \x93x\x94\n", article)
    put("enc/crlf.txt", text().replace("\n", "\r\n"), article)
    put("enc/cr-only.txt", text().replace("\n", "\r"), article)
    put("enc/nul-and-controls.txt", text().replace("drones", "dro\x00nes\x07").replace("said", "sa\x1bid\x7f"), article)
    put("enc/nul-padded.txt", text().encode() + b"\x00" * 5000, article)
    hidden = text().replace("BAGHDAD", "BAG\u200bHDAD\u200f").replace("Baghdad", "Bag\u200bh\u200ddad\u202e")
    put("enc/bidi-zero-width.txt", hidden.replace("drones", "\u2066dro\u200bnes\u2069"), article)
    put("enc/utf16-bom.jsonl", "\n".join(json.dumps({"text": text()}) for _ in range(2)).encode("utf-16"), Expect(2))
    put("enc/cr-only.jsonl", "\r".join(json.dumps({"text": text()}) for _ in range(3)), Expect(3))
    put("enc/windows-1251.html",
        ('<html><head><meta charset="windows-1251"><title>Удар дронов</title></head><body><article>'
         "<p>БАГДАД - Два беспилотника были сбиты у аэропорта Багдада в воскресенье, сообщили военные. "
         "Никто не пострадал.</p></article></body></html>").encode("cp1251"), article)

    # -- dates nobody can have
    put("dates/header-impossible.txt", " date 2021-13-45 " + text(), Expect(1, 0, 1))
    put("dates/header-31-february.txt", "Publish Date : 31 February 2021\n\n" + text(), Expect(1, 0, 1))
    put("dates/fields.jsonl", "\n".join(json.dumps({"published": p, "text": text()})
                                        for p in ("9999-99", "2021-13-45", "31 February 2021", "0000-00-00")),
        Expect(4, 0, 4))
    put("dates/front-matter.md", "---\ntitle: A title\npublished: 2021-02-30\n---\n" + text(), Expect(1, 0, 1))

    # -- JSONL, JSON, CSV records
    lines = [
        json.dumps({"doc_id": "ok1", "text": text()}),  # 1 article
        '{"doc_id": "broken", "text": ',  # 2 invalid
        "",  # 3 blank: nothing
        json.dumps({"doc_id": "ok2", "text": text()}) + "  ",  # 4 article
        "[1, 2, 3]",  # 5 not an object
        json.dumps({"doc_id": "empty", "text": "   "}),  # 6 no text
        json.dumps({"doc_id": "missing", "title": "no text field"}),  # 7 no text
        "[" * 100_000 + "]" * 100_000,  # 8 nested too deeply
        '{"text": "x", "n": ' + "9" * 5000 + "}",  # 9 integer too long for Python
        json.dumps({"doc_id": "surrogate", "text": "\ud800" + text(), "meta": {"k\udfff": ["\x00v"]}}),  # 10 article
        json.dumps({"text": text()}) + " trailing",  # 11 extra data
        json.dumps({"text": 42}),  # 12 text not a string
        json.dumps({"doc_id": "deep-extra", "text": text(), "extra": json.loads("[" * 500 + "]" * 500)}),  # 13
        "\x00" + json.dumps({"doc_id": "nul-prefixed", "text": text()}),  # 14 article (NUL stripped)
    ]
    put("records/mixed.jsonl", "\n".join(lines) + "\n", Expect(5, 8))
    put("records/number.json", "42", Expect(0, 1, reason="not article JSON"))
    put("records/object-without-text.json", '{"title": "x", "count": 3}', Expect(0, 1, reason="not article JSON"))
    put("records/strings.json", '["a", "b", "c"]', Expect(0, 3, reason="not article JSON"))
    put("records/mixed-list.json", json.dumps([{"text": text()}, "s", 5, {"text": ""}, None]), Expect(1, 4))
    put("records/empty-list.json", "[]", Expect(0, 1, reason="not article JSON"))
    put("records/invalid.json", '{"text": "unterminated', Expect(0, 1, reason="invalid JSON"))
    put("records/deep.json", "[" * 100_000 + "]" * 100_000, Expect(0, 1, reason="invalid JSON"))
    put("records/ragged.csv",
        "doc_id,title,text\r\n"
        f'c1,One,"{text().splitlines()[0]}"\r\n'  # record 2
        "c2,Two,too,many,fields\r\n"  # 3: ragged
        "c3,too few\r\n"  # 4: ragged
        f'c4,"Multi\nline title","{text()}"\r\n'  # 5: quoted, several lines
        "c5,Five,\r\n"  # 6: no text
        f'c6,Six,"{text().splitlines()[0]}",,\r\n',  # 7: trailing empty cells are fine
        Expect(3, 3))
    put("records/bom-semicolon.csv", "\ufeffdoc_id;text\nb1;" + text().splitlines()[0] + "\n", article)
    put("records/no-text-column.csv", "a,b\n1,2\n", Expect(0, 1, reason="no text"))
    put("records/header-only.csv", "doc_id,text\n", Expect(0, 1))

    # -- files that are not text
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    docx = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + rng.randbytes(200)
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(100)
    unsupported = Expect(0, 1, reason="unsupported file type")
    put("types/report.pdf", pdf, unsupported)
    put("types/letter.docx", docx, unsupported)
    put("types/photo.jpg", b"\xff\xd8\xff\xe0" + rng.randbytes(100), unsupported)
    put("types/no-suffix", text(), unsupported)
    put("types/pdf-named.txt", pdf, unsupported)
    put("types/docx-named.jsonl", docx, unsupported)
    put("types/png-named.html", png, unsupported)
    put("types/pdf-inside.txt.gz", gzip.compress(pdf), unsupported)
    put("types/plain.gz", gzip.compress(text().encode()), unsupported)

    # -- gzip
    put("gzip/story.txt.gz", gzip.compress(text().encode()), article)
    put("gzip/batch.jsonl.gz", gzip.compress(f'{json.dumps({"text": text()})}\nnot json\n'.encode()), Expect(1, 1))
    put("gzip/gzipped-but-named.txt", gzip.compress(text().encode()), article)
    put("gzip/corrupt.txt.gz", b"\x1f\x8b\x08\x00garbage that is not deflate", Expect(0, 1, reason="gzip"))
    put("gzip/truncated.txt.gz", gzip.compress(text().encode() * 20)[:60], Expect(0, 1, reason="gzip"))
    put("gzip/not-gzip.txt.gz", text(), Expect(0, 1, reason="gzip"))

    # -- HTML
    hostile_html = (
        "<!doctype html><html><head><title>Drones over Baghdad</title>"
        "<script>document.write('SCRIPT_MUST_NOT_APPEAR')</script>"
        "<style>body::after{content:'SCRIPT_MUST_NOT_APPEAR'}</style></head>"
        "<body onload=\"alert('HANDLER_MUST_NOT_APPEAR')\"><nav><a href=\"javascript:alert('JS_URL_MUST_NOT_APPEAR')\">"
        "Home</a></nav><article><h1>Drones over Baghdad</h1>"
        f"<p onclick=\"alert('HANDLER_MUST_NOT_APPEAR')\">{text()}</p>"
        "<img src=x onerror=\"alert('HANDLER_MUST_NOT_APPEAR')\">"
        "<a href=\"javascript:alert('JS_URL_MUST_NOT_APPEAR')\">Read more</a>"
        "<script>var s = 'SCRIPT_MUST_NOT_APPEAR';</script><svg><script>SCRIPT_MUST_NOT_APPEAR</script></svg>"
        f"<p>{text()}</p></article></body></html>"
    )
    put("html/hostile.html", hostile_html, article)
    put("html/only-script.htm", "<html><head><script>var x = 'SCRIPT_MUST_NOT_APPEAR';</script></head><body></body></html>",
        Expect(0, 1, reason="no text"))

    # -- languages
    put("lang/arabic.txt", "بغداد - أسقطت طائرتان مسيرتان قرب مطار بغداد الدولي يوم الأحد، بحسب الجيش العراقي.\n", article)
    put("lang/russian.txt", "БАГДАД - Два беспилотника сбиты около аэропорта Багдада в воскресенье.\n", article)
    put("lang/chinese.txt", "巴格达消息：周日，两架无人机在巴格达国际机场附近被击落。\n", article)
    put("lang/mixed-emoji.txt", "🚀🔥 Baghdad 💥 drones ‼️ — " + text(), article)
    put("lang/odd-numbers.txt", "BAGHDAD - ² drones and 12345678901234567890 rockets hit the base on Sunday, killing "
        "99999999999999999999 people and injuring ٣ others, officials said.\n", article)

    # -- the same article twice
    twin = text()
    put("twins/a.txt", twin, article)
    put("twins/b.txt", twin, article)

    # -- names
    put("names/with spaces & ünïcödé.txt", text(), article)
    bad_name = os.fsdecode(b"names/bad-\xff-name.txt")  # not UTF-8: stored with U+FFFD
    put(bad_name, text(), article)
    expected[bad_name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")] = expected.pop(bad_name)

    # -- deep folders
    deep = "/".join(["d"] * DEEP_LEVELS)
    put(f"deep/{deep}/story.txt", text(), article)

    # -- links and other non-files
    outside = Path(f"{root}-outside")
    outside.mkdir(exist_ok=True)
    (outside / "secret.txt").write_text("OUTSIDE_MUST_NOT_APPEAR " + text())
    put("a-linked-story.txt", text(), article)
    links = root / "links"
    links.mkdir()
    links_expect = {
        "links/outside.txt": (outside / "secret.txt", "symlink outside input"),
        "links/outside-dir": (outside, "symlink outside input"),
        "links/loop": (root, "symlink loop"),
        "links/self.txt": (links / "self.txt", "symlink loop"),
        "links/dangling.txt": (root / "missing.txt", "broken symlink"),
        "links/same.txt": (root / "a-linked-story.txt", "already read"),
    }
    for rel, (target, reason) in links_expect.items():
        os.symlink(target, root / rel)
        expected[rel] = Expect(0, 1, reason=reason)
    os.mkfifo(root / "links/pipe.txt")  # reading it would block forever
    expected["links/pipe.txt"] = Expect(0, 1, reason="not a regular file")
    return expected
