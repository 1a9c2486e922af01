"""Whole uploads of one article interleaved on purpose, at every S3 and DynamoDB call of
Clean, Extract and Store.

Each writer is one S3 event's way through the chain, in its own thread: ``clean_source`` (or
``announce_removal`` for a delete), ``extract_batch``, then ``store_message`` or, for a last
delivery that failed, Store's ``give_up``. The queues between them are an outbox in the
writer's hand, so the scheduler switches only at AWS calls. Every document goes through S3.
Whatever the schedule, the end is the winner's by the order rules: its record, exactly its
entity items, and exactly its documents under cleaned/ and extracted/, or none.

A chain makes about a dozen calls, so these run every schedule with one preemption (each
writer stopped at each call while the other runs); test_interleavings.py plays Store's
table writes alone with two.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass

import boto3
import pytest

from article_pipeline.models import Source, StageMessage, article_id_for
from article_pipeline.records import get_record
from article_pipeline.settings import Settings
from article_pipeline.stages import clean, extract, store

from interleaving import schedules

KEY = "incoming/harbour/storm.txt"
TEXTS = {
    "v1": b"Storm closes the harbour\n\nThe storm closed the harbour in Bergen and the airport in Oslo on Monday, said Erna Solberg.\n",
    "v2": b"Storm closes the harbour\n\nThe storm closed the harbour in Bergen. London and Paris sent help, said Angela Merkel.\n",
}


class Outbox:
    """The queue to the next stage, as the writer's own hand: no call, no switch."""

    def __init__(self) -> None:
        self.sent: list[StageMessage] = []

    def send_message(self, QueueUrl: str, MessageBody: str, **_) -> dict:  # noqa: N803 - boto3's names
        self.sent.append(StageMessage.model_validate_json(MessageBody))
        return {"MessageId": str(len(self.sent))}


@dataclass
class World:
    settings: Settings
    sources: dict[str, Source]  # "v1", "v2", "delete": the S3 events of the scenario
    nlp: object
    s3: object  # the checker's clients, never scheduled
    dynamodb: object

    def chain(self, event: str, *, last_store_delivery_fails: bool = False):
        """The writer of one S3 event: its whole way through the chain."""
        source, settings = self.sources[event], self.settings

        def write(clients) -> None:
            s3, dynamodb = clients
            outbox = Outbox()
            if event == "delete":
                if clean.announce_removal(source, s3=s3, sqs=outbox, settings=settings) is None:
                    return
            else:
                cleaned = clean.clean_source(source, s3=s3, sqs=outbox, settings=settings)
                failures = extract.extract_batch({"m": cleaned}, nlp=self.nlp, s3=s3, sqs=outbox, settings=settings)
                assert failures == {"m": None}, failures
            message = outbox.sent[-1]
            if last_store_delivery_fails:
                store.give_up(message, TimeoutError("throttled"), s3=s3, dynamodb=dynamodb, settings=settings)
            else:
                store.store_message(message, s3=s3, dynamodb=dynamodb, settings=settings)

        return write


@pytest.fixture
def world(stack, nlp):
    s3, dynamodb = boto3.client("s3"), boto3.client("dynamodb")
    settings = Settings(bucket=stack.bucket, table=stack.table, cleaned_queue_url="cleaned", extracted_queue_url="extracted",
                        inline_document_bytes=0)

    def uploaded(name: str, sequencer: str) -> Source:
        response = s3.put_object(Bucket=stack.bucket, Key=KEY, Body=TEXTS[name], ContentType="text/plain")
        return Source(bucket=stack.bucket, key=KEY, version_id=response["VersionId"], sequencer=sequencer)

    sources = {"v1": uploaded("v1", "0055AED6DCD90281E5"), "v2": uploaded("v2", "0055AED6DCD90281F0")}
    marker = s3.delete_object(Bucket=stack.bucket, Key=KEY)["VersionId"]
    sources["delete"] = Source(bucket=stack.bucket, key=KEY, version_id=marker, sequencer="0055AED6DCD90281FF")
    return World(settings, sources, nlp, s3, dynamodb)


def reset(world: World) -> None:
    s3, dynamodb, settings = world.s3, world.dynamodb, world.settings
    for item in dynamodb.scan(TableName=settings.table)["Items"]:
        dynamodb.delete_item(TableName=settings.table, Key={"pk": item["pk"], "sk": item["sk"]})
    for prefix in (settings.cleaned_prefix, settings.extracted_prefix):
        listed = s3.list_object_versions(Bucket=settings.bucket, Prefix=prefix)
        for version in listed.get("Versions", []) + listed.get("DeleteMarkers", []):
            s3.delete_object(Bucket=settings.bucket, Key=version["Key"], VersionId=version["VersionId"])


