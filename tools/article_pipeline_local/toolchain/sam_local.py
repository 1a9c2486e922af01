"""``make sam-local``: the functions as `sam build` makes them, under `sam local`, on python3.13.

Each step must pass, in order; the first that fails stops the run with its reason and exit
status 1 (nothing is skipped):

1. a Docker daemon (the one that runs, or one started here) and the python3.13 base image
   (``lambda_image``, built once and cached);
2. ``sam build``, as a user types it;
3. a moto server on the host's address on the docker bridge, holding the template's
   resources (``serve.LocalServer``, without its pollers): the functions reach it through
   ``AWS_ENDPOINT_URL``, which the template declares for emulators and --env-vars sets.
   The bridge address is beyond loopback, so the server wants its access token: SAM hands
   the containers its own credentials, and the token is their access key id;
4. ``sam local invoke`` of every function with ``events/<name>.json`` (the objects an event
   names seeded from events/seed/), each result checked against the endpoint: the messages
   on the queues the function's environment names, the documents they point at, the records
   of a function that writes the table;
5. one article through the chain behind the bucket's notification queue, with
   ``sam local start-lambda`` and boto3's ``lambda.invoke``, each function fed the messages
   the one before sent; its record must equal what ``article-pipeline run`` gives;
6. ``import spacy; spacy.load(...)`` timed in the same image, beside ExtractFunction's Init
   Duration.

It ends with the emulator's REPORT line and the Python version of every invocation.
`sam local invoke` exits 0 even when the handler raised, so responses are read, not exit codes.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import mimetypes
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from ..emulation.template import ROOT, Function, Template

SAM = ROOT / ".venv-sam" / "bin" / "sam"
WORK = ROOT / "build" / "sam-local"
EVENTS = ROOT / "events"
DEFAULT_ARTICLE = EVENTS / "seed" / "incoming" / "harbour-bridge.txt"
#: Left out when a start-lambda record is compared with `article-pipeline run`'s.
UNCOMPARED = {"processed_at", "version_id", "sequencer"}  # the last two: per upload
INVOKE_TIMEOUT = 900


class StepFailed(RuntimeError):
    pass


def say(text: str) -> None:
    print(text, flush=True)


@dataclass
class Invocation:
    """One function call under the emulator: its response and its log."""

    function: str
    via: str
    response: Any
    log: str

    @property
    def report(self) -> str | None:
        found = re.findall(r"^REPORT RequestId:.*$", self.log, re.M)
        return found[-1].strip() if found else None

    @property
    def python(self) -> str | None:
        found = re.findall(r"^python (\d+\.\d+\.\d+)", self.log, re.M)
        return found[-1] if found else None

    def figure(self, name: str) -> float | None:
        # Fields are tab-separated: "Duration" must not match inside "Init Duration".
        match = re.search(rf"(?:^|\t){re.escape(name)}: ([\d.]+)", self.report or "")
        return float(match.group(1)) if match else None

    def check(self, python_version: str) -> None:
        where = f"{self.function} ({self.via})"
        if isinstance(self.response, dict) and "errorType" in self.response:
            raise StepFailed(f"{where} raised {self.response['errorType']}: {self.response.get('errorMessage')}\n{self.log[-3000:]}")
        failures = self.response.get("batchItemFailures") if isinstance(self.response, dict) else None
        if failures:
            raise StepFailed(f"{where} failed {len(failures)} message(s) of its batch\n{self.log[-3000:]}")
        if not self.report:
            raise StepFailed(f"{where}: the emulator printed no REPORT line\n{self.log[-3000:]}")
        if not (self.python or "").startswith(python_version + "."):
            raise StepFailed(f"{where} ran on Python {self.python or 'unknown'}, not {python_version}")


# --------------------------------------------------------------------------- wiring


def queue_targets(function: Function, template: Template) -> dict[str, str]:
    """Variable -> queue logical id, for the queues a function's environment names (its outputs)."""
    queues = template.of_type("AWS::SQS::Queue")
    return {
        name: value["Ref"]
        for name, value in function.environment.items()
        if isinstance(value, dict) and value.get("Ref") in queues
    }


