"""Where the ``show``, ``search``, ``replay`` and ``redrive`` commands find the resources.

- ``--endpoint-url URL``: a running ``article-pipeline serve`` (moto). Its names are the
  ones ``cloud.create_stack`` gives (deterministic); queue URLs are asked of the endpoint.
- ``--stack NAME``: a deployed stack on AWS; the names come from the stack's outputs.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field

import boto3

from .cloud import LOCAL_CREDENTIALS, Stack
from .template import ACCOUNT, REGION, STACK, Resolver, Template


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--endpoint-url", help="a running `article-pipeline serve`, e.g. http://127.0.0.1:4566")
    where.add_argument("--stack", help="a stack deployed on AWS (names come from its outputs)")


@dataclass
class Target:
    bucket: str
    table: str
    #: queue URL by logical id (IngestQueue, IngestDLQ, ...)
    queues: dict[str, str]
    endpoint_url: str | None = None
    replay_function: str | None = None
    template: Template = field(default_factory=Template)

    def client(self, service: str):
        return boto3.client(service, endpoint_url=self.endpoint_url)

    def queue_arn(self, logical_id: str) -> str:
        url = self.queues[logical_id]
        if self.endpoint_url:
            return f"arn:aws:sqs:{REGION}:{ACCOUNT}:{url.rsplit('/', 1)[-1]}"
        return self.client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

    def stack(self) -> Stack:
        """A harness Stack over these resources, so LocalFunction can resolve the template's environment."""
        stack = Stack(template=self.template, resolver=Resolver(self.template, {}))
        stack.resolver.physical = stack.physical
        for name in self.template.of_type("AWS::SQS::Queue"):
            stack.physical[name] = {"Ref": self.queues[name], "Arn": self.queue_arn(name), "QueueUrl": self.queues[name]}
        (table,) = self.template.of_type("AWS::DynamoDB::Table")
        stack.physical[table] = {"Ref": self.table, "Arn": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{self.table}"}
        bucket = self.template.articles_bucket
        stack.physical[bucket] = {"Ref": self.bucket, "Arn": f"arn:aws:s3:::{self.bucket}"}
        return stack


def local_target(endpoint_url: str, template: Template | None = None) -> Target:
    """The resources ``serve`` created at ``endpoint_url`` (same naming as cloud.create_stack)."""
    for key, value in LOCAL_CREDENTIALS.items():
        os.environ.setdefault(key, value)  # moto accepts any; boto3 wants some
    template = template or Template()
    resolver = Resolver(template, {})
    sqs = boto3.client("sqs", endpoint_url=endpoint_url)
    queues = {
        name: sqs.get_queue_url(QueueName=props.get("Properties", {}).get("QueueName") or f"{STACK}-{name}")["QueueUrl"]
        for name, props in template.of_type("AWS::SQS::Queue").items()
    }
    bucket = template.resources[template.articles_bucket]
    ((table_id, table),) = template.of_type("AWS::DynamoDB::Table").items()
    return Target(
        bucket=resolver.resolve(bucket["Properties"]["BucketName"]),
        table=table.get("Properties", {}).get("TableName") or f"{STACK}-{table_id}",
        queues=queues,
        endpoint_url=endpoint_url,
        template=template,
    )


def stack_target(stack_name: str, template: Template | None = None) -> Target:
    """A deployed stack: its outputs name the bucket, the table, the queues and ReplayFunction."""
    stacks = boto3.client("cloudformation").describe_stacks(StackName=stack_name)["Stacks"]
    outputs = {output["OutputKey"]: output["OutputValue"] for output in stacks[0].get("Outputs", [])}
    return Target(
        bucket=outputs["ArticlesBucketName"],
        table=outputs["ArticlesTableName"],
        queues={key[: -len("Url")]: value for key, value in outputs.items() if key.endswith("Url")},
        replay_function=outputs.get("ReplayFunctionName"),
        template=template or Template(),
    )


def resolve_target(args: argparse.Namespace) -> Target | None:
    if getattr(args, "endpoint_url", None):
        return local_target(args.endpoint_url)
    if getattr(args, "stack", None):
        return stack_target(args.stack)
    return None
