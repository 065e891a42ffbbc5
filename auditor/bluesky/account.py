"""An account's posts, read straight from its PDS with com.atproto.repo.listRecords.

`AccountPosts(identity, client, options, cache)` is an iterable of
`Post | InputProblem`, newest first, that fetches page by page (100 records a
page, following the cursor) as the audit consumes it: nothing is held beyond
one page. After (or during) the iteration it tells what happened:

- `fetched`: records fetched over the network; `cached`: records served from
  the cache (auditor/bluesky/cache.py);
- `incomplete`: None when every post that was asked for was read, else the
  one-line reason the walk stopped early (the PDS went down, Ctrl-C); the
  problem is also yielded as an `InputProblem`, so the report shows it and
  the exit status is 2.

Filters: `since`/`until` on the post's createdAt (the record key's time when
createdAt is unreadable), replies or not, and a maximum count. Paging stops
once record keys (TIDs, made when the post was written) are a day older than
`since`.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Iterator

from ..errors import InputError
from ..inputs.records import record_to_post
from ..model import InputProblem, Post, Source
from .identity import Identity
from .uris import POST_COLLECTION, parse_time, post_uri, rkey_of, tid_time
from .xrpc import ServiceUnavailable, XrpcClient, XrpcError

PAGE_SIZE = 100  # the most listRecords gives
SINCE_MARGIN = timedelta(days=1)
FETCH_SWITCH_INTERVAL = 0.0005  # seconds; see AccountPosts.start
PAGES_AHEAD = 8
PIPE_SIZE = 1 << 20  # bytes the pipe of a fetching process holds (Linux allows 1 MB unprivileged)
# A page that ends with its cursor ({"records": [...], "cursor": "..."}, as the
# reference PDS writes it): the cursor is read from the last bytes, without
# decoding the page. Inside a string every quote is escaped, so this can only
# match the object's own last member; the decoded page is checked against it.
_TAIL_CURSOR = re.compile(rb'"cursor"\s*:\s*"([^"\\]{1,512})"\s*\}\s*$')


@dataclass
class FetchOptions:
    since: datetime | None = None
    until: datetime | None = None
    max_posts: int | None = None
    replies: bool = True
    page_size: int = PAGE_SIZE


class Interrupted(Exception):
    """Raised inside the walk when the user asked to stop (first Ctrl-C)."""


class AccountPosts:
    def __init__(
        self,
        identity: Identity,
        client: XrpcClient,
        options: FetchOptions | None = None,
        cache=None,
        progress: Callable[[int], None] | None = None,
    ):
        self.identity = identity
        self.client = client
        self.options = options or FetchOptions()
        self.cache = cache if cache is not None and cache.enabled else None
        self.progress = progress
        # Set by a Ctrl-C handler: the walk ends at the next record. `in_network`
        # tells the handler that a page is being waited for (then it raises
        # KeyboardInterrupt, which the walk turns into the same clean stop).
        self.stop = False
        self.in_network = False
        self.fetched = 0
        self.cached = 0
        self.posts = 0
        self.incomplete: str | None = None
        self._fetching: _ThreadPages | _ForkedPages | None = None  # once started

    # -- the stream of posts -----------------------------------------------------

    def __iter__(self) -> Iterator[Post | InputProblem]:
        options = self.options
        try:
            for uri, value in self._records():
                if self.stop:
                    raise Interrupted
                if not options.replies and isinstance(value, dict) and "reply" in value:
                    continue
                when = _when(value, uri) if options.since or options.until else None
                if options.until and when and when >= options.until:
                    continue
                if options.since and when and when < options.since:
                    continue
                if options.max_posts is not None and self.posts >= options.max_posts:
                    return
                self.posts += 1
                yield self._post(uri, value)
        except Interrupted:
            self.incomplete = f"interrupted: the report covers the {self.posts} posts read before Ctrl-C"
            yield InputProblem(path=None, line=None, message=self.incomplete, uri=self._repo_uri())
        except (ServiceUnavailable, XrpcError) as exc:
            self.incomplete = f"the audit is incomplete, {self.posts} posts read: {exc}"
            yield InputProblem(path=None, line=None, message=self.incomplete, uri=self._repo_uri())

    def _post(self, uri: str, value: object) -> Post | InputProblem:
        try:
            post = record_to_post(value, Source(uri=uri))
        except InputError as exc:
            return InputProblem(path=None, line=None, message=exc.detail, uri=uri)
        created = value.get("createdAt") if isinstance(value, dict) else None
        post.created_at = created if isinstance(created, str) else None
        return post

    def _repo_uri(self) -> str:
        return f"at://{self.identity.did}"

    # -- pages, and the cache ----------------------------------------------------------

    def _records(self) -> Iterator[tuple[str, object]]:
        """(uri, value) of every post record, newest first: fetched until the
        cache's known part is reached, then from the cache."""
        did = self.identity.did
        cache = self.cache
        known_top = cache.top(did) if cache else None
        walk = time.time_ns()
        newest: str | None = None
        reached_known = False
        for page in self._pages():
            fresh: list[tuple[str, str, object]] = []
            for item in page:
                uri, cid, value = _unpack(item)
                if newest is None:
                    newest = rkey_of(uri)
                if known_top is not None and rkey_of(uri) <= known_top:
                    reached_known = True
                    break
                fresh.append((uri, cid, value))
            if cache:
                # Stored before the audit sees them: a walk cut short (--max) still keeps its page.
                cache.put(did, [(rkey_of(uri), cid, value) for uri, cid, value in fresh if isinstance(value, dict)], walk)
            for uri, _cid, value in fresh:
                self.fetched += 1
                yield uri, value
            if reached_known or self._past_since(page):
                break
        else:
            reached_known = True  # the listing ended: every record was seen
        if not reached_known:
            return  # stopped early for --since: the cache learns nothing about what lies below
        if cache:
            cache.finish_walk(did, walk, newest, known_top)
            if known_top is not None:
                for rkey, _cid, value in cache.records_from(did, known_top):
                    self.cached += 1
                    yield post_uri(did, rkey), value

    def start(self) -> None:
        """Starts fetching the first pages now (the report's set-up then overlaps
        the first request); iterating starts it otherwise. `close` stops it."""
        if self._fetching is None:
            # A forked process where that is safe (Linux, no other thread that could
            # hold a lock the child would inherit), else a thread of this process.
            self._fetching = _ForkedPages(self._fetch) if _may_fork() else _ThreadPages(self._fetch)

    def _fetch(self, put: Callable[[tuple], bool]) -> None:
        """Every listRecords page, in order, to `put` (which says False once the
        reader has gone): ("body", (bytes, cursor)), ("page", decoded page),
        then ("end", None), or ("error", exception)."""
        cursor = None
        try:
            while True:
                body = self.client.get_bytes(
                    "com.atproto.repo.listRecords",
                    repo=self.identity.did,
                    collection=POST_COLLECTION,
                    limit=self.options.page_size,
                    cursor=cursor,
                )
                # The next request goes out as soon as its cursor is known; the
                # page itself is decoded by the reader meanwhile.
                following = _tail_cursor(body)
                if following is None or following == cursor:
                    page = self._decode(body)  # no cursor at the end: decoded here to know
                    following = page.get("cursor") if page["records"] else None
                    if not put(("page", page)):
                        return
                    if not isinstance(following, str) or not following or following == cursor:
                        break
                elif not put(("body", (body, following))):
                    return
                cursor = following
        except BaseException as exc:  # handed to the reader, raised there
            put(("error", exc))
            return
        put(("end", None))

    def close(self) -> None:
        """Stops the fetching (after the request it is in, or at once for a process)."""
        if self._fetching is not None:
            self._fetching.close()

    def _decode(self, body: bytes) -> dict:
        """A listRecords answer's JSON, checked to be a page of records."""
        try:
            page = json.loads(body)
        except ValueError:
            raise XrpcError(f"{self.client.base_url} answered listRecords with something that is not JSON") from None
        if not isinstance(page, dict) or not isinstance(page.get("records"), list):
            raise XrpcError(f"{self.client.base_url} answered listRecords without a list of records")
        return page

    def _pages(self) -> Iterator[list]:
        """listRecords pages in order. The next pages are fetched in the background
        (a child process or a thread) while the audit works on this one, so
        fetching and auditing overlap."""
        self.start()
        pages = self._fetching
        try:
            while True:
                if self.stop:
                    raise Interrupted
                try:
                    self.in_network = True
                    kind, payload = pages.get()
                except KeyboardInterrupt:
                    raise Interrupted from None
                finally:
                    self.in_network = False
                if kind == "error":
                    raise payload
                if kind == "end":
                    return
                if kind == "body":
                    body, following = payload
                    page = self._decode(body)
                    if page.get("cursor") != following:  # cannot happen with valid JSON; never trust it silently
                        raise XrpcError(f"{self.client.base_url} answered listRecords with a page whose cursor could not be read")
                    if not page["records"]:
                        return  # a cursor on an empty page: the listing is over
                else:
                    page = payload
                records = page["records"]
                if records:
                    yield records
                if self.progress:
                    self.progress(self.fetched)
        finally:
            self.close()

    def _past_since(self, page: list) -> bool:
        """Whether the page's last record key is well before --since (no older post can be wanted)."""
        if self.options.since is None or not page:
            return False
        uri, _cid, _value = _unpack(page[-1])
        made = tid_time(rkey_of(uri))
        return made is not None and made < self.options.since - SINCE_MARGIN