def writes_table(function: Function, template: Template) -> bool:
    tables = template.of_type("AWS::DynamoDB::Table")
    return any(isinstance(v, dict) and v.get("Ref") in tables for v in function.environment.values())


def chain_order(template: Template) -> list[Function]:
    """The functions an upload goes through: from the queue the bucket notifies, each next one
    consuming the queue the one before sends to."""
    functions = template.functions()
    by_queue = {mapping.queue: fn for fn in functions.values() for mapping in fn.mappings}
    bucket = template.resources[template.articles_bucket]
    configs = bucket["Properties"].get("NotificationConfiguration", {}).get("QueueConfigurations", [])
    queue = configs[0]["Queue"]["Fn::GetAtt"][0]
    order: list[Function] = []
    while queue in by_queue and by_queue[queue] not in order:
        function = by_queue[queue]
        order.append(function)
        outputs = list(queue_targets(function, template).values())
        queue = outputs[0] if outputs else ""
    return order


def event_file(function: Function) -> Path:
    """``CleanFunction`` -> events/clean.json."""
    return EVENTS / f"{function.logical_id.removesuffix('Function').lower()}.json"


# --------------------------------------------------------------------------- processes


def sam_environment(access_key_id: str | None = None) -> dict[str, str]:
    """SAM's environment: the fake credentials, none of make's or this tool's settings.
    SAM passes its credentials into the containers: ``access_key_id`` is the server's token."""
    from ..emulation.cloud import LOCAL_CREDENTIALS

    drop = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "PYTHON", "AWS_ENDPOINT_URL", "VIRTUAL_ENV"}
    env = {key: value for key, value in os.environ.items() if key not in drop}
    key_id = {"AWS_ACCESS_KEY_ID": access_key_id} if access_key_id else {}
    return {**env, **LOCAL_CREDENTIALS, **key_id, "SAM_CLI_TELEMETRY": "0"}


def run_logged(command: list[str], log: Path, timeout: int = INVOKE_TIMEOUT,
               access_key_id: str | None = None) -> subprocess.CompletedProcess:
    with open(log, "w") as sink:
        result = subprocess.run(command, cwd=ROOT, env=sam_environment(access_key_id), stdout=subprocess.PIPE,
                                stderr=sink, text=True, timeout=timeout)
    return result


def sam_build(sam: Path) -> None:
    log = WORK / "sam-build.log"
    started = time.perf_counter()
    result = run_logged([str(sam), "build"], log, timeout=1800)
    if result.returncode != 0:
        raise StepFailed(f"sam build exited with {result.returncode}:\n{log.read_text()[-4000:]}")
    say(f"sam build: done in {time.perf_counter() - started:.0f}s (log: {log.relative_to(ROOT)})")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


# --------------------------------------------------------------------------- the endpoint


