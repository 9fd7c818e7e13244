"""Command line: a thin click layer over dedupe.pipeline."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import click

from .pipeline import build_database

REPO = Path(__file__).resolve().parent.parent


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
@click.option("--quiet", is_flag=True, help="Print only the one-line summary.")
@click.option("--serve", is_flag=True, help="Start Datasette on the database after building it.")
@click.option("--port", default=8001, show_default=True, type=int, help="Port for --serve.")
def main(inputs: tuple[Path, ...], db_path: Path, vocabulary: Path | None, comparisons: Path | None,
         max_bytes: int, quiet: bool, serve: bool, port: int) -> None:
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

    result, info = build_database(list(inputs) or None, db_path, vocabulary=vocabulary, comparisons=comparisons,
                                  max_bytes=max_bytes, progress=progress)
    if not quiet:
        for e in result.errors[:20]:
            click.echo(f"skipped {e.path}{':' + str(e.line) if e.line else ''}: {e.reason}", err=True)
        if len(result.errors) > 20:
            click.echo(f"... and {len(result.errors) - 20} more in the ingest_errors table", err=True)
    click.echo(f"{db_path}: {info['articles']} articles, {info['mentions']} mentions, {info['incidents']} incidents, "
               f"{info['disputed']} disputed, {info['errors']} errors, {info['seconds']:.1f}s")
    if info["articles"] == 0:
        raise SystemExit(1)
    if serve:
        serve_database(db_path, port)


def serve_database(db_path: Path, port: int) -> None:
    """Replace this process with Datasette serving the database."""
    exe = shutil.which("datasette")
    args = [exe or sys.executable, *([] if exe else ["-m", "datasette"]), "serve", str(db_path),
            "-m", str(REPO / "metadata.yml"), "--port", str(port)]
    os.execv(args[0], args)
