"""Load-test a built database as the project serves it: Datasette on loopback, concurrent requests.

    python benchmarks/serve_load.py --db /tmp/scale/gen10000-seed1/build.db --duration 10 --concurrency 8

Starts Datasette with the project's own command (dedupe.cli._datasette_command: metadata, templates,
plugins, settings), waits until it answers, sends requests from a fixed set of endpoints for a given
time or count, and prints requests per second, latency percentiles and errors per endpoint. See
benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script from a checkout without `pip install -e .`
    sys.path.insert(0, str(REPO))

from dedupe.cli import _datasette_command  # noqa: E402
from dedupe.store import FACET_COUNTS  # noqa: E402
from dedupe.store.facet_counts import filters_of  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sample_incident_ids(db: Path, n: int) -> list[str]:
    """Up to n incident ids: the most reported quarter interleaved with ids spread over the table (every
    k-th), one big incident to four others, so row pages of both big and small incidents are fetched
    and any run of requests, however short, has the same mix."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        total = conn.execute("select count(*) from incidents").fetchone()[0]
        big = [r[0] for r in conn.execute("select id from incidents order by article_count desc, id limit ?", (n // 4,))]
        step = max(1, total // max(1, n - len(big)))
        spread = [r[0] for r in conn.execute("select id from incidents where rowid % ? = 0 limit ?",
                                             (step, n - len(big)))]
    mixed = []
    for i, incident in enumerate(spread):
        if i % 4 == 0 and i // 4 < len(big):
            mixed.append(big[i // 4])
        mixed.append(incident)
    mixed += big[(len(spread) + 3) // 4:]
    return list(dict.fromkeys(mixed)) or ["none"]


def facet_value_filters(db: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Filters a click on facet values gives, for every faceted table: the commonest value of each
    column facet, and a second click on the page of its first column facet's commonest value (the
    commonest value there of its second column facet). Read from the database's facet counts."""
    one: list[dict[str, Any]] = []
    two: list[dict[str, Any]] = []
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        if not conn.execute("select 1 from sqlite_master where name = 'filtered_facet_counts'").fetchone():
            return one, two
        for table, facets in FACET_COUNTS.items():
            columns = filters_of(facets)
            top = {}
            for facet in columns:
                row = conn.execute("select value from facet_counts where table_name = ? and facet = ? "
                                   "order by count desc, value limit 1", [table, facet]).fetchone()
                if row is not None:
                    top[facet] = row[0]
                    one.append({"table": table, facet: row[0]})
            if len(columns) >= 2 and columns[0] in top:
                first, second = columns[:2]
                row = conn.execute("select value from filtered_facet_counts where table_name = ? and filter = ? "
                                   "and filter_value = ? and facet = ? order by count desc, value limit 1",
                                   [table, first, top[first], second]).fetchone()
                if row is not None:
                    two.append({"table": table, first: top[first], second: row[0]})
    return one, two


def filter_paths(name: str, filters: list[dict[str, Any]]) -> list[str]:
    return [f"/{name}/{f['table']}?" + urlencode({k: v for k, v in f.items() if k != "table"}) for f in filters]


# A table page whose facet ran out of facet_time_limit_ms still answers 200, without that facet: Datasette
# lists it in the HTML ("These facets timed out: …") and in the JSON's facets_timed_out.
TIMED_OUT = re.compile(rb'class="facets-timed-out"|"facets_timed_out":\s*\[\s*"')


def endpoints(name: str, ids: list[str], filters: tuple[list[dict], list[dict]] = ([], [])) -> dict[str, list[str]]:
    """Endpoint label -> the URL paths it cycles through. `name` is the database name (the file stem);
    `filters`, facet_value_filters' pages (left out when empty)."""
    one, two = filters
    return {
        "incident list": [f"/{name}/incidents"],
        "faceted": [f"/{name}/incidents?event_type=shooting&_facet=admin1",
                    f"/{name}/incidents?_facet=event_type&_facet=country"],
        **({"facet value": filter_paths(name, one)} if one else {}),
        **({"two facet values": filter_paths(name, two)} if two else {}),
        "row page": [f"/{name}/incidents/{i}" for i in ids],
        "row JSON": [f"/{name}/incidents/{i}.json" for i in ids],
        "canned query": [f"/{name}/incident_reports.json?incident_id={i}&_shape=array" for i in ids],
        "search": [f"/{name}/articles.json?_search={w}&_size=20" for w in ("drone", "shooting", "fire", "police")],
    }


def start_server(db: Path, port: int, log: Path) -> tuple[subprocess.Popen, list[str]]:
    exe, argv = _datasette_command(db, port)
    with open(log, "w", encoding="utf-8") as err:
        proc = subprocess.Popen(argv, executable=exe, stdout=subprocess.DEVNULL, stderr=err)
    return proc, argv


def wait_until_up(proc: subprocess.Popen, base: str, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"datasette exited ({proc.returncode}):\n{log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(base + "/-/versions.json", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"datasette did not answer within {timeout:.0f}s")


async def fire(base: str, paths: dict[str, list[str]], concurrency: int, duration: float | None,
               requests: int | None, timeout: float
               ) -> tuple[dict[str, list[float]], dict[str, int], float, dict[str, int]]:
    """Send requests from `concurrency` workers, taking the endpoints in turn, until `duration` seconds
    or `requests` requests; returns latencies (s) and error counts per endpoint, the seconds taken and
    how many answers per endpoint lacked a facet that timed out."""
    order = list(paths)
    counters = dict.fromkeys(paths, 0)
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    partial: dict[str, int] = defaultdict(int)
    sent = 0
    started = time.perf_counter()
    stop_at = started + duration if duration else None

    def next_request() -> tuple[str, str] | None:
        nonlocal sent
        if (requests is not None and sent >= requests) or (stop_at is not None and time.perf_counter() >= stop_at):
            return None
        label = order[sent % len(order)]
        url = paths[label][counters[label] % len(paths[label])]
        counters[label] += 1
        sent += 1
        return label, url

    async def worker(client: httpx.AsyncClient) -> None:
        while (item := next_request()) is not None:
            label, url = item
            t = time.perf_counter()
            try:
                response = await client.get(url)
                body = await response.aread()
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok, body = False, b""
            latencies[label].append(time.perf_counter() - t)
            if not ok:
                errors[label] += 1
            elif TIMED_OUT.search(body):
                partial[label] += 1

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return latencies, errors, time.perf_counter() - started, partial


def run_load(base: str, paths: dict[str, list[str]], args: argparse.Namespace) -> list[dict[str, Any]]:
    """One phase per endpoint (its own throughput at this concurrency), or one mixed phase (--mixed)."""
    if args.mixed:
        rows = summarise(*asyncio.run(fire(base, paths, args.concurrency, args.duration, args.requests,
                                           args.request_timeout)))
        order = [*paths, "all"]
        return sorted(rows, key=lambda r: order.index(r["endpoint"]))
    rows, total, seconds = [], [], 0.0
    share = args.duration / len(paths) if args.duration else None
    for label, urls in paths.items():
        latencies, errors, elapsed, partial = asyncio.run(
            fire(base, {label: urls}, args.concurrency, share, args.requests, args.request_timeout))
        rows += summarise(latencies, errors, elapsed, partial, overall=False)
        total += latencies[label]
        seconds += elapsed
    everything = summarise({"all": total}, {"all": sum(r["errors"] for r in rows)}, seconds,
                           {"all": sum(r["facets_timed_out"] for r in rows)}, overall=False)
    return rows + everything


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def summarise(latencies: dict[str, list[float]], errors: dict[str, int], elapsed: float,
              partial: dict[str, int] | None = None, overall: bool = True) -> list[dict[str, Any]]:
    """A row per endpoint (and one for all of them): count, rate, p50/p99/max latency, errors, and
    answers missing a facet that timed out."""
    partial = partial or {}
    rows = []
    everything = [x for values in latencies.values() for x in values]
    for label, values in [*latencies.items(), *([("all", everything)] if overall else [])]:
        if not values:
            continue
        rows.append({"endpoint": label, "requests": len(values),
                     "errors": sum(errors.values()) if label == "all" and overall else errors.get(label, 0),
                     "facets_timed_out": sum(partial.values()) if label == "all" and overall else partial.get(label, 0),
                     "rps": len(values) / elapsed, "p50_ms": 1000 * percentile(values, 0.5),
                     "p99_ms": 1000 * percentile(values, 0.99), "max_ms": 1000 * max(values)})
    return rows


def render(rows: list[dict[str, Any]], markdown: bool) -> str:
    header = ["endpoint", "requests", "req/s", "p50 ms", "p99 ms", "max ms", "errors", "facet timeouts"]
    body = [[r["endpoint"], f"{r['requests']:,}", f"{r['rps']:.1f}", f"{r['p50_ms']:.0f}", f"{r['p99_ms']:.0f}",
             f"{r['max_ms']:.0f}", str(r["errors"]), str(r["facets_timed_out"])] for r in rows]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|---|" + "|".join(["--:"] * (len(header) - 1)) + "|"]
        return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in body])
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    return "\n".join("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
                     for r in [header, *body])


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="built database to serve (e.g. scale.py --keep's build.db)")
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight at once (default 8)")
    limit = parser.add_mutually_exclusive_group()
    limit.add_argument("--duration", type=float,
                       help="seconds to send requests for, shared equally between the endpoints (default 10)")
    limit.add_argument("--requests", type=int, help="send this many requests to each endpoint (in all, with --mixed)")
    parser.add_argument("--mixed", action="store_true",
                        help="one phase taking the endpoints in turn, instead of one phase per endpoint")
    parser.add_argument("--port", type=int, help="port for Datasette on 127.0.0.1 (default: a free one)")
    parser.add_argument("--ids", type=int, default=200, help="incident ids to spread row and query requests over (default 200)")
    parser.add_argument("--request-timeout", type=float, default=30, help="seconds before a request counts as an error (default 30)")
    parser.add_argument("--startup-timeout", type=float, default=120, help="seconds to wait for Datasette to answer (default 120)")
    parser.add_argument("--markdown", action="store_true", help="print a GitHub table")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the figures to OUT")
    args = parser.parse_args(argv)
    if args.duration is None and args.requests is None:
        args.duration = 10.0
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    db = args.db.resolve()
    if not db.exists():
        raise SystemExit(f"{db}: no such database")
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    paths = endpoints(db.stem, sample_incident_ids(db, args.ids), facet_value_filters(db))
    log = Path(tempfile.mkstemp(prefix="serve-load-", suffix=".log")[1])
    proc, argv_used = start_server(db, port, log)
    try:
        started = time.perf_counter()
        wait_until_up(proc, base, args.startup_timeout, log)
        startup = time.perf_counter() - started
        print(f"datasette up on {base} in {startup:.1f}s; "
              f"{args.concurrency} concurrent, {f'{args.duration:g}s' if args.duration else f'{args.requests} requests'}",
              file=sys.stderr)
        rows = run_load(base, paths, args)
        elapsed = time.perf_counter() - started - startup
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        metadata = Path(argv_used[argv_used.index("-m") + 1])
        if metadata.parent == Path(tempfile.gettempdir()) and metadata.name.startswith(f"{db.stem}-metadata-"):
            metadata.unlink(missing_ok=True)  # the renamed copy _datasette_command wrote for this database name
        log.unlink(missing_ok=True)
    print(f"{db} ({db.stat().st_size / 1e6:,.1f} MB), concurrency {args.concurrency}, "
          f"{'mixed' if args.mixed else 'one endpoint at a time'}")
    print(render(rows, args.markdown))
    if args.json:
        args.json.write_text(json.dumps({"db": str(db), "concurrency": args.concurrency, "mixed": args.mixed,
                                         "startup_seconds": startup, "seconds": elapsed, "endpoints": rows}, indent=2) + "\n")
    return 0 if all(r["errors"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
