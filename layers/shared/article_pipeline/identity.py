"""Names as a newsroom writes them, and the identity of the entity a name stands for.

Pure functions of a name and its label, shared by Extract (each entity's ``id``), Store
(the keys an entity is found under) and search (the keys a query asks):

* :func:`strip_title` takes titles and honorifics off a person's name: "Prime Minister Tony
  Blair", "Mr Blair", "Sen. Kerry", "Gen. Lebed" name Tony Blair, Blair, Kerry and Lebed.
* :func:`name_key` is the form names are compared in: no accents, case, dots of an
  abbreviation, possessive or leading "the" ("U.S." and "US", "Dominguez" and
  "Domínguez", "the Pentagon's" and "Pentagon").
* :func:`entity_id` is an entity's identity. A place the gazetteer knows keeps the public
  id it gives (``iso:US``, ``geonames:2643743``); anything else is named by its article's
  fullest form and its kind (``person:tony-blair``, ``org:united-nations``), so the id
  depends on the article alone and a replay gives the same one.
* :func:`search_keys` are the keys an entity of a record is indexed under: a place by its
  public id; anything else by each of its names, a person also by the surname, so that an
  article that says only "Mr Blair" and one that says "Tony Blair" meet at "blair", and a
  body of an organisation also by the organisation ("united nations" for the "United
  Nations General Assembly"). :func:`initials` partition the keys of two words or more, so
  that an acronym finds the names it may stand for without an item of its own.
  Search resolves the rest across the archive (``article_pipeline.search``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

#: Public-id schemes of places (``<scheme>:<code>``): these ids are the same in every article.
PLACE_SCHEMES = ("iso", "geonames")
#: Id prefixes by label; labels not listed use their own name in lower case.
KINDS = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place", "FAC": "facility", "NORP": "group"}

#: Words that stand before a person's name as a title ("Prime Minister", "Sen.", "Dr").
#: Compared without dots and case. Some only qualify a title ("Prime", "Foreign", "Vice"):
#: a run of these words is a title only if it holds one of ``CORE_TITLES``.
CORE_TITLES = frozenset(
    """
    mr mrs ms miss mx messrs dr doctor prof professor sir dame lord lady madam
    rev reverend fr father sister brother sheikh sheik rabbi imam ayatollah cardinal bishop archbishop pope
    president presidentelect premier chancellor minister secretary senator sen rep representative congressman
    congresswoman governor gov mayor judge justice attorney general gen lt lieutenant col colonel maj major
    capt captain cmdr commander adm admiral sgt sergeant cpl corporal pte private marshal brigadier
    king queen prince princess emperor empress crown duke duchess earl count baron
    chairman chairwoman chairperson chair ceo chief director ambassador envoy speaker spokesman spokeswoman
    spokesperson coach manager leader inspector detective officer superintendent constable agent commissioner
    """.split()
)
QUALIFIERS = frozenset(
    """
    prime vice deputy acting former foreign finance defence defense interior home trade economy state
    health education justice labour labor energy agriculture transport culture environment
    executive managing assistant associate general attorney of the opposition party
    us uk un eu
    """.split()
)
#: Last words that are no part of a surname ("Martin Luther King Jr.").
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "qc", "mp"})
#: Particles that belong to a surname ("al-Assad", "van Gogh") but are no surname alone.
PARTICLES = frozenset({"al", "el", "de", "da", "di", "van", "von", "der", "den", "bin", "ibn", "le", "la", "du", "st"})

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_POSSESSIVE = re.compile(r"'s$|'$")
_LEADING_THE = re.compile(r"^the\s+")
_LEADING_THE_WORD = re.compile(r"^(?:the|The|THE)\s+")
_DOTTED = re.compile(r"(?<=\w)\.(?=\w|$|\s)")
_NOT_WORD = re.compile(r"[^\w&+]+")


def fold(text: str) -> str:
    """Case and accents off: "Domínguez" and "DOMINGUEZ" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _tokens(name: str) -> list[str]:
    return name.split()


def _bare(token: str) -> str:
    return fold(token).replace(".", "").strip(",'")


def strip_title(name: str) -> tuple[str | None, str]:
    """``(title, name)``: the title a person's name starts with, if any, and the name.

    The name keeps at least one word, and a title is taken only before a capitalised word:
    "President Clinton" is Clinton, "President" stays "President".
    """
    words = _tokens(name)
    end = 0
    while end < len(words) - 1 and _bare(words[end]) in CORE_TITLES | QUALIFIERS:
        end += 1
    if not any(_bare(word) in CORE_TITLES for word in words[:end]):
        return None, name
    while end and _bare(words[end - 1]) in ("of", "the"):  # "Secretary of the" is no title
        end -= 1
    if end == 0 or not words[end][:1].isupper():
        return None, name
    return " ".join(words[:end]), " ".join(words[end:])


#: Title words that also begin names of things ("General Assembly", "Major League", "Chief
#: Rabbinate"): alone, without their dot, they stay part of a name a search is asked for.
AMBIGUOUS_TITLES = frozenset({"general", "major", "private", "chief", "director", "chair", "count", "crown", "justice", "agent", "officer", "manager", "coach"})


def query_name(name: str) -> str:
    """The name a search asks for: a person's title off ("Mr Blair" -> "Blair"), as Extract
    takes it off, unless the title is one word that also begins names of things."""
    title, bare = strip_title(name)
    if title is None or (" " not in title and not title.endswith(".") and title.lower() in AMBIGUOUS_TITLES):
        return name
    return bare


