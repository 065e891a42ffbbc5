"""Who an account is and where its data lives: handle -> DID -> DID document -> PDS.

- A handle resolves to a DID through the DNS TXT record ``_atproto.HANDLE``
  (``did=did:...``), else ``https://HANDLE/.well-known/atproto-did``; or, when a
  PDS is configured (`Endpoints.pds`), through that PDS's
  ``com.atproto.identity.resolveHandle``.
- A ``did:plc`` document comes from the PLC directory, a ``did:web`` one from
  ``https://HOST/.well-known/did.json``; its ``#atproto_pds`` service names the
  PDS, its ``alsoKnownAs`` the handle.

`resolve_actor(actor, endpoints)` does the whole walk and returns an `Identity`.
Errors are `IdentityError`, one line each ("no account has the handle ...").
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import unquote

from .xrpc import ServiceUnavailable, XrpcClient, XrpcError, tls_context

DEFAULT_PLC_URL = "https://plc.directory"
DEFAULT_APPVIEW_URL = "https://public.api.bsky.app"

_HANDLE = re.compile(r"^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$")
_DID = re.compile(r"^did:(plc|web):[a-zA-Z0-9._:%-]+$")


class IdentityError(Exception):
    """An account that cannot be found or whose identity cannot be read (one line)."""


@dataclass(frozen=True)
class Endpoints:
    """The services altaudit talks to. `pds` set: read every account from it
    and resolve handles through it (how the tests use a local PDS)."""

    pds: str | None = None
    plc: str = DEFAULT_PLC_URL
    appview: str = DEFAULT_APPVIEW_URL
    timeout: float = 20.0

    @classmethod
    def from_env(cls, pds: str | None = None, plc: str | None = None, appview: str | None = None) -> "Endpoints":
        """Options first, then ALTAUDIT_PDS_URL, ALTAUDIT_PLC_URL, ALTAUDIT_APPVIEW_URL, then the real network."""
        pds = pds or os.environ.get("ALTAUDIT_PDS_URL") or None
        plc = plc or os.environ.get("ALTAUDIT_PLC_URL") or DEFAULT_PLC_URL
        appview = appview or os.environ.get("ALTAUDIT_APPVIEW_URL") or DEFAULT_APPVIEW_URL
        for name, url in (("--pds-url / ALTAUDIT_PDS_URL", pds), ("--plc-url / ALTAUDIT_PLC_URL", plc), ("ALTAUDIT_APPVIEW_URL", appview)):
            if url is not None:
                _check_url(name, url)
        return cls(pds=pds.rstrip("/") if pds else None, plc=plc.rstrip("/"), appview=appview.rstrip("/"))


def _check_url(name: str, url: str) -> None:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise IdentityError(f"{name}: '{url}' is not an http:// or https:// address")


@dataclass(frozen=True)
class Identity:
    did: str
    handle: str | None  # None when the DID document names none
    pds: str  # base URL of the account's PDS


def is_did(actor: str) -> bool:
    return bool(_DID.match(actor))


def normalise_handle(actor: str) -> str:
    """The handle as typed, without a leading @ and in lower case; IdentityError if it is not one."""
    handle = actor.strip().removeprefix("@").lower()
    if not _HANDLE.match(handle):
        raise IdentityError(f"'{actor}' is neither a handle (name.example.com) nor a DID (did:plc:..., did:web:...)")
    return handle


def resolve_actor(actor: str, endpoints: Endpoints) -> Identity:
    """The DID, handle and PDS of a handle or DID."""
    actor = actor.strip()
    if is_did(actor):
        did, handle = actor, None
    else:
        handle = normalise_handle(actor)
        did = resolve_handle(handle, endpoints)
    if endpoints.pds:
        if handle is None:
            handle = _handle_from_pds(did, endpoints)
        return Identity(did=did, handle=handle, pds=endpoints.pds.rstrip("/"))
    document = fetch_did_document(did, endpoints)
    pds = pds_of(document)
    if pds is None:
        raise IdentityError(f"the DID document of {did} names no PDS (#atproto_pds service)")
    _check_url(f"the PDS in the DID document of {did}", pds)
    return Identity(did=did, handle=handle or handle_of(document), pds=pds)


def resolve_handle(handle: str, endpoints: Endpoints) -> str:
    """The DID a handle names. IdentityError when no account has it."""
    if endpoints.pds:
        with XrpcClient(endpoints.pds, timeout=endpoints.timeout) as pds:
            try:
                did = pds.get("com.atproto.identity.resolveHandle", handle=handle).get("did")
            except ServiceUnavailable as exc:
                raise IdentityError(f"cannot resolve the handle {handle}: {exc}") from None
            except XrpcError as exc:
                if exc.status == 400:
                    raise IdentityError(f"no account has the handle {handle} (on {endpoints.pds})") from None
                raise IdentityError(f"cannot resolve the handle {handle}: {exc}") from None
        if not isinstance(did, str) or not is_did(did):
            raise IdentityError(f"{endpoints.pds} answered no DID for the handle {handle}")
        return did
    did = _did_from_dns(handle) or _did_from_https(handle, endpoints.timeout)
    if did is None:
        raise IdentityError(f"no account has the handle {handle} (no _atproto DNS record, no /.well-known/atproto-did)")
    return did


def _did_from_dns(handle: str) -> str | None:
    import dns.exception
    import dns.resolver

    try:
        answer = dns.resolver.resolve(f"_atproto.{handle}", "TXT", lifetime=5.0)
    except (dns.exception.DNSException, OSError):
        return None
    return did_from_txt(b"".join(part for part in record.strings).decode("ascii", "replace") for record in answer)


def did_from_txt(values) -> str | None:
    """The DID in ``_atproto`` TXT values (``did=did:plc:...``); None unless exactly one."""
    dids = {value.strip()[4:] for value in values if value.strip().startswith("did=")}
    dids = {did for did in dids if is_did(did)}
    return dids.pop() if len(dids) == 1 else None


def _did_from_https(handle: str, timeout: float) -> str | None:
    import httpx

    try:
        response = httpx.get(
            f"https://{handle}/.well-known/atproto-did", timeout=min(timeout, 10.0), follow_redirects=False, verify=tls_context()
        )
    except httpx.HTTPError:
        return None
    if response.status_code != 200:
        return None
    did = response.text.strip().split("\n")[0].strip()
    return did if is_did(did) else None


def fetch_did_document(did: str, endpoints: Endpoints) -> dict:
    """The DID document of a did:plc (from the PLC directory) or did:web DID."""
    import httpx

    if did.startswith("did:plc:"):
        url = f"{endpoints.plc}/{did}"
    elif did.startswith("did:web:"):
        raw = did[len("did:web:") :]
        if ":" in raw:  # did:web:host:path:segments
            raise IdentityError(f"{did}: a did:web with a path is not a Bluesky account")
        host = unquote(raw)  # a port is written %3A
        url = f"https://{host}/.well-known/did.json"
    else:
        raise IdentityError(f"{did}: only did:plc and did:web accounts exist on Bluesky")
    try:
        response = httpx.get(url, timeout=endpoints.timeout, follow_redirects=True, verify=tls_context())
    except httpx.HTTPError as exc:
        raise IdentityError(f"cannot read the DID document of {did} from {url} ({' '.join(str(exc).split()) or type(exc).__name__})") from None
    if response.status_code in (404, 410):
        raise IdentityError(f"no account has the DID {did} ({url} answered {response.status_code})")
    if response.status_code != 200:
        raise IdentityError(f"cannot read the DID document of {did}: {url} answered {response.status_code}")
    try:
        document = response.json()
    except ValueError:
        raise IdentityError(f"the DID document of {did} at {url} is not JSON") from None
    if not isinstance(document, dict) or document.get("id") != did:
        raise IdentityError(f"{url} did not answer the DID document of {did}")
    return document


def pds_of(document: dict) -> str | None:
    """The ``#atproto_pds`` service endpoint of a DID document."""
    for service in document.get("service") or []:
        if not isinstance(service, dict):
            continue
        if str(service.get("id", "")).endswith("#atproto_pds") and service.get("type") == "AtprotoPersonalDataServer":
            endpoint = service.get("serviceEndpoint")
            if isinstance(endpoint, str) and endpoint.startswith(("https://", "http://")):
                return endpoint.rstrip("/")
    return None


def handle_of(document: dict) -> str | None:
    """The first ``at://`` name in a DID document's ``alsoKnownAs``."""
    for name in document.get("alsoKnownAs") or []:
        if isinstance(name, str) and name.startswith("at://"):
            return name[len("at://") :]
    return None


def _handle_from_pds(did: str, endpoints: Endpoints) -> str | None:
    with XrpcClient(endpoints.pds, timeout=endpoints.timeout) as pds:
        try:
            return pds.get("com.atproto.repo.describeRepo", repo=did).get("handle")
        except ServiceUnavailable as exc:
            raise IdentityError(f"cannot read the account {did}: {exc}") from None
        except XrpcError:
            raise IdentityError(f"no account has the DID {did} (on {endpoints.pds})") from None
