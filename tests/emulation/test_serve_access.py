"""The attacks of issue 22 against the real `article-pipeline serve` process: each refused, the user's clients served."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
from urllib.parse import urlsplit

import boto3
import pytest
from botocore.exceptions import ClientError

from article_pipeline_local.emulation.cloud import LOCAL_CREDENTIALS
from article_pipeline_local.emulation.remote import local_target
from support import ROOT

pytestmark = pytest.mark.slow


def raw(url: str, path: str, method: str = "GET", headers: dict | None = None) -> tuple[int, bytes]:
    """A request as curl sends it, whatever Host it claims."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.putheader("Content-Length", "0")
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_a_foreign_host_is_refused_and_the_sdk_still_works(server, monkeypatch):
    for key, value in LOCAL_CREDENTIALS.items():
        monkeypatch.setenv(key, value)
    port = urlsplit(server.endpoint).port
    # DNS rebinding: the page's name, on the right port, on the endpoint and on the console.
    for path in ("/", "/_console/", "/moto-api/"):
        status, body = raw(server.endpoint, path, headers={"Host": f"evil.example:{port}"})
        assert status == 403 and b"is not this server" in body, path
    assert raw(server.endpoint, "/_console/", headers={"Host": f"localhost:{port}"})[0] == 200
    # An upload from a page (cross-site) and an unsigned one (curl -T) are refused.
    evil = {"Host": f"127.0.0.1:{port}", "Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"}
    target = local_target(server.endpoint)
    key = f"/{target.bucket}/incoming/planted.txt"
    assert raw(server.endpoint, key, "PUT", evil)[0] == 403
    assert raw(server.endpoint, key, "PUT", {"Host": f"127.0.0.1:{port}"})[0] == 403
    assert raw(server.endpoint, "/_console/articles/x/replay", "POST", {"Host": f"127.0.0.1:{port}"})[0] == 403
    s3 = target.client("s3")
    assert "Contents" not in s3.list_objects_v2(Bucket=target.bucket, Prefix="incoming/")
    # Any S3 client, signing with any credentials, is served on loopback.
    s3.put_object(Bucket=target.bucket, Key="incoming/mine.txt", Body=b"mine")
    assert s3.get_object(Bucket=target.bucket, Key="incoming/mine.txt")["Body"].read() == b"mine"


def own_address() -> str:
    """This machine's address on its default route (nothing is sent), or a skip."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
            address = probe.getsockname()[0]
        except OSError:
            address = ""
    if not address or address.startswith("127."):
        pytest.skip("no address beyond loopback on this machine")
    return address


@pytest.fixture
def exposed(tmp_path):
    """`serve --host ADDRESS`, bound beyond loopback: its banner and its access token."""
    env = {**os.environ, **LOCAL_CREDENTIALS}
    env.pop("AWS_ENDPOINT_URL", None)
    address = own_address()
    with (tmp_path / "serve.stderr").open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "article_pipeline_local.cli", "serve", "--host", address, "--port", "0"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True,
        )
    try:
        banner = [process.stdout.readline() for _ in range(11)]
        endpoint = banner[0].split(" on ", 1)[1].split()[0]
        assert endpoint.startswith(f"http://{address}:"), banner
        console = banner[1].split(" ", 1)[1].strip()
        token = banner[-1].rsplit(" ", 1)[1].strip()
        assert console == f"{endpoint}/_console/?token={token}", banner  # printed as Jupyter does
        yield endpoint, console, token
    finally:
        process.kill()
        process.wait()


def test_beyond_loopback_every_client_needs_the_token(exposed, monkeypatch):
    endpoint, console, token = exposed
    for key, value in LOCAL_CREDENTIALS.items():
        monkeypatch.setenv(key, value)
    host = {"Host": urlsplit(endpoint).netloc}
    # Without the token: an SDK client with any credentials, the console, a guessed token.
    anyone = boto3.client("s3", endpoint_url=endpoint)
    with pytest.raises(ClientError) as refused:
        anyone.list_buckets()
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    with pytest.raises(ClientError):
        boto3.client("sqs", endpoint_url=endpoint).list_queues()
    assert raw(endpoint, "/_console/", headers=host)[0] == 403
    assert raw(endpoint, "/_console/?token=guess", headers=host)[0] == 403
    assert raw(endpoint, "/moto-api/reset", "POST", {**host, "Authorization": "Bearer guess"})[0] == 403

    # With it: the token as the access key id, for S3, SQS and DynamoDB, and presigned URLs.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", token)
    boto3.setup_default_session()  # as a fresh process would read it
    target = local_target(endpoint)
    s3 = target.client("s3")
    s3.put_object(Bucket=target.bucket, Key="incoming/mine.txt", Body=b"mine")
    assert target.client("dynamodb").describe_table(TableName=target.table)["Table"]["TableName"] == target.table
    url = urlsplit(s3.generate_presigned_url("get_object", Params={"Bucket": target.bucket, "Key": "incoming/mine.txt"}))
    assert raw(endpoint, f"{url.path}?{url.query}", headers=host) == (200, b"mine")
    # The console: the printed URL sets a cookie; a Bearer header does as well.
    status, _ = raw(endpoint, urlsplit(console).path + "?" + urlsplit(console).query, headers=host)
    assert status == 302
    assert raw(endpoint, "/_console/", headers={**host, "Authorization": f"Bearer {token}"})[0] == 200
