"""Parsing of numeric text: digits, number words, magnitudes, currencies and units.

Pure string functions with their data tables; no spaCy here. ``figures`` decides which
tokens form a figure, this module says what the words mean.

Why not a library: weighed on the OntoNotes development half's 678 MONEY/PERCENT spans
that state one plain number (each given its text with the currency sign OntoNotes leaves
outside the span), value right / value and ISO 4217 currency right / time a span:

==============  ==========  =========  ==========
parser          value       currency   per span
==============  ==========  =========  ==========
this module     678 (100%)  378/380    0.29 ms (spaCy tokenizing included)
quantulum3      671 (99%)   373/380    0.76 ms
text2num        386 (57%)   --         0.02 ms (spelled-out numbers only)
price-parser    104 (15%)   94/380     0.09 ms (no "million", no currency words)
==============  ==========  =========  ==========

quantulum3 comes closest but is slower and brings its own unit tables and dependencies
into the Extract layer for no gain; the rest miss most wire-copy amounts. The same holds
for dates (:mod:`.dates`): dateparser returns a date for more DATE spans (779 of 1,244
against 548) but takes 1.9 ms a span against 0.05 ms, and much of what it adds is wrong
for a record: a year alone gets today's month and day ("1989" -> 1989-11-29), a duration
becomes a date ("two days" -> two days ago), relative dates are read against the clock
rather than the article's date. The spans themselves come from the NER (:mod:`.evidence`).
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Number words and their values (English).
UNITS_WORDS = {
    "zero": 0, "nil": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
#: Words that multiply what precedes them ("two dozen", "3.5 million").
SCALE_WORDS = {
    "dozen": 12, "score": 20, "hundred": 100, "thousand": 1_000, "million": 1_000_000,
    "billion": 1_000_000_000, "trillion": 1_000_000_000_000,
}
#: Plural scale words used alone ("hundreds of", "thousands of"): a lower bound.
PLURAL_SCALES = {w + "s": v for w, v in SCALE_WORDS.items()}
#: Fractions written as words.
FRACTION_WORDS = {"half": 0.5, "quarter": 0.25, "third": 1 / 3}
#: Magnitude suffixes glued to digits or standing after them ("1.13bn", "600 m").
MAGNITUDE_SUFFIXES = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "million": 1e6,
    "b": 1e9, "bn": 1e9, "bln": 1e9, "billion": 1e9, "tn": 1e12, "trillion": 1e12,
}
ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
    "hundredth": 100, "thousandth": 1000, "millionth": 1_000_000,
}

#: Currency symbols and prefixes → ISO 4217 code.
CURRENCY_SYMBOLS = {
    "$": "USD", "us$": "USD", "a$": "AUD", "au$": "AUD", "c$": "CAD", "ca$": "CAD",
    "nz$": "NZD", "hk$": "HKD", "s$": "SGD", "£": "GBP", "€": "EUR", "¥": "JPY",
    "₹": "INR", "₩": "KRW", "₽": "RUB", "₺": "TRY", "₦": "NGN", "₪": "ILS", "r$": "BRL",
    "nt$": "TWD", "rmb": "CNY", "rm": "MYR",
}
#: Currency words after a number ("5 million dollars") → ISO 4217 code.
CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "pound": "GBP", "pounds": "GBP", "sterling": "GBP",
    "euro": "EUR", "euros": "EUR", "yen": "JPY", "yuan": "CNY", "renminbi": "CNY",
    "rupee": "INR", "rupees": "INR", "rouble": "RUB", "roubles": "RUB", "ruble": "RUB",
    "rubles": "RUB", "pence": "GBP", "cents": "USD", "francs": "CHF", "won": "KRW",
    "rmb": "CNY", "pataca": "MOP", "patacas": "MOP", "ringgit": "MYR", "baht": "THB",
    "rand": "ZAR", "shekels": "ILS", "pesos": "MXN", "lira": "TRY",
}
#: Currency words that name money only where the model already says MONEY ("5 marks" may
#: be an exam's): the 1990s European currencies of wire copy.
MONEY_ONLY_WORDS = {
    "marks": "DEM", "mark": "DEM", "deutsche": "DEM", "lire": "ITL", "pesetas": "ESP",
    "guilders": "NLG", "kronor": "SEK", "kroner": "NOK", "schillings": "ATS", "escudos": "PTE",
}
#: Whose dollar (or pound, or franc) a word before it says: "Canadian dollars", "US$".
CURRENCY_COUNTRIES = {
    ("dollar", "us"): "USD", ("dollar", "u.s."): "USD", ("dollar", "american"): "USD",
    ("dollar", "canadian"): "CAD", ("dollar", "australian"): "AUD", ("dollar", "kong"): "HKD",
    ("dollar", "zealand"): "NZD", ("dollar", "singapore"): "SGD", ("dollar", "taiwan"): "TWD",
    ("dollar", "taiwanese"): "TWD", ("franc", "swiss"): "CHF", ("franc", "french"): "FRF",
    ("franc", "belgian"): "BEF", ("pound", "egyptian"): "EGP", ("pound", "irish"): "IEP",
}
#: Sub-units: value is divided by 100.
MINOR_CURRENCY_WORDS = {"pence", "p", "cents", "cent"}

PERCENT_WORDS = {"%": "percent", "percent": "percent", "pc": "percent", "pct": "percent"}

#: Units of measure → canonical unit.
MEASURE_UNITS = {
    "km": "km", "kilometre": "km", "kilometres": "km", "kilometer": "km", "kilometers": "km",
    "mile": "mi", "miles": "mi", "metre": "m", "metres": "m", "meter": "m", "meters": "m",
    "cm": "cm", "mm": "mm", "ft": "ft", "foot": "ft", "feet": "ft", "inch": "in", "inches": "in",
    "yard": "yd", "yards": "yd", "kg": "kg", "kilogram": "kg", "kilograms": "kg", "kilo": "kg",
    "kilos": "kg", "g": "g", "gram": "g", "grams": "g", "tonne": "t", "tonnes": "t", "ton": "t",
    "tons": "t", "lb": "lb", "lbs": "lb", "litre": "l", "litres": "l", "liter": "l",
    "liters": "l", "gallon": "gal", "gallons": "gal", "barrel": "bbl", "barrels": "bbl",
    "acre": "acre", "acres": "acre", "hectare": "ha", "hectares": "ha", "ha": "ha",
    "sq": "sq", "mph": "mph", "km/h": "km/h", "kph": "km/h", "knots": "kn",
    "mw": "MW", "gw": "GW", "kw": "kW", "kwh": "kWh", "mwh": "MWh", "gwh": "GWh",
    "kb": "kB", "mb": "MB", "gb": "GB", "tb": "TB", "mbps": "Mbit/s", "gbps": "Gbit/s",
    "ghz": "GHz", "mhz": "MHz", "degrees": "degree", "degree": "degree", "°c": "°C", "°f": "°F",
    "c": "°C", "f": "°F", "points": "point", "point": "point", "pts": "point",
    "runs": "run", "wickets": "wicket", "goals": "goal", "votes": "vote", "seats": "seat",
}
#: Units that only count after a number when nothing else could be meant.
AMBIGUOUS_UNITS = {"m", "g", "c", "f", "ha", "in"}

#: Time units → canonical (singular) duration unit.
DURATION_UNITS = {
    "second": "second", "seconds": "second", "minute": "minute", "minutes": "minute",
    "min": "minute", "mins": "minute", "hour": "hour", "hours": "hour", "hr": "hour",
    "hrs": "hour", "day": "day", "days": "day", "week": "week", "weeks": "week",
    "fortnight": "fortnight", "month": "month", "months": "month", "year": "year",
    "years": "year", "yr": "year", "yrs": "year", "decade": "decade", "decades": "decade",
    "century": "century", "centuries": "century",
}

_DIGITS = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_DIGITS_SUFFIX = re.compile(
    r"^(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?P<suffix>[a-zA-Z%]+)$"
)
_DENOMINATORS = frozenset({2, 3, 4, 5, 8, 10, 16, 32, 64})
_FRACTION = re.compile(r"^(\d{1,3})/(\d{1,3})$")
_CURRENCY_PREFIX = re.compile(r"^([A-Za-z]{0,3}\$|[£€¥])(\d[\d,]*(?:\.\d+)?[a-zA-Z]{0,3})$")
_ORDINAL_DIGITS = re.compile(r"^(\d+)(?:st|nd|rd|th)$", re.IGNORECASE)
_DECADE = re.compile(r"^(?:mid-|early-|late-)?(\d{2,4})['’]?s$", re.IGNORECASE)


def parse_digits(text: str) -> float | None:
    """``"80,000"`` → 80000.0, ``"1.5"`` → 1.5; anything else → None."""
    text = text.strip()
    if not _DIGITS.match(text):
        return None
    return float(text.replace(",", ""))


def split_suffix(text: str) -> tuple[float, str] | None:
    """``"1.13bn"`` → (1.13, "bn"), ``"76%"`` → (76.0, "%"), ``"5km"`` → (5.0, "km")."""
    match = _DIGITS_SUFFIX.match(text.strip())
    if not match:
        return None
    return float(match["num"].replace(",", "")), match["suffix"]


def parse_fraction(text: str) -> float | None:
    """``"1/2"`` -> 0.5, ``"3/4"`` -> 0.75, ``"5/32"``: a proper fraction over a denominator
    prices and rates are quoted in ("9/11" and "24/7" are no fractions)."""
    match = _FRACTION.match(text)
    if not match or int(match[2]) not in _DENOMINATORS or not 0 < int(match[1]) < int(match[2]):
        return None
    return int(match[1]) / int(match[2])


def split_currency_prefix(text: str) -> tuple[str, str] | None:
    """``"HK$200,000"`` -> ("HKD", "200,000"): a currency glued to its amount."""
    match = _CURRENCY_PREFIX.match(text)
    if not match:
        return None
    code = CURRENCY_SYMBOLS.get(match[1].lower())
    return (code, match[2]) if code else None


def currency_of_words(words: list[str], iso_codes: frozenset[str] = frozenset(), *, money: bool = False) -> str | None:
    """The currency a run of words names ("Canadian dollars", "US$", "yuan", "RMB"), or None.

    ``money``: the words are already known to be an amount (the model's MONEY span), so
    the currency words that may mean something else count too."""
    for i, word in enumerate(words):
        low = word.lower()
        code = CURRENCY_SYMBOLS.get(low) or currency_for_word(word, iso_codes) or (MONEY_ONLY_WORDS.get(low) if money else None)
        prefix = split_currency_prefix(word)
        if prefix:
            return prefix[0]
        if code is None:
            continue
        base = low.rstrip("s")
        if base in ("dollar", "franc", "pound") and i > 0:
            before = [w.lower() for w in words[max(0, i - 2) : i] if w not in ("-",)]
            for adjective in reversed(before):
                country = CURRENCY_COUNTRIES.get((base, adjective))
                if country:
                    return country
        return code
    return None


def parse_ordinal(text: str) -> int | None:
    """``"3rd"`` → 3, ``"twenty-first"`` → 21, ``"first"`` → 1."""
    lower = text.lower().strip()
    match = _ORDINAL_DIGITS.match(lower)
    if match:
        return int(match[1])
    if lower in ORDINAL_WORDS:
        return ORDINAL_WORDS[lower]
    parts = re.split(r"[\s-]+", lower)
    if len(parts) == 2 and parts[0] in UNITS_WORDS and parts[1] in ORDINAL_WORDS:
        return UNITS_WORDS[parts[0]] + ORDINAL_WORDS[parts[1]]
    return None


def parse_decade(text: str) -> int | None:
    """``"1990s"`` → 1990, ``"mid-1990s"`` → 1990."""
    match = _DECADE.match(text.strip())
    return int(match[1]) if match else None


def is_number_word(word: str) -> bool:
    lower = word.lower()
    return lower in UNITS_WORDS or lower in SCALE_WORDS


@lru_cache(maxsize=4096)
def parse_number_words(text: str) -> float | None:
    """Parse number words: ``"nine"``, ``"twenty-one"``, ``"two dozen"``,
    ``"one hundred and five"``, ``"3.5 million"``, ``"a million"``, ``"half a million"``."""
    words = [w for w in re.split(r"[\s-]+", text.lower().strip()) if w]
    if not words:
        return None
    total = 0.0
    current: float | None = None
    seen = False
    for i, word in enumerate(words):
        if word in ("and",) and seen:
            continue
        if word in ("a", "an") and i == 0:
            current = 1.0
            continue
        if word in FRACTION_WORDS and i == 0 and len(words) > 1:
            current = FRACTION_WORDS[word]
            seen = True
            continue
        if word == "a" and current is not None:
            continue
        if word == "½" and seen:  # "three and a half" (figures writes the half so)
            current = (current or 0.0) + 0.5
            continue
        digits = parse_digits(word)
        if digits is not None:
            if seen:
                return None
            current = digits
            seen = True
            continue
        if word in UNITS_WORDS:
            current = (current or 0.0) + UNITS_WORDS[word]
            seen = True
            continue
        if word in SCALE_WORDS or word in MAGNITUDE_SUFFIXES:
            scale = SCALE_WORDS.get(word) or MAGNITUDE_SUFFIXES[word]
            base = 1.0 if current is None else current
            if scale >= 1000:
                total += base * scale
                current = None
            else:
                current = base * scale
            seen = True
            continue
        return None
    if not seen:
        return None
    return total + (current or 0.0)


def parse_number(text: str) -> float | None:
    """Any single number: digits, digits with a magnitude suffix, or number words."""
    value = parse_digits(text)
    if value is not None:
        return value
    split = split_suffix(text)
    if split is not None:
        number, suffix = split
        scale = MAGNITUDE_SUFFIXES.get(suffix.lower())
        if scale is not None:
            return number * scale
    return parse_number_words(text)


def currency_for_symbol(text: str) -> str | None:
    return CURRENCY_SYMBOLS.get(text.lower())


def currency_for_word(text: str, iso_codes: frozenset[str] = frozenset()) -> str | None:
    """``"dollars"`` → USD; an ISO 4217 code in ``iso_codes`` stands for itself."""
    if text.isupper() and text in iso_codes:
        return text
    return CURRENCY_WORDS.get(text.lower())


def measure_unit(text: str) -> str | None:
    return MEASURE_UNITS.get(text.lower())


def duration_unit(text: str) -> str | None:
    return DURATION_UNITS.get(text.lower())
