"""Entities: label correction on a Doc, then consolidation into one row per real-world name.

* ``article_entity_labels`` (a pipeline component after ``ner`` and the gazetteer ruler)
  corrects each entity span with evidence: gazetteer names overrule the model's PERSON /
  NORP / LANGUAGE guesses for places (countries also its ORG), a place word before a name
  ("the city of X") marks a place, an event word ends an event ("Syrian Civil War"), a
  known given name marks a person where the model said neither ORG nor GPE and the name
  ends like no organisation and is no known place (and finds people the model missed), the label of a table row is a name, names found once are found
  again elsewhere in the doc; numeric labels are left to the figures, credit lines and
  edge numbers/punctuation are dropped, and no name runs across a line break.
* :func:`consolidate` merges the mentions of an article into :class:`EntityGroup` rows:
  same name whatever the casing, short forms into full ones ("Assad" → "Bashar al-Assad",
  "the General Assembly" → "United Nations General Assembly"), acronyms into what they
  stand for ("U.S." → "United States"), and a label voted from all mentions.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy
from spacy.attrs import IS_LOWER, LOWER, ORTH
from spacy.language import Language
from spacy.strings import hash_string
from spacy.tokens import Doc, Span

from spacy.lang.en.stop_words import STOP_WORDS

from ...identity import fold, strip_title
from ..figures.numbers import CURRENCY_WORDS
from .gazetteer import Gazetteer, GazetteerConfig, load_gazetteer

#: Labels that name things; the numeric ones (DATE, MONEY, ...) are figures.
NAME_LABELS = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)
#: Model labels a gazetteer place name overrules (ORG stays: teams and firms carry place names).
OVERRULED_BY_PLACE = frozenset({"PERSON", "NORP", "LANGUAGE", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "FAC"})
#: Last words that make a name an event ("Syrian Civil War", "Gulf War", "Orange Revolution").
EVENT_WORDS = frozenset({"war", "revolution", "uprising", "olympics", "games", "championship", "championships", "summit", "crisis"})
#: Labels an event word overrules.
OVERRULED_BY_EVENT = frozenset({"ORG", "GPE", "LOC", "NORP", "PERSON", "FAC", "PRODUCT"})
#: Words before a name that make it a place.
PLACE_CUES = frozenset({"city", "town", "village", "province", "region", "capital", "district", "port"})
#: Lines that credit an image or a source rather than tell the story.
CREDIT_LINE = re.compile(
    r"^\s*\[?\s*(?:featured\s+)?(?:image|photo|picture|video|credit|source)s?\b[^\n]*?\bby\b|"
    r"^\s*\[?\s*(?:photo|image|credit|source)s?\s*:",
    re.IGNORECASE,
)
#: Corporate suffixes dropped when comparing names ("Time Warner Inc" ~ "Time Warner").
LEGAL_SUFFIXES = frozenset({"inc", "corp", "co", "ltd", "plc", "llc", "ag", "sa", "nv", "group", "corporation", "limited"})
_PARTICLES = frozenset({"al", "el", "de", "da", "di", "van", "von", "der", "bin", "ibn", "le", "la"})
_SKIP_INITIALS = frozenset({"of", "the", "and", "for", "&", "de", "du"})


@dataclass
class EntityMention:
    """One entity span of an article; ``start``/``end`` are body offsets, None in the title."""

    text: str
    label: str
    start: int | None
    end: int | None
    in_title: bool = False
    in_lead: bool = False


@dataclass
class EntityGroup:
    name: str
    label: str
    count: int
    aliases: list[str]
    mentions: list[tuple[int, int]]
    salience: float
    first: int = 0
    votes: Counter = field(default_factory=Counter)


# --------------------------------------------------------------------------- component


def _is_credit(span: Span, text: str) -> bool:
    line_start = text.rfind("\n", 0, span.start_char) + 1
    line_end = text.find("\n", span.end_char)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    if CREDIT_LINE.search(line):
        return True
    # "[Image by Vladimir Isachenkov/AP Images]" inside a caption line
    opening = text.rfind("[", line_start, span.start_char)
    if opening >= 0 and text.find("]", opening, span.start_char) < 0:
        inner = text[opening : span.start_char].lower()
        return bool(re.search(r"\b(image|photo|picture|credit)s?\b", inner))
    return False


def trim_span(span: Span) -> Span | None:
    """Drop numbers and punctuation at the edges ("Durham 114"), and a section label
    before a spaced dash ("Baseball - Major League")."""
    start, end = span.start, span.end
    doc = span.doc
    for i in range(start, end):  # a name never runs across a line break
        if doc[i].is_space and "\n" in doc[i].text:
            end = i
            break
    for i in range(start, end):
        tok = doc[i]
        if tok.text in ("-", "--", "–", "—", ":") and tok.whitespace_ and i > start and doc[i - 1].whitespace_:
            start = i + 1
    # a number word leads names ("First Boston", "Three Mile Island"): only digits go
    while start < end and ((doc[start].like_num and not doc[start].is_alpha) or doc[start].is_punct or doc[start].is_space):
        start += 1
    # a trailing number is a score or a time, not part of a name ("Durham 114") unless the
    # name is a title of its own ("Euro 96", "Apollo 11"): kept for names of events and works
    keep_number = span.label_ in ("EVENT", "WORK_OF_ART", "PRODUCT", "LAW", "MISC")
    while end > start and (
        (doc[end - 1].like_num and not keep_number)
        or doc[end - 1].is_space
        or (doc[end - 1].is_punct and doc[end - 1].text != ".")
    ):
        end -= 1
    if start >= end:
        return None
    if (start, end) == (span.start, span.end):
        return span
    return Span(doc, start, end, label=span.label_)


def _in_results_line(span: Span, text: str) -> bool:
    """A name followed by a score in a line of several such ("Surrey 83 , Kent 4"): a team."""
    doc = span.doc
    if span.end >= len(doc) or not doc[span.end].like_num:
        return False
    line_start = text.rfind("\n", 0, span.start_char) + 1
    line_end = text.find("\n", span.end_char)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return len(_SCORE_PAIR.findall(line)) >= 2


_SCORE_PAIR = re.compile(r"\b[A-Z][A-Za-z.'\-]+(?: [A-Z][A-Za-z.'\-]+)* \d+\b")


_NAME_TOKEN = re.compile(r"^[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*$")
#: Labels a given name can overrule ("Tiger Woods" is no ORG).
OVERRULED_BY_PERSON = frozenset({"LOC", "NORP", "FAC", "PRODUCT", "WORK_OF_ART"})
#: Labels a given name overrules only where the model read no sentence (a results table,
#: a list of names): in prose its ORG or GPE ("Freddie Mac", "Beverly Hills") stands.
OVERRULED_BY_PERSON_IN_LISTS = frozenset({"ORG", "GPE"})
#: A line with fewer lower-case words than this is a list or a table row, not prose.
PROSE_WORDS = 3
_LOWER_WORD = re.compile(r"\b[a-z]{3,}\b")


#: Last words of organisations: a name ending so is no person ("Delta Air Lines",
#: "Pharmacia Inc.", "Simon Business School"), whatever its first word.
ORGANISATION_WORDS = LEGAL_SUFFIXES | frozenset({
    "bank", "school", "university", "college", "institute", "institution", "commission", "committee",
    "council", "association", "laboratories", "labs", "lines", "airlines", "airways", "industries",
    "holdings", "partners", "fund", "trust", "company", "companies", "foundation", "society", "agency",
    "systems", "motors", "securities", "capital", "investments", "bancorp", "brothers", "&",
})


def _in_prose(span: Span, text: str, lines: dict[int, bool]) -> bool:
    """Whether the span's line reads as prose (``lines`` caches the answer by line start)."""
    start = text.rfind("\n", 0, span.start_char) + 1
    if start not in lines:
        end = text.find("\n", span.end_char)
        line = text[start : end if end >= 0 else len(text)]
        count = 0
        for _ in _LOWER_WORD.finditer(line):
            count += 1
            if count >= PROSE_WORDS:
                break
        lines[start] = count >= PROSE_WORDS
    return lines[start]


