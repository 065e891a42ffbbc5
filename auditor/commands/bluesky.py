"""`altaudit profile`, `altaudit post` and `altaudit cache clear`: audits over the network.

Imported by auditor/cli.py for its commands only: the network modules (httpx,
dnspython, sqlite3) load when one of these commands runs, never for drafts.
"""

from __future__ import annotations

import signal
import sys
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Iterator, List, Optional

import typer

from ..cli import (
    AllOption,
    BrandOption,
    ConfigOption,
    FailOnOption,
    Format,
    FormatOption,
    IgnoreOption,
    ImagesOption,
    LimitOption,
    OutputOption,
    SelectOption,
    VerboseOption,
    WordOption,
    _fail,
    _report,
    _settings,
    _with_images,
    app,
)
from ..errors import InputError

# Formats for programs: no progress bar beside them, even on a terminal.
MACHINE_FORMATS = {"json", "jsonl", "sarif", "junit", "github"}

PdsOption = typer.Option(None, "--pds-url", help="Read from this PDS and resolve handles through it (env ALTAUDIT_PDS_URL).")
PlcOption = typer.Option(None, "--plc-url", help="PLC directory for did:plc documents (env ALTAUDIT_PLC_URL; default https://plc.directory).")

cache_app = typer.Typer(no_args_is_help=True, help="The cache of fetched records.")
app.add_typer(cache_app, name="cache")


