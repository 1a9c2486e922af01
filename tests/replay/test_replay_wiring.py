"""ReplayFunction in template.yaml, its sample event, and the local `replay` command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from article_pipeline.replay_planning import Continuation, ContinuationRecordModel, ReplayRequest
from article_pipeline_local import cli
from article_pipeline_local.emulation.invoke import invoke_function
from article_pipeline_local.commands.replay import build_request, schedule_input
from article_pipeline_local.emulation.template import Template

ROOT = Path(__file__).resolve().parents[2]


def test_the_sample_event_is_what_the_schedule_sends():
    template = Template()
    assert json.loads((ROOT / "events" / "replay.json").read_text()) == schedule_input(template)
    (schedule,) = template.functions()["ReplayFunction"].schedules
    assert schedule["ScheduleExpression"] == {"Ref": "ReplaySchedule"}
    assert schedule["State"] == {"Ref": "ReplayScheduleState"}


def test_the_deployed_model_version_is_the_one_the_spacy_layer_pins():
    pin = re.search(r"==([\w.]+)", (ROOT / "layers" / "spacy" / "model.txt").read_text()).group(1)
    env = Template().functions()["ReplayFunction"].environment
    assert env["PIPELINE_MODEL_VERSION"] == pin


def test_replay_reads_records_through_the_status_index_only():
    template = Template()
    (table,) = template.of_type("AWS::DynamoDB::Table").values()
    (index,) = [i for i in table["Properties"]["GlobalSecondaryIndexes"] if i["IndexName"] == "StatusIndex"]
    assert [k["AttributeName"] for k in index["KeySchema"]] == ["status", "pipeline_rank"]
    statements = template.resources["ReplayFunction"]["Properties"]["Policies"][0]["Statement"]
    actions = {action for s in statements for action in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])}
    assert actions == {"s3:ListBucket", "dynamodb:BatchGetItem", "dynamodb:Query", "sqs:SendMessage"}
    (listing,) = [s for s in statements if s["Action"] == "s3:ListBucket"]
    assert listing["Condition"] == {"StringLike": {"s3:prefix": "incoming/*"}}


def test_the_nightly_lookback_applies_to_missing_only():
    assert schedule_input(Template(parameters={"ReplayMode": "stale"})) == {"mode": "stale"}
    assert schedule_input(Template(parameters={"ReplayLookback": ""})) == {"mode": "missing", "within": ""}


def test_invoke_with_the_sample_event(capsys):
    summary = invoke_function("ReplayFunction", json.loads((ROOT / "events" / "replay.json").read_text()), log_level="WARNING")
    assert summary["mode"] == "missing" and summary["done"] and summary["scanned"] == 0


def test_options_override_the_schedules_input():
    template = Template()
    parser = cli.build_parser("replay")
    args = parser.parse_args(["replay", "--mode", "stale", "--limit", "5", "--since", "2026-11-01", "--dry-run"])
    assert build_request(args, template) == {"mode": "stale", "limit": 5, "since": "2026-11-01", "dry_run": True}
    assert build_request(parser.parse_args(["replay"]), template) == {"mode": "missing", "within": "P2D"}
    assert build_request(parser.parse_args(["replay", "--within", "P7D"]), template) == {"mode": "missing", "within": "P7D"}
    assert build_request(parser.parse_args(["replay", "--mode", "missing"]), template) == {"mode": "missing"}
    with pytest.raises(ValueError):
        build_request(parser.parse_args(["replay", "--since", "yesterday"]), template)


def test_replay_command_in_process_reprocesses_through_the_chain(capsys):
    sample = ROOT / "events" / "seed" / "incoming" / "harbour-bridge.txt"
    assert cli.main(["replay", str(sample), "--mode", "all"]) == 0
    out, err = capsys.readouterr()
    summary = json.loads(out)
    assert (summary["enqueued"], summary["enqueued_by_reason"], summary["done"]) == (1, {"all": 1}, True)
    assert "1 of 1 file(s) stored before the replay" in err


def test_a_failed_scheduled_run_redriven_from_replay_dlq_starts_its_replay():
    """Lambda puts a failed asynchronous run's input in ReplayDLQ as is; `redrive replay` sends
    it to ReplayQueue, whose records must take it as well as a continuation."""
    template = Template()
    props = template.resources["ReplayFunction"]["Properties"]
    assert props["DeadLetterQueue"]["TargetArn"] == {"Fn::GetAtt": ["ReplayDLQ", "Arn"]}
    body = json.dumps(schedule_input(template))
    record = ContinuationRecordModel.model_validate({
        "messageId": "1", "receiptHandle": "r", "body": body, "attributes": {
            "ApproximateReceiveCount": "1", "SentTimestamp": "0", "SenderId": "s",
            "ApproximateFirstReceiveTimestamp": "0"},
        "messageAttributes": {}, "md5OfBody": "m", "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:ReplayQueue", "awsRegion": "us-east-1",
    })
    # The nightly "missing" run over its lookback, from the start: "within" becomes "since".
    request = record.body.request
    assert (request.mode, request.within, request.since is not None) == ("missing", None, True)
    assert record.body.cursor == Continuation.start(request).cursor
    assert record.body.summary.scanned == 0