def live(world: World, present: bool) -> None:
    """The key's current object: the delete marker the fixture left, or (``present``) v2 again."""
    s3, bucket = world.s3, world.settings.bucket
    versions = s3.list_object_versions(Bucket=bucket, Prefix=KEY)
    marker = [m["VersionId"] for m in versions.get("DeleteMarkers", [])]
    if present and marker:
        s3.delete_object(Bucket=bucket, Key=KEY, VersionId=marker[0])  # the delete undone: v2 is current again


def end_state(world: World) -> tuple:
    """(status, upload version, entity items, document versions) as the table and bucket hold them."""
    s3, dynamodb, settings = world.s3, world.dynamodb, world.settings
    article_id = article_id_for(settings.bucket, KEY)
    record = get_record(dynamodb, settings.table, article_id)
    # each entity item as its key and the identity it holds
    items = sorted(f"{item['pk']['S']} {item['sk']['S'].rsplit('#', 1)[0]}"
                   for item in dynamodb.scan(TableName=settings.table)["Items"] if item["sk"]["S"] != "RECORD")
    documents = []
    for prefix in (settings.cleaned_prefix, settings.extracted_prefix):
        for version in s3.list_object_versions(Bucket=settings.bucket, Prefix=prefix).get("Versions", []):
            body = s3.get_object(Bucket=settings.bucket, Key=version["Key"], VersionId=version["VersionId"])["Body"].read()
            documents.append((prefix, json.loads(body)["source"]["version_id"]))
    return record and record.status, record and record.source.version_id, items, sorted(documents)


def expect(world: World, event: str, status: str, items: list[str]):
    version = world.sources[event].version_id
    documents = [] if status == "deleted" else [(world.settings.cleaned_prefix, version), (world.settings.extracted_prefix, version)]
    wanted = (status, version, sorted(items), sorted(documents))

    def check(run) -> None:
        assert not run.errors, f"schedule {run.steps}: {run.errors}"
        assert end_state(world) == wanted, f"schedule {run.steps}"

    return check


def clients():
    return boto3.client("s3"), boto3.client("dynamodb")


# v1: Oslo, Erna Solberg; a place under its public id, a person under the name and the surname
V2_ITEMS = [
    "INITIALS#am angela merkel|person:angela-merkel", "NAME#merkel merkel|person:angela-merkel",
    "NAME#geonames:2643743 geonames:2643743|geonames:2643743", "NAME#geonames:2988507 geonames:2988507|geonames:2988507",
    "NAME#geonames:3161732 geonames:3161732|geonames:3161732",
]


def every_schedule(world: World, writers, check, bound: int = 1) -> int:
    # Each writer's clients, made once and reused run after run (execute unhooks them).
    pairs = [clients() for _ in writers]
    return len(list(schedules(writers, itertools.cycle(pairs).__next__, bound, check, lambda: reset(world))))


def test_two_versions_every_schedule(world):
    live(world, present=True)
    done = every_schedule(world, [world.chain("v1"), world.chain("v2")], expect(world, "v2", "processed", V2_ITEMS))
    assert done > 20


def test_a_version_and_its_redelivery_every_schedule(world):
    """The same event twice (two chains, equal documents): one record, one chain's documents."""
    live(world, present=True)
    done = every_schedule(world, [world.chain("v2"), world.chain("v2")], expect(world, "v2", "processed", V2_ITEMS))
    assert done > 20


def test_a_last_delivery_failure_racing_the_version_every_schedule(world):
    """Store's give-up of one delivery of v2 against another delivery that succeeds."""
    live(world, present=True)
    writers = [world.chain("v2", last_store_delivery_fails=True), world.chain("v2")]
    done = every_schedule(world, writers, expect(world, "v2", "processed", V2_ITEMS))
    assert done > 20


def test_a_delete_racing_the_version_it_retracts_every_schedule(world):
    live(world, present=False)
    done = every_schedule(world, [world.chain("v2"), world.chain("delete")], expect(world, "delete", "deleted", []))
    assert done > 10


@pytest.mark.slow
@pytest.mark.check  # every schedule of three: `make check`
def test_three_writers_every_schedule(world):
    """Two versions and the delete of both, at once."""
    live(world, present=False)
    writers = [world.chain("v1"), world.chain("v2"), world.chain("delete")]
    done = every_schedule(world, writers, expect(world, "delete", "deleted", []), bound=1)
    assert done > 20
