"""The reliability suite's harness: the real chain on moto, watched for losses and double writes.

Every article a test drops is accounted for when the test ends: it has a record, or its
message sits in a DLQ; anything else counts as lost. Every successful record write is
counted by (article, content fingerprint); the same content written twice is a double write.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote_plus

import pytest
from botocore.exceptions import ClientError

from article_pipeline import aws
from article_pipeline.models import ArticleRecord
from article_pipeline_local.emulation.chain import LocalPipeline, local_pipeline
from support import LEDGER


class WriteWatcher:
    """Counts successful record writes, from the calls the functions really make."""

    def __init__(self) -> None:
        self.writes: Counter[tuple[str, str]] = Counter()

    def register(self, client) -> None:
        client.meta.events.register("before-parameter-build.dynamodb.PutItem", self.remember)
        client.meta.events.register("after-call.dynamodb.PutItem", self.count)

    @staticmethod
    def remember(params, context, **_):
        context["record_item"] = params.get("Item", {})

    def count(self, http_response, context, **_):
        item = context.get("record_item", {})
        if http_response.status_code < 300 and item.get("sk", {}).get("S") == "RECORD":
            self.writes[(item["pk"]["S"], item["fingerprint"]["S"])] += 1

    @property
    def doubles(self) -> int:
        return sum(count - 1 for count in self.writes.values())


@dataclass
class Chain:
    pipeline: LocalPipeline
    watcher: WriteWatcher
    dropped: dict[str, str] = field(default_factory=dict)

    def drop(self, key: str, data: bytes) -> str:
        article_id = self.pipeline.upload(data, key)
        self.dropped[key] = article_id
        return article_id

    def settle(self) -> None:
        self.pipeline.drain()

    def record(self, key: str) -> ArticleRecord | None:
        return self.pipeline.record(self.dropped[key])

    def dead_letters(self) -> dict[str, list[str]]:
        return self.pipeline.dead_letters()

    def in_dlq(self, key: str) -> bool:
        bodies = [body for found in self.dead_letters().values() for body in found]
        tokens = (self.dropped[key], key, quote_plus(key))
        return any(token in body for body in bodies for token in tokens)

    def account(self) -> int:
        """Articles with neither a record nor a message in a DLQ."""
        return sum(1 for key in self.dropped if self.record(key) is None and not self.in_dlq(key))


@pytest.fixture
def chain():
    with local_pipeline(log_level="CRITICAL") as pipeline:
        watcher = WriteWatcher()
        watcher.register(aws.client("dynamodb"))
        running = Chain(pipeline, watcher)
        yield running
        running.settle()
        LEDGER.articles += len(running.dropped)
        LEDGER.lost += running.account()
        LEDGER.double_writes += watcher.doubles


def fail_calls(client, operation: str, times: int, code: str, predicate=None):
    """Make ``client``'s ``operation`` answer with error ``code`` the next ``times`` calls."""
    state = {"left": times, "failed": 0}
    # before-parameter-build sees the API's own parameters (QueueUrl, Key ...), before any retry.
    event = f"before-parameter-build.{client.meta.service_model.service_id.hyphenize()}.{operation}"

    def hook(params, **_):
        if state["left"] > 0 and (predicate is None or predicate(params)):
            state["left"] -= 1
            state["failed"] += 1
            raise ClientError({"Error": {"Code": code, "Message": f"injected {code}"}}, operation)

    client.meta.events.register(event, hook)
    return state


@pytest.fixture
def inject():
    """``inject(service, operation, times, code)``: errors on the functions' own clients."""

    def injector(service: str, operation: str, times: int, code: str, predicate=None):
        return fail_calls(aws.client(service), operation, times, code, predicate)

    return injector
