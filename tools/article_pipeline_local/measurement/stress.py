"""``make stress``: many instances per stage, a storm of S3 events, then every key checked.

The chain runs with ``--concurrency`` instances per mapping, each its own process, against
one moto server. Over ``keys`` keys it sends S3 events: uploads, overwrites within the same
second, deletes, re-uploads after a delete, duplicate deliveries (an event sent twice), one
DLQ redrive (older events put in IngestDLQ and moved back) and one replay, both mid-storm.
Then, per key: a current object has that version's record; a deleted key has a ``deleted``
record, no entity items, no documents; the entity items are exactly those the current
records name, each with its entity's identity, and ``search`` by each name answers exactly
the articles whose current record names it; nothing is lost and no record content is
written twice. Every document goes through
S3 (as a long article's does), and no version of one is left but the stored record's own.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from article_pipeline.models import ArticleRecord, article_id_for
from article_pipeline.identity import name_key
from article_pipeline.records import entity_refs, find_by_key, get_record

from ..commands.queries import search

NAMES = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Marie Curie", "Niels Bohr", "Emmy Noether", "Carl Gauss"]
CITIES = ["Sydney", "Paris", "Berlin", "Tokyo", "Lisbon", "Oslo", "Cairo"]


def article_text(key_number: int, version: int, rng: random.Random) -> bytes:
    """A short article (cheap for spaCy) whose entities change with each version."""
    person, city = rng.choice(NAMES), rng.choice(CITIES)
    return (
        f"Update {version} on story {key_number}\n\n"
        f"{person} spoke in {city} on Monday about version {version} of story {key_number}. "
        f"The council of {city} said the plan would cost $4 million.\n"
    ).encode()


@dataclass
class Findings:
    events: int = 0
    keys: int = 0
    seconds: float = 0.0
    instances: dict[str, int] = field(default_factory=dict)
    wrong_record: list[str] = field(default_factory=list)
    not_deleted: list[str] = field(default_factory=list)
    stale_search: list[str] = field(default_factory=list)
    missing_search: list[str] = field(default_factory=list)
    #: a name whose search answer is not the articles whose current records name it
    wrong_answers: list[str] = field(default_factory=list)
    leftover_documents: list[str] = field(default_factory=list)
    #: a live key's document versions other than its record's two
    wrong_documents: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    double_writes: int = 0
    deleted_keys: int = 0
    #: how often the storm played each of SCENARIOS (a smaller storm must still play them all)
    played: Counter = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not (self.wrong_record or self.not_deleted or self.stale_search or self.missing_search
                    or self.wrong_answers or self.leftover_documents or self.wrong_documents or self.lost or self.double_writes)

    def summary(self) -> str:
        return (
            f"stress: {self.events} S3 events over {self.keys} keys ({self.deleted_keys} deleted), "
            f"instances per stage {self.instances}, {self.seconds:.0f} s; "
            f"{len(self.wrong_record)} wrong records, {len(self.not_deleted)} deletes not applied, "
            f"{len(self.stale_search)} stale and {len(self.missing_search)} missing search hits, "
            f"{len(self.wrong_answers)} wrong search answers, "
            f"{len(self.leftover_documents)} leftover and {len(self.wrong_documents)} wrong documents, "
            f"{len(self.lost)} lost, {self.double_writes} double writes"
        )


#: What a storm plays, as ``Findings.played`` counts them.
SCENARIOS = ("upload", "overwrite within the second", "delete", "upload after a delete", "duplicate delivery",
             "DLQ redrive", "replay")


class ServerTaps:
    """In the moto server's process: the bodies S3 sends to the ingest queue, and record writes."""

    def __init__(self, ingest_queue_name: str) -> None:
        from moto.dynamodb.models import DynamoDBBackend
        from moto.sqs.models import SQSBackend

        self.bodies: list[str] = []
        self.writes: Counter[tuple[str, str]] = Counter()
        self._saved = (SQSBackend.send_message, DynamoDBBackend.put_item)
        send, put = self._saved
        taps = self

        def send_message(backend, queue_name, message_body, *args, **kwargs):
            if queue_name == ingest_queue_name and '"Records"' in message_body:
                taps.bodies.append(message_body)
            return send(backend, queue_name, message_body, *args, **kwargs)

        def put_item(backend, table_name, item_attrs, *args, **kwargs):
            item = put(backend, table_name, item_attrs, *args, **kwargs)
            if item_attrs.get("sk", {}).get("S") == "RECORD" and "fingerprint" in item_attrs:
                taps.writes[(item_attrs["pk"]["S"], item_attrs["fingerprint"]["S"])] += 1
            return item

        SQSBackend.send_message, DynamoDBBackend.put_item = send_message, put_item

    def close(self) -> None:
        from moto.dynamodb.models import DynamoDBBackend
        from moto.sqs.models import SQSBackend

        SQSBackend.send_message, DynamoDBBackend.put_item = self._saved


