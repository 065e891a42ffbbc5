"""Post views from the public Bluesky API, as people save them with curl.

The API's read methods wrap each post in a *view* (``app.bsky.feed.defs#postView``:
``{uri, cid, author, record, embed?, ...}``), and these responses hold them:

- ``app.bsky.feed.getAuthorFeed``, ``getTimeline``, ``getFeed``, ``getListFeed``,
  ``getActorLikes``: ``{feed: [{post, reply?, reason?}], cursor?}``;
- ``app.bsky.feed.getPosts``, ``getQuotes``, ``searchPosts``: ``{posts: [postView]}``;
- ``app.bsky.bookmark.getBookmarks``: ``{bookmarks: [{subject, item: postView}]}``
  (deleted and blocked items skipped);
- ``app.bsky.feed.getPostThread``: ``{thread: threadViewPost}``, whose ``parent``
  and ``replies`` are thread nodes again, or ``notFoundPost`` / ``blockedPost``
  placeholders (skipped: they carry no post);
- one post view, one feed item or one thread node by itself (as ``jq '.feed[]'``
  or ``jq '.posts[]'`` writes them, one a line).

Each post is audited once, by URI: a feed repeats a post that was reposted, and
several pages of a feed may overlap. Only the feed's own posts are read, not the
``reply`` context (root and parent) nor quoted posts, which are shown beside a
post but are not part of the response's list.

The alt texts are read from the view's ``record`` (the post record as stored),
through the same reader as bare records (`post_record.record_to_post`). Where the
record carries no embed but the view does (a response trimmed with jq, say),
the view's hydrated embed (``app.bsky.embed.images#view`` and the like, which
repeat each ``alt``) is read instead.
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Iterator

from ..errors import InputError
from ..model import InputProblem, Post, Source

POST_TYPE = "app.bsky.feed.post"
THREAD_VIEW = "app.bsky.feed.defs#threadViewPost"
NOT_FOUND = "app.bsky.feed.defs#notFoundPost"
BLOCKED = "app.bsky.feed.defs#blockedPost"

# The hydrated form of each embed, and the record type it stands for.
VIEW_TYPES = {
    "app.bsky.embed.images#view": "app.bsky.embed.images",
    "app.bsky.embed.video#view": "app.bsky.embed.video",
    "app.bsky.embed.gallery#view": "app.bsky.embed.gallery",
    "app.bsky.embed.external#view": "app.bsky.embed.external",
    "app.bsky.embed.record#view": "app.bsky.embed.record",
    "app.bsky.embed.recordWithMedia#view": "app.bsky.embed.recordWithMedia",
}

__all__ = ["is_api_view", "is_post_view", "view_posts", "Locator"]


def is_post_view(value: Any) -> bool:
    """A postView: the post's URI, its author and its record, as the API returns them."""
    return (
        isinstance(value, dict)
        and isinstance(value.get("uri"), str)
        and isinstance(value.get("author"), dict)
        and "record" in value
        and "value" not in value
    )


def is_api_view(document: Any) -> bool:
    """Does this JSON value hold post views: a feed, a list of posts or a thread
    (a whole response), one feed item, one thread node, or one post view?

    Records and listRecords pages are not: they are read as records.
    """
    return _shape(document) is not None


def _shape(document: Any) -> str | None:
    """Which of the API's shapes the value has (the key its views are under), or None."""
    if is_post_view(document):
        return "view"
    if not isinstance(document, dict) or "value" in document:
        return None
    kind = document.get("$type")
    if kind is not None:
        return "node" if kind == THREAD_VIEW and isinstance(document.get("post"), dict) else None
    feed = document.get("feed")
    if isinstance(feed, list) and (not feed or _is_feed_item(feed[0])):
        return "feed"
    posts = document.get("posts")
    if isinstance(posts, list) and (not posts or is_post_view(posts[0])):
        return "posts"
    bookmarks = document.get("bookmarks")
    if isinstance(bookmarks, list) and (not bookmarks or (isinstance(bookmarks[0], dict) and "item" in bookmarks[0])):
        return "bookmarks"
    thread = document.get("thread")
    if isinstance(thread, dict) and ("post" in thread or "notFound" in thread or "blocked" in thread):
        return "thread"
    if is_post_view(document.get("post")):  # a feed item or a thread node by itself
        return "node" if "parent" in document or "replies" in document else "item"
    return None


