from __future__ import annotations

import sqlite3
from pathlib import Path

from dedupe.models import Article
from dedupe.pipeline import build_database, default_inputs, load_articles
from dedupe.spool import TextSpool, chunks_with_texts, spool_key, with_texts
from tests.helpers import make_article


def _article(text: str, path: str = "in.jsonl", line: int | None = 1) -> Article:
    a = make_article("placeholder")
    a.text, a.path, a.line = text, path, line
    return a


def test_a_text_goes_to_the_spool_and_comes_back_the_same() -> None:
    texts = ["Two drones were shot down.", "Zwei Drohnen über Erbil — 🛩️", "broken \ud800 surrogate", ""]
    articles = [_article(t, line=n + 1) for n, t in enumerate(texts)]
    spool = TextSpool()
    for a in articles:
        spool.put(a)
    assert [a.text for a in articles] == ["", "", "", ""]
    assert [spool.text_of(a) for a in articles] == texts
    assert len(spool) == 4 and spool[spool_key(articles[1])] == texts[1]
    spool.close()


def test_stages_see_one_text_at_a_time() -> None:
    articles = [_article(f"Report number {n}.", line=n) for n in range(3)]
    spool = TextSpool()
    for a in articles:
        spool.put(a)
    seen = []
    for a in with_texts(articles, spool):
        seen.append(a.text)
        assert sum(1 for b in articles if b.text) == 1  # only the one being read
    assert seen == [f"Report number {n}." for n in range(3)] and all(a.text == "" for a in articles)
    chunk = next(chunks_with_texts([articles[:2]], spool))
    assert [c.text for c in chunk] == seen[:2] and articles[0].text == ""  # copies carry the texts


def test_an_article_never_spooled_keeps_its_text() -> None:
    a = _article("Kept on the article.", path="other.txt", line=None)
    assert [b.text for b in with_texts([a], TextSpool())] == ["Kept on the article."]
    assert a.text == "Kept on the article."


def test_a_build_holds_no_text_on_its_articles_and_writes_every_text(tmp_path: Path) -> None:
    parsed, _ = load_articles(default_inputs(), 10**7)  # no spool: the texts stay on the articles
    result, _ = build_database(None, tmp_path / "s.db")
    assert result.articles and all(a.text == "" for a in result.articles)
    rows = dict(sqlite3.connect(tmp_path / "s.db").execute("select id, text from articles"))
    assert rows == {a.id: a.text for a in parsed} and all(rows.values())
