"""The network misbehaves: rate limits, server errors, a PDS that goes down mid-audit, Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from pds_fixture import Gateway, start_pds
from typer.testing import CliRunner

from auditor.bluesky.account import AccountPosts, FetchOptions
from auditor.bluesky.identity import Endpoints, resolve_actor
from auditor.bluesky.xrpc import ServiceUnavailable, XrpcClient, XrpcError
from auditor.cli import app
from auditor.model import InputProblem, Post

ALTAUDIT = str(Path(sys.executable).with_name("altaudit"))  # the installed command
POSTS = 130  # two pages of listRecords


def _post(n: int) -> dict:
    return {"$type": "app.bsky.feed.post", "text": f"post {n}", "createdAt": "2024-02-01T10:00:00Z"}


FETCHERS = {"process": "_ForkedPages", "thread": "_ThreadPages"}


@pytest.fixture(params=sorted(FETCHERS))
def fetcher(request, monkeypatch) -> str:
    """Pages fetched by a forked process (chosen where no other thread runs; a
    gateway's thread does, so it is asked for here) or by a thread."""
    monkeypatch.setattr("auditor.bluesky.account._may_fork", lambda: request.param == "process")
    return request.param


def _fetched_by(walk: AccountPosts) -> str:
    return {name: kind for kind, name in FETCHERS.items()}[type(walk._fetching).__name__]


@pytest.fixture(scope="module")
def big_account(local_pds):
    account = local_pds.create_account()
    local_pds.create_records(account, [_post(n) for n in range(POSTS)])
    return account


def test_rate_limit_waits_as_long_as_the_reset_header_says(local_pds, big_account):
    def hook(method, path, count):
        if "listRecords" in path and count == 1:
            reset = str(int(time.time()) + 3)
            return 429, {"ratelimit-reset": reset, "Content-Type": "application/json"}, b'{"error":"RateLimitExceeded"}'
        return None

    waits: list[float] = []
    with Gateway(local_pds.url, hook) as gateway, XrpcClient(gateway.url, sleep=waits.append) as client:
        page = client.get("com.atproto.repo.listRecords", repo=big_account.did, collection="app.bsky.feed.post", limit=5)
    assert len(page["records"]) == 5
    assert len(waits) == 1 and 1.5 < waits[0] <= 3.0  # the reset time, not the 0.5 s backoff


def test_server_errors_are_retried_with_growing_waits_and_retry_after(local_pds, big_account):
    def hook(method, path, count):
        if "listRecords" in path and count <= 3:
            headers = {"Content-Type": "application/json"}
            if count == 3:
                headers["retry-after"] = "4"
            return 503, headers, b'{"error":"Unavailable"}'
        return None

    waits: list[float] = []
    with Gateway(local_pds.url, hook) as gateway, XrpcClient(gateway.url, sleep=waits.append) as client:
        page = client.get("com.atproto.repo.listRecords", repo=big_account.did, collection="app.bsky.feed.post", limit=5)
    assert len(page["records"]) == 5
    assert waits == [0.5, 1.0, 4.0]


def test_errors_that_persist_end_as_one_line(local_pds):
    def hook(method, path, count):
        return 500, {"Content-Type": "application/json"}, b'{"error":"InternalServerError","message":"Internal\\nServer Error"}'

    waits: list[float] = []
    with Gateway(local_pds.url, hook) as gateway, XrpcClient(gateway.url, sleep=waits.append) as client:
        with pytest.raises(ServiceUnavailable) as caught:
            client.get("com.atproto.repo.describeServer")
    assert len(waits) == 4
    assert str(caught.value) == f"{gateway.url} answered com.atproto.repo.describeServer with 500 (InternalServerError: Internal Server Error)"
    # A procedure is not repeated on a 5xx: it may have been done.
    with Gateway(local_pds.url, hook) as gateway, XrpcClient(gateway.url, sleep=waits.append) as client:
        waits.clear()
        with pytest.raises(XrpcError):
            client.post("com.atproto.repo.createRecord", {"repo": "x"})
        assert waits == [] and gateway.counts["com.atproto.repo.createRecord"] == 1


def test_pds_that_stops_mid_audit_yields_what_was_read_and_says_so(monkeypatch, fetcher):
    monkeypatch.setattr("auditor.bluesky.xrpc.DEFAULT_BACKOFF", 0.01)
    pds = start_pds()
    try:
        account = pds.create_account()
        pds.create_records(account, [_post(n) for n in range(POSTS)])
        identity = resolve_actor(account.handle, Endpoints(pds=pds.url))
        items = []
        with XrpcClient(identity.pds) as client:
            walk = AccountPosts(identity, client, FetchOptions(page_size=10))
            for item in walk:
                items.append(item)
                if len(items) == 1:
                    assert _fetched_by(walk) == fetcher
                    pds.stop()  # the server goes away after the first page
    finally:
        pds.stop()
    posts = [i for i in items if isinstance(i, Post)]
    problems = [i for i in items if isinstance(i, InputProblem)]
    # The pages fetched ahead before the server went are audited, the rest is not.
    assert 10 <= len(posts) < POSTS and len(posts) % 10 == 0 and len(problems) == 1
    assert problems[0].message == f"the audit is incomplete, {len(posts)} posts read: {pds.url} is unavailable (connection refused)"


def test_profile_reports_the_partial_audit_when_the_pds_goes_down(local_pds, big_account, monkeypatch, tmp_path):
    """The PDS behind its gateway dies after the first page: the gateway answers 502."""
    monkeypatch.setattr("auditor.bluesky.xrpc.DEFAULT_BACKOFF", 0.01)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))

    def hook(method, path, count):
        if "listRecords" in path and count >= 2:
            return 502, {"Content-Type": "text/html"}, b"<html>502 Bad Gateway</html>"
        return None

    with Gateway(local_pds.url, hook) as gateway:
        result = CliRunner().invoke(app, ["profile", big_account.handle, "--pds-url", gateway.url, "--format", "json"])
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert len(report["posts"]) == 100
    assert report["summary"]["problems"] == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"altaudit: error: at://{big_account.did}: the audit is incomplete, 100 posts read: "
        f"{gateway.url} answered com.atproto.repo.listRecords with 502 (Bad Gateway)"
    ]