def _is_feed_item(item: Any) -> bool:
    return isinstance(item, dict) and isinstance(item.get("post"), dict)


def view_posts(
    document: Any,
    path: str,
    line: int | None = None,
    seen: set[str] | None = None,
    locate: "Locator | None" = None,
) -> Iterator[Post | InputProblem]:
    """The posts in one API response, each once (URIs already in `seen` are skipped).

    Yields a `Post` for each usable post and an `InputProblem` for each view
    that cannot be read, so that one bad view does not hide the others. With
    `locate` (the document's text), each post names the line its view starts on;
    else every post has the document's `line`.
    """
    from .post_record import record_to_post

    seen = set() if seen is None else seen
    for where, view in _views(document):
        at = line
        if locate is not None:
            at = locate.line(where) or line
        uri = view.get("uri") if isinstance(view, dict) else None
        if not isinstance(uri, str) or not uri:
            yield InputProblem(path, at, "a post view without its 'uri'")
            continue
        if uri in seen:
            continue
        seen.add(uri)
        source = Source(path=path, line=at, uri=uri)
        try:
            yield record_to_post(_record_of(view, uri), source)
        except InputError as err:
            yield InputProblem(path, at, f"{uri}: {err.detail}", uri=uri)


Where = tuple  # a JSON path: member names and array indexes from the document's top


def _views(document: Any) -> Iterator[tuple[Where, Any]]:
    """Every post view of the value, in reading order, with where it is."""
    shape = _shape(document)
    if shape == "view":
        yield (), document
    elif shape == "feed":
        for i, item in enumerate(document["feed"]):
            yield ("feed", i, "post"), item.get("post") if isinstance(item, dict) else None
    elif shape == "posts":
        for i, view in enumerate(document["posts"]):
            yield ("posts", i), view
    elif shape == "bookmarks":
        for i, bookmark in enumerate(document["bookmarks"]):
            item = bookmark.get("item") if isinstance(bookmark, dict) else None
            if not (isinstance(item, dict) and (item.get("notFound") is True or item.get("blocked") is True)):
                yield ("bookmarks", i, "item"), item
    elif shape == "thread":
        yield from _thread(document["thread"], ("thread",))
    elif shape == "node":
        yield from _thread(document, ())
    elif shape == "item":
        yield ("post",), document["post"]


def _thread(root: Any, at: Where) -> Iterator[tuple[Where, Any]]:
    """A thread from the top: the anchor's parents (oldest first), the anchor, then
    its replies depth first. Walked with a stack, not recursion: threads run deep."""
    parents = []
    node, where = (root.get("parent") if isinstance(root, dict) else None), at + ("parent",)
    while isinstance(node, dict):
        parents.append((where, node))
        node, where = node.get("parent"), where + ("parent",)
    for where, parent in reversed(parents):
        if _has_post(parent):
            yield where + ("post",), parent["post"]
    stack = [(at, root)]
    while stack:
        where, node = stack.pop()
        if not _has_post(node):
            continue  # notFoundPost, blockedPost, or a type this reader does not know
        yield where + ("post",), node["post"]
        replies = node.get("replies")
        if isinstance(replies, list):
            stack.extend((where + ("replies", i), reply) for i, reply in reversed(list(enumerate(replies))))


def _has_post(node: Any) -> bool:
    if not isinstance(node, dict) or node.get("notFound") is True or node.get("blocked") is True:
        return False
    kind = node.get("$type", THREAD_VIEW)
    return kind == THREAD_VIEW and isinstance(node.get("post"), dict)


