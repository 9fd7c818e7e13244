"""Parallel and distributed builds give the same database as a one-process build."""

from __future__ import annotations

import pytest

from dedupe import matching, parallel
from dedupe.comparisons import load_model
from dedupe.matching import link_pairs
from dedupe.models import RawDocument
from dedupe.parallel import chunked, make_runner, parse_chunk
from dedupe.pipeline import SAMPLE_DIR, build_database
from tests.helpers import dump_database


def content(path) -> dict[str, object]:
    """Every row of every table, except the build's own time and duration."""
    return dump_database(path, {"build_info": {"built_at", "seconds"}})


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(parallel, "CHUNK", 2)  # the five sample articles in three chunks
    monkeypatch.setattr(matching, "PAIR_CHUNK", 7)  # and their blocked pairs in many


def test_workers_score_the_same_pairs(small_chunks):
    from dedupe.pipeline import extract_all, load_articles

    articles, _ = load_articles([SAMPLE_DIR], 10**8)
    mentions = extract_all(articles, None, parallel.Runner())
    model = load_model()
    alone = link_pairs(mentions, model)
    with make_runner(2) as runner:
        shared = link_pairs(mentions, model, runner=runner)
        assert runner.workers == 2
    assert shared == alone and len(alone[1]) > 7


def test_chunks_keep_their_order():
    assert list(chunked(range(5), 2)) == [[0, 1], [2, 3], [4]]
    with make_runner(2) as runner:
        assert list(runner.map(sum, chunked(range(10), 3))) == [3, 12, 21, 9]


def test_a_record_that_cannot_be_parsed_comes_back_as_an_error():
    ok = RawDocument("a.txt", None, "txt", "Two drones were shot down over Erbil on Sunday.")
    empty = RawDocument("b.jsonl", 3, "jsonl", "   ")
    (article, warnings), (nothing, errors) = parse_chunk([ok, empty])
    assert article is not None and warnings == []
    assert nothing is None and errors[0].path == "b.jsonl" and errors[0].line == 3


def test_workers_build_the_same_database(tmp_path, small_chunks):
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    build_database(None, one, workers=1)
    build_database(None, two, workers=2)
    assert content(one) == content(two)
    assert len(content(one)["mentions"][1]) > 10


def test_workers_update_to_the_same_database(tmp_path, small_chunks):
    # An update's pair scoring goes to the workers too (the stored reports of its windows are scored
    # among themselves as well as with the new ones: most of an update's time on a dense corpus).
    from dedupe.incremental import update_database

    files = sorted(SAMPLE_DIR.glob("*.txt"))
    dbs = {}
    for workers in (1, 2):
        db = dbs[workers] = tmp_path / f"{workers}.db"
        build_database(files[:-2], db)
        update_database(files[-2:], db, workers=workers)
    assert content(dbs[1]) == content(dbs[2])
    assert len(content(dbs[1])["articles"][1]) == len(files)


def test_a_dask_cluster_builds_the_same_database(tmp_path, small_chunks):
    distributed = pytest.importorskip("distributed")
    local = tmp_path / "local.db"
    build_database([SAMPLE_DIR], local)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        remote = tmp_path / "dask.db"
        build_database([SAMPLE_DIR], remote, scheduler=client)
        # The same through the scheduler's address, as --scheduler tcp://host:8786 gives it.
        by_address = tmp_path / "address.db"
        build_database([SAMPLE_DIR], by_address, scheduler=cluster.scheduler_address)
    assert content(local) == content(remote) == content(by_address)


def test_extraction_collects_garbage_less_often_and_puts_the_collector_back(monkeypatch):
    import gc

    from dedupe import mentions
    from tests.helpers import make_article

    seen = []
    monkeypatch.setattr(mentions, "extract_mentions", lambda *_: seen.append(gc.get_threshold()[0]) or [])
    before = gc.get_threshold()
    assert parallel.extract_chunk([make_article("A man was shot Tuesday in Akron, Ohio.")], None) == [[]]
    assert seen == [parallel.YOUNG_COLLECTION] and parallel.YOUNG_COLLECTION > before[0]
    assert gc.get_threshold() == before
