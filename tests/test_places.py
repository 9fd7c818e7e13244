"""Tests for dedupe.places: curated sites, world gazetteer, precision rules, relations."""

from __future__ import annotations

import pytest
import yaml

from dedupe.place_hierarchy import place_relation, places_compatible
from dedupe.places import DATA_DIR, KINDS, Gazetteer

ASAD = "site:ain-al-asad-air-base"
AIRPORT = "site:baghdad-international-airport"
BDSC = "site:baghdad-diplomatic-support-center"
EMBASSY = "site:us-embassy-baghdad"
BORDER = "site:iraq-syria-border"


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return Gazetteer.default()


def ids(g: Gazetteer, text: str, context: str | None = None) -> list[str]:
    return [h.place.id for h in g.find_places(text, context)]


def texts(g: Gazetteer, text: str, context: str | None = None) -> list[str]:
    return [h.text for h in g.find_places(text, context)]


# ── curated sites ────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "name",
    [
        "Ain al-Asad",
        "Ain al-Asad Air Base",
        "Ain Al Asad air base",
        "ain-al-asad airbase",
        "Al-Asad Airbase",
        "al-Asad air base",
        "Asad airbase",
        "Ain al Asad air bse",  # typo: fuzzy fallback on curated names
    ],
)
def test_asad_aliases_resolve(g: Gazetteer, name: str) -> None:
    assert g.resolve_place(name).id == ASAD


@pytest.mark.parametrize(
    ("sentence", "span", "pid"),
    [
        ("Drones were shot down above the Ain al-Asad airbase on Sunday.", "Ain al-Asad airbase", ASAD),
        ("The air defence at al-Asad Airbase intercepted them.", "al-Asad Airbase", ASAD),
        ("Three rockets hit Ain Al Asad air base in the west.", "Ain Al Asad air base", ASAD),
        ("A rocket was shot down above Baghdad airport.", "Baghdad airport", AIRPORT),
        ("The rocket impacted near the BDSC, he said.", "BDSC", BDSC),
        ("Rockets landed in Baghdad's Green Zone overnight.", "Baghdad's Green Zone", "site:green-zone"),
        ("The drones targeted a base in the western province of Anbar.", "western province of Anbar", "admin1:IQ.01"),
        ("Airstrikes hit militias on the Iraqi-Syrian border.", "Iraqi-Syrian border", BORDER),
        ("A drone flew over his embassy in Baghdad, Iraq.", "embassy in Baghdad", EMBASSY),
        ("Troops left Kandahar airfield and Bagram.", "Kandahar airfield", "site:kandahar-airfield"),
    ],
)
def test_curated_sites_found_in_sentences(g: Gazetteer, sentence: str, span: str, pid: str) -> None:
    hits = {h.text: h.place.id for h in g.find_places(sentence)}
    assert hits.get(span) == pid, hits


def test_multiword_site_beats_city(g: Gazetteer) -> None:
    assert ids(g, "A rocket hit Baghdad airport.") == [AIRPORT]
    assert texts(g, "He moved to Spanish Fork last year.") == ["Spanish Fork"]


def test_lowercase_does_not_match_case_sensitive_alias(g: Gazetteer) -> None:
    assert ids(g, "The city plans a green zone along the river.") == []
    assert ids(g, "Rockets hit the Green Zone.") == ["site:green-zone"]


def test_bdsc_hierarchy(g: Gazetteer) -> None:
    bdsc, airport = g.get(BDSC), g.get(AIRPORT)
    baghdad, iq = g.resolve_place("Baghdad"), g.get("country:IQ")
    assert baghdad.kind == "city" and baghdad.country == "IQ"
    assert bdsc.ancestors[0] == AIRPORT
    assert bdsc.ancestors.index(baghdad.id) < bdsc.ancestors.index("admin1:IQ.07") < bdsc.ancestors.index("country:IQ")
    assert place_relation(bdsc, airport) == "within"
    assert place_relation(bdsc, baghdad) == "within"
    assert place_relation(bdsc, iq) == "within"
    assert place_relation(baghdad, bdsc) == "contains"
    assert place_relation(bdsc, bdsc) == "same"
    assert places_compatible(bdsc, baghdad) and places_compatible(iq, bdsc)


