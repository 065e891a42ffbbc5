"""`--images` on records: blobs fetched from the real local PDS with getBlob, read, judged, cached.

Every altaudit run is its own process (the image reader starts worker
processes). The PDS is reached through a `Gateway` that forwards to it and
counts the requests, so a test can prove that a cached run asked for no blob
and can take the PDS away (closing the gateway) without stopping the
session's server.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from image_drawings import event_card, quote_card
from pds_fixture import Gateway, _images, _post

from auditor.images.blobs import BlobProblem, digest_key, sha256_of_cid
from auditor.images.read import content_key

ROOT = Path(__file__).parents[1]
ALTAUDIT = Path(sys.executable).parent / "altaudit"
GET_BLOB = "com.atproto.sync.getBlob"
# Says what the card is, none of what it says: I901 (its text left out).
CARD_ALT = "A colourful graphic with bunting along the top."
QUOTE_ALT = "A quote card from Local Trust about residents deciding how money is spent."


@pytest.fixture(scope="module")
def account(local_pds):
    """An account with the event card (text left out), a quote card and a filename description."""
    user = local_pds.create_account()
    card = local_pds.upload_blob(user, event_card(), "image/png")
    quote = local_pds.upload_blob(user, quote_card(), "image/png")
    made = local_pds.create_records(
        user,
        [
            _post("Join us on Tuesday!", "2024-06-01T10:00:00.000Z", _images((card, CARD_ALT))),
            _post("Words to remember.", "2024-06-02T10:00:00.000Z", _images((quote, QUOTE_ALT))),
            _post("Photos from the day.", "2024-06-03T10:00:00.000Z", _images((quote, "IMG_0392.jpeg"))),
        ],
    )
    uris = dict(zip(["card", "quote", "filename"], (m["uri"] for m in made)))
    return user, uris, {"card": card["ref"]["$link"], "quote": quote["ref"]["$link"]}


@pytest.fixture
def gateway(local_pds):
    with Gateway(local_pds.url) as gate:
        yield gate


def altaudit(*args, cache: Path, pds: str, plc: str, python_code: str | None = None):
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "ALTAUDIT_PDS_URL": pds, "ALTAUDIT_PLC_URL": plc, "COLUMNS": "200"}
    command = [sys.executable, "-P", "-c", python_code, *map(str, args)] if python_code else [str(ALTAUDIT), *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)


def codes_by_uri(report: dict) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {post["source"]["uri"]: [] for post in report["posts"]}
    for finding in report["findings"]:
        found[finding["source"]["uri"]].append(finding["code"])
    return found


def seen_by_uri(report: dict) -> dict[str, dict | None]:
    return {post["source"]["uri"]: post["images"][0]["seen"] for post in report["posts"] if post["images"]}


def test_profile_images_fetches_each_blob_once_and_a_second_run_none(account, gateway, local_pds, tmp_path):
    user, uris, _ = account
    first = altaudit("profile", user.handle, "--images", "--format", "json", cache=tmp_path, pds=gateway.url, plc=local_pds.plc_url)
    assert first.returncode == 1, first.stderr
    report = json.loads(first.stdout)
    codes = codes_by_uri(report)
    assert "I901" in codes[uris["card"]]
    assert "I901" not in codes[uris["quote"]]
    assert "A103" in codes[uris["filename"]]
    seen = seen_by_uri(report)
    assert [line["text"] for line in seen[uris["card"]]["lines"]][:2] == ["Launch Webinar", "Practical Hope Community Guides"]
    assert seen[uris["card"]]["engine"].startswith("rapidocr ") and not seen[uris["card"]]["cached"]
    assert "When residents are given the" in " ".join(line["text"] for line in seen[uris["quote"]]["lines"])
    # Two blobs, three images: the quote card shown twice is fetched once.
    assert gateway.counts[GET_BLOB] == 2
    assert "images of records: 2 fetched with getBlob" in first.stderr

    second = altaudit("profile", user.handle, "--images", "--format", "json", cache=tmp_path, pds=gateway.url, plc=local_pds.plc_url)
    assert gateway.counts[GET_BLOB] == 2  # no request at all
    again = json.loads(second.stdout)
    assert codes_by_uri(again) == codes
    assert all(s["cached"] for s in seen_by_uri(again).values())
    assert seen_by_uri(again)[uris["card"]]["lines"] == seen[uris["card"]]["lines"]
    assert "0 fetched with getBlob, 3 from the cache, 0 not read" in second.stderr


def test_profile_without_images_fetches_no_blob(account, gateway, local_pds, tmp_path):
    user, uris, _ = account
    proc = altaudit("profile", user.handle, "--format", "json", cache=tmp_path, pds=gateway.url, plc=local_pds.plc_url)
    report = json.loads(proc.stdout)
    assert gateway.counts[GET_BLOB] == 0
    assert all(seen is None for seen in seen_by_uri(report).values())
    assert not [f for f in report["findings"] if f["code"].startswith("I9")]


def test_post_images_reads_the_posts_image(account, local_pds, tmp_path):
    user, uris, _ = account
    rkey = uris["card"].rsplit("/", 1)[1]
    link = f"https://bsky.app/profile/{user.handle}/post/{rkey}"
    proc = altaudit("post", link, "--images", "--fail-on", "warning", "--format", "json", cache=tmp_path, pds=local_pds.url, plc=local_pds.plc_url)
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert "I901" in codes_by_uri(report)[uris["card"]]
    assert seen_by_uri(report)[uris["card"]]["lines"][0]["text"] == "Launch Webinar"


@pytest.fixture
def export(account, local_pds, tmp_path) -> Path:
    user, _, _ = account
    car = httpx.get(f"{local_pds.url}/xrpc/com.atproto.sync.getRepo", params={"did": user.did}, timeout=30).content
    path = tmp_path / "export.car"
    path.write_bytes(car)
    return path


def test_car_export_images_come_from_the_pds_then_from_the_cache_with_the_pds_gone(account, export, local_pds, tmp_path):
    user, uris, _ = account
    cache = tmp_path / "cache"
    with Gateway(local_pds.url) as gate:
        first = altaudit("check", export, "--images", "--format", "json", cache=cache, pds=gate.url, plc=local_pds.plc_url)
        assert gate.counts[GET_BLOB] == 2
        gone = gate.url
    assert first.returncode == 1, first.stderr
    report = json.loads(first.stdout)
    assert "I901" in codes_by_uri(report)[uris["card"]]
    assert seen_by_uri(report)[uris["card"]]["lines"][0]["text"] == "Launch Webinar"

    # The gateway is closed: the PDS cannot be reached. Everything comes from the cache.
    second = altaudit("check", export, "--images", "--format", "json", cache=cache, pds=gone, plc=local_pds.plc_url)
    again = json.loads(second.stdout)
    assert codes_by_uri(again) == codes_by_uri(report)
    assert all(s["cached"] and not s["problem"] for s in seen_by_uri(again).values())

    # A fresh cache and no PDS: a note on each image, every other finding still there.
    third = altaudit("check", export, "--images", "--format", "json", cache=tmp_path / "empty", pds=gone, plc=local_pds.plc_url)
    assert third.returncode == 1, third.stderr
    lost = json.loads(third.stdout)
    problems = [s["problem"] for s in seen_by_uri(lost).values()]
    assert len(problems) == 3 and all(p.startswith("blob not fetched:") and "unavailable" in p for p in problems)
    assert "A103" in codes_by_uri(lost)[uris["filename"]]
    assert not [f for f in lost["findings"] if f["code"].startswith("I9")]
    assert "Traceback" not in third.stderr


def test_a_deleted_blob_is_a_note_on_its_image_and_the_rest_is_audited(local_pds, tmp_path):
    user = local_pds.create_account()
    doomed = local_pds.upload_blob(user, event_card(), "image/png")
    kept = local_pds.upload_blob(user, quote_card(), "image/png")
    made = local_pds.create_records(
        user,
        [
            _post("Join us!", "2024-06-01T10:00:00.000Z", _images((doomed, CARD_ALT))),
            _post("Words.", "2024-06-02T10:00:00.000Z", _images((kept, "IMG_0001.jpeg"))),
        ],
    )
    page = httpx.get(
        f"{local_pds.url}/xrpc/com.atproto.repo.listRecords",
        params={"repo": user.did, "collection": "app.bsky.feed.post"},
        timeout=30,
    ).json()
    records = tmp_path / "records.json"
    records.write_text(json.dumps(page), encoding="utf-8")
    # Deleting the only post that uses it removes the blob from the PDS.
    local_pds.delete_record(user, made[0]["uri"].rsplit("/", 1)[1])
    gone = httpx.get(f"{local_pds.url}/xrpc/{GET_BLOB}", params={"did": user.did, "cid": doomed["ref"]["$link"]}, timeout=30)
    assert gone.status_code >= 400

    proc = altaudit("check", records, "--images", "--format", "json", cache=tmp_path / "cache", pds=local_pds.url, plc=local_pds.plc_url)
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    seen = seen_by_uri(report)
    assert seen[made[0]["uri"]]["problem"].startswith("blob not found on ")
    assert seen[made[1]["uri"]]["problem"] is None and seen[made[1]["uri"]]["lines"]
    assert "A103" in codes_by_uri(report)[made[1]["uri"]]
    assert "1 fetched with getBlob, 0 from the cache, 1 not read" in proc.stderr

    terminal = altaudit("check", records, "--images", cache=tmp_path / "cache", pds=local_pds.url, plc=local_pds.plc_url)
    assert terminal.stdout.count("image not read: blob not found on ") == 1


def test_bytes_that_do_not_match_the_cid_are_not_read(account, local_pds, tmp_path):
    user, uris, blobs = account

    def tamper(method, path, count):
        if path.startswith(f"/xrpc/{GET_BLOB}") and "cid=" + blobs["card"] in path:
            real = httpx.get(local_pds.url + path, timeout=30)
            return 200, {"Content-Type": "image/png"}, real.content[:-1] + bytes([real.content[-1] ^ 1])
        return None

    with Gateway(local_pds.url, hook=tamper) as gate:
        proc = altaudit("profile", user.handle, "--images", "--format", "json", cache=tmp_path, pds=gate.url, plc=local_pds.plc_url)
    report = json.loads(proc.stdout)
    seen = seen_by_uri(report)
    assert "do not match the CID" in seen[uris["card"]]["problem"]
    assert seen[uris["quote"]]["problem"] is None and seen[uris["quote"]]["lines"]
    assert "I901" not in codes_by_uri(report)[uris["card"]]


def test_records_without_the_engine_say_once_that_images_were_not_read(account, export, gateway, local_pds, tmp_path):
    blocked = "import sys; sys.modules['rapidocr'] = None; sys.argv[0] = 'altaudit'; from auditor.cli import main; main()"
    proc = altaudit("check", export, "--images", "--format", "json", cache=tmp_path, pds=gateway.url, plc=local_pds.plc_url, python_code=blocked)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.count("images were not read") == 1
    assert gateway.counts[GET_BLOB] == 0
    report = json.loads(proc.stdout)
    assert all(seen is None for seen in seen_by_uri(report).values())


def test_a_blob_cid_names_the_sha256_the_image_cache_keys_on():
    data = event_card()
    import libipld

    digest = hashlib.sha256(data).digest()
    cid = libipld.encode_cid(bytes([1, 0x55, 0x12, 0x20]) + digest)
    assert sha256_of_cid(cid) == digest.hex()
    # A CAR export's blob reference holds the CID's bytes: the same digest.
    assert sha256_of_cid(bytes([1, 0x55, 0x12, 0x20]) + digest) == digest.hex()
    assert digest_key(sha256_of_cid(cid), "rapidocr") == content_key(data, "rapidocr")
    with pytest.raises(BlobProblem):
        sha256_of_cid("QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG")  # CIDv0 (dag-pb)
    dag_cbor = libipld.encode_cid(bytes([1, 0x71, 0x12, 0x20]) + digest)
    with pytest.raises(BlobProblem, match="not a raw sha2-256"):
        sha256_of_cid(dag_cbor)