def _looks_like_person(span: Span, gazetteer: Gazetteer, in_prose: bool = False) -> bool:
    """Two or three name-shaped words, the first a known given name, none a place, not
    ending like an organisation or followed by a corporate suffix; the model's ORG or GPE
    is overruled only outside prose."""
    overruled = OVERRULED_BY_PERSON if in_prose else OVERRULED_BY_PERSON | OVERRULED_BY_PERSON_IN_LISTS
    if span.label_ not in overruled or not 2 <= len(span) <= 3:
        return False
    words = [t.text for t in span]
    after = span.doc[span.end].lower_.rstrip(".") if span.end < len(span.doc) else ""
    if words[-1].lower().rstrip(".") in ORGANISATION_WORDS or after in LEGAL_SUFFIXES:
        return False
    if gazetteer.label(" ".join(words)):  # a known place of any size ("Beverly Hills")
        return False
    return (
        words[0] in gazetteer.given_names
        and all(_NAME_TOKEN.match(w) for w in words)
        and not any(gazetteer.label(w, strong_only=True) for w in words[1:])
    )


def _covered(doc: Doc, spans: Iterable[Span]) -> numpy.ndarray:
    covered = numpy.zeros(len(doc), dtype=bool)
    for span in spans:
        covered[span.start : span.end] = True
    return covered


