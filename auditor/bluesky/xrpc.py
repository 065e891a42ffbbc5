"""A small XRPC client over httpx: GET queries and POST procedures against one service.

    with XrpcClient("https://bsky.social") as pds:
        page = pds.get("com.atproto.repo.listRecords", repo=did, collection=POST, limit=100)
        car = pds.get_bytes("com.atproto.sync.getRepo", did=did)
        made = pds.post("com.atproto.repo.createRecord", {...}, token=access_jwt)

Every call has a timeout. Rate limits (429) and server errors (5xx, a dropped
connection) are retried with exponential backoff, waiting at least as long as
the service's `retry-after` or `ratelimit-reset` header asks (up to `max_wait`).
POST procedures are retried only where repeating them cannot do a thing twice:
on 429, and when the request never reached the server (connection refused),
unless the caller says the procedure is idempotent.

Failures raise `XrpcError` (the service answered with an error: `status`,
`error` as the XRPC error name, `message`) or `ServiceUnavailable` (it could not
be reached, or kept failing); both carry a one-line message naming the service.
Nothing here logs or prints a request's headers, so a token never leaks.
"""

from __future__ import annotations

import email.utils
import functools
import sys
import time
from typing import Any, Callable

# httpx imports its command-line client (click, rich, pygments: about 80 ms of
# start-up) unless that module is known to be missing; altaudit never runs it.
sys.modules.setdefault("httpx._main", None)
import httpx  # noqa: E402

DEFAULT_TIMEOUT = 20.0  # seconds, per request
DEFAULT_RETRIES = 4
DEFAULT_BACKOFF = 0.5  # seconds before the first retry; doubled each time
CONNECT_RETRIES = 2  # a refused connection is rarely transient: retry it less
USER_AGENT = "altaudit (alt-text auditor)"


@functools.cache
def tls_context():
    """httpx's default TLS settings (certifi's roots), built once a process: each
    client building its own cost start-up about 25 ms, and a run opens several."""
    return httpx.create_ssl_context()


class XrpcError(Exception):
    """The service answered with an error. `error` is the XRPC error name (e.g.
    RecordNotFound, InvalidRequest, RateLimitExceeded) where it gave one."""

    def __init__(self, message: str, *, status: int | None = None, error: str | None = None, nsid: str = ""):
        super().__init__(message)
        self.status = status
        self.error = error
        self.nsid = nsid


class ServiceUnavailable(XrpcError):
    """The service could not be reached, timed out, or kept failing after retries."""


