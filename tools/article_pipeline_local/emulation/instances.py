"""Many instances per function, as Lambda scales an SQS event source mapping.

Each mapping is played by up to its ``MaximumConcurrency`` instances (or ``--concurrency``).
An instance is its own spawned process, with its own module globals and model load, as a
Lambda container is; every instance talks to one moto server, the state they share (its
calls made atomic by ``moto_fidelity``). One dispatcher per mapping polls the queue, as the
event source mapping's pollers do, and hands each batch to the warmest idle instance; it
starts a new instance when a batch waits and none is free, up to the maximum, and stops an
instance idle for ``IDLE_STOP_SECONDS``. The batch is handled by ``QueuePoller.handle``, so
``batchItemFailures``, deletes and the DLQ behave as in the one-instance runtime.

Time is wall time here: a batching window is treated as elapsed (a dispatcher delivers what
the queue holds), and a failed message is made visible again once its mapping is idle.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3

from .cloud import LOCAL_CREDENTIALS, Stack
from .mappings import Progress, QueuePoller, pollers_for
from .runtime import LocalFunction

#: An instance with no batch for this long is stopped (Lambda keeps them minutes; tests don't).
IDLE_STOP_SECONDS = 30.0
#: How long a dispatcher rests when its queue is empty.
IDLE_POLL_SECONDS = 0.1
_SPAWN = multiprocessing.get_context("spawn")


def _serve_instance(function: LocalFunction, endpoint_url: str, connection) -> None:
    """The instance process: load the function once, then invoke it for each event sent."""
    os.environ.update(LOCAL_CREDENTIALS)
    os.environ["AWS_ENDPOINT_URL"] = endpoint_url
    from article_pipeline import aws

    aws.reset_clients()
    if function.environment.get("POWERTOOLS_METRICS_DISABLED") == "true":
        # As runtime.LocalFunction filters it in the one-instance runtime.
        warnings.filterwarnings("ignore", message="No application metrics to publish", category=UserWarning)
    function.module()  # the cold start, before the first batch is handed over
    connection.send(("ready", None))
    while True:
        try:
            event = connection.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if event is None:
            return
        try:
            connection.send(("ok", function.invoke(event)))
        except Exception as error:  # noqa: BLE001 - the invocation failed; the dispatcher fails the batch
            connection.send(("error", f"{type(error).__name__}: {error}"))


class Instance:
    """One warm container: a process and the pipe its events go through."""

    def __init__(self, function: LocalFunction, endpoint_url: str) -> None:
        self.connection, child = _SPAWN.Pipe()
        self.process = _SPAWN.Process(target=_serve_instance, args=(function, endpoint_url, child), daemon=True,
                                      name=f"instance-{function.name}")
        self.process.start()
        child.close()
        self.last_used = time.monotonic()
        self._ready = False

    def invoke(self, event: dict[str, Any]) -> Any:
        if not self._ready:
            self._answer()  # the cold start
            self._ready = True
        self.connection.send(event)
        return self._answer()

    def _answer(self) -> Any:
        try:
            status, value = self.connection.recv()
        except EOFError:
            raise RuntimeError(f"instance {self.process.pid} died (exit code {self.process.exitcode})") from None
        if status == "error":
            raise RuntimeError(value)
        return value

    def stop(self) -> None:
        try:
            self.connection.send(None)
        except OSError:
            pass
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()


class InstancePool:
    """A function's instances: ``invoke`` takes the warmest idle one, or starts one."""

    def __init__(self, function: LocalFunction, endpoint_url: str, maximum: int) -> None:
        self.function = function
        self.name = function.name
        self.endpoint_url = endpoint_url
        self.maximum = maximum
        self._idle: list[Instance] = []  # the warmest (most recently used) last
        self._busy = 0
        self._changed = threading.Condition()
        self.started = 0
        self.peak = 0

    def free(self) -> bool:
        """An instance could take a batch now (one idle, or room to start one)."""
        with self._changed:
            return bool(self._idle) or self._busy + len(self._idle) < self.maximum

    def _take(self) -> Instance:
        with self._changed:
            while not self._idle and self._busy >= self.maximum:
                self._changed.wait()
            self._busy += 1
            self.peak = max(self.peak, self._busy)
            if self._idle:
                return self._idle.pop()
            self.started += 1
        return Instance(self.function, self.endpoint_url)

    def invoke(self, event: dict[str, Any]) -> Any:
        instance = self._take()
        try:
            return instance.invoke(event)
        except Exception:
            instance.stop()  # a crashed container is not reused
            instance = None
            raise
        finally:
            with self._changed:
                self._busy -= 1
                if instance is not None:
                    instance.last_used = time.monotonic()
                    self._idle.append(instance)
                self._changed.notify_all()

    def stop_idle(self, older_than: float = IDLE_STOP_SECONDS) -> int:
        now = time.monotonic()
        with self._changed:
            stale = [i for i in self._idle if now - i.last_used > older_than]
            self._idle = [i for i in self._idle if i not in stale]
        for instance in stale:
            instance.stop()
        return len(stale)

    def close(self) -> None:
        with self._changed:
            idle, self._idle = self._idle, []
        for instance in idle:
            instance.stop()


