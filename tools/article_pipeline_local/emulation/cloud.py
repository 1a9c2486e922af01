"""Create on moto, in process, the resources template.yaml declares.

Handles the resource types the template uses (the articles bucket with its notifications,
SQS queues with redrive policies, DynamoDB tables); the rest (IAM, policies, layers, alarms,
the access log bucket S3 writes to by itself) has no behaviour to play locally and is listed
as skipped.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

import boto3

from .template import ACCOUNT, NO_VALUE, REGION, STACK, Resolver, Template

LOCAL_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
}


def use_local_credentials() -> None:
    """Point boto3 at fake credentials so nothing can reach a real account by accident."""
    os.environ.update(LOCAL_CREDENTIALS)


@dataclass
class Stack:
    template: Template
    resolver: Resolver
    physical: dict[str, dict[str, str]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def queue_url(self, logical_id: str) -> str:
        return self.physical[logical_id]["Ref"]

    def dead_letter_queue(self, logical_id: str) -> str | None:
        policy = self.template.resources[logical_id]["Properties"].get("RedrivePolicy")
        if not policy:
            return None
        return policy["deadLetterTargetArn"]["Fn::GetAtt"][0]

    @property
    def bucket(self) -> str:
        return self.physical[self.template.articles_bucket]["Ref"]

    @property
    def table(self) -> str:
        (name,) = self.template.of_type("AWS::DynamoDB::Table")
        return self.physical[name]["Ref"]


def create_stack(template: Template | None = None) -> Stack:
    """Create every played resource; call inside an active moto mock."""
    template = template or Template()
    stack = Stack(template=template, resolver=Resolver(template, {}))
    stack.resolver.physical = stack.physical
    queues = template.of_type("AWS::SQS::Queue")
    # Dead-letter queues first: a redrive policy names its DLQ's ARN.
    for name in sorted(queues, key=lambda n: "RedrivePolicy" in queues[n].get("Properties", {})):
        _create_queue(stack, name, queues[name].get("Properties", {}))
    for name, resource in template.of_type("AWS::DynamoDB::Table").items():
        _create_table(stack, name, resource.get("Properties", {}))
    # S3 delivers access logs on its own and nothing here reads them: the log bucket is skipped.
    bucket = template.articles_bucket
    _create_bucket(stack, bucket, template.resources[bucket].get("Properties", {}))
    stack.skipped = sorted(name for name in template.resources if name not in stack.physical)
    return stack


def _create_queue(stack: Stack, name: str, props: dict[str, Any]) -> None:
    sqs = boto3.client("sqs")
    attributes = {}
    for key in ("VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds", "ReceiveMessageWaitTimeSeconds"):
        if key in props:
            attributes[key] = str(props[key])
    if "RedrivePolicy" in props:
        attributes["RedrivePolicy"] = json.dumps(stack.resolver.resolve(props["RedrivePolicy"]))
    queue_name = props.get("QueueName") or f"{STACK}-{name}"
    url = sqs.create_queue(QueueName=queue_name, Attributes=attributes)["QueueUrl"]
    arn = f"arn:aws:sqs:{REGION}:{ACCOUNT}:{queue_name}"
    stack.physical[name] = {"Ref": url, "Arn": arn, "QueueName": queue_name, "QueueUrl": url}


def _create_table(stack: Stack, name: str, props: dict[str, Any]) -> None:
    props = _present(stack.resolver.resolve(props))
    table_name = props.get("TableName") or f"{STACK}-{name}"
    params: dict[str, Any] = {
        "TableName": table_name,
        "AttributeDefinitions": props["AttributeDefinitions"],
        "KeySchema": props["KeySchema"],
        "BillingMode": props.get("BillingMode", "PROVISIONED"),
    }
    if "ProvisionedThroughput" in props:
        params["ProvisionedThroughput"] = _units(props["ProvisionedThroughput"])
    if props.get("GlobalSecondaryIndexes"):
        params["GlobalSecondaryIndexes"] = [
            {**index, **({"ProvisionedThroughput": _units(index["ProvisionedThroughput"])} if "ProvisionedThroughput" in index else {})}
            for index in props["GlobalSecondaryIndexes"]
        ]
    boto3.client("dynamodb").create_table(**params)
    arn = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{table_name}"
    stack.physical[name] = {"Ref": table_name, "Arn": arn}


def _present(value: Any) -> Any:
    """A resolved property tree without what ``!Ref AWS::NoValue`` left out."""
    if isinstance(value, dict):
        return {key: _present(item) for key, item in value.items() if item is not NO_VALUE}
    if isinstance(value, list):
        return [_present(item) for item in value if item is not NO_VALUE]
    return value


def _units(throughput: dict[str, Any]) -> dict[str, int]:
    """Template parameters arrive as strings; the API wants numbers."""
    return {key: int(value) for key, value in throughput.items()}


def _create_bucket(stack: Stack, name: str, props: dict[str, Any]) -> None:
    s3 = boto3.client("s3")
    bucket = stack.resolver.resolve(props.get("BucketName")) or f"{STACK}-{name}".lower()
    s3.create_bucket(Bucket=bucket)
    stack.physical[name] = {"Ref": bucket, "Arn": f"arn:aws:s3:::{bucket}", "DomainName": f"{bucket}.s3.amazonaws.com"}
    if props.get("VersioningConfiguration", {}).get("Status") == "Enabled":
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    queue_configs = [
        {
            "QueueArn": stack.resolver.resolve(config["Queue"]),
            "Events": [config["Event"]],
            **_filter(config.get("Filter")),
        }
        for config in props.get("NotificationConfiguration", {}).get("QueueConfigurations", [])
    ]
    if queue_configs:
        # As on AWS, saving the configuration makes S3 send an s3:TestEvent to each queue.
        s3.put_bucket_notification_configuration(
            Bucket=bucket, NotificationConfiguration={"QueueConfigurations": queue_configs}
        )


def _filter(spec: dict[str, Any] | None) -> dict[str, Any]:
    """CloudFormation's ``Filter.S3Key.Rules`` is the API's ``Filter.Key.FilterRules``."""
    if not spec:
        return {}
    rules = [{"Name": rule["Name"], "Value": rule["Value"]} for rule in spec["S3Key"]["Rules"]]
    return {"Filter": {"Key": {"FilterRules": rules}}}
