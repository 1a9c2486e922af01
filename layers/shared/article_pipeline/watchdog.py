"""Time budgets per article: an article that would outlive its invocation fails alone.

Lambda kills an invocation at its timeout, and no code of ours runs after that: SQS
delivers the whole batch again, the same article is as slow again, and after
``maxReceiveCount`` every message of the batch sits in a DLQ with no record at all. So each
article runs under a :class:`Budget` cut from the invocation's own remaining time: past
it, the article fails with ``error.kind = "too_slow"`` (permanent, the same input is just
as slow next time) and the rest of the batch goes on.

A budget is enforced two ways:

- :meth:`Budget.check`, called between pieces of work (spaCy reads a long text in pieces),
  in any thread;
- :meth:`Budget.enforced`, a real-time timer (``SIGALRM``) that raises
  :class:`TooSlowError` in the main thread wherever Python code is running, regular
  expressions included (the ``re`` engine checks for signals as it goes). Lambda's runtime
  calls handlers in the main thread; elsewhere (the local ``serve``) only the checks apply.

Neither can stop a C loop that never returns to the interpreter; the inputs known to start
one are made safe before they reach it (see :mod:`.extraction.model_text`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

from .errors import BadInputError

#: Share of the invocation's time one article may take, so that one slow article leaves
#: at least the rest of the batch its time.
DEFAULT_ARTICLE_SHARE = 0.5


class TooSlowError(BadInputError):
    """The article needed more than its budget: it gets a ``failed`` record, not a retry."""

    def __init__(self, seconds: float, what: str = "the article") -> None:
        super().__init__("too_slow", f"{what} took longer than its budget of {seconds:.1f} s and was abandoned")
        self.seconds = seconds


class TooLargeError(BadInputError):
    """Reading the article would take the function past its memory: a ``failed`` record."""

    def __init__(self, rss_mb: float, limit_mb: float) -> None:
        super().__init__("too_large", f"reading the article took the function to {rss_mb:.0f} MB of its {limit_mb:.0f} MB limit")


class OutOfTime(RuntimeError):
    """The invocation itself is about to end: the work is left for the next delivery."""


#: What a budget raises; code that catches every error to isolate a bad input lets these by.
BUDGET_ERRORS = (TooSlowError, TooLargeError, OutOfTime)


@dataclass
class Budget:
    """``seconds`` from now for one article; ``own`` says whether running out is the
    article's fault (its full share) or the invocation's (it started late in a batch)."""

    seconds: float
    own: bool = True
    started: float = 0.0

    def __post_init__(self) -> None:
        self.started = self.started or time.monotonic()

    @property
    def left(self) -> float:
        return self.seconds - (time.monotonic() - self.started)

    def capped(self, seconds: float) -> "Budget":
        """This budget, or ``seconds`` if that is less (then running out is the work's own fault)."""
        if seconds >= self.left:
            return self
        return Budget(seconds, own=True)

    def exceeded(self) -> BaseException:
        return TooSlowError(self.seconds) if self.own else OutOfTime("the invocation is about to time out")

    def check(self) -> None:
        if self.left <= 0:
            raise self.exceeded()

    @contextlib.contextmanager
    def enforced(self) -> Iterator["Budget"]:
        """Run the block under a timer that interrupts it when the budget runs out."""
        if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
            yield self
            return
        self.check()

        def expire(signum, frame):
            raise self.exceeded()

        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, max(self.left, 0.001))
        try:
            yield self
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class Deadline:
    """The invocation's end (monotonic seconds), less a reserve for reporting the batch."""

    at: float
    total: float
    share: float = DEFAULT_ARTICLE_SHARE

    @classmethod
    def from_context(cls, context, *, reserve_ms: int, share: float | None = None) -> "Deadline | None":
        """None without a Lambda context (a plain call: no budget)."""
        remaining = getattr(context, "get_remaining_time_in_millis", None)
        if remaining is None:
            return None
        seconds = max(remaining() - reserve_ms, 0) / 1000
        share = share if share is not None else float(os.environ.get("ARTICLE_TIME_SHARE") or DEFAULT_ARTICLE_SHARE)
        return cls(at=time.monotonic() + seconds, total=seconds, share=share)

    def budget(self) -> Budget:
        """The next article's budget: its share of the invocation, or what is left of it.

        An article that had at least half its share and ran out fails as too_slow; one that
        started with less (after slow partners) is left for the next delivery."""
        cap = self.total * self.share
        seconds = min(cap, max(self.at - time.monotonic(), 0.0))
        # with half its share or more, running out is the article's fault
        return Budget(seconds, own=cap > 0 and seconds >= cap / 2)


#: Share of the function's memory an article may take the process to.
MEMORY_SHARE = 0.85


def resident_mb() -> float:
    """This process's resident memory now (Linux), in MB; 0 where it cannot be read."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


@dataclass
class MemoryBudget:
    """The function's memory (Lambda sets ``AWS_LAMBDA_FUNCTION_MEMORY_SIZE``) less a margin.

    Only growth while this article is read counts against it: memory freed by earlier
    articles may stay with the process, and must not fail the next one."""

    limit_mb: float
    start_mb: float

    @classmethod
    def start(cls) -> "MemoryBudget | None":
        size = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        if not size:
            return None
        return cls(limit_mb=float(size) * MEMORY_SHARE, start_mb=resident_mb())

    def check(self) -> None:
        now = resident_mb()
        if now > self.limit_mb and now > self.start_mb:
            raise TooLargeError(now, self.limit_mb / MEMORY_SHARE)