def _hashes(words: Iterable[str]) -> frozenset[int]:
    return frozenset(hash_string(w) for w in words)


def add_people(doc: Doc, spans: list[Span], gazetteer: Gazetteer, given_names: frozenset[int] | None = None) -> list[Span]:
    """Names the model missed: a known given name and one or two name-shaped words.

    ``given_names``: the gazetteer's given names as string hashes, to find the few tokens
    worth a look without visiting every token in Python.
    """
    if not gazetteer.given_names or not len(doc):
        return spans
    if given_names is None:
        given_names = _hashes(gazetteer.given_names)
    covered = _covered(doc, spans)
    orths, lowers, is_lower = doc.to_array([ORTH, LOWER, IS_LOWER]).T.tolist()
    lower_words = {w for w, flag in zip(lowers, is_lower) if flag}  # words also written in lower case
    added = []
    n = len(doc)
    free = 0
    for i in range(n - 1):
        if i < free or orths[i] not in given_names or covered[i] or lowers[i] in lower_words:
            continue
        if i > 0 and doc[i - 1].text[:1].isupper() and doc[i - 1].is_alpha and not doc[i].is_sent_start:
            continue
        end = i + 1
        while end < n and end - i < 3 and not covered[end] and _NAME_TOKEN.match(doc[end].text) and doc[end].lower not in lower_words:
            end += 1
        if end - i >= 2 and not (end < n and doc[end].text[:1].isupper() and doc[end].is_alpha) and not any(
            gazetteer.label(t.text, strong_only=True) for t in doc[i + 1 : end]
        ):
            added.append(Span(doc, i, end, label="PERSON"))
            free = end
    return sorted(spans + added, key=lambda s: s.start) if added else spans


_ROW = re.compile(
    r"^(?:\d+[.=]?\s+)?(?P<name>[A-Z][\w.'’\-]*(?: (?:[A-Z][\w.'’\-]*|de|of|la|van|von|le)){0,3})"
    r"(?: \( [A-Z][\w.' ]+ \))?(?:\s+[-+]?\d[\d.,:/\-]*){3,}\s*$"
)
_TEAM = r"[A-Z][\w.'’\-]*(?: (?:[A-Z][\w.'’\-]*|de|of|la|van|von|le|'s|’s)){0,3}"
#: A results line: two sides and their scores ("Partick 1 St Mirren 1", "Harlequins 75 Gloucester 19").
_RESULT = re.compile(rf"^(?P<home>{_TEAM}) \d{{1,3}} (?P<away>{_TEAM}) \d{{1,3}}\s*$")


def _row_names(text: str) -> list[tuple[int, int]]:
    """Where the names of a table's rows and of a results line's sides are in ``text``."""
    found = []
    pos = 0
    for line in text.split("\n"):
        if match := _ROW.match(line):
            found.append((pos + match.start("name"), pos + match.end("name")))
        elif match := _RESULT.match(line):
            found += [(pos + match.start(side), pos + match.end(side)) for side in ("home", "away")]
        pos += len(line) + 1
    return found


