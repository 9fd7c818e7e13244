"""Places an article states outside its body text: the headline.

A headline names where it happened more often than any sentence ('4 hurt in shooting
in Sacramento'), and often ends with the outlet's own name and city ('... - KXYZ News -
Memphis, Tennessee'). The headline proper is read for the incident's place; the
outlet's part only as context, since a station reports on its whole region.
"""

from __future__ import annotations

import re

from dedupe.models import PlaceHit
from dedupe.places import Gazetteer

# ' - ', ' | ', ' — ' separate a headline from the outlet's name appended to it.
_OUTLET_SEP = re.compile(r"\s+[|\-–—]\s+|\s*\|\s*")
# Kinds that say where an incident happened finely enough to stand for it.
_LOCAL = ("site", "city", "county")


def headline_of(title: str) -> str:
    """The headline without the outlet's name and city appended after a separator."""
    return _OUTLET_SEP.split(title, maxsplit=1)[0]


def find_headline_place(title: str | None, text: str, gazetteer: Gazetteer) -> PlaceHit | None:
    """The most specific local place the headline names, read in the light of the
    whole title and the article text; None when it names none."""
    if not title:
        return None
    head = headline_of(title)
    hits = [h for h in gazetteer.find_places(head, context=f"{title}\n{text}") if h.place.kind in _LOCAL]
    if not hits:
        return None
    return min(hits, key=lambda h: (_LOCAL.index(h.place.kind), h.start))