def test_relations_between_siblings(g: Gazetteer) -> None:
    bdsc, embassy, asad = g.get(BDSC), g.get(EMBASSY), g.get(ASAD)
    assert place_relation(bdsc, embassy) == "same_city"
    assert not places_compatible(bdsc, embassy)
    assert place_relation(asad, bdsc) == "same_country"
    assert place_relation(asad, g.get("admin1:IQ.01")) == "within"
    kokomo, gary = g.resolve_place("Kokomo, Ind."), g.resolve_place("Gary, Ind.")
    assert place_relation(kokomo, gary) == "same_admin1"
    assert place_relation(kokomo, bdsc) == "different"
    border = g.get(BORDER)
    assert places_compatible(border, g.get("country:IQ")) and places_compatible(border, g.get("country:SY"))
    assert not places_compatible(border, g.get("country:IR"))


def test_context_aliases_need_the_city(g: Gazetteer) -> None:
    sentence = "The US embassy was targeted by a drone."
    assert ids(g, sentence) == []  # neither the embassy nor the country 'US'
    assert ids(g, sentence, "Rockets fell on Baghdad overnight. " + sentence) == [EMBASSY]
    assert ids(g, "The embassy was hit.", "A drone flew near Baghdad airport.") == [EMBASSY]
    assert ids(g, sentence, "Rockets fell on Kabul overnight.") == []
    assert g.resolve_place("American embassy") is None
    assert g.resolve_place("American embassy", "strikes in Baghdad").id == EMBASSY


# ── world gazetteer ──────────────────────────────────────────────────────────


def test_city_state_pattern(g: Gazetteer) -> None:
    p = g.resolve_place("Kokomo, Ind.")
    assert (p.name, p.kind, p.admin1, p.country) == ("Kokomo", "city", "Indiana", "US")
    assert p.id.startswith("geonames:") and p.ancestors[1:] == ("admin1:US.IN", "country:US")
    assert g.get(p.ancestors[0]).name == "Howard County"
    assert p.latitude == pytest.approx(40.49, abs=0.05) and p.longitude == pytest.approx(-86.13, abs=0.05)
    hits = g.find_places("A man from Ardmore, Okla. was shot in Rocky Mount, N.C., police said.")
    assert [(h.text, h.place.admin1) for h in hits] == [("Ardmore, Okla.", "Oklahoma"), ("Rocky Mount, N.C.", "North Carolina")]
    assert g.resolve_place("Spanish Fork, UT").admin1 == "Utah"
    assert g.resolve_place("Washington, D.C.").admin1 == "District of Columbia"


def test_pattern_beats_stoplist(g: Gazetteer) -> None:
    assert [h.place.admin1 for h in g.find_places("He was born in Marion, Ind., in 1990.")] == ["Indiana"]


def test_known_state_unknown_town(g: Gazetteer) -> None:
    hits = g.find_places("It happened in Zzyzxville, Calif., on Friday.")
    assert [(h.text, h.place.id) for h in hits] == [("Calif.", "admin1:US.CA")]


@pytest.mark.parametrize(
    ("text", "first", "pid_prefix", "admin1"),
    [
        ("KOKOMO, Ind. (June 15, 2014) — Kokomo police want to know more.", "KOKOMO, Ind.", "geonames:", "Indiana"),
        ("BAGHDAD (Dispatches) – The Iraqi army has said that two drones", "BAGHDAD", "geonames:", "Baghdad Governorate"),
        ("CINCINNATI (AP) — An Ohio prosecutor says he will", "CINCINNATI", "geonames:", "Ohio"),
        ("HENRY COUNTY, Ind. (WISH) — A man and his two kids were found dead.", "HENRY COUNTY, Ind.", "county:", "Indiana"),
        ("WILKES-BARRE, Pa. (AP) – State police say", "WILKES-BARRE, Pa.", "geonames:", "Pennsylvania"),
        ("OVERLAND, MO (KTVI) – The teen who shot himself", "OVERLAND, MO", "geonames:", "Missouri"),
    ],
)
def test_datelines(g: Gazetteer, text: str, first: str, pid_prefix: str, admin1: str) -> None:
    hit = g.find_places(text)[0]
    assert (hit.text, hit.place.admin1) == (first, admin1)
    assert hit.place.id.startswith(pid_prefix)


