"""A real PDS on loopback for the Bluesky tests.

`local_pds` (session-scoped) starts tests/pds/server.js once per test run: the reference
PDS from npm (@atproto/pds) with an in-memory PLC directory, both bound to 127.0.0.1 on
free ports. It yields a `LocalPDS` with the two URLs and helpers that create accounts,
upload blobs and write records through plain XRPC calls. `start_pds()` starts a private
one for a test that needs to stop it (the server going down mid-audit).

The PDS is installed by `npm ci` in tests/pds (see .ci/run); without it the tests fail
and say so: they are never skipped.
"""

from __future__ import annotations

import itertools
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

PDS_DIR = Path(__file__).parent / "pds"
START_TIMEOUT_S = 60
PASSWORD = "test-password-not-secret"
_names = itertools.count(1)


@dataclass
class Account:
    handle: str
    did: str
    access_jwt: str
    password: str = PASSWORD


@dataclass
class LocalPDS:
    url: str
    plc_url: str
    admin_password: str
    process: subprocess.Popen

    def env(self) -> dict[str, str]:
        """The environment variables that point altaudit at this PDS and PLC."""
        return {"ALTAUDIT_PDS_URL": self.url, "ALTAUDIT_PLC_URL": self.plc_url}

    def xrpc(self, method: str, nsid: str, *, token: str | None = None, **kwargs) -> dict:
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        response = httpx.request(method, f"{self.url}/xrpc/{nsid}", headers=headers, timeout=30, **kwargs)
        if response.status_code != 200:
            raise AssertionError(f"{nsid} answered {response.status_code}: {response.text}")
        return response.json() if response.content else {}

    def create_account(self, name: str | None = None) -> Account:
        """A new account NAME.test (a unique name when none is given)."""
        name = name or f"user{next(_names)}"
        handle = f"{name}.test"
        data = self.xrpc(
            "POST",
            "com.atproto.server.createAccount",
            json={"handle": handle, "email": f"{name}@example.test", "password": PASSWORD},
        )
        return Account(handle=data["handle"], did=data["did"], access_jwt=data["accessJwt"])

    def upload_blob(self, account: Account, data: bytes, mime_type: str = "image/png") -> dict:
        """Uploads bytes; returns the blob reference to put in a record."""
        answer = self.xrpc(
            "POST",
            "com.atproto.repo.uploadBlob",
            token=account.access_jwt,
            content=data,
            headers={"Content-Type": mime_type},
        )
        return answer["blob"]

    def create_records(
        self, account: Account, records: list[dict], collection: str = "app.bsky.feed.post", rkeys: list[str] | None = None
    ) -> list[dict]:
        """Writes records with applyWrites (200 a call); returns [{uri, cid}] in order."""
        results: list[dict] = []
        for start in range(0, len(records), 200):
            writes = []
            for offset, value in enumerate(records[start : start + 200]):
                write = {"$type": "com.atproto.repo.applyWrites#create", "collection": collection, "value": value}
                if rkeys:
                    write["rkey"] = rkeys[start + offset]
                writes.append(write)
            answer = self.xrpc(
                "POST",
                "com.atproto.repo.applyWrites",
                token=account.access_jwt,
                json={"repo": account.did, "writes": writes},
            )
            results.extend({"uri": r["uri"], "cid": r["cid"]} for r in answer["results"])
        return results

    def create_record(self, account: Account, value: dict, collection: str = "app.bsky.feed.post") -> dict:
        return self.create_records(account, [value], collection)[0]

    def delete_record(self, account: Account, rkey: str, collection: str = "app.bsky.feed.post") -> None:
        self.xrpc(
            "POST",
            "com.atproto.repo.deleteRecord",
            token=account.access_jwt,
            json={"repo": account.did, "collection": collection, "rkey": rkey},
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_pds() -> LocalPDS:
    """Starts a PDS and PLC on loopback and waits until the PDS is healthy."""
    if not (PDS_DIR / "node_modules" / "@atproto" / "pds").is_dir():
        raise RuntimeError(
            "the test PDS is not installed: run `npm ci` in tests/pds with "
            "npm_config_build_from_source=better-sqlite3 npm_config_nodedir=/usr (see .ci/run)"
        )
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("the test PDS needs Node.js 20 (`node` is not on PATH)")
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [node, str(PDS_DIR / "server.js")],
        cwd=PDS_DIR,
        stdin=subprocess.PIPE,  # the server exits when this closes
        stdout=subprocess.PIPE,
        # a file, not a pipe: a chatty server must never block on a full pipe
        stderr=log,
        env={k: v for k, v in os.environ.items() if not k.startswith("PDS_")},
    )
    deadline = time.monotonic() + START_TIMEOUT_S
    line = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.2)
        if ready:
            line = process.stdout.readline()
            break
        if process.poll() is not None:
            break
    if not line:
        process.kill()
        process.wait()
        log.seek(0)
        raise RuntimeError(f"the test PDS did not start: {log.read().decode(errors='replace')[-2000:]}")
    info = json.loads(line)
    pds = LocalPDS(url=info["pds"], plc_url=info["plc"], admin_password=info["admin_password"], process=process)
    httpx.get(f"{pds.url}/xrpc/_health", timeout=10).raise_for_status()
    return pds


@pytest.fixture(scope="session")
def local_pds():
    pds = start_pds()
    try:
        yield pds
    finally:
        pds.stop()


