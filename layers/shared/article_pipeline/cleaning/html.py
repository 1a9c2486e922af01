"""HTML pages: main text and metadata with trafilatura, captions from ``<figure>``.

The options are general choices for news pages, measured with ``article-pipeline
eval-clean``: comments are not the article (``include_comments=False``) and a missed
sidebar costs less than extracted furniture (``favor_precision=True``). Deduplication is
off because trafilatura's duplicate cache is process-wide state, which would make the
output of one page depend on the pages cleaned before it.
"""

from __future__ import annotations

import re

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.settings import Document

from ..errors import BadInputError
from ..models import ImageCaption, RemovedText
from .captions import match_caption, tidy_credit
from .dates import normalise_date
from .document import ArticleParts
from .language import normalise_language_tag
from .text import clean_body, collapse_spaces, count_words

EXTRACTION_OPTIONS: dict[str, object] = {
    "include_comments": False,
    "favor_precision": True,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "deduplicate": False,
    "with_metadata": True,
}

MAX_CAPTIONS = 30

# Block-level elements of trafilatura's output tree; anything else is inline.
_BLOCKS = frozenset({"p", "head", "list", "item", "quote", "table", "row", "cell", "code", "div", "section", "body"})
# Blocks whose own text is one paragraph (unless they hold other blocks).
_CREDIT_CLASS = re.compile(r"credit|copyright|byline|source|attribution|photographer|author", re.I)
_FEATURED_CLASS = re.compile(r"featured|hero|lead|top-?image|main-?image|headline-?image|article-?header", re.I)
# lxml refuses a str that carries an encoding declaration; the text is already decoded.
_XML_DECLARATION = re.compile(r"\A(?:\ufeff)?\s*<\?xml[^>]*\?>", re.I)
_HTML_LANG = re.compile(rb"<html[^>]{0,500}?\blang\s*=\s*[\"']?([A-Za-z]{2}(?:[-_][A-Za-z0-9]{1,8})?)", re.I)


def _html_spaces(text: str | None, keep_newlines: bool) -> str:
    # A newline in the page's source is a space to a reader; only <lb/> (a <br>) breaks a line.
    return (text or "") if keep_newlines else (text or "").replace("\n", " ")


def _inline_text(element: etree._Element, keep_newlines: bool = False) -> str:
    """Text of an inline run, with ``<lb/>`` as a line break (and code as it is laid out)."""
    keep_newlines = keep_newlines or element.tag == "code"
    pieces: list[str] = [_html_spaces(element.text, keep_newlines)]
    for child in element:
        if child.tag == "lb":
            pieces.append("\n")
        elif isinstance(child.tag, str):
            pieces.append(_inline_text(child, keep_newlines))
        pieces.append(_html_spaces(child.tail, keep_newlines))
    return "".join(pieces)


def body_blocks(body: etree._Element) -> list[list[str]]:
    """trafilatura's body tree as blocks of lines (one block per paragraph, list item, row)."""
    blocks: list[list[str]] = []

    def add(text: str) -> None:
        for line in text.split("\n"):
            line = collapse_spaces(line)
            if line:
                blocks.append([line])

    def visit(element: etree._Element) -> None:
        if element.tag == "row":
            cells = [collapse_spaces(_inline_text(cell)) for cell in element]
            add(" ".join(cell for cell in cells if cell))
            return
        if any(child.tag in _BLOCKS for child in element):
            add(element.text or "")
            for child in element:
                if child.tag in _BLOCKS:
                    visit(child)
                elif child.tag != "graphic":
                    add(_inline_text(child))
                add(child.tail or "")
            return
        if element.tag != "graphic":
            add(_inline_text(element))

    visit(body)
    return blocks


def _parse_tree(html: str) -> lxml.html.HtmlElement | None:
    # no_network: the parser must never fetch a DTD or entity from the network.
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, recover=True)
    try:
        return lxml.html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError):
        return None