@pytest.mark.parametrize("dateline", ["LOWER EAST SIDE", "SOUTH SIDE", "UPTOWN", "DOWNTOWN"])
def test_a_part_of_any_city_is_no_town_even_as_a_dateline(g: Gazetteer, dateline: str) -> None:
    # 'East Side' is an alternate name of East Ridge, Tennessee, 'Uptown' a town in Illinois
    text = f"{dateline} — Police are looking for a man they say shot four people on Sunday."
    assert g.find_places(text, text) == []
    assert g.resolve_place(dateline) is None
    # ... while the town so named is still found with its state
    assert g.resolve_place("Westside, Iowa").admin1 == "Iowa"
    # ... and a city's business district is none of Canada's
    assert texts(g, "4 shot in Central Business District near Superdome") == []


def test_dateline_licenses_later_bare_mentions(g: Gazetteer) -> None:
    text = "KOKOMO, Ind. (June 15, 2014) — Kokomo police want to know more."
    kokomo = [h.place.id for h in g.find_places(text)]
    assert len(kokomo) == 2 and kokomo[0] == kokomo[1]


def test_us_counties(g: Gazetteer) -> None:
    assert g.resolve_place("HENRY COUNTY, Ind.").id == "county:US.18065"
    assert g.resolve_place("Henry County, Ind.").admin1 == "Indiana"
    assert ids(g, "Deputies in Johnston County responded.") == []  # NC or OK: ambiguous
    hits = g.find_places("Deputies in Johnston County responded.", "SMITHFIELD, N.C. — A man was shot.")
    assert [(h.text, h.place.kind, h.place.admin1) for h in hits] == [("Johnston County", "county", "North Carolina")]
    # the ambiguous county still hides the town 'Henry' inside it
    assert ids(g, "Three bodies were found in a home in Henry County Thursday.") == []


def test_an_ambiguous_county_hints_at_the_namesake_town_inside_it(g: Gazetteer) -> None:
    # 'Anderson County' is South Carolina's, Tennessee's, Texas's...: no state, but of the towns
    # called Anderson only South Carolina's lies in an Anderson County; without the county the
    # bigger Indiana town wins.
    art = "The Anderson County coroner identified the teenager. Her parents live in Anderson."
    assert [h.place.admin1 for h in g.find_places(art, art)] == ["South Carolina"]
    bare = "The man was shot at his home in Anderson on Friday."
    assert [h.place.admin1 for h in g.find_places(bare, bare)] == ["Indiana"]


def test_a_county_name_few_states_share_hints_at_their_towns(g: Gazetteer) -> None:
    # Only Texas and West Virginia have a Tyler County: 'a home in Ivanhoe' is then Texas's
    # Ivanhoe (a zip-code town whose county the registry gives as another), not California's
    # bigger one; without the county, a bigger one wins (Australia's, with nothing to say US).
    art = ("A man died at the Tyler County Hospital on Sunday after he was shot by accident, "
           "deputies said. Witnesses said the two men were outside a home in Ivanhoe.")
    assert [(h.text, h.place.admin1) for h in g.find_places(art, art)] == [("Ivanhoe", "Texas")]
    bare = "Witnesses said the two men were outside a home in Ivanhoe."
    assert [h.place.country for h in g.find_places(bare, bare)] == ["AU"]
    # a county name many states share ('Washington County') hints at none of them
    many = bare + " The Washington County sheriff said."
    assert "?admin1:US.TX" not in g._profile(many)
    assert [h.place.admin1 for h in g.find_places(many, many)] == ["California"]


