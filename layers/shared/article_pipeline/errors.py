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


#: ``error.kind`` of an article whose message went to a DLQ after its last retry.
RETRIES_EXHAUSTED = "retries_exhausted"
