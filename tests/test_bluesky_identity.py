"""Identity and address parsing: handles, DIDs, DID documents, post links, record-key times."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from auditor.bluesky.identity import (
    Endpoints,
    IdentityError,
    did_from_txt,
    fetch_did_document,
    handle_of,
    normalise_handle,
    pds_of,
    resolve_actor,
)
from auditor.bluesky.uris import app_link, parse_post_address, tid_time

DID = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"


def test_handles_are_normalised_and_non_handles_refused():
    assert normalise_handle("@LocalTrust.org.uk ") == "localtrust.org.uk"
    for bad in ("localtrust", "not a handle", "-bad.example.com", "a..b.com", "name.123"):
        with pytest.raises(IdentityError):
            normalise_handle(bad)


def test_dns_txt_gives_the_did_only_when_unambiguous():
    assert did_from_txt([f"did={DID}"]) == DID
    assert did_from_txt(["v=spf1 -all", f" did={DID} "]) == DID
    assert did_from_txt([f"did={DID}", "did=did:plc:aaaaaaaaaaaaaaaaaaaaaaaa"]) is None
    assert did_from_txt(["did=not-a-did"]) is None and did_from_txt([]) is None


def test_did_document_names_the_pds_and_handle():
    document = {
        "id": DID,
        "alsoKnownAs": ["https://example.com", "at://localtrust.org.uk"],
        "service": [
            {"id": "#other", "type": "Else", "serviceEndpoint": "https://wrong.example"},
            {"id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": "https://puffball.us-east.host.bsky.network/"},
        ],
    }
    assert pds_of(document) == "https://puffball.us-east.host.bsky.network"
    assert handle_of(document) == "localtrust.org.uk"
    assert pds_of({"id": DID, "service": [{"id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": "ftp://x"}]}) is None
    assert handle_of({"id": DID}) is None


def test_did_methods_other_than_plc_and_web_are_refused():
    with pytest.raises(IdentityError, match="only did:plc and did:web"):
        fetch_did_document("did:key:z6Mkabc", Endpoints())
    with pytest.raises(IdentityError, match="with a path"):
        fetch_did_document("did:web:example.com:user:alice", Endpoints())


def test_did_resolution_against_the_local_plc(local_pds):
    account = local_pds.create_account()
    identity = resolve_actor(account.did, Endpoints(plc=local_pds.plc_url))
    assert identity.did == account.did and identity.handle == account.handle
    assert identity.pds.rsplit(":", 1)[1] == local_pds.url.rsplit(":", 1)[1]


@pytest.mark.parametrize(
    "address, repo",
    [
        ("https://bsky.app/profile/localtrust.org.uk/post/3lbd2cfjwbs2x", "localtrust.org.uk"),
        ("https://bsky.app/profile/localtrust.org.uk/post/3lbd2cfjwbs2x?ref=share", "localtrust.org.uk"),
        (f"https://bsky.app/profile/{DID}/post/3lbd2cfjwbs2x/", DID),
        (f"at://{DID}/app.bsky.feed.post/3lbd2cfjwbs2x", DID),
        ("at://localtrust.org.uk/app.bsky.feed.post/3lbd2cfjwbs2x", "localtrust.org.uk"),
    ],
)
def test_post_addresses(address, repo):
    parsed = parse_post_address(address)
    assert (parsed.repo, parsed.rkey) == (repo, "3lbd2cfjwbs2x")


@pytest.mark.parametrize(
    "address",
    ["https://bsky.app/profile/localtrust.org.uk", f"at://{DID}/app.bsky.feed.like/3lbd2cfjwbs2x", "https://example.com/post/1", "3lbd2cfjwbs2x"],
)
def test_not_post_addresses(address):
    with pytest.raises(ValueError):
        parse_post_address(address)


def test_record_key_times_and_links():
    # TIDs count microseconds since 1970 in their top 53 bits.
    assert tid_time("2222222222222") == datetime(1970, 1, 1, tzinfo=timezone.utc)
    made = tid_time("3lbd2cfjwbs2x")
    assert made is not None and made.year == 2024
    assert tid_time("self") is None and tid_time("zzzzzzzzzzzzz") is None
    assert app_link("localtrust.org.uk", "3lbd2cfjwbs2x") == "https://bsky.app/profile/localtrust.org.uk/post/3lbd2cfjwbs2x"