def name_key(name: str) -> str:
    """The form two names are compared in: "the U.S.'s" -> "us", "Domínguez" -> "dominguez"."""
    text = fold(" ".join(name.split()))
    text = _POSSESSIVE.sub("", text)
    text = _LEADING_THE.sub("", text)
    text = _DOTTED.sub("", text).replace(".", " ")
    text = text.replace("'", "")
    return " ".join(_NOT_WORD.sub(" ", text).replace("_", " ").split())


def person_name(name: str) -> str:
    """A person's name without its title."""
    return strip_title(name)[1]


def surname(name: str) -> str | None:
    """The key of a person's last name, if the name has more than one word: "Tony Blair" ->
    "blair", "Bashar al-Assad" -> "assad", "Martin Luther King Jr." -> "king"."""
    words = name_key(person_name(name)).split()
    while len(words) > 1 and words[-1] in NAME_SUFFIXES:
        words.pop()
    if len(words) < 2:
        return None
    last = words[-1]
    return None if last in PARTICLES or len(last) < 2 else last


def kind(label: str) -> str:
    return KINDS.get(label, label.lower())


def is_place_id(entity_id: str) -> bool:
    return entity_id.split(":", 1)[0] in PLACE_SCHEMES


def slug(key: str) -> str:
    return key.replace(" ", "-")


def entity_id(name: str, label: str, place_id: str | None = None) -> str:
    """The entity's identity: a place's public id where the gazetteer gives one, else its
    kind and the key of its fullest name (``person:tony-blair``)."""
    if place_id:
        return place_id
    key = name_key(person_name(name) if label == "PERSON" else name)
    return f"{kind(label)}:{slug(key)}"


def primary_key(entity_id: str) -> str | None:
    """The name key an id derived from a name was made from (None for a place's public id)."""
    if is_place_id(entity_id):
        return None
    return entity_id.split(":", 1)[1].replace("-", " ")


#: Last words an organisation's name may go without ("Treasury Department" is the Treasury).
GENERIC_SUFFIXES = frozenset({"department", "ministry", "office", "fc", "afc", "club", "city", "inc", "corp", "ltd", "plc", "co", "group"})


def shorter_names(name: str, is_place: Callable[[str], bool]) -> list[str]:
    """Keys an organisation's name may be shortened to in other articles: without a generic
    last word ("Treasury Department" -> "treasury"); a leading place's team or office by
    the rest and by the place ("Minnesota Twins" -> "twins", "minnesota"; "U.S. Treasury
    Department" -> "treasury department", "us", "treasury").
    Search asks these too (reads are cheap); the index stays one item per name."""
    words = name_key(name).split()
    found: list[str] = []
    if len(words) > 1 and words[-1] in GENERIC_SUFFIXES:
        found.append(" ".join(words[:-1]))
    tokens = _LEADING_THE_WORD.sub("", " ".join(name.split())).split()
    for cut in range(len(tokens) - 1, 0, -1):
        rest = name_key(" ".join(tokens[cut:])).split()
        if rest and is_place(" ".join(tokens[:cut])) and not (len(rest) == 1 and rest[0] in GENERIC_SUFFIXES):
            # a team or office of a place, which other articles name by the place alone
            found += [" ".join(rest), name_key(" ".join(tokens[:cut]))]
            if len(rest) > 1 and rest[-1] in GENERIC_SUFFIXES:
                found.append(" ".join(rest[:-1]))
            break
    return list(dict.fromkeys(found))


#: Last words that name a body of an organisation ("United Nations General Assembly" is of
#: the United Nations).
BODY_WORDS = frozenset(
    {"general", "assembly", "security", "council", "committee", "commission", "board", "agency", "court", "bureau",
     "secretariat", "office", "department", "ministry", "division", "panel", "mission", "executive", "governing"}
)
_NOT_INITIAL = frozenset({"of", "the", "and", "for", "&", "de", "du", "des", "la", "le", "on", "in"})


def parent_name(key: str) -> str | None:
    """The organisation a body belongs to: "united nations general assembly" -> "united nations"."""
    words = key.split()
    end = len(words)
    while end > 2 and words[end - 1] in BODY_WORDS:
        end -= 1
    while end > 2 and words[end - 1] in _NOT_INITIAL:
        end -= 1
    return " ".join(words[:end]) if end < len(words) else None


def initials(key: str) -> str | None:
    """The initials of a name of two words or more, as an acronym writes them: "united
    nations" -> "un", "bank of england" -> "be"; None for one word."""
    words = [word for word in key.split() if word not in _NOT_INITIAL]
    return "".join(word[0] for word in words) if len(words) >= 2 else None


def is_acronym(name: str) -> bool:
    """Written as an acronym: "UN", "U.N.", "NATO" (capitals, two to six letters)."""
    letters = name.replace(".", "").strip()
    return 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()


def search_keys(entity_id: str, label: str, names: Iterable[str]) -> list[str]:
    """The keys an entity of a record is found under (sorted, no repeats).

    A place with a public id: the id alone (search maps every name of the place to it). Else
    the key of each name, and for a person the surname too.
    """
    if is_place_id(entity_id):
        return [entity_id]
    keys: set[str] = set()
    for name in names:
        key = name_key(person_name(name) if label == "PERSON" else name)
        if key:
            keys.add(key)
        if label == "PERSON" and (last := surname(name)):
            keys.add(last)
    own = primary_key(entity_id)
    if own:
        keys.add(own)
    if label == "ORG" and own and (parent := parent_name(own)):
        keys.add(parent)  # an article about the General Assembly is about the United Nations
    return sorted(keys)
