"""Image captions and credits as scrapers leave them in the text.

A paragraph that ends in a credit ("[Image by X]", "(AP Photo/X)", "Photo: X"...) is a
caption, not prose: it moves to ``images`` with the caption sentences and the credit apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import ImageCaption

# Captions are a sentence or three; longer paragraphs are prose even if they end oddly.
MAX_CAPTION_CHARS = 700

# "Graphic: <title>" is a link to a chart, not a credit, so graphics are not listed.
# German, French, Spanish and Italian pages credit their pictures the same way ("Foto: X").
_MEDIA = (
    r"(?:image|photo|photograph|picture|pic|illustration|video|footage|artwork|"
    r"foto|bild|titelbild|bildquelle|fotoquelle|imagen|immagine|cr[ée]dit photo)s?"
)
_MEDIA_WORD = re.compile(rf"\b(?:{_MEDIA}|credit)\b", re.IGNORECASE)
_CREDIT_BODY = r"[^\[\]()\n]{1,150}?"

# Each pattern matches the credit at the very end of a paragraph; ``pre`` is what precedes it.
_CREDIT_AT_END: tuple[re.Pattern[str], ...] = (
    # [Image by X], [Featured Image by X], [Photo via X], [Image: X], [Image credit: X]
    re.compile(
        rf"(?P<pre>.*?)\s*\[\s*(?P<featured>(?:featured|top|header|lead|main)\s+)?{_MEDIA}"
        rf"(?:\s+credit)?(?:\s*:\s*|\s+(?:by|via|from|courtesy(?:\s+of)?|credit:?)\s+)"
        rf"(?P<credit>[^\[\]\n]{{1,150}}?)\s*\]",
        re.IGNORECASE | re.DOTALL,
    ),
    # (AP Photo/X), (Reuters Photo/X), (AFP Photo/X)
    re.compile(
        r"(?P<pre>.*?)\s*\((?P<credit>[^()\n]{0,40}\bPhotos?\s*/\s*[^()\n]{1,120}?)\)",
        re.DOTALL,
    ),
    # (Photo: X), (Photo by X), (Image courtesy of X), (Credit: X)
    re.compile(
        rf"(?P<pre>.*?)\s*\((?:{_MEDIA}(?:\s+credit)?|credit)(?:\s*:\s*|\s+(?:by|via|courtesy(?:\s+of)?)\s+)"
        rf"(?P<credit>{_CREDIT_BODY})\s*\)",
        re.IGNORECASE | re.DOTALL,
    ),
    # "... sentence. Photo: X" / "Photograph: X" / "Image credit: X" / "Photo by X/Getty Images"
    re.compile(
        rf"(?P<pre>.*?)(?:^|(?<=[.!?\u201d\"')\]])\s+|\s*[|\u2013\u2014-]\s*)(?:{_MEDIA}(?:\s+credit)?|credit)"
        rf"(?:\s*:\s*|\s+(?:by|via|courtesy(?:\s+of)?)\s+)(?P<credit>[^.!?\n]{{1,120}}?)\.?",
        re.IGNORECASE | re.DOTALL,
    ),
)

# BBC-style scraped furniture: "Image copyright X" then "Image caption Y" (one line or two).
_IMAGE_COPYRIGHT = re.compile(
    r"(?:image|media|picture) (?:copyright|source)\s*:?\s+(?P<credit>.+?)"
    r"(?:\s+(?:image|media) caption\s*:?\s+(?P<caption>.+))?",
    re.IGNORECASE | re.DOTALL,
)
_IMAGE_CAPTION = re.compile(r"(?:image|media) caption\s*:?\s+(?P<caption>.+)", re.IGNORECASE | re.DOTALL)


_CREDIT_PREFIX = re.compile(
    rf"^\(?\s*(?:{_MEDIA}(?:\s+credit)?|credit|copyright|\u00a9)\s*(?::|by\b|via\b|courtesy(?:\s+of)?\b)?\s*",
    re.IGNORECASE,
)


def tidy_credit(value: str | None) -> str | None:
    """ "Photo: Jane Doe/Agency" → "Jane Doe/Agency"; brackets and stray punctuation dropped."""
    if value is None:
        return None
    value = re.sub(r"\s+", " ", value).strip(" ()[]")
    value = _CREDIT_PREFIX.sub("", value, count=1)
    return value.strip(" \t-\u2013\u2014|:;,()[]") or None


@dataclass(frozen=True)
class CaptionMatch:
    image: ImageCaption
    #: True when the paragraph carried only a credit (to pair with a caption-only neighbour).
    credit_only: bool = False
    caption_only: bool = False


def _tidy(value: str | None) -> str | None:
    if value is None:
        return None
    value = re.sub(r"\s+", " ", value).strip(" \t\n-\u2013\u2014|:;,")
    return value or None


def match_caption(paragraph: str) -> CaptionMatch | None:
    """Read ``paragraph`` as an image caption and/or credit, or return None for prose."""
    text = paragraph.strip()
    if not text or len(text) > MAX_CAPTION_CHARS:
        return None
    # Cheap gate: every form below ends in a bracket or names the medium or the credit.
    if not text.endswith(("]", ")")) and not _MEDIA_WORD.search(text):
        return None
    match = _IMAGE_COPYRIGHT.fullmatch(text)
    if match:
        caption = _tidy(match.group("caption"))
        return CaptionMatch(
            ImageCaption(caption=caption, credit=_tidy(match.group("credit"))),
            credit_only=caption is None,
        )
    match = _IMAGE_CAPTION.fullmatch(text)
    if match:
        return CaptionMatch(ImageCaption(caption=_tidy(match.group("caption"))), caption_only=True)
    for pattern in _CREDIT_AT_END:
        match = pattern.fullmatch(text)
        if not match:
            continue
        credit = _tidy(match.group("credit"))
        if not credit or len(credit.split()) > 12:
            continue
        # An unbracketed "Photo by ..." must look like a name, or it is just a sentence.
        if pattern is _CREDIT_AT_END[-1] and (not credit[0].isupper() or len(credit.split()) > 8):
            continue
        caption = _tidy(match.group("pre"))
        featured = bool(match.groupdict().get("featured"))
        return CaptionMatch(
            ImageCaption(caption=caption, credit=credit, featured=featured),
            credit_only=caption is None,
        )
    return None
