"""Analyst corrections: a versionable YAML list of decisions applied on every build.

    - must_link: [m02337d230d3f0a6, m93089a20e210d60]   # these reports are one incident
      note: same drone attack, confirmed by the coalition
      by: A. Analyst
    - cannot_link: [f41026017e8ed1e9, 01b91021c04d3c4f]  # article ids: their lead reports differ
    - split_out: m1234567890abcd                        # this report is an incident of its own

Ids are mention ids or article ids. For must_link and cannot_link an article id
stands for the article's lead mention (order 0); for split_out, for every
mention of the article. Ids are read as written (never as YAML numbers), so an
all-digit article id needs no quotes.

`resolve_decisions` turns the decisions into clustering `Constraints` and
returns, with a reason, every decision it could not apply:
  * stale: an id matches no mention or article of this build (or an article
    with no mentions) — the inputs changed since the decision was written;
  * conflict: a must_link that would put together reports that a cannot_link or
    split_out keeps apart (keeping apart wins), or a decision whose ids all name
    one report.
Nothing is ignored silently: the pipeline warns and stores every decision.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import yaml

from .clustering import Constraints
from .models import Article, Mention

KINDS = ("must_link", "cannot_link", "split_out")
FIELDS = (*KINDS, "note", "by")


class DecisionWarning(UserWarning):
    """A decision that was read but could not be applied (stale or conflicting)."""


@dataclass(frozen=True)
class Decision:
    kind: str  # must_link | cannot_link | split_out
    ids: tuple[str, ...]  # mention or article ids, as written
    note: str | None = None
    by: str | None = None
    line: int | None = None  # 1-based line of the entry in its file


@dataclass(frozen=True)
class StaleDecision:
    """A decision that was not applied, why, and whether it is 'stale' or a 'conflict'."""

    decision: Decision
    reason: str
    status: str = "stale"


def load_decisions(path: str | Path) -> list[Decision]:
    """Read a decisions file; raise ValueError naming the entry and line on any malformed entry."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: cannot read decisions file: {exc}") from exc
    return parse_decisions(text, str(path))


def parse_decisions(text: str, name: str = "<decisions>") -> list[Decision]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise ValueError(f"{name}: not valid YAML: {exc}") from exc
    if root is None or (isinstance(root, yaml.ScalarNode) and root.tag.endswith(":null")):
        return []
    if not isinstance(root, yaml.SequenceNode):
        raise ValueError(f"{name}:{_line(root)}: expected a list of decisions "
                         f"('- must_link: [...]', '- cannot_link: [...]', '- split_out: ...')")
    return [_entry(node, n, name) for n, node in enumerate(root.value, start=1)]


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _entry(node: yaml.Node, n: int, name: str) -> Decision:
    where = f"{name}:{_line(node)}: decision {n}"
    if not isinstance(node, yaml.MappingNode):
        raise ValueError(f"{where}: expected a mapping with one of {', '.join(KINDS)}")
    fields: dict[str, yaml.Node] = {}
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            raise ValueError(f"{where}: keys must be plain words ({', '.join(FIELDS)})")
        if key.value not in FIELDS:
            raise ValueError(f"{where}: unknown key {key.value!r} (expected {', '.join(FIELDS)})")
        if key.value in fields:
            raise ValueError(f"{where}: {key.value!r} given twice")
        fields[key.value] = value
    kinds = [k for k in KINDS if k in fields]
    if len(kinds) != 1:
        found = f"both {' and '.join(kinds)}" if kinds else "none"
        raise ValueError(f"{where}: needs exactly one of {', '.join(KINDS)} ({found} given)")
    kind = kinds[0]
    ids = _ids(fields[kind], f"{where} ({kind})")
    least = 1 if kind == "split_out" else 2
    if len(ids) < least:
        raise ValueError(f"{where} ({kind}): needs at least {least} id{'s' if least > 1 else ''}, got {len(ids)}")
    note, by = (_text(fields.get(k), f"{where} ({k})") for k in ("note", "by"))
    return Decision(kind, ids, note, by, _line(node))


