"""End to end: a build over every kind of hostile input accounts for every file and record."""

from __future__ import annotations

import os
import re
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from dedupe.pipeline import build_database
from tests.hostile import MARKERS, write_hostile_corpus

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="the corpus needs POSIX symlinks and FIFOs")

# What the build strips from article text: controls, bidi controls, zero-width and other invisibles.
INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    root = base / "corpus"
    expected = write_hostile_corpus(root)
    db_path = base / "x.db"
    result, info = build_database(inputs=[root], db_path=db_path)  # must not raise
    conn = sqlite3.connect(db_path)
    yield root, expected, conn, info
    conn.close()


def relative(root: Path, path: str) -> str:
    return Path(path).relative_to(root).as_posix()


def test_every_file_and_record_is_an_article_or_an_error_row(hostile):
    root, expected, conn, info = hostile
    articles = Counter(relative(root, p) for (p,) in conn.execute("select path from articles"))
    errors = Counter(relative(root, p) for (p,) in conn.execute("select path from ingest_errors"))
    got = {rel: (articles[rel], errors[rel]) for rel in set(articles) | set(errors)}
    want = {rel: (e.articles, e.rows) for rel, e in expected.items()}
    assert got == want
    assert info["articles"] == sum(e.articles for e in expected.values())
    assert info["errors"] == sum(e.rows for e in expected.values())


def test_error_reasons_say_why(hostile):
    root, expected, conn, _ = hostile
    rows = conn.execute("select path, line, reason from ingest_errors").fetchall()
    assert all(reason.strip() for _, _, reason in rows)
    for path, _, reason in rows:
        want = expected[relative(root, path)].reason
        assert want in reason, (path, reason)


def test_record_errors_carry_their_line_or_record_number(hostile):
    root, _, conn, _ = hostile

    def lines(rel: str) -> list[int | None]:
        rows = conn.execute("select line from ingest_errors where path = ? order by line", (str(root / rel),))
        return [line for (line,) in rows]

    assert lines("records/mixed.jsonl") == [2, 5, 6, 7, 8, 9, 11, 12]
    assert lines("records/mixed-list.json") == [2, 3, 4, 5]
    assert lines("records/strings.json") == [1, 2, 3]
    assert lines("records/ragged.csv") == [3, 4, 6]
    csv_lines = conn.execute("select line from articles where path = ? order by line", (str(root / "records/ragged.csv"),))
    assert [line for (line,) in csv_lines] == [2, 5, 7]  # record 5 spans two file lines


def test_database_is_sound(hostile):
    _, _, conn, _ = hostile
    assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
    assert conn.execute("pragma foreign_key_check").fetchall() == []


def test_no_script_outside_file_or_invisible_character_reaches_the_text(hostile):
    _, _, conn, _ = hostile
    for article_id, text, title in conn.execute("select id, text, title from articles"):
        for marker in MARKERS:
            assert marker not in text and marker not in (title or ""), article_id
        assert not INVISIBLE.search(text), (article_id, INVISIBLE.search(text))
        assert "\r" not in text


def text_of(conn, root: Path, rel: str) -> str:
    rows = conn.execute("select text from articles where path = ?", (str(root / rel),)).fetchall()
    assert len(rows) == 1, rel
    return rows[0][0]


def test_decoded_text_is_right(hostile):
    root, _, conn, _ = hostile
    assert "Café “Baghdad” –" in text_of(conn, root, "enc/cp1252.txt")
    assert "São Paulo, Ñandú" in text_of(conn, root, "enc/latin1.txt")
    assert "Mosul – “quoted”" in text_of(conn, root, "enc/utf8-with-stray-cp1252.txt")
    assert "café “x”" in text_of(conn, root, "enc/utf8-with-stray-cp1252.txt")
    for rel in ("enc/utf16le-bom.txt", "enc/utf16be-bom.txt", "enc/utf16le-no-bom.txt", "enc/utf8-bom.txt",
                "enc/crlf.txt", "enc/cr-only.txt", "enc/nul-padded.txt", "gzip/gzipped-but-named.txt"):
        text = text_of(conn, root, rel)
        assert text.startswith("BAGHDAD -") and "were shot down near Baghdad International Airport" in text, rel
    assert "drones were shot down" in text_of(conn, root, "enc/nul-and-controls.txt")
    zw = text_of(conn, root, "enc/bidi-zero-width.txt")
    assert "drones were shot down near Baghdad International Airport" in zw
    assert "Багдада" in text_of(conn, root, "enc/windows-1251.html")


def test_invisible_characters_do_not_hide_the_incident(hostile):
    root, _, conn, _ = hostile

    def reports(rel: str) -> list[tuple]:
        return conn.execute("select m.place_id, m.weapon, m.quantity from mentions m join articles a "
                            "on a.id = m.article_id where a.path = ?", (str(root / rel),)).fetchall()

    hidden, clean = reports("enc/bidi-zero-width.txt"), reports("enc/crlf.txt")
    assert hidden and hidden == clean  # read as the same story without the invisible characters


def test_mention_offsets_point_into_the_stored_text(hostile):
    _, _, conn, _ = hostile
    rows = conn.execute("select a.text, m.start, m.end, m.sentence from mentions m join articles a on a.id = m.article_id")
    count = 0
    for text, start, end, sentence in rows:
        assert text[start:end] == sentence
        count += 1
    assert count > 0


def test_impossible_dates_leave_the_article_undated_with_a_warning(hostile):
    root, _, conn, _ = hostile
    for rel in ("dates/header-impossible.txt", "dates/header-31-february.txt", "dates/fields.jsonl",
                "dates/front-matter.md"):
        published = conn.execute("select published from articles where path = ?", (str(root / rel),)).fetchall()
        assert published and all(p is None for (p,) in published), rel
        reasons = [r for (r,) in conn.execute("select reason from ingest_errors where path = ?", (str(root / rel),))]
        assert reasons and all("date" in r and "undated" in r for r in reasons), reasons


def test_same_article_twice_is_one_article_and_a_marked_copy(hostile):
    root, _, conn, _ = hostile
    rows = conn.execute("select id, duplicate_of from articles where path in (?, ?) order by path",
                        (str(root / "twins/a.txt"), str(root / "twins/b.txt"))).fetchall()
    (first, first_dup), (second, second_dup) = rows
    assert first_dup is None and second_dup == first  # b.txt is a copy of a.txt
    incidents = conn.execute("select distinct incident_id from mentions where article_id in (?, ?)",
                             (first, second)).fetchall()
    assert len(incidents) == 1  # the copy reports the same incident, not one of its own


def test_articles_in_other_languages_are_kept_and_searchable(hostile):
    root, _, conn, _ = hostile
    for rel, word in (("lang/russian.txt", "беспилотника"), ("lang/arabic.txt", "بغداد"),
                      ("lang/chinese.txt", "巴格达消息")):
        found = conn.execute("select a.path from articles_fts f join articles a on a.rowid = f.rowid "
                             "where articles_fts match ?", (f'"{word}"',)).fetchall()
        assert (str(root / rel),) in found, rel


def test_html_text_comes_without_scripts(hostile):
    root, _, conn, _ = hostile
    text = text_of(conn, root, "html/hostile.html")
    assert "were shot down near Baghdad International Airport" in text
    assert "alert(" not in text and "javascript:" not in text and "document.write" not in text
