"""Read Bluesky post records (``app.bsky.feed.post``) from JSON or JSON Lines files.

A file holds one JSON document (a record, a list of records, or a
``com.atproto.repo.listRecords`` response ``{"records": [...], "cursor": ...}``)
or JSON Lines (one such document a line, blank lines allowed; pretty-printed
documents one after another, as ``jq`` writes them, read too). A record is the
bare post value or the ``{uri, cid, value}`` wrapper that listRecords and
getRecord return.

Every medium that can carry a description becomes an `Image`, in the order it
appears in the post: ``app.bsky.embed.images`` (kind ``image``),
``app.bsky.embed.video`` (``video``, or ``gif`` for ``presentation: "gif"``),
``app.bsky.embed.gallery`` (``gallery``), the media of
``app.bsky.embed.recordWithMedia``, and GIF cards: ``app.bsky.embed.external``
whose description starts with ``Alt: `` (written by the user) or ``ALT: `` (the
GIF provider's default), which is how the official app stores a GIF's alt text.

Each post is first validated with the atproto SDK's own model
(``models.AppBskyFeedPost.Record``) and read from it. The SDK rejects real
records for reasons that do not touch alt text (legacy blob refs from 2023
posts, no ``createdAt``, more than three ``langs``, a gallery item without
``aspectRatio``, text over the model's length limit); those records are read
from the plain JSON by ``$type`` instead. Both paths go through the same walker,
which raises `InputError` for the problems that do matter here (a required
``alt`` missing or not a string, a malformed embed of a known type).

The atproto package takes most of a second to import, so it is imported only
when a file is actually read, never when this module is imported.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

from auditor.errors import InputError
from auditor.model import Image, Post, Source

# Lexicon NSIDs (the same strings as the SDK's `models.ids`, checked by the tests;
# spelled out here so that importing this module does not import the SDK).
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

__all__ = ["read_records", "parse_records"]

_DECODER = json.JSONDecoder()
_WS = re.compile(r"[ \t\n\r]*")  # JSON's whitespace, nothing more
_MISSING: Any = object()


def read_records(path: str, data: bytes | None = None) -> list[Post]:
    """Read the posts in the file at `path` (or in `data`, bytes already read from it)."""
    if data is None:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            raise InputError("no such file", path=path) from None
        except IsADirectoryError:
            raise InputError("is a folder, not a file of post records", path=path) from None
        except OSError as err:
            raise InputError(f"cannot read the file: {err.strerror or err}", path=path) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise InputError(
            f"the file is not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start})",
            path=path,
            line=line,
        ) from None
    return parse_records(text, path)


def parse_records(text: str, path: str) -> list[Post]:
    """Read the posts in `text`, the content of the file `path` (used in sources and messages)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    pos = _skip_ws(text, 0)
    if pos == len(text):
        what = "it is empty" if not text else "only blank lines"
        raise InputError(f"the file holds no records ({what})", path=path)
    lines = _Lines(text)
    posts: list[Post] = []
    # JSON Lines is read as a stream of JSON values, which also takes one document,
    # and several pretty-printed ones one after the other (as `jq` writes them)
    one_line_values: bool | None = None  # None until a value was read: all on one line each so far?
    while pos < len(text):
        try:
            document, end = _DECODER.raw_decode(text, pos)
        except json.JSONDecodeError as err:
            raise _syntax_error(text, pos, err, one_line_values, lines, path) from None
        except RecursionError:
            raise InputError("not usable JSON: nested too deeply", path=path, line=lines.at(pos)) from None
        items = _document_items(document, path, lines.at(pos))
        offsets = _item_offsets(text, pos, document, items)
        posts.extend(_post(item, path, lines.at(offset)) for item, offset in zip(items, offsets))
        one_line_values = (one_line_values is not False) and text.find("\n", pos, end) == -1
        pos = _skip_ws(text, end)
    return posts


# --- the file's layout ---------------------------------------------------------


class _Lines:
    """1-based line numbers of offsets into `text`, counted once for ascending offsets."""

    def __init__(self, text: str):
        self.text = text
        self.offset = 0
        self.line = 1

    def at(self, offset: int) -> int:
        if offset < self.offset:
            return self.text.count("\n", 0, offset) + 1
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


def _skip_ws(text: str, pos: int) -> int:
    return _WS.match(text, pos).end()  # type: ignore[union-attr]  # always matches


