"""One module per stage: read the input, call the pure core, write the output.

The handlers in functions/ parse the event and call these; nothing here knows about
Lambda, and the AWS clients come in as arguments."""

from __future__ import annotations

from ..errors import RETRIES_EXHAUSTED
from ..models import ErrorInfo, Stage, StageMessage


def carrying_failure(message: StageMessage, error: ErrorInfo) -> StageMessage:
    """``message`` with ``error`` in place of its document, for Store to record."""
    return message.model_copy(
        update={
            "document": None,
            "inline_document": None,
            "earlier_documents": message.documents(),  # still the upload's: Store keeps or deletes them
            "error": error,
        }
    )


def exhausted(message: StageMessage, stage: Stage, error: BaseException) -> StageMessage:
    """The message that tells Store an article's retries ran out at ``stage``."""
    reason = f"{type(error).__name__}: {error}"[:500]
    return carrying_failure(message, ErrorInfo(stage=stage, kind=RETRIES_EXHAUSTED, message=reason))