class Endpoint:
    """The moto server the containers talk to, and this tool's clients of it."""

    def __init__(self, host: str) -> None:
        from ..emulation.serve import LocalServer

        self.server = LocalServer(port=0, log_level=None, host=host)

    def start(self) -> None:
        self.server.start()  # sets AWS_ENDPOINT_URL: every client below talks to the server
        self.url = self.server.endpoint_url
        self.s3, self.sqs, self.dynamodb = (boto3.client(name) for name in ("s3", "sqs", "dynamodb"))

    @property
    def access_key_id(self) -> str | None:
        """What the containers present as their access key id: the server's token, if it wants one."""
        return self.server.access.token

    def stop(self) -> None:
        self.server.stop()

    @property
    def stack(self):
        return self.server.stack

    def reset(self) -> None:
        """Empty every resource and make the template's anew (same names)."""
        from ..emulation.cloud import create_stack

        # Unsigned: the guard wants the process's CSRF token (and the access token, if any).
        headers = {"X-CSRF-Token": self.server.access.csrf_token}
        if self.server.access.token:
            headers["Authorization"] = f"Bearer {self.server.access.token}"
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST", headers=headers)
        urllib.request.urlopen(request, timeout=30).close()  # noqa: S310 - our own local server
        self.server.stack = create_stack(self.stack.template)

    def environment_file(self, path: Path) -> Path:
        """--env-vars: each function's template variables with the endpoint's resource names,
        and the endpoint as AWS_ENDPOINT_URL (SAM leaves the template's !If for it unresolved,
        an empty value, until this file sets it)."""
        variables = {
            name: {key: value for key, value in function.environment.items() if key in function.function.environment}
            | {"AWS_ENDPOINT_URL": self.url}
            for name, function in self.server.functions.items()
        }
        path.write_text(json.dumps(variables, indent=2))
        return path

    def seed(self, keys: list[str], seed_dir: Path) -> None:
        for key in keys:
            source = seed_dir / key
            if not source.is_file():
                raise StepFailed(f"an event names s3://{self.stack.bucket}/{key}: put a copy at {source}")
            self.s3.put_object(Bucket=self.stack.bucket, Key=key, Body=source.read_bytes())

    def upload(self, path: Path, key: str) -> None:
        content_type = mimetypes.guess_type(key)[0] or "binary/octet-stream"  # as `article-pipeline run`
        self.s3.put_object(Bucket=self.stack.bucket, Key=key, Body=path.read_bytes(), ContentType=content_type)

    def take(self, queue: str, wait_seconds: float = 0) -> list[dict[str, Any]]:
        """Every message on a queue (logical id), deleted from it."""
        url = self.stack.queue_url(queue)
        messages: list[dict[str, Any]] = []
        deadline = time.monotonic() + wait_seconds
        while True:
            batch = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"],
                                             MessageAttributeNames=["All"], WaitTimeSeconds=1 if wait_seconds else 0)
            got = batch.get("Messages") or []
            for message in got:
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            messages += got
            if not got and (messages or time.monotonic() >= deadline):
                return messages

    def take_all(self) -> None:
        for queue in self.stack.template.of_type("AWS::SQS::Queue"):
            self.take(queue)

    def documents_exist(self, bodies: list[str]) -> list[str]:
        """The documents the messages carry: inline, or in S3 (``{"document": {"bucket", "key"}}``,
        each checked to be there)."""
        found = []
        for body in bodies:
            if isinstance(_json(body).get("inline_document"), dict):
                found.append("its document inline")
                continue
            document = _json(body).get("document")
            if isinstance(document, dict) and "key" in document:
                try:
                    self.s3.head_object(Bucket=document.get("bucket", self.stack.bucket), Key=document["key"])
                except ClientError as error:
                    raise StepFailed(f"a message names {document['key']}, which is not there: {error}") from error
                found.append(document["key"])
        return found

    def record(self, article_id: str):
        from article_pipeline.records import get_record

        return get_record(self.dynamodb, self.stack.table, article_id)