def _ids(node: yaml.Node, where: str) -> tuple[str, ...]:
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    ids = []
    for item in items:
        value = item.value.strip() if isinstance(item, yaml.ScalarNode) else ""
        if not value or item.tag.endswith(":null"):
            raise ValueError(f"{where}: expected a mention or article id or a list of them, line {_line(item)}")
        ids.append(value)
    return tuple(ids)


def _text(node: yaml.Node | None, where: str) -> str | None:
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")):
        return None
    if not isinstance(node, yaml.ScalarNode):
        raise ValueError(f"{where}: expected text")
    return node.value


def resolve_decisions(decisions: Iterable[Decision], mentions: Iterable[Mention],
                      articles: Iterable[Article]) -> tuple[Constraints, list[StaleDecision]]:
    """Clustering constraints from the decisions that apply to these mentions and
    articles, and every decision that does not, with the reason."""
    decisions = list(decisions)
    by_article: dict[str, list[Mention]] = defaultdict(list)
    mention_ids = set()
    for m in mentions:
        mention_ids.add(m.id)
        by_article[m.article_id].append(m)
    for ms in by_article.values():
        ms.sort(key=lambda m: (m.order, m.start, m.id))
    article_ids = {a.id for a in articles}

    def lookup(i: str, kind: str) -> list[str] | str:
        """The mention ids an id stands for, or why it stands for none."""
        if i in mention_ids:
            return [i]
        if i in by_article:
            return [m.id for m in by_article[i]] if kind == "split_out" else [by_article[i][0].id]
        if i in article_ids:
            return f"article {i} has no incident mentions"
        return f"{i} is no mention or article id of this build"

    rejected: list[StaleDecision] = []
    resolved: list[tuple[Decision, list[str]]] = []
    for d in decisions:
        found = [lookup(i, d.kind) for i in d.ids]
        missing = [r for r in found if isinstance(r, str)]
        if missing:
            rejected.append(StaleDecision(d, "; ".join(missing), "stale"))
            continue
        ids = sorted({m for r in found for m in r})
        if d.kind != "split_out" and len(ids) < 2:
            rejected.append(StaleDecision(d, f"all its ids name one report ({ids[0]})", "conflict"))
            continue
        resolved.append((d, ids))

    # Keeping apart wins: cannot_link and split_out always apply, a must_link only
    # if it joins no two reports they separate (checked in file order).
    cannot = {pair for d, ids in resolved if d.kind == "cannot_link" for pair in combinations(ids, 2)}
    split = {m for d, ids in resolved if d.kind == "split_out" for m in ids}
    cannot_line = {}
    for d, ids in resolved:
        if d.kind == "cannot_link":
            for pair in combinations(ids, 2):
                cannot_line.setdefault(pair, d.line)
    group: dict[str, set[str]] = {}
    must: list[tuple[str, str]] = []
    for d, ids in resolved:
        if d.kind != "must_link":
            continue
        alone = [m for m in ids if m in split]
        if alone:
            rejected.append(StaleDecision(d, f"{alone[0]} is split out", "conflict"))
            continue
        joined = set().union(*(group.get(m, {m}) for m in ids))
        clash = sorted(p for p in combinations(sorted(joined), 2) if p in cannot)
        if clash:
            x, y = clash[0]
            line = f" (line {cannot_line[clash[0]]})" if cannot_line.get(clash[0]) else ""
            rejected.append(StaleDecision(d, f"would join {x} and {y}, which a cannot_link{line} keeps apart",
                                          "conflict"))
            continue
        for m in joined:
            group[m] = joined
        must.extend(combinations(ids, 2))
    position = {id(d): n for n, d in enumerate(decisions)}
    rejected.sort(key=lambda s: position[id(s.decision)])
    return Constraints.of(must, cannot, split), rejected


def describe(d: Decision) -> str:
    """'must_link [a, b]' for messages."""
    return f"{d.kind} [{', '.join(d.ids)}]"
