"""A deterministic scheduler for writers that interleave at AWS call boundaries.

Each writer runs in its own thread with its own boto3 client. A ``before-call`` hook on
that client parks the thread until the scheduler grants it the turn, so exactly one
writer runs at a time and a schedule (the writer granted at each boundary) replays the
same interleaving every time. ``schedules`` enumerates them by depth-first search with a
preemption bound: a switch away from a writer that could go on counts as a preemption.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

Writer = Callable[[object], object]  # given its client (or tuple of clients), writes


@dataclass
class Run:
    """One execution: who was granted each step, and what each writer raised (if anything)."""

    steps: list[int] = field(default_factory=list)
    #: at each step, the writers that could have been granted it
    choices: list[list[int]] = field(default_factory=list)
    errors: dict[int, BaseException] = field(default_factory=dict)


class _Gated:
    """A writer's thread, parked at every call of its client (or of each of a tuple of clients)."""

    def __init__(self, index: int, client, writer: Writer, run: Run) -> None:
        self.index, self.client, self.writer, self.run = index, client, writer, run
        self.go = threading.Semaphore(0)
        self.parked = threading.Event()
        self.finished = False
        for each in self.clients():
            each.meta.events.register("before-call", self._park)
        self.thread = threading.Thread(target=self._main, daemon=True)

    def clients(self) -> tuple:
        return self.client if isinstance(self.client, tuple) else (self.client,)

    def release(self) -> None:
        """Unhook the clients: a caller may hand them to the next run (a client costs ~25 ms)."""
        for each in self.clients():
            each.meta.events.unregister("before-call", self._park)

    def _park(self, **_):
        self.parked.set()
        self.go.acquire()

    def _main(self) -> None:
        self.go.acquire()  # wait for the first grant
        try:
            self.writer(self.client)
        except BaseException as error:  # noqa: BLE001 - reported in the run
            self.run.errors[self.index] = error
        finally:
            self.finished = True
            self.parked.set()

    def step(self) -> None:
        """Let the writer run to its next call boundary (or to its end)."""
        self.parked.clear()
        self.go.release()
        if not self.parked.wait(timeout=60):
            raise RuntimeError(f"writer {self.index} neither reached a call nor finished")


def execute(writers: list[Writer], make_client: Callable[[], object], prefix: list[int]) -> Run:
    """Run the writers, granting steps as ``prefix`` says, then the current writer while it can go on."""
    run = Run()
    gated = [_Gated(n, make_client(), writer, run) for n, writer in enumerate(writers)]
    for g in gated:
        g.thread.start()
    current = 0
    while True:
        runnable = [g.index for g in gated if not g.finished]
        if not runnable:
            break
        position = len(run.steps)
        choice = prefix[position] if position < len(prefix) else (current if current in runnable else runnable[0])
        run.choices.append(runnable)
        run.steps.append(choice)
        gated[choice].step()
        current = choice
    for g in gated:
        g.thread.join(timeout=60)
        g.release()
    return run


def preemptions(steps: list[int], choices: list[list[int]]) -> int:
    return sum(1 for n in range(1, len(steps)) if steps[n] != steps[n - 1] and steps[n - 1] in choices[n])


def schedules(
    writers: list[Writer], make_client: Callable[[], object], bound: int, check: Callable[[Run], None],
    reset: Callable[[], None],
) -> Iterator[list[int]]:
    """Every schedule within ``bound`` preemptions, each executed from a fresh state and checked."""
    stack: list[list[int]] = [[]]
    seen: set[tuple[int, ...]] = set()
    while stack:
        prefix = stack.pop()
        reset()
        run = execute(writers, make_client, prefix)
        if tuple(run.steps) in seen:
            continue
        seen.add(tuple(run.steps))
        check(run)
        yield run.steps
        for position in range(len(prefix), len(run.steps)):
            for other in run.choices[position]:
                if other == run.steps[position]:
                    continue
                branch = [*run.steps[:position], other]
                if preemptions(branch, run.choices[: position + 1]) <= bound:
                    stack.append(branch)