def _json(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (TypeError, json.JSONDecodeError):
        return {}
    return value if isinstance(value, dict) else {}


# --------------------------------------------------------------------------- steps


def invoke_each(sam: Path, endpoint: Endpoint, template: Template, env_file: Path, python: str) -> list[Invocation]:
    """`sam local invoke` every function with its event file, and check what it did."""
    from ..emulation.invoke import SEED, referenced_keys

    functions = list(template.functions().values())
    events = {fn.logical_id: event_file(fn) for fn in functions}
    missing = [str(path.relative_to(ROOT)) for path in events.values() if not path.is_file()]
    if missing:
        raise StepFailed(f"no event file for {', '.join(missing)} (make events writes them)")
    payloads = {name: json.loads(path.read_text()) for name, path in events.items()}
    endpoint.seed(sorted({key for event in payloads.values() for key in referenced_keys(event)}), SEED)
    endpoint.take_all()  # the uploads' notifications: each function's outputs are counted from empty queues
    # Scheduled functions first, while no seeded object has a record yet (Replay's default
    # mode re-enqueues objects without one).
    functions.sort(key=lambda fn: not fn.schedules)
    results = []
    for function in functions:
        name = function.logical_id
        log = WORK / f"invoke-{name}.log"
        command = [str(sam), "local", "invoke", name, "--event", str(events[name]), "--env-vars", str(env_file),
                   "--skip-pull-image"]
        started = time.perf_counter()
        result = run_logged(command, log, access_key_id=endpoint.access_key_id)
        lines = [line for line in result.stdout.splitlines() if line.strip()]
        invocation = Invocation(name, "sam local invoke", _parse(lines[-1]) if lines else None, log.read_text())
        if result.returncode != 0:
            raise StepFailed(f"sam local invoke {name} exited with {result.returncode}\n{invocation.log[-3000:]}")
        invocation.check(python)
        outcome = check_outputs(function, template, endpoint, payloads[name])
        say(f"{name}: sam local invoke -e {events[name].relative_to(ROOT)} in {time.perf_counter() - started:.1f}s: {outcome}")
        results.append(invocation)
    return results


def _parse(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def check_outputs(function: Function, template: Template, endpoint: Endpoint, event: dict[str, Any]) -> str:
    """What the function left on the endpoint: messages on its output queues (and the
    documents they name), or the records of the articles its event names."""
    notes = []
    outputs = queue_targets(function, template)
    for queue in outputs.values():
        bodies = [message["Body"] for message in endpoint.take(queue, wait_seconds=2)]
        documents = endpoint.documents_exist(bodies)
        if bodies:
            notes.append(f"{len(bodies)} message(s) on {queue}" + (f", carrying {', '.join(documents)}" if documents else ""))
    if outputs and not notes:
        raise StepFailed(f"{function.logical_id} sent nothing to any of {', '.join(outputs.values())}")
    if writes_table(function, template) and not outputs:
        ids = sorted({_json(record.get("body")).get("article_id") for record in event.get("Records", [])} - {None})
        if not ids:
            raise StepFailed(f"{function.logical_id}: its event names no article to look for in the table")
        for article_id in ids:
            record = endpoint.record(article_id)
            if record is None or record.error:
                raise StepFailed(f"{function.logical_id} wrote no good record for {article_id}: {record}")
            notes.append(f"record {article_id} is {record.status}")
    return "; ".join(notes) or "nothing to check"


@contextlib.contextmanager
def start_lambda(sam: Path, env_file: Path, access_key_id: str | None = None) -> Iterator[tuple[Any, Path]]:
    """`sam local start-lambda` on a free loopback port: a boto3 Lambda client and its log."""
    port = free_port()
    log = WORK / "start-lambda.log"
    command = [str(sam), "local", "start-lambda", "--host", "127.0.0.1", "--port", str(port), "--env-vars",
               str(env_file), "--skip-pull-image"]
    with open(log, "w") as sink:
        process = subprocess.Popen(command, cwd=ROOT, env=sam_environment(access_key_id), stdout=sink, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while not _listening(port):
            if process.poll() is not None:
                raise StepFailed(f"sam local start-lambda exited with {process.returncode}\n{log.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                raise StepFailed(f"sam local start-lambda did not listen on port {port} within 120s")
            time.sleep(0.5)
        config = Config(read_timeout=INVOKE_TIMEOUT, connect_timeout=10, retries={"max_attempts": 0})
        yield boto3.client("lambda", endpoint_url=f"http://127.0.0.1:{port}", config=config), log
    finally:
        process.terminate()  # SAM stops its containers on SIGTERM
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def drive_chain(sam: Path, endpoint: Endpoint, template: Template, env_file: Path, article: Path, python: str) -> tuple[list[Invocation], dict[str, Any]]:
    """One upload through the chain with start-lambda; returns the invocations and the record."""
    from article_pipeline.models import article_id_for

    from ..emulation.mappings import lambda_record

    endpoint.reset()
    key = f"incoming/{article.name}"
    results = []
    with start_lambda(sam, env_file, endpoint.access_key_id) as (lambda_client, log):
        endpoint.upload(article, key)
        for function in chain_order(template):
            queue = function.mappings[0].queue
            messages = endpoint.take(queue, wait_seconds=30)
            if not messages:
                raise StepFailed(f"nothing on {queue} for {function.logical_id}")
            arn = endpoint.stack.physical[queue]["Arn"]
            event = {"Records": [lambda_record(message, arn) for message in messages]}
            started = time.perf_counter()
            response = lambda_client.invoke(FunctionName=function.logical_id, Payload=json.dumps(event).encode())
            payload = _parse(response["Payload"].read().decode() or "null")
            if response.get("FunctionError"):
                raise StepFailed(f"{function.logical_id} (start-lambda) raised: {payload}\n{log.read_text()[-3000:]}")
            say(f"{function.logical_id}: lambda.invoke with {len(messages)} message(s) from {queue} "
                f"in {time.perf_counter() - started:.1f}s")
            results.append(Invocation(function.logical_id, "start-lambda", payload, ""))
        # The container logs come in invocation order: one REPORT line each.
        text = log.read_text()
    reports = re.findall(r"^REPORT RequestId:.*$", text, re.M)
    pythons = re.findall(r"^python \d+\.\d+\.\d+.*$", text, re.M)
    for n, invocation in enumerate(results):
        invocation.log = "\n".join(([pythons[n]] if n < len(pythons) else []) + ([reports[n]] if n < len(reports) else []))
        invocation.check(python)
    record = endpoint.record(article_id_for(endpoint.stack.bucket, key))
    if record is None:
        raise StepFailed(f"no record for {key} after the chain")
    return results, record.model_dump(mode="json", exclude_none=True)


def local_run_record(article: Path) -> dict[str, Any]:
    """What `article-pipeline run` prints for the article."""
    # On its own moto, in process: not the endpoint this tool points its clients at.
    env = {key: value for key, value in os.environ.items() if key != "AWS_ENDPOINT_URL"}
    result = subprocess.run([sys.executable, "-m", "article_pipeline_local.cli", "run", str(article)],
                            capture_output=True, text=True, cwd=ROOT, env=env)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode != 0 or len(lines) != 1:
        raise StepFailed(f"article-pipeline run {article} failed:\n{result.stderr[-3000:]}")
    return json.loads(lines[0])


def comparable(value: Any) -> Any:
    """The record without its timestamps and version ids."""
    if isinstance(value, dict):
        return {key: comparable(item) for key, item in value.items() if key not in UNCOMPARED}
    if isinstance(value, list):
        return [comparable(item) for item in value]
    return value


def compare_records(emulated: dict[str, Any], local: dict[str, Any]) -> None:
    import difflib

    left, right = (json.dumps(comparable(r), indent=1, sort_keys=True).splitlines() for r in (emulated, local))
    if left != right:
        diff = "\n".join(list(difflib.unified_diff(right, left, "article-pipeline run", "start-lambda", lineterm=""))[:60])
        raise StepFailed(f"the start-lambda record differs from article-pipeline run's:\n{diff}")


#: Timed in a fresh interpreter in the base image: the handler module's import (what Lambda's
#: Init Duration spends beyond starting Python), or spaCy and its model alone.
_TIMED = """
import json, os, platform, resource, sys, time
started = time.perf_counter()
if sys.argv[1] == "handler":
    import app
    what = "import app"
else:
    import spacy
    for name in os.environ["SPACY_MODEL"].split(","):
        try:
            spacy.load(name)
            break
        except OSError:
            pass
    what = f"import spacy; spacy.load({name!r})"
print(json.dumps({"what": what, "ms": (time.perf_counter() - started) * 1000, "python": platform.python_version(),
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def time_in_image(image: str, function: str, env_file: Path, what: str) -> dict[str, Any]:
    """Run _TIMED in the base image with the function's code in /var/task and its layers on
    the path, as `sam build` made them, and its environment (no network: nothing is called)."""
    build = ROOT / ".aws-sam" / "build"
    template = Template()
    layers = [layer["Ref"] for layer in template.body["Globals"]["Function"].get("Layers", [])]
    layers += [layer["Ref"] for layer in template.resources[function]["Properties"].get("Layers", [])]
    mounts = ["-v", f"{build / function}:/var/task:ro"]
    mounts += [arg for n, layer in enumerate(layers) for arg in ("-v", f"{build / layer / 'python'}:/opt/layer{n}:ro")]
    environment = {**json.loads(env_file.read_text())[function], "AWS_SAM_LOCAL": "true",
                   "PYTHONPATH": ":".join(["/var/task", *(f"/opt/layer{n}" for n in range(len(layers))), "/var/runtime"])}
    command = ["docker", "run", "--rm", "--network", "none", *mounts,
               *[arg for key, value in environment.items() if key != "AWS_ENDPOINT_URL" for arg in ("-e", f"{key}={value}")],
               "--entrypoint", "python3", image, "-c", _TIMED, what]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise StepFailed(f"{what} timing in {image} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def summary(invocations: list[Invocation]) -> list[str]:
    lines = ["", "function          via                python   REPORT (from the emulator)"]
    for inv in invocations:
        lines.append(f"{inv.function:<17} {inv.via:<18} {inv.python or '?':<8} {inv.report}")
    return lines


# --------------------------------------------------------------------------- main


def run(args: argparse.Namespace) -> int:
    from . import lambda_image
    from .docker_daemon import bridge_address, docker_daemon

    WORK.mkdir(parents=True, exist_ok=True)
    template = Template()
    python = lambda_image.PYTHON_VERSION
    step = "docker"
    try:
        # SAM's containers run images it builds on the base image: samcli/lambda-python:3.13-...
        ours = lambda image: image == lambda_image.IMAGE or image.startswith("samcli/")  # noqa: E731
        with docker_daemon(WORK / "dockerd.log", ours, log=say):
            step = "base image"
            lambda_image.ensure_image(log=say)
            step = "sam build"
            sam_build(args.sam)
            step = "moto server"
            endpoint = Endpoint(bridge_address())
            endpoint.start()
            try:
                say(f"moto: {endpoint.url} holds the template's resources")
                env_file = endpoint.environment_file(WORK / "env-vars.json")
                step = "sam local invoke"
                invocations = invoke_each(args.sam, endpoint, template, env_file, python)
                step = "start-lambda chain"
                chained, record = drive_chain(args.sam, endpoint, template, env_file, args.article, python)
                compare_records(record, local_run_record(args.article))
                say(f"start-lambda record for {args.article.name} equals article-pipeline run's "
                    f"(apart from {', '.join(sorted(UNCOMPARED))}): status {record['status']}, "
                    f"{len(record.get('entities', []))} entities, {len(record.get('figures', []))} figures")
            finally:
                endpoint.stop()
            step = "timings in the image"
            timings = [time_in_image(lambda_image.IMAGE, "ExtractFunction", env_file, what) for what in ("handler", "spacy")]
    except (StepFailed, subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError, RuntimeError,
            BotoCoreError, ClientError) as error:
        print(f"sam-local FAILED at {step}: {error}", file=sys.stderr)
        return 1
    for line in summary(invocations + chained):
        say(line)
    say("")
    say("The emulator's Init Duration and Max Memory Used are not measurements: it starts the runtime when")
    say("the first invoke arrives, so that Duration holds the init, and it reports the memory size as used.")
    say("In a fresh python3 of the same image, with ExtractFunction's code and layers:")
    for timing in timings:
        say(f"  {timing['what']}: {timing['ms']:.0f} ms, max RSS {timing['max_rss_mb']:.0f} MB (Python {timing['python']})")
    say("sam-local: all steps passed")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sam-local", description=__doc__.split("\n")[0])
    parser.add_argument("--sam", type=Path, default=SAM, help="the SAM CLI (default .venv-sam/bin/sam)")
    parser.add_argument("--article", type=Path, default=DEFAULT_ARTICLE, help="the file driven through the chain")
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
