"""Images of posts read from records: their blobs, fetched from the author's PDS.

A record names each image by the CID of its blob. With ``--images``, posts
from record files, API responses, account exports (CAR files hold no blobs),
`profile` and `post` have their images fetched with
``com.atproto.sync.getBlob?did=DID&cid=CID`` from the PDS the author's DID
document names (or the configured one: ``--pds-url``, ALTAUDIT_PDS_URL), the
bytes checked against the CID, then read like a draft's local file.

Nothing is fetched twice: a blob's CID (CIDv1, raw codec, sha2-256) holds the
SHA-256 of its bytes, which is the key the image cache (cache.py) keeps what
was read under; an image whose text is cached is not fetched at all.

A blob that cannot be had (not found, the PDS down, bytes that do not match
the CID, a record with no author's DID) is a one-line problem on that image's
`SeenText`; every other image and post is still audited. Once a PDS cannot be
reached, its remaining blobs are not asked for in this run.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from typing import Callable, Iterator

from ..model import Image, Post, SeenText

RAW_CODEC = 0x55
SHA2_256 = 0x12
MAX_BLOB_BYTES = 50_000_000  # Bluesky takes images of 1 MB; anything far larger is not one
_DID_IN_URI = re.compile(r"^at://(did:[a-z]+:[A-Za-z0-9._:%-]+)(?:/|$)")
_B32 = re.compile(r"^b[a-z2-7]+$")


class BlobProblem(Exception):
    """One line: why a blob could not be had."""


def cid_text(cid: str | bytes) -> str:
    """A CID as text: base32 multibase (``b...``), as getBlob takes it."""
    if isinstance(cid, bytes):
        return "b" + base64.b32encode(cid).decode("ascii").lower().rstrip("=")
    return cid


def sha256_of_cid(cid: str | bytes) -> str:
    """The hex SHA-256 a blob CID names (CIDv1, base32, raw codec, sha2-256);
    BlobProblem for any other kind of CID."""
    cid = cid_text(cid)
    if not _B32.match(cid):
        raise BlobProblem(f"the blob's CID {cid[:80]!r} is not a base32 CIDv1")
    text = cid[1:].upper()
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except ValueError:
        raise BlobProblem(f"the blob's CID {cid[:80]!r} cannot be decoded") from None
    # version 1, codec raw (0x55), multihash sha2-256 (0x12) of 32 bytes (0x20): all one-byte varints
    if len(raw) != 36 or raw[0] != 1 or raw[1] != RAW_CODEC or raw[2] != SHA2_256 or raw[3] != 32:
        raise BlobProblem(f"the blob's CID {cid[:80]!r} is not a raw sha2-256 CIDv1, which Bluesky blobs are")
    return raw[4:].hex()


def author_did(post: Post, image: Image) -> str | None:
    """The DID of the repository a record came from, from its at:// URI."""
    for uri in (image.source.uri, post.source.uri):
        found = _DID_IN_URI.match(uri or "")
        if found:
            return found.group(1)
    return None


@dataclass
class BlobStats:
    fetched: int = 0  # getBlob requests that gave the blob
    cached: int = 0  # images whose text came from the cache: no request
    failed: int = 0  # images left unread: a note on each

    def line(self) -> str:
        return f"images of records: {self.fetched} fetched with getBlob, {self.cached} from the cache, {self.failed} not read"