def _may_fork() -> bool:
    import threading

    return sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1


class _ThreadPages:
    """Pages fetched by a thread of this process, up to PAGES_AHEAD ahead."""

    def __init__(self, fetch: Callable[[Callable[[tuple], bool]], None]):
        import queue
        import threading

        # Most pages are held as the bytes of the answer (about 50 KB a page of 100).
        self.queue: queue.Queue = queue.Queue(maxsize=PAGES_AHEAD)
        self.done = threading.Event()
        # The thread needs the interpreter lock for a moment after each answer,
        # while the audit holds it; by default it waits up to 5 ms for it each
        # time (several times a page). A shorter interval lets it send the next
        # request sooner; the audit loses nothing measurable.
        self.switch_interval: float | None = sys.getswitchinterval()
        sys.setswitchinterval(min(self.switch_interval, FETCH_SWITCH_INTERVAL))
        threading.Thread(target=fetch, args=(self.put,), name="altaudit-listRecords", daemon=True).start()

    def put(self, item: tuple) -> bool:
        """Queue an item unless the reader has gone (then False: the thread ends)."""
        import queue

        while not self.done.is_set():
            try:
                self.queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def get(self) -> tuple:
        return self.queue.get()

    def close(self) -> None:
        self.done.set()
        if self.switch_interval is not None:
            sys.setswitchinterval(self.switch_interval)
            self.switch_interval = None


