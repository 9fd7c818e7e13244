"""Spread the per-article stages (parsing, extraction) over processes or a Dask cluster.

Parsing one article and reading its mentions depend on nothing but that
article (and the corpus boilerplate marked before extraction), so both stages
are a map over chunks of articles. A `Runner` maps a top-level function over
chunks and yields the results *in chunk order*: whatever runs them (this
process, a process pool, Dask workers on other machines), the pipeline sees
the same sequence, so the database is byte-for-byte the same.

Scoring the blocked pairs is a map too, over chunks of pairs, but every task
needs the mentions: `map_shared` hands them to each worker once (inherited by
forked processes, broadcast to Dask workers) and sends only pair indices per
task. Blocking, clustering and the write stay in the coordinating process.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from .articles import parse_article
from .models import Article, IngestError, Mention, RawDocument

T = TypeVar("T")
R = TypeVar("R")

CHUNK = 200  # articles per task: large enough to amortise pickling, small enough to balance
# Net allocations between collections of the youngest generation (Python's default: 700).
YOUNG_COLLECTION = 50_000


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the block with the cyclic garbage collector's youngest generation collected every
    YOUNG_COLLECTION net allocations. Extraction keeps many small objects a while (the
    gazetteer's readings of the article being read): at 700 the collector ran every few
    sentences, 12% of extraction's CPU time. Reference counting still frees at once whatever
    is not in a cycle, and nothing the pipeline writes depends on when the collector runs."""
    old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION, *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def chunked(items: Iterable[T], size: int | None = None) -> Iterator[list[T]]:
    it = iter(items)
    size = size or CHUNK
    while chunk := list(itertools.islice(it, size)):
        yield chunk


class Runner:
    """Runs `fn(chunk, *args)` for every chunk in this process."""

    workers = 1

    def map(self, fn: Callable[..., R], chunks: Iterable[Any], *args: Any) -> Iterator[R]:
        for chunk in chunks:
            yield fn(chunk, *args)

    def map_shared(self, fn: Callable[..., R], chunks: Iterable[Any], shared: Any) -> Iterator[R]:
        """`fn(chunk, shared)` for every chunk, in chunk order, where `shared` is large and the same
        for every task (all mentions): each worker receives it once, not with every chunk."""
        return self.map(fn, chunks, shared)

    def close(self) -> None:
        pass

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ProcessRunner(Runner):
    """A local process pool; at most `2 * workers` chunks are in flight so a
    streamed input is never read far ahead of the workers."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool = ProcessPoolExecutor(max_workers=workers)

    def map(self, fn: Callable[..., R], chunks: Iterable[Any], *args: Any) -> Iterator[R]:
        return in_order((self.pool.submit(fn, chunk, *args) for chunk in chunks), 2 * self.workers)

    def map_shared(self, fn: Callable[..., R], chunks: Iterable[Any], shared: Any) -> Iterator[R]:
        # A new pool whose workers start with `shared`: forked, they inherit it without a copy
        # being pickled; the old pool's workers (each holding a gazetteer) are let go first.
        self.pool.shutdown()
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        self.pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                        initializer=_set_shared, initargs=(shared,))
        return in_order((self.pool.submit(_call_shared, fn, chunk) for chunk in chunks), 2 * self.workers)

    def close(self) -> None:
        self.pool.shutdown()


_SHARED: list[Any] = []


def _set_shared(shared: Any) -> None:
    _SHARED[:] = [shared]
    gc.freeze()  # as in extract_chunk: the collector need not walk every mention on each collection


def _call_shared(fn: Callable[..., R], chunk: Any) -> R:
    with fewer_collections():
        return fn(chunk, _SHARED[0])


class DaskRunner(Runner):
    """Chunks as futures on a Dask distributed cluster (`tcp://host:8786`, or a
    `distributed.Client` such as one on a LocalCluster). Workers need this
    package installed; each loads the vocabulary and gazetteer once."""

    def __init__(self, scheduler: Any, window: int = 16) -> None:
        from distributed import Client  # optional dependency: pip install 'incident-dedupe[distributed]'

        self.own = not isinstance(scheduler, Client)
        self.client = Client(scheduler) if self.own else scheduler
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        self.window = window

    def map(self, fn: Callable[..., R], chunks: Iterable[Any], *args: Any) -> Iterator[R]:
        return in_order((self.client.submit(fn, chunk, *args, pure=False) for chunk in chunks), self.window)

    def map_shared(self, fn: Callable[..., R], chunks: Iterable[Any], shared: Any) -> Iterator[R]:
        # Sent to every worker once; tasks name it by its future, which Dask resolves on the worker.
        handle = self.client.scatter(shared, broadcast=True, hash=False)
        return self.map(fn, chunks, handle)

    def close(self) -> None:
        if self.own:
            self.client.close()


def in_order(futures: Iterable[Any], window: int) -> Iterator[Any]:
    """Results of submitted futures (concurrent.futures or Dask), in submission
    order, submitting at most `window` ahead of the one being waited for."""
    pending: deque[Any] = deque()
    for future in futures:
        pending.append(future)
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def make_runner(workers: int = 1, scheduler: Any = None) -> Runner:
    """The runner for `--workers N` / `--scheduler ADDRESS`: 0 workers means one per CPU."""
    if scheduler is not None:
        return DaskRunner(scheduler)
    workers = workers or os.cpu_count() or 1
    return ProcessRunner(workers) if workers > 1 else Runner()


def parse_chunk(raws: list[RawDocument]) -> list[tuple[Article | None, list[IngestError]]]:
    """Each record as an Article with its warnings, or None with the error that stopped it."""
    out: list[tuple[Article | None, list[IngestError]]] = []
    for raw in raws:
        try:
            out.append(parse_article(raw))
        except ValueError as exc:
            out.append((None, [IngestError(raw.path, raw.line, str(exc))]))
    return out


_LOADED: dict[str, tuple[Any, Any]] = {}


def extract_chunk(articles: list[Article], vocabulary: str | None) -> list[list[Mention]]:
    """The mentions of each article; the vocabulary and gazetteer are loaded
    once per worker process and reused for every chunk it runs."""
    from .mentions import extract_mentions
    from .places import Gazetteer
    from .vocabulary import load_vocabulary

    key = str(vocabulary or "")
    if key not in _LOADED:
        _LOADED[key] = (load_vocabulary(Path(vocabulary) if vocabulary else None), Gazetteer.default())
        # The gazetteer and vocabulary live as long as the process: keep the cyclic garbage collector
        # from walking their millions of objects on every collection (10-15% of extraction time).
        gc.freeze()
    vocab, gazetteer = _LOADED[key]
    with fewer_collections():
        return [extract_mentions(a, vocab, gazetteer) for a in articles]
