"""Facet counts of whole tables, kept in the database by triggers.

A table page with no filter counts every row for each facet metadata.yml configures: on a
million-article build that is 571,304 incidents grouped ten ways and two JSON arrays unpacked
row by row, over a second for the incident list alone (README, "Serving"). The counts of a whole
table change only when its rows do, so the database keeps them: `facet_counts` holds them, and
triggers on each faceted table keep them right through every insert, update and delete in the
same transaction as the change, whoever makes it (a build, an --update, an analyst's SQL).
`counted_facets` names what is counted, so the Datasette plugin (plugins/table_facets.py) knows
when it can read a count instead of computing it. Filtered pages are still counted live.

The triggers see the row an `INSERT OR REPLACE` removes only under `pragma recursive_triggers =
on` (SQLite's rule). sqlite-utils turns it on for every connection it opens, the build's and the
update's; another writer that replaces faceted rows must turn it on too, or delete first.
"""

from __future__ import annotations

from sqlite_utils import Database

COUNTS_TABLE = "facet_counts"
REGISTRY_TABLE = "counted_facets"


def _name(column: str) -> str:
    return "[" + column.replace("]", "]]") + "]"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _array(expr: str) -> str:
    """`expr` when it holds a JSON array, else NULL (json_each of NULL is empty): a malformed value
    in a faceted column must not make the insert that wrote it fail."""
    return f"case when json_valid({expr}) then case when json_type({expr}) = 'array' then {expr} end end"


def _values(table: str, column: str, kind: str, row: str) -> str:
    """A select of (table_name, facet, value) for each value `row` (new or old) counts under."""
    t, c = _literal(table), _literal(column)
    if kind == "array":
        # Each row once per value it holds, as Datasette's array facet counts rows.
        return (f"select distinct {t}, {c}, j.value from json_each({_array(f'{row}.{_name(column)}')}) j "
                "where j.value is not null")
    return f"select {t}, {c}, {row}.{_name(column)} where {row}.{_name(column)} is not null"


def _add(table: str, facets: dict[str, str], row: str) -> list[str]:
    return [f"insert into {COUNTS_TABLE} (table_name, facet, value, count) "
            f"select *, 1 from ({_values(table, column, kind, row)}) where true "
            "on conflict (table_name, facet, value) do update set count = count + 1;"
            for column, kind in facets.items()]


def _remove(table: str, facets: dict[str, str], row: str) -> list[str]:
    out = []
    for column, kind in facets.items():
        match = (f"(table_name, facet, value) in ({_values(table, column, kind, row)})")
        out.append(f"update {COUNTS_TABLE} set count = count - 1 where {match};")
        out.append(f"delete from {COUNTS_TABLE} where {match} and count <= 0;")
    return out


def trigger_sql(table: str, facets: dict[str, str]) -> dict[str, str]:
    """The CREATE TRIGGER statements that keep `table`'s counts, by trigger name, as SQLite
    stores them in sqlite_master (so an unchanged trigger compares equal)."""
    columns = ", ".join(_name(c) for c in facets)
    body = {
        "insert": (f"AFTER INSERT ON {_name(table)}", _add(table, facets, "new")),
        "delete": (f"AFTER DELETE ON {_name(table)}", _remove(table, facets, "old")),
        "update": (f"AFTER UPDATE OF {columns} ON {_name(table)}",
                   _remove(table, facets, "old") + _add(table, facets, "new")),
    }
    out = {}
    for event, (when, statements) in body.items():
        name = f"{COUNTS_TABLE}_{table}_{event}"
        out[name] = f"CREATE TRIGGER {_name(name)} {when} BEGIN\n  " + "\n  ".join(statements) + "\nEND"
    return out


def _count_sql(table: str, column: str, kind: str) -> str:
    """A select of (value, rows holding it) over `table` now, as Datasette's facets count them."""
    if kind == "array":
        return (f"select j.value, count(distinct t.rowid) from {_name(table)} t "
                f"join json_each({_array('t.' + _name(column))}) j where j.value is not null group by j.value")
    return (f"select {_name(column)}, count(*) from {_name(table)} where {_name(column)} is not null "
            f"group by {_name(column)}")


def count_facets(db: Database, table: str, facets: dict[str, str]) -> None:
    """Count `table`'s facets from its rows, replacing what `facet_counts` held for it."""
    db.execute(f"delete from {COUNTS_TABLE} where table_name = ?", [table])
    for column, kind in facets.items():
        db.execute(f"insert into {COUNTS_TABLE} (table_name, facet, value, count) "
                   f"select ?, ?, * from ({_count_sql(table, column, kind)})", [table, column])


def ensure_facet_counts(db: Database, declared: dict[str, dict[str, str]]) -> None:
    """Make `facet_counts` and its triggers match `declared` (table -> column -> 'column' or
    'array'). A table whose triggers are missing or differ is counted afresh from its rows before
    they are created: counts are only right from the moment triggers keep them. A database that
    already matches is left untouched (no statement that changes the schema is run)."""
    # A savepoint: all of it or none, inside the caller's transaction when there is one (an update's),
    # its own otherwise (Python's sqlite3 would leave an implicit one open after the first insert).
    db.execute("savepoint ensure_facet_counts")
    try:
        _ensure(db, declared)
    except BaseException:
        db.execute("rollback to ensure_facet_counts")
        db.execute("release ensure_facet_counts")
        raise
    db.execute("release ensure_facet_counts")


def _ensure(db: Database, declared: dict[str, dict[str, str]]) -> None:
    stored = {name: sql for name, sql in db.execute(
        "select name, sql from sqlite_master where type = 'trigger' and name like ?", [f"{COUNTS_TABLE}_%"])}
    registry = {(t, c): k for t, c, k in db.execute(f"select table_name, facet, kind from {REGISTRY_TABLE}")}
    present = {t: facets for t, facets in declared.items() if db[t].exists()}
    wanted_registry = {(t, c): k for t, facets in present.items() for c, k in facets.items()}
    for table, facets in present.items():
        wanted = trigger_sql(table, facets)
        if all(stored.get(name) == sql for name, sql in wanted.items()):
            continue
        for name in wanted:
            db.execute(f"drop trigger if exists {_name(name)}")
        count_facets(db, table, facets)
        for sql in wanted.values():
            db.execute(sql)
    # Tables no longer declared: their counts would go stale, so they go.
    for name in stored:
        table = name[len(COUNTS_TABLE) + 1:].rsplit("_", 1)[0]
        if table not in declared:
            db.execute(f"drop trigger if exists {_name(name)}")
            db.execute(f"delete from {COUNTS_TABLE} where table_name = ?", [table])
    if registry != wanted_registry:
        db.execute(f"delete from {REGISTRY_TABLE}")
        db.conn.executemany(f"insert into {REGISTRY_TABLE} (table_name, facet, kind) values (?, ?, ?)",
                            sorted((t, c, k) for (t, c), k in wanted_registry.items()))


def stale_facet_counts(db: Database, declared: dict[str, dict[str, str]]) -> list[tuple[str, str]]:
    """The (table, facet) pairs whose stored counts differ from a count of the rows now: [] while
    the triggers have kept them (an `INSERT OR REPLACE` without recursive triggers would not)."""
    stale = []
    for table, facets in declared.items():
        if not db[table].exists():
            continue
        for column, kind in facets.items():
            now = dict(db.execute(_count_sql(table, column, kind)).fetchall())
            kept = dict(db.execute(f"select value, count from {COUNTS_TABLE} where table_name = ? and facet = ?",
                                   [table, column]).fetchall())
            if now != kept:
                stale.append((table, column))
    return stale
