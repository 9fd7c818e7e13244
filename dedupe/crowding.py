"""How crowded a report's city and week are: the other articles that report something in the
same city within a few days of it (their lead reports).

One prior for a whole corpus cannot be right where density varies. In a sparse corpus two
reports of one city and week are nearly always one incident; in a dense stream (a big city,
a wire feed of every shooting) they are often different look-alike incidents, and the same
day, city and wording say much less. The `crowd` comparison of comparisons.yml turns the
count into a level, so a pair in a crowded city-week starts lower, in the open, as every
other rule does. Counted in one sort: linear in the mentions, whatever the corpus.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .blocking import UNDATED, sort_time
from .models import Mention
from .place_hierarchy import city_of


def count_crowds(mentions: list[Mention], days: float, others: Iterable[tuple[str, float, str]] = ()) -> None:
    """Set features['crowd'] of each mention: how many other articles' lead reports name its
    city and sit within `days` of it (blocking.sort_time: the incident's date when known to
    within two months, else the publication day). A mention without a city or a time gets 0:
    nothing says it competes with anyone. `others` are more lead reports, as (city id, time,
    article id), that are counted but not given a count: an update's stored reports outside
    its working set, so a report counts as it would in a full build."""
    cities: dict[str, int] = {}
    extra = list(others)
    city = np.array([cities.setdefault(c, len(cities)) if (c := _city(m)) is not None else -1 for m in mentions]
                    + [cities.setdefault(c, len(cities)) for c, _, _ in extra], dtype=np.int64)
    when = np.array([sort_time(m) for m in mentions] + [t for _, t, _ in extra], dtype=np.float64)
    lead = np.array([m.order == 0 for m in mentions] + [True] * len(extra), dtype=bool)
    known = (city >= 0) & (when < UNDATED)
    # One line of time per city: a city's reports sit 2 x UNDATED apart from the next city's.
    key = city * (2.0 * UNDATED) + when
    population = np.sort(key[lead & known])
    inside = (np.searchsorted(population, key + days, side="right")
              - np.searchsorted(population, key - days, side="left"))
    # The mention's own article is no competitor: its lead report is counted when in the window.
    numbers: dict[str, int] = {}
    article = np.array([numbers.setdefault(m.article_id, len(numbers)) for m in mentions]
                       + [numbers.setdefault(a, len(numbers)) for _, _, a in extra], dtype=np.int64)
    own_key = np.full(len(numbers), np.nan)
    own_key[article[lead & known]] = key[lead & known]
    own = np.abs(own_key[article] - key) <= days
    crowd = np.where(known, inside - own, 0)[: len(mentions)]
    for m, n in zip(mentions, crowd.tolist(), strict=True):
        m.features["crowd"] = n


def crowd_entry(m: Mention) -> tuple[str, float, str] | None:
    """A report's city, time and article as count_crowds counts them (the form of its
    `others`); None when it has no city or no time."""
    c = _city(m)
    t = sort_time(m)
    return (c, t, m.article_id) if c is not None and t < UNDATED else None


def _city(m: Mention) -> str | None:
    return city_of(m.place) if m.place is not None else None
