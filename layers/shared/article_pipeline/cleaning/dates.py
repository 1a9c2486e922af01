"""Dates as sources write them, to ISO 8601 (a date, or a date-time when a time is given)."""

from __future__ import annotations

import re
import warnings
from datetime import datetime, timezone

from dateutil import parser as date_parser

_YEAR = re.compile(r"\b(1[89]\d\d|2[01]\d\d)\b")
# "10.30 GMT" (British style) reads as a time once the dot is a colon.
_DOTTED_TIME = re.compile(r"\b(\d{1,2})\.(\d{2})\b(?=\s*(?:[ap]\.?m\.?|gmt|bst|utc|et|pt|[A-Z]{2,4}\b|$))", re.I)
_HAS_TIME = re.compile(r"\d{1,2}[:.]\d{2}|T\d{2}")
# Fixed defaults keep parsing deterministic: dateutil would otherwise fill gaps from today.
_DEFAULT = datetime(2000, 1, 1)
_MAX_DATE_CHARS = 80


def normalise_date(value: object) -> str | None:
    """ISO 8601 for a date-like value, or None when it is not a recognisable date."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # Epoch seconds (or milliseconds) as some JSON scrapers store them.
        seconds = value / 1000 if value > 1e11 else value
        try:
            return datetime.fromtimestamp(seconds, tz=timezone.utc).isoformat(timespec="seconds")
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > _MAX_DATE_CHARS or not _YEAR.search(text):
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        parsed = None
    if parsed is None:
        cleaned = _DOTTED_TIME.sub(r"\1:\2", text)
        with warnings.catch_warnings():
            # Unknown zone names ("ET") still give a usable local time.
            warnings.simplefilter("ignore")
            for fuzzy in (False, True):
                try:
                    parsed = date_parser.parse(cleaned, default=_DEFAULT, fuzzy=fuzzy)
                    break
                except (ValueError, OverflowError, TypeError):
                    continue
    if parsed is None or not 1800 <= parsed.year <= 2199:
        return None
    if not _HAS_TIME.search(text):
        return parsed.date().isoformat()
    return parsed.isoformat(timespec="seconds")
