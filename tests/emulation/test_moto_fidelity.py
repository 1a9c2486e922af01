"""moto's server, patched by moto_fidelity, is atomic where AWS is: concurrent writers on purpose."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest
from botocore.exceptions import ClientError

from article_pipeline_local.emulation import moto_fidelity
from article_pipeline_local.emulation.chain import moto_server

WRITERS = 8


@pytest.fixture(scope="module")
def endpoint():
    with moto_server() as url:
        yield url


def test_the_server_of_the_concurrent_runtime_has_the_patch(endpoint):
    assert moto_fidelity.installed()


def test_concurrent_conditional_increments_lose_no_update(endpoint):
    dynamodb = boto3.client("dynamodb")
    dynamodb.create_table(
        TableName="counters", BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    )
    dynamodb.put_item(TableName="counters", Item={"pk": {"S": "c"}, "n": {"N": "0"}})

    def writer(_: int) -> int:
        """Read n, then write n+1 only if n is unchanged: the pattern Store's order rules use."""
        client, won = boto3.client("dynamodb"), 0
        for _ in range(25):
            n = int(client.get_item(TableName="counters", Key={"pk": {"S": "c"}}, ConsistentRead=True)["Item"]["n"]["N"])
            try:
                client.put_item(
                    TableName="counters", Item={"pk": {"S": "c"}, "n": {"N": str(n + 1)}},
                    ConditionExpression="n = :n", ExpressionAttributeValues={":n": {"N": str(n)}},
                )
                won += 1
            except ClientError as error:
                assert error.response["Error"]["Code"] == "ConditionalCheckFailedException"
        return won

    with ThreadPoolExecutor(WRITERS) as pool:
        wins = sum(pool.map(writer, range(WRITERS)))
    final = int(dynamodb.get_item(TableName="counters", Key={"pk": {"S": "c"}})["Item"]["n"]["N"])
    assert final == wins  # every successful conditional write counted once, none overwritten


def test_concurrent_receivers_never_get_one_message_twice(endpoint):
    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName="work", Attributes={"VisibilityTimeout": "300"})["QueueUrl"]
    for start in range(0, 300, 10):
        sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(n), "MessageBody": str(start + n)} for n in range(10)])

    def receiver(_: int) -> list[str]:
        client, got = boto3.client("sqs"), []
        while messages := client.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
            got += [m["Body"] for m in messages]
        return got

    with ThreadPoolExecutor(WRITERS) as pool:
        bodies = [body for got in pool.map(receiver, range(WRITERS)) for body in got]
    assert sorted(bodies, key=int) == [str(n) for n in range(300)]


def test_a_second_server_in_the_same_process_starts_empty():
    """make stress runs storm after storm in one process, each on a server of its own: the
    second creates the same stack again (moto's backends are the process's)."""
    for _ in range(2):
        with moto_server():
            boto3.client("dynamodb").create_table(
                TableName="storm", BillingMode="PAY_PER_REQUEST",
                AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            )


def test_concurrent_uploads_of_a_key_notify_in_the_order_of_their_versions(endpoint, monkeypatch):
    """S3's sequencers for a key grow with its versions; the chain's order rules rely on it.
    A thread preempted between its new version and its notification (made likely here: each
    notification waits 2 ms first) must not let another upload's event overtake its own."""
    import json
    import time

    from moto.s3 import notifications

    send_event = notifications.send_event

    def preempted(*args, **kwargs):
        time.sleep(0.002)
        return send_event(*args, **kwargs)

    monkeypatch.setattr(notifications, "send_event", preempted)
    s3, sqs = boto3.client("s3"), boto3.client("sqs")
    bucket = "fidelity-uploads"
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    url = sqs.create_queue(QueueName="uploads")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    s3.put_bucket_notification_configuration(
        Bucket=bucket, NotificationConfiguration={"QueueConfigurations": [{"QueueArn": arn, "Events": ["s3:ObjectCreated:*"]}]},
    )

    def uploader(number: int) -> None:
        client = boto3.client("s3")
        for n in range(10):
            client.put_object(Bucket=bucket, Key="k", Body=f"{number}.{n}".encode())

    with ThreadPoolExecutor(WRITERS) as pool:
        list(pool.map(uploader, range(WRITERS)))
    events = []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
        for message in messages:
            events += [r["s3"]["object"] for r in json.loads(message["Body"]).get("Records", [])]
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    versions = s3.list_object_versions(Bucket=bucket, Prefix="k")["Versions"]
    assert len(events) == len(versions) == WRITERS * 10
    assert versions[0]["IsLatest"]  # a key's versions, newest first, as S3 lists them
    by_sequencer = [e["versionId"] for e in sorted(events, key=lambda e: e["sequencer"], reverse=True)]
    assert by_sequencer == [v["VersionId"] for v in versions]
