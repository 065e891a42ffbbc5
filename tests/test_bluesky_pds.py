"""The test PDS itself: it starts on loopback, and accounts and records can be written to it."""

import httpx


def test_local_pds_is_on_loopback_and_serves_written_records(local_pds):
    assert local_pds.url.startswith("http://127.0.0.1:")
    assert local_pds.plc_url.startswith("http://127.0.0.1:")
    account = local_pds.create_account()
    written = local_pds.create_record(
        account, {"$type": "app.bsky.feed.post", "text": "hello", "createdAt": "2024-05-01T10:00:00.000Z"}
    )
    assert written["uri"].startswith(f"at://{account.did}/app.bsky.feed.post/")
    listed = httpx.get(
        f"{local_pds.url}/xrpc/com.atproto.repo.listRecords",
        params={"repo": account.handle, "collection": "app.bsky.feed.post"},
    ).json()
    assert [r["value"]["text"] for r in listed["records"]] == ["hello"]
    # The DID document in the local PLC names this PDS.
    doc = httpx.get(f"{local_pds.plc_url}/{account.did}").json()
    endpoints = [s["serviceEndpoint"] for s in doc["service"] if s["id"] == "#atproto_pds"]
    assert endpoints and endpoints[0].rsplit(":", 1)[1] == local_pds.url.rsplit(":", 1)[1]
