"""boto3 clients, made once per container (and again only when a test or the local
harness resets them, e.g. after switching to a fresh moto backend)."""

from __future__ import annotations

from functools import cache

import boto3
from botocore.config import Config

# Standard retry mode backs off on throttling (SlowDown, ProvisionedThroughputExceeded)
# before a record is given up to SQS redelivery.
_CONFIG = Config(retries={"mode": "standard", "max_attempts": 5})
# DynamoDB's callers wait out throttling themselves (records.Backoff), up to the deadline of
# the invocation: the SDK's own waits (at most 1 + 2 s here) stay well inside its reserve.
_CONFIGS = {"dynamodb": Config(retries={"mode": "standard", "max_attempts": 3})}


@cache
def client(service: str):
    return boto3.client(service, config=_CONFIGS.get(service, _CONFIG))


def reset_clients() -> None:
    client.cache_clear()
