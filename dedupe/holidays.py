"""Holidays that news names instead of dates ('on Christmas Eve', 'early Easter Sunday', 'over the
Labor Day weekend'), read from data/holidays.yml: the phrases, and the day each names in a year.

date_phrases finds the phrases; dates resolves one, like a weekday, to its latest occurrence
begun by the publication date. Easter comes from dateutil (a dependency of dateparser already).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from dateutil.easter import easter

from .date_intervals import WEEKDAYS

HOLIDAYS_PATH = Path(__file__).resolve().parent / "data" / "holidays.yml"
DEFAULT_WEEKEND = (-3, 3)

# A day rule of the file, hashable for the resolver's cache:
# ('fixed', month, day) | ('nth', month, weekday, n, shift) | ('easter', offset)
DayRule = tuple


class Holiday(NamedTuple):
    """One entry of the file: its day rule, whether its name alone is a date, its weekend's span."""

    rule: DayRule
    bare: bool
    weekend: tuple[int, int]


def _read_rule(date: dict[str, Any], where: str) -> DayRule:
    if "easter" in date:
        return ("easter", int(date["easter"]))
    month = int(date["month"])
    if "day" in date:
        return ("fixed", month, int(date["day"]))
    names = [w.lower() for w in WEEKDAYS]
    weekday = str(date.get("weekday", "")).lower()
    if weekday not in names or int(date.get("nth", 0)) not in (-1, 1, 2, 3, 4, 5):
        raise ValueError(f"{where}: a weekday rule needs weekday (Monday..Sunday) and nth (1-5 or -1)")
    return ("nth", month, names.index(weekday), int(date["nth"]), int(date.get("shift", 0)))


@functools.cache
def load_holidays(path: Path = HOLIDAYS_PATH) -> dict[str, Holiday]:
    """Each name as the file spells it -> its holiday."""
    with open(path, encoding="utf-8") as f:
        raw = yaml.safe_load(f) or {}
    out: dict[str, Holiday] = {}
    for n, entry in enumerate(raw.get("holidays") or []):
        where = f"{path.name}: holiday {n + 1}"
        if not isinstance(entry, dict) or not entry.get("names") or not isinstance(entry.get("date"), dict):
            raise ValueError(f"{where}: needs names and date")
        first, last = (int(x) for x in entry.get("weekend", DEFAULT_WEEKEND))
        holiday = Holiday(_read_rule(entry["date"], where), bool(entry.get("bare", True)), (first, last))
        for name in entry["names"]:
            out[str(name)] = holiday
    return out


def fold_holiday(name: str) -> str:
    """'New Year’s Eve', "new years eve" and 'NEW YEAR'S  EVE' are one name."""
    return re.sub(r"\s+", " ", re.sub(r"['’.]", "", name)).strip().lower()


@functools.cache
def holidays_by_fold(path: Path = HOLIDAYS_PATH) -> dict[str, Holiday]:
    """fold_holiday(name) -> its holiday."""
    return {fold_holiday(n): h for n, h in load_holidays(path).items()}


def holiday_names_pattern(path: Path = HOLIDAYS_PATH) -> str:
    """An alternation of the file's names, longest first, apostrophes and dots optional."""
    def one(name: str) -> str:
        out = []
        for ch in name:
            out.append("['’]?" if ch in "'’" else r"\.?" if ch == "." else r"\s+" if ch == " " else re.escape(ch))
        return "".join(out)

    return "|".join(one(n) for n in sorted(load_holidays(path), key=len, reverse=True))


def holiday_words(path: Path = HOLIDAYS_PATH) -> tuple[str, ...]:
    """Lower-case words one of which every name holds ('day', else the name's longest word): the
    date patterns run on a sentence only when it holds a word its pattern needs."""
    words = set()
    for name in load_holidays(path):
        parts = re.findall(r"[a-z]+", name.lower())  # "new year's eve": 'year', never "years"
        words.add("day" if "day" in parts or any(p.endswith("day") for p in parts) else max(parts, key=len))
    return tuple(sorted(words))


def holiday_day(rule: DayRule, year: int) -> dt.date:
    """The day the rule names in `year`."""
    if rule[0] == "fixed":
        return dt.date(year, rule[1], rule[2])
    if rule[0] == "easter":
        return easter(year) + dt.timedelta(days=rule[1])
    _, month, weekday, nth, shift = rule
    if nth > 0:
        first = dt.date(year, month, 1)
        day = first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    else:
        last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1))
        day = last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    return day + dt.timedelta(days=shift)
