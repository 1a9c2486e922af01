"""What the chain costs on AWS per million articles, counted while it runs (``make bench``).

Every AWS call the functions make goes through their own boto3 clients; botocore event
hooks on those clients (and on the clients playing Lambda's SQS event source mappings)
count each call by API with its payload, and turn it into what AWS bills for it: S3
requests by class, SQS requests by 64 KB chunk, DynamoDB write and read units (index
writes as the table's projections make them). Lambda GB-seconds come from each
invocation's duration at the template's memory size, and log bytes from what the
functions print at INFO. An independent count from moto's side (the requests moto
answered, and the items and objects it holds at the end) checks the same run.

Figures, not a verdict.
"""

from __future__ import annotations

import base64
import contextlib
import json
import math
import os
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from ..emulation.template import Resolver, Template


@dataclass(frozen=True)
class Prices:
    """us-east-1 on-demand list prices, in dollars."""

    lambda_gb_second: float = 0.0000166667
    lambda_request: float = 0.20 / 1e6
    sqs_request: float = 0.40 / 1e6  # per 64 KB chunk of a request's payload
    s3_put: float = 5.00 / 1e6  # PUT, COPY, POST, LIST
    s3_get: float = 0.40 / 1e6  # GET and the rest
    dynamodb_write_unit: float = 0.625 / 1e6
    dynamodb_read_unit: float = 0.125 / 1e6
    #: Provisioned capacity (the template's default mode), per unit-hour.
    dynamodb_wcu_hour: float = 0.00065
    dynamodb_rcu_hour: float = 0.00013
    logs_gb: float = 0.50  # CloudWatch Logs ingestion
    #: Storage, per month kept (not part of the bill per article).
    s3_gb_month: float = 0.023
    dynamodb_gb_month: float = 0.25
    read_on: str = "2026-11-29"
    source: str = (
        "AWS's public pricing pages for Lambda, SQS, S3, DynamoDB and CloudWatch (us-east-1),"
        " as quoted in issue 14; DynamoDB's provisioned unit-hours from its pricing page"
    )


PRICES = Prices()
KB = 1024
SQS_CHUNK = 64 * KB
#: DynamoDB adds this to each item a secondary index holds.
INDEX_OVERHEAD = 100

#: What the Lambda service itself writes to a function's log group per invocation.
PLATFORM_LINES = (
    "START RequestId: 0f9b2c4e-5d1a-4b8e-9c3f-2a7d6e8f1b0c Version: $LATEST\n"
    "END RequestId: 0f9b2c4e-5d1a-4b8e-9c3f-2a7d6e8f1b0c\n"
    "REPORT RequestId: 0f9b2c4e-5d1a-4b8e-9c3f-2a7d6e8f1b0c\tDuration: 1234.56 ms\tBilled Duration: 1235 ms"
    "\tMemory Size: 2048 MB\tMax Memory Used: 312 MB\t\n"
)


# --------------------------------------------------------------------------- sizes


def attribute_bytes(value: dict[str, Any]) -> int:
    """DynamoDB's size of one attribute value (typed, as the low-level API sends it)."""
    (kind, inner), = value.items()
    if kind == "S":
        return len(inner.encode())
    if kind == "N":
        digits = str(inner).lstrip("-").replace(".", "").lstrip("0") or "0"
        return math.ceil(len(digits) / 2) + 1
    if kind == "B":
        return len(inner) if isinstance(inner, (bytes, bytearray)) else len(base64.b64decode(inner))
    if kind in ("BOOL", "NULL"):
        return 1
    if kind in ("SS", "NS", "BS"):
        return sum(attribute_bytes({kind[0]: v}) for v in inner)
    if kind == "L":
        return 3 + sum(1 + attribute_bytes(v) for v in inner)
    if kind == "M":
        return 3 + sum(1 + len(k.encode()) + attribute_bytes(v) for k, v in inner.items())
    raise ValueError(f"unknown DynamoDB type {kind}")


def item_bytes(item: dict[str, Any], names: list[str] | None = None) -> int:
    """An item's size: attribute names plus values (only ``names`` when given)."""
    return sum(len(k.encode()) + attribute_bytes(v) for k, v in item.items() if names is None or k in names)


def write_units(size: int) -> int:
    return max(1, math.ceil(size / KB))


def read_units(size: int, consistent: bool) -> float:
    units = max(1, math.ceil(size / (4 * KB)))
    return units if consistent else units / 2


