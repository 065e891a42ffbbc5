"""Read Bluesky post records (``app.bsky.feed.post``) from JSON or JSON Lines files.

A file holds JSON Lines (one document a line, blank lines allowed) or one JSON
document, or several pretty-printed documents one after another (as ``jq``
writes them). A document is a record, a list of records, or a
``com.atproto.repo.listRecords`` response ``{"records": [...], "cursor": ...}``.
A record is the bare post value or the ``{uri, cid, value}`` wrapper that
listRecords and getRecord return.

`iter_records` streams: JSON Lines are read one line at a time, and a file that
is one large list of records (over 8 MB) one element at a time, so a file of
any size is audited in constant memory; other layouts are parsed whole. It
yields a `Post` for each post record and an `InputProblem` for each one that
cannot be read (a broken line, a post with a wrong field), then goes on with
the rest. Records of other types (likes, follows, profiles) are counted in
`not_posts` and skipped. What one record becomes is `post_record`'s business
(`record_to_post`, `is_post_record`, re-exported here).
"""

from __future__ import annotations

import codecs
import io
import json
import os
import re
from collections import Counter
from itertools import chain
from typing import TYPE_CHECKING, Any, BinaryIO, Iterable, Iterator

from ..errors import InputError
from ..model import InputProblem, Post, Source
from .api_views import Locator, is_api_view, view_posts
from .post_record import (  # noqa: F401 - re-exported: the public record API lives here too
    EXTERNAL,
    GALLERY,
    GALLERY_IMAGE,
    GIF_ALT_PREFIXES,
    IMAGES,
    POST,
    PROVIDER_ALT_PREFIX,
    RECORD_WITH_MEDIA,
    VIDEO,
    is_post_record,
    kind_of,
    record_to_post,
    unwrap,
)

if TYPE_CHECKING:
    from .record_lines import LinesFile

__all__ = ["iter_records", "read_records", "parse_records", "record_items", "record_to_post", "is_post_record"]

_DECODER = json.JSONDecoder()
_WS = re.compile(r"[ \t\n\r]*")  # JSON's whitespace, nothing more
_BLANK = b" \t\r\n"


def iter_records(
    path: str, data: bytes | None = None, not_posts: Counter | None = None, lines_file: "LinesFile | None" = None
) -> Iterator[Post | InputProblem]:
    """The posts in the file at `path` (or in `data`, its bytes already read), one
    at a time, with an `InputProblem` for each record or line that cannot be read.

    Records that are not posts are skipped; `not_posts` (when given) counts them
    by ``$type``. A file that cannot be opened is one problem. Given a
    `lines_file` (record_lines.py), JSON Lines come as `RecordLines`, batches of
    raw lines that whoever audits them parses.
    """
    if not_posts is None:
        not_posts = Counter()
    if data is not None:
        handle: BinaryIO = io.BytesIO(data)
    else:
        try:
            handle = open(path, "rb")
        except FileNotFoundError:
            yield InputProblem(path, None, "no such file")
            return
        except IsADirectoryError:
            yield InputProblem(path, None, "is a folder, not a file of post records")
            return
        except OSError as err:
            yield InputProblem(path, None, f"cannot read the file: {err.strerror or err}")
            return
    with handle:
        try:
            head = _first_line(handle)
            if head is None:
                return  # empty, or only blank lines: an audit of nothing
            number, line = head
            if _parses(line):
                if lines_file is not None:
                    from .record_lines import batches

                    yield from batches(chain([line], handle), number, lines_file)
                else:
                    yield from _json_lines(chain([line], handle), number, path, not_posts)
            elif line.lstrip(_BLANK).startswith(b"[") and _size(handle) > STREAM_LISTS_OVER:
                yield from _streamed_list(handle, line, number, path, not_posts)
            else:
                data = b"\n" * (number - 1) + line + handle.read()
                yield from _documents(data, path, not_posts)
        except OSError as err:
            yield InputProblem(path, None, f"cannot read the file: {err.strerror or err}")


def read_records(path: str, data: bytes | None = None) -> list[Post]:
    """Every post in the file, or `InputError` for the first record that cannot
    be read (for callers that want all or nothing; the CLI streams instead)."""
    return _strict(iter_records(path, data))


def parse_records(text: str, path: str) -> list[Post]:
    """The posts in `text`, the content of the file `path` (used in sources and messages)."""
    return _strict(_documents_in(text, path, Counter()))


