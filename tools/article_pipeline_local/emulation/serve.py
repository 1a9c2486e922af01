"""``article-pipeline serve``: the template's resources on a local endpoint, with the functions running.

A moto server on 127.0.0.1 (or ``--host``) holds the bucket, queues and table that
template.yaml declares (named as ``run`` names them); a background thread plays the template's SQS event source
mappings against it and calls the handlers in this process. Any S3 client pointed at the
endpoint can drop a file under ``incoming/`` and the record appears in the table. The
review console (``console``) is mounted on the same port under ``/_console/``, a path no
bucket name can take. ``access.AccessGuard`` stands in front of both: only the user's own
clients are answered (the Host rule, CSRF, and an access token on a bind beyond loopback).
The state lives as long as the command; Ctrl-C (or SIGTERM) stops the pollers, then the server.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

DEFAULT_PORT = 4566
#: How long the pollers rest when every queue is empty.
IDLE_SECONDS = 0.2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to bind (default 127.0.0.1); beyond loopback, every client must present the access token printed at start")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0 picks a free one)")
    parser.add_argument("--log-level", default="WARNING", help="the functions' log level (default WARNING)")
    parser.add_argument(
        "--concurrency", type=int, default=0, metavar="N",
        help="instances per queue mapping, each its own process (default: the template's MaximumConcurrency; 1: one, in process)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="print each batch on stderr")


class LocalServer:
    """The endpoint and its pollers; ``start`` then ``stop`` (or use it as a context manager)."""

    def __init__(
        self,
        port: int = DEFAULT_PORT,
        log_level: str | None = "WARNING",
        progress: Callable[[str, int, int], None] | None = None,
        host: str = "127.0.0.1",
        concurrency: int = 1,
    ) -> None:
        self.host = host
        self.port = port
        self.log_level = log_level
        #: instances per mapping: 1 plays them in this process, 0 takes the template's figures
        self.concurrency = concurrency
        self.concurrent = None
        self.progress = progress
        self.endpoint_url = ""
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._http: Any = None
        self._http_thread: threading.Thread | None = None
        self._saved_endpoint: str | None = None
        self._saved_key_id: str | None = None
        self.access: Any = None

    def start(self) -> "LocalServer":
        import boto3
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
        from werkzeug.middleware.dispatcher import DispatcherMiddleware
        from werkzeug.serving import make_server

        from article_pipeline import aws

        from .access import WILDCARD, AccessGuard, Policy
        from .cloud import create_stack, use_local_credentials
        from ..console import MOUNT, create_app
        from .instances import ConcurrentMappings
        from .mappings import pollers_for
        from .moto_fidelity import install as install_fidelity
        from .remote import local_target
        from .runtime import load_functions

        use_local_credentials()
        install_fidelity()  # the instances' requests arrive at once, as on AWS
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not one line per request
        # moto's own server app, as ThreadedMotoServer runs it, with the console beside it.
        # A port in use raises OSError here.
        endpoint = DispatcherMiddleware(DomainDispatcherApplication(create_backend_app))
        self._http = make_server(self.host, self.port, endpoint, threaded=True, request_handler=MotoRequestHandler)
        host, port = self._http.server_address[:2]
        # The guard knows the port only once bound (0 picks one); nothing is served before.
        self.access = Policy.for_bind(self.host, port, console=MOUNT)
        self._http.app = AccessGuard(endpoint, self.access)
        self._http_thread = threading.Thread(target=self._http.serve_forever, name="endpoint", daemon=True)
        self._http_thread.start()
        host = "127.0.0.1" if self.host in WILDCARD else (f"[{host}]" if ":" in host else host)
        self.endpoint_url = f"http://{host}:{port}"
        self.console_url = f"{self.endpoint_url}{MOUNT}/"
        # Every boto3 client made from here on (the stack's, the pollers', the handlers'
        # through article_pipeline.aws) talks to the server, with the token as its key id.
        self._saved_endpoint = os.environ.get("AWS_ENDPOINT_URL")
        os.environ["AWS_ENDPOINT_URL"] = self.endpoint_url
        self._saved_key_id = os.environ.get("AWS_ACCESS_KEY_ID")
        if self.access.token:
            os.environ["AWS_ACCESS_KEY_ID"] = self.access.token
            boto3.setup_default_session()  # the default session keeps the key id it first read
        aws.reset_clients()
        self.stack = create_stack()
        self.functions = load_functions(self.stack, self.log_level)
        if self.concurrency == 1:
            self.pollers = pollers_for(self.stack, self.functions)
        else:
            self.concurrent = ConcurrentMappings(self.stack, self.functions, self.endpoint_url, self.concurrency or None, self.progress)
            self.pollers = self.concurrent.pollers
        # The console reads the resources as any client of the endpoint would.
        endpoint.mounts[MOUNT] = create_app(local_target(self.endpoint_url, self.stack.template), self.access.csrf_token)
        return self

    def run_pollers(self) -> None:
        if self.concurrent is not None:
            self.concurrent.start()
            return
        self._thread = threading.Thread(target=self._poll, name="queue-pollers", daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        """mappings.drain, forever: deliver while there is work, retry failures when idle."""
        while not self._stopping.is_set():
            try:
                delivered = sum(1 for poller in self.pollers if not self._stopping.is_set() and poller.poll(self.progress))
                if not delivered and not sum(poller.expire_visibility() for poller in self.pollers):
                    self._stopping.wait(IDLE_SECONDS)
            except Exception as error:  # noqa: BLE001 - keep serving; say what went wrong
                print(f"poller error: {type(error).__name__}: {error}", file=sys.stderr)
                self._stopping.wait(1)

    def stop(self) -> None:
        import boto3

        from article_pipeline import aws

        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=60)  # a batch in flight finishes first
        if self.concurrent is not None:
            self.concurrent.stop()
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
        for name, saved in (("AWS_ENDPOINT_URL", self._saved_endpoint), ("AWS_ACCESS_KEY_ID", self._saved_key_id)):
            if saved is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = saved
        if self.access is not None and self.access.token:
            boto3.setup_default_session()
        aws.reset_clients()

    def __enter__(self) -> "LocalServer":
        self.start()
        self.run_pollers()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def banner(server: LocalServer) -> str:
    url, bucket, token = server.endpoint_url, server.stack.bucket, server.access.token
    key_id = token or "testing"
    lines = [
        f"article-pipeline serving on {url}  (S3, SQS, DynamoDB; the state lasts until Ctrl-C)",
        f"console: {server.console_url}" + (f"?token={token}" if token else ""),
        f"  bucket: {bucket}",
        f"  table:  {server.stack.table}",
        "Drop an article " + ("(the access token is the access key id):" if token else "(any credentials will do):"),
        f"  AWS_ACCESS_KEY_ID={key_id} AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 \\",
        f"    aws --endpoint-url {url} s3 cp article.txt s3://{bucket}/incoming/",
        "Read it back" + (" (with the same AWS_ACCESS_KEY_ID):" if token else ":"),
        f"  article-pipeline show incoming/article.txt --endpoint-url {url}",
        f"  article-pipeline search --entity NAME --endpoint-url {url}",
    ]
    if token:
        lines.append(f"Bound to {server.host}, beyond loopback: every client must present the access token {token}")
    return "\n".join(lines)


def _progress(function: str, size: int, failed: int) -> None:
    print(f"{function}: batch of {size}" + (f", {failed} failed" if failed else ""), file=sys.stderr)


#: How long Ctrl-C waits for the batches in flight before it stops the server regardless.
STOP_GRACE_SECONDS = 20.0


def run(args: argparse.Namespace) -> int:
    server = LocalServer(
        args.port, args.log_level, _progress if args.verbose else None, host=args.host, concurrency=args.concurrency
    )
    try:
        server.start()
    except OSError as error:
        print(f"cannot serve on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    try:
        # Before the pollers start: a handler's stdout goes to stderr while it runs.
        print(banner(server), flush=True)
        server.run_pollers()
        idle = threading.Event()
        while not idle.wait(1):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        # Stopping lets a batch in flight finish, but not for ever: the state dies with the
        # process anyway, and Ctrl-C must stop it (a cold start on a loaded machine took longer).
        stopper = threading.Thread(target=server.stop, name="stop", daemon=True)
        stopper.start()
        stopper.join(STOP_GRACE_SECONDS)
        print("stopped", file=sys.stderr, flush=True)
        if stopper.is_alive():
            sys.stdout.flush()
            os._exit(0)  # what is left in flight goes with the state; no thread may hold the exit
    return 0
