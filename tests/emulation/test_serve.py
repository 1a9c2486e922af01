"""`article-pipeline serve` over loopback: drop a file with boto3, read its record, replay, stop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import boto3
import pytest

from article_pipeline.models import article_id_for
from article_pipeline.records import delete_record, get_record
from article_pipeline_local.commands import queries, redrive, replay
from article_pipeline_local.emulation.cloud import LOCAL_CREDENTIALS
from article_pipeline_local.emulation.remote import local_target
from support import ROOT, SAMPLE, wait_for

pytestmark = pytest.mark.slow


def test_a_dropped_file_becomes_a_record_and_ctrl_c_stops_the_server(server, monkeypatch):
    process, endpoint, banner = server.process, server.endpoint, server.banner
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
    # Store writes the entity items after the record: search follows it by those calls.
    wait_for(lambda: article_id in [row["article_id"] for row in queries.search(dynamodb, target.table, entity.name)])

    # A lost record comes back through a replay run here, processed by the server's pollers.
    delete_record(dynamodb, target.table, article_id)
    summary = replay._against_endpoint(target, {"mode": "missing"}, "WARNING")
    assert (summary["enqueued"], summary["done"]) == (1, True)
    assert wait_for(lambda: get_record(dynamodb, target.table, article_id)).status == "processed"

    # A DLQ message goes back to its queue and is consumed.
    sqs = target.client("sqs")
    body = '{"Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": "b"}'
    sqs.send_message(QueueUrl=target.queues["IngestDLQ"], MessageBody=body)
    moved, left = redrive.redrive(sqs, target.queues["IngestQueue"], target.queues["IngestDLQ"], started_ms=int(time.time() * 1000) + 1000)
    assert (moved, left) == (1, 0)

    # `show | head`: the reader is gone before the record is written (closed here at once,
    # so the write surely fails); the command ends quietly, with a closed pipe's status.
    command = [sys.executable, "-m", "article_pipeline_local.cli", "show", "incoming/harbour-bridge.txt", "--endpoint-url", endpoint]
    shown = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    shown.stdout.close()
    assert shown.wait(timeout=60) == 141
    assert shown.stderr.read() == b""

    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0
    # Nothing but the stop notice: no Powertools warning (an empty metric set) for any batch.
    assert server.stderr().strip() == "stopped"
    with pytest.raises(Exception):
        boto3.client("s3", endpoint_url=endpoint).list_buckets()


def _children(pid: int) -> int:
    """Processes whose parent is ``pid`` (Linux's /proc), less multiprocessing's resource tracker."""
    from pathlib import Path

    count = 0
    # Listed by hand: glob's own walk raised ProcessLookupError for a process exiting meanwhile.
    for entry in [name for name in os.listdir("/proc") if name.isdigit()]:
        try:
            fields = (Path("/proc") / entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (Path("/proc") / entry / "cmdline").read_bytes()
        except OSError:  # the process is gone: ProcessLookupError and FileNotFoundError alike
            continue
        if int(fields[1]) == pid and b"resource_tracker" not in cmdline:
            count += 1
    return count


def test_a_burst_of_overwrites_ends_true_on_several_instances_and_a_delete_retracts(server, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    for key, value in LOCAL_CREDENTIALS.items():
        monkeypatch.setenv(key, value)
    target = local_target(server.endpoint)
    keys = [f"incoming/burst-{n}.txt" for n in range(6)]

    def client(number: int) -> None:
        s3 = target.client("s3")
        for version in range(4):
            for key in keys:
                body = f"Burst {number}.{version}\n\nAda Lovelace wrote from Paris, draft {number}.{version}.\n"
                s3.put_object(Bucket=target.bucket, Key=key, Body=body.encode(), ContentType="text/plain")

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(client, range(4)))
    s3, dynamodb = target.client("s3"), target.client("dynamodb")

    def true_end() -> bool:
        for key in keys:
            record = get_record(dynamodb, target.table, article_id_for(target.bucket, key))
            if record is None or record.source.version_id != s3.head_object(Bucket=target.bucket, Key=key)["VersionId"]:
                return False
        return True

    peak = 0

    def settled() -> bool:
        nonlocal peak
        peak = max(peak, _children(server.process.pid))
        return true_end()

    wait_for(settled, timeout=180)
    assert peak > 3  # several instances, each its own process, behind the one endpoint

    # A retraction through serve: within seconds the record says deleted, search and the
    # console forget the article's text. Store puts the record before it deletes the entity
    # items (the record's generation decides which of them go), so search follows the record
    # by those few calls: wait for both, and for the other articles' hits to stay.
    import urllib.request

    from article_pipeline.records import find_by_entity

    gone = keys[0]
    article_id = article_id_for(target.bucket, gone)
    s3.delete_object(Bucket=target.bucket, Key=gone)

    def hits() -> set[str]:
        return {item["article_id"] for item in find_by_entity(dynamodb, target.table, "Ada Lovelace")}

    others = {article_id_for(target.bucket, key) for key in keys[1:]}

    def retracted() -> bool:
        record = get_record(dynamodb, target.table, article_id)
        return getattr(record, "status", None) == "deleted" and hits() == others

    wait_for(retracted, timeout=60)
    with urllib.request.urlopen(f"{server.console}?status=deleted") as response:
        listing = response.read().decode()
    assert article_id in listing and "deleted" in listing
    with urllib.request.urlopen(f"{server.console}articles/{article_id}") as response:
        page = response.read().decode()
    assert "Ada Lovelace wrote" not in page