def _strict(items: Iterable[Post | InputProblem]) -> list[Post]:
    posts = []
    for item in items:
        if isinstance(item, InputProblem):
            raise InputError(item.message, path=item.path, line=item.line)
        posts.append(item)
    return posts


# --- JSON Lines: one line at a time ----------------------------------------------


def _first_line(handle: BinaryIO) -> tuple[int, bytes] | None:
    """The first line that is not blank (BOM removed) and its number; None if none."""
    for number, line in enumerate(handle, start=1):
        if number == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if line.strip(_BLANK):
            return number, line
    return None


def _parses(line: bytes) -> bool:
    """Is this line a JSON document by itself (then the file is JSON Lines)?"""
    try:
        json.loads(line.decode("utf-8"))
    except (ValueError, RecursionError):
        return False
    return True


def _json_lines(lines: Iterable[bytes], first: int, path: str, not_posts: Counter) -> Iterator[Post | InputProblem]:
    seen: set[str] = set()  # URIs of the API's post views read so far (api_views)
    for number, raw in enumerate(lines, start=first):
        yield from line_items(raw, number, path, not_posts, seen)


def line_items(raw: bytes, number: int, path: str, not_posts: Counter, seen: set[str]) -> Iterator[Post | InputProblem]:
    """The posts and problems of one line of a JSON Lines file (none for a blank one)."""
    document = _line_document(raw, number, path)
    if document is _BLANK_LINE:
        return
    if isinstance(document, InputProblem):
        yield document
        return
    for item in _document_items(document, path, number):
        yield from _record(item, path, number, not_posts, seen)


def line_entries(path: str, first: int, lines: list[bytes]) -> tuple[list, Counter]:
    """`line_items` of lines numbered from `first`, in a list, where no line is
    read against another: a line holding API views (whose posts are audited
    once a file, by URI) is left as its number, to be read where the others
    of the file are (record_lines.RecordLines.view_line). Returns the list and
    the records that are not posts, by type."""
    not_posts: Counter = Counter()
    entries: list = []
    for number, raw in enumerate(lines, start=first):
        document = _line_document(raw, number, path)
        if document is _BLANK_LINE:
            continue
        if isinstance(document, InputProblem):
            entries.append(document)
            continue
        if type(document) is dict and "value" in document:  # a {uri, cid, value} record: never a view or a page
            entry = _plain_record(document, path, number, not_posts)
            if entry is not None:
                entries.append(entry)
            continue
        items = _document_items(document, path, number)
        if any(is_api_view(item) for item in items):
            entries.append(number)
            continue
        for item in items:
            entries.extend(_record(item, path, number, not_posts))
    return entries, not_posts


_BLANK_LINE: Any = object()


def _line_document(raw: bytes, number: int, path: str) -> Any:
    """The JSON value on one line, `_BLANK_LINE`, or an `InputProblem` saying why not."""
    raw = raw.strip(_BLANK)
    if not raw:
        return _BLANK_LINE
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return InputProblem(path, number, f"line is not UTF-8 text (byte 0x{raw[err.start]:02x} at column {err.start + 1})")
    try:
        # What json.loads does, less its layers (the line has no surrounding
        # whitespace left); anything else goes to json.loads for its own message.
        value, end = _DECODER.raw_decode(text)
        if end == len(text):
            return value
    except (ValueError, RecursionError):
        pass
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        return InputProblem(path, number, f"line is not valid JSON: {err.msg} (column {err.colno})")
    except RecursionError:
        return InputProblem(path, number, "line is not usable JSON: nested too deeply")


# --- a large list of records: one element at a time -------------------------------

STREAM_LISTS_OVER = 8 * 2**20  # bytes; smaller files are parsed whole (the layouts below)
CHUNK = 2**20


def _size(handle: BinaryIO) -> int:
    try:
        return os.fstat(handle.fileno()).st_size
    except (AttributeError, OSError, io.UnsupportedOperation):
        return len(handle.getbuffer()) if isinstance(handle, io.BytesIO) else 0


