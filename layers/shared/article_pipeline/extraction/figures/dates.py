"""Date expressions: recognising them in a Doc and resolving them to calendar dates.

Encoding in a :class:`~article_pipeline.models.Figure` (``kind="date"``): ``value`` is the
ISO 8601 *basic* calendar date as a number (``20161210`` for 2016-12-10) and ``unit`` names
its precision, ``"YYYYMMDD"`` or ``"YYYYMM"``. A weekday or relative date that cannot be
fixed (no ``published`` date) is ``kind="weekday"`` (``value`` 1-7, ISO weekday, ``unit``
``"isoweekday"``) or ``kind="relative_date"`` (``value`` the signed offset, ``unit`` day,
week, month or year). Years alone are ``kind="year"`` (``value`` 2016, ``unit`` ``"YYYY"``).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from spacy.tokens import Doc

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS.update({name.lower() + ".": i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = MONTHS["sept."] = 9
WEEKDAYS = {name.lower(): i + 1 for i, name in enumerate(calendar.day_name)}
RELATIVE_DAYS = {"today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0}
RELATIVE_UNITS = {"week", "month", "year"}
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
#: Words after which an ambiguous month name ("May", "March") is a month.
_MONTH_CUES = {"in", "on", "of", "since", "until", "by", "last", "next", "early", "late", "mid", "from", "to", "this", "between", "during", "before", "after", "through"}


@dataclass(frozen=True)
class DateParts:
    """What the text says: any of year, month, day, weekday, or an offset from today."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    offset: int | None = None
    offset_unit: str | None = None


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _year(text: str) -> int | None:
    value = _int(text)
    return value if value is not None and 1000 <= value <= 2199 and len(text) == 4 else None


def _day(text: str) -> int | None:
    match = re.match(r"^(\d{1,2})(?:st|nd|rd|th)?$", text.lower())
    if match and 1 <= int(match[1]) <= 31:
        return int(match[1])
    return None


def match_date(doc: Doc, i: int) -> tuple[int, DateParts] | None:
    """A date starting at token ``i``: (end token index, parts), or None."""
    n = len(doc)
    tok = doc[i]
    text = tok.text
    lower = text.lower()
    # 1996-08-30, as one token or five
    iso = _ISO_DATE.match(text)
    if iso:
        return i + 1, DateParts(int(iso[1]), int(iso[2]), int(iso[3]))
    if _year(text) and i + 4 < n and doc[i + 1].text == "-" and doc[i + 3].text == "-":
        joined = doc[i : i + 5].text.replace(" ", "")
        iso = _ISO_DATE.match(joined)
        if iso and 1 <= int(iso[2]) <= 12 and 1 <= int(iso[3]) <= 31:
            return i + 5, DateParts(int(iso[1]), int(iso[2]), int(iso[3]))
    # weekdays and today/yesterday
    if lower in WEEKDAYS and text[0].isupper():
        return i + 1, DateParts(weekday=WEEKDAYS[lower])
    if lower in RELATIVE_DAYS:
        return i + 1, DateParts(offset=RELATIVE_DAYS[lower], offset_unit="day")
    if lower in ("last", "next", "this") and i + 1 < n and doc[i + 1].lower_ in RELATIVE_UNITS:
        sign = {"last": -1, "next": 1, "this": 0}[lower]
        return i + 2, DateParts(offset=sign, offset_unit=doc[i + 1].lower_)
    # 10 December 2016
    day = _day(text)
    if day and i + 1 < n and doc[i + 1].lower_ in MONTHS and doc[i + 1].text[0].isupper():
        month = MONTHS[doc[i + 1].lower_]
        end = i + 2
        year = None
        if end < n and _year(doc[end].text):
            year, end = int(doc[end].text), end + 1
        return end, DateParts(year, month, day)
    # December 10, 2016 / December 2016 / Dec. 10 / in December
    if lower in MONTHS and text[0].isupper():
        month = MONTHS[lower]
        ambiguous = lower in ("may", "march", "jan", "mar", "jun", "aug", "sep", "oct", "dec")
        end = i + 1
        day = year = None
        if end < n and _day(doc[end].text):
            day, end = _day(doc[end].text), end + 1
            if end + 1 < n and doc[end].text == "," and _year(doc[end + 1].text):
                year, end = int(doc[end + 1].text), end + 2
            elif end < n and _year(doc[end].text):
                year, end = int(doc[end].text), end + 1
        elif end < n and _year(doc[end].text):
            year, end = int(doc[end].text), end + 1
        if day is None and year is None:
            prev = doc[i - 1].lower_ if i > 0 else ""
            if ambiguous and prev not in _MONTH_CUES:
                return None
            if lower.endswith(".") or (len(lower) <= 4 and lower not in ("may", "june", "july")):
                return None
        return end, DateParts(year, month, day)
    return None


def parse_published(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return datetime.fromisoformat(published.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(published[:10])
        except ValueError:
            return None


def _add_months(d: date, months: int) -> date:
    month = d.month - 1 + months
    year = d.year + month // 12
    return date(year, month % 12 + 1, 1)


def resolve(parts: DateParts, published: date | None) -> tuple[str, float, str]:
    """(kind, value, unit) for a date; see the module doc for the encoding."""
    if parts.weekday is not None:
        if published is None:
            return "weekday", float(parts.weekday), "isoweekday"
        back = (published.isoweekday() - parts.weekday) % 7
        d = published - timedelta(days=back)
        return "date", float(d.strftime("%Y%m%d")), "YYYYMMDD"
    if parts.offset is not None:
        unit = parts.offset_unit or "day"
        if published is None:
            return "relative_date", float(parts.offset), unit
        if unit == "day":
            d = published + timedelta(days=parts.offset)
            return "date", float(d.strftime("%Y%m%d")), "YYYYMMDD"
        if unit == "week":
            d = published + timedelta(weeks=parts.offset)
            return "date", float(d.strftime("%Y%m%d")), "YYYYMMDD"
        if unit == "month":
            d = _add_months(published, parts.offset)
            return "date", float(d.strftime("%Y%m")), "YYYYMM"
        return "year", float(published.year + parts.offset), "YYYY"
    year = parts.year
    if year is None and published is not None and parts.month is not None:
        # a month without a year: the latest such month not after publication
        year = published.year if parts.month <= published.month else published.year - 1
    if year is None:
        if parts.day is not None:
            return "day_of_month", float(parts.month * 100 + parts.day), "MMDD"
        return "month", float(parts.month or 0), "MM"
    if parts.month is None:
        return "year", float(year), "YYYY"
    if parts.day is None:
        return "date", float(year * 100 + parts.month), "YYYYMM"
    try:
        date(year, parts.month, parts.day)
    except ValueError:
        return "date", float(year * 100 + parts.month), "YYYYMM"
    return "date", float(year * 10000 + parts.month * 100 + parts.day), "YYYYMMDD"
