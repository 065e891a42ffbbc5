"""The record cache: a re-audit fetches only new posts; damage never fails an audit."""

from __future__ import annotations

import json
import sqlite3

import pytest
from typer.testing import CliRunner

from auditor.bluesky.account import AccountPosts, FetchOptions
from auditor.bluesky.cache import RecordCache, default_path
from auditor.bluesky.identity import Endpoints, resolve_actor
from auditor.bluesky.xrpc import XrpcClient
from auditor.cli import app
from auditor.model import InputProblem, Post


def cli(*args: str):
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _post(n: int) -> dict:
    return {"$type": "app.bsky.feed.post", "text": f"post {n}", "createdAt": f"2024-02-{n % 28 + 1:02d}T10:00:00Z"}


def audit(pds, account, cache) -> tuple[list[str], AccountPosts]:
    identity = resolve_actor(account.handle, Endpoints(pds=pds.url))
    with XrpcClient(identity.pds) as client:
        walk = AccountPosts(identity, client, cache=cache)
        items = list(walk)
    assert not [i for i in items if isinstance(i, InputProblem)]
    return [i.source.uri for i in items if isinstance(i, Post)], walk


def test_second_audit_fetches_only_the_new_posts(local_pds, tmp_path):
    account = local_pds.create_account()
    local_pds.create_records(account, [_post(n) for n in range(120)])
    cache = RecordCache(tmp_path / "c.sqlite3")
    first, walk = audit(local_pds, account, cache)
    assert (len(first), walk.fetched, walk.cached) == (120, 120, 0)
    again, walk = audit(local_pds, account, cache)
    assert again == first and walk.fetched == 0 and walk.cached == 120
    new = local_pds.create_records(account, [_post(n) for n in range(120, 123)])
    third, walk = audit(local_pds, account, cache)
    assert (walk.fetched, walk.cached) == (3, 120)
    assert third == [m["uri"] for m in reversed(new)] + first  # newest first, as listRecords gives them


def test_deleted_posts_leave_the_cache(local_pds, tmp_path):
    account = local_pds.create_account()
    made = local_pds.create_records(account, [_post(n) for n in range(5)])
    cache = RecordCache(tmp_path / "c.sqlite3")
    audit(local_pds, account, cache)
    newer = local_pds.create_records(account, [_post(n) for n in range(5, 8)])
    # A walk stopped by --max caches the newest posts without finishing.
    identity = resolve_actor(account.handle, Endpoints(pds=local_pds.url))
    with XrpcClient(identity.pds) as client:
        assert len(list(AccountPosts(identity, client, FetchOptions(max_posts=2), cache=cache))) == 2
    assert cache.count(account.did) == 8  # its whole page
    # One of those is deleted: the next walk lists everything above the known part and drops it.
    local_pds.delete_record(account, newer[2]["uri"].rsplit("/", 1)[1])
    uris, walk = audit(local_pds, account, cache)
    assert newer[2]["uri"] not in uris and len(uris) == 7 and walk.cached == 5
    assert cache.count(account.did) == 7
    # An older post is deleted: once the last full walk is older than the refresh age,
    # the whole account is listed again and the cache forgets it.
    local_pds.delete_record(account, made[0]["uri"].rsplit("/", 1)[1])
    cache.db.execute("UPDATE accounts SET synced_at = 0")
    uris, walk = audit(local_pds, account, cache)
    assert made[0]["uri"] not in uris and len(uris) == 6 and walk.cached == 0
    assert cache.count(account.did) == 6


def test_profile_uses_the_cache_and_cache_clear_empties_it(pds_env, tmp_path):
    account = pds_env.create_account()
    pds_env.create_records(account, [_post(n) for n in range(3)])
    code, first, _ = cli("profile", account.handle, "--format", "json")
    path = default_path()
    assert str(path).startswith(str(tmp_path)) and path.exists()
    db = sqlite3.connect(path)
    assert db.execute("SELECT count(*) FROM records").fetchone()[0] == 3
    # Only public records are kept: URI key, CID, value, nothing else.
    columns = [row[1] for row in db.execute("PRAGMA table_info(records)")]
    assert columns == ["did", "rkey", "cid", "value", "walk"]
    db.close()
    code, second, _ = cli("profile", account.handle, "--format", "json")
    assert json.loads(second)["posts"] == json.loads(first)["posts"]
    code, _out, err = cli("cache", "clear")
    assert code == 0 and not path.exists() and "removed the cache" in err


def test_no_cache_leaves_no_file(pds_env):
    account = pds_env.create_account()
    pds_env.create_records(account, [_post(1)])
    code, _out, err = cli("profile", account.handle, "--no-cache")
    assert code == 0, err
    assert not default_path().exists()


@pytest.mark.parametrize("garbage", [b"this is not a database", b"SQLite format 3\x00" + b"\xff" * 200])
def test_corrupt_cache_is_reported_and_rebuilt(pds_env, garbage):
    account = pds_env.create_account()
    pds_env.create_records(account, [_post(1), _post(2)])
    path = default_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(garbage * 50)
    code, out, err = cli("profile", account.handle, "--format", "json")
    assert code == 0
    assert len(json.loads(out)["posts"]) == 2
    warnings = err.strip().splitlines()
    assert len(warnings) == 1 and warnings[0].startswith(f"altaudit: warning: the cache {path} was unreadable")
    assert "rebuilding it" in warnings[0]
    db = sqlite3.connect(path)
    assert db.execute("SELECT count(*) FROM records").fetchone()[0] == 2


def test_locked_cache_is_reported_and_the_audit_goes_on(pds_env):
    account = pds_env.create_account()
    pds_env.create_records(account, [_post(1)])
    path = default_path()
    path.parent.mkdir(parents=True)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE x (y)")
    holder.execute("BEGIN EXCLUSIVE")  # another altaudit in the middle of a write
    try:
        code, out, err = cli("profile", account.handle, "--format", "json")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 0
    assert len(json.loads(out)["posts"]) == 1
    warnings = err.strip().splitlines()
    assert len(warnings) == 1 and "in use by another process" in warnings[0] and "auditing without it" in warnings[0]
