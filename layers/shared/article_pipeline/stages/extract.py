"""Extract stage: one ``nlp.pipe`` over the cleaned articles of a whole SQS batch."""

from __future__ import annotations

from collections.abc import Mapping

from ..documents import get_document, put_document
from ..extraction import extract_articles, model_info
from ..errors import BadInputError
from ..messaging import send_message
from ..models import CleanedDocument, DocumentRef, ErrorInfo, ExtractedDocument, PipelineInfo, StageMessage
from ..settings import Settings
from . import exhausted


def pipeline_info(nlp, settings: Settings) -> PipelineInfo:
    model, version = model_info(nlp)
    return PipelineInfo(version=settings.pipeline_version, model=model, model_version=version)


def extract_batch(
    messages: Mapping[str, StageMessage], *, nlp, s3, sqs, settings: Settings
) -> dict[str, Exception | None]:
    """Process a batch keyed by SQS message id; the outcome per id is None or its error.

    Failures carried from Clean pass straight through to Store. A failure of one article
    (its document unreadable, spaCy raising on its text) is reported for that message only.
    """
    outcomes: dict[str, Exception | None] = {}
    documents: dict[str, CleanedDocument] = {}
    for message_id, message in messages.items():
        if message.error is not None or message.document is None:
            outcomes[message_id] = _attempt(lambda: _send(message, sqs, settings))
            continue
        try:
            documents[message_id] = get_document(s3, message.document, CleanedDocument)
        except Exception as error:  # noqa: BLE001 - reported per message, retried by SQS
            outcomes[message_id] = error

    info = pipeline_info(nlp, settings)
    # One pipe for the batch; the library isolates an article spaCy fails on.
    results = extract_articles(nlp, [doc.article for doc in documents.values()]) if documents else []
    for (message_id, document), result in zip(documents.items(), results):
        if isinstance(result, BadInputError):
            # spaCy cannot take this text, now or on a retry: Store records it as failed.
            error = ErrorInfo(stage="extract", kind=result.kind, message=result.message)
            failed = messages[message_id].model_copy(update={"document": None, "error": error})
            outcomes[message_id] = _attempt(lambda: _send(failed, sqs, settings))
            continue
        if isinstance(result, Exception):
            outcomes[message_id] = result
            continue
        extracted = ExtractedDocument(**document.model_dump(), extraction=result, pipeline=info)
        ref = DocumentRef(bucket=settings.bucket, key=f"{settings.extracted_prefix}{document.article_id}.json")
        message = StageMessage(
            article_id=document.article_id, source=document.source, document=ref, content_sha256=document.content_sha256
        )
        outcomes[message_id] = _attempt(lambda: (put_document(s3, ref, extracted), _send(message, sqs, settings)))
    return outcomes


def _send(message: StageMessage, sqs, settings: Settings) -> None:
    send_message(sqs, settings.extracted_queue_url, message)


def _attempt(action) -> Exception | None:
    try:
        action()
    except Exception as error:  # noqa: BLE001 - the caller reports it as a batch item failure
        return error
    return None


def give_up(message: StageMessage, error: BaseException, *, sqs, settings: Settings) -> None:
    """Last delivery failed: let Store record the article as failed (the message goes to the DLQ)."""
    _send(exhausted(message, "extract", error), sqs, settings)
