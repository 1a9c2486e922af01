"""``article-pipeline redrive STAGE``: move a stage's DLQ messages back to the queue it feeds.

Each message is sent to the stage's queue (body and attributes as they were) before it is
deleted from the DLQ, and only messages that were in the DLQ when the command started
move: one that fails again and returns meanwhile stays for the next redrive instead of
going round in a loop. A crash between the send and the delete can only duplicate a
message, never lose it; the stages are idempotent.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass

#: Longer than a whole redrive: a message is received once per run; an unsent one returns after it.
RECEIVE_VISIBILITY = 300


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..emulation.remote import add_target_arguments

    parser.add_argument("stage", help="clean, extract, store or replay (the function whose queue's DLQ to empty)")
    parser.add_argument("--dry-run", action="store_true", help="count the messages, move none")
    add_target_arguments(parser)


@dataclass
class Redrive:
    queue: str
    dlq: str
    moved: int = 0
    left: int = 0


def stage_queues(template, stage: str) -> tuple[str, str]:
    """(queue, DLQ) logical ids of the queue the stage's function consumes."""
    wanted = f"{stage.capitalize()}Function" if not stage.endswith("Function") else stage
    function = template.functions().get(wanted)
    if function is None or not function.mappings:
        stages = sorted(name.removesuffix("Function").lower() for name, fn in template.functions().items() if fn.mappings)
        raise SystemExit(f"no stage {stage!r}; stages with a queue: {', '.join(stages)}")
    queue = function.mappings[0].queue
    dlq = template.resources[queue]["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
    return queue, dlq


def redrive(sqs, queue_url: str, dlq_url: str, started_ms: int | None = None, dry_run: bool = False) -> tuple[int, int]:
    """(moved, left): messages sent back to ``queue_url``, and those left in the DLQ.

    Messages to leave are held invisible until the end, so every receive brings new ones
    and the loop ends when the DLQ has nothing more to give.
    """
    started_ms = started_ms if started_ms is not None else int(time.time() * 1000)
    moved, unsent, held = 0, 0, []
    # Long polling (1 s) asks every SQS server: a short poll may answer empty too early.
    while batch := sqs.receive_message(
        QueueUrl=dlq_url,
        MaxNumberOfMessages=10,
        AttributeNames=["SentTimestamp"],
        MessageAttributeNames=["All"],
        VisibilityTimeout=RECEIVE_VISIBILITY,
        WaitTimeSeconds=1,
    ).get("Messages", []):
        older = [] if dry_run else [m for m in batch if int(m["Attributes"]["SentTimestamp"]) < started_ms]
        held += [m for m in batch if m not in older]
        if not older:
            continue
        response = sqs.send_message_batch(
            QueueUrl=queue_url,
            Entries=[
                {"Id": str(n), "MessageBody": m["Body"], **({"MessageAttributes": m["MessageAttributes"]} if m.get("MessageAttributes") else {})}
                for n, m in enumerate(older)
            ],
        )
        sent = [older[int(entry["Id"])] for entry in response.get("Successful", [])]
        if sent:
            sqs.delete_message_batch(
                QueueUrl=dlq_url, Entries=[{"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(sent)]
            )
        moved += len(sent)
        unsent += len(older) - len(sent)  # visible again after RECEIVE_VISIBILITY
    for start in range(0, len(held), 10):
        sqs.change_message_visibility_batch(
            QueueUrl=dlq_url,
            Entries=[{"Id": str(n), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0} for n, m in enumerate(held[start : start + 10])],
        )
    return moved, unsent + len(held)


def run(args: argparse.Namespace) -> int:
    from ..emulation.remote import resolve_target

    target = resolve_target(args)
    if target is None:
        print("give --endpoint-url (a running `article-pipeline serve`) or --stack (a deployed stack)", file=sys.stderr)
        return 2
    queue, dlq = stage_queues(target.template, args.stage)
    moved, left = redrive(target.client("sqs"), target.queues[queue], target.queues[dlq], dry_run=args.dry_run)
    if args.dry_run:
        print(f"{left} message(s) in {dlq} would move to {queue}", file=sys.stderr)
    else:
        print(f"moved {moved} message(s) from {dlq} to {queue}; {left} left in {dlq}", file=sys.stderr)
    return 0