def table_rows(doc: Doc, spans: list[Span], gazetteer: Gazetteer, text: str | None = None) -> list[Span]:
    """The label of a table row ("Northampton 4 1 2 1 6 4 5", "Vodafone 120.5 121.0 +0.5") and
    the sides of a results line ("Partick 1 St Mirren 1") name a team, a firm or a person even
    where the model, reading no sentence, saw none. A span that holds part of a row's name
    ("Zenda" of "Zenda Town") or runs across it into the numbers ("Park 1 Forfar") gives way
    to the name.

    ``text``: ``doc.text``, when the caller has it (``Doc.text`` joins every token)."""
    rows = dict.fromkeys(_row_names(doc.text if text is None else text), True)
    if not rows:
        return spans
    covered = set()
    out = []
    for span in spans:
        if (span.start_char, span.end_char) in rows:
            span = Span(doc, span.start, span.end, label=_row_label(span, gazetteer))
        elif any(start < span.end_char and span.start_char < end for start, end in rows):
            continue  # part of a row's name ("Zenda" of "Zenda Town"), or runs past it into the scores
        covered.update(range(span.start_char, span.end_char))
        out.append(span)
    for start, end in rows:
        if covered.intersection(range(start, end)):
            continue
        span = doc.char_span(start, end)
        if span is not None and not all(t.lower_ in STOP_WORDS for t in span):
            out.append(Span(doc, span.start, span.end, label=_row_label(span, gazetteer)))
    return sorted(out, key=lambda s: s.start)


def _row_label(span: Span, gazetteer: Gazetteer) -> str:
    words = [t.text for t in span]
    if len(words) > 1 and words[0] in gazetteer.given_names:
        return "PERSON"
    if span.text in gazetteer.countries:
        return "GPE"
    if span.label_ == "PERSON" and len(words) > 1 and not gazetteer.label(span.text):
        return "PERSON"
    return "ORG"


def correct_labels(doc: Doc, gazetteer: Gazetteer, text: str | None = None) -> list[Span]:
    """The doc's entities with corrected labels; numeric and credit spans left out."""
    persons = {
        ent[-1].lower_ for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1
    }
    out: list[Span] = []
    text = doc.text if text is None else text  # built once: Doc.text joins every token
    lines: dict[int, bool] = {}
    for ent in doc.ents:
        if ent.label_ == "MONEY":
            out += _countries_in_amount(ent, gazetteer)  # "43.3 per US dollar" names the US
            continue
        if ent.label_ not in NAME_LABELS or _is_credit(ent, text):
            continue
        ent = trim_span(ent)
        if ent is None:
            continue
        if not any(c.isupper() for c in ent.text):
            continue
        if (
            len(ent) > 2
            and gazetteer.label(ent[0].text, strong_only=True) == "NORP"
            and ent[1].text in gazetteer.given_names
        ):
            # "Russian Irina Shevchenko": a nationality before a person's name
            ent = Span(doc, ent.start + 1, ent.end, label="PERSON")
        name = normalize_name(ent.text)
        label = ent.label_
        place = gazetteer.label(name, strong_only=True)
        weak = gazetteer.label(name)
        prev = doc[ent.start - 1].lower_ if ent.start > 0 else ""
        prev2 = doc[ent.start - 2].lower_ if ent.start > 1 else ""
        cue = prev in PLACE_CUES or (prev == "of" and prev2 in PLACE_CUES)
        if name.lower() in persons and label == "PERSON":
            pass  # "Washington" after "Denzel Washington"
        elif label in OVERRULED_BY_EVENT and len(ent) > 1 and ent[-1].lower_ in EVENT_WORDS:
            label = "EVENT"
        elif name in gazetteer.countries and label in OVERRULED_BY_PLACE | {"ORG"}:
            label = "GPE"  # a country, also when it fields a team ("Japan 2 China 1")
        elif label in ("GPE", "LOC", "PERSON", "NORP") and _in_results_line(ent, text) and (place or weak or label != "PERSON"):
            label = "ORG"
        elif label != "PERSON" and not place and _looks_like_person(ent, gazetteer, label in OVERRULED_BY_PERSON_IN_LISTS and _in_prose(ent, text, lines)):
            label = "PERSON"
        elif place and label in OVERRULED_BY_PLACE | ({"GPE", "LOC"} if place == "NORP" else set()):
            if not (place == "NORP" and label == "LANGUAGE"):
                label = place
        elif weak and cue and label in OVERRULED_BY_PLACE:
            label = weak
        elif place == "GPE" and label == "ORG" and len(ent) == 1 and prev in ("in", "from", "near"):
            label = "GPE"
        if label != ent.label_:
            ent = Span(doc, ent.start, ent.end, label=label)
        out.append(ent)
    return out


