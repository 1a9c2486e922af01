"""``article-pipeline replay``: invoke ReplayFunction with the input its schedule sends.

    article-pipeline replay [FILE|DIR...] [--mode M] [--prefix P] [--since T | --within D] [--until T]
                            [--limit N] [--dry-run] [--endpoint-url URL | --stack NAME]

The request starts from the schedule's Input in template.yaml; the options override it
(``--mode``, ``--since`` or ``--until`` drop the schedule's lookback, ``within``).
- No target: a fresh stack on moto in this process. The FILEs go through the chain first
  (there is nothing to replay otherwise), then the replay, then the queues are drained so
  the replayed articles are processed again.
- ``--endpoint-url``: the function runs here, against a running ``article-pipeline serve``;
  the server's pollers process what it enqueues.
- ``--stack``: the deployed ReplayFunction is invoked.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

MODES = ("missing", "stale", "failed", "all")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..emulation.remote import add_target_arguments

    parser.add_argument("files", nargs="*", type=Path, metavar="FILE|DIR", help="run these through the chain first (in-process only)")
    parser.add_argument("--mode", choices=MODES, help="what to re-enqueue (default: the schedule's)")
    parser.add_argument("--prefix", help="only keys under incoming/PREFIX")
    parser.add_argument("--since", help="only objects last modified at or after this ISO time (UTC if no zone)")
    parser.add_argument("--until", help="only objects last modified before this ISO time")
    parser.add_argument("--within", help="only objects last modified this long ago at most (ISO 8601 duration, e.g. P7D)")
    parser.add_argument("--limit", type=int, help="at most this many messages")
    parser.add_argument("--dry-run", action="store_true", help="count, send nothing")
    parser.add_argument("--log-level", default="WARNING", help="the functions' log level (default WARNING)")
    add_target_arguments(parser)


def schedule_input(template) -> dict[str, Any]:
    """The Input of ReplayFunction's ScheduleV2 event, resolved as CloudFormation would."""
    from ..emulation.template import Resolver

    (schedule,) = template.functions()["ReplayFunction"].schedules
    return json.loads(Resolver(template, {}).resolve(schedule["Input"]))


def build_request(args: argparse.Namespace, template) -> dict[str, Any]:
    from article_pipeline.replay_planning import ReplayRequest

    request = schedule_input(template)
    overrides = {"mode": args.mode, "prefix": args.prefix, "since": args.since, "until": args.until, "limit": args.limit}
    if any(value is not None for value in (args.mode, args.since, args.until)):
        request.pop("within", None)  # the schedule's lookback is for its own nightly check
    overrides["within"] = args.within
    request.update({key: value for key, value in overrides.items() if value is not None})
    if args.dry_run:
        request["dry_run"] = True
    ReplayRequest.model_validate(request)  # fail here, with the option's name, not in the function
    return request


def run_to_end(function, request: dict[str, Any], replay_queue_url: str) -> dict[str, Any]:
    """Invoke, then resume each continuation ReplayFunction leaves on ReplayQueue until done."""
    import boto3

    summary = function.invoke(request)
    sqs = boto3.client("sqs")
    while not summary["done"]:
        messages = sqs.receive_message(QueueUrl=replay_queue_url, MaxNumberOfMessages=1).get("Messages", [])
        if not messages:
            break
        sqs.delete_message(QueueUrl=replay_queue_url, ReceiptHandle=messages[0]["ReceiptHandle"])
        summary = function.invoke(json.loads(messages[0]["Body"]))
    return summary


def request_replay(sqs, replay_queue_url: str, request: dict[str, Any]) -> str:
    """Start a replay as a message on ReplayQueue; its Continue mapping runs ReplayFunction.

    The review console's replay button: the server's own pollers then run the function,
    so it never runs beside them in another thread. Returns the replay's id.
    """
    from article_pipeline.replay_planning import Continuation, ReplayRequest

    job = Continuation.start(ReplayRequest.model_validate(request))
    sqs.send_message(QueueUrl=replay_queue_url, MessageBody=job.model_dump_json())
    return job.summary.replay_id


def run(args: argparse.Namespace) -> int:
    from ..emulation.remote import resolve_target
    from ..emulation.template import Template

    template = Template()
    try:
        request = build_request(args, template)
    except ValueError as error:
        print(f"invalid replay request: {error}", file=sys.stderr)
        return 2
    target = resolve_target(args)
    if target is None:
        summary = _in_process(args, request)
    elif target.endpoint_url:
        summary = _against_endpoint(target, request, args.log_level)
    else:
        response = target.client("lambda").invoke(FunctionName=target.replay_function, Payload=json.dumps(request).encode())
        summary = json.loads(response["Payload"].read())
    print(json.dumps(summary, indent=2))
    return 0 if summary.get("done") or target is not None else 1


def _in_process(args: argparse.Namespace, request: dict[str, Any]) -> dict[str, Any]:
    from ..emulation.chain import local_pipeline
    from .files import expand

    with local_pipeline(log_level=args.log_level) as pipeline:
        if args.files:
            outcomes = pipeline.run_files(expand(args.files))
            print(f"{sum(o.record is not None for o in outcomes)} of {len(outcomes)} file(s) stored before the replay", file=sys.stderr)
        summary = run_to_end(pipeline.functions["ReplayFunction"], request, pipeline.stack.queue_url("ReplayQueue"))
        batches = pipeline.drain()
        print(f"the chain took {batches} batch(es) to process the replayed articles", file=sys.stderr)
    return summary


def _against_endpoint(target, request: dict[str, Any], log_level: str) -> dict[str, Any]:
    from article_pipeline import aws

    from ..emulation.runtime import LocalFunction

    stack = target.stack()
    function = LocalFunction(target.template.functions()["ReplayFunction"], stack, log_level)
    function.environment["AWS_ENDPOINT_URL"] = target.endpoint_url  # the handler's clients talk to the server
    aws.reset_clients()
    try:
        summary = function.invoke(request)
    finally:
        aws.reset_clients()
    if not summary["done"]:
        print(f"replay {summary['replay_id']} continues on the server through ReplayQueue", file=sys.stderr)
    return summary
