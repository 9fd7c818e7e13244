"""Shared fixtures: the bundled sample built once per test session."""

from __future__ import annotations

import sqlite3

import pytest

from dedupe.mentions import extract_mentions
from dedupe.pipeline import build_database
from dedupe.places import Gazetteer
from dedupe.vocabulary import load_vocabulary
from tests.helpers import make_article


@pytest.fixture(scope="session")
def _sample_build(tmp_path_factory):
    # Named incidents.db: Datasette names a database after its file stem, and metadata.yml describes
    # the database `incidents`.
    path = tmp_path_factory.mktemp("sample") / "incidents.db"
    result, info = build_database(None, path)
    return path, result, info


@pytest.fixture(scope="session")
def sample_db(_sample_build):
    """Path of the bundled sample built into `incidents.db` (do not modify it)."""
    return _sample_build[0]


@pytest.fixture(scope="session")
def sample_result(_sample_build):
    """The PipelineResult of the same build as `sample_db`."""
    return _sample_build[1]


@pytest.fixture(scope="session")
def sample_info(_sample_build):
    """The build_info dict of the same build as `sample_db`."""
    return _sample_build[2]


@pytest.fixture(scope="module")
def db(sample_db):
    """A read-only-by-convention connection to `sample_db` with sqlite3.Row rows."""
    conn = sqlite3.connect(sample_db)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def extract():
    """extract_mentions on a made-up article: `extract(text, published, dateline=...)`."""
    vocab, gazetteer = load_vocabulary(), Gazetteer.default()

    def run(text: str, published: str | None = "2021-06-06", dateline: str | None = None):
        return extract_mentions(make_article(text, published, dateline=dateline), vocab, gazetteer)

    return run