def _countries_in_amount(ent: Span, gazetteer: Gazetteer) -> list[Span]:
    """The country of an amount's currency where the amount writes it: "US" of "5 US dollars"."""
    found = []
    for token in ent:
        place = gazetteer.place_id(token.text) if token.text[:1].isupper() and len(token.text) > 1 else None
        if place and place.startswith("iso:") and "-" not in place and token.i + 1 < ent.end and ent.doc[token.i + 1].lower_ in CURRENCY_WORDS:
            found.append(Span(ent.doc, token.i, token.i + 1, label="GPE"))
    return found


def propagate(doc: Doc, spans: list[Span]) -> list[Span]:
    """Other mentions of names already found: the same words elsewhere in the doc, and the
    surname alone of a person named in full ("Estes" after "Bob Estes")."""
    known: dict[tuple[int, ...], str] = {}  # token hashes -> label
    for span in spans:
        words = tuple(t.text for t in span)
        if any(c.isupper() for c in span.text) and not (len(words) == 1 and len(words[0]) < 3):
            known.setdefault(tuple(t.orth for t in span), span.label_)
        if span.label_ == "PERSON" and len(span) > 1:
            last = span[-1].text
            if last[:1].isupper() and len(last) > 2 and last.lower() not in STOP_WORDS:
                known.setdefault((span[-1].orth,), "PERSON")
    if not known:
        return spans
    longest = max(len(k) for k in known)
    covered = _covered(doc, spans)
    orths = doc.to_array(ORTH).tolist()
    firsts = {k[0] for k in known}
    n_tokens = len(doc)
    added: list[Span] = []
    free = 0
    # only where a known name starts: most tokens are never looked at
    for i in [i for i, orth in enumerate(orths) if orth in firsts]:
        if i < free or covered[i] or not doc[i].text[:1].isupper():
            continue
        for n in range(min(longest, n_tokens - i), 0, -1):
            label = known.get(tuple(orths[i : i + n]))
            if label and not covered[i : i + n].any():
                # not part of a longer capitalised name the model left out
                before = doc[i - 1] if i > 0 else None
                after = doc[i + n] if i + n < n_tokens else None
                if (after is not None and after.text[:1].isupper() and after.is_alpha) or (
                    before is not None and before.text[:1].isupper() and before.is_alpha and not before.is_sent_start
                ):
                    continue
                added.append(Span(doc, i, i + n, label=label))
                free = i + n
                break
    return sorted(spans + added, key=lambda s: s.start) if added else spans


@Language.factory(
    "article_entity_labels",
    default_config={
        "ruler_min_population": GazetteerConfig.ruler_min_population,
        "lookup_min_population": GazetteerConfig.lookup_min_population,
        "alternate_min_population": GazetteerConfig.alternate_min_population,
    },
)
def make_entity_labels(
    nlp: Language,
    name: str,
    ruler_min_population: int,
    lookup_min_population: int,
    alternate_min_population: int,
):
    gaz = load_gazetteer(
        GazetteerConfig(ruler_min_population, lookup_min_population, alternate_min_population)
    )
    given_names = _hashes(gaz.given_names)

    def entity_labels(doc: Doc) -> Doc:
        text = doc.text
        spans = correct_labels(doc, gaz, text)
        spans = table_rows(doc, add_people(doc, spans, gaz, given_names), gaz, text)
        doc.ents = propagate(doc, spans)
        return doc

    return entity_labels


# --------------------------------------------------------------------------- consolidation

_LEADING_THE = re.compile(r"^(?:the|The|THE)\s+")
_TRAILING_POSSESSIVE = re.compile(r"(?:\s*['’]s|['’])$")
_EDGE_PUNCT = re.compile(r"^[\s\"'“”‘’(\[]+|[\s\"'“”‘’)\],:;]+$")


def normalize_name(text: str) -> str:
    """Drop a leading "the", a trailing possessive and surrounding quotes; one space."""
    name = " ".join(text.split())
    name = _EDGE_PUNCT.sub("", name)
    name = _LEADING_THE.sub("", name)
    name = _TRAILING_POSSESSIVE.sub("", name)
    return _EDGE_PUNCT.sub("", name)


def _words(name: str) -> list[str]:
    # folded: "Domínguez" and "Dominguez" are one name
    words = [w for w in re.split(r"[\s\-]+", fold(name.replace(".", ""))) if w]
    return [w for w in words if w not in _PARTICLES] or words


