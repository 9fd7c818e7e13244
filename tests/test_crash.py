"""kill -9 loses nothing: a real `build_db.py` process, full build or `--update`, killed with SIGKILL at
several points leaves the database either exactly as it was or completely new, never in between, and the
next build or update succeeds.

A full build writes a temporary file beside the target and renames it over the target when complete
(dedupe.store.write_database); an update writes in place in one transaction in WAL mode
(dedupe.store.update.apply_update). The kill points follow what the process does to the files, polled every
few milliseconds: the temporary file appearing, growing, being vacuumed (its journal as large as the
database), the rename; the WAL appearing, growing, and the checkpoint into the database after the commit.
Before the first file changes there is no such sign, so those kills are at fractions of how long an
unkilled run of the same command took on this machine. The number of kills survived is printed at the end
of the module.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from dedupe.incremental import update_database
from dedupe.pipeline import build_database
from tests.helpers import (
    database_problems,
    differing_tables,
    dump_database,
    query,
    report,
    write_variant_articles,
)

REPO = Path(__file__).resolve().parent.parent
BUILD_DB = REPO / "build_db.py"
BUILD_ARTICLES = 40  # new articles of the full build (the database it replaces is the bundled sample)
UPDATE_ARTICLES = 80  # new articles of the update (added to the bundled sample)
VOLATILE = {"build_info": {"built_at", "seconds"}}
POLL = 0.003  # seconds between looks at the files
TIMEOUT = 180.0  # a run that takes longer than this is stuck
# tries at killing an update inside its checkpoint, a window of milliseconds that a loaded machine
# (two test runs side by side) can let three updates close before the poll sees it
ATTEMPTS = 8

Trigger = Callable[[float], bool]  # seconds since the start -> kill now?


def cli(inputs: list[Path], db: Path, *options: str) -> list[str]:
    return [sys.executable, str(BUILD_DB), *map(str, inputs), "--db", str(db), "--quiet", *options]


def temp_files(db: Path) -> list[str]:
    """What write_database leaves beside `db` while it builds: `.<name>.<pid>.<random>.tmp` and that file's
    rollback journal, `.tmp-journal`."""
    return sorted(p.name for p in db.parent.glob(f".{db.name}.*.tmp*"))


def size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return -1


@dataclass
class Run:
    returncode: int
    seconds: float
    files: list[str]  # beside the database when the process was killed (or ended)
    stderr: str

    @property
    def killed(self) -> bool:
        return self.returncode == -signal.SIGKILL


def run(args: list[str], log: Path, trigger: Trigger | None = None) -> Run:
    """Run `args` (cwd: the repository) and SIGKILL it as soon as `trigger` says so."""
    db = Path(args[args.index("--db") + 1])
    with open(log, "wb") as err:
        proc = subprocess.Popen(args, cwd=REPO, stdout=subprocess.DEVNULL, stderr=err)
        start = time.monotonic()
        try:
            while proc.poll() is None:
                elapsed = time.monotonic() - start
                if trigger is not None and trigger(elapsed):
                    proc.send_signal(signal.SIGKILL)
                    break
                if elapsed > TIMEOUT:
                    raise AssertionError(f"{args} still running after {TIMEOUT}s")
                time.sleep(POLL)
            files = sorted(p.name for p in db.parent.iterdir())
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return Run(proc.returncode, time.monotonic() - start, files, log.read_text(errors="replace"))


@dataclass
class Reference:
    """The inputs, the database before (the sample), and unkilled runs of the full build and the update."""

    build_inputs: Path
    update_inputs: Path
    base: Path
    base_bytes: bytes
    base_dump: dict
    full_dump: dict
    full_size: int
    full_write_at: float  # seconds from the start of the full build to its temporary file appearing
    updated_dump: dict
    update_write_at: float  # seconds from the start of the update to its WAL growing (the transaction)
    wal_peak: int
    updated_builds: list[tuple]  # build_info of the updated database: (mode, articles, mentions, incidents)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Reference:
    root = tmp_path_factory.mktemp("crash")
    build_inputs = write_variant_articles(root / "build-inputs", BUILD_ARTICLES, start=0)
    update_inputs = write_variant_articles(root / "update-inputs", UPDATE_ARTICLES, start=5000)
    base = root / "base" / "incidents.db"
    base.parent.mkdir()
    build_database(None, base)
    assert database_problems(base) == []

    full = root / "full" / "incidents.db"
    full.parent.mkdir()
    shutil.copy(base, full)
    write_at: list[float] = []

    def watch_temp(elapsed: float) -> bool:
        if not write_at and temp_files(full):
            write_at.append(elapsed)
        return False

    built = run(cli([build_inputs], full), root / "full.log", watch_temp)
    assert built.returncode == 0, built.stderr
    assert write_at, "the build's temporary file was never seen: nothing to kill it in"
    assert database_problems(full) == []

    updated = root / "updated" / "incidents.db"
    updated.parent.mkdir()
    shutil.copy(base, updated)
    wal = Path(f"{updated}-wal")
    timeline: list[tuple[float, int]] = []

    def watch_wal(elapsed: float) -> bool:
        timeline.append((elapsed, size(wal)))
        return False

    done = run(cli([update_inputs], updated, "--update"), root / "updated.log", watch_wal)
    assert done.returncode == 0, done.stderr
    assert database_problems(updated) == []
    peak = max(n for _, n in timeline)
    assert peak > 100_000, "the update's WAL was never seen growing: nothing to kill it in"
    update_write_at = next(t for t, n in timeline if n >= peak / 10)
    return Reference(build_inputs, update_inputs, base, base.read_bytes(), dump_database(base, VOLATILE),
                     dump_database(full, VOLATILE), full.stat().st_size, write_at[0],
                     dump_database(updated, VOLATILE), update_write_at, peak, build_info_rows(updated))


# ----------------------------------------------------------------------------------------------- kill points

@dataclass(frozen=True)
class KillPoint:
    trigger: Callable[[Reference, Path], Trigger]  # (reference, database) -> when to kill
    expect: str  # the state a kill there must leave: "before", "after", or "either"


def before_writing(when: str, share: float) -> Callable[[Reference, Path], Trigger]:
    """`share` of the time an unkilled run took to start writing (Reference.full_write_at or
    .update_write_at): starting up, reading, extracting or matching; nothing on disk says which."""
    return lambda ref, db: lambda elapsed: elapsed >= share * getattr(ref, when)


def temp_file(share: float = 0.0, suffix: str = ".tmp") -> Callable[[Reference, Path], Trigger]:
    """The build's temporary file (or with suffix ".tmp-journal" its journal) exists and has at least
    `share` of the size of the finished database."""
    def make(ref: Reference, db: Path) -> Trigger:
        return lambda _: any(n.endswith(suffix) and size(db.parent / n) >= share * ref.full_size
                             for n in temp_files(db))
    return make


def renamed(ref: Reference, db: Path) -> Trigger:
    """The temporary file has been renamed over the database (the process may still be running)."""
    inode = db.stat().st_ino
    return lambda _: db.stat().st_ino != inode


def wal(share: float = 0.0) -> Callable[[Reference, Path], Trigger]:
    """The update's WAL exists and holds at least `share` of what the unkilled update wrote to it."""
    return lambda ref, db: lambda _: size(Path(f"{db}-wal")) >= max(share * ref.wal_peak, 0)


