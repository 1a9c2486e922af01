"""Errors that decide what happens to a message.

A ``BadInputError`` is permanent: retrying cannot help, so the article gets a ``failed``
record at once. Any other exception is treated as transient and the message is retried
through SQS until it lands in the stage's DLQ.
"""

from __future__ import annotations


class BadInputError(ValueError):
    """The input can never be processed (wrong format, empty, too large...)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


class DocumentGone(RuntimeError):
    """The stage document a message names is gone: deleted with a retraction or a newer
    record's cleanup, or expired as a noncurrent version. No retry brings it back, so the
    message ends at once as a ``retries_exhausted`` failure, which replaces only a failure."""


#: ``error.kind`` of an article whose message went to a DLQ after its last retry.
RETRIES_EXHAUSTED = "retries_exhausted"