@dataclass
class RemoteBlobs:
    """Where the blobs of records come from. `endpoints` is a bluesky.identity.Endpoints
    (None: from the environment); `known_pds` maps DIDs already resolved to their PDS."""

    endpoints: object | None = None
    known_pds: dict[str, str] = field(default_factory=dict)
    stats: BlobStats = field(default_factory=BlobStats)
    timeout: float = 20.0
    _clients: dict = field(default_factory=dict, repr=False)
    _down: dict[str, str] = field(default_factory=dict, repr=False)  # PDS -> why it cannot be reached
    _no_pds: dict[str, str] = field(default_factory=dict, repr=False)  # DID -> why it has no PDS

    def names(self, image: Image) -> bool:
        """Whether the image names a blob that could be read."""
        from .attach import READABLE_KINDS

        return image.blob is not None and image.kind in READABLE_KINDS

    # -- what attach.py calls ------------------------------------------------------

    def resolve(self, wanted: list[tuple[Post, Image]], reader) -> list[tuple[Image, bytes]]:
        """Sets `seen` on the images whose text is cached or whose blob cannot be
        had; returns (image, bytes) for those left to read."""
        keys: dict[int, str] = {}
        for post, image in wanted:
            try:
                keys[id(image)] = digest_key(sha256_of_cid(image.blob), reader.engine_name)
            except BlobProblem as exc:
                self._failed(image, reader, str(exc))
        cache = getattr(reader, "cache", None)
        known = cache.get_many(sorted(set(keys.values()))) if cache is not None and keys else {}
        to_read: list[tuple[Image, bytes]] = []
        fetched: dict[str, bytes] = {}  # one request for a blob shown twice
        for post, image in wanted:
            key = keys.get(id(image))
            if key is None:
                continue
            if key in known:
                image.seen = known[key]
                self.stats.cached += 1
                continue
            data = fetched.get(image.blob)
            if data is None:
                try:
                    data = self.fetch(post, image)
                except BlobProblem as exc:
                    self._failed(image, reader, str(exc))
                    continue
                fetched[image.blob] = data
            to_read.append((image, data))
        return to_read

    def fetch(self, post: Post, image: Image) -> bytes:
        """The blob's bytes, checked against its CID; BlobProblem when it cannot be had."""
        from ..bluesky.xrpc import ServiceUnavailable, XrpcError

        did = author_did(post, image)
        if did is None:
            raise BlobProblem("blob not fetched: the record has no at:// URI naming its author's DID")
        pds = self.pds_for(did)
        if pds in self._down:
            raise BlobProblem(f"blob not fetched: {self._down[pds]}")
        try:
            data = self._client(pds).get_bytes("com.atproto.sync.getBlob", did=did, cid=cid_text(image.blob))
        except ServiceUnavailable as exc:
            self._down[pds] = str(exc)
            raise BlobProblem(f"blob not fetched: {exc}") from None
        except XrpcError as exc:
            if exc.status in (400, 404) or exc.error in ("BlobNotFound", "RepoNotFound"):
                raise BlobProblem(f"blob not found on {pds} (deleted, or never uploaded): {cid_text(image.blob)}") from None
            raise BlobProblem(f"blob not fetched: {exc}") from None
        if len(data) > MAX_BLOB_BYTES:
            raise BlobProblem(f"blob not read: {len(data):,} bytes is far more than an image on Bluesky")
        if hashlib.sha256(data).hexdigest() != sha256_of_cid(image.blob):
            raise BlobProblem(f"blob not read: the bytes {pds} served do not match the CID {cid_text(image.blob)}")
        self.stats.fetched += 1
        return data

    def pds_for(self, did: str) -> str:
        """The PDS that holds a DID's blobs: the configured one, else its DID document's."""
        if did in self.known_pds:
            return self.known_pds[did]
        if did in self._no_pds:
            raise BlobProblem(self._no_pds[did])
        from ..bluesky.identity import Endpoints, IdentityError, fetch_did_document, pds_of

        endpoints = self.endpoints
        if endpoints is None:
            try:
                endpoints = self.endpoints = Endpoints.from_env()
            except IdentityError as exc:
                self._no_pds[did] = f"blob not fetched: {exc}"
                raise BlobProblem(self._no_pds[did]) from None
        if endpoints.pds:
            pds = endpoints.pds
        else:
            try:
                pds = pds_of(fetch_did_document(did, endpoints))
            except IdentityError as exc:
                self._no_pds[did] = f"blob not fetched: {exc}"
                raise BlobProblem(self._no_pds[did]) from None
            if pds is None:
                self._no_pds[did] = f"blob not fetched: the DID document of {did} names no PDS"
                raise BlobProblem(self._no_pds[did])
        self.known_pds[did] = pds
        return pds

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        self._clients.clear()

    # -- helpers ---------------------------------------------------------------------

    def _client(self, pds: str):
        client = self._clients.get(pds)
        if client is None:
            from ..bluesky.xrpc import XrpcClient

            # Few retries: a PDS that is down costs each image its wait.
            client = self._clients[pds] = XrpcClient(pds, timeout=self.timeout, retries=2)
        return client

    def _failed(self, image: Image, reader, why: str) -> None:
        self.stats.failed += 1
        image.seen = SeenText([], reader.engine_name, 0.0, problem=why)


def digest_key(digest: str, engine_name: str) -> str:
    """The image cache's key for bytes of this SHA-256 (read.content_key without the bytes)."""
    from .engines import ENGINES
    from .read import LOADER_VERSION

    return f"{digest}:{engine_name}:{ENGINES[engine_name].version()}:{LOADER_VERSION}"



def noting_blobs(items: Iterator, blobs: RemoteBlobs, note: Callable[[str], None]) -> Iterator:
    """The items; once they end, one note of what was fetched and the connections closed."""
    try:
        yield from items
    finally:
        blobs.close()
    stats = blobs.stats
    if stats.fetched or stats.cached or stats.failed:
        note(stats.line())