def test_ctrl_c_prints_the_partial_report(local_pds, big_account, tmp_path):
    second_page = threading.Event()
    release = threading.Event()

    def hook(method, path, count):
        if "listRecords" in path and count == 2:
            second_page.set()
            release.wait(20)  # the page never comes before Ctrl-C
        return None

    with Gateway(local_pds.url, hook) as gateway:
        env = dict(os.environ, ALTAUDIT_PDS_URL=gateway.url, XDG_CACHE_HOME=str(tmp_path))
        proc = subprocess.Popen(
            [ALTAUDIT, "profile", big_account.handle, "--format", "json"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            assert second_page.wait(30)
            time.sleep(0.2)
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=30)
        finally:
            release.set()
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 2, err
    report = json.loads(out)
    assert len(report["posts"]) == 100
    assert err.decode().strip().splitlines() == [
        f"altaudit: error: at://{big_account.did}: interrupted: the report covers the 100 posts read before Ctrl-C"
    ]


def test_progress_bar_only_on_a_terminal_and_not_for_json(local_pds, big_account, tmp_path):
    import pty

    env = dict(os.environ, ALTAUDIT_PDS_URL=local_pds.url, XDG_CACHE_HOME=str(tmp_path), COLUMNS="100")
    seen = {}
    for fmt in ("terminal", "json"):
        leader, follower = pty.openpty()
        chunks: list[bytes] = []

        def drain(fd=leader, out=chunks):
            # Read while the command runs: a full terminal buffer would block its redraws.
            while True:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                out.append(chunk)

        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
        proc = subprocess.run(
            [ALTAUDIT, "profile", big_account.handle, "--no-cache", "--format", fmt],
            env=env,
            stdout=subprocess.PIPE,
            stderr=follower,
            timeout=120,
        )
        os.close(follower)
        reader.join(10)
        os.close(leader)
        seen[fmt] = (b"".join(chunks).decode(errors="replace"), proc.stdout.decode())
        assert proc.returncode == 0, seen[fmt][0][-500:]
    assert "fetching " + big_account.handle in seen["terminal"][0]
    assert "fetching" not in seen["terminal"][1]  # never on standard output
    assert "fetching" not in seen["json"][0]
    json.loads(seen["json"][1])


def _walk(url: str, did: str, page_size: int = 50, fetcher: str | None = None) -> list[str]:
    identity = resolve_actor(did, Endpoints(pds=url))
    with XrpcClient(url) as client:
        walk = AccountPosts(identity, client, FetchOptions(page_size=page_size))
        items = list(walk)
    assert fetcher is None or _fetched_by(walk) == fetcher
    assert not [i for i in items if isinstance(i, InputProblem)], items
    return [i.source.uri for i in items]


def test_pages_in_any_json_layout_give_the_same_posts_and_requests(local_pds, big_account, fetcher):
    """The next request leaves as soon as the cursor is read from a page's last
    bytes (the PDS writes it last); a page laid out otherwise (cursor first, spaces,
    a "cursor" key inside a record) is decoded whole first, with the same result."""
    direct = _walk(local_pds.url, big_account.did)
    assert len(direct) == POSTS
    for layout in ("cursor first", "spaced", "cursor in a record"):

        def hook(method, path, count, layout=layout):
            if "listRecords" not in path:
                return None
            page = httpx.get(local_pds.url + path, timeout=30).json()
            if layout == "cursor first":
                page = {"cursor": page["cursor"], "records": page["records"]} if "cursor" in page else page
                body = json.dumps(page)
            elif layout == "spaced":
                body = json.dumps(page, indent=2) + "\n"
            else:
                for record in page["records"]:
                    record["value"]["cursor"] = "2222222222222"  # a record's own field, not the page's cursor
                page = {"records": page["records"], **({"cursor": page["cursor"]} if "cursor" in page else {})}
                body = json.dumps(page, separators=(",", ":"))
            return 200, {"Content-Type": "application/json"}, body.encode()

        with Gateway(local_pds.url, hook) as gateway:
            assert _walk(gateway.url, big_account.did, fetcher=fetcher) == direct, layout
        # 130 posts, 50 a page: three pages and the empty one that ends the listing.
        assert gateway.counts["com.atproto.repo.listRecords"] == 4, layout


def test_a_page_that_repeats_its_cursor_ends_the_walk(local_pds, big_account, fetcher):
    """A PDS that answers the same cursor again (or a cursor on an empty page) ends
    the listing instead of being asked for the same page for ever."""

    def hook(method, path, count):
        if "listRecords" not in path:
            return None
        if count == 1:
            return None  # the first 50 posts, from the PDS
        if count == 2:
            return 200, {"Content-Type": "application/json"}, b'{"records":[],"cursor":"3zzzzzzzzzzzz"}'
        return 500, {"Content-Type": "application/json"}, b'{"error":"asked again"}'

    with Gateway(local_pds.url, hook) as gateway:
        uris = _walk(gateway.url, big_account.did, fetcher=fetcher)
    assert len(uris) == 50
    assert gateway.counts["com.atproto.repo.listRecords"] <= 3  # at most one request ahead, never a loop


def test_a_page_that_is_not_json_is_an_incomplete_audit(local_pds, big_account, fetcher):
    def hook(method, path, count):
        if "listRecords" in path and count == 2:
            return 200, {"Content-Type": "application/json"}, b'<html>oops</html>"cursor":"x"}'
        return None

    identity = resolve_actor(big_account.did, Endpoints(pds=local_pds.url))
    with Gateway(local_pds.url, hook) as gateway, XrpcClient(gateway.url) as client:
        items = list(AccountPosts(identity, client, FetchOptions(page_size=50)))
    problems = [i for i in items if isinstance(i, InputProblem)]
    assert len(items) == 51 and len(problems) == 1
    assert problems[0].message == f"the audit is incomplete, 50 posts read: {gateway.url} answered listRecords with something that is not JSON"


def _gone(pid: int) -> bool:
    """The process has ended (reaped, or a zombie left to its new parent)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def test_the_fetching_process_ends_with_the_walk(local_pds, big_account, fetcher):
    """Stopped early (--max, an error in the report): the child is ended and reaped
    at once, with no zombie left; a thread is told to stop."""
    identity = resolve_actor(big_account.did, Endpoints(pds=local_pds.url))
    with XrpcClient(local_pds.url) as client:
        walk = AccountPosts(identity, client, FetchOptions(page_size=10))
        items = iter(walk)
        assert isinstance(next(items), Post)
        fetching = walk._fetching
        assert _fetched_by(walk) == fetcher
        pid = getattr(fetching, "pid", None)
        items.close()  # what a consumer that stops does
    if fetcher == "process":
        assert pid != os.getpid() and fetching.pid is None
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # ended and reaped
    else:
        assert fetching.done.is_set()


def test_the_fetching_process_ends_when_its_reader_dies(local_pds, big_account):
    """This process killed (no `close`): the child finds its pipe closed and ends."""
    script = (
        "import os, sys\n"
        "from auditor.bluesky.account import AccountPosts, FetchOptions\n"
        "from auditor.bluesky.identity import Endpoints, resolve_actor\n"
        "from auditor.bluesky.xrpc import XrpcClient\n"
        f"identity = resolve_actor({big_account.did!r}, Endpoints(pds={local_pds.url!r}))\n"
        f"client = XrpcClient({local_pds.url!r})\n"
        "walk = AccountPosts(identity, client, FetchOptions(page_size=5))\n"
        "items = iter(walk)\n"
        "next(items)\n"
        "print(type(walk._fetching).__name__, walk._fetching.pid, flush=True)\n"
        "os._exit(0)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True).stdout
    kind, pid = out.split()
    assert kind == "_ForkedPages"
    deadline = time.monotonic() + 20
    while not _gone(int(pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(int(pid))
