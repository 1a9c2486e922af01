"""Who ``serve`` answers: its user, not any web page the user opens nor anyone else on the network.

``AccessGuard`` wraps the whole server (the S3/SQS/DynamoDB endpoint and the console alike)
and refuses with 403, before moto or Flask sees the request:

- a ``Host`` that is not the bound address (or ``localhost``) on the bound port: a
  DNS-rebinding page sends its own name, so it can read nothing;
- a request a browser marks as coming from another site (``Sec-Fetch-Site``) or whose
  ``Origin`` is not this server; only a top-level GET navigation to the console may come
  from elsewhere (a link), since its answer goes to the user, not to the linking page;
- on the console, a state-changing request without the per-process CSRF token (a hidden
  form field, or the ``X-CSRF-Token`` header);
- on the endpoint, an unsigned request: SDK clients sign every call (moto checks no
  signature, but a page cannot make one without a preflight that the rule above refuses);
  the console's drop page, which PUTs unsigned, sends the CSRF token instead;
- on a bind beyond loopback, any request without the per-process access token, presented
  as the access key id of a signed request (``Credential=TOKEN/...``, or
  ``X-Amz-Credential`` in a presigned URL), as ``Authorization: Bearer TOKEN``, or by the
  cookie that opening a console URL with ``?token=TOKEN`` sets (as Jupyter does).

Tokens are compared with ``hmac.compare_digest``.
"""

from __future__ import annotations

import hmac
import io
import ipaddress
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
TOKEN_QUERY = "token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: A form the console posts is a button and a token: anything larger is not one of ours.
MAX_FORM_BYTES = 64 * 1024
WILDCARD = frozenset({"0.0.0.0", "::", ""})  # noqa: S104 - names, not a bind

_SIGV4 = re.compile(r"Credential=([^/,\s]+)/")
_SIGV2 = re.compile(r"^AWS ([^:\s]+):")

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Policy:
    """What the server bound, and this process's tokens."""

    host: str
    port: int
    #: Needed by every client when the bind is beyond loopback; None on loopback.
    token: str | None
    csrf_token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    console: str = "/_console"

    @classmethod
    def for_bind(cls, host: str, port: int, console: str = "/_console") -> "Policy":
        # Hex: valid in a SigV4 credential scope and in any access-key field a client has.
        token = None if is_loopback(host) else secrets.token_hex(24)
        return cls(host=host, port=port, token=token, console=console)

    @property
    def cookie_name(self) -> str:
        return f"article-pipeline-token-{self.port}"  # cookies ignore ports: one per server

    def names_us(self, authority: str, scheme: str | None = "http") -> bool:
        """Whether ``host[:port]`` (a Host header, an Origin's netloc) is this server."""
        try:
            parts = urlsplit(f"//{authority}")
            name, port = parts.hostname, parts.port or 80
        except ValueError:
            return False
        if not name or port != self.port or scheme != "http":
            return False
        bound = self.host.strip("[]").lower()
        if name in ("localhost", bound):
            return True
        # A wildcard bind answers on every address of the machine. An address literal is
        # no rebinding: the browser reached the address it names.
        return bound in WILDCARD and _is_ip(name)


def presented_tokens(environ: dict, policy: Policy) -> list[str]:
    """Every value a request offers as the access token."""
    found = []
    authorization = environ.get("HTTP_AUTHORIZATION", "")
    if authorization.startswith("Bearer "):
        found.append(authorization[len("Bearer "):].strip())
    found += _SIGV4.findall(authorization)[:1] + _SIGV2.findall(authorization)
    query = parse_qs(environ.get("QUERY_STRING", ""))
    found += [value.split("/", 1)[0] for value in query.get("X-Amz-Credential", [])[:1]]
    found += query.get("AWSAccessKeyId", [])[:1]
    cookie = SimpleCookie()
    try:
        cookie.load(environ.get("HTTP_COOKIE", ""))
    except Exception:  # noqa: BLE001 - a malformed cookie header presents nothing
        pass
    if policy.cookie_name in cookie:
        found.append(cookie[policy.cookie_name].value)
    return found


def _matches(candidates: Iterable[str], secret: str) -> bool:
    expected = secret.encode()
    return any(hmac.compare_digest(candidate.encode(), expected) for candidate in candidates)