def _record_of(view: dict, uri: str) -> dict:
    """The post record of a view; its embed from the view's hydrated embed when the
    record has none."""
    record = view.get("record")
    if not isinstance(record, dict):
        raise InputError("the post view has no 'record' object")
    if "embed" not in record and isinstance(view.get("embed"), dict):
        embed = record_embed(view["embed"])
        if embed is not None:
            record = {**record, "embed": embed}
    return record


def record_embed(view_embed: dict) -> dict | None:
    """The record form of a hydrated embed, with what carries alt text: the `alt` of
    each image, gallery item or video, a GIF card's description. None for a type
    this reader does not know."""
    kind = VIEW_TYPES.get(view_embed.get("$type"))  # type: ignore[arg-type]
    if kind is None:
        return None
    out: dict[str, Any] = {"$type": kind}
    if kind == "app.bsky.embed.images":
        out["images"] = [_described(image) for image in _items(view_embed, "images")]
    elif kind == "app.bsky.embed.gallery":
        out["items"] = [
            {"$type": "app.bsky.embed.gallery#image", **_described(item)} for item in _items(view_embed, "items")
        ]
    elif kind == "app.bsky.embed.video":
        out.update({key: view_embed[key] for key in ("alt", "presentation", "aspectRatio") if key in view_embed})
    elif kind == "app.bsky.embed.external":
        card = view_embed.get("external")
        if isinstance(card, dict):
            out["external"] = {key: card[key] for key in ("uri", "title", "description") if key in card}
    elif kind == "app.bsky.embed.recordWithMedia":
        media = view_embed.get("media")
        out["media"] = record_embed(media) if isinstance(media, dict) else media
        if out["media"] is None:
            return None
    return out


def _items(node: dict, key: str) -> list:
    value = node.get(key)
    return value if isinstance(value, list) else []


def _described(image: Any) -> Any:
    if not isinstance(image, dict):
        return image  # the record reader names what is wrong
    return {key: image[key] for key in ("alt", "aspectRatio") if key in image}


# --- where each view is in the text ------------------------------------------------

_DECODER = json.JSONDecoder()
_WS = re.compile(r"[ \t\n\r]*")
MAX_LOCATED_DEPTH = 40  # deeper paths (long reply chains) keep the document's line: each level costs a parse


class Locator:
    """Lines of values inside one JSON document of `text` that starts at `start`
    (valid JSON, already decoded once), found by walking the text along a path.
    Each object or array on the way is scanned once and remembered."""

    def __init__(self, text: str, start: int, line_at: Callable[[int], int]):
        self.text = text
        self.start = start
        self.line_at = line_at
        self._scanned: dict[int, Any] = {}

    def line(self, where: Where) -> int | None:
        if len(where) > MAX_LOCATED_DEPTH:
            return None
        pos = self.start
        for step in where:
            children = self._children(pos)
            try:
                pos = children[step]
            except (KeyError, IndexError, TypeError):
                return None
        return self.line_at(pos)

    def _children(self, pos: int) -> Any:
        found = self._scanned.get(pos)
        if found is None:
            found = self._scanned[pos] = self._scan(pos)
        return found

    def _scan(self, pos: int) -> Any:
        """Offsets of the members (a dict) or elements (a list) of the value at `pos`."""
        text = self.text
        opener = text[pos]
        if opener not in "[{":
            return {}
        closer = "]" if opener == "[" else "}"
        members: dict[str, int] = {}
        elements: list[int] = []
        pos = _skip(text, pos + 1)
        while text[pos] != closer:
            if opener == "{":
                key, pos = _DECODER.raw_decode(text, pos)
                pos = _skip(text, _skip(text, pos) + 1)  # past ":"
                members[key] = pos  # the last one wins where a key repeats, as in the decoder
            else:
                elements.append(pos)
            _, pos = _DECODER.raw_decode(text, pos)
            pos = _skip(text, pos)
            if text[pos] == ",":
                pos = _skip(text, pos + 1)
        return members if opener == "{" else elements


def _skip(text: str, pos: int) -> int:
    return _WS.match(text, pos).end()  # type: ignore[union-attr]  # always matches
