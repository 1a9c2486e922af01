"""DynamoDB adapter: the article record and the entity items that index it.

Layout (one table, no index copy of the entity items):
- ``pk=ARTICLE#<id>, sk=RECORD``: the record. Its small fields are native attributes (the
  replay reads ``status``, ``pipeline_rank`` and ``source``); its bulky ones (text, lists)
  are one zlib-compressed JSON attribute, ``bulk``: write units are billed per KB, and the
  text comes back a second time in the figures' sentences. ``entity_index`` lists the
  entity items the record owns, ``index_replaced`` those of the record it replaced that it
  drops, ``index_cleanup`` those it deletes (these and the replaced record's own);
  ``documents`` the S3 document versions its upload put, ``document_cleanup`` those of the
  record it replaced.
- ``pk=NAME#<key>`` (a one-word key) or ``pk=INITIALS#<initials>`` (a longer one),
  ``sk=<key>|<entity id>#<article id>``: one item per search key of each entity an article
  mentions (``identity.search_keys``: a place's public id; else each of its names, and a
  person's surname), so "articles that mention X" is a Query on the table itself, and an
  acronym's Query finds the names of two words or more it may stand for.
  Each item carries the entity's id and keys, from which search resolves the names of one
  identity across the archive (``article_pipeline.search``). Records from before
  identities own ``pk=ENTITY#<name>, sk=<label>#<article id>`` items instead, which their
  replacement deletes.

Writes are conditional: the same input twice changes nothing (not even ``processed_at``),
an older S3 event (by ``sequencer``) never replaces a newer record, an older pipeline
version never replaces a newer one, and running out of retries never overwrites a
processed record.

A table over its capacity (provisioned, or an on-demand partition past its limit) throttles:
every call here then waits with jittered exponential backoff, up to a deadline the caller
gives (what the Lambda invocation has left), and only then gives up with ``Throttled``, a
transient error that SQS redelivers.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from .errors import RETRIES_EXHAUSTED
from .identity import entity_id, initials, name_key, parent_name, primary_key, search_keys
from .models import ArticleRecord, Entity

RECORD_SK = "RECORD"
#: Record items only (``status`` + ``pipeline_rank``): "failed" and "older than deployed"
#: become Queries for the replay instead of a Scan.
STATUS_INDEX = "StatusIndex"
#: DynamoDB's item limit is 400 KB; leave room for attribute names and the index keys.
MAX_RECORD_BYTES = 350_000

#: What DynamoDB answers when a table, index or partition is over its throughput.
THROTTLING_CODES = frozenset({"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"})
#: How long the calls of one write may wait for capacity when the caller sets no deadline.
DEFAULT_WAIT_SECONDS = 20.0
#: Backoff: the first wait at most, and the cap of any one wait (full jitter below it).
FIRST_WAIT_SECONDS = 0.05
LONGEST_WAIT_SECONDS = 5.0

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


class Throttled(RuntimeError):
    """DynamoDB kept throttling past the deadline: a transient failure, left for SQS to redeliver."""


class Backoff:
    """Waits between throttled attempts: exponential with full jitter (AWS's advice, so that
    writers sharing a table spread out), never past ``until`` (monotonic seconds)."""

    def __init__(self, until: float | None = None) -> None:
        self.until = until if until is not None else time.monotonic() + DEFAULT_WAIT_SECONDS
        self.ceiling = FIRST_WAIT_SECONDS
        self.waits = 0

    def wait(self, what: str) -> None:
        pause = random.uniform(0, self.ceiling)
        if time.monotonic() + pause > self.until:
            raise Throttled(f"DynamoDB throttled {what} after {self.waits} waits, past this delivery's deadline")
        time.sleep(pause)
        self.ceiling = min(self.ceiling * 2, LONGEST_WAIT_SECONDS)
        self.waits += 1

    def call(self, method, **params) -> dict[str, Any]:
        """``method(**params)``, again after a wait each time DynamoDB throttles it."""
        while True:
            try:
                return method(**params)
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") not in THROTTLING_CODES:
                    raise
            self.wait(method.__name__)


def article_pk(article_id: str) -> str:
    return f"ARTICLE#{article_id}"


#: The partition of a one-word search key: ``NAME#<key>`` ("NAME#blair", "NAME#iso:US").
NAME_PREFIX = "NAME#"
#: The partition of a key of two words or more: ``INITIALS#<initials>`` ("INITIALS#un" for
#: "united nations"), so that an acronym's Query finds every name it may stand for.
INITIALS_PREFIX = "INITIALS#"
#: The partition key of a pre-identity record's entity items: ``ENTITY#<lower-case name>``.
LEGACY_PREFIX = "ENTITY#"


def key_partition(key: str) -> str:
    letters = initials(key)
    return f"{INITIALS_PREFIX}{letters}" if letters else f"{NAME_PREFIX}{key}"


def key_sort_prefix(key: str) -> str:
    """Every item under ``key`` has a sort key that starts so: ``<key>|<entity id>#<article id>``."""
    return f"{key}|"


