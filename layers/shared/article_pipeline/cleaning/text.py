"""Plain text as scrapers save it: headline line, paragraphs, furniture, captions.

``clean_body`` is shared by every format: once HTML, JSON or Markdown is down to blocks of
lines, the same rules separate the article from share lines, captions and bylines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..models import ImageCaption, RemovedText
from .boilerplate import classify_line
from .captions import match_caption
from .dates import normalise_date
from .document import ArticleParts

MAX_TITLE_CHARS = 300
#: What one article keeps at most, so that the work after cleaning (and the record) stays
#: bounded whatever the input: 50,000 paragraphs is ten times a long book.
MAX_PARAGRAPHS = 50_000
MAX_IMAGES = 1_000
MAX_REMOVED = 5_000
# Bylines, date lines and the repeated headline sit before the first few real paragraphs.
_LEADING_PARAGRAPHS = 3

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BULLET = re.compile(r"^\s*(?:[-*\u2022\u25aa\u25cf]|\d{1,3}[.)])\s+")

_BYLINE = re.compile(
    r"(?:by|written by|words by|posted by|story by|reported by|author:|authors:)\s*(?P<names>.{2,160})",
    re.IGNORECASE,
)
# What may follow the names on a byline line: a date, a role, a separator.
_BYLINE_TAIL = re.compile(
    r"\s+(?:[|\u2022\u00b7]|[-\u2013\u2014]\s|on\s+(?=\w+\s+\d)|updated\b|published\b|posted\b)\s*.*$",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"^(?:[A-Z\u00c0-\u00de][\w.'\u2019-]*|@\w+)$")
_NAME_PARTICLES = frozenset(
    "and de van von der den la le da di du del bin al el y the of for staff writer writers reporter "
    "correspondent editor contributor senior chief political business".split()
)

_DATE_LINE = re.compile(
    r"(?:published|posted|updated|last updated|first published|date|dated)\s*(?:on|at)?\s*:?\s*(?P<date>.{4,80})",
    re.IGNORECASE,
)
_BARE_DATE = re.compile(
    r"(?=.*\b(?:1[89]|2[01])\d\d\b)(?=.*(?:\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\b|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4})).{6,60}",
    re.IGNORECASE,
)

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# "LONDON (Reuters) -", "KYIV, Ukraine (AP) —", "WASHINGTON, Nov. 3 (AFP) -", "(Reuters) -"
_DATELINE = re.compile(
    r"(?P<dateline>"
    r"(?:(?P<place>[A-Z][A-Z.'\u2019]+(?:[ -][A-Z][A-Z.'\u2019]+){0,3}"
    r"(?:,\s+[A-Z][A-Za-z.'\u2019]+(?:\s+[A-Z][A-Za-z.'\u2019]+){0,2})?)"
    rf"(?:,?\s+{_MONTH}\s+\d{{1,2}}(?:,\s+\d{{4}})?)?\s*)?"
    r"(?:\((?P<agency>[A-Z][\w&.'\u2019 /-]{1,40})\)\s*)?"
    r"(?:--?|\u2013|\u2014)\s*)(?=\S)"
)

_HEADER_LINE = re.compile(
    r"(?P<key>title|headline|author|authors|byline|by|date|published|publish date|pubdate|updated|"
    r"source|publisher|site|site name|url|link|language|lang)\s*:\s*(?P<value>.+)",
    re.IGNORECASE,
)


@dataclass
class Body:
    paragraphs: list[str] = field(default_factory=list)
    images: list[ImageCaption] = field(default_factory=list)
    removed: list[RemovedText] = field(default_factory=list)
    publishers: list[str] = field(default_factory=list)
    byline: str | None = None
    published: str | None = None
    dateline: str | None = None
    agency: str | None = None
    warnings: list[str] = field(default_factory=list)


# Scripts written without spaces between words: Han, kana (Hangul puts spaces between words).
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
# Chinese and Japanese words average about two characters.
_UNSPACED_CHARS_PER_WORD = 2


def count_words(text: str) -> int:
    """Words of a text, counting Chinese and Japanese by characters, not by spaces."""
    unspaced = len(_UNSPACED.findall(text))
    spaced = len(_UNSPACED.sub(" ", text).split())
    return spaced + unspaced // _UNSPACED_CHARS_PER_WORD


def collapse_spaces(line: str) -> str:
    return _SPACES.sub(" ", line).strip()


def split_blocks(text: str) -> list[list[str]]:
    """Blank-line separated blocks, each a list of its non-empty lines."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for raw_line in text.split("\n"):
        line = collapse_spaces(raw_line)
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _join_block(lines: list[str]) -> list[str]:
    """A block's lines as paragraphs: one paragraph if hard-wrapped, else one per line."""
    if len(lines) <= 1:
        return lines
    wrapped = all(20 <= len(line) <= 100 for line in lines[:-1]) and not any(
        _BULLET.match(line) or parse_byline(line) or _leading_date(line) for line in lines
    )
    if not wrapped:
        return lines
    joined = lines[0]
    for line in lines[1:]:
        # A word broken at the margin ("inter-\nnational") joins without a space.
        if joined.endswith("-") and line[:1].islower() and not joined.endswith(" -"):
            joined = joined[:-1] + line
        else:
            joined += " " + line
    return [joined]