def _syntax_error(
    text: str, start: int, err: json.JSONDecodeError, one_line_values: bool | None, lines: _Lines, path: str
) -> InputError:
    """The value at `start` is broken: name its line in JSON Lines, else where the decoder stopped."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end == -1 else line_end
    json_lines = one_line_values if one_line_values is not None else _next_line_is_json(text, line_end)
    if json_lines and not text[line_start:start].strip(" \t\r"):
        try:
            json.loads(text[line_start:line_end])
        except json.JSONDecodeError as line_err:
            message = f"line is not valid JSON: {line_err.msg} (column {line_err.colno})"
            return InputError(message, path=path, line=lines.at(start))
        except RecursionError:
            return InputError("line is not usable JSON: nested too deeply", path=path, line=lines.at(start))
    return InputError(f"not valid JSON: {err.msg} (column {err.colno})", path=path, line=err.lineno)


def _next_line_is_json(text: str, pos: int) -> bool:
    """Does the next non-blank line from `pos` hold a JSON object by itself (then this is JSON Lines)?"""
    for line in text[pos:].split("\n"):
        if line.strip(" \t\r"):
            try:
                return isinstance(json.loads(line), dict)
            except (ValueError, RecursionError):
                return False
    return False


def _document_items(document: Any, path: str, line: int) -> list[Any]:
    """The records in one JSON document: itself, the list's items, or a listRecords page's records."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        if _is_list_records(document):
            records = document["records"]
            if not isinstance(records, list):
                raise InputError(f"'records' must be a list, found {_kind(records)}", path=path, line=line)
            return records
        return [document]
    raise InputError(
        f"expected a post record, a list of records or a listRecords response, found {_kind(document)}",
        path=path,
        line=line,
    )


def _is_list_records(document: dict[str, Any]) -> bool:
    return "records" in document and "$type" not in document and "value" not in document


def _item_offsets(text: str, start: int, document: Any, items: list[Any]) -> list[int]:
    """Where each record of the (already decoded) JSON value at `start` begins."""
    offsets: list[int] | None
    if isinstance(document, list):
        offsets = _element_offsets(text, start)
    elif isinstance(document, dict) and _is_list_records(document):
        records_at = _member_offset(text, start, "records")
        offsets = _element_offsets(text, records_at) if records_at is not None else None
    else:
        offsets = [start]
    if offsets is None or len(offsets) != len(items):  # not expected; keep the value's own line
        offsets = [start] * len(items)
    return offsets


def _element_offsets(text: str, pos: int) -> list[int]:
    """Start offsets of the elements of the JSON array at `pos` (valid JSON assumed)."""
    offsets: list[int] = []
    pos = _skip_ws(text, pos + 1)
    if text[pos] == "]":
        return offsets
    while True:
        offsets.append(pos)
        _, pos = _DECODER.raw_decode(text, pos)
        pos = _skip_ws(text, pos)
        if text[pos] == "]":
            return offsets
        pos = _skip_ws(text, pos + 1)  # past ","


def _member_offset(text: str, pos: int, name: str) -> int | None:
    """Start offset of member `name`'s value in the JSON object at `pos` (valid JSON assumed).

    The last one where the key repeats, as the decoder keeps the last.
    """
    found = None
    pos = _skip_ws(text, pos + 1)
    if text[pos] == "}":
        return found
    while True:
        key, pos = _DECODER.raw_decode(text, pos)
        pos = _skip_ws(text, _skip_ws(text, pos) + 1)  # past ":"
        if key == name:
            found = pos
        _, pos = _DECODER.raw_decode(text, pos)
        pos = _skip_ws(text, pos)
        if text[pos] == "}":
            return found
        pos = _skip_ws(text, pos + 1)  # past ","


# --- one record ----------------------------------------------------------------


def _post(item: Any, path: str, line: int) -> Post:
    def fail(message: str) -> InputError:
        return InputError(message, path=path, line=line)

    if not isinstance(item, dict):
        raise fail(f"a record must be a JSON object, found {_kind(item)}")
    uri = None
    collection = None
    if "value" in item and "$type" not in item:  # {uri, cid, value} from listRecords/getRecord
        uri, collection = _check_uri(item.get("uri", _MISSING), fail)
        value = item["value"]
        if not isinstance(value, dict):
            raise fail(f"the record's 'value' must be a JSON object, found {_kind(value)}")
    else:
        value = item
    record_type = value.get("$type", collection)
    if record_type is not None and not isinstance(record_type, str):
        raise fail(f"'$type' must be a string, found {_kind(record_type)}")
    if record_type is not None and record_type != POST:
        raise fail(f"{uri or 'the record'} is a {record_type} record, not a post ({POST})")
    text = value.get("text", _MISSING)
    if text is _MISSING:
        raise fail(f"the post has no 'text' ({POST} requires it)")
    if not isinstance(text, str):
        raise fail(f"the post's 'text' must be a string, found {_kind(text)}")

    record = _validated(value)
    source = Source(path=path, line=line, uri=uri)
    images: list[Image] = []
    embed = _get(record, "embed")
    if embed is not _MISSING:
        _read_media(embed, "embed", images, fail, nested=False)
    for image in images:
        image.source = replace(source)
    langs = _get(record, "langs")
    langs = [lang for lang in langs if isinstance(lang, str)] if isinstance(langs, list) else []
    return Post(text=text, images=images, langs=langs, source=source)


