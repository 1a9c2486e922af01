"""Extract stage: one ``nlp.pipe`` over the cleaned articles of a whole SQS batch."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from ..documents import hand_over, read_document
from ..extraction import extract_articles, model_info
from ..errors import BadInputError, DocumentGone
from ..messaging import send_message
from ..models import CleanedDocument, DocumentRef, ErrorInfo, ExtractedDocument, PipelineInfo, StageMessage
from ..settings import Settings
from ..watchdog import Deadline
from . import carrying_failure, exhausted

T = TypeVar("T")
R = TypeVar("R")


def pipeline_info(nlp, settings: Settings) -> PipelineInfo:
    model, version = model_info(nlp)
    return PipelineInfo(version=settings.pipeline_version, model=model, model_version=version)


def extract_batch(
    messages: Mapping[str, StageMessage], *, nlp, s3, sqs, settings: Settings, deadline: Deadline | None = None
) -> dict[str, Exception | None]:
    """Process a batch keyed by SQS message id; the outcome per id is None or its error.

    Failures carried from Clean pass straight through to Store. A failure of one article
    (its document unreadable, spaCy raising on its text) is reported for that message only;
    a document that is gone goes to Store as a retries_exhausted failure at once.
    """
    outcomes: dict[str, Exception | None] = {}
    to_read: list[str] = []
    for message_id, message in messages.items():
        if not message.has_document:
            outcomes[message_id] = _attempt(lambda message=message: _send(message, sqs, settings))
        else:
            to_read.append(message_id)

    # S3 round trips overlap: a batch of 20 would otherwise wait for 20 in turn
    def read(message_id: str) -> CleanedDocument | Exception:
        try:
            return read_document(s3, messages[message_id], CleanedDocument)
        except Exception as error:  # noqa: BLE001 - reported per message, retried by SQS
            return error

    documents: dict[str, CleanedDocument] = {}
    writes: dict[str, Callable[[], object]] = {}
    for message_id, read_result in zip(to_read, in_parallel(read, to_read, settings.io_concurrency)):
        if isinstance(read_result, DocumentGone):
            # Its upload lost already (or was retracted): retries would only fill the DLQ.
            gone = exhausted(messages[message_id], "extract", read_result)
            writes[message_id] = lambda gone=gone: _send(gone, sqs, settings)
        elif isinstance(read_result, Exception):
            outcomes[message_id] = read_result
        else:
            documents[message_id] = read_result

    info = pipeline_info(nlp, settings)
    # One pipe for the batch; the library isolates an article spaCy fails on or that runs
    # past its budget of the invocation's time (it fails as "too_slow", alone).
    articles = [doc.article for doc in documents.values()]
    results = extract_articles(nlp, articles, deadline=deadline) if documents else []
    for (message_id, document), result in zip(documents.items(), results):
        if isinstance(result, BadInputError):
            # spaCy cannot take this text, now or on a retry: Store records it as failed.
            failed = carrying_failure(messages[message_id], ErrorInfo(stage="extract", kind=result.kind, message=result.message))
            writes[message_id] = lambda failed=failed: _send(failed, sqs, settings)
            continue
        if isinstance(result, Exception):
            outcomes[message_id] = result
            continue
        extracted = ExtractedDocument(**document.model_dump(), extraction=result, pipeline=info)
        ref = DocumentRef(bucket=settings.bucket, key=f"{settings.extracted_prefix}{document.article_id}.json")
        earlier = messages[message_id].documents()  # the cleaned document, for Store to keep or delete
        writes[message_id] = lambda ref=ref, extracted=extracted, earlier=earlier: _send(
            StageMessage(
                article_id=extracted.article_id,
                source=extracted.source,
                content_sha256=extracted.content_sha256,
                earlier_documents=earlier,
                **hand_over(s3, ref, extracted, settings.inline_document_bytes),
            ),
            sqs,
            settings,
        )
    outcomes.update(zip(writes, in_parallel(_attempt, list(writes.values()), settings.io_concurrency)))
    return outcomes


def in_parallel(function: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """``[function(item) for item in items]``, up to ``workers`` at a time (boto3 clients are
    thread-safe); ``function`` reports its own errors."""
    if workers <= 1 or len(items) <= 1:
        return [function(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(workers, len(items))) as pool:
        return list(pool.map(function, items))


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
