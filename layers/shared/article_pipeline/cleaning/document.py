"""What each format reader hands to the assembly step: an article not yet checked or tagged."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import ImageCaption, RemovedText


@dataclass
class ArticleParts:
    paragraphs: list[str]
    title: str | None = None
    publisher: str | None = None
    byline: str | None = None
    published: str | None = None
    #: A language the source declares (HTML lang, JSON inLanguage, front matter).
    declared_language: str | None = None
    images: list[ImageCaption] = field(default_factory=list)
    removed: list[RemovedText] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