def test_a_country_that_is_a_town_of_the_named_county_is_the_town(g: Gazetteer) -> None:
    # 'in Lebanon' under 'BOONE COUNTY, Ind.': Boone County's Lebanon, not the country; without
    # such a county, Lebanon is the country still
    art = "BOONE COUNTY, Ind. - A man died on Thursday in the yard of a home in Lebanon."
    assert [(h.text, h.place.kind, h.place.admin1) for h in g.find_places(art, art)][-1] == (
        "Lebanon", "city", "Indiana")
    world = "Troops in Lebanon clashed with militants, officials in Beirut said."
    assert [h.place.kind for h in g.find_places(world, world)] == ["country", "city"]


def test_town_qualified_by_its_county(g: Gazetteer) -> None:
    # the longer county name must not win over the town the dateline names within it
    snowville = g.resolve_place("SNOWVILLE, Box Elder County")
    assert (snowville.name, snowville.kind) == ("Snowville", "city")
    assert "county:US.49003" in snowville.ancestors
    assert g.resolve_place("Vigo County, Ind").id == "county:US.18167"


def test_an_abbreviated_town_keeps_its_state(g: Gazetteer) -> None:
    # 'Twp.' keeps its period before the comma: the state still qualifies the name, so Ontario's
    # Hamilton is not read; and of two states named, the last, the qualifier, says where
    hamilton = g.resolve_place("HAMILTON TWP., N.J.")
    assert (hamilton.country, hamilton.admin1) == ("US", "New Jersey")
    assert g.resolve_place("Aiken Co., S.C.").id == g.resolve_place("Aiken County, South Carolina").id
    assert g.resolve_place("TEXAS TOWNSHIP, Mich.").admin1 == "Michigan"


def test_a_phone_numbers_area_code_hints_at_the_state(g: Gazetteer) -> None:
    # Meridian, Idaho is the bigger town; the tip line's 601 is Mississippi's
    tip = "The girl was shot on Wednesday. Anyone with information should call Meridian police"
    assert [h.place.admin1 for h in g.find_places(tip + ".", tip + ".")] == ["Idaho"]
    called = tip + " at 601-485-1893."
    assert [h.place.admin1 for h in g.find_places(called, called)] == ["Mississippi"]
    toll_free = tip + " at (800) 485-1893."  # no state's
    assert [h.place.admin1 for h in g.find_places(toll_free, toll_free)] == ["Idaho"]


def test_ambiguous_city_uses_context_state(g: Gazetteer) -> None:
    s = "A shooting in Madisonville left two dead."
    assert [h.place.admin1 for h in g.find_places(s, "Texas authorities said. " + s)] == ["Texas"]
    assert [h.place.admin1 for h in g.find_places(s, "Kentucky State Police said. " + s)] == ["Kentucky"]
    # the article is about Ohio, which has no Madisonville: better nothing than Kentucky's
    assert ids(g, s, "CINCINNATI (AP) — Police said. " + s) == []
    assert [h.place.admin1 for h in g.find_places("Police said Chad Couture of Bristol was arraigned.", "a Connecticut man")] == [
        "Connecticut"
    ]


def test_countries_and_states(g: Gazetteer) -> None:
    assert texts(g, "Troops were withdrawn from Iraq's western desert.") == ["Iraq"]
    assert ids(g, "There are 2,500 troops in the U.S. and in Syria.") == ["country:US", "country:SY"]
    assert ids(g, "A sheriff in central Montana says a Colorado woman shot her son.") == ["admin1:US.MT", "admin1:US.CO"]
    assert g.get("admin1:US.IN").name == "Indiana"
    assert g.get("country:IQ").kind == "country"