def _article_scope(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The ``<article>`` (or ``<main>``) holding the most text, else the whole page."""
    for tag in ("article", "main"):
        candidates = tree.xpath(f"//{tag}")
        if candidates:
            return max(candidates, key=lambda element: len(element.text_content()))
    return tree


def _has_class(element: etree._Element, pattern: re.Pattern[str], depth: int = 3) -> bool:
    node: etree._Element | None = element
    for _ in range(depth):
        if node is None or not isinstance(node.tag, str):
            return False
        if pattern.search(f"{node.get('class', '')} {node.get('id', '')}"):
            return True
        node = node.getparent()
    return False


def figure_captions(tree: lxml.html.HtmlElement) -> list[ImageCaption]:
    """Captions and credits of the figures in the article part of the page."""
    images: list[ImageCaption] = []
    seen: set[tuple[str | None, str | None]] = set()
    for figcaption in _article_scope(tree).iter("figcaption"):
        credit_parts: list[str] = []
        for element in figcaption.iter():
            if element is not figcaption and isinstance(element.tag, str) and _has_class(element, _CREDIT_CLASS, depth=1):
                credit_parts.append(collapse_spaces(element.text_content()))
        full = collapse_spaces(figcaption.text_content())
        if not full:
            continue
        caption: str | None = full
        credit_text = collapse_spaces(" ".join(credit_parts))
        credit = tidy_credit(credit_text)
        if credit_text:
            caption = collapse_spaces(full.replace(credit_text, " ")) or None
        else:
            matched = match_caption(full)
            if matched is not None:
                caption, credit = matched.image.caption, matched.image.credit
        key = (caption, credit)
        if key in seen:
            continue
        seen.add(key)
        images.append(ImageCaption(caption=caption, credit=credit, featured=_has_class(figcaption, _FEATURED_CLASS, depth=4)))
        if len(images) >= MAX_CAPTIONS:
            break
    return images


#: A page whose main text is shorter than this holds no article (navigation, a stub).
MIN_ARTICLE_WORDS = 8
#: Below this many characters the precise extraction is checked against the balanced one,
#: which replaces it when it finds more than ``BALANCED_FACTOR`` times as much.
SHORT_PRECISE_CHARS = 3000
BALANCED_FACTOR = 3
#: A standfirst is at most this many blocks above the precise text, each a sentence of at
#: least this many words (a headline, a section label or a date line is shorter).
STANDFIRST_BLOCKS = 3
STANDFIRST_WORDS = 10


def _chars(blocks: list[list[str]]) -> int:
    return sum(len(line) for block in blocks for line in block)


def _inside_block(element: etree._Element, scope: etree._Element) -> bool:
    """Whether a paragraph, item or quote between ``element`` and ``scope`` already holds it
    (an article that a layout puts inside a list item is still read paragraph by paragraph)."""
    for ancestor in element.iterancestors():
        if ancestor is scope:
            return False
        if ancestor.tag in ("p", "li", "blockquote"):
            return True
    return False


_PAGE_REGIONS = "//nav|//footer|//header|//aside|//form"


def _fallback_blocks(tree: lxml.html.HtmlElement, warnings: list[str]) -> list[list[str]]:
    """Paragraph-level text of a fragment trafilatura finds too small to call an article."""
    for junk in tree.xpath("//script|//style|//noscript|//template"):
        junk.drop_tree()
    page = tree.find("body")
    page_chars = len(collapse_spaces((page if page is not None else tree).text_content()))
    kept_regions: list[str] = []
    for region in tree.xpath(_PAGE_REGIONS):
        # Broken markup can leave the whole page inside one <header> or <form>: a region
        # holding most of what the page says is the page, not its furniture.
        if page_chars and len(collapse_spaces(region.text_content())) > page_chars / 2:
            kept_regions.append(f"<{region.tag}>")
            continue
        if region.getparent() is not None:
            region.drop_tree()
    if kept_regions:
        warnings.append(f"kept {', '.join(kept_regions)} regions: they hold most of the page's text")
    blocks: list[list[str]] = []
    scope = _article_scope(tree)
    for element in scope.iter("p", "h2", "h3", "h4", "li", "blockquote", "pre"):
        if _inside_block(element, scope):
            continue
        text = collapse_spaces(element.text_content().replace("\n", " "))
        if text:
            blocks.append([text])
    if not blocks:
        body = tree.find("body")
        text = (body if body is not None else tree).text_content()
        blocks = [[collapse_spaces(line)] for line in text.split("\n") if collapse_spaces(line)]
    return blocks


def _extract(html: str, *, favor_precision: bool) -> tuple[Document | None, list[list[str]]]:
    document = trafilatura.bare_extraction(html, **{**EXTRACTION_OPTIONS, "favor_precision": favor_precision})
    blocks = body_blocks(document.body) if document is not None and document.body is not None else []
    return document, blocks


def heading_lines(body: etree._Element | None) -> set[str]:
    """The lines of trafilatura's ``<head>`` elements (headlines and subheadings)."""
    if body is None:
        return set()
    return {collapse_spaces(line) for head in body.iter("head") for line in _inline_text(head).split("\n")} - {""}


def standfirst(precise: list[list[str]], balanced: list[list[str]], headings: set[str]) -> list[list[str]]:
    """The lead paragraphs the balanced extraction has just above where the precise one starts.

    Precision mode often starts the article at its first body paragraph and drops the
    standfirst (the summary under the headline, outside the body's container). What the
    balanced mode has there is the headline, the standfirst and sometimes a label or a
    date: only paragraphs (not headings) long enough to be a sentence are the article's.
    """
    if not precise:
        return []
    start = next((index for index, block in enumerate(balanced) if block == precise[0]), 0)
    above = balanced[max(0, start - STANDFIRST_BLOCKS):start]
    return [
        block for block in above
        if count_words(" ".join(block)) >= STANDFIRST_WORDS and not headings.intersection(block)
    ]


def main_text(html: str) -> tuple[Document | None, list[list[str]]]:
    """trafilatura's document and its main text as blocks, precise mode unless it missed the article."""
    document, blocks = _extract(html, favor_precision=True)
    balanced, balanced_blocks = _extract(html, favor_precision=False)
    if _chars(blocks) < SHORT_PRECISE_CHARS and _chars(balanced_blocks) > BALANCED_FACTOR * max(_chars(blocks), 1):
        # Precision mode sometimes keeps one box of a long page (a teaser, a first section);
        # when the balanced mode finds several times more, that is the article.
        return balanced, balanced_blocks
    headings = heading_lines(balanced.body if balanced is not None else None)
    return document, standfirst(blocks, balanced_blocks, headings) + blocks


def parse_html(html: str) -> ArticleParts:
    """Main text, title, byline, date, site name and figure captions of an HTML page."""
    html = _XML_DECLARATION.sub("", html, count=1)
    tree = _parse_tree(html)
    if tree is None:
        raise BadInputError("no_article_text", "the HTML could not be parsed")
    document, blocks = main_text(html)
    warnings: list[str] = []
    if not blocks:
        # Short pages and fragments fall under trafilatura's minimum size; keep what they say.
        fresh_tree = _parse_tree(html)  # the fallback prunes the tree it is given
        fallback_warnings: list[str] = []
        blocks = _fallback_blocks(fresh_tree if fresh_tree is not None else tree, fallback_warnings)
        if blocks:
            warnings.append("main-text extraction found nothing; kept the page's paragraphs")
            warnings.extend(fallback_warnings)
    if sum(count_words(" ".join(block)) for block in blocks) < MIN_ARTICLE_WORDS:
        blocks = []  # a menu, a title or a cookie notice alone is a page without an article
    images = figure_captions(tree)
    caption_texts = {image.caption for image in images if image.caption}
    caption_texts |= {
        collapse_spaces(" ".join(filter(None, (image.caption, image.credit)))) for image in images
    }
    removed: list[RemovedText] = []
    kept_blocks: list[list[str]] = []
    for block in blocks:
        if block[0] in caption_texts:
            removed.append(RemovedText(kind="caption", text=block[0]))
        else:
            kept_blocks.append(block)

    title = collapse_spaces(document.title) if document is not None and document.title else None
    if title is None:
        heading = tree.find(".//h1") if tree is not None else None
        if heading is None:
            heading = tree.find(".//title")
        title = collapse_spaces(heading.text_content()) if heading is not None else None
    body = clean_body(kept_blocks, title=title)
    declared = _HTML_LANG.search(html[:5000].encode("utf-8", "ignore"))
    byline = document.author if document is not None and document.author else None
    return ArticleParts(
        paragraphs=body.paragraphs,
        title=title or None,
        publisher=(document.sitename if document is not None and document.sitename else None)
        or next(iter(body.publishers), None)
        or body.agency,
        byline=collapse_spaces(byline.replace(";", ",")) if byline else body.byline,
        published=normalise_date(document.date) if document is not None and document.date else body.published,
        declared_language=normalise_language_tag(declared.group(1).decode()) if declared else None,
        images=images + body.images,
        removed=removed + body.removed,
        warnings=warnings + body.warnings,
    )
