"""Figures: every numeric expression of a Doc, with value, unit, kind and qualifier.

:func:`find_figures` is a pure function over a Doc (tokens only: it needs no tagger, parser
or NER); the ``article_figures`` component (:mod:`.component`) weighs its matches against
the model's numeric entity spans (:mod:`.evidence`) and stores the result in
``doc._.figures`` and as spans in ``doc.spans["figures"]`` labelled with the kind. What a figure counts needs
part-of-speech tags, which the caller sets only around figures (see :mod:`.subjects`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.attrs import ORTH
from spacy.tokens import Doc

from . import dates, numbers, times

#: Qualifiers read before a figure, longest first.
QUALIFIERS = tuple(
    sorted(
        (
            "as high as", "as many as", "as much as", "as few as", "as little as", "as low as",
            "more than", "less than", "fewer than", "no more than", "no less than", "up to",
            "at least", "at most", "nearly", "almost", "about", "around", "approximately",
            "roughly", "some", "over", "under", "just over", "just under", "close to",
            "an estimated", "estimated", "only", "exactly", "above", "below", "in excess of",
            "upwards of", "between", "from",
        ),
        key=lambda q: -len(q.split()),
    )
)
#: Prepositions that join the two ends of a range ("5 to 10", "between 5 and 10").
RANGE_JOINERS = {"-", "–", "to", "and"}


@dataclass(frozen=True)
class FigureMatch:
    """A figure found in a Doc: token span [start, end) and what it means."""

    start: int
    end: int
    kind: str
    value: float | None
    unit: str | None = None
    qualifier: str | None = None
    #: the upper end of a range
    value_max: float | None = None
    date: dates.DateParts | None = None
    #: index of the token that carries the number (for the parse-based subject)
    head: int | None = None


def _number_at(doc: Doc, i: int) -> tuple[int, float, str | None] | None:
    """A number starting at token i: (end, value, glued suffix unit) or None."""
    tok = doc[i]
    text = tok.text
    value = numbers.parse_digits(text)
    suffix_unit = None
    if value is None:
        split = numbers.split_suffix(text)
        if split is None:
            if numbers.is_number_word(text) or (
                text.lower() in ("a", "an", "half")
                and i + 1 < len(doc)
                and doc[i + 1].lower_ in numbers.SCALE_WORDS
            ):
                return _number_words(doc, i)
            return None
        value, suffix = split
        low = suffix.lower()
        if low in numbers.MAGNITUDE_SUFFIXES:
            value *= numbers.MAGNITUDE_SUFFIXES[low]
        elif low in numbers.PERCENT_WORDS:
            suffix_unit = "percent"
        elif numbers.measure_unit(low):
            suffix_unit = numbers.measure_unit(low)
        else:
            return None
    end = i + 1
    # a mixed fraction: "8 1/2", "10 3/4"
    if suffix_unit is None and end < len(doc) and tok.whitespace_ and value == int(value):
        fraction = numbers.parse_fraction(doc[end].text)
        if fraction is not None:
            value += fraction
            end += 1
    # glued magnitude as a separate token ("600" "m" from "600m") or a scale word
    if end < len(doc):
        nxt = doc[end]
        if not tok.whitespace_ and nxt.lower_ in ("m", "bn", "mn", "k", "tn", "b"):
            value *= numbers.MAGNITUDE_SUFFIXES[nxt.lower_]
            end += 1
        elif nxt.lower_ in numbers.SCALE_WORDS and nxt.lower_ != "score":
            value *= numbers.SCALE_WORDS[nxt.lower_]
            end += 1
    return end, value, suffix_unit


def _number_words(doc: Doc, i: int) -> tuple[int, float, None] | None:
    end = i
    words: list[str] = []
    while end < len(doc):
        low = doc[end].lower_
        if numbers.is_number_word(low) or (not words and low in ("a", "an", "half")):
            words.append(low)
            end += 1
        elif words and low == "and" and _and_a_half(doc, end):
            # "three and a half billion": the half belongs to the number before the scale
            words.append("½")
            end = _and_a_half(doc, end)
        elif low in ("-", "and") and words and end + 1 < len(doc) and numbers.is_number_word(
            doc[end + 1].lower_
        ) and (low == "-" or doc[end + 1].lower_ not in numbers.SCALE_WORDS):
            end += 1
        else:
            break
    if not words:
        return None
    value = numbers.parse_number_words(" ".join(words))
    if value is None:
        return None
    return end, value, None


def _and_a_half(doc: Doc, i: int) -> int:
    """The end of "and a half" / "and one-half" at token i (the "and"), or 0."""
    j = i + 1
    if j < len(doc) and doc[j].lower_ in ("a", "one"):
        j += 1
        if j < len(doc) and doc[j].text == "-":
            j += 1
        if j < len(doc) and doc[j].lower_ == "half":
            return j + 1
    return 0


def number_in(doc: Doc, start: int, end: int) -> float | None:
    """The value of the first number among tokens [start, end) ("about $370 million" -> 3.7e8)."""
    for i in range(start, end):
        text = doc[i].text
        glued = numbers.split_currency_prefix(text)
        if glued:
            return numbers.parse_number(glued[1])
        fraction = numbers.parse_fraction(text)
        if fraction is not None:
            return fraction
        if doc[i].like_num or numbers.is_number_word(text) or numbers.split_suffix(text):
            found = _number_at(doc, i)
            if found is not None:
                return found[1]
    return None


#: Words that say whose dollar, franc or pound follows ("US dollars", "Canadian-dollar").
_CURRENCY_ADJECTIVES = frozenset(adjective for _, adjective in numbers.CURRENCY_COUNTRIES) | {"hong", "new"}


#: The qualifiers by their last word (longest first, as in QUALIFIERS).
_QUALIFIERS_BY_LAST: dict[str, list[tuple[str, list[str]]]] = {}
for _q in QUALIFIERS:
    _QUALIFIERS_BY_LAST.setdefault(_q.split()[-1], []).append((_q, _q.split()))


def _qualifier(doc: Doc, start: int) -> tuple[int, str] | None:
    if start == 0:
        return None
    for qualifier, words in _QUALIFIERS_BY_LAST.get(doc[start - 1].lower_, ()):
        s = start - len(words)
        if s >= 0 and [t.lower_ for t in doc[s:start]] == words:
            return s, qualifier
    return None


def _unit_after(doc: Doc, end: int, value: float, codes: frozenset[str]):
    """(new end, kind, unit, value) for what follows a number."""
    n = len(doc)
    if end >= n:
        return end, None, None, value
    nxt = doc[end]
    low = nxt.lower_
    if low in numbers.PERCENT_WORDS:
        return end + 1, "percent", "percent", value
    if low == "per" and end + 1 < n and doc[end + 1].lower_ == "cent":
        return end + 2, "percent", "percent", value
    if low == "percentage" and end + 1 < n and doc[end + 1].lower_ in ("point", "points"):
        return end + 2, "percent", "percentage point", value
    if low in _CURRENCY_ADJECTIVES:
        j = end + 1
        while j < n and j - end <= 3 and (doc[j].lower_ in _CURRENCY_ADJECTIVES or doc[j].text == "-"):
            j += 1
        if j < n and doc[j].lower_.rstrip("s") in ("dollar", "franc", "pound"):
            return j + 1, "money", numbers.currency_of_words([t.text for t in doc[end : j + 1]], codes), value
    currency = numbers.currency_for_word(nxt.text, codes)
    if currency:
        if low in numbers.MINOR_CURRENCY_WORDS:
            value = value / 100
        return end + 1, "money", currency, value
    hyphen = low in ("-", "–") and end + 1 < n and not doc[end - 1].whitespace_
    target = doc[end + 1] if hyphen else nxt
    duration = numbers.duration_unit(target.text)
    if duration:
        return (end + 2 if hyphen else end + 1), "duration", duration, value
    measure = numbers.measure_unit(target.text)
    if measure and (target.lower_ not in numbers.AMBIGUOUS_UNITS or not doc[end - 1].whitespace_):
        return (end + 2 if hyphen else end + 1), "quantity", measure, value
    return end, None, None, value


#: Lower-case words that can start a figure. Any other word of letters only, not in
#: capitals, cannot (every branch of _figure_at needs a digit, a symbol, a currency code or
#: one of these), so find_figures does not look at it: most tokens of a text.
_STARTERS = frozenset(
    {*dates.WEEKDAYS, *dates.RELATIVE_DAYS, "last", "next", "this", *dates.MONTHS}
    | {w.lower() for w in numbers.CURRENCY_SYMBOLS}
    | {*numbers.ORDINAL_WORDS, *numbers.PLURAL_SCALES, *numbers.UNITS_WORDS, *numbers.SCALE_WORDS}
    | {*numbers.FRACTION_WORDS, "a", "an", "half", *times.NAMED_TIMES}
)


def _may_start(text: str) -> bool:
    return not text.isalpha() or text.isupper() or text.lower() in _STARTERS


def find_figures(doc: Doc, currency_codes: frozenset[str] = frozenset()) -> list[FigureMatch]:
    """All figures in ``doc``, left to right, never overlapping."""
    found: list[FigureMatch] = []
    free = 0  # the first token not inside a figure found
    strings = doc.vocab.strings
    may_start: dict[int, bool] = {}
    # by the token's string hash: no Token object for the many tokens that cannot start one
    for i, orth in enumerate(doc.to_array(ORTH).tolist()):
        if i < free:
            continue
        start = may_start.get(orth)
        if start is None:
            start = may_start[orth] = _may_start(strings[orth])
        if not start:
            continue
        match = _figure_at(doc, i, currency_codes)
        if match is not None:
            found.append(match)
            free = match.end
    return found


_ONE_BEFORE = frozenset({"no", "any", "every", "each", "the", "this", "that", "which", "someone", "anyone"})
_ONE_AFTER = frozenset({"of", "another", "'s", "’s"})


def _pronoun_one(doc: Doc, i: int) -> bool:
    """"one of the areas", "no one", "one another": a pronoun, not a count."""
    before = doc[i - 1].lower_ if i > 0 else ""
    after = doc[i + 1].lower_ if i + 1 < len(doc) else ""
    return before in _ONE_BEFORE or after in _ONE_AFTER


def _figure_at(doc: Doc, i: int, codes: frozenset[str], *, opens_range: bool = True) -> FigureMatch | None:
    """The figure starting at token i; ``opens_range=False`` for the far end of a range,
    which never opens another ("1-2-3-..." costs no recursion)."""
    tok = doc[i]
    if tok.is_space or tok.is_punct and tok.text not in numbers.CURRENCY_SYMBOLS:
        if not numbers.currency_for_symbol(tok.text):
            return None
    if tok.lower_ == "one" and _pronoun_one(doc, i):
        return None
    timed = times.match_time(doc, i)
    if timed:
        end, clock = timed
        match = FigureMatch(i, end, "time", clock, times.UNIT, head=i)
        return _range(doc, match, codes, opens_range)
    dated = dates.match_date(doc, i)
    if dated:
        end, parts = dated
        return FigureMatch(i, end, "date", None, date=parts, head=i)
    glued = numbers.split_currency_prefix(tok.text)
    if glued and numbers.parse_number(glued[1]) is not None:
        # "HK$200,000", "NT$100": one token
        end, value = i + 1, numbers.parse_number(glued[1])
        if end < len(doc) and doc[end].lower_ in numbers.SCALE_WORDS:
            value *= numbers.SCALE_WORDS[doc[end].lower_]
            end += 1
        return _range(doc, FigureMatch(i, end, "money", value, glued[0], head=i), codes, opens_range)
    # currency before the number: "$1.13bn", "US$5", "EUR 5m"
    currency = numbers.currency_for_symbol(tok.text)
    if currency is None and tok.text.isupper() and tok.text in codes and i + 1 < len(doc):
        currency = tok.text if numbers.parse_number(doc[i + 1].text) is not None else None
    start = i
    if currency:
        if i + 1 >= len(doc):
            return None
        num = _number_at(doc, i + 1)
        if num is None:
            return None
        end, value, _ = num
        head = i + 1
        kind, unit = "money", currency
    else:
        ordinal = numbers.parse_ordinal(tok.text)
        if ordinal is not None and not tok.like_num or tok.lower_ in numbers.ORDINAL_WORDS:
            if ordinal is None or (tok.lower_ == "second" and i > 0 and doc[i - 1].lower_ in ("a", "per", "one")):
                return None
            return FigureMatch(i, i + 1, "ordinal", float(ordinal), head=i)
        if tok.lower_ in numbers.PLURAL_SCALES and i + 1 < len(doc) and doc[i + 1].lower_ == "of":
            return FigureMatch(i, i + 1, "cardinal", float(numbers.PLURAL_SCALES[tok.lower_]),
                               qualifier="at least", head=i)
        decade = numbers.parse_decade(tok.text)
        if decade is not None:
            return FigureMatch(i, i + 1, "decade", float(decade), unit="YYYY", head=i)
        num = _number_at(doc, i)
        if num is None:
            return None
        end, value, suffix_unit = num
        head = i
        kind, unit = None, None
        if suffix_unit == "percent":
            kind, unit = "percent", "percent"
        elif suffix_unit:
            kind, unit = "quantity", suffix_unit
        if tok.lower_ in ("a", "an") and end == i + 1:
            return None
    if kind is None or kind == "money":
        end, k2, u2, value = _unit_after(doc, end, value, codes) if kind is None else (end, kind, unit, value)
        kind, unit = k2 or kind, u2 or unit
    if kind is None:
        text = doc[head].text
        if dates._year(text) and end == head + 1:
            kind, unit = "year", "YYYY"
        else:
            kind = "cardinal"
    return _range(doc, FigureMatch(start, end, kind, value, unit, head=head), codes, opens_range)


def _range(doc: Doc, match: FigureMatch, codes: frozenset[str], opens_range: bool = True) -> FigureMatch:
    """``match``, or the range it opens ("5 to 10", "5-10", "between 5 and 10", "$5m-$10m",
    "30 to 44 days"): the kind of its ends, ``value_max`` its upper end; then its qualifier."""
    start, end, kind = match.start, match.end, match.kind
    if opens_range and end + 1 < len(doc) and doc[end].lower_ in RANGE_JOINERS and kind != "year":
        joiner = doc[end].lower_
        other = _figure_at(doc, end + 1, codes, opens_range=False) if doc[end + 1].text not in ("-",) else None
        prev = doc[start - 1].lower_ if start > 0 else ""
        ok = joiner != "and" or prev == "between"
        if joiner == "to" and prev != "from" and kind not in ("percent", "money", "quantity"):
            ok = ok and other is not None and (other.kind == kind or kind == "cardinal" and other.kind in _UNIT_KINDS)
        if other and ok and other.value is not None and match.value is not None and (
            other.kind in (kind, "cardinal") or kind == "cardinal" and other.kind in _UNIT_KINDS
        ):
            kind, unit = (other.kind, other.unit) if kind == "cardinal" else (kind, match.unit or other.unit)
            match = replace(match, end=other.end, kind=kind, unit=unit, value_max=other.value_max or other.value)
    qual = _qualifier(doc, start)
    if qual:
        match = replace(match, qualifier=qual[1])
    return match


#: Kinds the first end of "30 to 44 days" takes from the second.
_UNIT_KINDS = frozenset({"duration", "quantity", "money", "percent", "time"})


if not Doc.has_extension("figures"):
    Doc.set_extension("figures", default=None)
