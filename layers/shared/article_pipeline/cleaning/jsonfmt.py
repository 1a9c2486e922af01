"""JSON articles: common scraper shapes and schema.org NewsArticle JSON-LD (also in ``@graph``)."""

from __future__ import annotations

import json
import re
from typing import Any

from ..errors import BadInputError
from ..models import ImageCaption
from .dates import normalise_date
from .document import ArticleParts
from .language import normalise_language_tag
from .text import clean_body, split_blocks

_TITLE_KEYS = ("title", "headline", "name")
_BODY_KEYS = ("articlebody", "article_body", "text", "body", "content", "maintext", "main_text",
              "full_text", "fulltext", "article_text", "story", "article")
_AUTHOR_KEYS = ("author", "authors", "byline", "creator", "creators")
_DATE_KEYS = ("datepublished", "date_published", "published", "published_at", "publishedat", "publish_date",
              "publication_date", "date_publish", "pubdate", "date", "datecreated", "created_at")
_PUBLISHER_KEYS = ("publisher", "source", "site_name", "sitename", "site", "source_name", "source_domain")
_LANGUAGE_KEYS = ("inlanguage", "language", "lang")
_IMAGE_KEYS = ("image", "images", "associatedmedia")
# Wrappers some APIs put around the article itself.
_WRAPPER_KEYS = ("article", "data", "item", "result", "document", "story", "post")

_ARTICLE_TYPE = re.compile(r"(?:\w*Article|BlogPosting|Report|LiveBlogPosting|SocialMediaPosting)$")
_LOOKS_LIKE_HTML = re.compile(r"<(?:p|div|br|span|h[1-6]|article|section|ul|ol|li|figure|a|em|strong|b|i)\b[^>]*>", re.I)


def _lower_keys(obj: dict[str, Any]) -> dict[str, Any]:
    return {str(key).lower(): value for key, value in obj.items()}


def _first(obj: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = obj.get(key)
        if value not in (None, "", [], {}):
            return value
    return None


def _name_of(value: Any) -> str | None:
    """A person or organisation as a string: "X", {"name": "X"}, ["X", {"name": "Y"}]."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        inner = _lower_keys(value)
        return _name_of(_first(inner, ("name", "alternatename", "legalname", "title", "url")))
    if isinstance(value, list):
        names = [name for name in (_name_of(item) for item in value) if name]
        return ", ".join(dict.fromkeys(names)) or None
    return None


def _types(obj: dict[str, Any]) -> list[str]:
    value = obj.get("@type")
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def _find_json_ld_article(data: Any) -> dict[str, Any] | None:
    """The first schema.org *Article object in ``data``, ``@graph`` or a list of nodes."""
    if isinstance(data, list):
        for item in data:
            found = _find_json_ld_article(item)
            if found is not None:
                return found
        return None
    if not isinstance(data, dict):
        return None
    if any(_ARTICLE_TYPE.search(kind) for kind in _types(data)):
        return data
    graph = data.get("@graph")
    if graph is not None:
        return _find_json_ld_article(graph)
    return None


def _body_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        pieces = [_body_text(item) for item in value]
        return "\n\n".join(piece for piece in pieces if piece) or None
    if isinstance(value, dict):
        inner = _lower_keys(value)
        return _body_text(_first(inner, ("text", "body", "content", "value", "html")))
    return None


def _images(value: Any) -> list[ImageCaption]:
    items = value if isinstance(value, list) else [value]
    images: list[ImageCaption] = []
    for item in items[:30]:
        if not isinstance(item, dict):
            continue
        inner = _lower_keys(item)
        caption = _first(inner, ("caption", "description", "alt"))
        credit = _name_of(_first(inner, ("credit", "credittext", "copyrightholder", "author", "creator")))
        if isinstance(caption, str) or credit:
            images.append(ImageCaption(caption=caption.strip() if isinstance(caption, str) and caption.strip() else None,
                                       credit=credit))
    return images


def _article_object(data: Any) -> dict[str, Any]:
    ld = _find_json_ld_article(data)
    if ld is not None:
        return ld
    if isinstance(data, list):
        objects = [item for item in data if isinstance(item, dict)]
        if len(objects) == 1:
            data = objects[0]
        else:
            raise BadInputError(
                "unknown_json_shape",
                f"JSON is a list of {len(data)} items, not one article",
            )
    if not isinstance(data, dict):
        raise BadInputError("unknown_json_shape", f"JSON is a {type(data).__name__}, not an article object")
    lowered = _lower_keys(data)
    if _first(lowered, _BODY_KEYS) is None:
        for key in _WRAPPER_KEYS:
            inner = lowered.get(key)
            if isinstance(inner, dict):
                return _article_object(inner)
    return data


def parse_json(text: str, *, html_parser: Any) -> ArticleParts:
    """Read an article object; its body goes through ``html_parser`` when it is HTML."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInputError("malformed_json", f"the object is not valid JSON: {exc}") from None
    except RecursionError:
        # the parser's own recursion limit: no article nests a thousand levels deep
        raise BadInputError("too_deep", "the JSON nests deeper than the parser allows") from None
    article = _article_object(data)
    fields = _lower_keys(article)
    body_value = _first(fields, _BODY_KEYS)
    body = _body_text(body_value)
    if body is None or not body.strip():
        keys = ", ".join(sorted(str(key) for key in article)) or "none"
        raise BadInputError(
            "unknown_json_shape",
            f"JSON object has no article text field (keys found: {keys})",
        )
    title = _first(fields, _TITLE_KEYS)
    title = title.strip() if isinstance(title, str) else None
    if _LOOKS_LIKE_HTML.search(body[:20000]):
        parts: ArticleParts = html_parser(body)
        if title:
            # The HTML body of a JSON record rarely carries the headline; keep the record's.
            parts.title = title
            parts.paragraphs = [p for p in parts.paragraphs if p.strip().casefold() != title.casefold()]
    else:
        cleaned = clean_body(split_blocks(body), title=title)
        parts = ArticleParts(
            paragraphs=cleaned.paragraphs,
            title=title,
            publisher=next(iter(cleaned.publishers), None) or cleaned.agency,
            byline=cleaned.byline,
            published=cleaned.published,
            images=cleaned.images,
            removed=cleaned.removed,
            warnings=cleaned.warnings,
        )
    byline = _name_of(_first(fields, _AUTHOR_KEYS))
    published = normalise_date(_first(fields, _DATE_KEYS))
    publisher = _name_of(_first(fields, _PUBLISHER_KEYS))
    language = _first(fields, _LANGUAGE_KEYS)
    parts.byline = byline or parts.byline
    parts.published = published or parts.published
    parts.publisher = publisher or parts.publisher
    parts.declared_language = normalise_language_tag(language) or parts.declared_language
    parts.images = _images(_first(fields, _IMAGE_KEYS)) + parts.images
    return parts
