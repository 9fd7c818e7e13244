"""An explanation put into words: the decision's reason, and the text `python -m dedupe.explain` prints.

Explainer (dedupe.explain) gathers the facts of a pair as a dict, the one `--json` prints; the words
are made here from that dict alone ('merged although the pair itself scores -2.1 (below the link
threshold 3)...', 'cannot-link: date is ...'), so the text and the JSON always tell the same scores
and decision.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any


def describe_decision(out: dict[str, Any]) -> str:
    """Why the pair ended as it did, in one sentence with the scores and the threshold behind it."""
    score, threshold = out["score"], out["link_threshold"]
    if out["decision"] == "cannot-link":
        h = out["hard_conflict"]
        return (f"cannot-link: {h['comparison']} is {h['level']!r} (weight {h['weight']:+g}, a hard level), so "
                "no incident may hold both reports whatever the other comparisons say")
    if out["decision"].endswith("(analyst)"):
        kind = "keeps them apart" if out["decision"].startswith("cannot") else "puts them in one incident"
        return (f"{out['decision']}: an analyst decision (decisions.yml) {kind}, whatever the pair scores "
                f"({score:+g} against the link threshold {threshold:g})")
    if out["decision"] == "merged":
        inc = out["a"]["incident"]["id"]
        if out["clears_threshold"]:
            return f"merged: the pair scores {score:+g}, at least the link threshold {threshold:g}; both are in {inc}"
        j = out["joined_through"]
        return (f"merged although the pair itself scores {score:+g} (below the link threshold {threshold:g}): "
                f"they were joined through the incident's {j['other_reports']} other report(s): clusters "
                "merge when the average score across them (each pair of articles once, by its lead reports) clears the threshold")
    text = (f"kept apart: the pair scores {score:+g}, below the link threshold {threshold:g}"
            if not out["clears_threshold"] else
            f"kept apart although the pair scores {score:+g} (at least the link threshold {threshold:g})")
    across = out["across_incidents"]
    if across and across.get("average") is not None:
        text += (f"; across their two incidents ({across['sizes'][0]} x {across['sizes'][1]} reports) the "
                 f"{across['pairs']} pairs average {across['average']:+g} (each pair of articles once, by its lead reports)")
        if across["cannot_links"]:
            c = across["cannot_links"][0]
            k = len(across["cannot_links"])
            text += (f" and {k} of them {'is a cannot-link' if k == 1 else 'are cannot-links'} (e.g. "
                     f"{c['left']} / {c['right']}: {c['comparison']} {c['level']}), so the incidents cannot merge")
        elif across["average"] < threshold:
            text += ", below the threshold, so average linkage keeps the incidents apart"
        elif not across.get("dates_overlap", True):
            text += (", but the dates of their reports taken together leave no day both incidents could be on, "
                     "so they cannot merge")
        else:
            text += (", which clears the threshold now; the clustering merges strongest pairs first and "
                     "judged the incidents as they stood then")
    return text


def label_date(row: Mapping[str, Any]) -> str | None:
    """A stored report's date as one short label ('2021-06-05..2021-06-06 (Saturday)'), None if undated."""
    lo, hi, wd = row.get("date_earliest"), row.get("date_latest"), row.get("weekday")
    if lo and hi:
        label = lo if lo == hi else f"{lo}..{hi}"
    elif lo or hi:
        label = f"{lo or '?'}..{hi or '?'}"
    else:
        label = None
    if wd:
        label = f"{label} ({wd})" if label else wd
    return label


def shorten_text(text: str, n: int) -> str:
    """`text` on one line, cut to `n` characters with an ellipsis so a listing stays one row a report."""
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def format_explanation(e: dict[str, Any], width: int = 100) -> str:
    lines: list[str] = []
    for key in ("a", "b"):
        s = e[key]
        how = {"mention": "", "article": f" (lead report of article {s['asked']})",
               "doc_id": f" (lead report of doc_id {s['asked']})"}[s["resolved_from"]]
        lines.append(f"{key.upper()}  {s['mention_id']}{how}")
        meta = " | ".join(x for x in (s["outlet"] or "no outlet", s["published"] or "undated") if x)
        lines.append(f"   article {s['article_id']}: {shorten_text(s['article_title'] or '(no title)', width - 30)}  [{meta}]")
        lines += textwrap.wrap(f"“{' '.join(s['sentence'].split())}”", width, initial_indent="   ",
                               subsequent_indent="    ")
        f = s["fields"]
        facts = [f["event_type"], f["weapon"] and (f"{f['quantity']} x {f['weapon']}" if f["quantity"] else f["weapon"]),
                 f["place"], f["date"], f["outcome"],
                 f["killed"] is not None and f"{f['killed']} killed", f["injured"] is not None and f"{f['injured']} injured"]
        lines.append("   read as: " + ", ".join(str(x) for x in facts if x))
        inc = s["incident"]
        lines.append(f"   incident: {inc['id']}  {inc.get('title') or ''}" if inc else "   incident: none")
        lines.append("")
    lines.append(f"Comparisons ({e['evidence_note']}):")
    lines.append(f"   {'comparison':<16}{'level':<22}{'weight':>8}")
    lines.append(f"   {'prior':<16}{'':<22}{e['prior']:>+8.2f}")
    for c in e["components"]:
        flag = "  <- hard conflict" if e["hard_conflict"] and c["comparison"] == e["hard_conflict"]["comparison"] else ""
        weight = f"{c['weight']:+8.2f}" if isinstance(c["weight"], (int, float)) else f"{'?':>8}"
        lines.append(f"   {c['comparison']:<16}{str(c['level']):<22}{weight}{flag}")
    verdict = ("clears it" if e["clears_threshold"] else
               "ruled out by a hard level" if e["hard_conflict"] else "below it")
    lines.append(f"   {'total':<38}{e['score']:>+8.2f}   (link threshold {e['link_threshold']:g}: {verdict}; "
                 f"probability {e['probability']:.3f})")
    lines.append("")
    lines += textwrap.wrap(f"Decision: {e['reason']}", width, subsequent_indent="   ")
    ia, ib = e["a"]["incident"], e["b"]["incident"]
    if e["same_incident"]:
        lines.append(f"Same incident: yes ({ia['id']}, {ia.get('article_count')} article(s))")
    else:
        lines.append(f"Same incident: no ({ia['id'] if ia else 'none'} / {ib['id'] if ib else 'none'})")
    for d in e.get("analyst_decisions") or []:
        extra = "; ".join(x for x in (d["note"], d["by"] and f"by {d['by']}", d["status"] != "applied"
                                      and f"{d['status']}: {d['reason']}") if x)
        lines.append(f"Analyst decision (line {d['line']}): {d['kind']} {', '.join(d['ids'])}"
                     + (f" ({extra})" if extra else ""))
    j = e["joined_through"]
    if j:
        lines.append(f"Joined through {j['other_reports']} other report(s) of {j['incident_id']} "
                     "(score with A / with B):")
        for r in j["listed"]:
            lines.append(f"   {r['mention_id']}  {r['score_with_a']:+6.1f} / {r['score_with_b']:+6.1f}  "
                         f"[{r['outlet'] or 'no outlet'} | {r['published'] or 'undated'}]  {shorten_text(r['sentence'], 60)}")
        if j["other_reports"] > len(j["listed"]):
            lines.append(f"   … and {j['other_reports'] - len(j['listed'])} more")
    return "\n".join(lines)
