"""access.AccessGuard, rule by rule, in front of a fake app: each attack refused, each user's client let through."""

from __future__ import annotations

import pytest
from werkzeug.test import Client

from article_pipeline_local.emulation.access import AccessGuard, Policy, is_loopback

PORT = 4566
SIGV4 = "AWS4-HMAC-SHA256 Credential={}/20261202/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00"


def reached(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"reached " + environ["wsgi.input"].read()]


def client(host: str = "127.0.0.1") -> tuple[Client, Policy]:
    policy = Policy.for_bind(host, PORT)
    return Client(AccessGuard(reached, policy)), policy


def ask(c: Client, method: str = "GET", path: str = "/bucket/key", host: str = f"127.0.0.1:{PORT}", **kwargs):
    headers = {"Host": host, **kwargs.pop("headers", {})}
    return c.open(path, method=method, headers=headers, **kwargs)


def signed(key_id: str = "testing") -> dict[str, str]:
    return {"Authorization": SIGV4.format(key_id)}


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"])
def test_loopback_addresses_are_loopback(host):
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["192.0.2.2", "0.0.0.0", "fd00::2", "example.com"])
def test_other_addresses_are_not(host):
    assert not is_loopback(host)


def test_a_signed_request_with_our_host_reaches_the_app():
    c, policy = client()
    assert policy.token is None
    for host in (f"127.0.0.1:{PORT}", f"localhost:{PORT}", f"LOCALHOST:{PORT}"):
        response = ask(c, host=host, headers=signed())
        assert response.status_code == 200 and response.data == b"reached ", host
    assert ask(c, path="/_console/", host=f"localhost:{PORT}").status_code == 200


@pytest.mark.parametrize("host", ["evil.example", f"evil.example:{PORT}", f"rebind.127.0.0.1.nip.io:{PORT}",
                                  f"127.0.0.1:{PORT + 1}", "127.0.0.1", f"127.0.0.1:{PORT}@evil.example", ""])
@pytest.mark.parametrize("path", ["/bucket/key", "/_console/", "/_console/articles/x"])
def test_a_foreign_host_is_refused_on_the_endpoint_and_the_console(host, path):
    """DNS rebinding: the page's own name arrives as Host, the right port or not."""
    c, _ = client()
    response = ask(c, path=path, host=host, headers=signed())
    assert response.status_code == 403 and b"is not this server" in response.data


def test_a_cross_site_request_is_refused():
    c, policy = client()
    for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
                    {"Origin": "http://evil.example"}, {"Origin": f"http://localhost:{PORT + 1}"}, {"Origin": "null"}):
        # The signature a page could forge (moto checks none) and the console's token do not help.
        for method, path in (("PUT", "/bucket/incoming/x"), ("GET", "/?Action=ListQueues"), ("OPTIONS", "/bucket/x")):
            response = ask(c, method, path, headers={**signed(), **headers})
            assert response.status_code == 403, (headers, method, path)
        response = ask(c, "POST", "/_console/articles/x/replay", data={"csrf_token": policy.csrf_token}, headers=headers)
        assert response.status_code == 403, headers
        # Nor a script's read of a console page.
        assert ask(c, path="/_console/api/state", headers={**headers, "Sec-Fetch-Mode": "cors"}).status_code == 403


def test_a_link_from_elsewhere_may_open_the_console_but_not_post_to_it():
    c, _ = client()
    navigation = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}
    assert ask(c, path="/_console/", headers=navigation).status_code == 200
    assert ask(c, path="/bucket/key", headers={**navigation, **signed()}).status_code == 403
    assert ask(c, "POST", "/_console/articles/x/replay", headers=navigation).status_code == 403


def test_same_origin_browser_requests_pass():
    c, policy = client()
    same = {"Sec-Fetch-Site": "same-origin", "Origin": f"http://127.0.0.1:{PORT}"}
    assert ask(c, path="/_console/api/state", headers=same).status_code == 200
    assert ask(c, "PUT", "/bucket/incoming/x", headers={**same, "X-CSRF-Token": policy.csrf_token}).status_code == 200


def test_a_console_post_wants_the_csrf_token():
    c, policy = client()
    path = "/_console/articles/x/replay"
    # The cross-site form of the issue, from a browser that says nothing of where it comes from.
    assert ask(c, "POST", path).status_code == 403
    assert ask(c, "POST", path, data={"csrf_token": "guess"}).status_code == 403
    assert ask(c, "POST", path, headers={"X-CSRF-Token": "guess"}).status_code == 403
    response = ask(c, "POST", path, data={"csrf_token": policy.csrf_token, "other": "kept"})
    assert response.status_code == 200 and b"other=kept" in response.data  # the app still reads the form
    assert ask(c, "POST", path, headers={"X-CSRF-Token": policy.csrf_token}).status_code == 200