def checkpointing(ref: Reference, db: Path) -> Trigger:
    """The database file itself changes after the WAL has grown past half its peak: the commit is done and
    the WAL is being copied into the database (SQLite's checkpoint, when the update closes it)."""
    seen: list[tuple[int, int]] = []

    def trigger(_: float) -> bool:
        st = db.stat()
        if not seen:
            if size(Path(f"{db}-wal")) >= ref.wal_peak / 2:
                seen.append((st.st_mtime_ns, st.st_size))
            return False
        return (st.st_mtime_ns, st.st_size) != seen[0]
    return trigger


FULL_KILLS = {
    "starting (25% of the time to the write)": KillPoint(before_writing("full_write_at", 0.25), "either"),
    "reading (60% of the time to the write)": KillPoint(before_writing("full_write_at", 0.6), "either"),
    "matching (90% of the time to the write)": KillPoint(before_writing("full_write_at", 0.9), "either"),
    "temporary file created": KillPoint(temp_file(), "before"),
    "temporary file half written": KillPoint(temp_file(0.5), "before"),
    "vacuum": KillPoint(temp_file(0.3, ".tmp-journal"), "either"),  # the rename follows at once
    "renamed over the database": KillPoint(renamed, "after"),
}

UPDATE_KILLS = {
    "starting (25% of the time to the write)": KillPoint(before_writing("update_write_at", 0.25), "either"),
    "reading (60% of the time to the write)": KillPoint(before_writing("update_write_at", 0.6), "either"),
    "matching (90% of the time to the write)": KillPoint(before_writing("update_write_at", 0.9), "either"),
    "WAL opened": KillPoint(wal(), "before"),
    # SQLite keeps the transaction's pages in its cache and writes most of them to the WAL at the commit,
    # so these two land while the commit writes (milliseconds before it completes): either state.
    "transaction a third written": KillPoint(wal(1 / 3), "either"),
    "transaction nearly written": KillPoint(wal(0.9), "either"),
    "checkpoint after the commit": KillPoint(checkpointing, "after"),
}