@dataclass(frozen=True)
class Index:
    name: str
    keys: tuple[str, ...]
    table_keys: tuple[str, ...]
    projection: str
    include: tuple[str, ...] = ()

    def holds(self, item: dict[str, Any]) -> bool:
        return all(key in item for key in self.keys)

    def entry_bytes(self, item: dict[str, Any]) -> int:
        if self.projection == "ALL":
            return item_bytes(item) + INDEX_OVERHEAD
        names = [*self.table_keys, *self.keys, *(self.include if self.projection == "INCLUDE" else ())]
        return item_bytes(item, names) + INDEX_OVERHEAD

    def key_of(self, item: dict[str, Any]) -> tuple:
        return tuple(json.dumps(item[key], sort_keys=True) for key in self.keys)


def table_indexes(template: Template) -> tuple[tuple[str, ...], list[Index]]:
    """The table's key and its global secondary indexes, as template.yaml declares them."""
    (table,) = template.of_type("AWS::DynamoDB::Table").values()
    props = table["Properties"]
    table_keys = tuple(key["AttributeName"] for key in props["KeySchema"])
    indexes = [
        Index(
            name=gsi["IndexName"],
            keys=tuple(key["AttributeName"] for key in gsi["KeySchema"]),
            table_keys=table_keys,
            projection=gsi["Projection"]["ProjectionType"],
            include=tuple(gsi["Projection"].get("NonKeyAttributes", [])),
        )
        for gsi in props.get("GlobalSecondaryIndexes", [])
    ]
    return table_keys, indexes


# --------------------------------------------------------------------------- the meter


@dataclass
class ApiCount:
    calls: int = 0
    request_bytes: int = 0
    response_bytes: int = 0
    #: S3 requests by class, SQS 64 KB chunks, DynamoDB units
    units: Counter = field(default_factory=Counter)