def identity_of(entity: Entity) -> str:
    """The entity's id, derived from its name where an older Extract gave none."""
    return entity.id or entity_id(entity.name, entity.label)


def entity_refs(entity: Entity) -> list[str]:
    """How a record lists its entity items: ``<entity id>\t<search key>``, one per key."""
    identity = identity_of(entity)
    return [f"{identity}\t{key}" for key in search_keys(identity, entity.label, [entity.name, *entity.aliases])]


def entity_item_key(ref: str, article_id: str) -> dict[str, Any]:
    if "\t" in ref:
        identity, key = ref.split("\t", 1)
        return {"pk": {"S": key_partition(key)}, "sk": {"S": f"{key_sort_prefix(key)}{identity}#{article_id}"}}
    label, name = ref.split("#", 1)  # a pre-identity ref: <label>#<lower-case name>
    return {"pk": {"S": f"{LEGACY_PREFIX}{name}"}, "sk": {"S": f"{label}#{article_id}"}}


def order_key(sequencer: str | None) -> str:
    """S3 sequencers are hex strings comparable only at equal length: pad them."""
    return (sequencer or "").upper().rjust(32, "0")


def version_key(version: str) -> str:
    """Pipeline versions compare by their numeric parts: "0.10.0" is newer than "0.9.1"."""
    return ".".join(part.rjust(8, "0") if part.isdigit() else part for part in version.split("."))


def pipeline_rank(version: str, model_version: str | None) -> str:
    """Code version, then model version: sorts as the pipelines were released.

    A failed record carries no model version; its rank ends at the "|" so that it sorts
    before every processed record of the same code version.
    """
    return f"{version_key(version)}|{version_key(model_version) if model_version else ''}"


def fingerprint(record: ArticleRecord, data: dict[str, Any] | None = None) -> str:
    """What makes two writes of one article the same write (everything but the clock).

    ``data`` is ``record.model_dump(mode="json")`` when the caller has it already.
    """
    payload = record.model_dump(mode="json") if data is None else data
    payload = {key: value for key, value in payload.items() if key not in ("processed_at", "deleted_at")}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


#: The record's bulky attributes: stored together, compressed, in ``bulk``.
_BULKY = ("text", "warnings", "images", "removed", "figures", "entities")
BULK = "bulk"


def _pack(data: dict[str, Any]) -> bytes:
    bulky = {key: data[key] for key in _BULKY if data.get(key) is not None}
    return zlib.compress(json.dumps(bulky, ensure_ascii=False, separators=(",", ":")).encode(), 6)


def _to_item(data: dict[str, Any]) -> dict[str, Any]:
    """A JSON-like dict as DynamoDB attributes (top-level None left out).

    The same attributes as ``TypeSerializer`` over the JSON round trip with floats read as
    ``Decimal``, without the round trip: every number still goes through the serializer.
    """
    return {key: _attribute(value) for key, value in data.items() if value is not None}


def _attribute(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, bool) or value is None:
        return _serializer.serialize(value)
    if isinstance(value, float):
        # As json.dumps then parse_float=Decimal: the shortest repr; nan/inf stay floats,
        # which the serializer refuses as before.
        return _serializer.serialize(Decimal(repr(value)) if math.isfinite(value) else value)
    if isinstance(value, int):
        return _serializer.serialize(value)
    if isinstance(value, dict):
        # Keys as JSON writes them (1 -> "1", True -> "true").
        return {"M": {_key(key): _attribute(item) for key, item in value.items()}}
    if isinstance(value, (list, tuple)):
        return {"L": [_attribute(item) for item in value]}
    return _serializer.serialize(json.loads(json.dumps(value), parse_float=Decimal))