@app.command()
def profile(
    actor: str = typer.Argument(..., help="The account: a handle (name.bsky.social) or a DID."),
    since: Optional[str] = typer.Option(None, "--since", help="Only posts created on or after this date (YYYY-MM-DD or ISO date-time)."),
    until: Optional[str] = typer.Option(None, "--until", help="Only posts created before the end of this date (YYYY-MM-DD) or before this date-time."),
    max_posts: Optional[int] = typer.Option(None, "--max", min=1, help="Audit at most N posts, newest first."),
    replies: bool = typer.Option(True, "--replies/--no-replies", help="Include the account's replies (default) or not."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Fetch every record again and leave the cache alone."),
    pds_url: Optional[str] = PdsOption,
    plc_url: Optional[str] = PlcOption,
    output_format: Format = FormatOption,
    fail_on: Optional[str] = FailOnOption,
    select: Optional[str] = SelectOption,
    ignore: Optional[str] = IgnoreOption,
    config: Optional[str] = ConfigOption,
    word: Optional[List[str]] = WordOption,
    brand: Optional[List[str]] = BrandOption,
    verbose: bool = VerboseOption,
    output: Optional[str] = OutputOption,
    show_all: bool = AllOption,
    limit: Optional[int] = LimitOption,
    images: Optional[bool] = ImagesOption,
) -> None:
    """Audit every post of a Bluesky account, read from its PDS (no login).

    Exit status 2 when the audit is incomplete (the PDS went down, Ctrl-C):
    what was read is still reported."""
    from ..bluesky.account import AccountPosts, FetchOptions
    from ..bluesky.account_report import account_sections
    from ..bluesky.identity import Endpoints, IdentityError, resolve_actor
    from ..bluesky.xrpc import XrpcClient, XrpcError

    try:
        settings = _settings(config, select, ignore, fail_on, word, brand)
        options = FetchOptions(
            since=_date(since, "--since", end_of_day=False),
            until=_date(until, "--until", end_of_day=True),
            max_posts=max_posts,
            replies=replies,
        )
        endpoints = Endpoints.from_env(pds=pds_url, plc=plc_url)
        identity = resolve_actor(actor, endpoints)
        cache = None
        if not no_cache:
            from ..bluesky.cache import RecordCache

            cache = RecordCache()
        posts = None
        try:
            with XrpcClient(identity.pds, timeout=endpoints.timeout) as client:
                posts = AccountPosts(identity, client, options, cache)
                posts.start()  # the first page is on its way while the report sets up
                show_progress = output_format.value not in MACHINE_FORMATS and sys.stderr.isatty()
                stream = _with_progress(posts, identity.handle or identity.did) if show_progress else posts
                with _ctrl_c_stops(posts):
                    code = _report(
                        _remote_images(stream, images, endpoints, identity),
                        settings,
                        output_format,
                        output,
                        verbose=verbose,
                        show_all=show_all,
                        limit=limit,
                        sections=account_sections(identity.handle or identity.did),
                    )
        finally:
            if posts is not None:
                posts.close()
            if cache is not None:
                cache.close()  # writes what the walk fetched, even when the report failed
    except (IdentityError, XrpcError) as exc:
        _fail(str(exc))
    except InputError as exc:
        _fail(str(exc))
    raise typer.Exit(code)


@app.command()
def post(
    address: str = typer.Argument(..., help="The post's bsky.app link or at:// URI (handle or DID form)."),
    pds_url: Optional[str] = PdsOption,
    plc_url: Optional[str] = PlcOption,
    output_format: Format = FormatOption,
    fail_on: Optional[str] = FailOnOption,
    select: Optional[str] = SelectOption,
    ignore: Optional[str] = IgnoreOption,
    config: Optional[str] = ConfigOption,
    word: Optional[List[str]] = WordOption,
    brand: Optional[List[str]] = BrandOption,
    output: Optional[str] = OutputOption,
    images: Optional[bool] = ImagesOption,
) -> None:
    """Audit one post, read from its author's PDS with getRecord."""
    from ..bluesky.account import fetch_post
    from ..bluesky.identity import Endpoints, IdentityError, resolve_actor
    from ..bluesky.uris import parse_post_address
    from ..bluesky.xrpc import XrpcClient, XrpcError
    from ..inputs.records import record_to_post
    from ..model import Source

    try:
        try:
            where = parse_post_address(address)
        except ValueError as exc:
            raise InputError(str(exc)) from None
        settings = _settings(config, select, ignore, fail_on, word, brand)
        endpoints = Endpoints.from_env(pds=pds_url, plc=plc_url)
        identity = resolve_actor(where.repo, endpoints)
        with XrpcClient(identity.pds, timeout=endpoints.timeout) as client:
            uri, value = fetch_post(identity, client, where.rkey)
        one = record_to_post(value, Source(uri=uri))
        created = value.get("createdAt")
        one.created_at = created if isinstance(created, str) else None
        code = _report(_remote_images([one], images, endpoints, identity), settings, output_format, output, verbose=True)
    except (IdentityError, XrpcError) as exc:
        _fail(str(exc))
    except InputError as exc:
        _fail(str(exc))
    raise typer.Exit(code)


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete the cache of fetched records."""
    from ..bluesky.cache import clear_cache, default_path

    try:
        removed = clear_cache()
    except OSError as exc:
        _fail(f"cannot remove the cache {default_path()}: {exc.strerror or exc}")
    typer.echo(f"altaudit: removed the cache {removed}" if removed else f"altaudit: no cache at {default_path()}", err=True)


# -- helpers ----------------------------------------------------------------------


def _remote_images(items, images: bool | None, endpoints, identity):
    """With --images, the posts with their images fetched from the account's PDS
    (getBlob, auditor/images/blobs.py) and read; else the posts as they are."""
    if not images:
        return items
    from ..images.blobs import RemoteBlobs

    blobs = RemoteBlobs(endpoints, known_pds={identity.did: identity.pds}, timeout=endpoints.timeout)
    return _with_images(items, True, blobs)


def _date(text: str | None, option: str, *, end_of_day: bool) -> datetime | None:
    """A date (YYYY-MM-DD: the start of that day, or its end for --until) or an ISO date-time, in UTC."""
    if text is None:
        return None
    from ..bluesky.uris import parse_time

    when = parse_time(text)
    if when is None:
        raise InputError(f"{option}: '{text}' is not a date (YYYY-MM-DD) or an ISO date-time")
    if len(text.strip()) == 10 and end_of_day:
        when += timedelta(days=1)
    return when.astimezone(timezone.utc)


@contextmanager
def _ctrl_c_stops(posts) -> Iterator[None]:
    """The first Ctrl-C ends the walk and the partial report is printed; a second one quits."""
    if not _main_thread():
        yield
        return

    def stop(signum, frame):
        if posts.stop:
            raise KeyboardInterrupt
        posts.stop = True
        if posts.in_network:
            raise KeyboardInterrupt  # caught by the walk: stop waiting for the page

    previous = signal.signal(signal.SIGINT, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _with_progress(posts, name: str):
    """The posts, with a progress line on standard error while they are fetched."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=Console(stderr=True, highlight=False, markup=False, emoji=False),
        transient=True,
    )
    task = progress.add_task(f"fetching {name}: 0 posts", total=None)
    with progress:
        for item in posts:
            progress.update(task, description=f"fetching {name}: {posts.posts} posts ({posts.fetched} fetched, {posts.cached} from cache)")
            yield item
    # The bar is gone before the report's summary is written.
