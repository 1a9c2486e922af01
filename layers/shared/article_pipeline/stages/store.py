"""Store stage: the extracted document (or a carried failure) becomes the record."""

from __future__ import annotations

from ..documents import get_document
from ..models import ArticleRecord, ExtractedDocument, PipelineInfo, StageMessage, failed_record, processed_record, utc_now
from ..records import MAX_RECORD_BYTES, put_record, record_size
from ..settings import Settings
from . import exhausted


def build_record(message: StageMessage, *, s3, settings: Settings) -> ArticleRecord:
    now = utc_now()
    if message.error is not None or message.document is None:
        return failed_record(message, PipelineInfo(version=settings.pipeline_version), now)
    document = get_document(s3, message.document, ExtractedDocument)
    record = processed_record(document, now)
    if record_size(record) > MAX_RECORD_BYTES:
        # Claim check: the text stays in the extracted document rather than being cut.
        uri = f"s3://{message.document.bucket}/{message.document.key}#article.text"
        record = record.model_copy(update={"text": None, "text_uri": uri})
    return record


def store_message(message: StageMessage, *, s3, dynamodb, settings: Settings) -> tuple[ArticleRecord, bool]:
    """Build and write the record; the flag is False when an equal or newer one was kept."""
    record = build_record(message, s3=s3, settings=settings)
    return record, put_record(dynamodb, settings.table, record)


def give_up(message: StageMessage, error: BaseException, *, dynamodb, settings: Settings) -> None:
    """Last delivery failed: record the article as failed if the table still takes writes."""
    failed = failed_record(exhausted(message, "store", error), PipelineInfo(version=settings.pipeline_version), utc_now())
    put_record(dynamodb, settings.table, failed)
