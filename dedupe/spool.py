"""Article texts kept on disk while a build runs.

A build reads each article's text a few times, one article after another:
boilerplate lines, duplicate detection, extraction and the final write. Held
on the Article objects from parsing to the write, every text of the corpus
sat in memory at once (at 100k generated articles 215 MB, about a tenth of
the build's peak; at a million, two gigabytes). The pipeline instead puts
each text in a TextSpool as soon as its article is parsed and reads it back
whenever a stage needs it, so texts are in memory one article (or one chunk
of articles handed to a worker) at a time.

The spool is an anonymous temporary file, gone when it is closed or the
process ends.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Iterable, Iterator, Mapping

from .models import Article

Key = tuple[str, "int | None"]  # (path, line): unique per input record


def spool_key(article: Article) -> Key:
    """Where the article came from. Its id cannot key the spool: the copies of one text
    share an id until dedupe_ids salts them, and their texts may differ in ways the id
    (a hash of the normalised text) does not see."""
    return (article.path, article.line)


class TextSpool(Mapping[Key, str]):
    """Texts by spool_key, in a temporary file (UTF-8, lone surrogates kept)."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the spool; closed by close())
        self._at: dict[Key, tuple[int, int]] = {}
        self._end = 0

    def put(self, article: Article) -> None:
        """Move the article's text into the spool, leaving "" on the article."""
        data = article.text.encode("utf-8", "surrogatepass")
        self._file.seek(self._end)
        self._file.write(data)
        self._at[spool_key(article)] = (self._end, len(data))
        self._end += len(data)
        article.text = ""

    def __getitem__(self, key: Key) -> str:
        offset, size = self._at[key]
        self._file.seek(offset)
        return self._file.read(size).decode("utf-8", "surrogatepass")

    def __iter__(self) -> Iterator[Key]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)

    def text_of(self, article: Article) -> str:
        """The article's text: from the spool, or the article's own when it was never spooled."""
        key = spool_key(article)
        return self[key] if key in self._at else article.text

    def close(self) -> None:
        self._file.close()


def with_texts(articles: Iterable[Article], spool: TextSpool | None) -> Iterator[Article]:
    """Each article with its text on it while the consumer has it, and "" again once it asks for
    the next: for the stages that read texts one article at a time (boilerplate lines)."""
    for a in articles:
        if spool is None or spool_key(a) not in spool:
            yield a
            continue
        a.text = spool[spool_key(a)]
        try:
            yield a
        finally:
            a.text = ""


def chunks_with_texts(chunks: Iterable[list[Article]], spool: TextSpool | None) -> Iterator[list[Article]]:
    """Copies of each chunk's articles with their texts, for a worker to extract: only the
    chunks in flight hold texts, and the articles the pipeline keeps stay without."""
    for chunk in chunks:
        yield chunk if spool is None else [dataclasses.replace(a, text=spool.text_of(a)) for a in chunk]