def _core(name: str) -> list[str]:
    words = _words(name)
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words = words[:-1]
    return words


def _initials(name: str) -> str:
    return "".join(
        w[0] for w in re.split(r"[\s\-]+", name) if w and w.lower() not in _SKIP_INITIALS and w[0].isupper()
    ).lower()


def _is_acronym(name: str) -> bool:
    bare = name.replace(".", "")
    return 2 <= len(bare) <= 6 and bare.isalpha() and bare.isupper()


def _display(forms: Counter) -> str:
    """The form to show: not shouted if possible, then the most frequent, then the longest."""
    return max(forms, key=lambda f: (not (f.isupper() and len(f) > 4), forms[f], len(f)))


def _part_of(short: list[str], long: list[str]) -> bool:
    """``short`` is a proper tail of ``long`` (word-wise), or a head of two words or more."""
    if not short or len(short) >= len(long):
        return False
    return long[-len(short) :] == short or (len(short) > 1 and long[: len(short)] == short)


def _other_places(short: str, long: str, gazetteer: Gazetteer) -> bool:
    """Both names are places the gazetteer knows, and not the same place."""
    place = gazetteer.place_id(short)
    return place is not None and gazetteer.place_id(long) not in (None, place)


#: The longest short form looked up inside a longer name ("Bank of England" in "the Bank of
#: England's Monetary Policy Committee").
PART_WORDS = 8


