"""The one contract: stage messages, intermediate documents and the stored record.

``ArticleRecord`` is what lands in DynamoDB; its JSON Schema is generated from this module
into ``layers/shared/schema/article-record.schema.json`` (``make schema``) and a test keeps the two equal.
Extend these models, don't rename fields: stored records and queued messages outlive deploys.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MESSAGE_VERSION = 1

#: "deleted": the object was deleted (a retraction); the record keeps only where it was.
Status = Literal["processed", "failed", "deleted"]
Stage = Literal["clean", "extract", "store"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Source(_Model):
    """The S3 object an article came from, as the notification described it."""

    bucket: str
    key: str
    version_id: str | None = None
    etag: str | None = None
    size: int | None = None
    content_type: str | None = None
    sequencer: str | None = None


class ImageCaption(_Model):
    caption: str | None = None
    credit: str | None = None
    featured: bool = False


class RemovedText(_Model):
    """A piece of text cleaning dropped, and why (``share``, ``more_from``, ``credit``...)."""

    kind: str
    text: str


class Mention(_Model):
    start: int
    end: int


class Entity(_Model):
    #: The identity: the same in every article that names the same place (a public id,
    #: ``iso:US``, ``geonames:2643743``) or the same fullest name (``person:tony-blair``);
    #: see ``article_pipeline.identity``. None only in records from before identities.
    id: str | None = None
    name: str
    label: str
    count: int
    aliases: list[str] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)
    salience: float = 0.0


class Figure(_Model):
    text: str
    value: float | None = None
    #: the upper end of a range ("$50 to $70": value 50, value_max 70); None otherwise
    value_max: float | None = None
    unit: str | None = None
    kind: str
    qualifier: str | None = None
    subject: str | None = None
    sentence: str | None = None
    start: int
    end: int


class ErrorInfo(_Model):
    stage: Stage
    kind: str
    message: str


class PipelineInfo(_Model):
    version: str
    model: str | None = None
    model_version: str | None = None


class CleanedArticle(_Model):
    """What the Clean stage makes of one object: the article a reader would see."""

    title: str | None = None
    publisher: str | None = None
    byline: str | None = None
    published: str | None = None
    language: str | None = None
    text: str
    images: list[ImageCaption] = Field(default_factory=list)
    removed: list[RemovedText] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p.strip()]


class Extraction(_Model):
    """What the Extract stage adds to a cleaned article."""

    entities: list[Entity] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class CleanedDocument(_Model):
    """``cleaned/<id>.json``: the Clean stage's output, the Extract stage's input."""

    article_id: str
    source: Source
    content_sha256: str
    article: CleanedArticle


class ExtractedDocument(CleanedDocument):
    """``extracted/<id>.json``: the Extract stage's output, the Store stage's input."""

    extraction: Extraction
    pipeline: PipelineInfo


class DocumentRef(_Model):
    bucket: str
    key: str
    #: the version written (a versioned bucket): the next stage reads exactly it, even after
    #: a retraction's Store has deleted the key
    version_id: str | None = None


class StageMessage(_Model):
    """The body of every message between stages.

    A document small enough travels in the message itself (``inline_document``); a larger
    one stays in S3 and the message names it (``document``, a claim check). A message with
    ``error`` set carries a permanent failure down the chain so that the Store stage, the
    table's only writer, records it as a ``failed`` article.
    """

    version: Literal[1] = MESSAGE_VERSION
    article_id: str
    source: Source
    document: DocumentRef | None = None
    inline_document: dict[str, Any] | None = None
    error: ErrorInfo | None = None
    content_sha256: str | None = None
    #: the object was deleted: Store records the retraction (no document, no error)
    deleted: bool = False
    #: the documents earlier stages put for this upload (Extract passes on Clean's): the
    #: record names them, and Store deletes them once no stored record does
    earlier_documents: list[DocumentRef] = Field(default_factory=list)

    def documents(self) -> list[DocumentRef]:
        """Every document this upload's chain has put so far, by version."""
        return [*self.earlier_documents, *([self.document] if self.document else [])]

    @property
    def has_document(self) -> bool:
        return self.error is None and not self.deleted and (self.document is not None or self.inline_document is not None)


class ArticleRecord(_Model):
    """The record stored in DynamoDB (the contract in DESIGN.md). Offsets refer to ``text``."""

    article_id: str
    status: Status
    error: ErrorInfo | None = None
    source: Source
    content_sha256: str | None = None
    title: str | None = None
    publisher: str | None = None
    byline: str | None = None
    published: str | None = None
    language: str | None = None
    text: str | None = None
    text_uri: str | None = None
    paragraphs: int = 0
    word_count: int = 0
    images: list[ImageCaption] = Field(default_factory=list)
    removed: list[RemovedText] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    pipeline: PipelineInfo
    processed_at: str
    #: when the retraction was recorded (status "deleted" only)
    deleted_at: str | None = None
    #: Where a list too large for one DynamoDB item lives instead (claim check), as
    #: ``s3://bucket/extracted/<id>.json?versionId=<version>#<path>`` (no ``?versionId``
    #: in a bucket without versioning); its field above is then empty.
    entities_uri: str | None = None
    figures_uri: str | None = None
    removed_uri: str | None = None


def article_id_for(bucket: str, key: str) -> str:
    """Stable id from bucket and key, so every delivery of one object maps to one record."""
    return hashlib.sha256(f"{bucket}/{key}".encode()).hexdigest()[:32]


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def processed_record(doc: ExtractedDocument, processed_at: str) -> ArticleRecord:
    article = doc.article
    return ArticleRecord(
        article_id=doc.article_id,
        status="processed",
        source=doc.source,
        content_sha256=doc.content_sha256,
        title=article.title,
        publisher=article.publisher,
        byline=article.byline,
        published=article.published,
        language=article.language,
        text=article.text,
        paragraphs=len(article.paragraphs),
        word_count=len(article.text.split()),
        images=article.images,
        removed=article.removed,
        entities=doc.extraction.entities,
        figures=doc.extraction.figures,
        warnings=[*article.warnings, *doc.extraction.warnings],
        pipeline=doc.pipeline,
        processed_at=processed_at,
    )


def failed_record(message: StageMessage, pipeline: PipelineInfo, processed_at: str) -> ArticleRecord:
    return ArticleRecord(
        article_id=message.article_id,
        status="failed",
        error=message.error,
        source=message.source,
        content_sha256=message.content_sha256,
        pipeline=pipeline,
        processed_at=processed_at,
    )


def deleted_record(message: StageMessage, pipeline: PipelineInfo, processed_at: str) -> ArticleRecord:
    """A retraction: where the article was, and when it went; no text, lists or entities."""
    return ArticleRecord(
        article_id=message.article_id,
        status="deleted",
        source=message.source,
        pipeline=pipeline,
        processed_at=processed_at,
        deleted_at=processed_at,
    )
