"""One Bluesky post record (``app.bsky.feed.post``) as plain data, to a `Post`.

Every input that meets records calls these two functions: files of records,
an account read over the network, an account export (CAR), API responses.

- `is_post_record(value)`: is this record value a post? Other records (likes,
  follows, profiles: a repository holds them all) are skipped by the callers.
- `record_to_post(value, source)`: the post and every medium in it that can
  carry a description, or `InputError` when the post cannot be read (the
  message names the field; the location comes from `source`).

Records are read as plain JSON data with the checks below, not through the
atproto SDK's models: importing the SDK costs about half a second, more than
all the rules on a small input. tests/test_sdk_conformance.py holds the
fixtures and generated records to the SDK's models instead.

Every medium that can carry a description becomes an `Image`, in the order it
appears in the post: ``app.bsky.embed.images`` (kind ``image``),
``app.bsky.embed.video`` (``video``, or ``gif`` for ``presentation: "gif"``),
``app.bsky.embed.gallery`` (``gallery``), the media of
``app.bsky.embed.recordWithMedia``, and GIF cards: ``app.bsky.embed.external``
whose description starts with ``Alt: `` (written by the user) or ``ALT: `` (the
GIF provider's default), which is how the official app stores a GIF's alt text.

The checks are those that matter for alt text: ``text`` is a string, a
required ``alt`` is present and a string, a known embed has the shape its
lexicon gives. What does not touch alt text is tolerated, as real records
break it (legacy blob refs from 2023 posts, no ``createdAt``, more than three
``langs``, a gallery item without ``aspectRatio``, text over the length limit).
"""

from __future__ import annotations

import re
from typing import Any, Callable

from ..errors import InputError
from ..model import Image, Post, Source

# Lexicon NSIDs (the same strings as the SDK's `models.ids`, checked by the tests).
POST = "app.bsky.feed.post"
IMAGES = "app.bsky.embed.images"
VIDEO = "app.bsky.embed.video"
GALLERY = "app.bsky.embed.gallery"
GALLERY_IMAGE = "app.bsky.embed.gallery#image"
EXTERNAL = "app.bsky.embed.external"
RECORD_WITH_MEDIA = "app.bsky.embed.recordWithMedia"

# Prefixes the official app puts before a GIF's alt text in the card description
# (social-app src/lib/gif-alt-text.ts): "Alt: " written by the user, "ALT: " the
# provider's default.
GIF_ALT_PREFIXES = ("Alt: ", "ALT: ")
PROVIDER_ALT_PREFIX = "ALT: "

# at://AUTHORITY[/COLLECTION[/RKEY]]: a DID or a handle, then NSID and record key.
_AT_URI = re.compile(r"at://([^/?#\s]+)(?:/([^/?#\s]+)(?:/([^/?#\s]+))?)?/?")

__all__ = ["POST", "is_post_record", "record_to_post", "record_type", "unwrap", "kind_of"]

_MISSING: Any = object()
Fail = Callable[[str], InputError]


def is_post_record(value: Any) -> bool:
    """True for a post record's value: a JSON object whose ``$type`` is
    ``app.bsky.feed.post``, or that has no ``$type`` at all (a bare value as
    people write them by hand). False for every other record and non-object."""
    if not isinstance(value, dict):
        return False
    kind = value.get("$type", POST)
    return kind == POST or kind is None


def record_type(value: dict[str, Any]) -> str | None:
    """The value's ``$type`` when it is a string, else None (absent or unusable)."""
    kind = value.get("$type")
    return kind if isinstance(kind, str) else None


def unwrap(item: Any, fail: Fail) -> tuple[Any, str | None, str | None]:
    """(value, uri, collection) of a record as files and APIs hold it: the bare
    value, or the ``{uri, cid, value}`` wrapper of listRecords and getRecord.
    The collection is the one the wrapper's URI names (None for a bare value)."""
    if isinstance(item, dict) and "value" in item and "$type" not in item:
        uri, collection = _check_uri(item.get("uri"), fail)
        value = item["value"]
        if not isinstance(value, dict):
            raise fail(f"the record's 'value' must be a JSON object, found {kind_of(value)}")
        return value, uri, collection
    return item, None, None


def record_to_post(value: dict[str, Any], source: Source) -> Post:
    """The `Post` in one ``app.bsky.feed.post`` record value.

    `source` says where the record came from (file and line, at:// URI); the
    post and each image get their own copy. Raises `InputError` located at
    `source` when the record is not a post or cannot be read as one.
    """

    def fail(message: str) -> InputError:
        return InputError(message, path=source.path, line=source.line)

    if not isinstance(value, dict):
        raise fail(f"a record must be a JSON object, found {kind_of(value)}")
    kind = value.get("$type", _MISSING)
    if kind is not _MISSING and kind is not None:
        if not isinstance(kind, str):
            raise fail(f"'$type' must be a string, found {kind_of(kind)}")
        if kind != POST:
            raise fail(f"{source.uri or 'the record'} is a {kind} record, not a post ({POST})")
    text = value.get("text", _MISSING)
    if text is _MISSING:
        raise fail(f"the post has no 'text' ({POST} requires it)")
    if not isinstance(text, str):
        raise fail(f"the post's 'text' must be a string, found {kind_of(text)}")
    images: list[Image] = []
    embed = _get(value, "embed")
    if embed is not _MISSING:
        _read_media(embed, "embed", images, fail, nested=False)
    path, line, uri = source.path, source.line, source.uri
    for image in images:
        image.source = Source(path, line, uri)  # not dataclasses.replace: 10 times the cost, per record
    langs = _get(value, "langs")
    langs = [lang for lang in langs if isinstance(lang, str)] if isinstance(langs, list) else []
    return Post(text=text, images=images, langs=langs, source=Source(path, line, uri))


