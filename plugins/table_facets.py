"""Datasette plugin: faster facets, the same counts.

- Array facets (`facets: - array: outlets`, `?_facet_array=`) count each row once by its primary key
  (or rowid) rather than by all of its columns: a fifth of the time on the incidents table
  (ArrayFacetByKey).
- On a page showing a whole table, a facet the database counts for itself (`counted_facets`, kept
  by triggers: dedupe/store/facet_counts.py) is read from `facet_counts` instead of counted: on a
  million-article build the incident list's ten facets took over a second, and `outlets` ran out of
  facet_time_limit_ms every time (CountedFacets).
- On a page filtered to one value of a column facet (`?event_type=shooting`, a click on a facet value),
  the same facets are read from `filtered_facet_counts`, kept by the same triggers: on a million-article
  build that filter matches 258,233 incidents, whose facets took about 1.4 s to count. Filtered to
  several values of one (`?event_type__in=shooting,stabbing`), the counts under each are added up.
- Other filtered pages are counted live, every column facet in one query and every array facet in
  another, the page's rows read once instead of once a facet (count_in_one_query). Filtered on facets
  alone (`?event_type=shooting&weapon=gun`), they are read from an index holding every faceted column
  and the key (store.FACET_INDEXES) when that is the cheaper read (from_covering_index).
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import ArrayFacet, ColumnFacet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args


def configured_column(source_and_config: dict[str, Any]) -> str:
    config = source_and_config["config"]
    return config.get("column") or config["simple"]


async def count_in_one_query(facet: Any, configs: list[dict[str, Any]], columns: list[str], kept: list[str],
                             group: Callable[[int, str], str]) -> tuple[list[dict[str, Any]], list[str]]:
    """Every facet of `columns` in one query: the page's rows read once into a materialized CTE,
    `facet_rows_`, of the `kept` columns, then `group(n, column)`, a select of (facet, value, count)
    from it, once for each. The query gets the time limit of all its facets together."""
    facet_size = facet.get_facet_size()
    groups = " union all ".join(f"select * from ({group(n, c)} order by count desc, value limit {facet_size + 1})"
                                for n, c in enumerate(columns))
    rows_sql = await from_covering_index(facet, [unquote(k) for k in kept])
    sql = f"with facet_rows_ as materialized (select {', '.join(kept)} from ({rows_sql})) {groups}"
    try:
        rows = await facet.ds.execute(facet.database, sql, facet.params, truncate=False,
                                      custom_time_limit=facet.ds.setting("facet_time_limit_ms") * len(columns))
    except QueryInterrupted:
        return [], [configured_column(c) for c in configs]
    per_column: dict[int, list] = defaultdict(list)
    for row in rows.rows:
        per_column[row["facet"]].append(row)
    return [await facet.facet_entry(column, c["source"], per_column[columns.index(column)], facet_size)
            for c in configs for column in [configured_column(c)]], []


# The select list Datasette writes for a table page: column names, bare or quoted ("x" or [x]).
_COLUMNS = r"select [\w\s,\[\]\"]+? from "
_NAME = r'(\w+|"[^"]+"|\[[^\]]+\])'


def unquote(name: str) -> str:
    return name[1:-1] if name[:1] in '"[' else name


# One filter as Datasette writes it for `?column=value` or `?column__in=a,b`.
_FILTER = _NAME + r" (?:= :(p\d+)|in \((:p\d+(?:, :p\d+)*)\))"
# The share of a table a page's filters must keep before its facets read a covering index whole
# rather than the rows its filters find: a row read through an index costs some ten index entries.
BROAD_SHARE = 0.1


def filter_of(match: re.Match[str]) -> tuple[str, list[str]]:
    """(column, the parameters holding its values) of one _FILTER match."""
    return unquote(match.group(1)), (match.group(2) or match.group(3).replace(":", "")).split(", ")


async def from_covering_index(facet: Any, needed: list[str]) -> str:
    """The page's SQL (`facet.sql`), made to read an index of the table that holds the `needed`
    columns and every column the page filters (store.FACET_INDEXES), when there is one and it is
    the cheaper read: when the page filters the index's first column (a range of it), or when
    every filter keeps at least BROAD_SHARE of the table by the stored whole-table counts (all of it,
    narrow, instead of the wide rows of most of the table). Only pages filtered by `column = value`
    and `column in (...)` terms; anything else is read as Datasette wrote it."""
    if not facet.table or not facet.params:
        return facet.sql
    table = escape_sqlite(facet.table)
    page = re.fullmatch(f"({_COLUMNS}{re.escape(table)})( where {_FILTER}(?: and {_FILTER})*)\\s*", facet.sql, re.S)
    if not page:
        return facet.sql
    filters = [filter_of(m) for m in re.finditer(_FILTER, page.group(2))]
    db = facet.ds.get_database(facet.database)
    index = await covering_index(db, facet.table, {*needed, *(column for column, _ in filters)})
    if index is None:
        return facet.sql
    name, first = index
    if first not in {column for column, _ in filters} and not await keeps_much(db, facet.table, filters, facet.params):
        return facet.sql
    return f"{page.group(1)} indexed by {escape_sqlite(name)}{page.group(2)}"


async def covering_index(db: Any, table: str, columns: set[str]) -> tuple[str, str] | None:
    """(name, first column) of the narrowest full index of `table` holding all of `columns`."""
    rows = await db.execute("select il.name as name, ii.seqno as seqno, ii.name as col from pragma_index_list(:t) il "
                            "join pragma_index_info(il.name) ii where il.partial = 0 order by il.name, ii.seqno",
                            {"t": table})
    held: dict[str, list[str]] = defaultdict(list)
    for row in rows.rows:
        held[row["name"]].append(row["col"])
    fits = sorted((len(cols), name, cols[0]) for name, cols in held.items() if columns <= set(cols))
    return (fits[0][1], fits[0][2]) if fits else None


async def keeps_much(db: Any, table: str, filters: list[tuple[str, list[str]]], params: dict[str, Any]) -> bool:
    """Whether every filter keeps at least BROAD_SHARE of the table's rows with a value of its
    column, by the whole-table counts the database keeps (False where it keeps none)."""
    if not await db.table_exists("facet_counts"):
        return False
    t = escape_sqlite(table)
    for column, keys in filters:
        c = escape_sqlite(column)
        # Each value as the column holds it (Datasette compares `"year" = '2020'`), as read_counts does.
        values = ", ".join(f"(select {c} from {t} where {c} = :{k} limit 1)" for k in keys)
        row = (await db.execute(
            "select coalesce(sum(case when value in (" + values + ") then count end), 0) as kept, sum(count) as total "
            "from facet_counts where table_name = :table and facet = :facet",
            {"table": table, "facet": column, **{k: params[k] for k in keys}})).first()
        if not row or not row["total"] or row["kept"] < BROAD_SHARE * row["total"]:
            return False
    return True


class CountedFacets:
    """Read the counts of `counted_facets` columns from the database; the rest as the facet class
    below it in the MRO counts them. Datasette builds a table page's facet SQL as `select <columns>
    from <table> ` plus a where clause only when something filters the rows, so that SQL with no
    parameters is the whole table (`facet_counts`), and with one `<column> = :p0` where that column
    is a counted column facet, the rows holding one value of it (`filtered_facet_counts`)."""

    type: str
    _skip: frozenset[str] = frozenset()
    _values: tuple[str, ...] = ("p0",)  # the parameters holding the filter's values (several for `__in`)

    async def counted_columns(self) -> tuple[set[str], str | None]:
        """The columns whose counts this page can read, and the column it is filtered by (None: the whole table)."""
        if not self.table:  # type: ignore[attr-defined]
            return set(), None
        table = re.escape(escape_sqlite(self.table))  # type: ignore[attr-defined]
        by = None
        if self.params:  # type: ignore[attr-defined]
            one = re.fullmatch(_COLUMNS + table + r" where " + _FILTER + r"\s*", self.sql, re.S)  # type: ignore[attr-defined]
            if not one:
                return set(), None
            by, keys = filter_of(one)
            if list(self.params) != keys:  # type: ignore[attr-defined]
                return set(), None
            self._values = tuple(keys)
        elif not re.fullmatch(r"select .* from " + table + r"\s*", self.sql, re.S):  # type: ignore[attr-defined]
            return set(), None
        db = self.ds.get_database(self.database)  # type: ignore[attr-defined]
        if not await db.table_exists("counted_facets"):
            return set(), None
        if by is not None and not await db.table_exists("filtered_facet_counts"):
            return set(), None  # a database built before filtered counts were kept
        rows = await db.execute("select facet, kind from counted_facets where table_name = ?", [self.table])  # type: ignore[attr-defined]
        kinds = dict(rows.rows)
        if by is not None and kinds.get(by) != "column":
            return set(), None
        return {facet for facet, kind in kinds.items() if kind == self.type}, by

    def get_configs(self):
        return [c for c in super().get_configs() if configured_column(c) not in self._skip]  # type: ignore[misc]

    async def count_live(self) -> tuple[list[dict[str, Any]], list[str]]:
        """The facets not read from the database, counted as the facet class below this one counts them."""
        return await super().facet_results()  # type: ignore[misc]

    async def read_counts(self, column: str, by: str | None, limit: int) -> list:
        db = self.ds.get_database(self.database)  # type: ignore[attr-defined]
        if by is None:
            rows = await db.execute("select value, count from facet_counts where table_name = ? and facet = ? "
                                    "order by count desc, value limit ?", [self.table, column, limit])  # type: ignore[attr-defined]
            return rows.rows
        # The filter's value as the column holds it: Datasette compares `"year" = '2020'`, which the
        # column's affinity turns into 2020, so the stored value is looked up the same way.
        b, t = escape_sqlite(by), escape_sqlite(self.table)  # type: ignore[attr-defined]
        if len(self._values) > 1:
            # `?event_type__in=a,b`: a row holds one value of the column, so the counts under each
            # value add up to those under either (a value listed twice is counted once)
            values = ", ".join(f"(select {b} from {t} where {b} = :{k} limit 1)" for k in self._values)
            rows = await db.execute(
                "select value, sum(count) as count from filtered_facet_counts where table_name = :table "
                f"and filter = :by and filter_value in ({values}) and facet = :facet group by value "
                "order by count desc, value limit :limit",
                {"table": self.table, "by": by, "facet": column, "limit": limit, **self.params})  # type: ignore[attr-defined]
            return rows.rows
        rows = await db.execute(
            "select value, count from filtered_facet_counts where table_name = :table and filter = :by "
            f"and filter_value = (select {b} from {t} where {b} = :{self._values[0]} limit 1) "
            "and facet = :facet order by count desc, value limit :limit",
            {"table": self.table, "by": by, "facet": column, "limit": limit, **self.params})  # type: ignore[attr-defined]
        return rows.rows

    async def facet_results(self):
        counted, by = await self.counted_columns()
        configs = self.get_configs()
        mine = [c for c in configs if configured_column(c) in counted]
        if not mine:
            return await self.count_live()
        self._skip = frozenset(configured_column(c) for c in mine)
        try:
            live, timed_out = await self.count_live()
        finally:
            self._skip = frozenset()
        facet_size = self.get_facet_size()  # type: ignore[attr-defined]
        results: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for entry in live:
            results[entry["name"]].append(entry)
        for source_and_config in mine:
            column = configured_column(source_and_config)
            rows = await self.read_counts(column, by, facet_size + 1)
            results[column].append(await self.facet_entry(column, source_and_config["source"], rows, facet_size))
        # In the order the facets are configured, as Datasette's own would be.
        return [results[configured_column(c)].pop(0) for c in configs if results[configured_column(c)]], timed_out


class CountedColumnFacet(CountedFacets, ColumnFacet):
    async def count_live(self) -> tuple[list[dict[str, Any]], list[str]]:
        """All of a page's live column facets in one query: its rows read once (a materialized CTE of
        the faceted columns), then grouped once per column. Datasette reads the filtered rows again
        for each facet; on a million-article build a state's 37,091 incidents took about 50 ms a
        facet, most of it reading rows. The query gets the time limit of all its facets together; an
        SQLite without MATERIALIZED (before 3.35) is counted Datasette's way."""
        configs = self.get_configs()
        columns = list(dict.fromkeys(configured_column(c) for c in configs))
        if len(columns) < 2:
            return await super().count_live()
        try:
            return await count_in_one_query(self, configs, columns, [escape_sqlite(c) for c in columns], lambda n, c: (
                f"select {n} as facet, {escape_sqlite(c)} as value, count(*) as count from facet_rows_ "
                f"where {escape_sqlite(c)} is not null group by {escape_sqlite(c)}"))
        except sqlite3.OperationalError:
            return await super().count_live()

    async def facet_entry(self, column: str, source: str, rows: list, facet_size: int) -> dict[str, Any]:
        """What Datasette 0.65's ColumnFacet makes of its rows (datasette/facets.py)."""
        qs_pairs = self.get_querystring_pairs()
        values: list[dict[str, Any]] = []
        entry = {"name": column, "type": self.type, "hideable": source != "metadata",
                 "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {"_facet": column})),
                 "results": values, "truncated": len(rows) > facet_size}
        rows = rows[:facet_size]
        expanded = await self.ds.expand_foreign_keys(self.database, self.table, column, [r["value"] for r in rows])
        column_qs = f"{column}__exact" if column.startswith("_") else column
        for row in rows:
            selected = (column_qs, str(row["value"])) in qs_pairs
            toggle = (path_with_removed_args(self.request, {column_qs: str(row["value"])}) if selected
                      else path_with_added_args(self.request, {column_qs: row["value"]}))
            values.append({"value": row["value"], "label": expanded.get((column, row["value"]), row["value"]),
                           "count": row["count"], "toggle_url": self.ds.absolute_url(self.request, self.ds.urls.path(toggle)),
                           "selected": selected})
        return entry


class ArrayFacetByKey(ArrayFacet):
    """Datasette 0.65's array facet, counting rows by their primary key.

    Datasette counts the rows holding each array value with `select distinct j.value, inner.*`: a sort
    of every array item with a copy of its whole row (all 30 columns of an incident). On the 43,134
    incidents of a 100,000-article build that took 200-300 ms for `outlets`, so the facet ran into
    facet_time_limit_ms (200 ms) and was dropped from the table page after costing its time. Counting
    distinct primary keys per value gives the same counts (each row once per value it holds, duplicates
    in one array counted once) in about 55 ms. Views, and tables with a compound key, have no single
    key to count and keep Datasette's query. (Datasette pull request #2008 discusses the same query.)"""

    async def _row_key(self) -> str | None:
        if not self.table:
            return None
        db = self.ds.get_database(self.database)
        if not await db.table_exists(self.table):  # a view
            return None
        pks = await db.primary_keys(self.table)
        if len(pks) > 1:
            return None
        return pks[0] if pks else "rowid"  # the table page always selects its key (or rowid)

    async def facet_results(self):
        key = await self._row_key()
        if key is None:
            return await super().facet_results()
        configs = self.get_configs()
        columns = list(dict.fromkeys(configured_column(c) for c in configs))
        if len(columns) > 1:
            try:
                return await self.count_together(key, configs, columns)
            except sqlite3.OperationalError:
                pass  # e.g. an SQLite without MATERIALIZED: one query a facet, below
        facet_results: list[dict[str, Any]] = []
        facets_timed_out: list[str] = []
        facet_size = self.get_facet_size()
        for source_and_config in configs:
            column = configured_column(source_and_config)
            facet_sql = f"""
                with inner as ({self.sql})
                select j.value as value, count(distinct inner.{escape_sqlite(key)}) as count
                from inner join json_each(inner.{escape_sqlite(column)}) j
                group by j.value
                order by count desc, value limit {facet_size + 1}"""
            try:
                rows = await self.ds.execute(self.database, facet_sql, self.params, truncate=False,
                                             custom_time_limit=self.ds.setting("facet_time_limit_ms"))
            except QueryInterrupted:
                facets_timed_out.append(column)
                continue
            facet_results.append(await self.facet_entry(column, source_and_config["source"], rows.rows, facet_size))
        return facet_results, facets_timed_out

    async def count_together(self, key: str, configs: list[dict[str, Any]],
                             columns: list[str]) -> tuple[list[dict[str, Any]], list[str]]:
        """Every array facet of the page in one query, its rows read once (as CountedColumnFacet does)."""
        k = escape_sqlite(key)
        return await count_in_one_query(self, configs, columns, [k, *(escape_sqlite(c) for c in columns)], lambda n, c: (
            f"select {n} as facet, j.value as value, count(distinct facet_rows_.{k}) as count "
            f"from facet_rows_ join json_each(facet_rows_.{escape_sqlite(c)}) j group by j.value"))

    async def facet_entry(self, column: str, source: str, rows: list, facet_size: int) -> dict[str, Any]:
        """What Datasette 0.65's ArrayFacet makes of its rows (datasette/facets.py)."""
        pairs = self.get_querystring_pairs()
        values: list[dict[str, Any]] = []
        entry = {"name": column, "type": self.type, "results": values, "hideable": source != "metadata",
                 "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {"_facet_array": column})),
                 "truncated": len(rows) > facet_size}
        for row in rows[:facet_size]:
            value = str(row["value"])
            selected = (f"{column}__arraycontains", value) in pairs
            toggle = (path_with_removed_args if selected else path_with_added_args)(
                self.request, {f"{column}__arraycontains": value})
            values.append({"value": value, "label": value, "count": row["count"],
                           "toggle_url": self.ds.absolute_url(self.request, toggle), "selected": selected})
        return entry


class CountedArrayFacet(CountedFacets, ArrayFacetByKey):
    pass


@hookimpl(hookwrapper=True)
def register_facet_classes():
    """Put the classes above in the place of Datasette's own column and array facets (same types)."""
    outcome = yield
    ours = {ColumnFacet: CountedColumnFacet, ArrayFacet: CountedArrayFacet}
    outcome.force_result([[ours.get(cls, cls) for cls in classes] for classes in outcome.get_result()])