def storm(pipeline, taps: ServerTaps, keys: int, events: int, rng: random.Random, findings: Findings) -> None:
    """Send at least ``events`` S3 events over ``keys`` keys; redrive and replay mid-way."""
    from article_pipeline_local.commands import redrive, replay
    from article_pipeline_local.emulation.remote import local_target

    s3, sqs, bucket = pipeline.s3, pipeline.sqs, pipeline.stack.bucket
    ingest, dlq = pipeline.stack.queue_url("IngestQueue"), pipeline.stack.queue_url("IngestDLQ")
    version = Counter()
    names = [f"incoming/stress/story-{n:03}.txt" for n in range(keys)]
    sent = 0
    redriven = replayed = False
    played, deleted = findings.played, set()

    def upload(n: int) -> None:
        nonlocal sent
        version[n] += 1
        s3.put_object(Bucket=bucket, Key=names[n], Body=article_text(n, version[n], rng), ContentType="text/plain")
        sent += 1
        played["upload after a delete" if n in deleted else "upload"] += 1
        deleted.discard(n)

    def delete(n: int) -> None:
        nonlocal sent
        s3.delete_object(Bucket=bucket, Key=names[n])
        sent += 1
        played["delete"] += 1
        deleted.add(n)

    while sent < events:
        for n in range(keys):
            action = rng.random()
            if action < 0.15:
                delete(n)
            elif action < 0.35:
                upload(n)
                upload(n)  # an overwrite within the same second
                played["overwrite within the second"] += 1
            else:
                upload(n)
            if taps.bodies and rng.random() < 0.1:
                sqs.send_message(QueueUrl=ingest, MessageBody=rng.choice(taps.bodies))  # a duplicate delivery
                sent += 1
                played["duplicate delivery"] += 1
        if not redriven and sent >= events // 3:
            # Older events, as if their deliveries had failed: into the DLQ, then redriven.
            for body in rng.sample(taps.bodies, min(10, len(taps.bodies))):
                sqs.send_message(QueueUrl=dlq, MessageBody=body)
                sent += 1
            redrive.redrive(sqs, ingest, dlq, started_ms=int(time.time() * 1000) + 1000)
            redriven = True
            played["DLQ redrive"] += 1
        if not replayed and sent >= events // 2:
            target = local_target(pipeline.endpoint_url, pipeline.stack.template)
            threading.Thread(target=replay._against_endpoint, args=(target, {"mode": "missing"}, "CRITICAL"), daemon=True).start()
            replayed = True
            played["replay"] += 1
    # The final state: some keys end deleted, the rest with a last upload.
    for n in range(keys):
        if rng.random() < 0.2:
            delete(n)
        else:
            upload(n)
    findings.events, findings.keys = sent, keys