def _same_text(a: str, b: str) -> bool:
    def norm(value: str) -> str:
        return re.sub(r"\W+", " ", value).strip().casefold()

    return norm(a) == norm(b)


def parse_byline(paragraph: str) -> str | None:
    """The names of a "By Jane Doe and John Roe, Reuters" line, or None if it is prose."""
    if len(paragraph) > 200:
        return None
    match = _BYLINE.fullmatch(paragraph.strip())
    if not match:
        return None
    names = _BYLINE_TAIL.sub("", match.group("names")).strip(" ,;:.")
    if not names:
        return None
    pieces = [piece.strip() for piece in re.split(r",|;|&|\band\b", names) if piece.strip()]
    if not pieces or len(pieces) > 6:
        return None
    for piece in pieces:
        words = piece.split()
        if len(words) > 6:
            return None
        if not any(_NAME_WORD.match(word) for word in words):
            return None
        for word in words:
            if not _NAME_WORD.match(word) and word.casefold() not in _NAME_PARTICLES:
                return None
    return names


# Words a date line may hold besides its date: month and day names and their short forms
# (English, German, French, Spanish, Italian), times and zones, the label's own words.
_DATE_LINE_WORDS = frozenset((
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "januar jänner februar märz juni juli oktober dezember jän mär okt dez "
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre janv févr avr juil déc "
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre "
    "gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre "
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun "
    "montag dienstag mittwoch donnerstag freitag samstag sonntag mo di mi do fr sa so "
    "lundi mardi mercredi jeudi vendredi samedi dimanche lunes martes miércoles jueves viernes sábado domingo "
    "am pm a.m p.m gmt utc bst cet cest est edt pst pdt et pt mez mesz uhr h on at the of th st nd rd er "
    "published posted updated last first date dated um le du de del el "
    "veröffentlicht veröffentlichung aktualisiert stand datum publié mis à jour publicado actualizado pubblicato"
).split())
_WORD = re.compile(r"[^\W\d_]+(?:\.[^\W\d_]+)*")


def _only_a_date(line: str) -> bool:
    """Whether a line says a date and nothing else ("Ende März 2023 hat" is prose)."""
    return all(word in _DATE_LINE_WORDS for word in _WORD.findall(line.casefold()))


def _leading_date(paragraph: str) -> str | None:
    if len(paragraph) > 100 or not _only_a_date(paragraph):
        return None
    match = _DATE_LINE.fullmatch(paragraph)
    if match:
        return normalise_date(match.group("date").strip(" .")) or None
    if _BARE_DATE.fullmatch(paragraph):
        return normalise_date(paragraph.strip(" ."))
    return None


def split_dateline(paragraph: str) -> tuple[str, str | None, str | None]:
    """Split "LONDON (Reuters) - Text" into ("Text", "LONDON (Reuters) -", "Reuters")."""
    match = _DATELINE.match(paragraph)
    if not match:
        return paragraph, None, None
    place, agency = match.group("place"), match.group("agency")
    letters = re.sub(r"[^A-Z]", "", place or "")
    if not agency and len(letters) < 3:
        return paragraph, None, None
    rest = paragraph[match.end():]
    if len(rest) < 20:
        return paragraph, None, None
    return rest, match.group("dateline").strip(), agency.strip() if agency else None


