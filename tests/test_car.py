"""Account exports (CAR files): the same findings as listRecords, and damaged files."""

from __future__ import annotations

import json

import httpx
import pytest
from pds_fixture import seed_account
from typer.testing import CliRunner

from auditor.cli import app


def cli(*args: str):
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def findings(report: dict) -> list[tuple[str, int | None, str, str]]:
    return sorted((f["location"]["uri"], f["image"], f["code"], f["message"]) for f in report["findings"])


@pytest.fixture(scope="module")
def exported(local_pds, tmp_path_factory):
    account, uris = seed_account(local_pds)
    # Records of other collections are in the export too; they are counted, not audited.
    local_pds.create_record(
        account,
        {"$type": "app.bsky.feed.like", "subject": {"uri": uris["good"], "cid": "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm"}, "createdAt": "2024-06-01T00:00:00Z"},
        collection="app.bsky.feed.like",
    )
    car = httpx.get(f"{local_pds.url}/xrpc/com.atproto.sync.getRepo", params={"did": account.did}, timeout=30).content
    path = tmp_path_factory.mktemp("car") / "export.car"
    path.write_bytes(car)
    return account, uris, path


def test_car_export_and_list_records_give_the_same_findings(pds_env, exported):
    account, uris, path = exported
    code, out, err = cli("check", str(path), "--format", "json")
    assert code == 1, err
    from_car = json.loads(out)
    code, out, err = cli("profile", account.handle, "--format", "json", "--no-cache")
    assert code == 1, err
    from_network = json.loads(out)
    assert findings(from_car) == findings(from_network)
    assert len(findings(from_car)) == 6
    assert {p["source"]["uri"] for p in from_car["posts"]} == set(uris.values())
    assert from_car["summary"]["not_posts"] == 1  # the like
    # Every finding names its post's at:// URI.
    assert all(f["location"]["uri"].startswith(f"at://{account.did}/app.bsky.feed.post/") for f in from_car["findings"])


def _blocks(data: bytes) -> tuple[bytes, list[bytes], list[bytes]]:
    """The header, the blocks that are not records (commit, tree nodes) and the
    record blocks of a CAR file, each block with its length prefix."""
    import libipld

    from auditor.inputs.car import _cid_end, _varint

    length, pos = _varint(data, 0)
    header, pos = data[: pos + length], pos + length
    tree, records = [], []
    while pos < len(data):
        length, start = _varint(data, pos)
        value = libipld.decode_dag_cbor(data[_cid_end(data, start, start + length) : start + length])
        (records if isinstance(value, dict) and "$type" in value else tree).append(data[pos : start + length])
        pos = start + length
    return header, tree, records


def test_truncated_car_reports_what_was_read_and_one_error_line(exported, tmp_path):
    _account, uris, path = exported
    # The PDS writes blocks in no fixed order, so a cut at a fixed share of the
    # bytes may fall before the commit or the tree. Put the header, commit and
    # tree nodes first (any order is a valid CAR), then cut inside the records.
    header, tree, records = _blocks(path.read_bytes())
    cut = tmp_path / "cut.car"
    half = len(records) // 2
    kept = header + b"".join(tree) + b"".join(records[:half])
    cut.write_bytes(kept + records[half][: len(records[half]) // 2])
    code, out, err = cli("check", str(cut), "--format", "json")
    assert code == 2
    report = json.loads(out)
    read = {p["source"]["uri"] for p in report["posts"]}
    assert read and read < set(uris.values())
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"altaudit: error: {cut}: the export is damaged: the file is truncated")


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda data: b"", "not a repository export"),
        (lambda data: b"this is not a CAR file at all", "not a repository export"),
        (lambda data: data[:20], "not a repository export"),
    ],
)
def test_unreadable_car_is_one_line(exported, tmp_path, damage, message):
    _account, _uris, path = exported
    bad = tmp_path / "bad.car"
    bad.write_bytes(damage(path.read_bytes()))
    code, out, err = cli("check", str(bad))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"altaudit: error: {bad}: {message}")


def test_corrupt_record_block_is_one_problem_and_the_rest_is_audited(exported, tmp_path):
    _account, uris, path = exported
    data = bytearray(path.read_bytes())
    # Find the block of the empty-description post and break its CBOR in place.
    marker = "Saturday's stall in pictures.".encode()
    at = data.find(marker)
    assert at > 0
    data[at - 2] = 0xFF  # the byte before the text's header: no longer valid DAG-CBOR
    bad = tmp_path / "corrupt.car"
    bad.write_bytes(bytes(data))
    code, out, err = cli("check", str(bad), "--format", "json")
    assert code == 2
    report = json.loads(out)
    assert {p["source"]["uri"] for p in report["posts"]} == set(uris.values()) - {uris["empty"]}
    assert err.count("altaudit: error:") == 1 and uris["empty"] in err and "corrupt" in err


def test_car_path_does_not_import_the_atproto_sdk(exported):
    import subprocess
    import sys

    _account, _uris, path = exported
    code = (
        "import sys\n"
        "from auditor.inputs.discover import iter_items\n"
        f"posts = [p for p in iter_items([{str(path)!r}])]\n"
        "assert len(posts) == 8, posts\n"
        "print('atproto' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-P", "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
