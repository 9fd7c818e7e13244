"""Command line: a thin click layer over dedupe.pipeline."""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

import click
import yaml

from .decisions import DecisionWarning, describe, load_decisions
from .incremental import update_database
from .pipeline import StrictError, build_database

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DECISIONS = "decisions.yml"


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("inputs", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--db", "db_path", default="incidents.db", show_default=True, type=click.Path(path_type=Path),
              help="SQLite file to write; built in a temporary file and renamed over it when complete.")
@click.option("--vocabulary", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Vocabulary YAML (event types, weapons, outcomes) instead of the bundled one.")
@click.option("--comparisons", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Comparison levels and weights YAML instead of the bundled one.")
@click.option("--max-bytes", default=50_000_000, show_default=True, type=click.IntRange(min=1),
              help="Skip (and record in ingest_errors) input files larger than this many bytes.")
@click.option("--decisions", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Analyst decisions YAML (must_link, cannot_link, split_out by mention or article id) "
                   f"applied on this build. Default: {DEFAULT_DECISIONS} in the current directory, if it exists.")
@click.option("--update", is_flag=True,
              help="Add the inputs to the existing --db in place, in one transaction: articles it already has are "
                   "skipped, new reports are matched against its incidents. Without an existing database, a full "
                   "build.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(min=0),
              help="Processes that parse and extract articles and score the blocked pairs (0: one per CPU). The "
                   "database is the same for any N.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Run parsing, extraction and pair scoring on a Dask distributed cluster (e.g. tcp://host:8786) instead of "
                   "local processes; needs the 'distributed' extra. The database is the same as a local build.")
@click.option("--strict", is_flag=True,
              help="Treat any input that cannot be used as fatal: exit non-zero before writing anything.")
@click.option("--quiet", is_flag=True, help="Print only the one-line summary.")
@click.option("--serve", is_flag=True, help="Start Datasette on the database after building it.")
@click.option("--port", default=8001, show_default=True, type=int, help="Port for --serve.")
def main(inputs: tuple[Path, ...], db_path: Path, vocabulary: Path | None, comparisons: Path | None,
         max_bytes: int, decisions: Path | None, update: bool, workers: int, scheduler: str | None, strict: bool,
         quiet: bool, serve: bool, port: int) -> None:
    """Build an incident database from news articles.

    INPUTS are files (.txt .md .jsonl .json .csv .html, optionally .gz) and
    folders (read recursively). Without INPUTS the bundled sample is built.
    """
    bar = None

    def progress(stage: str, done: int, total: int) -> None:
        nonlocal bar
        if quiet or total < 200:
            return
        if bar is None:
            bar = click.progressbar(length=total, label=f"{stage} articles", file=sys.stderr)
            bar.__enter__()
        bar.update(1)
        if done == total:
            bar.__exit__(None, None, None)

    if decisions is None and Path(DEFAULT_DECISIONS).is_file():
        decisions = Path(DEFAULT_DECISIONS)
    if decisions is not None:
        try:
            load_decisions(decisions)  # a malformed file is a usage error, before the long build
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="'--decisions'") from exc
    build = update_database if update else build_database
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DecisionWarning)  # reported below, from the result
        try:
            result, info = build(list(inputs) or None, db_path, vocabulary=vocabulary, comparisons=comparisons,
                                 max_bytes=max_bytes, progress=progress, decisions=decisions, workers=workers,
                                 scheduler=scheduler, strict=strict)
        except StrictError as exc:
            for e in exc.errors[:20]:
                click.echo(f"error: {e.path}{':' + str(e.line) if e.line else ''}: {e.reason}", err=True)
            click.echo(f"--strict: {len(exc.errors)} input error(s); {db_path} was not written", err=True)
            raise SystemExit(1) from None
    if not quiet:
        for e in result.errors[:20]:
            click.echo(f"skipped {e.path}{':' + str(e.line) if e.line else ''}: {e.reason}", err=True)
        if len(result.errors) > 20:
            click.echo(f"... and {len(result.errors) - 20} more in the ingest_errors table", err=True)
        if info.get("skipped"):
            click.echo(f"{info['skipped']} article(s) already in {db_path} were skipped", err=True)
        for s in result.stale_decisions:
            click.echo(f"warning: {decisions}:{s.decision.line}: {describe(s.decision)} not applied "
                       f"({s.status}): {s.reason}", err=True)
    click.echo(f"{db_path}: {info['articles']} articles, {info['mentions']} mentions, {info['incidents']} incidents, "
               f"{info['disputed']} disputed, {info['errors']} errors, {info['seconds']:.1f}s")
    if info["articles"] == 0 and not info.get("skipped"):
        click.echo(f"no article could be read, so {db_path} was not written", err=True)
        raise SystemExit(1)
    if serve:
        serve_database(db_path, port)