@pytest.mark.parametrize(
    "sentence",
    [
        "Washington said the attack was planned.",
        "Police said on Sunday that Marion Smith was arrested.",
        "President Biden met President Lincoln's biographer.",
        "Mobile phones are banned. Independence Day was quiet.",
        "The Washington Post reported the news.",
        "US troops and the U.S.-led coalition fought ISIS.",
        "Militias aim to pressure Washington into withdrawing.",
        "The girl was shot on the 500 block of Page in the evening.",
        "It happened at Clinton Drive near Birch Street.",
        "Chad Couture was arraigned on Monday in March.",
        "Stockton said he would appeal.",
        "I heard doors slamming. Then I ran outside.",  # 'Then I' folds to Theni, India
        "JUST IN: One of two men shot late Monday dies",  # 'JUST IN' folds to Justin, Texas
        "JUST IN — One of two men shot late Monday dies",
    ],
)
def test_false_positives_rejected(g: Gazetteer, sentence: str) -> None:
    assert texts(g, sentence) == []


def test_preposition_and_population_rules(g: Gazetteer) -> None:
    assert texts(g, "He lives in Mobile now.") == ["Mobile"]
    assert texts(g, "Stockton police said the girl died.") == ["Stockton"]  # large city, bare
    assert texts(g, "An Allentown man will stand trial.") == ["Allentown"]
    assert texts(g, "Police in Kokomo are investigating.") == ["Kokomo"]
    assert texts(g, "Kokomo officials are investigating.") == []  # small town, bare, no evidence
    # a town's name ending in a plural street word is still a town; 'River Road' is a street
    assert texts(g, "A 16-year-old was shot in the neck Tuesday night in New Roads.") == ["New Roads"]
    assert texts(g, "It happened on River Road near the park.") == []
    # ... but a town's name that ends like a street's is a town where a town stands
    assert texts(g, "A man was shot in Federal Way on Sunday.") == ["Federal Way"]
    assert texts(g, "Federal Way police said a man was shot.") == ["Federal Way"]
    assert texts(g, "A man was shot on Federal Way near 5th.") == []
    # a town's street in lower case is the town ('a St. Louis street'); 'Clinton Street' is a street
    assert texts(g, "4 shot, one fatally, on St. Louis street") == ["St. Louis"]
    assert texts(g, "A man was shot on Clinton Street in Gary.") == ["Gary"]
    # a headline calls an incident after its town ('Alturas shooting'), as it does its people
    assert texts(g, "Alturas shooting victims identified") == ["Alturas"]
    assert texts(g, "Victims of the Alturas shooting were named on Monday. Police said so.") == []


def test_offsets_match_text(g: Gazetteer) -> None:
    samples = [
        "KOKOMO, Ind. (June 15, 2014) — Kokomo police said a man from Gary, Indiana, was shot.",
        "The U.S. military said rockets hit Baghdad's Green Zone and the BDSC near Baghdad airport.",
        "Drones flew over the Ain al-Asad airbase, located in Iraq’s western desert, on the Iraq–Syria border.",
    ]
    for text in samples:
        hits = g.find_places(text, text)
        assert hits, text
        assert [h.start for h in hits] == sorted(h.start for h in hits)
        for a, b in zip(hits, hits[1:], strict=False):
            assert a.end <= b.start
        for h in hits:
            assert text[h.start : h.end] == h.text


# ── data files ───────────────────────────────────────────────────────────────


def test_curated_file_is_complete_and_consistent(g: Gazetteer) -> None:
    entries = yaml.safe_load((DATA_DIR / "places.yml").read_text(encoding="utf-8"))["places"]
    slugs = {e["id"] for e in entries}
    for required in [
        "ain-al-asad-air-base",
        "baghdad-international-airport",
        "baghdad-diplomatic-support-center",
        "us-embassy-baghdad",
        "admin1:IQ.01",
        "iraq-syria-border",
        "erbil-international-airport",
        "balad-air-base",
        "camp-victory",
        "green-zone",
        "al-tanf-garrison",
    ]:
        assert required in slugs
    for e in entries:
        pid = e["id"] if ":" in e["id"] else f"site:{e['id']}"
        place = g.get(pid)
        assert place is not None and place.kind in KINDS, pid
        assert -90 <= e["latitude"] <= 90 and -180 <= e["longitude"] <= 180, pid
        assert g.resolve_place(e["name"]).id == pid, pid
        for parent in place.ancestors:
            assert g.get(parent) is not None, (pid, parent)