def clean_body(blocks: list[list[str]], *, title: str | None = None) -> Body:
    """Separate article paragraphs from furniture, captions, byline and date lines."""
    body = Body()
    # Index in body.images of a caption that still waits for its credit (or vice versa).
    open_image: int | None = None
    for number, lines in enumerate(blocks):
        if len(body.paragraphs) >= MAX_PARAGRAPHS:
            body.warnings.append(f"kept the first {MAX_PARAGRAPHS} paragraphs; {len(blocks) - number} blocks of text after them were dropped")
            break
        kept: list[str] = []
        for line in lines:
            verdict = classify_line(line)
            if verdict is None:
                kept.append(line)
                continue
            body.removed.append(RemovedText(kind=verdict.kind, text=line))
            if verdict.publisher:
                body.publishers.append(verdict.publisher)
        for paragraph in _join_block(kept):
            caption = match_caption(paragraph)
            if caption is not None:
                image = caption.image
                previous = body.images[open_image] if open_image is not None else None
                if previous is not None and caption.credit_only and previous.credit is None:
                    body.images[open_image] = previous.model_copy(update={"credit": image.credit})
                    open_image = None
                elif previous is not None and caption.caption_only and previous.caption is None:
                    body.images[open_image] = previous.model_copy(update={"caption": image.caption})
                    open_image = None
                else:
                    body.images.append(image)
                    open_image = len(body.images) - 1 if (caption.caption_only or caption.credit_only) else None
                kind = "credit" if image.caption is None else "caption"
                body.removed.append(RemovedText(kind=kind, text=paragraph))
                continue
            open_image = None
            if len(body.paragraphs) < _LEADING_PARAGRAPHS:
                if title and _same_text(paragraph, title):
                    body.removed.append(RemovedText(kind="title_repeat", text=paragraph))
                    continue
                if body.byline is None:
                    byline = parse_byline(paragraph)
                    if byline:
                        body.byline = byline
                        body.removed.append(RemovedText(kind="byline", text=paragraph))
                        continue
                date = _leading_date(paragraph)
                if date:
                    body.published = body.published or date
                    body.removed.append(RemovedText(kind="date", text=paragraph))
                    continue
            if not body.paragraphs:
                # The dateline stays in the text (it is part of the story's first sentence);
                # its agency is the fallback publisher of a wire story.
                _, dateline, agency = split_dateline(paragraph)
                if dateline:
                    body.dateline, body.agency = dateline, agency
            body.paragraphs.append(paragraph)
    _cap(body, "images", MAX_IMAGES, "image captions")
    _cap(body, "removed", MAX_REMOVED, "removed boilerplate texts")
    return body


def _cap(body: Body, name: str, limit: int, what: str) -> None:
    items = getattr(body, name)
    if len(items) > limit:
        body.warnings.append(f"listed the first {limit} of {len(items)} {what}")
        del items[limit:]


def _read_header(lines: list[str]) -> tuple[dict[str, str], int]:
    """``Key: value`` metadata lines some scrapers write above the article."""
    header: dict[str, str] = {}
    count = 0
    for line in lines:
        match = _HEADER_LINE.fullmatch(line)
        if not match:
            break
        header.setdefault(match.group("key").lower(), match.group("value").strip())
        count += 1
    if "title" in header or "headline" in header or count >= 2:
        return header, count
    return {}, 0


def parse_plain_text(text: str) -> ArticleParts:
    """Headline on the first line, then paragraphs; see ``clean_body`` for the rest."""
    blocks = split_blocks(text)
    parts = ArticleParts(paragraphs=[])
    leading_removed: list[RemovedText] = []
    publishers: list[str] = []

    first_lines = blocks[0] if blocks else []
    header, header_lines = _read_header(first_lines)
    if header_lines:
        del first_lines[:header_lines]
        if not first_lines:
            blocks.pop(0)
        parts.title = header.get("title") or header.get("headline")
        byline = header.get("author") or header.get("authors") or header.get("byline") or header.get("by")
        parts.byline = byline
        parts.published = normalise_date(
            header.get("published") or header.get("date") or header.get("publish date") or header.get("pubdate") or ""
        )
        parts.publisher = header.get("publisher") or header.get("source") or header.get("site name") or header.get("site")
        parts.declared_language = header.get("language") or header.get("lang")

    if parts.title is None:
        # The headline is the first line that is not furniture (some scrapes open with "Advertisement").
        while blocks:
            line = blocks[0][0]
            verdict = classify_line(line)
            if verdict is not None:
                leading_removed.append(RemovedText(kind=verdict.kind, text=line))
                if verdict.publisher:
                    publishers.append(verdict.publisher)
            elif len(line) <= MAX_TITLE_CHARS and (len(blocks) > 1 or len(blocks[0]) > 1):
                parts.title = line.strip()
            else:
                parts.warnings.append("no headline line found: the first line is prose")
                break
            blocks[0].pop(0)
            if not blocks[0]:
                blocks.pop(0)
            if parts.title is not None:
                break

    body = clean_body(blocks, title=parts.title)
    parts.paragraphs = body.paragraphs
    parts.images = body.images
    parts.removed = leading_removed + body.removed
    parts.byline = parts.byline or body.byline
    parts.published = parts.published or body.published
    parts.publisher = parts.publisher or next(iter(publishers + body.publishers), None) or body.agency
    parts.warnings.extend(body.warnings)
    return parts
