"""Fit the comparison weights from labelled corpora.

    python -m dedupe.fitting TRAIN.jsonl [TRAIN.jsonl ...] [--out dedupe/data/comparisons.yml]

Supervised Splink-style estimation: build each corpus, take every blocked
pair of two articles' lead reports, label it by the gold `incident_id`, and
for each comparison level estimate m = P(level | same incident) and
u = P(level | different incidents); the level's weight is log2(m / u). Levels
seen rarely are shrunk towards the level's `start` weight (it acts as the
prior), so a corpus where every report names a gun does not erase what the
file says about two different weapons. A level without `start` takes its
weight in the file as its start, and the fit writes it down beside the new
weight: refitting on the same corpora gives the same weights again. The
prior is the log-odds of a match among blocked pairs, and the link threshold
is the one that maximises mean B-cubed F1 over the corpora. Hard levels stay
hard.

The file is rewritten in place of its weights only, keeping its comments.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import click

from .blocking import candidate_pairs
from .cluster_scores import bcubed_scores
from .clustering import cluster_mentions
from .comparisons import LEVEL_FUNCTIONS, Level, Model, load_model
from .evaluate import load_gold
from .matching import calibrate_prior, score_pair, weigh_documents
from .models import Mention
from .pipeline import PipelineResult, run_pipeline

# Comparisons that article-level labels cannot teach (within-article pairs
# have their own base score, within_article_margin). `crowd`: the labelled
# corpora are sparse, their few crowded reports mostly one big incident's.
NOT_FITTED: set[str] = {"crowd"}
SHRINK = 30.0  # pseudo-observations behind the hand-set weight
CLIP = 10.0


@dataclass
class Corpus:
    path: Path
    gold: dict[str, str]
    result: PipelineResult


def labelled_pairs(corpus: Corpus, model: Model) -> list[tuple[Mention, Mention, bool]]:
    leads = [m for m in corpus.result.mentions if m.order == 0]
    doc = {a.id: str(a.doc_id) for a in corpus.result.articles}
    weigh_documents(corpus.result.mentions)
    out = []
    for i, j in candidate_pairs(leads, model.blocking):
        a, b = leads[i], leads[j]
        ga, gb = corpus.gold.get(doc[a.article_id]), corpus.gold.get(doc[b.article_id])
        if ga is not None and gb is not None and a.article_id != b.article_id:
            out.append((a, b, ga == gb))
    return out


def fit_weights(per_corpus: list[list[tuple[Mention, Mention, bool]]], model: Model) -> dict[str, dict[str, float]]:
    """New weight per comparison level. m and u are estimated per corpus and
    averaged, so each corpus has an equal voice: a corpus without dates (all
    'unknown') then leaves the date weights learned elsewhere alone instead of
    swamping them with its own pair counts."""
    fitted: dict[str, dict[str, float]] = {}
    for name, levels in model.comparisons.items():
        if name in NOT_FITTED:
            continue
        k = len(levels)
        m_avg: Counter = Counter()
        u_avg: Counter = Counter()
        seen: Counter = Counter()
        for pairs in per_corpus:
            matches = sum(1 for *_, same in pairs if same)
            others = len(pairs) - matches
            m_counts: Counter = Counter()
            u_counts: Counter = Counter()
            for a, b, same in pairs:
                (m_counts if same else u_counts)[LEVEL_FUNCTIONS[name](a, b, levels)] += 1
            for lv in levels:
                m_avg[lv.level] += (m_counts[lv.level] + 1) / (matches + k) / len(per_corpus)
                u_avg[lv.level] += (u_counts[lv.level] + 1) / (others + k) / len(per_corpus)
                seen[lv.level] += min(m_counts[lv.level], u_counts[lv.level]) + min(
                    m_counts[lv.level] + u_counts[lv.level], 10)
        fitted[name] = {}
        for lv in levels:
            raw = max(-CLIP, min(CLIP, math.log2(m_avg[lv.level] / u_avg[lv.level])))
            n = seen[lv.level]  # evidence behind this level's ratio
            fitted[name][lv.level] = round((n * raw + SHRINK * start_of(lv)) / (n + SHRINK), 2)
    return fitted


def start_of(level: Level) -> float:
    """The weight the fitter shrinks `level` towards."""
    return level.weight if level.start is None else level.start


def apply_weights(model: Model, fitted: dict[str, dict[str, float]], prior: float, threshold: float) -> Model:
    comparisons = {name: [type(lv)(lv.level, fitted.get(name, {}).get(lv.level, lv.weight), lv.hard, lv.min,
                                   lv.max_days, start_of(lv) if lv.level in fitted.get(name, {}) else lv.start)
                          for lv in levels]
                   for name, levels in model.comparisons.items()}
    return dataclasses.replace(model, prior=prior, link_threshold=threshold, comparisons=comparisons)


def bcubed_at(corpora: list[Corpus], model: Model, threshold: float) -> float:
    scores = []
    for c in corpora:
        mentions = c.result.mentions
        pairs = [score_pair(mentions[i], mentions[j], model)
                 for i, j in candidate_pairs(mentions, model.blocking)]
        calibrated, pairs = calibrate_prior(pairs, mentions, model)
        clusters = cluster_mentions(mentions, pairs, threshold, functools.partial(score_pair, model=calibrated))
        cluster_of = {mid: n for n, cl in enumerate(clusters) for mid in cl}
        doc = {a.id: str(a.doc_id) for a in c.result.articles}
        pred = {doc[m.article_id]: str(cluster_of[m.id]) for m in mentions if m.order == 0}
        scores.append(bcubed_scores(c.gold, pred)[2])
    return sum(scores) / len(scores)


def rewrite_file(path: Path, fitted: dict[str, dict[str, float]], prior: float, threshold: float,
                 sources: list[str]) -> None:
    """Change only the numbers; comments and layout stay. A fitted level that
    has no `start` yet gets its old weight as its start."""
    lines = path.read_text(encoding="utf-8").splitlines()
    section = current = None
    out = []
    for line in lines:
        if re.match(r"^comparisons:", line):
            section = "comparisons"
        elif re.match(r"^\S", line):
            section = None
        if section == "comparisons" and (m := re.match(r"^  (\w+):", line)):
            current = m.group(1)
        m = re.search(r"level: (\w+)", line)
        if section == "comparisons" and m and current in fitted and m.group(1) in fitted[current]:
            old = re.search(r"weight: (-?[\d.]+)", line)
            start = "" if old is None or "start:" in line else f", start: {old.group(1)}"
            line = re.sub(r"weight: -?[\d.]+", f"weight: {fitted[current][m.group(1)]}{start}", line)
        line = re.sub(r"^prior: -?[\d.]+", f"prior: {prior}", line)
        line = re.sub(r"^link_threshold: -?[\d.]+", f"link_threshold: {threshold}", line)
        out.append(line)
    stamp = f"# Weights fitted by `python -m dedupe.fitting` on {dt.date.today().isoformat()} from: {', '.join(sources)}"
    out = [ln for ln in out if not ln.startswith("# Weights fitted by")]
    out.insert(0, stamp)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


@click.command()
@click.argument("corpora", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--comparisons", "source", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Comparisons file to start from (default: the bundled one).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the fitted file (default: overwrite the starting file).")
@click.option("--gold-key", default="incident_id", show_default=True, help="Field holding the gold incident label.")
def main(corpora: tuple[Path, ...], source: Path | None, out: Path | None, gold_key: str) -> None:
    """Fit comparison weights, prior and link threshold from labelled JSONL corpora."""
    model = load_model(source)
    loaded = [Corpus(p, load_gold(p, gold_key), run_pipeline([p])) for p in corpora]
    per_corpus = [labelled_pairs(c, model) for c in loaded]
    pairs = [pair for ps in per_corpus for pair in ps]
    matches = sum(1 for *_, same in pairs if same)
    if not matches or matches == len(pairs):
        raise click.ClickException("need both matching and non-matching labelled pairs to fit weights")
    fitted = fit_weights(per_corpus, model)
    # The prior: mean over corpora of the log-odds of a match among blocked pairs.
    prior = round(sum(math.log2((sum(s for *_, s in ps) + 1) / (len(ps) - sum(s for *_, s in ps) + 1))
                      for ps in per_corpus) / len(per_corpus), 2)
    trial = apply_weights(model, fitted, prior, model.link_threshold)
    grid = [x / 2 for x in range(-8, 17)]
    best = max(grid, key=lambda t: (round(bcubed_at(loaded, trial, t), 4), -abs(t)))
    click.echo(f"{len(pairs)} labelled pairs ({matches} same incident); prior {prior}; threshold {best}; "
               f"mean B-cubed F1 on these corpora {bcubed_at(loaded, trial, best):.3f}")
    for name, levels in fitted.items():
        click.echo(f"  {name}: " + ", ".join(f"{lv} {w:+.2f}" for lv, w in levels.items()))
    target = out or Path(model.source)
    if out and source is None:
        target.write_text(Path(model.source).read_text(encoding="utf-8"), encoding="utf-8")
    elif out:
        target.write_text(Path(source).read_text(encoding="utf-8"), encoding="utf-8")
    rewrite_file(target, fitted, prior, best, [str(p) for p in corpora])
    click.echo(f"wrote {target}")


if __name__ == "__main__":
    main()
