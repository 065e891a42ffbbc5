"""Post addresses: at:// URIs, bsky.app links, record keys (TIDs)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

POST_COLLECTION = "app.bsky.feed.post"

_AT_URI = re.compile(r"^at://(?P<repo>[^/?#\s]+)/(?P<collection>[a-zA-Z0-9.-]+)/(?P<rkey>[a-zA-Z0-9._:~-]{1,512})/?$")
_APP_LINK = re.compile(
    r"^https?://(?:www\.)?(?:bsky\.app|staging\.bsky\.app|main\.bsky\.dev)/profile/(?P<repo>[^/?#\s]+)/post/(?P<rkey>[a-zA-Z0-9._:~-]{1,512})/?(?:[?#].*)?$"
)
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
_TID = re.compile(r"^[2-7a-j][2-7a-z]{12}$")


@dataclass(frozen=True)
class PostAddress:
    repo: str  # a DID or a handle, as written
    rkey: str
    collection: str = POST_COLLECTION


def parse_post_address(text: str) -> PostAddress:
    """A post's at:// URI (handle or DID form) or bsky.app link; ValueError with a one-line reason."""
    text = text.strip()
    match = _AT_URI.match(text)
    if match:
        if match["collection"] != POST_COLLECTION:
            raise ValueError(f"{text} is a {match['collection']} record, not a post ({POST_COLLECTION})")
        return PostAddress(repo=match["repo"], rkey=match["rkey"])
    match = _APP_LINK.match(text)
    if match:
        return PostAddress(repo=match["repo"], rkey=match["rkey"])
    raise ValueError(
        f"'{text}' is not a post address: give a link such as https://bsky.app/profile/NAME/post/RKEY "
        "or an at://NAME/app.bsky.feed.post/RKEY URI"
    )


def rkey_of(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]


def post_uri(did: str, rkey: str) -> str:
    return f"at://{did}/{POST_COLLECTION}/{rkey}"


def app_link(handle_or_did: str, rkey: str) -> str:
    """The post's page on bsky.app."""
    return f"https://bsky.app/profile/{handle_or_did}/post/{rkey}"


def tid_time(rkey: str) -> datetime | None:
    """When a TID record key was made (microseconds since 1970 in its top bits); None if not a TID."""
    if not _TID.match(rkey):
        return None
    value = 0
    for char in rkey:
        value = value * 32 + _TID_ALPHABET.index(char)
    micros = value >> 10
    try:
        return datetime.fromtimestamp(micros / 1_000_000, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


def parse_time(text: object) -> datetime | None:
    """An ISO 8601 date-time as records write createdAt (Z or an offset); None if unreadable.
    A time without a zone is taken as UTC."""
    if not isinstance(text, str) or len(text) < 10:
        return None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)