@dataclass
class Kill:
    mode: str
    point: str
    run: Run
    state: str  # "before" or "after"
    left: list[str] = field(default_factory=list)  # temporary files left beside the database by the kill
    remaining: list[str] = field(default_factory=list)  # ... and still there after the next build


@pytest.fixture(scope="module")
def kills(request):
    """Every kill -9 the tests below survived; the tally is printed when the module ends."""
    log: list[Kill] = []
    yield log
    landed = [k for k in log if k.run.killed]
    lines = [f"test_crash: {len(landed)} kill -9s survived ({len(log) - len(landed)} more runs ended before their "
             f"kill point): "
             + ", ".join(f"{k.mode} {k.point!r} at {k.run.seconds:.2f}s -> {k.state}" for k in landed)]
    if left := [k for k in log if k.left]:
        lines.append("test_crash: temporary files left by killed full builds: "
                     + "; ".join(f"{k.point!r}: {' '.join(k.left)}" for k in left)
                     + "; still there after the next build: "
                     + (" ".join(n for k in left for n in k.remaining) or "none"))
    for line in lines:
        report(request.config, line)


def state_of(db: Path, before: dict, after: dict) -> str:
    got = dump_database(db, VOLATILE)
    if got == before:
        return "before"
    if got == after:
        return "after"
    raise AssertionError(f"neither the database before nor the complete new one: differs from before in "
                         f"{differing_tables(got, before)}, from the new one in {differing_tables(got, after)}")


def build_info_rows(db: Path) -> list[tuple]:
    return query(db, "select mode, articles, mentions, incidents from build_info order by id")


# ---------------------------------------------------------------------------------------------------- tests

@pytest.mark.parametrize("point", list(FULL_KILLS))
def test_a_killed_full_build_leaves_the_old_database_or_the_new_one(reference, kills, tmp_path, point):
    db = tmp_path / "incidents.db"
    shutil.copy(reference.base, db)
    kill = FULL_KILLS[point]
    inode = db.stat().st_ino
    done = run(cli([reference.build_inputs], db), tmp_path / "build.log", kill.trigger(reference, db))
    assert done.killed or done.returncode == 0, done.stderr

    # Replaced atomically: until the rename, the very same bytes; after it, the complete new database.
    if db.stat().st_ino == inode:
        assert db.read_bytes() == reference.base_bytes, f"changed in place; killed with {done.files}"
        state = "before"
    else:
        assert dump_database(db, VOLATILE) == reference.full_dump, f"renamed before complete; killed with {done.files}"
        state = "after"
    assert database_problems(db) == []
    if done.killed and kill.expect != "either":
        assert state == kill.expect, f"killed with {done.files}"
    assert done.killed or state == "after"
    left = temp_files(db)

    # The same build again succeeds whatever the kill left, and gives the complete database.
    build_database([reference.build_inputs], db)
    assert dump_database(db, VOLATILE) == reference.full_dump
    assert database_problems(db) == []
    kills.append(Kill("full build", point, done, state, left, temp_files(db)))


