"""Cleaning: the bytes of one S3 object to the article a reader would see.

``clean_article`` is a pure function (no AWS, no network, no spaCy). It picks the format
from the key's extension, then the Content-Type, then the content itself, and raises
``BadInputError`` for input that no retry can fix.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Literal

from ..errors import BadInputError
from ..models import CleanedArticle, ImageCaption
from .decoding import MAX_DECOMPRESSED_BYTES, decode_bytes, gunzip, is_gzip
from .document import ArticleParts
from .html import parse_html
from .jsonfmt import parse_json
from .language import detect_language
from .markdown import parse_markdown
from .text import parse_plain_text

__all__ = ["clean_article", "detect_format", "Format", "MAX_DECOMPRESSED_BYTES"]

Format = Literal["text", "html", "json", "markdown"]

_EXTENSIONS: dict[str, Format] = {
    ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".json": "json", ".jsonld": "json",
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown", ".mkd": "markdown",
}
_CONTENT_TYPES: dict[str, Format] = {
    "text/plain": "text",
    "text/html": "html", "application/xhtml+xml": "html",
    "application/json": "json", "application/ld+json": "json", "text/json": "json",
    "text/markdown": "markdown", "text/x-markdown": "markdown",
}
_HTML_START = re.compile(r"\s*(?:<!doctype\s+html|<html[\s>]|<\?xml[^>]*>\s*<html|<head[\s>]|<body[\s>])", re.I)
_HTML_TAGS = re.compile(r"<(?:p|div|article|h1|h2|section|br)\b[^>]*>", re.I)
_MARKDOWN_HINT = re.compile(r"\A(?:---\n|\+\+\+\n|#{1,2} \S)|^\s{0,3}#{1,3} \S|!\[[^\]]*\]\(|\[[^\]]+\]\(https?://", re.M)


def _extension_format(key: str) -> tuple[Format | None, bool]:
    """(format named by the key's extension, whether the key ends in .gz)."""
    path = PurePosixPath(key.lower())
    gzipped = path.suffix in (".gz", ".gzip")
    if gzipped:
        path = path.with_suffix("")
    return _EXTENSIONS.get(path.suffix), gzipped


def _sniff(text: str) -> Format:
    head = text[:5000]
    stripped = head.lstrip()
    if stripped[:1] in "{[":
        return "json"
    if _HTML_START.match(head) or len(_HTML_TAGS.findall(head)) >= 3:
        return "html"
    if _MARKDOWN_HINT.search(head):
        return "markdown"
    return "text"


def detect_format(text: str, *, key: str, content_type: str | None) -> Format:
    by_extension, _ = _extension_format(key)
    if by_extension == "text" and _HTML_START.match(text[:1000]):
        # A whole HTML document saved as .txt is still HTML.
        return "html"
    if by_extension:
        return by_extension
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type in _CONTENT_TYPES:
        return _CONTENT_TYPES[media_type]
    return _sniff(text)


def _parse(text: str, fmt: Format) -> ArticleParts:
    if fmt == "html":
        return parse_html(text)
    if fmt == "json":
        return parse_json(text, html_parser=parse_html)
    if fmt == "markdown":
        return parse_markdown(text)
    return parse_plain_text(text)


def _dedupe_images(images: list[ImageCaption]) -> list[ImageCaption]:
    seen: set[tuple[str | None, str | None, bool]] = set()
    unique: list[ImageCaption] = []
    for image in images:
        key = (image.caption, image.credit, image.featured)
        if key not in seen and (image.caption or image.credit):
            seen.add(key)
            unique.append(image)
    return unique


def clean_article(raw: bytes, *, key: str, content_type: str | None = None) -> CleanedArticle:
    """Decode, pick the format, extract the article and tag its language."""
    if not raw or not raw.strip():
        raise BadInputError("empty", "the object is empty or only whitespace")
    _, gzipped_name = _extension_format(key)
    warnings: list[str] = []
    if is_gzip(raw):
        raw = gunzip(raw, limit=MAX_DECOMPRESSED_BYTES)
    elif gzipped_name:
        warnings.append("the key ends in .gz but the object is not gzip data; read it as is")
    decoded = decode_bytes(raw, content_type=content_type)
    warnings.extend(decoded.warnings)
    fmt = detect_format(decoded.text, key=key, content_type=content_type)
    try:
        parts = _parse(decoded.text, fmt)
    except RecursionError:
        # nesting deeper than a reader's recursion: bad input, never a retry
        raise BadInputError("too_deep", f"the {fmt} nests deeper than it can be read") from None
    paragraphs = [paragraph for paragraph in parts.paragraphs if paragraph.strip()]
    if not paragraphs:
        raise BadInputError("no_article_text", f"no article text found in this {fmt} object")
    text = "\n\n".join(paragraphs)

    language, _confidence = detect_language(text)
    if language is None and parts.declared_language:
        language = parts.declared_language
    warnings.extend(parts.warnings)
    if language is None:
        warnings.append("language could not be detected")
    # A language the extraction cannot read is its warning to give (it knows which it reads).
    return CleanedArticle(
        title=parts.title or None,
        publisher=parts.publisher or None,
        byline=parts.byline or None,
        published=parts.published or None,
        language=language,
        text=text,
        images=_dedupe_images(parts.images),
        removed=parts.removed,
        warnings=warnings,
    )