class XrpcClient:
    """One service (a PDS, the PLC directory's host, an AppView) and its calls."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        backoff: float | None = None,
        max_wait: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        http: httpx.Client | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.retries = retries
        self.backoff = DEFAULT_BACKOFF if backoff is None else backoff
        self.max_wait = max_wait
        self._sleep = sleep
        self._own_http = http is None
        self.http = http or httpx.Client(
            timeout=timeout, headers={"User-Agent": USER_AGENT}, follow_redirects=True, verify=tls_context()
        )

    # -- the calls ---------------------------------------------------------------

    def get(self, nsid: str, **params: Any) -> dict:
        """A query (GET /xrpc/NSID?params); the JSON answer. None-valued params are left out."""
        return self._json(self._call("GET", nsid, params=_clean(params)), nsid)

    def get_bytes(self, nsid: str, **params: Any) -> bytes:
        """A query whose answer is bytes (com.atproto.sync.getRepo's CAR, getBlob)."""
        return self._call("GET", nsid, params=_clean(params)).content

    def post(
        self,
        nsid: str,
        body: Any = None,
        *,
        token: str | None = None,
        content: bytes | None = None,
        content_type: str | None = None,
        idempotent: bool = False,
    ) -> dict:
        """A procedure (POST /xrpc/NSID) with a JSON `body`, or raw `content`
        (uploadBlob) of `content_type`; `token` is sent as a bearer token."""
        headers = {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if content is not None:
            headers["Content-Type"] = content_type or "application/octet-stream"
            response = self._call("POST", nsid, content=content, headers=headers, idempotent=idempotent)
        else:
            response = self._call("POST", nsid, json=body if body is not None else {}, headers=headers, idempotent=idempotent)
        return self._json(response, nsid) if response.content else {}

    def close(self) -> None:
        if self._own_http:
            self.http.close()

    def __enter__(self) -> "XrpcClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- retries -------------------------------------------------------------------

    def _call(self, method: str, nsid: str, *, idempotent: bool = False, **kwargs: Any) -> httpx.Response:
        url = f"{self.base_url}/xrpc/{nsid}"
        repeatable = method == "GET" or idempotent
        attempt = 0
        while True:
            try:
                response = self.http.request(method, url, **kwargs)
            except httpx.ConnectError as exc:
                # Never reached the server: safe to repeat any call.
                failure: str = _connect_reason(exc)
                wait = None
                if attempt >= min(self.retries, CONNECT_RETRIES):
                    raise ServiceUnavailable(f"{self.base_url} is unavailable ({failure})", nsid=nsid) from None
            except (httpx.TimeoutException, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
                if not repeatable:
                    raise ServiceUnavailable(
                        f"{self.base_url} stopped answering during {nsid} ({_reason(exc)})", nsid=nsid
                    ) from None
                failure, wait = _reason(exc), None
            except httpx.HTTPError as exc:  # anything else httpx refuses (redirect loops, bad encodings)
                raise ServiceUnavailable(f"{self.base_url} could not be read during {nsid} ({_reason(exc)})", nsid=nsid) from None
            else:
                status = response.status_code
                if status < 400:
                    return response
                retryable = status == 429 or (status >= 500 and repeatable)
                if not retryable or attempt >= self.retries:
                    raise _error(response, nsid, self.base_url)
                failure, wait = f"answered {status}", _asked_wait(response)
                if wait is not None and wait > self.max_wait:
                    raise _error(response, nsid, self.base_url, f"; it asks to wait {wait:.0f} s, try again later")
            if attempt >= self.retries:
                raise ServiceUnavailable(f"{self.base_url} is unavailable ({failure})", nsid=nsid)
            delay = self.backoff * (2**attempt)
            self._sleep(min(self.max_wait, max(delay, wait or 0.0)))
            attempt += 1

    def _json(self, response: httpx.Response, nsid: str) -> dict:
        try:
            data = response.json()
        except ValueError:
            raise XrpcError(f"{self.base_url} answered {nsid} with something that is not JSON", nsid=nsid) from None
        if not isinstance(data, dict):
            raise XrpcError(f"{self.base_url} answered {nsid} with JSON that is not an object", nsid=nsid)
        return data


def _clean(params: dict[str, Any]) -> dict[str, Any]:
    return {key: ("true" if value is True else "false" if value is False else value) for key, value in params.items() if value is not None}


def _asked_wait(response: httpx.Response, now: Callable[[], float] = time.time) -> float | None:
    """Seconds the service asks us to wait: `retry-after` (seconds or an HTTP
    date), else `ratelimit-reset` (the Unix time the window resets)."""
    retry_after = response.headers.get("retry-after")
    if retry_after:
        try:
            return max(0.0, float(retry_after))
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(retry_after)
                return max(0.0, when.timestamp() - now())
            except (TypeError, ValueError):
                pass
    reset = response.headers.get("ratelimit-reset")
    if reset:
        try:
            return max(0.0, float(reset) - now())
        except ValueError:
            pass
    return None


def _error(response: httpx.Response, nsid: str, base_url: str, extra: str = "") -> XrpcError:
    """The service's own error name and message, on one line."""
    error = message = None
    try:
        body = response.json()
        if isinstance(body, dict):
            error = body.get("error") if isinstance(body.get("error"), str) else None
            message = body.get("message") if isinstance(body.get("message"), str) else None
    except ValueError:
        pass
    detail = ": ".join(part for part in (error, message) if part) or response.reason_phrase or "error"
    kind = ServiceUnavailable if response.status_code >= 500 or response.status_code == 429 else XrpcError
    return kind(
        f"{base_url} answered {nsid} with {response.status_code} ({' '.join(detail.split())[:300]}){extra}",
        status=response.status_code,
        error=error,
        nsid=nsid,
    )


def _connect_reason(exc: Exception) -> str:
    text = str(exc)
    if "refused" in text.lower():
        return "connection refused"
    if "name" in text.lower() and ("resolution" in text.lower() or "known" in text.lower()):
        return "its name does not resolve"
    return _reason(exc)


def _reason(exc: Exception) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    text = " ".join(str(exc).split())
    return text[:200] or type(exc).__name__
