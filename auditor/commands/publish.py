"""`altaudit publish DRAFT`: audit a draft, then post it to Bluesky once (see auditor/publish.py).

Registered on `auditor.cli.app` by one import line in commands/app.py; everything heavy
(the engine, Pillow, httpx) is imported only when the command runs.
"""

from __future__ import annotations

import json
import sys
from typing import List, Optional

import typer

from ..cli import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, ImagesOption, _settings, _with_images, app
from ..errors import InputError


def _say(line: str) -> None:
    from ..safe_text import visible

    typer.echo(f"altaudit: {visible(line, keep_newlines=False)}", err=True)


def _stop(message: str) -> None:
    from ..safe_text import visible

    typer.echo(f"altaudit: error: {visible(message, keep_newlines=False)}", err=True)
    raise typer.Exit(EXIT_ERROR)


@app.command("publish")
def publish_command(
    draft: str = typer.Argument(..., help="The draft to post (Markdown with +++ front matter)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be sent; send nothing."),
    force: bool = typer.Option(False, "--force", help="Publish even when the audit finds problems at or above --fail-on."),
    again: bool = typer.Option(False, "--again", help="Publish a draft whose earlier version was already published."),
    pds_url: Optional[str] = typer.Option(None, "--pds-url", help="The PDS to post through (default: ALTAUDIT_PDS_URL, else the account's own)."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", help="Lowest level that stops publishing: error (default), warning or info."),
    select: Optional[str] = typer.Option(None, "--select", help="Comma-separated rule codes or prefixes to run (default: all)."),
    ignore: Optional[str] = typer.Option(None, "--ignore", help="Comma-separated rule codes or prefixes to skip."),
    config: Optional[str] = typer.Option(None, "--config", help="Configuration file (default: nearest altaudit.toml or pyproject.toml)."),
    word: Optional[List[str]] = typer.Option(None, "--word", help="Extra dictionary word (repeatable)."),
    brand: Optional[List[str]] = typer.Option(None, "--brand", help="Organisation whose logos appear on your graphics (repeatable)."),
    images: Optional[bool] = ImagesOption,
) -> None:
    """Audit a draft and post it to Bluesky with its descriptions, once.

    Credentials come from ALTAUDIT_HANDLE and ALTAUDIT_APP_PASSWORD (an app
    password, never your main one), or are asked for on the terminal.
    """
    from .. import publish as pub
    from ..ledger import Ledger, LedgerError, data_folder, LEDGER_NAME
    from ..reporting import run_report

    try:
        settings = _settings(config, select, ignore, fail_on, word, brand)
        prepared = pub.prepare(draft)
    except InputError as exc:
        _stop(str(exc))
    try:
        # read only, not even locked: a published draft needs no audit, a dry run writes nothing
        entry = _not_yet_published(Ledger.load(data_folder() / LEDGER_NAME), prepared, draft, again)
    except LedgerError as exc:
        _stop(str(exc))
    try:
        # The draft's images are read as `check` reads them: an image rule's error refuses too.
        code = run_report(_with_images([prepared.post], images), settings, "terminal", verbose=True)
    except InputError as exc:
        _stop(str(exc))
    if code == EXIT_ERROR:
        raise typer.Exit(EXIT_ERROR)
    level = settings.fail_on.value
    if code == EXIT_FINDINGS:
        if not force:
            _say(f"not published: the audit found problems at or above '{level}'; fix the descriptions, or pass --force")
            raise typer.Exit(EXIT_FINDINGS)
        _say(f"--force: publishing although the audit found problems at or above '{level}'")

    if dry_run:
        _dry_run(prepared, entry, pds_url)
        raise typer.Exit(EXIT_CLEAN)
    try:
        with Ledger.locked(waiting=lambda: _say("another publish run holds the ledger: waiting for it to finish")) as ledger:
            _not_yet_published(ledger, prepared, draft, again)  # again: another run may have posted it since
            login = pub.credentials()
            done = pub.publish(prepared, login, ledger, pds_url=pds_url, say=_say)
    except (pub.PublishError, LedgerError) as exc:
        _stop(str(exc))
    if done.already:
        _say("already published: nothing was posted")
    else:
        _say(f"published {done.uri} (cid {done.cid})")
    typer.echo(done.link)
    raise typer.Exit(EXIT_CLEAN)


def _not_yet_published(ledger, prepared, draft: str, again: bool):
    """The ledger's pending entry for this draft (or None); exits when it was published."""
    from .. import publish as pub

    entry = ledger.get(prepared.digest)
    if entry is not None and entry.get("state") == "published":
        _say(f"already published on {entry.get('published', '?')}: nothing was posted")
        typer.echo(pub.published_entry(entry).link)
        raise typer.Exit(EXIT_CLEAN)
    earlier = ledger.for_path(prepared.path, prepared.digest)
    if earlier is not None and not again:
        _stop(
            f"an earlier version of {draft} was published as {pub.published_entry(earlier).link}; "
            "posts cannot be edited: delete that post and pass --again to publish this version"
        )
    return entry


def _dry_run(prepared, entry, pds_url) -> None:
    """What would be sent, on standard output; nothing is."""
    import os

    from .. import publish as pub
    from ..safe_text import visible

    handle = os.environ.get("ALTAUDIT_HANDLE") or "(your handle)"
    pds = pds_url or os.environ.get("ALTAUDIT_PDS_URL") or "(the PDS named by the account's DID document)"
    lines = [f"Dry run: nothing was sent. Publishing would, as {handle} on {pds}:"]
    for number, media in enumerate(prepared.media, start=1):
        lines.append(
            f"  {number}. upload {media.name} ({media.mime_type}, {media.size:,} bytes, "
            f"{media.width}×{media.height}) with com.atproto.repo.uploadBlob"
        )
    where = f"record key {entry['rkey']}" if entry else "a new record key"
    lines.append(f"  {len(prepared.media) + 1}. create this app.bsky.feed.post at {where} with com.atproto.repo.createRecord:")
    record = pub.record_for(prepared, None, "(the time of publishing)")
    if "@" in prepared.text:
        lines.append("  (mentions are linked when publishing, where their handles resolve to accounts)")
    lines.append(json.dumps(record, indent=2, ensure_ascii=False))
    sys.stdout.write(visible("\n".join(lines)) + "\n")
