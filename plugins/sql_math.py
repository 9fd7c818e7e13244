"""Datasette plugin: SQL math functions (`radians`, `sin`, `cos`, `asin`, `sqrt`) for SQLite builds
compiled without them (SQLite < 3.35, or built without SQLITE_ENABLE_MATH_FUNCTIONS, as in Datasette's
Docker image), so the `incidents_near` canned query answers everywhere."""

from __future__ import annotations

import math
import sqlite3

from datasette import hookimpl

MATH_FUNCTIONS = {"radians": math.radians, "sin": math.sin, "cos": math.cos, "asin": math.asin,
                  "sqrt": math.sqrt}


def _math_sql(conn: sqlite3.Connection, name: str) -> bool:
    try:
        conn.execute(f"select {name}(0.5)")
        return True
    except sqlite3.OperationalError:
        return False


def ensure_math_functions(conn: sqlite3.Connection) -> list[str]:
    """Register Python versions of the SQL math functions this SQLite lacks; returns their names."""
    added = []
    for name, fn in MATH_FUNCTIONS.items():
        if not _math_sql(conn, name):
            conn.create_function(name, 1, _null_safe(fn), deterministic=True)
            added.append(name)
    return added


def _null_safe(fn):
    def call(x):
        if x is None:
            return None
        try:
            return fn(float(x))
        except (TypeError, ValueError):
            return None
    return call


@hookimpl
def prepare_connection(conn):
    ensure_math_functions(conn)