class _Text:
    """The file's text read on demand, with the line number of any offset."""

    def __init__(self, handle: BinaryIO, first: bytes, line: int):
        self.handle = handle
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.text = self.decoder.decode(first)
        self.eof = False
        self.counted, self.line = 0, line  # line number at offset `counted`
        self.chunk = CHUNK

    def more(self, pos: int) -> int:
        """Read on, dropping the text before `pos`; returns where `pos` is now."""
        if self.eof:
            return pos
        data = self.handle.read(self.chunk)
        self.chunk = min(self.chunk * 2, 64 * CHUNK)  # a long element is read in fewer, larger steps
        self.line_at(pos)
        self.text = self.text[pos:] + self.decoder.decode(data, final=not data)
        self.counted = 0
        self.eof = not data
        return 0

    def line_at(self, pos: int) -> int:
        """Line number of offset `pos` (offsets asked in ascending order)."""
        self.line += self.text.count("\n", self.counted, pos)
        self.counted = pos
        return self.line

    def skip_ws(self, pos: int) -> int:
        while True:
            pos = _skip_ws(self.text, pos)
            if pos < len(self.text) or self.eof:
                return pos
            pos = self.more(pos)


def _streamed_list(handle: BinaryIO, first: bytes, line: int, path: str, not_posts: Counter) -> Iterator[Post | InputProblem]:
    """A top-level JSON list of records, element by element, so that memory does not
    grow with the file. Line numbers and messages as for a list parsed whole."""
    seen: set[str] = set()
    try:
        text = _Text(handle, first, line)
        pos = text.skip_ws(0) + 1  # past "["
        pos = text.skip_ws(pos)
        if text.text.startswith("]", pos):
            pos += 1
        else:
            while True:
                try:
                    value, end = _DECODER.raw_decode(text.text, pos)
                    if end == len(text.text) and not text.eof:
                        raise ValueError("the element may go on in the next chunk")
                except ValueError as err:
                    if text.eof and isinstance(err, json.JSONDecodeError):
                        where = text.line_at(pos) + text.text.count("\n", pos, err.pos)
                        # the column is known when the line starts in the text still held
                        column = f" (column {err.colno})" if text.text.rfind("\n", 0, err.pos) != -1 else ""
                        yield InputProblem(path, where, f"not valid JSON: {err.msg}{column}")
                        return
                    pos = text.more(pos)
                    continue
                yield from _record(value, path, text.line_at(pos), not_posts, seen)
                pos = text.skip_ws(end)
                if text.text.startswith(",", pos):
                    pos = text.skip_ws(pos + 1)
                elif text.text.startswith("]", pos):
                    pos += 1
                    break
                else:
                    found = "the end of the file" if pos >= len(text.text) else repr(text.text[pos])
                    yield InputProblem(path, text.line_at(pos), f"not valid JSON: expected ',' or ']' in the list, found {found}")
                    return
        # Whatever follows the list (jq writes documents one after another), as usual.
        rest = text.text[pos:] + text.decoder.decode(handle.read(), final=True)
        if rest.strip(" \t\r\n"):
            yield from _documents_in("\n" * (text.line_at(pos) - 1) + rest, path, not_posts)
    except UnicodeDecodeError as err:
        yield InputProblem(path, None, f"the file is not UTF-8 text ({err.reason})")
    except RecursionError:
        yield InputProblem(path, None, "not usable JSON: nested too deeply")


# --- other layouts: the whole file -------------------------------------------------


def _documents(data: bytes, path: str, not_posts: Counter) -> Iterator[Post | InputProblem]:
    """Documents one after another (one, or pretty-printed ones as jq writes them)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        yield InputProblem(path, line, f"the file is not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start})")
        return
    yield from _documents_in(text, path, not_posts)


def _documents_in(text: str, path: str, not_posts: Counter) -> Iterator[Post | InputProblem]:
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = _Lines(text)
    pos = _skip_ws(text, 0)
    one_line_values: bool | None = None  # None until a value was read: all on one line each so far?
    seen: set[str] = set()  # URIs of the API's post views read so far (api_views)
    while pos < len(text):
        try:
            document, end = _DECODER.raw_decode(text, pos)
        except json.JSONDecodeError as err:
            problem, resume = _syntax_error(text, pos, err, one_line_values, lines, path)
            yield problem
            if resume is None:
                return
            pos = _skip_ws(text, resume)
            continue
        except RecursionError:
            yield InputProblem(path, lines.at(pos), "not usable JSON: nested too deeply")
            return
        items = _document_items(document, path, lines.at(pos))
        offsets = _item_offsets(text, pos, document, items)
        for item, offset in zip(items, offsets):
            yield from _record(item, path, lines.at(offset), not_posts, seen, (text, offset, lines.at))
        one_line_values = (one_line_values is not False) and text.find("\n", pos, end) == -1
        pos = _skip_ws(text, end)


def _syntax_error(
    text: str, start: int, err: json.JSONDecodeError, one_line_values: bool | None, lines: _Lines, path: str
) -> tuple[InputProblem, int | None]:
    """The value at `start` is broken. In JSON Lines, name its line and go on
    after it (returns where); else name where the decoder stopped, and stop."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end == -1 else line_end
    json_lines = one_line_values if one_line_values is not None else _next_line_is_json(text, line_end)
    if json_lines and not text[line_start:start].strip(" \t\r"):
        try:
            json.loads(text[line_start:line_end])
        except json.JSONDecodeError as line_err:
            message = f"line is not valid JSON: {line_err.msg} (column {line_err.colno})"
            return InputProblem(path, lines.at(start), message), line_end
        except RecursionError:
            return InputProblem(path, lines.at(start), "line is not usable JSON: nested too deeply"), line_end
    return InputProblem(path, err.lineno, f"not valid JSON: {err.msg} (column {err.colno})"), None