class CallMeter:
    """Counts every call of the clients it is registered on, by function and API."""

    def __init__(self, template: Template) -> None:
        self.table_keys, self.indexes = table_indexes(template)
        self.counts: dict[tuple[str, str, str], ApiCount] = defaultdict(ApiCount)
        #: what the table holds, as this meter saw it written: key -> item
        self.items: dict[tuple, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def register(self, client, owner: str | None = None) -> None:
        """Count ``client``'s calls; ``owner`` names who makes them (default: the function
        whose environment is active, as the local runtime sets it per invocation)."""
        events = client.meta.events
        events.register("before-parameter-build", lambda params, context, **_: context.update(meter_params=dict(params)))
        events.register("before-call", self._before_call)
        events.register("after-call", lambda **kwargs: self._after_call(owner=owner, **kwargs))

    @staticmethod
    def _before_call(params, context, **_):
        body = params.get("body")
        context["meter_request_bytes"] = _length(body)

    def _after_call(self, http_response, parsed, model, context, owner, **_):
        service = model.service_model.service_id.hyphenize()
        operation = model.name
        who = owner or os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "harness")
        params = context.get("meter_params", {})
        ok = http_response.status_code < 300
        with self._lock:
            count = self.counts[(who, service, operation)]
            count.calls += 1
            count.request_bytes += context.get("meter_request_bytes", 0)
            count.response_bytes += _response_bytes(service, operation, http_response, parsed)
            if service == "s3":
                count.units["s3_put" if operation.startswith(("Put", "Copy", "List", "Post", "Create")) else "s3_get"] += 1
            elif service == "sqs":
                count.units["sqs"] += _sqs_chunks(operation, params, parsed)
            elif service == "dynamodb":
                self._dynamodb_units(count.units, operation, params, parsed, ok)

    # DynamoDB bills a write by the larger of the old and new item, and each index the
    # item enters, leaves or changes in as one more write of the projected entry.
    def _key(self, item: dict[str, Any]) -> tuple:
        return tuple(json.dumps(item.get(key), sort_keys=True) for key in self.table_keys)

    def _write(self, units: Counter, new: dict[str, Any] | None, key: tuple) -> None:
        old = self.items.get(key)
        units["wcu_table"] += write_units(max(item_bytes(old) if old else 0, item_bytes(new) if new else 0))
        for index in self.indexes:
            was, now = old is not None and index.holds(old), new is not None and index.holds(new)
            if was and now and index.key_of(old) == index.key_of(new):
                units[f"wcu_{index.name}"] += write_units(max(index.entry_bytes(old), index.entry_bytes(new)))
            else:
                units[f"wcu_{index.name}"] += (write_units(index.entry_bytes(old)) if was else 0) + (
                    write_units(index.entry_bytes(new)) if now else 0
                )
        if new is None:
            self.items.pop(key, None)
        else:
            self.items[key] = new

    def _dynamodb_units(self, units: Counter, operation: str, params: dict, parsed: dict, ok: bool) -> None:
        if operation == "PutItem":
            item = params["Item"]
            if ok:
                self._write(units, item, self._key(item))
            else:  # a failed condition still costs the write of the larger item
                stored = parsed.get("Item") or self.items.get(self._key(item)) or {}
                units["wcu_table"] += write_units(max(item_bytes(item), item_bytes(stored)))
        elif operation == "DeleteItem":
            if ok:
                self._write(units, None, self._key(params["Key"]))
            else:  # a delete whose condition kept the item still costs its write
                units["wcu_table"] += write_units(item_bytes(self.items.get(self._key(params["Key"])) or {}))
        elif operation == "BatchWriteItem" and ok:
            left = [json.dumps(r, sort_keys=True) for rs in (parsed.get("UnprocessedItems") or {}).values() for r in rs]
            for requests in params["RequestItems"].values():
                for request in requests:
                    if json.dumps(request, sort_keys=True) in left:
                        continue
                    if "PutRequest" in request:
                        item = request["PutRequest"]["Item"]
                        self._write(units, item, self._key(item))
                    else:
                        self._write(units, None, self._key(request["DeleteRequest"]["Key"]))
        elif operation == "GetItem" and ok:
            found = parsed.get("Item")
            size = item_bytes(self.items.get(self._key(found), found)) if found else 0
            units["rcu"] += read_units(size, bool(params.get("ConsistentRead")))
        elif operation == "Query" and ok:
            # Reads are billed on the whole items (or index entries) read, not on what a
            # ProjectionExpression returns.
            index = next((i for i in self.indexes if i.name == params.get("IndexName")), None)
            size = 0
            for found in parsed.get("Items", []):
                stored = self.items.get(self._key(found), found)
                size += index.entry_bytes(stored) if index else item_bytes(stored)
            units["rcu"] += read_units(size, bool(params.get("ConsistentRead")))
        elif operation == "BatchGetItem" and ok:
            for table, keys in params["RequestItems"].items():
                for found in parsed.get("Responses", {}).get(table, []):
                    stored = self.items.get(self._key(found), found)
                    units["rcu"] += read_units(item_bytes(stored), bool(keys.get("ConsistentRead")))

    def by_api(self) -> dict[tuple[str, str], ApiCount]:
        merged: dict[tuple[str, str], ApiCount] = defaultdict(ApiCount)
        for (_, service, operation), count in self.counts.items():
            total = merged[(service, operation)]
            total.calls += count.calls
            total.request_bytes += count.request_bytes
            total.response_bytes += count.response_bytes
            total.units.update(count.units)
        return dict(merged)

    def units(self) -> Counter:
        total: Counter = Counter()
        for count in self.counts.values():
            total.update(count.units)
        return total


def _length(body: Any) -> int:
    if body is None:
        return 0
    if isinstance(body, (bytes, bytearray, str)):
        return len(body.encode() if isinstance(body, str) else body)
    if isinstance(body, dict):  # query protocol: form fields
        return len("&".join(f"{k}={v}" for k, v in body.items()).encode())
    if hasattr(body, "seek") and hasattr(body, "tell"):
        position = body.tell()
        body.seek(0, 2)
        size = body.tell() - position
        body.seek(position)
        return size
    return 0


def _response_bytes(service: str, operation: str, http_response, parsed: dict) -> int:
    if service == "s3" and operation == "GetObject":
        return int(parsed.get("ContentLength") or 0)
    try:
        return len(http_response.content or b"")
    except Exception:  # noqa: BLE001 - a streamed body has no content to measure here
        return 0


def _sqs_payload(message: dict[str, Any]) -> int:
    size = len((message.get("MessageBody") or message.get("Body") or "").encode())
    for name, value in (message.get("MessageAttributes") or {}).items():
        size += len(name.encode()) + len(value.get("DataType", "").encode())
        size += len((value.get("StringValue") or "").encode()) + len(value.get("BinaryValue") or b"")
    return size


def _sqs_chunks(operation: str, params: dict, parsed: dict) -> int:
    """SQS bills each 64 KB chunk of a request's payload as one request."""
    if operation == "SendMessage":
        payload = _sqs_payload(params)
    elif operation == "SendMessageBatch":
        payload = sum(_sqs_payload(entry) for entry in params.get("Entries", []))
    elif operation == "ReceiveMessage":
        payload = sum(_sqs_payload(message) for message in parsed.get("Messages", []))
    else:
        return 1
    return max(1, math.ceil(payload / SQS_CHUNK))