def is_signed(environ: dict) -> bool:
    """An AWS request signature, in the header or a presigned URL (its value is not checked)."""
    authorization = environ.get("HTTP_AUTHORIZATION", "")
    if authorization.startswith(("AWS4-HMAC-SHA256 ", "AWS ")):
        return True
    query = parse_qs(environ.get("QUERY_STRING", ""))
    return "X-Amz-Signature" in query or ("Signature" in query and "AWSAccessKeyId" in query)


class AccessGuard:
    """WSGI middleware: the rules of this module in front of ``app``."""

    def __init__(self, app: WSGIApp, policy: Policy) -> None:
        self.app = app
        self.policy = policy

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        refusal = self.refusal(environ)
        if refusal:
            return _respond(start_response, "403 Forbidden", refusal + "\n")
        if self.policy.token and self._on_console(environ) and TOKEN_QUERY in parse_qs(environ.get("QUERY_STRING", "")):
            return self._set_cookie(environ, start_response)
        return self.app(environ, start_response)

    def _on_console(self, environ: dict) -> bool:
        path = environ.get("PATH_INFO", "")
        return path == self.policy.console or path.startswith(self.policy.console + "/")

    def refusal(self, environ: dict) -> str | None:
        """Why the request is refused, or None."""
        policy, method = self.policy, environ.get("REQUEST_METHOD", "GET").upper()
        console = self._on_console(environ)
        host = environ.get("HTTP_HOST")
        if not host or not policy.names_us(host):
            return f"Host {host!r} is not this server: use {policy.host}:{policy.port} or localhost:{policy.port}"

        origin = environ.get("HTTP_ORIGIN")
        if origin is not None:
            parts = urlsplit(origin)
            if origin == "null" or not policy.names_us(parts.netloc, parts.scheme):
                return f"requests from {origin} are not served"
        site = environ.get("HTTP_SEC_FETCH_SITE", "")
        navigation = method == "GET" and environ.get("HTTP_SEC_FETCH_MODE") == "navigate"
        if site in ("cross-site", "same-site") and not (console and navigation):
            return "requests from other sites are not served"

        if policy.token and not _matches(self._tokens(environ, console), policy.token):
            return "this server wants its access token (printed when it started): as the access key id, as a Bearer token, or ?token= on the console"

        csrf = environ.get("HTTP_" + CSRF_HEADER.upper().replace("-", "_"), "")
        if console and method not in SAFE_METHODS:
            if not _matches([csrf, *_form_field(environ, CSRF_FIELD)], policy.csrf_token):
                return "the console's form token is missing or wrong: reload the page"
        elif not console and not is_signed(environ) and not _matches([csrf], policy.csrf_token):
            bearer = environ.get("HTTP_AUTHORIZATION", "").startswith("Bearer ")
            if not (bearer and policy.token):  # a valid Bearer token (checked above) will do
                return "unsigned requests are not served: use an AWS SDK or CLI (any credentials will do)"
        return None

    def _tokens(self, environ: dict, console: bool) -> list[str]:
        tokens = presented_tokens(environ, self.policy)
        if console:
            tokens += parse_qs(environ.get("QUERY_STRING", "")).get(TOKEN_QUERY, [])[:1]
        return tokens

    def _set_cookie(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """``?token=`` (valid: checked in ``refusal``): keep it in a cookie, and show the URL without it."""
        query = [(k, v) for k, v in parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True) if k != TOKEN_QUERY]
        location = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "") + (f"?{urlencode(query)}" if query else "")
        cookie = f"{self.policy.cookie_name}={self.policy.token}; Path=/; HttpOnly; SameSite=Strict"
        return _respond(start_response, "302 Found", "", [("Location", location), ("Set-Cookie", cookie)])


def _form_field(environ: dict, name: str) -> list[str]:
    """A field of a urlencoded form body, read without taking the body from the app behind."""
    if not environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        return []
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return []
    if not 0 < length <= MAX_FORM_BYTES:
        return []
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    return parse_qs(body.decode("latin-1")).get(name, [])[:1]


def _respond(start_response: Callable, status: str, text: str, headers: list[tuple[str, str]] | None = None) -> list[bytes]:
    body = text.encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body))), *(headers or [])])
    return [body]
