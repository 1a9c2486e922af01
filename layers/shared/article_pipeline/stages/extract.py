"""Extract stage: one ``nlp.pipe`` over the cleaned articles of a whole SQS batch."""

from __future__ import annotations

from collections.abc import Mapping

from ..documents import get_document, put_document
from ..extraction import extract_articles, model_info
from ..messaging import send_message
from ..models import CleanedDocument, DocumentRef, ExtractedDocument, Extraction, PipelineInfo, StageMessage
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
    results = _extract_isolated(nlp, [doc.article for doc in documents.values()])
    for (message_id, document), result in zip(documents.items(), results):
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


def _extract_isolated(nlp, articles) -> list[Extraction | Exception]:
    """Run the batch in one pipe; if it raises, find the article that broke it."""
    if not articles:
        return []
    try:
        return list(extract_articles(nlp, articles))
    except Exception:  # noqa: BLE001 - narrowed below, one article at a time
        results: list[Extraction | Exception] = []
        for article in articles:
            try:
                results.append(extract_articles(nlp, [article])[0])
            except Exception as error:  # noqa: BLE001
                results.append(error)
        return results


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