def _next_line_is_json(text: str, pos: int) -> bool:
    """Does the next non-blank line from `pos` hold a JSON object by itself (then this is JSON Lines)?"""
    while pos < len(text):
        end = text.find("\n", pos + 1)
        end = len(text) if end == -1 else end
        line = text[pos:end]
        if line.strip(" \t\r\n"):
            try:
                return isinstance(json.loads(line), dict)
            except (ValueError, RecursionError):
                return False
        pos = end
    return False


# --- records in a document -------------------------------------------------------


def record_items(
    document: Any, path: str | None, line: int | None, not_posts: Counter, seen: set[str] | None = None
) -> Iterator[Post | InputProblem]:
    """The posts and problems in one decoded JSON document (a record, a list of
    records, a listRecords page, an API response) found at `path`:`line`."""
    for item in _document_items(document, path, line):
        yield from _record(item, path, line, not_posts, seen)


def _document_items(document: Any, path: str, line: int) -> list[Any]:
    """The records in one JSON document: itself, the list's items, or a listRecords page's records."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        if _is_list_records(document):
            records = document["records"]
            if not isinstance(records, list):
                return [InputProblem(path, line, f"'records' must be a list, found {kind_of(records)}")]
            return records
        return [document]
    message = f"expected a post record, a list of records or a listRecords response, found {kind_of(document)}"
    return [InputProblem(path, line, message)]


def _is_list_records(document: dict[str, Any]) -> bool:
    return "records" in document and "$type" not in document and "value" not in document


def _record(
    item: Any, path: str, line: int, not_posts: Counter, seen: set[str] | None = None, text_at: tuple | None = None
) -> Iterator[Post | InputProblem]:
    """The post in one record, a problem, or nothing (a record of another type, counted).

    An API response or post view (a feed, a thread...) gives its posts, each once
    per file (`seen`), each with its own line when `text_at` gives the text, the
    value's offset in it and the offset-to-line function: see api_views."""
    if isinstance(item, InputProblem):
        yield item
        return
    if is_api_view(item):
        yield from view_posts(item, path, line, seen, Locator(*text_at) if text_at else None)
        return
    entry = _plain_record(item, path, line, not_posts)
    if entry is not None:
        yield entry


def _plain_record(item: Any, path: str, line: int, not_posts: Counter) -> Post | InputProblem | None:
    """The post in one record that is not an API view, a problem, or None (a
    record of another type, counted)."""
    uri = None
    try:
        if not isinstance(item, dict):
            raise InputError(f"a record must be a JSON object, found {kind_of(item)}")
        value, uri, collection = unwrap(item, InputError)
        kind = value.get("$type")
        if kind is None and collection is not None:
            kind = collection  # a wrapper whose value omits $type: its URI names the collection
        if isinstance(kind, str) and kind != POST:
            not_posts[kind] += 1
            return None
        return record_to_post(value, Source(path, line, uri))
    except InputError as err:
        return InputProblem(path, line, err.detail, uri)


# --- where things are in the text ------------------------------------------------


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


def _item_offsets(text: str, start: int, document: Any, items: list[Any]) -> list[int]:
    """Where each record of the (already decoded) JSON value at `start` begins."""
    offsets: list[int] | None
    if isinstance(document, list):
        offsets = _element_offsets(text, start)
    elif isinstance(document, dict) and _is_list_records(document) and isinstance(document["records"], list):
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