def _check_uri(uri: Any, fail: Fail) -> tuple[str | None, str | None]:
    """The wrapper's at:// URI (optional) and the collection it names."""
    if uri is None:
        return None, None
    if not isinstance(uri, str):
        raise fail(f"the record's 'uri' must be a string, found {kind_of(uri)}")
    found = _AT_URI.fullmatch(uri)
    if found is None:
        raise fail(f"the record's 'uri' is not an at:// URI: {uri!r}")
    return uri, found.group(2)


# --- embeds --------------------------------------------------------------------


def _read_media(embed: Any, where: str, out: list[Image], fail: Fail, *, nested: bool) -> None:
    """Append an Image for each described medium in `embed`."""
    embed_type = _get(embed, "$type") if isinstance(embed, dict) else _MISSING
    if embed_type == IMAGES:
        for i, image in enumerate(_list(embed, "images", where, IMAGES, fail)):
            at = f"{where}.images[{i}]"
            _object(image, at, fail)
            alt = _alt(image, at, IMAGES, fail, required=True)
            out.append(Image(index=len(out) + 1, alt=alt, kind="image", blob=blob_cid(image.get("image"))))
    elif embed_type == VIDEO:
        alt = _alt(embed, where, VIDEO, fail, required=False)
        kind = "gif" if _get(embed, "presentation") == "gif" else "video"
        out.append(Image(index=len(out) + 1, alt=alt, kind=kind))
    elif embed_type == GALLERY:
        for i, item in enumerate(_list(embed, "items", where, GALLERY, fail)):
            at = f"{where}.items[{i}]"
            _object(item, at, fail)
            item_type = _get(item, "$type")
            # gallery#image requires alt; a newer item type may carry one
            required = item_type is _MISSING or item_type == GALLERY_IMAGE
            alt = _alt(item, at, GALLERY, fail, required=required)
            out.append(Image(index=len(out) + 1, alt=alt, kind="gallery"))
    elif embed_type == EXTERNAL:
        card = _get(embed, "external")
        description = _get(card, "description") if isinstance(card, dict) else _MISSING
        if isinstance(description, str):
            for prefix in GIF_ALT_PREFIXES:
                if description.startswith(prefix):
                    alt = description[len(prefix) :]
                    by_provider = prefix == PROVIDER_ALT_PREFIX
                    out.append(Image(index=len(out) + 1, alt=alt, kind="gif", alt_by_provider=by_provider))
                    break
        # without the prefix it is a link card: nothing described
    elif embed_type == RECORD_WITH_MEDIA and not nested:
        media = _get(embed, "media")
        if media is _MISSING:
            raise fail(f"{where}: 'media' is missing ({RECORD_WITH_MEDIA} requires it)")
        _read_media(_object(media, f"{where}.media", fail), f"{where}.media", out, fail, nested=True)
    # anything else (app.bsky.embed.record, custom types, no $type) carries no media


def blob_cid(blob: Any) -> str | bytes | None:
    """The CID of a blob reference, or None: a string (``bafkrei...``) from the JSON
    form ``{"ref": {"$link": CID}}`` and the legacy ``{"cid": CID}``; the CID's bytes
    from a decoded CAR block (``ref`` as bytes: turned into text only when the blob is
    fetched, images/blobs.py, as encoding it costs an export 5 µs an image). Never an
    error: a post's blob is read only with --images."""
    if not isinstance(blob, dict):
        return None
    ref = blob.get("ref")
    if isinstance(ref, dict) and isinstance(ref.get("$link"), str):
        return ref["$link"]
    if isinstance(ref, bytes) and ref:
        return ref
    legacy = blob.get("cid")
    return legacy if isinstance(legacy, str) else None


def _alt(node: dict[str, Any], where: str, lexicon: str, fail: Fail, *, required: bool) -> str | None:
    alt = node.get("alt", _MISSING)
    if alt is _MISSING or (alt is None and not required):
        if required:
            raise fail(f"{where}: 'alt' is missing ({lexicon} requires it)")
        return None
    if not isinstance(alt, str):
        raise fail(f"{where}: 'alt' must be a string, found {kind_of(alt)}")
    return alt


def _list(node: dict[str, Any], key: str, where: str, lexicon: str, fail: Fail) -> list[Any]:
    value = _get(node, key)
    if value is _MISSING:
        raise fail(f"{where}: '{key}' is missing ({lexicon} requires it)")
    if not isinstance(value, list):
        raise fail(f"{where}: '{key}' must be a list, found {kind_of(value)}")
    return value


def _object(node: Any, where: str, fail: Fail) -> Any:
    if not isinstance(node, dict):
        raise fail(f"{where} must be a JSON object, found {kind_of(node)}")
    return node


def _get(node: dict[str, Any], key: str) -> Any:
    """Field `key` of a JSON object; _MISSING when absent or null."""
    value = node.get(key)
    return _MISSING if value is None else value


def kind_of(value: Any) -> str:
    """What a JSON value is, in words for messages: "a string", "an array", "null"."""
    if value is None or value is _MISSING:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