def consolidate(
    mentions: Iterable[EntityMention],
    gazetteer: Gazetteer | None = None,
    *,
    title_weight: float = 0.4,
    lead_weight: float = 0.2,
    frequency_weight: float = 0.4,
) -> list[EntityGroup]:
    """One group per real-world name, the most salient first."""
    groups: dict[str, dict] = {}
    squeezed: dict[str, str] = {}
    for m in mentions:
        name = normalize_name(m.text)
        if len(name) < 2 or not any(c.isalpha() for c in name):
            continue
        key = " ".join(_core(name))
        # "TimeWarner" and "Time Warner" are one name
        key = squeezed.setdefault(key.replace(" ", ""), key)
        if gazetteer is not None:
            canonical = gazetteer.canonical_name(name)
            if canonical and gazetteer.label(canonical) in ("GPE", "LOC") and m.label in ("GPE", "LOC"):
                key = " ".join(_core(canonical))
        g = groups.setdefault(
            key, {"forms": Counter(), "votes": Counter(), "mentions": [], "title": False, "lead": False, "count": 0, "first": 10**12}
        )
        g["forms"][name] += 1
        g["votes"][m.label] += 1
        g["count"] += 1
        g["title"] |= m.in_title
        g["lead"] |= m.in_lead
        if m.start is not None:
            g["mentions"].append((m.start, m.end))
            g["first"] = min(g["first"], m.start)
        else:
            g["first"] = min(g["first"], -1)

    def label_of(g) -> str:
        return g["votes"].most_common(1)[0][0]

    # merge short forms and acronyms into the longest compatible name
    keys = sorted(groups, key=lambda k: -len(k.split()))
    # Index each name by the word runs it could be the long form of (tails, heads of two
    # words or more) and by its initials, so a short form meets only its possible long
    # forms: linear in the number of names rather than quadratic.
    position = {key: index for index, key in enumerate(keys)}
    by_part: dict[tuple[str, ...], list[str]] = {}
    by_initials: dict[str, list[str]] = {}
    for long in keys:
        lwords = tuple(long.split())
        # at most PART_WORDS words: all the tails of a 10,000-word "name" would be quadratic
        most = min(len(lwords), PART_WORDS + 1)
        parts = {lwords[-k:] for k in range(1, most)} | {lwords[:k] for k in range(2, most)}
        for part in parts:
            by_part.setdefault(part, []).append(long)
        by_initials.setdefault(_initials(_display(groups[long]["forms"])), []).append(long)
    merged_into: dict[str, str] = {}
    for short in sorted(groups, key=lambda k: len(k.split())):
        sg = groups[short]
        sname = _display(sg["forms"])
        swords = short.split()
        possible = set(by_part.get(tuple(swords), ()))
        if _is_acronym(sname):
            possible.update(by_initials.get(short.replace(" ", ""), ()))
        candidates = []
        for long in sorted(possible, key=position.__getitem__):
            if long == short or long in merged_into:
                continue
            lg = groups[long]
            lwords = long.split()
            llabel = label_of(lg)
            if _part_of(swords, lwords):
                if label_of(sg) == "NORP" or (
                    gazetteer is not None and gazetteer.label(sname, strong_only=True) == "NORP"
                ):
                    continue  # "Syrian" is not short for "Syrian Civil War"
                if llabel in ("GPE", "LOC") and label_of(sg) not in ("GPE", "LOC"):
                    continue
                if gazetteer is not None and gazetteer.label(sname, strong_only=True) in ("GPE", "LOC") and llabel not in ("GPE", "LOC"):
                    continue  # "Syria" is not short for "Free Syria Army"
                if gazetteer is not None and llabel in ("GPE", "LOC") and _other_places(sname, _display(lg["forms"]), gazetteer):
                    continue  # "Jerusalem" is not short for "East Jerusalem"
                candidates.append(long)
            elif _is_acronym(sname) and _initials(_display(lg["forms"])) == short.replace(" ", ""):
                candidates.append(long)
        if not candidates:
            continue
        target_labels = {label_of(groups[c]) for c in candidates}
        if len(target_labels) > 1:
            continue
        target = max(candidates, key=lambda c: (groups[c]["count"], len(c)))
        while target in merged_into:
            target = merged_into[target]
        tg = groups[target]
        tg["forms"].update(sg["forms"])
        short_votes = sg["votes"]
        # a short form's own labels are weak evidence: they vote with half weight
        for label, n in short_votes.items():
            tg["votes"][label] += n * 0.5
        tg["mentions"] += sg["mentions"]
        tg["count"] += sg["count"]
        tg["title"] |= sg["title"]
        tg["lead"] |= sg["lead"]
        tg["first"] = min(tg["first"], sg["first"])
        merged_into[short] = target
    for short in merged_into:
        groups.pop(short, None)

    max_count = max((g["count"] for g in groups.values()), default=1)
    out: list[EntityGroup] = []
    for g in groups.values():
        forms = g["forms"]
        names = sorted(forms, key=lambda f: (-len(_words(f)), f.isupper(), -forms[f]))
        name = names[0]
        if name.isupper() and len(name) > 4:
            name = _display(forms) if not _display(forms).isupper() else name
        votes = g["votes"]
        if gazetteer is not None:
            strong = gazetteer.label(name, strong_only=True)
            place = strong or gazetteer.label(name)
            if place and (not votes.get("ORG") or name in gazetteer.countries):
                votes[place] += 1.5 if strong else 0.5
        label = votes.most_common(1)[0][0]
        salience = (
            title_weight * g["title"]
            + lead_weight * g["lead"]
            + frequency_weight * g["count"] / max_count
        )
        aliases = sorted({f for f in forms if f != name})
        out.append(
            EntityGroup(
                name=name,
                label=label,
                count=g["count"],
                aliases=aliases,
                mentions=sorted(g["mentions"]),
                salience=round(salience, 3),
                first=g["first"],
                votes=votes,
            )
        )
    out.sort(key=lambda e: (-e.salience, e.first))
    return out


#: Titles that only ever stand before a person: whatever the model's label, what follows is one.
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "sen", "gen", "rep", "gov"})


def mentions_from_spans(
    spans: Sequence[Span], *, body_offset: int, lead_end: int
) -> list[EntityMention]:
    """Mentions of a chunk's entities; text before ``body_offset`` is the title."""
    out = []
    for span in spans:
        if span.label_ not in NAME_LABELS:
            continue
        name = normalize_name(span.text)
        label = span.label_
        title, bare = strip_title(name)
        if title is not None and (label == "PERSON" or title.rstrip(".").lower() in HONORIFICS):
            # "Mr Blair" and "Prime Minister Tony Blair" are Blair and Tony Blair
            name, label = bare, "PERSON"
        if not name:
            continue
        s = span.start_char + max(span.text.find(name), 0)
        in_title = span.end_char <= body_offset
        start = None if in_title else s - body_offset
        end = None if in_title else s + len(name) - body_offset
        out.append(
            EntityMention(
                text=name,
                label=label,
                start=start,
                end=end,
                in_title=in_title,
                in_lead=start is not None and start < lead_end,
            )
        )
    return out