def _key(key: Any) -> str:
    return key if isinstance(key, str) else json.dumps(key)


def _from_item(item: dict[str, Any]) -> dict[str, Any]:
    data = {key: _deserializer.deserialize(value) for key, value in item.items()}
    blob = data.pop(BULK, None)
    for internal in ("entity_index", "index_replaced", "index_cleanup", "generation", "documents", "document_cleanup"):
        data.pop(internal, None)
    data = json.loads(json.dumps(data, default=_decimal))
    if blob is not None:
        data.update(json.loads(zlib.decompress(blob.value)))
    return data


def _decimal(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def record_size(record: ArticleRecord) -> int:
    return len(record.model_dump_json(exclude_none=True).encode())


#: How many times a writer re-decides after another writer's record landed between its read
#: and its put, before it leaves the message to SQS (``Contended``).
MAX_ATTEMPTS = 20
#: What a put_record reads of the stored record to decide and to know what it owns.
_DECIDING = (
    "order_key, version_key, fingerprint, #status, generation, entity_index, index_replaced, index_cleanup, documents, document_cleanup"
)


@dataclass(frozen=True)
class Written:
    """What ``put_record`` did: truthy when it put this record (False when the stored one
    wins). ``discard`` names the documents (as given in ``documents``) that no stored record
    names any more: the caller deletes them."""

    put: bool
    discard: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.put


class Contended(RuntimeError):
    """Other writers of the article kept landing first: transient, SQS redelivers it."""


def _number(value: dict[str, Any] | None) -> int:
    return int(value["N"]) if value and "N" in value else 0


def _wins(kept: dict[str, Any] | None, item: dict[str, Any], transient: bool) -> bool:
    """Today's order rules, decided on the stored record as read (None: no record).

    A newer S3 event (by ``sequencer``) wins; the same event wins only with other content
    and an equal or newer pipeline; a transient failure replaces only another failure.
    """
    if not kept:
        return True
    order, stored_order = item["order_key"]["S"], kept.get("order_key", {}).get("S", "")
    if transient:
        return kept.get("status", {}).get("S") == "failed" and stored_order <= order
    if stored_order != order:
        return stored_order < order
    return kept.get("fingerprint") != item["fingerprint"] and kept.get("version_key", {}).get("S", "") <= item["version_key"]["S"]


def put_record(
    dynamodb, table: str, record: ArticleRecord, entities: list[Entity] | None = None, *,
    documents: Sequence[str] = (), wait_until: float | None = None,
) -> Written:
    """Write the record and an item per entity; falsy when the stored one wins.

    ``entities`` defaults to the record's own; pass the full list when the record's was
    moved to S3 for size, so that every entity stays searchable. ``documents`` names the
    document versions the record's upload put: the answer's ``discard`` is this writer's
    own when it lost, or those of the record it replaced. ``wait_until`` (monotonic
    seconds) bounds the waits for capacity (``Throttled`` past it).

    Concurrent writers of one article agree through the record's ``generation``: a writer
    reads the record, decides by the order rules, and puts its own only if the generation
    it read is still there (a lost race re-decides on the winner's item, returned by the
    failed put). Entity items carry the generation of the record that wrote them and are
    put or deleted only over older ones, and a writer overtaken while writing them deletes
    what the newer record does not list: no stale search hit, whatever the interleaving.
    """
    backoff = Backoff(wait_until)
    data = record.model_dump(mode="json")
    entities = record.entities if entities is None else entities
    wanted = _entity_items(record, entities)
    item = _to_item(
        {
            **{key: value for key, value in data.items() if key not in _BULKY},
            "pk": article_pk(record.article_id),
            "sk": RECORD_SK,
            "order_key": order_key(record.source.sequencer),
            "version_key": version_key(record.pipeline.version),
            "pipeline_rank": pipeline_rank(record.pipeline.version, record.pipeline.model_version),
            "fingerprint": fingerprint(record, data),
        }
    )
    item[BULK] = {"B": _pack(data)}
    # Compressed: an article may own thousands of entity items.
    item["entity_index"] = {"B": _pack_refs(sorted(wanted))}
    mine = set(documents)
    item["documents"] = {"B": _pack_refs(sorted(mine))}
    transient = record.error is not None and record.error.kind == RETRIES_EXHAUSTED
    kept = _read_deciding(dynamodb, table, record.article_id, backoff)
    for _ in range(MAX_ATTEMPTS):
        if not _wins(kept, item, transient):
            if kept and kept.get("fingerprint") == item["fingerprint"]:
                # The same write again: its entity items, or the deletes of a replacement, may
                # be what a crash left undone. The stored record says which.
                generation = _number(kept.get("generation"))
                _write_entity_items(dynamodb, table, record.article_id, wanted, _strings(kept.get("index_cleanup")), generation, backoff)
                # A crash may have left the replaced record's documents too; a duplicate
                # upload's chain put equal documents of its own, which go.
                return Written(False, tuple(sorted(set(_strings(kept.get("document_cleanup"))) | _not_named(mine, kept))))
            return Written(False, tuple(sorted(_not_named(mine, kept))))
        generation = _number(kept.get("generation")) + 1 if kept else 1
        # The items the stored record owns and this one drops, and those the stored record
        # dropped in turn, in case its writer crashed before deleting them. One generation
        # back, no further: carried on forever, an article's 30th update made 58 deletes.
        replaced_items = set(_strings(kept.get("entity_index"))) - set(wanted) if kept else set()
        carried = set(_strings(kept.get("index_replaced" if "index_replaced" in kept else "index_cleanup"))) if kept else set()
        cleanup = sorted(replaced_items | carried - set(wanted))
        item["index_replaced"] = {"B": _pack_refs(sorted(replaced_items))}
        item["index_cleanup"] = {"B": _pack_refs(cleanup)}
        # The replaced record's documents (only its own: an attempt that failed after its
        # put left a version no record names; a retraction sweeps those, stages.store).
        replaced = sorted(set(_strings(kept.get("documents"))) - mine) if kept else []
        item["document_cleanup"] = {"B": _pack_refs(replaced)}
        item["generation"] = {"N": str(generation)}
        if not kept:
            condition, values = "attribute_not_exists(pk)", {}
        elif "generation" not in kept:  # written before generations
            condition, values = "attribute_exists(pk) AND attribute_not_exists(generation)", {}
        else:
            condition, values = "generation = :read", {":read": kept["generation"]}
        try:
            backoff.call(
                dynamodb.put_item,
                TableName=table,
                Item=item,
                ConditionExpression=condition,
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
                **({"ExpressionAttributeValues": values} if values else {}),
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            kept = error.response.get("Item") or None  # another writer's record: decide again
            continue
        _write_entity_items(dynamodb, table, record.article_id, wanted, cleanup, generation, backoff)
        _yield_to_newer(dynamodb, table, record.article_id, wanted, generation, backoff)
        return Written(True, tuple(replaced))
    raise Contended(f"record {record.article_id}: {MAX_ATTEMPTS} writes lost to other writers in a row")


def _not_named(documents: set[str], kept: dict[str, Any] | None) -> set[str]:
    return documents - set(_strings(kept.get("documents"))) if kept else documents


def _read_deciding(dynamodb, table: str, article_id: str, backoff: Backoff) -> dict[str, Any] | None:
    """The stored record's order, generation and refs (a consistent read: an item costs one
    read unit per 4 KB, far less than the writes a wrong decision would cost)."""
    response = backoff.call(
        dynamodb.get_item,
        TableName=table,
        Key={"pk": {"S": article_pk(article_id)}, "sk": {"S": RECORD_SK}},
        ProjectionExpression=_DECIDING,
        ExpressionAttributeNames={"#status": "status"},
        ConsistentRead=True,
    )
    return response.get("Item") or None


def _yield_to_newer(
    dynamodb, table: str, article_id: str, wanted: dict[str, dict[str, Any]], generation: int, backoff: Backoff
) -> None:
    """A newer record that landed while this writer wrote its entity items may have run its
    deletes before these puts: take back what that record does not list."""
    now = _read_deciding(dynamodb, table, article_id, backoff)
    if now is None or _number(now.get("generation")) <= generation:
        return
    listed = set(_strings(now.get("entity_index")))
    for ref in sorted(set(wanted) - listed):
        _conditional(
            dynamodb.delete_item, backoff, TableName=table, Key=entity_item_key(ref, article_id),
            ConditionExpression="generation <= :mine", ExpressionAttributeValues={":mine": {"N": str(generation)}},
        )


def _pack_refs(refs: list[str]) -> bytes:
    return zlib.compress("\n".join(refs).encode(), 6)


def _strings(value: dict[str, Any] | None) -> list[str]:
    """The entity refs of a packed attribute (none when absent)."""
    if not value or "B" not in value:
        return []
    text = zlib.decompress(bytes(value["B"])).decode()
    return text.split("\n") if text else []


def _index_refs(dynamodb, table: str, article_id: str, backoff: Backoff) -> set[str]:
    """The entity items the stored record owns or still has to delete."""
    item = _read_deciding(dynamodb, table, article_id, backoff) or {}
    return set(_strings(item.get("entity_index"))) | set(_strings(item.get("index_cleanup")))


#: How many of an entity's aliases its items carry.
ITEM_ALIASES = 8


def _entity_items(record: ArticleRecord, entities: list[Entity]) -> dict[str, dict[str, Any]]:
    items = {}
    for entity in entities:
        identity = identity_of(entity)
        refs = entity_refs(entity)
        keys = [ref.split("\t", 1)[1] for ref in refs]
        for ref, key in zip(refs, keys):
            items[ref] = {
                "pk": key_partition(key),
                "sk": f"{key_sort_prefix(key)}{identity}#{record.article_id}",
                "key": key,
                "article_id": record.article_id,
                "id": identity,
                "name": entity.name,
                # the other forms the article used, for the names an identity goes by (a few:
                # an item of 1 KB or less is one write unit)
                "aliases": entity.aliases[:ITEM_ALIASES] or None,
                "label": entity.label,
                # every key of the entity in this article: what search follows to the
                # articles that name the same identity otherwise
                "keys": keys,
                # the organisation it is a body of (a key of it, but no other name for it)
                "part_of": parent_name(primary_key(identity) or "") if entity.label == "ORG" else None,
                "count": entity.count,
                "salience": entity.salience,
                "title": record.title,
                "published": record.published,
            }
    return items


def _conditional(method, backoff: Backoff, **params) -> bool:
    """One conditional write; False when its condition kept what is there."""
    try:
        backoff.call(method, **params)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
            raise
        return False
    return True


def _write_entity_items(
    dynamodb, table: str, article_id: str, wanted: dict[str, dict[str, Any]], stale: list[str], generation: int, backoff: Backoff
) -> None:
    """Put the record's entity items and delete those a previous version left behind.

    One conditional call per item (BatchWriteItem takes no conditions): an item goes in
    only over its own or an older generation's, and goes out only if older.
    """
    mine = {":mine": {"N": str(generation)}}
    for entity in wanted.values():
        _conditional(
            dynamodb.put_item, backoff, TableName=table, Item=_to_item({**entity, "generation": generation}),
            ConditionExpression="attribute_not_exists(generation) OR generation <= :mine", ExpressionAttributeValues=mine,
        )
    for ref in stale:
        if ref not in wanted:
            _conditional(
                dynamodb.delete_item, backoff, TableName=table, Key=entity_item_key(ref, article_id),
                ConditionExpression="attribute_not_exists(generation) OR generation < :mine", ExpressionAttributeValues=mine,
            )


def _batch_write(dynamodb, table: str, requests: list[dict[str, Any]], backoff: Backoff) -> None:
    """One BatchWriteItem, and again for what it leaves unprocessed (throttled items)."""
    pending = {table: requests}
    while True:
        response = backoff.call(dynamodb.batch_write_item, RequestItems=pending)
        pending = response.get("UnprocessedItems") or {}
        if not pending:
            return
        backoff.wait(f"{len(pending.get(table, []))} of a batch's writes")


def get_record(dynamodb, table: str, article_id: str) -> ArticleRecord | None:
    response = dynamodb.get_item(
        TableName=table, Key={"pk": {"S": article_pk(article_id)}, "sk": {"S": RECORD_SK}}, ConsistentRead=True
    )
    if "Item" not in response:
        return None
    return ArticleRecord.model_validate(_from_item(response["Item"]))


def find_by_key(dynamodb, table: str, key: str) -> list[dict[str, Any]]:
    """The entity items under one search key (``identity.name_key`` of a name, or a place's
    id): article id, entity id, name, label, keys, count, salience, title."""
    return _query_items(dynamodb, table, key_partition(key), key_sort_prefix(key))


def find_by_initials(dynamodb, table: str, letters: str) -> list[dict[str, Any]]:
    """The entity items of every name of two words or more with these initials ("un")."""
    return _query_items(dynamodb, table, f"{INITIALS_PREFIX}{letters.lower()}")


def find_legacy(dynamodb, table: str, name: str) -> list[dict[str, Any]]:
    """The entity items a record from before identities wrote for ``name`` (lower case)."""
    return _query_items(dynamodb, table, f"{LEGACY_PREFIX}{' '.join(name.lower().split())}")


def find_by_entity(dynamodb, table: str, name: str, label: str | None = None) -> list[dict[str, Any]]:
    """Entity items of articles whose entity has ``name`` among its names (no resolving
    across the archive: that is ``article_pipeline.search``), one per article and identity."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for item in find_by_key(dynamodb, table, name_key(name)):
        if label is None or item.get("label") == label:
            found.setdefault((item["article_id"], item["id"]), item)
    return list(found.values())


def _query_items(dynamodb, table: str, pk: str, sort_prefix: str | None = None) -> list[dict[str, Any]]:
    condition, values = "pk = :key", {":key": {"S": pk}}
    if sort_prefix:
        condition += " AND begins_with(sk, :prefix)"
        values[":prefix"] = {"S": sort_prefix}
    found: list[dict[str, Any]] = []
    paginator = dynamodb.get_paginator("query")
    for page in paginator.paginate(TableName=table, KeyConditionExpression=condition, ExpressionAttributeValues=values):
        found += [_from_item(item) for item in page["Items"]]
    return found


def get_records(dynamodb, table: str, article_ids: list[str], projection: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Record items by article id (BatchGetItem, 100 keys a call); absent ids are absent.

    With ``projection`` only those top-level attributes come back (``article_id`` always).
    """
    params: dict[str, Any] = {}
    if projection:
        names = {f"#a{n}": name for n, name in enumerate(dict.fromkeys(["article_id", *projection]))}
        params = {"ProjectionExpression": ", ".join(names), "ExpressionAttributeNames": names}
    found: dict[str, dict[str, Any]] = {}
    unique = list(dict.fromkeys(article_ids))
    for start in range(0, len(unique), 100):
        keys = [{"pk": {"S": article_pk(i)}, "sk": {"S": RECORD_SK}} for i in unique[start : start + 100]]
        pending: dict[str, Any] = {table: {"Keys": keys, "ConsistentRead": True, **params}}
        backoff = Backoff()
        while True:
            response = backoff.call(dynamodb.batch_get_item, RequestItems=pending)
            for item in response.get("Responses", {}).get(table, []):
                data = _from_item(item)
                found[data["article_id"]] = data
            pending = response.get("UnprocessedKeys") or {}
            if not pending:
                break
            backoff.wait(f"{len(pending[table]['Keys'])} record reads")
    return found


def delete_record(dynamodb, table: str, article_id: str) -> int:
    """Delete the record and its entity items; returns how many items went."""
    backoff = Backoff()
    requests = [{"DeleteRequest": {"Key": entity_item_key(ref, article_id)}} for ref in sorted(_index_refs(dynamodb, table, article_id, backoff))]
    requests.append({"DeleteRequest": {"Key": {"pk": {"S": article_pk(article_id)}, "sk": {"S": RECORD_SK}}}})
    for start in range(0, len(requests), 25):
        _batch_write(dynamodb, table, requests[start : start + 25], backoff)
    return len(requests)