def check(pipeline, taps: ServerTaps, findings: Findings) -> None:
    s3, dynamodb, bucket, table = pipeline.s3, pipeline.dynamodb, pipeline.stack.bucket, pipeline.stack.table
    keys = sorted({o["Key"] for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix="incoming/stress/")
                   for o in page.get("Versions", []) + page.get("DeleteMarkers", [])})
    current: dict[str, ArticleRecord] = {}
    for key in keys:
        article_id = article_id_for(bucket, key)
        record = get_record(dynamodb, table, article_id)
        try:
            head = s3.head_object(Bucket=bucket, Key=key)
        except s3.exceptions.ClientError:
            head = None
        if head is None:
            findings.deleted_keys += 1
            left = [row for name in NAMES + CITIES for row in search(dynamodb, table, name) if row["article_id"] == article_id]
            if record is None or record.status != "deleted" or left:
                findings.not_deleted.append(key)
            if document_versions(s3, bucket, article_id):
                findings.leftover_documents.append(key)
            continue
        if record is None:
            findings.lost.append(key)
            continue
        if record.status != "processed" or record.source.version_id != head.get("VersionId"):
            findings.wrong_record.append(key)
        if document_versions(s3, bucket, article_id) != [("cleaned", record.source.version_id), ("extracted", record.source.version_id)]:
            findings.wrong_documents.append(key)
        current[article_id] = record
    # The index: every entity item is named by its article's current record, under each of
    # the entity's keys and with its identity, and every one the records name is there.
    named = {(ref, article_id) for article_id, r in current.items() for e in r.entities or [] for ref in entity_refs(e)}
    found = set()
    for key in {ref.split("\t", 1)[1] for ref, _ in named}:
        for hit in find_by_key(dynamodb, table, key):
            if hit["article_id"] in current:  # a deleted article's items count under not_deleted
                found.add((f"{hit['id']}\t{hit['key']}", hit["article_id"]))
    findings.stale_search = sorted(f"{ref} -> {a}" for ref, a in found - named)
    findings.missing_search = sorted(f"{ref} -> {a}" for ref, a in named - found)
    # Search: each name answers exactly the articles whose current record names it.
    for name in NAMES + CITIES:
        wanted = {a for a, r in current.items() if any(name_key(name) in {name_key(n) for n in [e.name, *e.aliases]} for e in r.entities or [])}
        answer = {row["article_id"] for row in search(dynamodb, table, name)}
        if answer != wanted:
            findings.wrong_answers.append(f"{name}: {len(answer - wanted)} extra, {len(wanted - answer)} missing")
    findings.double_writes = sum(count - 1 for count in taps.writes.values())


def document_versions(s3, bucket: str, article_id: str) -> list[tuple[str, str | None]]:
    """Every version of the article's documents, noncurrent ones too: (stage, upload version)."""
    found = []
    for stage in ("cleaned", "extracted"):
        key = f"{stage}/{article_id}.json"
        for version in s3.list_object_versions(Bucket=bucket, Prefix=key).get("Versions", []):
            body = s3.get_object(Bucket=bucket, Key=key, VersionId=version["VersionId"])["Body"].read()
            found.append((stage, json.loads(body)["source"].get("version_id")))
    return sorted(found)


def run_stress(keys: int = 50, events: int = 500, concurrency: int = 4, seed: int = 20) -> Findings:
    from article_pipeline_local.emulation.chain import local_pipeline

    rng, findings, started = random.Random(seed), Findings(), time.monotonic()
    # Every document a claim check in S3: the documents are part of what must end true.
    with local_pipeline(log_level="CRITICAL", concurrency=concurrency, environment={"INLINE_DOCUMENT_BYTES": "0"}) as pipeline:
        taps = ServerTaps(pipeline.stack.physical["IngestQueue"]["QueueName"])
        try:
            storm(pipeline, taps, keys, events, rng, findings)
            pipeline.drain()
            findings.instances = {name: peak for name, peak in pipeline.concurrent.instances.items() if peak}
            check(pipeline, taps, findings)
        finally:
            taps.close()
    findings.seconds = time.monotonic() - started
    return findings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--minutes", type=float, default=5, help="keep sending storms for this long (default 5)")
    parser.add_argument("--concurrency", type=int, default=4, help="instances per stage (default 4)")
    parser.add_argument("--keys", type=int, default=50)
    parser.add_argument("--events", type=int, default=500, help="S3 events per storm (default 500)")


def run(args: argparse.Namespace) -> int:
    end, status, seed = time.monotonic() + 60 * args.minutes, 0, 20
    while True:
        findings = run_stress(args.keys, args.events, args.concurrency, seed)
        print(findings.summary(), flush=True)
        for name in ("wrong_record", "not_deleted", "stale_search", "missing_search", "wrong_answers", "leftover_documents", "wrong_documents", "lost"):
            for item in getattr(findings, name)[:5]:
                print(f"  {name}: {item}", file=sys.stderr)
        status |= 0 if findings.ok else 1
        seed += 1
        if time.monotonic() >= end:
            return status


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_arguments(parser)
    sys.exit(run(parser.parse_args()))
