"""Publishing a draft to Bluesky, once: `altaudit publish DRAFT`.

The steps, each safe to repeat after a run that was killed at any point:

1. `prepare` reads the draft (the same reader as `check`) and its image files:
   the type and size of each image from its header (Pillow), within Bluesky's
   limits (2,000,000 bytes an image, 300 graphemes of text), and the draft's
   *digest*, a SHA-256 over the draft's bytes and every image's bytes.
2. The caller audits the post with the engine and refuses a failing draft.
3. `ledger.Ledger` (a JSON file in the user's data folder, never the cache: emptying
   the cache must not forget what was posted) says whether this digest was
   published. Before anything is sent, the ledger records a *pending* entry
   with the record key the post will have: a TID, fixed from then on.
4. `publish` logs in, looks for a record at that key (`getRecord`): one is
   there when an earlier run was killed after creating the post but before the
   ledger was updated. Otherwise it uploads the images (`uploadBlob`, the same
   bytes give the same blob) and creates the post at that key (`createRecord`
   with `rkey`): a second create at the same key fails instead of posting
   twice. The ledger then records the URI and CID. Images go up without their
   metadata (strip_metadata.py); links, mentions and hashtags become facets
   (richtext.py).

The draft file is only read, never written. Credentials (`Credentials`) live
in memory only: nothing here prints, logs or stores them, and errors quote
the service's answer, which does not contain them.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from .errors import InputError
from .ledger import Ledger, LedgerError
from .model import Post

POST_COLLECTION = "app.bsky.feed.post"
IMAGES_EMBED = "app.bsky.embed.images"
MAX_IMAGE_BYTES = 2_000_000  # app.bsky.embed.images#image: maxSize
MAX_TEXT_GRAPHEMES = 300  # app.bsky.feed.post: maxGraphemes
MAX_TEXT_BYTES = 3000  # app.bsky.feed.post: maxLength (UTF-8 bytes)
# Pillow's format name -> the MIME type Bluesky accepts for an image blob.
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
# EXIF orientations that turn the picture a quarter: width and height swap on screen.
QUARTER_TURNS = {5, 6, 7, 8}


class PublishError(Exception):
    """Publishing failed or cannot start; one line for the user (exit status 2)."""


# --- the draft -------------------------------------------------------------------


@dataclass
class MediaFile:
    """One image of the draft as it will be uploaded."""

    path: Path
    name: str  # as the draft names it
    alt: str
    mime_type: str
    width: int
    height: int
    size: int  # bytes, as uploaded (without metadata)
    orientation: int | None = None  # JPEG's EXIF orientation, kept in the upload

    def upload_bytes(self) -> bytes:
        """The file without its metadata (GPS position, camera, time: see strip_metadata)."""
        from .strip_metadata import strip

        return strip(self.path.read_bytes(), self.mime_type, self.orientation)


@dataclass
class PreparedDraft:
    path: Path
    post: Post
    media: list[MediaFile]
    digest: str  # hex SHA-256 over the draft and its images

    @property
    def text(self) -> str:
        return self.post.text


def prepare(path: str) -> PreparedDraft:
    """The draft at `path`, checked against what Bluesky accepts, with its digest.
    InputError (one line) for a draft that cannot be published."""
    from .inputs.drafts import is_draft, read_draft

    draft_path = Path(path)
    if draft_path.is_dir():
        raise InputError("is a folder: publish takes one draft file", path=path)
    try:
        data = draft_path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the draft: {exc.strerror or exc}", path=path) from None
    if not is_draft(data[:8].decode("utf-8", "ignore")):
        raise InputError("not a draft: a draft is Markdown that opens with +++ front matter", path=path)
    post = read_draft(path, data)
    _check_text(post.text, path)
    digest = hashlib.sha256()
    digest.update(b"altaudit draft\0" + data)
    media = []
    for image in post.images:
        file = draft_path.parent / (image.file or "")
        media.append(_media_file(file, image.file or "", image.alt or "", path, image.source.line))
        digest.update(b"\0image\0" + file.read_bytes())
    return PreparedDraft(draft_path, post, media, digest.hexdigest())


def _check_text(text: str, path: str) -> None:
    import regex

    graphemes = len(regex.findall(r"\X", text))
    if graphemes > MAX_TEXT_GRAPHEMES:
        raise InputError(
            f"the post text is {graphemes} characters long: a Bluesky post holds at most {MAX_TEXT_GRAPHEMES}", path=path
        )
    size = len(text.encode("utf-8"))
    if size > MAX_TEXT_BYTES:
        raise InputError(f"the post text is {size:,} bytes in UTF-8: a Bluesky post holds at most {MAX_TEXT_BYTES:,}", path=path)


def _media_file(file: Path, name: str, alt: str, draft: str, line: int | None) -> MediaFile:
    from PIL import Image, UnidentifiedImageError

    where = f"image '{name}'"
    try:
        with Image.open(file) as picture:  # reads the header only
            kind = picture.format or ""
            width, height = picture.size
            orientation = picture.getexif().get(0x0112) if kind == "JPEG" else None
            if not (isinstance(orientation, int) and 1 <= orientation <= 8):
                orientation = None
    except (UnidentifiedImageError, OSError, ValueError):
        raise InputError(f"{where} is not an image altaudit can publish (PNG, JPEG, GIF or WebP)", draft, line) from None
    if kind not in IMAGE_TYPES:
        raise InputError(f"{where} is {kind or 'an unknown format'}: publish PNG, JPEG, GIF or WebP images", draft, line)
    media = MediaFile(file, name, alt, IMAGE_TYPES[kind], width, height, 0, orientation)
    size = media.size = len(media.upload_bytes())
    if size > MAX_IMAGE_BYTES:
        raise InputError(
            f"{where} is {size:,} bytes: Bluesky takes at most {MAX_IMAGE_BYTES:,} bytes an image; make it smaller",
            draft,
            line,
        )
    if orientation in QUARTER_TURNS:
        media.width, media.height = height, width
    return media


# --- record keys ------------------------------------------------------------------

_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"


def make_tid(micros: int, clock_id: int) -> str:
    """A record key in the TID form (atproto spec: 64 bits, top bit 0, 53 bits of
    microseconds since the epoch and a 10-bit clock id, base32-sortable)."""
    value = ((micros & ((1 << 53) - 1)) << 10) | (clock_id & 0x3FF)
    return "".join(_TID_ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(13)))


def new_rkey(digest: str, now: Callable[[], float] = time.time) -> str:
    """The post's record key: now, with a clock id taken from the draft's digest."""
    return make_tid(int(now() * 1_000_000), int(digest[:3], 16))


# --- credentials ------------------------------------------------------------------


@dataclass(frozen=True)
class Credentials:
    handle: str
    password: str = field(repr=False)  # never in a repr, a log or a traceback's locals print


def credentials(environ=os.environ, stdin=None, prompt: Callable[[str], str] | None = None) -> Credentials:
    """ALTAUDIT_HANDLE and ALTAUDIT_APP_PASSWORD, or asked for on the terminal
    (the password without echo). PublishError when one is missing and no terminal
    is attached to ask."""
    import getpass

    stdin = stdin or sys.stdin
    handle = (environ.get("ALTAUDIT_HANDLE") or "").strip()
    password = environ.get("ALTAUDIT_APP_PASSWORD") or ""
    if handle and password:
        return Credentials(handle, password)
    if not (stdin is not None and stdin.isatty()):
        missing = " and ".join(
            name for name, value in (("ALTAUDIT_HANDLE", handle), ("ALTAUDIT_APP_PASSWORD", password)) if not value
        )
        raise PublishError(f"no credentials to publish with: set {missing} (an app password), or run in a terminal to be asked")
    if not handle:
        handle = (prompt or input)("Bluesky handle: ").strip()
    if not password:
        password = getpass.getpass(f"App password for {handle}: ")
    if not handle or not password:
        raise PublishError("publishing needs a handle and an app password")
    return Credentials(handle, password)


# --- the network ------------------------------------------------------------------


@dataclass
class Published:
    uri: str
    cid: str
    handle: str
    rkey: str
    already: bool  # True: it was there before this run (nothing was posted now)

    @property
    def link(self) -> str:
        return f"https://bsky.app/profile/{self.handle}/post/{self.rkey}"


def record_for(
    draft: PreparedDraft, blobs: list[dict] | None, created_at: str, resolve: Callable[[str], str | None] | None = None
) -> dict:
    """The app.bsky.feed.post record of the draft; `blobs` None gives placeholders
    (dry run); `resolve` turns mentioned handles into DIDs."""
    record: dict[str, Any] = {"$type": POST_COLLECTION, "text": draft.text, "createdAt": created_at}
    from .richtext import facets

    found = facets(draft.text, resolve)
    if found:
        record["facets"] = found
    if draft.post.langs:
        record["langs"] = list(draft.post.langs)
    if draft.media:
        images = []
        for i, media in enumerate(draft.media):
            blob = blobs[i] if blobs is not None else f"<blob of {media.name}: {media.mime_type}, {media.size} bytes>"
            images.append({"alt": media.alt, "image": blob, "aspectRatio": {"width": media.width, "height": media.height}})
        record["embed"] = {"$type": IMAGES_EMBED, "images": images}
    return record


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def publish(
    draft: PreparedDraft,
    login: Credentials,
    ledger: Ledger,
    *,
    pds_url: str | None = None,
    say: Callable[[str], None] = lambda line: None,
) -> Published:
    """Post the draft once (see the module's docstring for why each step is safe
    to repeat). PublishError for every failure, one line."""
    from .bluesky.identity import Endpoints, IdentityError, resolve_actor
    from .bluesky.xrpc import XrpcClient, XrpcError

    endpoints = Endpoints.from_env(pds=pds_url)
    try:
        identity = resolve_actor(login.handle, endpoints)
    except IdentityError as exc:
        raise PublishError(str(exc)) from None
    with XrpcClient(identity.pds) as pds:
        try:
            session = pds.post(
                "com.atproto.server.createSession", {"identifier": login.handle, "password": login.password}
            )
        except XrpcError as exc:
            if exc.status == 401:
                raise PublishError(f"{identity.pds} refused the handle {login.handle} or its app password") from None
            raise PublishError(str(exc)) from None
        token = session.get("accessJwt")
        did = session.get("did")
        handle = session.get("handle") or login.handle
        if not isinstance(token, str) or not isinstance(did, str):
            raise PublishError(f"{identity.pds} answered the login without a session")

        entry = ledger.get(draft.digest)
        if entry is None or entry.get("did") != did or entry.get("state") != "pending":
            entry = {
                "state": "pending",
                "did": did,
                "handle": handle,
                "rkey": new_rkey(draft.digest),
                "path": str(draft.path.resolve()),
                "started": now_iso(),
            }
            ledger.put(draft.digest, entry)  # before anything is sent: the key is fixed now
        rkey = entry["rkey"]

        try:
            found = _existing(pds, did, rkey)
            if found is not None:
                say(f"the post was created by an earlier run that stopped before recording it: {found['uri']}")
                return _done(ledger, draft, entry, found["uri"], found["cid"], handle, already=True)
            blobs = []
            for number, media in enumerate(draft.media, start=1):
                answer = pds.post(
                    "com.atproto.repo.uploadBlob",
                    token=token,
                    content=media.upload_bytes(),
                    content_type=media.mime_type,
                    idempotent=True,  # the same bytes are the same blob
                )
                blob = answer.get("blob")
                if not isinstance(blob, dict):
                    raise PublishError(f"{identity.pds} answered uploadBlob without a blob")
                blobs.append(blob)
                say(f"uploaded image {number} of {len(draft.media)}: {media.name} ({media.width}×{media.height}, {media.size:,} bytes)")
            record = record_for(draft, blobs, now_iso(), lambda handle: _did_of(handle, endpoints))
            body = {"repo": did, "collection": POST_COLLECTION, "rkey": rkey, "record": record}
            made = _create(pds, body, token, did, rkey)
            uri, cid = made.get("uri"), made.get("cid")
            if not isinstance(uri, str) or not isinstance(cid, str):
                raise PublishError(f"{identity.pds} answered createRecord without the post's URI and CID")
            return _done(ledger, draft, entry, uri, cid, handle, already=False)
        except XrpcError as exc:
            raise PublishError(f"{exc} (running publish again is safe: it never posts twice)") from None


CREATE_ATTEMPTS = 3


def _create(pds, body: dict, token: str, did: str, rkey: str, sleep: Callable[[float], None] = time.sleep) -> dict:
    """createRecord at the fixed record key. When it fails, the post may still
    have been made (the answer was lost): look for it before trying again. A
    repeat at the same key cannot make a second post."""
    from .bluesky.xrpc import ServiceUnavailable, XrpcError

    for attempt in range(CREATE_ATTEMPTS):
        try:
            return pds.post("com.atproto.repo.createRecord", body, token=token)
        except XrpcError as exc:
            found = _existing(pds, did, rkey)
            if found is not None:
                return found
            server_side = isinstance(exc, ServiceUnavailable) or (exc.status or 0) >= 500
            if not server_side or attempt == CREATE_ATTEMPTS - 1:
                raise
            sleep(0.5 * 2**attempt)
    raise AssertionError("unreachable")


def _did_of(handle: str, endpoints) -> str | None:
    """A mentioned handle's DID; None when it names no account (the text stays plain)."""
    from .bluesky.identity import IdentityError, resolve_handle

    try:
        return resolve_handle(handle.lower(), endpoints)
    except IdentityError:
        return None


def _existing(pds, did: str, rkey: str) -> dict | None:
    """The post at `rkey` in the account's repository, or None."""
    from .bluesky.xrpc import XrpcError

    try:
        return pds.get("com.atproto.repo.getRecord", repo=did, collection=POST_COLLECTION, rkey=rkey)
    except XrpcError as exc:
        if exc.status in (400, 404) and exc.error in (None, "RecordNotFound"):
            return None
        raise


def _done(ledger: Ledger, draft: PreparedDraft, entry: dict, uri: str, cid: str, handle: str, *, already: bool) -> Published:
    entry = {**entry, "state": "published", "uri": uri, "cid": cid, "handle": handle, "published": now_iso()}
    try:
        ledger.put(draft.digest, entry)
    except LedgerError as exc:
        # the pending entry is still there: a rerun finds the post at its key
        raise PublishError(f"published as {uri}, but {exc}") from None
    return Published(uri=uri, cid=cid, handle=handle, rkey=entry["rkey"], already=already)


def published_entry(entry: dict) -> Published:
    return Published(entry["uri"], entry["cid"], entry.get("handle") or entry["did"], entry["rkey"], already=True)