def test_default_is_cached() -> None:
    assert Gazetteer.default() is Gazetteer.default()


def test_county_named_in_the_article_licenses_its_towns(g: Gazetteer) -> None:
    # a small town named bare is no place, unless the article names its county (of a state it names)
    bare = "The boy was visiting Lenoir relatives when the gun went off."
    assert ids(g, bare) == []
    article = "Deputies in Caldwell County, North Carolina, were called on Sunday. " + bare
    town = g.resolve_place("Lenoir, N.C.")
    assert town.id in ids(g, bare, article)
    county = "Deputies in Caldwell County were called on Sunday, North Carolina officials said. "
    assert town.id in ids(g, bare, county + bare)


# ── the states an article is placed in ───────────────────────────────────────


def test_county_short_form(g: Gazetteer) -> None:
    assert ids(g, "Victim in Boyle Co. accidental shooting dies") == [g.resolve_place("Boyle County, Kentucky").id]


@pytest.mark.parametrize(
    ("dateline", "sentence", "town"),
    [
        ("LOUISVILLE, Ky.", "A mother was shot by her child in the Wyandotte neighborhood, police said.", "Wyandotte"),
        ("MEMPHIS, Tenn.", "The shooting happened in Parkway Village around 1:45 p.m. on Friday.", "Parkway Village"),
        ("DANVILLE, Ill.", "A man was shot outside the Green Meadows apartment complex, police said.", "Green Meadows"),
    ],
)
def test_small_town_of_another_state_is_a_namesake_in_an_article_placed_elsewhere(
        g: Gazetteer, dateline: str, sentence: str, town: str) -> None:
    # alone, the name is some state's town; under a dateline of another state, a neighbourhood or building
    assert [h.text for h in g.find_places(sentence, sentence)] == [town]
    article = f"{dateline} — {sentence}"
    assert [h.text for h in g.find_places(article, article)] == [dateline]


def test_town_of_a_country_the_article_does_not_name_is_a_namesake(g: Gazetteer) -> None:
    sentence = "Police said Jesse Hayes, 15, of Wellington Street in Parma was shot."
    assert [h.place.country for h in g.find_places(sentence, sentence)] == ["IT"]  # the biggest Parma
    article = "TRENTON, N.J. — " + sentence
    assert [h.text for h in g.find_places(article, article)] == ["TRENTON, N.J."]
    article = "CLEVELAND, Ohio — " + sentence  # Ohio has a Parma
    assert [(h.text, h.place.admin1) for h in g.find_places(article, article)][1] == ("Parma", "Ohio")


def test_a_small_town_named_in_passing_does_not_place_the_article(g: Gazetteer) -> None:
    article = ("A 19-year-old Round Lake Park man died early Tuesday. He was found to be involved "
               "in a burglary that occurred in Ingleside last October.")
    assert g.resolve_place("Round Lake Park, Illinois").id in ids(g, article, article)


def test_the_titles_state_ranks_namesakes(g: Gazetteer) -> None:
    sentence = "A 2-year-old shot himself at a home in Lunenburg, deputies in the United States said."
    (town, _) = g.find_places(sentence, sentence)
    assert town.place.admin1 == "Massachusetts"  # the biggest Lunenburg
    (town, _) = g.find_places(sentence, sentence, also="Toddler dies after shooting - NBC12 - Richmond, VA News")
    assert town.place.admin1 == "Virginia"
    # only ranks: a title does not place the article ('Northwest Side home' is no Turkish town)
    title = "Teen girl shot in the head while visiting friends at Northwest Side home"
    text = "A teenage girl was killed when she was shot in the head at a home on the Northwest Side, police in Texas said."
    assert [h.text for h in g.find_places(text, text, also=title)] == ["Texas"]