def test_an_unsigned_endpoint_request_is_refused():
    """An upload from a page, or `curl -T`: no SDK signature, no console token."""
    c, policy = client()
    assert ask(c, "PUT", "/bucket/incoming/x", data=b"hostile").status_code == 403
    assert ask(c, "POST", "/", data="Action=PurgeQueue&QueueUrl=q").status_code == 403
    assert ask(c, "GET", "/?Action=DeleteQueue&QueueUrl=q").status_code == 403
    assert ask(c, "PUT", "/bucket/incoming/x", headers={"X-CSRF-Token": "guess"}).status_code == 403
    assert ask(c, "PUT", "/bucket/incoming/x", headers={"X-CSRF-Token": policy.csrf_token}).status_code == 200
    assert ask(c, "GET", "/bucket/key?X-Amz-Credential=testing%2F20261202%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=00").status_code == 200


# --------------------------------------------------------------------------- beyond loopback


def test_a_non_loopback_bind_wants_the_token_from_every_client():
    c, policy = client("192.0.2.2")
    assert policy.token and len(policy.token) >= 32
    host = f"192.0.2.2:{PORT}"
    assert ask(c, host=host, headers=signed("testing")).status_code == 403
    near_miss = policy.token[:-1] + ("1" if policy.token.endswith("0") else "0")  # one character off, never equal
    assert ask(c, host=host, headers=signed(near_miss)).status_code == 403
    assert ask(c, path="/_console/", host=host).status_code == 403
    assert ask(c, path="/_console/?token=guess", host=host).status_code == 403
    assert ask(c, host=host, headers={"Authorization": "Bearer guess"}).status_code == 403
    # The loopback address does not reach a socket bound elsewhere, and is no way around it.
    assert ask(c, host=f"127.0.0.1:{PORT}", headers=signed()).status_code == 403


def test_the_token_as_the_access_key_id_passes():
    c, policy = client("192.0.2.2")
    host = f"192.0.2.2:{PORT}"
    assert ask(c, host=host, headers=signed(policy.token)).status_code == 200
    assert ask(c, host=host, headers={"Authorization": f"AWS {policy.token}:sig"}).status_code == 200  # SigV2


def test_a_presigned_url_carries_the_token_in_its_credential():
    c, policy = client("192.0.2.2")
    query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={}%2F20261202%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=00"
    assert ask(c, path="/bucket/key?" + query.format(policy.token), host=f"192.0.2.2:{PORT}").status_code == 200
    assert ask(c, path="/bucket/key?" + query.format("testing"), host=f"192.0.2.2:{PORT}").status_code == 403


def test_a_bearer_token_passes_signed_or_not():
    c, policy = client("192.0.2.2")
    bearer = {"Authorization": f"Bearer {policy.token}"}
    assert ask(c, "POST", "/moto-api/reset", host=f"192.0.2.2:{PORT}", headers=bearer).status_code == 200
    assert ask(c, path="/_console/", host=f"192.0.2.2:{PORT}", headers=bearer).status_code == 200


def test_the_token_in_a_console_url_becomes_a_cookie():
    c, policy = client("192.0.2.2")
    host = f"192.0.2.2:{PORT}"
    response = ask(c, path=f"/_console/articles?token={policy.token}&status=failed", host=host)
    assert response.status_code == 302
    assert response.headers["Location"] == "/_console/articles?status=failed"  # not left in the address bar
    cookie = response.headers["Set-Cookie"]
    assert f"{policy.cookie_name}={policy.token}" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    # The test client keeps the cookie: the console opens, and the drop page's unsigned PUT passes.
    assert ask(c, path="/_console/articles", host=host).status_code == 200
    assert ask(c, "PUT", "/bucket/incoming/x", host=host, headers={"X-CSRF-Token": policy.csrf_token}).status_code == 200
    assert ask(c, "PUT", "/bucket/incoming/x", host=host).status_code == 403  # the cookie is no signature


def test_a_wildcard_bind_takes_address_literals_but_no_names():
    c, policy = client("0.0.0.0")
    assert policy.token
    assert ask(c, host=f"192.0.2.2:{PORT}", headers=signed(policy.token)).status_code == 200
    assert ask(c, host=f"127.0.0.1:{PORT}", headers=signed(policy.token)).status_code == 200
    assert ask(c, host=f"evil.example:{PORT}", headers=signed(policy.token)).status_code == 403


def test_each_process_has_its_own_tokens():
    first, second = Policy.for_bind("192.0.2.2", PORT), Policy.for_bind("192.0.2.2", PORT)
    assert first.token != second.token and first.csrf_token != second.csrf_token
