"""`altaudit profile` and `altaudit post` end to end against the local PDS."""

from __future__ import annotations

import json

import pytest
from pds_fixture import GOOD_ALT, seed_account
from typer.testing import CliRunner

from auditor.cli import app


@pytest.fixture(scope="module")
def seeded(local_pds):
    account, uris = seed_account(local_pds)
    return account, uris


def cli(*args: str):
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def findings_by_uri(report: dict) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for post in report["posts"]:
        out.setdefault(post["source"]["uri"], [])
    for finding in report["findings"]:
        out.setdefault(finding["source"]["uri"], []).append(finding["code"])
    return out


EXPECTED = {
    "good": [],
    "empty": ["A101"],
    "filename": ["A103"],
    "video": ["W301"],
    "quote": ["A101"],
    "gif": ["A105"],
    "reply": ["A103"],
    "text": [],
}


def test_profile_audits_every_post_by_uri_with_account_sections(pds_env, seeded):
    account, uris = seeded
    code, out, err = cli("profile", account.handle, "--format", "json")
    assert code == 1, err
    report = json.loads(out)
    assert findings_by_uri(report) == {uris[label]: codes for label, codes in EXPECTED.items()}
    summary = report["summary"]
    # March: good + empty; April: file name + video; May: quote (empty), GIF, reply.
    assert summary["described_by_month"] == {
        "2024-03": {"described": 1, "images": 2, "share": 0.5},
        "2024-04": {"described": 2, "images": 2, "share": 1.0},
        "2024-05": {"described": 2, "images": 3, "share": 0.6667},
    }
    assert sum(summary["score_distribution_by_tens"].values()) == 7
    worst = summary["worst_posts"]
    assert {w["uri"] for w in worst} == {uris[k] for k, v in EXPECTED.items() if v}
    for entry in worst:
        rkey = entry["uri"].rsplit("/", 1)[1]
        assert entry["url"] == f"https://bsky.app/profile/{account.handle}/post/{rkey}"
    assert [w["score"] for w in worst] == sorted(w["score"] for w in worst)


def test_profile_terminal_report_shows_months_and_links(pds_env, seeded):
    account, uris = seeded
    code, out, _err = cli("profile", account.handle)
    assert code == 1
    assert "Described images by month" in out and "2024-03" in out and "1/2 (50%)" in out
    rkey = uris["empty"].rsplit("/", 1)[1]
    assert f"https://bsky.app/profile/{account.handle}/post/{rkey}" in out
    assert GOOD_ALT not in out  # a post without findings is not listed


@pytest.mark.parametrize(
    "options, labels",
    [
        (["--no-replies"], [k for k in EXPECTED if k != "reply"]),
        (["--since", "2024-05-01"], ["quote", "gif", "reply", "text"]),
        (["--until", "2024-03-31"], ["good", "empty"]),
        (["--since", "2024-04-01", "--until", "2024-04-30T23:59:59Z"], ["filename", "video"]),
        (["--max", "2"], ["reply", "text"]),
    ],
)
def test_profile_filters(pds_env, seeded, options, labels):
    account, uris = seeded
    code, out, err = cli("profile", account.handle, "--format", "json", "--no-cache", *options)
    assert code in (0, 1), err
    assert set(findings_by_uri(json.loads(out))) == {uris[label] for label in labels}


def test_profile_by_did_resolves_the_pds_through_the_plc(local_pds, seeded, monkeypatch, tmp_path):
    """No PDS configured: the DID document from the (local) PLC directory names the PDS."""
    account, uris = seeded
    monkeypatch.delenv("ALTAUDIT_PDS_URL", raising=False)
    monkeypatch.setenv("ALTAUDIT_PLC_URL", local_pds.plc_url)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    code, out, err = cli("profile", account.did, "--format", "json")
    assert code == 1, err
    report = json.loads(out)
    assert set(findings_by_uri(report)) == set(uris.values())
    # The handle comes from the DID document, for the links.
    assert report["summary"]["worst_posts"][0]["url"].startswith(f"https://bsky.app/profile/{account.handle}/post/")


def test_unknown_handle_and_did_are_one_line_errors(pds_env):
    code, out, err = cli("profile", "nobody-here.test")
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [f"altaudit: error: no account has the handle nobody-here.test (on {pds_env.url})"]
    code, _out, err = cli("profile", "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa", "--pds-url", "", "--plc-url", pds_env.plc_url)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "no account has the DID did:plc:aaaaaaaaaaaaaaaaaaaaaaaa" in err
    code, _out, err = cli("profile", "not a handle")
    assert code == 2 and "neither a handle" in err


def test_post_by_link_and_by_at_uri(pds_env, seeded):
    account, uris = seeded
    rkey = uris["filename"].rsplit("/", 1)[1]
    for address in (
        f"https://bsky.app/profile/{account.handle}/post/{rkey}",
        uris["filename"],
        f"at://{account.handle}/app.bsky.feed.post/{rkey}",
    ):
        code, out, err = cli("post", address, "--format", "json")
        assert code == 1, err
        report = json.loads(out)
        assert findings_by_uri(report) == {uris["filename"]: ["A103"]}
    code, out, err = cli("post", uris["good"], "--format", "json")
    assert code == 0, err
    assert json.loads(out)["posts"][0]["images"][0]["alt"] == GOOD_ALT


def test_deleted_post_and_bad_addresses(local_pds, pds_env):
    account = local_pds.create_account()
    made = local_pds.create_record(account, {"$type": "app.bsky.feed.post", "text": "soon gone", "createdAt": "2024-01-01T00:00:00Z"})
    rkey = made["uri"].rsplit("/", 1)[1]
    local_pds.delete_record(account, rkey)
    code, out, err = cli("post", made["uri"])
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [f"altaudit: error: the post {made['uri']} does not exist (deleted, or never posted)"]
    code, _out, err = cli("post", f"at://{account.did}/app.bsky.feed.like/{rkey}")
    assert code == 2 and "not a post" in err
    code, _out, err = cli("post", "https://example.com/nothing")
    assert code == 2 and "is not a post address" in err


def test_pds_down_at_the_start_is_one_line(monkeypatch, tmp_path):
    import socket

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr("auditor.bluesky.xrpc.DEFAULT_BACKOFF", 0.01)
    code, out, err = cli("profile", "alice.test", "--pds-url", f"http://127.0.0.1:{port}")
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [
        f"altaudit: error: cannot resolve the handle alice.test: http://127.0.0.1:{port} is unavailable (connection refused)"
    ]


def test_profile_does_not_import_the_atproto_sdk(pds_env, seeded, tmp_path):
    import subprocess
    import sys

    account, _uris = seeded
    code = (
        "import sys\n"
        "from auditor.cli import main\n"
        f"sys.argv = ['altaudit', 'profile', {account.handle!r}, '--no-cache', '--format', 'jsonl', '--output', {str(tmp_path / 'report.jsonl')!r}]\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert exit.code == 1, exit.code\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] in ('atproto', 'pydantic')))\n"
    )
    out = subprocess.run([sys.executable, "-P", "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("url", ["notaurl", "http://[::1", "http://127.0.0.1:99999", "ftp://example.com"])
def test_a_bad_service_address_is_one_line(url, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    code, out, err = cli("profile", "alice.test", "--pds-url", url)
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [f"altaudit: error: --pds-url / ALTAUDIT_PDS_URL: '{url}' is not an http:// or https:// address"]
