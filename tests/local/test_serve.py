"""`article-pipeline serve` over loopback: drop a file with boto3, read its record, replay, stop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest

from article_pipeline.models import article_id_for
from article_pipeline.records import delete_record, get_record
from article_pipeline_local import queries, redrive, replay_cmd
from article_pipeline_local.cloud import LOCAL_CREDENTIALS
from article_pipeline_local.remote import local_target

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "events" / "seed" / "incoming" / "harbour-bridge.txt"


def wait_for(check, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.2)
    raise AssertionError(f"nothing after {timeout} s")


@pytest.fixture
def server():
    """The real command, in its own process, on a free port of 127.0.0.1 only."""
    env = {**os.environ, **LOCAL_CREDENTIALS}
    env.pop("AWS_ENDPOINT_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "article_pipeline_local.cli", "serve", "--port", "0"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        banner = [process.stdout.readline() for _ in range(10)]
        endpoint = banner[0].split(" on ", 1)[1].split()[0]
        assert endpoint.startswith("http://127.0.0.1:"), banner
        yield process, endpoint, "".join(banner)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_a_dropped_file_becomes_a_record_and_ctrl_c_stops_the_server(server, monkeypatch):
    process, endpoint, banner = server
    for key, value in LOCAL_CREDENTIALS.items():
        monkeypatch.setenv(key, value)
    target = local_target(endpoint)
    assert f"s3://{target.bucket}/incoming/" in banner and f"--endpoint-url {endpoint}" in banner

    s3, dynamodb = target.client("s3"), target.client("dynamodb")
    s3.put_object(Bucket=target.bucket, Key="incoming/harbour-bridge.txt", Body=SAMPLE.read_bytes())
    article_id = article_id_for(target.bucket, "incoming/harbour-bridge.txt")
    record = wait_for(lambda: get_record(dynamodb, target.table, article_id))
    assert record.status == "processed" and record.title

    # The commands find the same resources through --endpoint-url.
    assert queries.show(dynamodb, target.table, target.bucket, "incoming/harbour-bridge.txt")["article_id"] == article_id
    entity = record.entities[0]
    assert article_id in [row["article_id"] for row in queries.search(dynamodb, target.table, entity.name)]

    # A lost record comes back through a replay run here, processed by the server's pollers.
    delete_record(dynamodb, target.table, article_id)
    summary = replay_cmd._against_endpoint(target, {"mode": "missing"}, "WARNING")
    assert (summary["enqueued"], summary["done"]) == (1, True)
    assert wait_for(lambda: get_record(dynamodb, target.table, article_id)).status == "processed"

    # A DLQ message goes back to its queue and is consumed.
    sqs = target.client("sqs")
    body = '{"Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": "b"}'
    sqs.send_message(QueueUrl=target.queues["IngestDLQ"], MessageBody=body)
    moved, left = redrive.redrive(sqs, target.queues["IngestQueue"], target.queues["IngestDLQ"], started_ms=int(time.time() * 1000) + 1000)
    assert (moved, left) == (1, 0)

    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0
    with pytest.raises(Exception):
        boto3.client("s3", endpoint_url=endpoint).list_buckets()