def test_a_state_named_within_a_longer_name_ranks_namesakes(g: Gazetteer) -> None:
    text = ("ELGIN — A 4-year-old boy died Friday after being shot in the head, and the Iowa Division "
            "of Criminal Investigation was called in.")
    assert g.resolve_place("ELGIN", context=text).admin1 == "Iowa"  # not Illinois' bigger Elgin
    assert [h.text for h in g.find_places(text, text)] == ["ELGIN"]  # 'Iowa Division' is no place
    # the state of a longer place name is no hint: 'Kansas City Mayor' is Missouri's
    text = "Kansas City police were called to the home in the United States, and Kansas City Mayor Sly James arrived."
    assert {h.place.admin1 for h in g.find_places(text, text) if h.place.kind == "city"} == {"Missouri"}


def test_the_district_of_columbia_is_the_city_of_washington(g: Gazetteer) -> None:
    washington = g.resolve_place("Washington, D.C.")
    assert washington.kind == "city" and "admin1:US.DC" in washington.ancestors
    for text in ("A girl was shot and killed outside her home in Southeast D.C. on Friday.",
                 "Police in the District of Columbia said a man was wounded."):
        assert ids(g, text, text) == [washington.id]


def test_a_big_city_that_dwarfs_its_namesakes_places_the_article(g: Gazetteer) -> None:
    # Philadelphia, Pa. is a hundred times Philadelphia, Miss.: the article is in Pennsylvania
    text = "PHILADELPHIA (CBS) — A boy was shot in his hand Sunday night in Germantown."
    assert [h.place.admin1 for h in g.find_places(text, context=text)] == ["Pennsylvania", "Pennsylvania"]
    # ... unless the article names a place of another state
    text = "A boy was shot in Germantown, near Rockville, Maryland, after a trip to Philadelphia."
    assert g.find_places(text, context=text)[0].place.admin1 == "Maryland"


def test_a_holiday_after_a_town_is_no_part_of_its_name(g: Gazetteer) -> None:
    assert [h.place.name for h in g.find_places("A boy was shot in Elliston Thanksgiving Day.")] == ["Elliston"]


def test_compass_points_are_no_towns_but_west_texas_is(g: Gazetteer) -> None:
    assert g.find_places("It kindled hopes here and in the West.") == []
    assert [h.place.name for h in g.find_places("The plant exploded in West, Texas.")] == ["West"]


def test_a_compass_word_of_a_dateline_is_a_modifier(g: Gazetteer) -> None:
    assert g.resolve_place("NORTHWEST MIAMI-DADE").name == "Miami"
    assert g.resolve_place("SOUTH BEND, Ind.").name == "South Bend"


def test_a_dateline_state_without_its_period(g: Gazetteer) -> None:
    # 'JACKSON, Tenn — ' is Tennessee's Jackson, not the bigger one in Mississippi.
    assert g.resolve_place("JACKSON, Tenn").admin1 == "Tennessee"
    (hit,) = g.find_places("JACKSON, Tenn — An accidental shooting sent one to the hospital.")
    assert hit.place.admin1 == "Tennessee"


def test_a_clause_opening_is_no_place_name(g: Gazetteer) -> None:
    # 'And I' folds to the key of Andi; a conjunction never begins a place name of several words.
    text = "She heard the shots. And I kept thinking, 'Is that gunshots?'"
    assert ids(g, text, context=text) == []


@pytest.mark.parametrize("text, pid", [
    # towns too small for GeoNames' tables, from the postal list, named with their state or county
    ("FELTON, Minn. -- A Felton man is accused of shooting his daughter.", "postal:US.MN.felton"),
    ("Deputies in Le Flore County, Oklahoma, said the girl was shot in Hodgen.", "postal:US.OK.hodgen"),
])
def test_small_postal_towns_resolve_where_the_article_places_them(g: Gazetteer, text: str, pid: str) -> None:
    assert pid in {h.place.id for h in g.find_places(text)}