class _ForkedPages:
    """Pages fetched by a forked child process, sent through a pipe.

    A thread shares the interpreter lock with the audit: between an answer and
    the next request it waits for the lock several times, and gets it half of
    the time (strace on a loaded machine: 8 ms a page against the bare loop's
    2.4). The child has its own lock and the core the PDS leaves while it
    waits for a request. It sends each page (pickled, as the thread queues
    it) and stays at most PAGES_AHEAD pages ahead: this process writes a byte
    back for each page it takes. It ignores Ctrl-C (this process handles it),
    and ends when told to (`close`) or when this process has gone (its pipe closed)."""

    def __init__(self, fetch: Callable[[Callable[[tuple], bool]], None]):
        import signal
        from multiprocessing.connection import Connection

        pages_in, pages_out = os.pipe()
        acks_in, acks_out = os.pipe()
        try:  # room for the pages ahead, so that the child rarely waits to write one
            import fcntl

            fcntl.fcntl(pages_out, fcntl.F_SETPIPE_SZ, PIPE_SIZE)
        except (ImportError, AttributeError, OSError):
            pass
        # Ctrl-C is held back while forking: one that reached the child before it
        # ignores SIGINT would end it with a traceback.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        pid = os.fork()
        if pid == 0:  # the child: fetch, send, and leave without running this process's exit code
            code = 0
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
                os.close(pages_in)
                os.close(acks_out)
                fetch(_ChildSender(Connection(pages_out, readable=False), acks_in).put)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        self.pid: int | None = pid
        os.close(pages_out)
        os.close(acks_in)
        self.pages = Connection(pages_in, writable=False)
        self.acks = acks_out
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})

    def get(self) -> tuple:
        try:
            item = self.pages.recv()
        except EOFError:
            return "error", XrpcError("the process that fetched listRecords pages ended early")
        try:
            os.write(self.acks, b"\x01")
        except OSError:
            pass  # the child has gone; the pipe says the rest
        return item

    def close(self) -> None:
        import signal

        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        try:
            os.kill(pid, signal.SIGTERM)  # mid-request or done: it holds nothing to finish
        except ProcessLookupError:
            pass
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
        self.pages.close()
        os.close(self.acks)


