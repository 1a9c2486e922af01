"""The whole chain on moto: the template's resources, its functions and its queue mappings."""

from __future__ import annotations

import contextlib
import logging
import mimetypes
import os
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
from moto import mock_aws

from article_pipeline import aws
from article_pipeline.models import ArticleRecord, article_id_for
from article_pipeline.records import get_record

from .cloud import Stack, create_stack, use_local_credentials
from .instances import ConcurrentMappings
from .mappings import Progress, QueuePoller, drain, pollers_for
from .moto_fidelity import install as install_fidelity
from .s3_events import install as install_s3_events
from .runtime import LocalFunction, load_functions
from .template import Template


@dataclass
class Outcome:
    """What became of one uploaded file."""

    key: str
    article_id: str
    record: ArticleRecord | None
    dead_letter: str | None = None

    @property
    def reason(self) -> str | None:
        if self.record is None:
            return f"no record: its message is in {self.dead_letter or 'no queue'}"
        if self.record.error:
            return f"{self.record.error.stage}/{self.record.error.kind}: {self.record.error.message}"
        return None


class LocalPipeline:
    """Use inside ``local_pipeline()``: moto is active and the stack exists."""

    def __init__(
        self, stack: Stack, functions: dict[str, LocalFunction], progress: Progress | None = None, concurrent=None
    ) -> None:
        self.stack = stack
        self.functions = functions
        #: ``instances.ConcurrentMappings`` when the mappings run many instances, else None
        self.concurrent = concurrent
        #: the moto server's address when the functions run in their own processes
        self.endpoint_url: str | None = None
        self.pollers: list[QueuePoller] = concurrent.pollers if concurrent else pollers_for(stack, functions)
        self.progress = progress
        self.s3 = boto3.client("s3")
        self.dynamodb = boto3.client("dynamodb")
        self.sqs = boto3.client("sqs")

    def upload(self, data: bytes, key: str) -> str:
        # Like `aws s3 cp`, which sets the Content-Type its extension suggests.
        content_type = mimetypes.guess_type(key)[0] or "binary/octet-stream"
        self.s3.put_object(Bucket=self.stack.bucket, Key=key, Body=data, ContentType=content_type)
        return article_id_for(self.stack.bucket, key)

    def drain(self) -> int:
        if self.concurrent is not None:
            self.concurrent.drain()
            return 0
        return drain(self.pollers, self.progress)

    def record(self, article_id: str) -> ArticleRecord | None:
        return get_record(self.dynamodb, self.stack.table, article_id)

    def dead_letters(self) -> dict[str, list[str]]:
        """Bodies of the messages in each DLQ, by the DLQ's logical id (left in place)."""
        sqs = self.sqs
        found: dict[str, list[str]] = {}
        for poller in self.pollers:
            dlq = self.stack.dead_letter_queue(poller.mapping.queue)
            if not dlq:
                continue
            url = self.stack.queue_url(dlq)
            messages: list[dict] = []
            while batch := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
                messages += batch
            for message in messages:
                sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0)
            found[dlq] = [message["Body"] for message in messages]
        return found

    def run_files(self, paths: list[Path], prefix: str = "incoming/") -> list[Outcome]:
        keys = upload_keys(paths, prefix)
        ids = [self.upload(path.read_bytes(), key) for path, key in zip(paths, keys)]
        self.drain()
        dead = self.dead_letters() if any(poller.failed for poller in self.pollers) else {}
        outcomes = []
        for key, article_id in zip(keys, ids):
            record = self.record(article_id)
            where = next((dlq for dlq, bodies in dead.items() if any(article_id in b or key in b for b in bodies)), None)
            outcomes.append(Outcome(key=key, article_id=article_id, record=record, dead_letter=where))
        return outcomes


def upload_keys(paths: list[Path], prefix: str) -> list[str]:
    """``incoming/<file name>``, with the parent folder kept where two names collide."""
    names = [path.name for path in paths]
    return [
        f"{prefix}{path.parent.name}/{path.name}" if names.count(path.name) > 1 else f"{prefix}{path.name}"
        for path in paths
    ]


@contextlib.contextmanager
def local_pipeline(
    template: Template | None = None,
    progress: Progress | None = None,
    log_level: str | None = "WARNING",
    concurrency: int = 1,
    environment: dict[str, str] | None = None,
) -> Iterator[LocalPipeline]:
    """The chain on moto; ``concurrency`` > 1 (or 0: the template's figures) plays each mapping
    with that many instances, each its own process, against a moto server (``instances``).
    ``environment`` adds to every function's variables (a setting the template leaves out)."""
    use_local_credentials()
    if concurrency == 1:
        install_s3_events()  # sequencers and delete-marker events, as S3 sends them
        with mock_aws():
            aws.reset_clients()
            try:
                stack = create_stack(template)
                yield LocalPipeline(stack, load_functions(stack, log_level, environment), progress)
            finally:
                aws.reset_clients()
        return
    with moto_server() as endpoint_url:
        stack = create_stack(template)
        functions = load_functions(stack, log_level, environment)
        concurrent = ConcurrentMappings(stack, functions, endpoint_url, concurrency or None, progress)
        try:
            pipeline = LocalPipeline(stack, {**functions, **concurrent.pool_functions()}, progress, concurrent.start())
            pipeline.endpoint_url = endpoint_url
            yield pipeline
        finally:
            concurrent.stop()


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    """A moto server on a free port of 127.0.0.1, made atomic where AWS is, as every client's endpoint."""
    from moto.server import ThreadedMotoServer

    use_local_credentials()
    install_fidelity()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not one line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint_url = f"http://{host}:{port}"
    saved = os.environ.get("AWS_ENDPOINT_URL")
    os.environ["AWS_ENDPOINT_URL"] = endpoint_url
    aws.reset_clients()
    try:
        yield endpoint_url
    finally:
        if saved is None:
            os.environ.pop("AWS_ENDPOINT_URL", None)
        else:
            os.environ["AWS_ENDPOINT_URL"] = saved
        aws.reset_clients()
        # The server's backends are this process's own: the next server here (make stress
        # runs storm after storm) would find this one's stack. moto's reset, over its API.
        with contextlib.suppress(OSError):  # a server that died has nothing to keep
            urllib.request.urlopen(urllib.request.Request(f"{endpoint_url}/moto-api/reset", method="POST"), timeout=30).close()
        server.stop()
