"""Markdown articles: front matter as metadata, markup stripped to plain paragraphs."""

from __future__ import annotations

import re
import tomllib

from ..models import ImageCaption
from .dates import normalise_date
from .document import ArticleParts
from .language import normalise_language_tag
from .text import clean_body, collapse_spaces, split_blocks

_FRONT_MATTER = re.compile(r"\A(?P<fence>---|\+\+\+)[ \t]*\n(?P<body>.*?)\n(?P=fence)[ \t]*(?:\n|\Z)", re.DOTALL)
_YAML_PAIR = re.compile(r"(?P<key>[A-Za-z_][\w -]*?)\s*:\s*(?P<value>.*)")
_YAML_ITEM = re.compile(r"\s*-\s+(?P<value>.+)")

# Every repetition inside an inline construct is bounded (and link text holds no "["):
# on a line of 200,000 "[" or "*" an unbounded one rescans the rest of the line from each
# of them, O(n^2). Link text or emphasis longer than the bound is left as written.
_INLINE = 300
_IMAGE = re.compile(
    rf"!\[(?P<alt>[^\[\]\n]{{0,{_INLINE}}})\]\((?P<src>[^)\s]{{0,2000}})"
    rf"(?:\s+[\"'(](?P<title>[^\"')\n]{{0,{_INLINE}}})[\"')])?\s{{0,20}}\)"
)
_LINK = re.compile(rf"\[(?P<text>[^\[\]\n]{{0,{_INLINE}}})\]\([^()\n]{{0,2000}}\)")
_REF_LINK = re.compile(rf"\[(?P<text>[^\[\]\n]{{1,{_INLINE}}})\]\[[^\[\]\n]{{0,100}}\]")
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\[\]\n]{1,300}\]:\s+\S+.*$", re.MULTILINE)
_AUTOLINK = re.compile(r"<(?P<url>(?:https?|mailto):[^>\s]{1,2000})>")
_HTML_TAG = re.compile(r"</?[A-Za-z][^>\n]{0,200}>")
_HEADING = re.compile(r"^\s{0,3}(?P<marks>#{1,6})\s+(?P<text>.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
_FENCE = re.compile(r"^\s{0,3}(?:```|~~~)")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
# "\s*\|?\s*" would try every split of a run of spaces between its two halves: O(n^2)
_TABLE_SEPARATOR = re.compile(r"^\s*(?:\|\s*)?:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*(?:\|\s*)?$")
_EMPHASIS = (
    re.compile(rf"(\*\*|__)(?=\S)(.{{1,{_INLINE}}}?)(?<=\S)\1"),
    re.compile(rf"(?<![\w*])([*_])(?=\S)(.{{1,{_INLINE}}}?)(?<=\S)\1(?![\w*])"),
    re.compile(rf"(~~)(?=\S)(.{{1,{_INLINE}}}?)(?<=\S)\1"),
)
_CODE_SPAN = re.compile(r"(?>`+)([^`\n]{1,%d})(?>`+)" % _INLINE)


def _scalar(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def parse_front_matter(text: str) -> tuple[dict[str, object], str]:
    """(metadata, rest) for ``---`` YAML or ``+++`` TOML front matter (flat keys and lists)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    rest = text[match.end():]
    raw = match.group("body")
    if match.group("fence") == "+++":
        try:
            return {str(k).lower(): v for k, v in tomllib.loads(raw).items()}, rest
        except tomllib.TOMLDecodeError:
            return {}, rest
    # A flat YAML subset (what article front matter uses) keeps this free of a YAML library.
    meta: dict[str, object] = {}
    current_key: str | None = None
    for line in raw.split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = _YAML_ITEM.fullmatch(line)
        if item and current_key is not None:
            existing = meta.get(current_key)
            values = existing if isinstance(existing, list) else []
            values.append(_scalar(item.group("value")))
            meta[current_key] = values
            continue
        pair = _YAML_PAIR.fullmatch(line)
        if pair and not line.startswith((" ", "\t")):
            current_key = pair.group("key").strip().lower()
            value = pair.group("value").strip()
            if value.startswith("[") and value.endswith("]"):
                meta[current_key] = [_scalar(v) for v in value[1:-1].split(",") if v.strip()]
            else:
                meta[current_key] = _scalar(value) if value else []
    return meta, rest


def _strip_inline(line: str, images: list[ImageCaption]) -> str:
    def image(match: re.Match[str]) -> str:
        caption = (match.group("title") or match.group("alt") or "").strip()
        images.append(ImageCaption(caption=caption or None))
        return " "

    line = _IMAGE.sub(image, line)
    line = _LINK.sub(lambda m: m.group("text"), line)
    line = _REF_LINK.sub(lambda m: m.group("text"), line)
    line = _AUTOLINK.sub(lambda m: m.group("url"), line)
    line = _HTML_TAG.sub("", line)
    line = _CODE_SPAN.sub(r"\1", line)
    for pattern in _EMPHASIS:
        line = pattern.sub(r"\2", line)
    line = re.sub(r"\\([\\`*_{}\[\]()#+\-.!>|])", r"\1", line)
    return collapse_spaces(line)


def markdown_to_text(text: str) -> tuple[str, str | None, list[ImageCaption]]:
    """(plain text with blank-line paragraphs, first level-1 heading, image captions)."""
    images: list[ImageCaption] = []
    heading_title: str | None = None
    out: list[str] = []
    in_fence = False
    text = _LINK_DEFINITION.sub("", text)
    for line in text.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
            out.append("")
            continue
        if in_fence:
            out.append(line)
            continue
        if _RULE.match(line) or _TABLE_SEPARATOR.match(line):
            out.append("")
            continue
        if _SETEXT.match(line) and out and out[-1].strip():
            # The line above was a heading: make it a paragraph of its own.
            if heading_title is None and line.strip().startswith("=") and not any(o.strip() for o in out[:-1]):
                heading_title = _strip_inline(out.pop(), images)
            out.append("")
            continue
        line = _QUOTE.sub("", line)
        heading = _HEADING.match(line)
        if heading:
            content = _strip_inline(heading.group("text"), images)
            if heading_title is None and len(heading.group("marks")) == 1:
                heading_title = content
            else:
                out.extend(["", content, ""])
            continue
        list_item = _LIST_MARKER.match(line)
        if list_item:
            out.extend(["", _strip_inline(line[list_item.end():], images)])
            continue
        if line.strip().startswith("|") and line.strip().endswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            out.extend(["", _strip_inline(" ".join(cells), images), ""])
            continue
        out.append(_strip_inline(line, images) if line.strip() else "")
    return "\n".join(out), heading_title, images


def _meta_text(meta: dict[str, object], *keys: str) -> str | None:
    for key in keys:
        value = meta.get(key)
        if isinstance(value, list):
            value = ", ".join(str(item) for item in value if str(item).strip())
        if isinstance(value, (str, int, float)) and str(value).strip():
            return str(value).strip()
        if hasattr(value, "isoformat"):
            return value.isoformat()  # TOML dates arrive as date/datetime objects.
    return None


def parse_markdown(text: str) -> ArticleParts:
    meta, rest = parse_front_matter(text)
    plain, heading_title, images = markdown_to_text(rest)
    meta_title = _meta_text(meta, "title", "headline")
    title = meta_title or heading_title
    if meta_title and heading_title and heading_title.casefold() != meta_title.casefold():
        # The front matter names the article, so an opening "# heading" that differs is body.
        plain = heading_title + "\n\n" + plain
    body = clean_body(split_blocks(plain), title=title)
    date_value = _meta_text(meta, "date", "published", "datepublished", "pubdate", "publishdate")
    return ArticleParts(
        paragraphs=body.paragraphs,
        title=title,
        publisher=_meta_text(meta, "publisher", "source", "site", "site_name", "sitename")
        or next(iter(body.publishers), None)
        or body.agency,
        byline=_meta_text(meta, "author", "authors", "byline", "by") or body.byline,
        published=normalise_date(date_value) if date_value else body.published,
        declared_language=normalise_language_tag(_meta_text(meta, "language", "lang", "locale")),
        images=[image for image in images if image.caption] + body.images,
        removed=body.removed,
        warnings=body.warnings,
    )