# --------------------------------------------------------------------------- Lambda and logs


@dataclass
class Invocations:
    memory_mb: int
    count: int = 0
    seconds: float = 0.0
    billed_ms: int = 0

    @property
    def gb_seconds(self) -> float:
        return self.memory_mb / 1024 * self.billed_ms / 1000


def time_invocations(functions) -> dict[str, Invocations]:
    """Wrap each local function's ``invoke`` to time it (Lambda bills each started ms)."""
    found: dict[str, Invocations] = {}
    for name, function in functions.items():
        tally = found[name] = Invocations(memory_mb=function.function.memory)

        # CPU time of the process, not wall time: five people share this machine's two
        # cores, and here there is no network to wait for (moto's share is included).
        def timed(event, _invoke=function.invoke, _tally=tally):
            started = time.process_time()
            try:
                return _invoke(event)
            finally:
                elapsed = time.process_time() - started
                _tally.count += 1
                _tally.seconds += elapsed
                _tally.billed_ms += math.ceil(elapsed * 1000)

        function.invoke = timed
    return found


@contextlib.contextmanager
def captured_stderr(path: Path) -> Iterator[None]:
    """File descriptor 2 (where the local runtime sends the functions' stdout) into ``path``."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(path, "wb") as out:
        os.dup2(out.fileno(), 2)
    try:
        yield
    finally:
        sys.stderr.flush()
        if sys.__stderr__ is not None:
            sys.__stderr__.flush()
        os.dup2(saved, 2)
        os.close(saved)


def log_bytes_by_function(path: Path, services: dict[str, str]) -> dict[str, int]:
    """Bytes of the JSON log and metric lines, by the function whose service wrote them."""
    found: Counter = Counter()
    for line in path.read_bytes().splitlines(keepends=True):
        try:
            data = json.loads(line)
        except ValueError:
            found["other"] += len(line)
            continue
        service = data.get("service") if isinstance(data, dict) else None
        found[services.get(service, "other")] += len(line)
    return dict(found)


# --------------------------------------------------------------------------- moto's side


@contextlib.contextmanager
def moto_recording(path: Path) -> Iterator[None]:
    """moto's recorder on, into ``path``: each request moto answers, as it received it."""
    from moto.moto_api import recorder

    record, lock = recorder._record_request, threading.Lock()

    # Extract's threads call moto at once; the recorder appends to its file unlocked.
    def locked(*args, **kwargs):
        with lock:
            return record(*args, **kwargs)

    recorder._location = str(path)  # the recorder has no public setting for its file
    recorder._record_request = locked
    recorder.reset_recording()
    recorder.start_recording()
    try:
        yield
    finally:
        recorder.stop_recording()
        recorder._record_request = record


def recorded_requests(path: Path) -> Counter:
    """Requests moto answered, by (service, API), from its recorder's log; and under
    ``("sqs", "sent chunks")`` the 64 KB chunks of the messages sent, from their bodies."""
    found: Counter = Counter()
    if not path.exists():
        return found
    for line in path.read_text().splitlines():
        entry = json.loads(line)
        headers = {k.lower(): v for k, v in entry["headers"].items()}
        target = headers.get("x-amz-target", "")
        if target.startswith("DynamoDB_"):
            found[("dynamodb", target.split(".", 1)[1])] += 1
        elif target.startswith("AmazonSQS."):
            operation = target.split(".", 1)[1]
            found[("sqs", operation)] += 1
            if operation in ("SendMessage", "SendMessageBatch"):
                body = entry.get("body") or "{}"
                request = json.loads(base64.b64decode(body) if entry.get("body_encoded") else body)
                entries = request.get("Entries", [request])
                found[("sqs", "sent chunks")] += max(1, math.ceil(sum(_sqs_payload(e) for e in entries) / SQS_CHUNK))
        elif "s3" in urlparse(entry["url"]).netloc or headers.get("x-amz-content-sha256"):
            found[("s3", _s3_operation(entry["method"], entry["url"]))] += 1
        else:
            found[("other", entry["method"])] += 1
    return found


