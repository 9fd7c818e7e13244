"""A roundup's own incident: an article that sums up several shootings ('15 wounded in
shootings citywide') usually goes on to tell one of them first ('four men were shot in the
6700 block of South Winchester'), the one it is filed under. Its headline and summary give
the total of all of them; the sentences that sum nothing up give that incident's wounded."""

from __future__ import annotations

from .casualties import read_lead_toll
from .text import Sentence
from .vocabulary import Vocabulary


def read_featured_toll(sentences: list[Sentence], vocab: Vocabulary, opening: int = 5) -> tuple[int, int] | None:
    """(killed, injured) of the incident a roundup tells first, from its first `opening`
    sentences that sum nothing up; None unless more than one was wounded (a roundup's share
    of one is already assumed, and one victim's story is often all an opening tells). Its dead
    are those sentences' dead, none when they tell none: the roundup's dead are elsewhere."""
    own = [s.text for s in sentences if not vocab.roundup.find(s.text)][:opening]
    killed, injured = read_lead_toll("", "\n".join(own), vocab)
    return (killed or 0, injured) if injured is not None and injured > 1 else None


def featured_toll(values: list[list[int] | tuple[int, int] | None]) -> tuple[int, int] | None:
    """Of the roundups' featured-incident tolls, the most reported (ties to the higher)."""
    found = [(int(v[0]), int(v[1])) for v in values if v]
    return max(found, key=lambda v: (found.count(v), v[1], v[0])) if found else None