@pytest.mark.parametrize("text", [
    "His father, Ike Parsons LaRue, went to jail in Henderson County, Texas.",  # a surname
    "The Oscar for best picture went to a film shot in Texas.",  # a word
    "Hodgen was shot in the leg.",  # no county or state named
])
def test_postal_towns_need_their_county_or_state_and_a_place_word(g: Gazetteer, text: str) -> None:
    assert not [h for h in g.find_places(text) if h.place.id.startswith("postal:")]


def test_a_postal_town_inside_a_longer_name_is_not_read(g: Gazetteer) -> None:
    hits = g.find_places("His studio in Greenwich Village, New York, was busy.")
    assert [h.place.name for h in hits] == ["New York City"]


def test_a_name_matched_only_without_its_macrons_needs_a_place_word(g: Gazetteer) -> None:
    # Egypt's Būsh is big enough to be named bare, but English news never writes its macron.
    assert g.find_places("The Bush administration on Thursday eliminated the rules.") == []
    assert [h.place.country for h in g.find_places("A car bomb exploded in Hit, in Anbar province.")][:1] == ["IQ"]


@pytest.mark.parametrize("text", ["Police began investigating at Brook and Winter, where four were shot.",
                                  "Shots were fired at Garfield and Main late Friday."])
def test_a_street_corner_is_no_town(g: Gazetteer, text: str) -> None:
    assert g.find_places(text) == []


def test_two_cities_after_at_are_still_cities(g: Gazetteer) -> None:
    assert [h.place.name for h in g.find_places("Drones were intercepted at Erbil and Baghdad on Sunday.")] == \
        ["Erbil", "Baghdad"]


def test_of_is_not_place_word_enough_for_a_name_read_without_its_macrons() -> None:
    g = Gazetteer.default()
    text = ("The Bush administration on Thursday eliminated the rules. As part of the changes announced in "
            "the final days of the Bush administration, the department finalized a rule. The Bush "
            "administration said so.")
    assert not [h for h in g.find_places(text, context=text) if h.place.name == "Būsh"]


def test_a_short_word_in_capitals_in_a_sentence_is_an_abbreviation(g: Gazetteer) -> None:
    # 'S.O.B.'s' (a nightclub) is no Ob', 'The U.S. A look at' no Usa River
    text = "Four people were shot at the Soho nightclub S.O.B.'s, right before a rapper performed."
    assert [h.place.name for h in g.find_places(text)] == ["Soho"]
    assert [h.text for h in g.find_places("5 Best Ski Lodges In The U.S. A look at five lodges")] == ["U.S."]
    # a dateline in capitals still names its town
    assert [h.place.name for h in g.find_places("WACO, Texas — A man was shot.")] == ["Waco"]


def test_a_town_hyphened_to_a_capitalised_word_is_a_business_name(g: Gazetteer) -> None:
    text = "A shooting early Sunday morning at the Cook-Out on Sunset Road in north Charlotte sent four people to the hospital."
    assert [h.place.name for h in g.find_places(text)] == ["Charlotte"]
    # two places hyphened together are both read
    assert [h.place.name for h in g.find_places("Flights from Dallas-Fort Worth were delayed.")] == ["Dallas", "Fort Worth"]


def test_a_persons_surname_says_nothing_of_the_articles_country(g: Gazetteer) -> None:
    # 'Watford' here is the victim, not the English town: Hamilton is not read as a British one
    text = ("Kelvin Watford, 50, was shot inside a home on Genesee Street. Police said Watford had been "
            "trying to surprise her. Watford died at the scene in Hamilton.")
    hits = g.find_places(text)
    assert [h.text for h in hits] == ["Hamilton"] and hits[0].place.country != "GB"


def test_dropping_asides_from_every_hit_is_finding_without_them(g: Gazetteer) -> None:
    # place_context looks an article's towns up once and drops the asides itself
    text = ("A Kuna man was shot in Boise on Friday. He was taken to a hospital in Meridian, "
            "police in Boise said.")
    every = g.find_places(text, context=text)
    assert len(g.drop_asides(text, every)) < len(every)
    assert g.drop_asides(text, every) == g.find_places(text, context=text, asides=False)