@pytest.fixture
def pds_env(local_pds, monkeypatch, tmp_path):
    """Points altaudit at the session's PDS, with a private cache folder."""
    for name, value in local_pds.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return local_pds


# -- a seeded account: every embed kind that carries a description -------------------------

IMAGES_DIR = Path(__file__).parent / "fixtures" / "drafts" / "images"
GOOD_ALT = "Volunteers hand out bags of vegetables from a stall outside the community centre."


def _post(text: str, created: str, embed: dict | None = None, **extra) -> dict:
    value = {"$type": "app.bsky.feed.post", "text": text, "createdAt": created, "langs": ["en"], **extra}
    if embed is not None:
        value["embed"] = embed
    return value


def _images(*pairs: tuple[dict, str]) -> dict:
    return {
        "$type": "app.bsky.embed.images",
        "images": [{"image": blob, "alt": alt, "aspectRatio": {"width": 1200, "height": 675}} for blob, alt in pairs],
    }


def seed_account(pds: LocalPDS, name: str | None = None) -> tuple[Account, dict[str, str]]:
    """An account with one post of each kind; returns it and {label: at:// URI}.

    good      images, a good description            (no finding expected)
    empty     images, an empty description          A101
    filename  images, a camera file name            A103
    video     a video described "Image of ..."       W301
    quote     a quote post whose media has no alt    A101
    gif       a GIF card with the provider's alt     A105
    reply     a reply whose image is "DSC03852"      A103
    text      text only, no media
    """
    account = pds.create_account(name)
    png = (IMAGES_DIR / "event-banner.png").read_bytes()
    chart = (IMAGES_DIR / "visitors-chart.png").read_bytes()
    banner = pds.upload_blob(account, png, "image/png")
    graph = pds.upload_blob(account, chart, "image/png")
    video = pds.upload_blob(account, b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64, "video/mp4")
    uris: dict[str, str] = {}
    good = pds.create_record(
        account, _post("Our food stall is open every Saturday.", "2024-03-02T10:00:00.000Z", _images((banner, GOOD_ALT)))
    )
    uris["good"] = good["uri"]
    strong = {"uri": good["uri"], "cid": good["cid"]}
    rest = [
        ("empty", _post("Saturday's stall in pictures.", "2024-03-09T10:00:00.000Z", _images((graph, "")))),
        ("filename", _post("Visitor numbers this year.", "2024-04-06T10:00:00.000Z", _images((graph, "IMG_0392.jpeg")))),
        (
            "video",
            _post(
                "The choir rehearsal.",
                "2024-04-13T10:00:00.000Z",
                {"$type": "app.bsky.embed.video", "video": video, "alt": "Image of the choir singing in the church hall."},
            ),
        ),
        (
            "quote",
            _post(
                "Look at this!",
                "2024-05-04T10:00:00.000Z",
                {
                    "$type": "app.bsky.embed.recordWithMedia",
                    "record": {"$type": "app.bsky.embed.record", "record": strong},
                    "media": _images((banner, "")),
                },
            ),
        ),
        (
            "gif",
            _post(
                "Friday feeling",
                "2024-05-10T10:00:00.000Z",
                {
                    "$type": "app.bsky.embed.external",
                    "external": {
                        "uri": "https://media.tenor.com/abc/dancing.gif",
                        "title": "Dancing",
                        "description": "ALT: a cat dancing",
                    },
                },
            ),
        ),
        (
            "reply",
            _post(
                "And the stall at noon.",
                "2024-05-11T10:00:00.000Z",
                _images((banner, "DSC03852")),
                reply={"root": strong, "parent": strong},
            ),
        ),
        ("text", _post("No pictures today, just thanks to everyone who came.", "2024-05-12T10:00:00.000Z")),
    ]
    written = pds.create_records(account, [value for _label, value in rest])
    for (label, _value), made in zip(rest, written):
        uris[label] = made["uri"]
    return account, uris


# -- a gateway in front of a PDS, to make the network misbehave on cue -------------------


class Gateway:
    """A loopback HTTP gateway that forwards every request to `target` (a PDS), as
    the reverse proxy in front of a real PDS does. `hook(method, path, count)` runs
    before each forward (`count`: requests so far to that XRPC method, 1-based); it
    may return (status, headers, body) to answer instead, or block. A PDS that
    cannot be reached is answered 502, as nginx or Caddy answer it."""

    def __init__(self, target: str, hook=None):
        import http.server
        import threading
        from collections import Counter

        self.target = target.rstrip("/")
        self.hook = hook
        self.counts: Counter[str] = Counter()
        gateway = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                nsid = self.path.split("?", 1)[0].removeprefix("/xrpc/")
                gateway.counts[nsid] += 1
                answer = gateway.hook(self.command, self.path, gateway.counts[nsid]) if gateway.hook else None
                if answer is None:
                    headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length", "connection")}
                    try:
                        upstream = httpx.request(self.command, gateway.target + self.path, headers=headers, content=body, timeout=30)
                        answer = (upstream.status_code, {"Content-Type": upstream.headers.get("content-type", "application/json")}, upstream.content)
                    except httpx.HTTPError:
                        answer = (502, {"Content-Type": "text/html"}, b"<html>502 Bad Gateway</html>")
                status, extra, content = answer
                self.send_response(status)
                for key, value in extra.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_POST = _forward

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
