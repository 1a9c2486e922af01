"""Language of an article body: an ISO 639-1 code from py3langid (offline, deterministic)."""

from __future__ import annotations

import re
from functools import lru_cache

# A few thousand characters decide the language as well as the whole text, at a fraction of the time.
_SAMPLE_CHARS = 5000
# Below this many letters any guess is noise.
MIN_LETTERS = 20
# Normalised probability under which the guess is reported as unknown.
MIN_CONFIDENCE = 0.5

_LETTER = re.compile(r"[^\W\d_]")
_URL = re.compile(r"https?://\S+|www\.\S+")


@lru_cache(maxsize=1)
def _identifier():  # type: ignore[no-untyped-def]
    # Imported and loaded on first use: the model takes a moment, and only cleaning needs it.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str | None, float]:
    """(ISO 639-1 code, confidence), or (None, 0.0) when the text is too short or unclear."""
    sample = _URL.sub(" ", text[:_SAMPLE_CHARS])
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return None, 0.0
    code, confidence = _identifier().classify(sample)
    confidence = float(confidence)
    if confidence < MIN_CONFIDENCE:
        return None, confidence
    return str(code), confidence


def normalise_language_tag(tag: object) -> str | None:
    """"en-GB", "en_US", "EN" → "en"; anything that is not a language tag → None."""
    if not isinstance(tag, str):
        return None
    match = re.fullmatch(r"\s*([A-Za-z]{2})(?:[-_][A-Za-z0-9]{1,8})*\s*", tag)
    return match.group(1).lower() if match else None