class _ChildSender:
    """The child's end: `put` sends an item, then waits while PAGES_AHEAD are unread."""

    def __init__(self, out, acks: int):
        self.out = out
        self.acks = acks
        self.sent = self.taken = 0

    def put(self, item: tuple) -> bool:
        try:
            self.out.send(item)
        except (BrokenPipeError, ConnectionResetError):
            return False  # the reader has gone
        except Exception as exc:  # an error that cannot be pickled: its words still go
            if item[0] != "error":
                raise
            self.out.send(("error", XrpcError(f"fetching listRecords failed: {item[1]}")))
        self.sent += 1
        while self.sent - self.taken >= PAGES_AHEAD:
            taken = os.read(self.acks, 4096)
            if not taken:
                return False
            self.taken += len(taken)
        return True


def _tail_cursor(body: bytes) -> str | None:
    """The cursor at the end of a listRecords answer's bytes, or None."""
    found = _TAIL_CURSOR.search(body, max(0, len(body) - 600))
    if found is None:
        return None
    try:
        return found.group(1).decode("ascii")
    except UnicodeDecodeError:
        return None


def _unpack(item: object) -> tuple[str, str, object]:
    if not isinstance(item, dict) or not isinstance(item.get("uri"), str):
        raise XrpcError("the PDS answered listRecords with a record that has no URI")
    cid = item.get("cid")
    return item["uri"], cid if isinstance(cid, str) else "", item.get("value")


def _when(value: object, uri: str) -> datetime | None:
    created = parse_time(value.get("createdAt")) if isinstance(value, dict) else None
    return created or tid_time(rkey_of(uri))


def fetch_post(identity: Identity, client: XrpcClient, rkey: str) -> tuple[str, dict]:
    """(uri, value) of one post, with com.atproto.repo.getRecord."""
    try:
        answer = client.get("com.atproto.repo.getRecord", repo=identity.did, collection=POST_COLLECTION, rkey=rkey)
    except XrpcError as exc:
        if exc.error == "RecordNotFound" or exc.status == 404:
            raise XrpcError(
                f"the post {post_uri(identity.did, rkey)} does not exist (deleted, or never posted)", status=exc.status, error=exc.error
            ) from None
        raise
    value = answer.get("value")
    if not isinstance(value, dict):
        raise XrpcError(f"{client.base_url} answered getRecord without a record value")
    return answer.get("uri") or post_uri(identity.did, rkey), value