def _check_uri(uri: Any, fail: Any) -> tuple[str | None, str | None]:
    """The wrapper's at:// URI (optional) and the collection it names."""
    if uri is _MISSING or uri is None:
        return None, None
    if not isinstance(uri, str):
        raise fail(f"the record's 'uri' must be a string, found {_kind(uri)}")
    from atproto_core.exceptions import AtProtocolError
    from atproto_core.uri import AtUri

    try:
        parsed = AtUri.from_str(uri)
    except AtProtocolError:
        parsed = None
    # AtUri.from_str takes the scheme as optional and accepts nearly any word as a host
    if parsed is None or not uri.startswith("at://") or not parsed.host:
        raise fail(f"the record's 'uri' is not an at:// URI: {uri!r}")
    return uri, parsed.collection or None


def _validated(value: dict[str, Any]) -> Any:
    """The post as the SDK's model, or the plain dict where the model rejects it."""
    from atproto_client import models

    try:
        return models.AppBskyFeedPost.Record.model_validate(value)
    except Exception:  # noqa: BLE001 - any rejection: read the dict; the walker reports what matters
        return value


# --- embeds --------------------------------------------------------------------


def _read_media(embed: Any, where: str, out: list[Image], fail: Any, *, nested: bool) -> None:
    """Append an Image for each described medium in `embed` (a model or a plain dict)."""
    embed = _plain(embed)
    embed_type = _get(embed, "$type")
    if embed_type == IMAGES:
        for i, image in enumerate(_list(embed, "images", where, IMAGES, fail)):
            at = f"{where}.images[{i}]"
            _object(image, at, fail)
            out.append(Image(index=len(out) + 1, alt=_alt(image, at, IMAGES, fail, required=True), kind="image"))
    elif embed_type == VIDEO:
        alt = _alt(embed, where, VIDEO, fail, required=False)
        kind = "gif" if _get(embed, "presentation") == "gif" else "video"
        out.append(Image(index=len(out) + 1, alt=alt, kind=kind))
    elif embed_type == GALLERY:
        for i, item in enumerate(_list(embed, "items", where, GALLERY, fail)):
            at = f"{where}.items[{i}]"
            item = _object(_plain(item), at, fail)
            item_type = _get(item, "$type")
            # gallery#image requires alt; a newer item type may carry one
            required = item_type is _MISSING or item_type == GALLERY_IMAGE
            alt = _alt(item, at, GALLERY, fail, required=required)
            out.append(Image(index=len(out) + 1, alt=alt, kind="gallery"))
    elif embed_type == EXTERNAL:
        card = _plain(_get(embed, "external"))
        description = _get(card, "description") if _is_object(card) else _MISSING
        if isinstance(description, str):
            for prefix in GIF_ALT_PREFIXES:
                if description.startswith(prefix):
                    out.append(
                        Image(
                            index=len(out) + 1,
                            alt=description[len(prefix) :],
                            kind="gif",
                            alt_by_provider=prefix == PROVIDER_ALT_PREFIX,
                        )
                    )
                    break
        # without the prefix it is a link card: nothing described
    elif embed_type == RECORD_WITH_MEDIA and not nested:
        media = _get(embed, "media")
        if media is _MISSING:
            raise fail(f"{where}: 'media' is missing ({RECORD_WITH_MEDIA} requires it)")
        _read_media(_object(_plain(media), f"{where}.media", fail), f"{where}.media", out, fail, nested=True)
    # anything else (app.bsky.embed.record, custom types) carries no media


def _alt(node: Any, where: str, lexicon: str, fail: Any, *, required: bool) -> str | None:
    alt = _get(node, "alt")
    if alt is _MISSING or (alt is None and not required):
        if required:
            raise fail(f"{where}: 'alt' is missing ({lexicon} requires it)")
        return None
    if not isinstance(alt, str):
        raise fail(f"{where}: 'alt' must be a string, found {_kind(alt)}")
    return alt


def _list(node: Any, key: str, where: str, lexicon: str, fail: Any) -> list[Any]:
    value = _get(node, key)
    if value is _MISSING:
        raise fail(f"{where}: '{key}' is missing ({lexicon} requires it)")
    if not isinstance(value, list):
        raise fail(f"{where}: '{key}' must be a list, found {_kind(value)}")
    return value


def _object(node: Any, where: str, fail: Any) -> Any:
    if not _is_object(node):
        raise fail(f"{where} must be a JSON object, found {_kind(node)}")
    return node


def _is_object(node: Any) -> bool:
    from pydantic import BaseModel

    return isinstance(node, (dict, BaseModel))


def _plain(node: Any) -> Any:
    """The SDK's DotDict (an open union member of a type it does not know) as a plain dict."""
    from atproto_client.models.dot_dict import DotDict

    return node.to_dict() if isinstance(node, DotDict) else node


def _get(node: Any, key: str) -> Any:
    """Field `key` (lexicon spelling) of a plain dict or an SDK model; _MISSING when absent or null."""
    if isinstance(node, dict):
        value = node.get(key, _MISSING)
    elif key == "$type":
        value = getattr(node, "py_type", _MISSING)
    else:
        # the keys read here are one lowercase word: the same name on the models
        value = getattr(node, key, _MISSING)
    return _MISSING if value is None and key != "alt" else value


def _kind(value: Any) -> str:
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
