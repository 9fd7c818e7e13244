"""A roundup's own incident: an article that sums up several shootings ('15 wounded in
shootings citywide') usually goes on to tell one of them first ('four men were shot in the
6700 block of South Winchester'), the one it is filed under. Its headline and summary give
the total of all of them; the sentences that sum nothing up give that incident's wounded."""

from __future__ import annotations

from .casualties import read_lead_toll
from .text import Sentence
from .vocabulary import Vocabulary


def read_featured_injured(sentences: list[Sentence], vocab: Vocabulary, opening: int = 5) -> int | None:
    """The wounded of the incident a roundup tells first, from its first `opening` sentences
    that sum nothing up; None unless more than one (a roundup's share of one is already
    assumed, and one victim's story is often all an opening tells)."""
    own = [s.text for s in sentences if not vocab.roundup.find(s.text)][:opening]
    injured = read_lead_toll("", "\n".join(own), vocab)[1]
    return injured if injured is not None and injured > 1 else None


def featured_injured(values: list[int | None]) -> int | None:
    """Of the roundups' featured-incident readings, the most reported (ties to the higher)."""
    found = [v for v in values if v is not None]
    return max(found, key=lambda v: (found.count(v), v)) if found else None
