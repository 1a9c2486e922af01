"""Clock times: "6 p.m.", "6:30 p.m.", "10:00", "7pm", "noon", "midnight".

A figure of ``kind="time"`` carries the time of day as an ISO 8601 *basic* time in a number
(``1830`` for 18:30, as :mod:`.dates` does for calendar dates) with ``unit`` :data:`UNIT`;
a time of day with no clock time ("this morning") has no value.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

UNIT = "HHMM"
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")
_GLUED = re.compile(r"^(\d{1,2})(?::(\d{2}))?([ap])\.?m\.?$", re.IGNORECASE)
_MERIDIEM = {"a.m.": "a", "am": "a", "a.m": "a", "p.m.": "p", "pm": "p", "p.m": "p"}
NAMED_TIMES = {"noon": 1200, "midnight": 0, "midday": 1200}


def _hhmm(hour: int, minute: int, meridiem: str | None) -> float | None:
    if meridiem is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "p" else 0)
    if hour > 23 or minute > 59:
        return None
    return float(hour * 100 + minute)


def match_time(doc: Doc, i: int) -> tuple[int, float] | None:
    """A clock time starting at token ``i``: (end token index, HHMM), or None."""
    text = doc[i].text
    low = text.lower()
    if low in NAMED_TIMES:
        return i + 1, float(NAMED_TIMES[low])
    glued = _GLUED.match(text)
    if glued:
        value = _hhmm(int(glued[1]), int(glued[2] or 0), glued[3].lower())
        return (i + 1, value) if value is not None else None
    nxt = doc[i + 1].lower_ if i + 1 < len(doc) else ""
    meridiem = _MERIDIEM.get(nxt)
    clock = _CLOCK.match(text)
    if clock:
        value = _hhmm(int(clock[1]), int(clock[2]), meridiem)
        if value is None:
            return None
        return (i + 2 if meridiem else i + 1), value
    if meridiem and text.isdigit():
        value = _hhmm(int(text), 0, meridiem)
        return (i + 2, value) if value is not None else None
    return None


def clock_time(doc: Doc, start: int, end: int) -> float | None:
    """The first clock time among tokens [start, end), or None."""
    for i in range(start, end):
        found = match_time(doc, i)
        if found is not None and found[0] <= end:
            return found[1]
    return None