class Dispatcher:
    """One mapping's poller thread: receive, hand each batch to an instance, retry failures."""

    def __init__(self, poller: QueuePoller, pool: InstancePool, progress: Progress | None = None) -> None:
        self.poller, self.pool, self.progress = poller, pool, progress
        self.outstanding = 0  # batches received and not yet handled
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._workers = ThreadPoolExecutor(max_workers=pool.maximum, thread_name_prefix=f"batches-{pool.name}")
        self._thread = threading.Thread(target=self._run, name=f"dispatch-{pool.name}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                if not self.pool.free() or not self._dispatch_one():
                    if not self.outstanding:
                        # Idle: the failed messages' visibility timeout elapses.
                        self.poller.expire_visibility()
                    self.pool.stop_idle()
                    self._stopping.wait(IDLE_POLL_SECONDS)
            except Exception as error:  # noqa: BLE001 - keep polling; say what went wrong
                print(f"dispatcher {self.pool.name}: {type(error).__name__}: {error}", file=sys.stderr)
                self._stopping.wait(1)

    def _dispatch_one(self) -> bool:
        with self._lock:
            self.outstanding += 1
        self.poller.fill()
        batch, self.poller.buffer = self.poller.buffer, []
        if not batch:
            self._done()
            return False
        self._workers.submit(self._handle, batch)
        return True

    def _handle(self, batch: list[dict[str, Any]]) -> None:
        try:
            self.poller.handle(batch, self.progress)
        except Exception as error:  # noqa: BLE001
            print(f"dispatcher {self.pool.name}: {type(error).__name__}: {error}", file=sys.stderr)
        finally:
            self._done()

    def _done(self) -> None:
        with self._lock:
            self.outstanding -= 1

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=60)
        self._workers.shutdown(wait=True)
        self.pool.close()


class ConcurrentMappings:
    """Every SQS mapping of the stack, each with its dispatcher and pool of instances."""

    def __init__(
        self,
        stack: Stack,
        functions: dict[str, LocalFunction],
        endpoint_url: str,
        concurrency: int | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.pollers = pollers_for(stack, functions)
        maximum = {m.queue: m.maximum_concurrency for f in functions.values() for m in f.function.mappings}
        self.dispatchers = []
        for poller in self.pollers:
            size = concurrency or maximum.get(poller.mapping.queue) or 1
            pool = InstancePool(poller.function, endpoint_url, size)
            poller.function = pool  # the poller's handle() now invokes an instance
            self.dispatchers.append(Dispatcher(poller, pool, progress))
        self._sqs = boto3.client("sqs")

    def start(self) -> "ConcurrentMappings":
        for dispatcher in self.dispatchers:
            dispatcher.start()
        return self

    def _settled(self) -> bool:
        """No batch outstanding and nothing on any mapped queue, failed or not."""
        if any(d.outstanding for d in self.dispatchers):
            return False
        waiting = in_flight = 0
        for poller in self.pollers:
            attributes = self._sqs.get_queue_attributes(QueueUrl=poller.queue_url, AttributeNames=["All"])["Attributes"]
            waiting += int(attributes["ApproximateNumberOfMessages"]) + int(attributes.get("ApproximateNumberOfMessagesDelayed", 0))
            in_flight += int(attributes["ApproximateNumberOfMessagesNotVisible"])
        if waiting or any(d.outstanding for d in self.dispatchers):
            return False
        if in_flight:
            # Only failed messages are left in flight: their visibility timeout elapses now.
            if not sum(poller.expire_visibility() for poller in self.pollers):
                return False
            return False
        return True

    def drain(self, timeout: float = 3600.0, settle: Callable[[], None] | None = None) -> None:
        """Wait until every mapped queue is empty and no batch is being handled."""
        deadline = time.monotonic() + timeout
        quiet = 0
        while time.monotonic() < deadline:
            quiet = quiet + 1 if self._settled() else 0
            if quiet >= 2:  # twice in a row: no receive slipped between the checks
                return
            time.sleep(IDLE_POLL_SECONDS)
        raise RuntimeError(f"queues still busy after {timeout} s")

    def pool_functions(self) -> dict[str, Any]:
        """The functions by name: their pools where a mapping runs them."""
        return {d.pool.name: d.pool for d in self.dispatchers}

    @property
    def instances(self) -> dict[str, int]:
        """The most instances each function ran at once."""
        return {d.pool.name: d.pool.peak for d in self.dispatchers}

    def stop(self) -> None:
        for dispatcher in self.dispatchers:
            dispatcher.stop()
