"""A provisioned table at its capacity: Store slows down to what the table writes, and
nothing is lost or failed.

The limiter plays DynamoDB's throttling on the functions' own client: a bucket of write
units that refills at the provisioned rate. A PutItem it cannot pay for answers
ProvisionedThroughputExceeded; a BatchWriteItem writes what it can pay for and hands back
the rest as UnprocessedItems, as DynamoDB does.
"""

from __future__ import annotations

import threading
import time

import pytest
from botocore.exceptions import ClientError

from article_pipeline import aws
from article_pipeline_local.commands.queries import search
from article_pipeline_local.measurement.cost import item_bytes, write_units
from support import LEDGER, SAMPLE


class ProvisionedTable:
    """Write units at ``rate`` a second, at most ``burst`` saved up (DynamoDB keeps 300 s)."""

    def __init__(self, rate: float, burst: float, closed_for: float = 0.0) -> None:
        self.rate, self.burst, self.tokens = rate, burst, burst
        self.at = time.monotonic()
        self.closed_for, self.closed_until = closed_for, None  # from the first write on, nothing is written for that long
        self.lock = threading.Lock()
        self.throttled = {"PutItem": 0, "BatchWriteItem": 0, "unprocessed items": 0}
        self.written = 0

    def register(self, client) -> None:
        client.meta.events.register("before-parameter-build.dynamodb.PutItem", self.put_item)
        client.meta.events.register("before-parameter-build.dynamodb.BatchWriteItem", self.batch_write)
        client.meta.events.register("after-call.dynamodb.BatchWriteItem", self.hand_back)

    def _take(self, units: int) -> bool:
        now = time.monotonic()
        if self.closed_until is None:
            self.closed_until = now + self.closed_for
        if now < self.closed_until:
            return False
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens < units:
            return False
        self.tokens -= units
        self.written += units
        return True

    def _throttle(self, operation: str):
        self.throttled[operation] += 1
        raise ClientError(
            {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "the table is at its capacity"}},
            operation,
        )

    def put_item(self, params, **_):
        with self.lock:
            if not self._take(write_units(item_bytes(params["Item"]))):
                self._throttle("PutItem")

    def batch_write(self, params, context, **_):
        with self.lock:
            ((table, requests),) = params["RequestItems"].items()
            paid = 0
            for request in requests:
                item = request.get("PutRequest", {}).get("Item") or request["DeleteRequest"]["Key"]
                if not self._take(write_units(item_bytes(item))):
                    break
                paid += 1
            if not paid:
                self._throttle("BatchWriteItem")
            if paid < len(requests):
                self.throttled["unprocessed items"] += len(requests) - paid
                context["unprocessed"] = {table: requests[paid:]}
                params["RequestItems"] = {table: requests[:paid]}

    @staticmethod
    def hand_back(parsed, context, **_):
        if "unprocessed" in context:
            parsed["UnprocessedItems"] = context.pop("unprocessed")


@pytest.mark.slow  # a burst through the whole chain against a throttled table
def test_a_table_at_its_capacity_slows_store_down_and_loses_nothing(chain):
    table = ProvisionedTable(rate=40, burst=40)
    table.register(aws.client("dynamodb"))
    keys = [f"incoming/capacity/{n:02d}-harbour-bridge.txt" for n in range(12)]
    started = time.monotonic()
    for key in keys:
        chain.drop(key, SAMPLE.read_bytes())
    chain.settle()
    took = time.monotonic() - started

    records = [chain.record(key) for key in keys]
    assert all(r is not None and r.status == "processed" for r in records), [r and r.error for r in records]
    assert not any(chain.in_dlq(key) for key in keys)
    # It was throttled (record and entity items are conditional PutItems now, no batch
    # writes), and waited: the writes took at least what the capacity allows.
    assert table.throttled["PutItem"] and not table.throttled["BatchWriteItem"], table.throttled
    assert took >= (table.written - table.burst) / table.rate
    # Every entity of every article is still found by a Query.
    dynamodb = aws.client("dynamodb")
    for record in records:
        for entity in record.entities:
            found = search(dynamodb, chain.pipeline.stack.table, entity.name, entity.label)
            assert record.article_id in {row["article_id"] for row in found}, entity.name
    assert sum(chain.watcher.writes.values()) == len(keys)
    LEDGER.fault_kinds.add("DynamoDB table at its provisioned capacity")


def test_throttling_past_a_delivery_s_deadline_fails_that_delivery_only(chain, monkeypatch):
    from article_pipeline_local.emulation import runtime

    real = runtime.LambdaContext.get_remaining_time_in_millis
    store_calls: list[str] = []

    def short_first_store_invocation(self):
        if self.function_name == "StoreFunction":
            if self.aws_request_id not in store_calls:
                store_calls.append(self.aws_request_id)
            if store_calls.index(self.aws_request_id) == 0:
                return 11_500  # 1.5 s past the 10 s reserve to wait for capacity
        return real(self)

    monkeypatch.setattr(runtime.LambdaContext, "get_remaining_time_in_millis", short_first_store_invocation)
    table = ProvisionedTable(rate=1000, burst=1000, closed_for=3.0)
    table.register(aws.client("dynamodb"))
    chain.drop("incoming/capacity/late.txt", SAMPLE.read_bytes())
    chain.settle()
    record = chain.record("incoming/capacity/late.txt")
    assert record is not None and record.status == "processed"
    assert len(store_calls) == 2  # throttled out of its first delivery, stored on the next
    assert not chain.in_dlq("incoming/capacity/late.txt")
    LEDGER.fault_kinds.add("DynamoDB throttling past a delivery's deadline")
