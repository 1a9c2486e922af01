"""Store stage: the extracted document (or a carried failure) becomes the record."""

from __future__ import annotations

import json

from ..documents import delete_versions, read_document, read_version, version_name, versions_of
from ..errors import DocumentGone
from ..models import (
    ArticleRecord, Entity, ExtractedDocument, PipelineInfo, Source, StageMessage, deleted_record, failed_record,
    processed_record, utc_now,
)
from ..records import MAX_RECORD_BYTES, order_key, put_record, record_size
from ..settings import Settings
from ..watchdog import Deadline
from . import exhausted


#: What moves to S3, in this order, while a record is too large for one item; each
#: stays in the extracted document under the path after ``#``.
OVERFLOW = (
    ("text", "text_uri", "article.text", None),
    ("entities", "entities_uri", "extraction.entities", []),
    ("figures", "figures_uri", "extraction.figures", []),
    ("removed", "removed_uri", "article.removed", []),
)


def build_record(message: StageMessage, *, s3, settings: Settings) -> tuple[ArticleRecord, list[Entity]]:
    """The record to store, and every entity to index (also those moved out of the record)."""
    now = utc_now()
    if message.deleted:
        return deleted_record(message, PipelineInfo(version=settings.pipeline_version), now), []
    if not message.has_document:
        return failed_record(message, PipelineInfo(version=settings.pipeline_version), now), []
    document = read_document(s3, message, ExtractedDocument)
    record = processed_record(document, now)
    entities = record.entities
    for field, uri_field, path, empty in OVERFLOW:
        if record_size(record) <= MAX_RECORD_BYTES:
            break
        if message.document is None:  # an inline document is far smaller than an item
            raise ValueError(f"record {record.article_id} exceeds one item but its document has no S3 copy")
        # Claim check: moved with a pointer to where it is kept (that very version), never cut.
        document = message.document
        uri = f"{version_name(document) or f's3://{document.bucket}/{document.key}'}#{path}"
        record = record.model_copy(update={field: empty, uri_field: uri})
    return record, entities


def store_message(
    message: StageMessage, *, s3, dynamodb, settings: Settings, deadline: Deadline | None = None
) -> tuple[ArticleRecord, bool]:
    """Build and write the record; the flag is False when an equal or newer one was kept.

    A throttled table is waited out until the invocation's ``deadline``; SQS redelivers after."""
    try:
        record, entities = build_record(message, s3=s3, settings=settings)
    except DocumentGone as error:  # its upload lost already, or was retracted
        message = exhausted(message, "store", error)
        record, entities = build_record(message, s3=s3, settings=settings)
    written = put_record(
        dynamodb, settings.table, record, entities, documents=document_names(message),
        wait_until=deadline.at if deadline else None,
    )
    discard = set(written.discard)
    if message.deleted:  # won or not: what it sweeps is no record's, whoever won
        discard |= set(retracted_documents(record, s3=s3, settings=settings))
    delete_versions(s3, sorted(discard))
    return record, bool(written)


def retracted_documents(record: ArticleRecord, *, s3, settings: Settings) -> list[str]:
    """Every version of the article's documents made from an upload older than the
    retraction ``record``. Besides the versions records name, there are those of an attempt
    that failed after its put (no record names them, and each becomes current again when
    the version above it goes) and those of records from before document names. Each is
    read to be sure: a newer upload's documents stay."""
    found = []
    for prefix in (settings.cleaned_prefix, settings.extracted_prefix):
        for ref in versions_of(s3, settings.bucket, f"{prefix}{record.article_id}.json"):
            try:
                source = Source.model_validate(json.loads(read_version(s3, ref))["source"])
            except DocumentGone:  # deleted meanwhile
                continue
            name = version_name(ref)
            if name and order_key(source.sequencer) < order_key(record.source.sequencer):
                found.append(name)
    return found


def document_names(message: StageMessage) -> list[str]:
    """The document versions the message's upload put, as the record names them.

    Only the stored record's documents stay: a writer that lost deletes its own, a winner
    those of the record it replaced (a retraction all of them). By version, never the key:
    a delete marker could cover the document of an upload that has yet to be stored."""
    return [name for ref in message.documents() if (name := version_name(ref))]


#: Of the invocation's reserve, what the last delivery's failed record may wait for capacity.
GIVE_UP_SECONDS = 5.0


def give_up(
    message: StageMessage, error: BaseException, *, s3, dynamodb, settings: Settings, deadline: Deadline | None = None
) -> None:
    """Last delivery failed: record the article as failed if the table still takes writes
    (waiting out throttling a few seconds into the invocation's reserve, never past it)."""
    failed = failed_record(exhausted(message, "store", error), PipelineInfo(version=settings.pipeline_version), utc_now())
    until = deadline.at + GIVE_UP_SECONDS if deadline else None
    written = put_record(dynamodb, settings.table, failed, documents=document_names(message), wait_until=until)
    delete_versions(s3, written.discard)