@pytest.mark.parametrize("point", list(UPDATE_KILLS))
def test_a_killed_update_leaves_the_old_database_or_the_new_one(reference, kills, tmp_path, point):
    db = tmp_path / "incidents.db"
    shutil.copy(reference.base, db)
    kill = UPDATE_KILLS[point]
    done = run(cli([reference.update_inputs], db, "--update"), tmp_path / "update.log", kill.trigger(reference, db))
    assert done.killed or done.returncode == 0, done.stderr

    # Opening the database rolls an unfinished transaction back (or completes a checkpoint).
    state = state_of(db, reference.base_dump, reference.updated_dump)
    assert database_problems(db) == []
    if done.killed and kill.expect != "either":
        assert state == kill.expect, f"killed with {done.files}"
    assert done.killed or state == "after"

    # The same update again succeeds and gives the updated database (after a kill that left the update
    # complete, it only finds every article known and writes nothing, not even a build_info row).
    update_database([reference.update_inputs], db)
    table_rows = {k: v for k, v in reference.updated_dump.items() if k != "build_info"}
    got = dump_database(db, VOLATILE)
    assert {k: v for k, v in got.items() if k != "build_info"} == table_rows, differing_tables(got, table_rows)
    assert database_problems(db) == []
    rows = build_info_rows(db)
    assert rows[:2] == reference.updated_builds and rows[1][:2] == ("update", UPDATE_ARTICLES)
    assert len(rows) == 2
    kills.append(Kill("update", point, done, state))


def test_the_next_build_removes_the_temporary_files_a_killed_build_left(reference, tmp_path):
    """A killed full build cannot remove its temporary file (`.incidents.db.<pid>.<random>.tmp`, as large as
    the database) nor, when killed inside a transaction, that file's rollback journal (`...tmp-journal`): the
    next build must."""
    db = tmp_path / "incidents.db"
    for _attempt in range(ATTEMPTS):
        shutil.copy(reference.base, db)
        done = run(cli([reference.build_inputs], db), tmp_path / "build.log",
                   temp_file(0.0, ".tmp-journal")(reference, db))
        assert done.killed, "the build ended before it wrote its temporary file"
        left = temp_files(db)
        # The write's transaction lasts a fraction of a second: the kill, sent when its journal
        # appears, can land after the commit removed it. Then try again.
        if any(n.endswith(".tmp-journal") for n in left):
            break
        for name in left:
            (db.parent / name).unlink(missing_ok=True)
    else:
        pytest.fail(f"{ATTEMPTS} builds committed before the kill inside their write transaction")
    assert any(n.endswith(".tmp") for n in left) and any(n.endswith(".tmp-journal") for n in left), left
    build_database(None, db)
    assert database_problems(db) == []
    assert temp_files(db) == [], f"killed build left {left}; still there after the next build"


def test_a_rebuild_after_an_update_killed_while_checkpointing_is_not_corrupted(reference, tmp_path):
    """An update killed after its commit, while SQLite copies its WAL into the database, leaves the WAL
    beside the database with the committed transaction in it (SQLite completes it on the next open). A full
    build then renames its new file over the database and leaves that WAL in place: the next open applies the
    old update's pages to the new file."""
    db = tmp_path / "incidents.db"
    for _attempt in range(ATTEMPTS):
        shutil.copy(reference.base, db)
        done = run(cli([reference.update_inputs], db, "--update"), tmp_path / "update.log",
                   checkpointing(reference, db))
        if done.killed and size(Path(f"{db}-wal")) > 0:
            break
        for leftover in (Path(f"{db}-wal"), Path(f"{db}-shm")):
            leftover.unlink(missing_ok=True)
    else:
        pytest.fail(f"{ATTEMPTS} updates ended before the kill during their checkpoint")
    build_database(None, db)  # the bundled sample
    assert database_problems(db) == []
    assert query(db, "select count(*) from articles") == [(5,)]