def _s3_operation(method: str, url: str) -> str:
    parsed = urlparse(url)
    path = unquote(parsed.path).lstrip("/")
    virtual_host = parsed.netloc.split(".s3", 1)[0] != parsed.netloc and not parsed.netloc.startswith("s3")
    has_key = bool(path) if virtual_host else "/" in path.rstrip("/")
    if method == "PUT":
        return "PutObject" if has_key else "PutBucket"
    if method == "GET":
        return "GetObject" if has_key else "ListObjectsV2"
    if method == "HEAD":
        return "HeadObject"
    if method == "DELETE":
        return "DeleteObject"
    return method


def moto_table_units(table_name: str, template: Template) -> dict[str, int]:
    """Write units to put every item moto's table holds once, from moto's own item sizes."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    from ..emulation.template import REGION

    table = dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION].tables[table_name]
    units: Counter = Counter()
    items = 0
    for item in table.all_items():
        items += 1
        units["wcu_table"] += write_units(item.size())
        for index in table.global_indexes:
            if all(key in item.attrs for key in index.schema_key_attrs):
                units[f"wcu_{index.name}"] += write_units(index.project(item).size() + INDEX_OVERHEAD)
    units["items"] = items
    units["bytes"] = sum(item.size() for item in table.all_items())
    return dict(units)


def moto_object_versions(s3, bucket: str, prefixes: tuple[str, ...]) -> tuple[int, int]:
    """Object versions (one per PUT, the bucket being versioned) and their bytes under ``prefixes``."""
    versions = size = 0
    for prefix in prefixes:
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix):
            for version in page.get("Versions", []):
                versions += 1
                size += version["Size"]
    return versions, size


# --------------------------------------------------------------------------- the run


@dataclass
class CostRun:
    articles: int
    processed: int
    meter: CallMeter
    invocations: dict[str, Invocations]
    logs: dict[str, int]
    moto_requests: Counter
    moto_units: dict[str, int]
    s3_versions: tuple[int, int]
    entities: int
    record_bytes: int
    #: articles that mention each entity item's partition key (a search key)
    entity_articles: Counter = field(default_factory=Counter)
    prices: Prices = PRICES
    #: The table's capacity mode (template.yaml), and for PROVISIONED what the simulated day
    #: at 1M articles paid per unit used (``capacity_prices``).
    capacity_mode: str = "PAY_PER_REQUEST"
    capacity: "CapacityPrices | None" = None

    def per_million(self, amount: float) -> float:
        return amount / self.articles * 1e6

    def dynamodb(self, units: dict[str, float], reads: float, on_demand: bool = False) -> float:
        """Dollars for ``units`` (``wcu_*`` keys) and ``reads`` read units, as the table is billed."""
        wcu = sum(v for k, v in units.items() if k.startswith("wcu_"))
        if on_demand or self.capacity is None:
            return wcu * self.prices.dynamodb_write_unit + reads * self.prices.dynamodb_read_unit
        return self.capacity.dollars(units, reads, self.articles)

    def parts(self, on_demand: bool = False) -> dict[str, float]:
        """Dollars per million articles, by service (DynamoDB as the template bills it, or on demand)."""
        p = self.prices
        units = self.meter.units()
        lambda_cost = sum(i.gb_seconds * p.lambda_gb_second + i.count * p.lambda_request for i in self.invocations.values())
        platform = len(PLATFORM_LINES) * sum(i.count for i in self.invocations.values())
        log_bytes = sum(self.logs.values()) + platform
        return {
            "DynamoDB": self.per_million(self.dynamodb(units, units["rcu"], on_demand)),
            "S3": self.per_million(units["s3_put"] * p.s3_put + units["s3_get"] * p.s3_get),
            "Lambda": self.per_million(lambda_cost),
            "SQS": self.per_million(units["sqs"] * p.sqs_request),
            "Logs": self.per_million(log_bytes / 1e9 * p.logs_gb),
        }


@dataclass
class CapacityPrices:
    """What a provisioned table costs per unit used, from a simulated day (``scale.py``):
    by capacity (``wcu_table``, ``wcu_<index>``, ``rcu``), plus the capacities no article uses
    (the index's reads, at their minimum) spread over the day's articles."""

    per_unit: dict[str, float]
    idle_per_article: float
    simulated: dict

    def dollars(self, units: dict[str, float], reads: float, articles: int) -> float:
        used = {**{k: v for k, v in units.items() if k.startswith("wcu_")}, "rcu": reads}
        return sum(v * self.per_unit.get(k, 0.0) for k, v in used.items()) + articles * self.idle_per_article


def capacity_key(name: str) -> str:
    """A simulated capacity's name ("table writes", "StatusIndex writes") as the meter's key."""
    where, kind = name.rsplit(" ", 1)
    return f"wcu_{where}" if kind == "writes" else ("rcu" if where == "table" else f"rcu_{where}")


def simulation_inputs(run: CostRun, template: Template) -> tuple[list, list]:
    """The stages' plans and the table's capacities, from what the run measured per article."""
    from . import scale

    plans = scale.stage_plans({name: inv.seconds / run.articles for name, inv in run.invocations.items()}, template)
    units = run.meter.units()
    writes = {k[4:]: v / run.articles for k, v in units.items() if k.startswith("wcu_")}
    return plans, scale.capacities(writes, units["rcu"] / run.articles, template)


def capacity_prices(run: CostRun, template: Template, per_day: int = 1_000_000) -> CapacityPrices:
    """Simulate a steady day of ``per_day`` articles on the provisioned table (no burst)."""
    from . import scale

    plans, table = simulation_inputs(run, template)
    day = scale.simulate_provisioned(plans, table, per_day)
    per_unit = {capacity_key(c["name"]): c["per_unit"] for c in day["capacities"] if c["used"]}
    idle = sum(c["dollars"] for c in day["capacities"] if not c["used"]) / per_day
    return CapacityPrices(per_unit, idle, day)


def measure_cost(paths: list[Path], count: int | None = None, template: Template | None = None) -> CostRun:
    """Run ``count`` articles (the files, repeated) through the local chain, counting."""
    from article_pipeline import aws

    from ..emulation.chain import local_pipeline

    template = template or Template()
    datas = [(p, p.read_bytes()) for p in paths]
    count = count or len(datas)
    with tempfile.TemporaryDirectory() as folder:
        logs_path, recording = Path(folder) / "logs", Path(folder) / "recording"
        with local_pipeline(template, log_level="INFO") as pipeline:
            # warm every function (imports, model) before counting, as warm containers
            for path, data in datas[:3]:
                pipeline.upload(data, f"incoming/warm/{path.name}")
            with captured_stderr(Path(folder) / "warm"):
                pipeline.drain()
            meter = CallMeter(template)
            for service in ("s3", "sqs", "dynamodb"):
                meter.register(aws.client(service))
            for poller in pipeline.pollers:
                meter.register(poller.sqs, owner=f"{poller.function.name} (SQS mapping)")
            invocations = time_invocations(pipeline.functions)
            # Powertools keeps one metric set per process: drop what earlier quiet runs left.
            from aws_lambda_powertools import Metrics

            Metrics().clear_metrics()
            ids = [
                pipeline.upload(datas[i % len(datas)][1], f"incoming/cost/{i:04d}/{datas[i % len(datas)][0].name}")
                for i in range(count)
            ]
            warm_units = moto_table_units(pipeline.stack.table, template)
            documents = ("cleaned/", "extracted/")
            warm_versions = moto_object_versions(pipeline.s3, pipeline.stack.bucket, documents)
            with moto_recording(recording):
                with captured_stderr(logs_path):
                    pipeline.drain()
            moto_requests = recorded_requests(recording)
            records = [pipeline.record(i) for i in ids]
            moto_units = moto_table_units(pipeline.stack.table, template)
            moto_units = {k: v - warm_units.get(k, 0) for k, v in moto_units.items()}
            versions = moto_object_versions(pipeline.s3, pipeline.stack.bucket, documents)
            s3_versions = (versions[0] - warm_versions[0], versions[1] - warm_versions[1])
            services = {fn.environment.get("POWERTOOLS_SERVICE_NAME"): name for name, fn in pipeline.functions.items()}
            logs = log_bytes_by_function(logs_path, services)
    processed = [r for r in records if r is not None and r.status == "processed"]
    from article_pipeline.records import entity_refs

    # by partition key: a place's id gathers every name of it ("iso:US"), a person's surname
    # every one of that name
    mentions: Counter = Counter()
    for record in processed:
        mentions.update({ref.split("\t", 1)[1] for e in record.entities for ref in entity_refs(e)})
    (table,) = template.of_type("AWS::DynamoDB::Table").values()
    run = CostRun(
        articles=count,
        processed=len(processed),
        meter=meter,
        invocations=invocations,
        logs=logs,
        moto_requests=moto_requests,
        moto_units=moto_units,
        s3_versions=s3_versions,
        entities=sum(len(r.entities) for r in processed),
        record_bytes=sum(len(r.model_dump_json(exclude_none=True)) for r in processed),
        entity_articles=mentions,
        capacity_mode=str(Resolver(template, {}).resolve(table["Properties"].get("BillingMode", "PROVISIONED"))),
    )
    if run.capacity_mode == "PROVISIONED":
        run.capacity = capacity_prices(run, template)
    return run


def report_scale(run: CostRun, template: Template | None = None, out=None) -> None:
    from . import scale

    template = template or Template()
    plans, table = simulation_inputs(run, template)
    queues = template.of_type("AWS::SQS::Queue")
    retention = {name: int(q["Properties"].get("MessageRetentionPeriod", 345_600)) for name, q in queues.items()}
    provisioned = None
    if run.capacity is not None:
        provisioned = (
            run.capacity.simulated,
            scale.simulate_provisioned(plans, table, burst=100_000),
            scale.simulate_provisioned(plans, table, burst=100_000, saved_seconds=0),
        )
    parts = run.parts()
    scale.report(
        plans,
        scale.simulate(plans),
        scale.hottest_entity(run.entity_articles, run.processed),
        sum(parts.values()),
        retention,
        provisioned,
        parts["DynamoDB"],
        sum(run.parts(on_demand=True).values()),
        scale.by_volume(plans, table) if provisioned else None,
        run.parts(on_demand=True)["DynamoDB"],
        out,
    )


# --------------------------------------------------------------------------- report


def report(run: CostRun, out=None) -> None:
    out = out or sys.stdout
    p = run.prices
    w = lambda line="": print(line, file=out)  # noqa: E731
    w(f"\nAWS bill per million articles, counted over {run.articles} articles ({run.processed} processed), local chain on moto:")
    w(f"  prices: {p.source}; read {p.read_on}")
    w(
        f"    Lambda ${p.lambda_gb_second:.10f}/GB-s + ${p.lambda_request * 1e6:.2f}/M requests; SQS ${p.sqs_request * 1e6:.2f}/M"
        f" 64 KB requests; S3 PUT ${p.s3_put * 1e6:.2f}/M, GET ${p.s3_get * 1e6:.2f}/M;"
    )
    w(
        f"    DynamoDB on-demand ${p.dynamodb_write_unit * 1e6:.3f}/M write units, ${p.dynamodb_read_unit * 1e6:.3f}/M read units,"
        f" provisioned ${p.dynamodb_wcu_hour}/WCU-hour, ${p.dynamodb_rcu_hour}/RCU-hour; CloudWatch Logs ${p.logs_gb:.2f}/GB"
    )
    w("  calls by API (per article; bytes are request / response payloads):")
    for (service, operation), count in sorted(run.meter.by_api().items()):
        units = ", ".join(f"{k} {v / run.articles:.2f}" for k, v in sorted(count.units.items()))
        w(
            f"    {service:<8} {operation:<28} {count.calls / run.articles:6.2f} calls"
            f"  {count.request_bytes / run.articles:9.0f} B / {count.response_bytes / run.articles:9.0f} B  {units}"
        )
    units = run.meter.units()
    wcu = {k[4:]: v for k, v in units.items() if k.startswith("wcu_")}
    w(
        "  DynamoDB per article: write units "
        + " + ".join(f"{v / run.articles:.2f} {k}" for k, v in sorted(wcu.items()))
        + f" = {sum(wcu.values()) / run.articles:.2f}; read units {units['rcu'] / run.articles:.2f};"
        f" {run.entities / max(run.processed, 1):.1f} entities a record"
    )
    w("  Lambda by function (template memory; CPU time measured here, moto's share included):")
    for name, inv in run.invocations.items():
        if not inv.count:
            continue
        w(
            f"    {name:<16} {inv.memory_mb:5d} MB  {inv.count / run.articles:6.3f} invocations  "
            f"{inv.seconds / run.articles * 1000:8.1f} ms  {inv.gb_seconds / run.articles:.5f} GB-s per article"
        )
    platform = len(PLATFORM_LINES) * sum(i.count for i in run.invocations.values())
    w(
        "  logs at INFO per article: "
        + ", ".join(f"{name} {n / run.articles:.0f} B" for name, n in sorted(run.logs.items()))
        + f", Lambda START/END/REPORT {platform / run.articles:.0f} B"
    )
    stored = sum(run.meter.counts[k].request_bytes for k in run.meter.counts if k[1] == "s3" and k[2] == "PutObject")
    w(
        f"  kept per article: S3 {stored / run.articles / KB:.1f} KB, DynamoDB {run.moto_units.get('bytes', 0) / run.articles / KB:.1f} KB"
        f" (${(stored * p.s3_gb_month + run.moto_units.get('bytes', 0) * p.dynamodb_gb_month) / run.articles * 1e6 / 1e9:.2f}"
        " per million articles per month kept, not in the total)"
    )
    if run.capacity is not None:
        day = run.capacity.simulated
        w(
            "  DynamoDB is PROVISIONED (template.yaml), auto-scaled; a simulated steady day of 1M articles"
            f" (scale.py) pays ${day['per_day']:.2f}, per unit used: "
            + ", ".join(f"{k} ${v * 1e6:.3f}/M" for k, v in sorted(run.capacity.per_unit.items()))
            + f", plus ${run.capacity.idle_per_article * 1e6:.2f}/M articles for capacity no article uses"
        )
    parts = run.parts()
    on_demand = run.parts(on_demand=True)
    w(f"  $ per million articles ({run.capacity_mode.lower().replace('_', '-')} table; on demand beside it):")
    for name, amount in parts.items():
        w(f"    {name:<9} {amount:8.2f}   {on_demand[name]:8.2f}")
    w(f"    {'total':<9} {sum(parts.values()):8.2f}   {sum(on_demand.values()):8.2f}")
    report_check(run, out)


def independent_check(run: CostRun) -> list[tuple[str, float, float]]:
    """(what, counted by the hooks, counted by moto) for each figure both can see."""
    by_api = run.meter.by_api()
    rows = []
    for (service, operation), count in sorted(by_api.items()):
        rows.append((f"{service} {operation} calls", count.calls, run.moto_requests.get((service, operation), 0)))
    units = run.meter.units()
    for key in sorted(k for k in units if k.startswith("wcu_")):
        rows.append((f"DynamoDB {key[4:]} write units", units[key], run.moto_units.get(key, 0)))
    puts = sum(c.units["s3_put"] for (s, _), c in by_api.items() if s == "s3")
    rows.append(("S3 objects written (moto's versions)", puts, run.s3_versions[0]))
    return rows


def independent_parts(run: CostRun) -> dict[str, float]:
    """Dollars per million articles for the parts moto's side can see on its own.

    DynamoDB: the write units of the items moto holds at the end (each written once in
    this run) and one read unit per GetItem or Query it answered (items under 4 KB);
    S3: the requests it answered; SQS: the chunks of the messages it was sent, one
    request per receive and per delete (each receive here returns less than 64 KB).
    """
    p, seen = run.prices, run.moto_requests
    reads = seen[("dynamodb", "GetItem")] + seen[("dynamodb", "Query")]
    s3_put = sum(n for (service, op), n in seen.items() if service == "s3" and op.startswith(("Put", "List")))
    s3_get = sum(n for (service, op), n in seen.items() if service == "s3" and op in ("GetObject", "HeadObject"))
    sqs = seen[("sqs", "sent chunks")] + sum(
        n for (service, op), n in seen.items() if service == "sqs" and op not in ("SendMessage", "SendMessageBatch", "sent chunks")
    )
    return {
        "DynamoDB": run.per_million(run.dynamodb(run.moto_units, reads)),
        "S3": run.per_million(s3_put * p.s3_put + s3_get * p.s3_get),
        "SQS": run.per_million(sqs * p.sqs_request),
    }


def report_check(run: CostRun, out=None) -> None:
    out = out or sys.stdout
    print("  independent count (moto's recorder of the requests it answered; its items and object versions):", file=out)
    for what, counted, seen in independent_check(run):
        gap = abs(counted - seen) / seen * 100 if seen else (0.0 if not counted else 100.0)
        print(f"    {what:<44} {counted:10.0f} {seen:10.0f}  {gap:5.1f} %", file=out)
    parts = run.parts()
    for name, seen in independent_parts(run).items():
        gap = abs(parts[name] - seen) / seen * 100 if seen else (0.0 if not parts[name] else 100.0)
        print(f"    {name + ' $ per million articles':<44} {parts[name]:10.2f} {seen:10.2f}  {gap:5.1f} %", file=out)
    print("    (Lambda and Logs: counted once, from the invocations and the functions' output)", file=out)


def main(argv: list[str] | None = None) -> int:
    import argparse

    from .corpus import article_files

    parser = argparse.ArgumentParser(prog="python -m article_pipeline_local.measurement.cost", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=None, help="default: each bench article once")
    args = parser.parse_args(argv)
    run = measure_cost(article_files(), args.articles)
    report(run)
    report_scale(run)
    return 0


if __name__ == "__main__":
    sys.exit(main())