def serve_database(db_path: Path, port: int) -> None:
    """Replace this process with Datasette serving the database."""
    os.execv(*_datasette_command(db_path, port))


# Repository directories Datasette serves from (README.md, "Browsing in Datasette"): page templates, the
# plugin with the provenance data and SQL math functions, and the stylesheet metadata.yml links to.
TEMPLATES = REPO / "templates"
PLUGINS = REPO / "plugins"
STATIC = REPO / "static"


def _datasette_command(db_path: Path, port: int) -> tuple[str, list[str]]:
    """The executable and argv for serving `db_path` with metadata.yml, as README.md documents:

        datasette serve incidents.db -m metadata.yml --template-dir templates/ --plugins-dir plugins/
            --static static:static/ --cors --port 8001 --setting NAME VALUE ...

    Datasette 0.65 ignores a `settings:` block in metadata, so metadata.yml's settings are passed as
    `--setting NAME VALUE` options. Datasette names a database after its file stem, so for a database
    not called incidents.db the `databases: incidents:` section (and the dashboards' `db: incidents`) is
    served from a copy of the metadata renamed to that stem (otherwise descriptions, facets, canned
    queries and charts would silently vanish)."""
    metadata = REPO / "metadata.yml"
    meta = yaml.safe_load(metadata.read_text(encoding="utf-8")) or {}
    settings = meta.get("settings") or {}
    databases = meta.get("databases") or {}
    stem = Path(db_path).stem
    if len(databases) == 1 and stem not in databases:
        old = next(iter(databases))
        meta["databases"] = {stem: databases[old]}
        meta["plugins"] = _rename_db_references(meta.get("plugins") or {}, old, stem)
        metadata = _write_once(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), f"{stem}-metadata")
    exe = shutil.which("datasette")
    args = [exe or sys.executable, *([] if exe else ["-m", "datasette"]), "serve", str(db_path),
            "-m", str(metadata), "--template-dir", str(TEMPLATES), "--plugins-dir", str(PLUGINS),
            "--static", f"static:{STATIC}", "--cors", "--port", str(port)]
    for name, value in settings.items():
        if isinstance(value, bool):
            value = "on" if value else "off"
        args += ["--setting", str(name), str(value)]
    return args[0], args


def _write_once(text: str, stem: str) -> Path:
    """`text` in the temporary directory under a name made of `stem` and its digest. The serving
    process replaces this one (execv), so nothing is left to delete the file when Datasette stops:
    the same name for the same text keeps every later serve of that database from adding another."""
    path = Path(tempfile.gettempdir()) / f"{stem}-{hashlib.sha256(text.encode()).hexdigest()[:16]}.yml"
    if not path.exists():
        fd, partial = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(partial, path)  # whole or absent, when two serves start at once
    return path


def _rename_db_references(config, old: str, new: str):
    """Plugin configuration with every `db: old` (datasette-dashboards charts and filters) set to `new`."""
    if isinstance(config, dict):
        return {k: new if k == "db" and v == old else _rename_db_references(v, old, new) for k, v in config.items()}
    if isinstance(config, list):
        return [_rename_db_references(v, old, new) for v in config]
    return config
