"""Writers of one article interleaved on purpose, at every DynamoDB call boundary.

Whatever the schedule, the end state is the winner's by the order rules: its record, and
exactly its entity items. Two named schedules are the ones main's write path got wrong.
"""

from __future__ import annotations

import boto3
import pytest

from article_pipeline.errors import RETRIES_EXHAUSTED
from article_pipeline.models import ArticleRecord, Entity, ErrorInfo, PipelineInfo, Source
from article_pipeline.records import entity_item_key, entity_refs, get_record, put_record

from interleaving import Run, execute, schedules

OLDER, NEWER = "0055AED6DCD90281E5", "0055AED6DCD90281F0"


def version(sequencer: str, entities: tuple[str, ...], at: str = "t1", status: str = "processed") -> ArticleRecord:
    error = ErrorInfo(stage="extract", kind=RETRIES_EXHAUSTED, message="gave up") if status == "failed" else None
    return ArticleRecord(
        article_id="a1",
        status=status,
        error=error,
        source=Source(bucket="b", key="incoming/a.txt", sequencer=sequencer),
        title="Storm",
        text="Storm." if status == "processed" else None,
        entities=[Entity(name=name, label="GPE", count=1) for name in entities] if status == "processed" else [],
        pipeline=PipelineInfo(version="1", model="m", model_version="1"),
        processed_at=at,
    )


OLD = version(OLDER, ("Bergen", "Oslo"))
NEW = version(NEWER, ("Bergen", "Stavanger"))


@pytest.fixture
def world(stack):
    dynamodb = boto3.client("dynamodb")
    table = stack.table

    def reset() -> None:
        for item in dynamodb.scan(TableName=table)["Items"]:
            dynamodb.delete_item(TableName=table, Key={"pk": item["pk"], "sk": item["sk"]})

    def writer(record: ArticleRecord):
        return lambda client: put_record(client, table, record)

    def stored_items() -> set[tuple[str, str]]:
        items = dynamodb.scan(TableName=table)["Items"]
        return {(item["pk"]["S"], item["sk"]["S"]) for item in items if item["sk"]["S"] != "RECORD"}

    def check(run: Run, winner: ArticleRecord) -> None:
        assert not run.errors, f"schedule {run.steps}: {run.errors}"
        stored = get_record(dynamodb, table, "a1")
        assert stored is not None and stored.source.sequencer == winner.source.sequencer, run.steps
        assert stored.status == winner.status, run.steps
        wanted = {tuple(v["S"] for v in entity_item_key(ref, "a1").values()) for e in winner.entities for ref in entity_refs(e)}
        assert stored_items() == wanted, f"schedule {run.steps}: entity items {sorted(stored_items())}"

    return dynamodb, table, reset, writer, check


def make_client():
    return boto3.client("dynamodb")


def test_late_entity_write(world):
    """The older writer's record put succeeds; the newer writer runs start to finish; only
    then do the older writer's entity writes run. Main's code left "Oslo" searchable."""
    dynamodb, table, reset, writer, check = world
    reset()
    run = execute([writer(OLD), writer(NEW)], make_client, [0, 0, 0, 1])
    check(run, NEW)


def test_stale_read_of_refs(world):
    """Both writers read the (absent) record before either writes: the newer one's cleanup,
    decided on that stale read, missed the older one's items on main's code."""
    dynamodb, table, reset, writer, check = world
    reset()
    run = execute([writer(OLD), writer(NEW)], make_client, [1, 1, 0])
    check(run, NEW)


def test_two_versions_every_schedule(world):
    dynamodb, table, reset, writer, check = world
    done = list(schedules([writer(OLD), writer(NEW)], make_client, 2, lambda run: check(run, NEW), reset))
    assert len(done) > 10


def test_a_version_and_its_redelivery(world):
    dynamodb, table, reset, writer, check = world
    again = NEW.model_copy(update={"processed_at": "t9"})
    done = list(schedules([writer(NEW), writer(again)], make_client, 2, lambda run: check(run, NEW), reset))
    assert len(done) > 5


def test_a_last_delivery_failure_never_replaces_the_processed_version(world):
    dynamodb, table, reset, writer, check = world
    failed = version(NEWER, (), status="failed")
    done = list(schedules([writer(failed), writer(NEW)], make_client, 2, lambda run: check(run, NEW), reset))
    assert len(done) > 5


@pytest.mark.slow
@pytest.mark.check  # every schedule of three: `make check`
def test_three_writers_every_schedule(world):
    dynamodb, table, reset, writer, check = world
    again = NEW.model_copy(update={"processed_at": "t9"})
    done = list(schedules([writer(OLD), writer(NEW), writer(again)], make_client, 2, lambda run: check(run, NEW), reset))
    assert len(done) > 20


def test_a_retraction_racing_the_versions_it_retracts_ends_deleted(world):
    dynamodb, table, reset, writer, check = world
    deleted = ArticleRecord(
        article_id="a1", status="deleted", source=Source(bucket="b", key="incoming/a.txt", sequencer="0055AED6DCD90281FF"),
        pipeline=PipelineInfo(version="1"), processed_at="t5", deleted_at="t5",
    )
    done = list(schedules([writer(NEW), writer(deleted)], make_client, 2, lambda run: check(run, deleted), reset))
    assert len(done) > 5
