"""Account exports: a repository CAR file (Settings, Export my data; the same
bytes as com.atproto.sync.getRepo) to the posts in it.

A CAR v1 file is a header (DAG-CBOR ``{version: 1, roots: [commit CID]}``)
then blocks, each ``varint(length) CID bytes``. The commit names the root of
the repository's Merkle Search Tree; walking the tree in key order gives
every record's key ``COLLECTION/RKEY`` and the CID of its block, so each post
is named ``at://DID/app.bsky.feed.post/RKEY``, the URI listRecords gives it.

The framing is read here, block by block, so that a truncated or corrupt file
still yields every record it holds: the damage becomes one `InputProblem` and
the posts whose blocks were read are audited. Blocks are decoded with
libipld (the DAG-CBOR library the atproto SDK itself uses) without importing
the SDK, which costs half a second more than the whole of a small audit.

Records of other collections (likes, follows, the profile) are counted in
`not_posts` by collection, as files of records count them.

Framing the file and walking the tree are cheap; decoding each record and
building its `Post` (then pickling it to a worker) cost this process most of
a large audit. With `batches=True` the post records come as `CarRecords`,
a `batch.Batch` of raw blocks that parallel.py's workers decode themselves
(`parse_records`, the same code as here), so this process only reads.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterator

from ..errors import InputError
from ..model import InputProblem, Post, Source
from .batch import Batch
from .post_record import POST, record_to_post

_POST_PREFIX = POST + "/"


class CarError(Exception):
    pass


BATCH = 300  # records a worker parses and audits at a time (parallel.py's chunk of posts)


def iter_car(
    path: str, not_posts: Counter | None = None, data: bytes | None = None, batches: bool = False, counts=None
) -> Iterator[Post | InputProblem | CarRecords]:
    """The posts in the CAR file at `path` (or its bytes `data`), in record-key
    order (oldest first), and an `InputProblem` when the file is damaged.

    With `batches`, the post records come as `CarRecords` (their raw blocks,
    `BATCH` at a time) for whoever audits the stream to decode (parallel.py's
    workers, or `batch.expanded` here): the same posts and problems, in the
    same order. `counts` (discover.Inputs) has its `posts` and `problems`
    counted as batches are decoded."""
    import libipld

    not_posts = not_posts if not_posts is not None else Counter()
    if data is None:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as err:
            yield InputProblem(path, None, f"cannot read the file: {err.strerror or err}")
            return
    blocks: dict[bytes, bytes] = {}
    try:
        roots = _read_blocks(data, blocks, libipld)
        damage = None
    except CarError as err:
        roots, damage = getattr(err, "roots", []), str(err)
    del data  # the blocks hold what is needed
    if not roots:
        yield InputProblem(path, None, f"not a repository export (CAR file): {damage or 'no root'}")
        return
    try:
        commit = libipld.decode_dag_cbor(blocks[roots[0]]) if roots[0] in blocks else None
    except (ValueError, TypeError) as err:
        commit = None
        damage = damage or f"the commit block is corrupt ({err})"
    if not isinstance(commit, dict) or not isinstance(commit.get("did"), str) or not isinstance(commit.get("data"), bytes):
        yield InputProblem(path, None, f"the export has no readable commit{': ' + damage if damage else ''}")
        return
    did = commit["did"]
    missing = 0
    records: list[tuple[str, bytes]] = []  # (record key, block) of posts not yet yielded
    for key, cid in _walk(commit["data"], blocks, libipld):
        if cid is None:  # a tree node that was not read: its records are lost
            missing += 1
            continue
        if not key.startswith(_POST_PREFIX):
            not_posts[key.split("/", 1)[0]] += 1
            continue
        raw = blocks.get(cid)
        if raw is None:
            missing += 1
            continue
        records.append((key, raw))
        if len(records) >= BATCH:
            if batches:
                yield CarRecords(path, did, records, counts)
            else:
                yield from parse_records(path, did, records)[0]
            records = []
    if records:
        if batches:
            yield CarRecords(path, did, records, counts)
        else:
            yield from parse_records(path, did, records)[0]
    if damage or missing:
        lost = f"{missing} record(s) or tree node(s) missing" if missing else ""
        why = "; ".join(part for part in (damage, lost) if part)
        yield InputProblem(path, None, f"the export is damaged: {why}; the records that could be read were audited")


def parse_records(path: str, did: str, records: list[tuple[str, bytes]]) -> tuple[list, Counter]:
    """(a `Post` or an `InputProblem` for each (record key, block) of account
    `did`, in order; no records of other types): what `CarRecords` hands a worker."""
    import libipld

    decode = libipld.decode_dag_cbor
    out: list[Post | InputProblem] = []
    for key, raw in records:
        uri = f"at://{did}/{key}"
        try:
            value = decode(raw)
        except (ValueError, TypeError) as err:
            out.append(InputProblem(path, None, f"{uri}: the record block is corrupt ({err})", uri=uri))
            continue
        try:
            # Named by its URI alone: the file name says nothing about which post it is.
            post = record_to_post(value, Source(uri=uri))
        except InputError as err:
            out.append(InputProblem(path, None, f"{uri}: {err.detail}", uri=uri))
            continue
        created = value.get("createdAt") if isinstance(value, dict) else None
        post.created_at = created if isinstance(created, str) else None
        out.append(post)
    return out, Counter()


class CarRecords(Batch):
    """Up to `BATCH` post records of one export, as raw blocks with their keys
    (a `batch.Batch`: decoded by `parse_records` where they are audited)."""

    __slots__ = ("path", "did", "records", "counts")

    def __init__(self, path: str, did: str, records: list[tuple[str, bytes]], counts=None):
        self.path = path
        self.did = did
        self.records = records
        self.counts = counts

    @property
    def weight(self) -> int:
        return len(self.records)

    def task(self):
        return parse_records, (self.path, self.did, self.records)

    def local(self, key):  # parse_records hands nothing back to be read here
        raise ValueError(f"an export's batch has no key {key!r} to read here")

    def settle(self, posts: int, problems: int, not_posts: Counter | None = None) -> None:
        if self.counts is not None:
            self.counts.posts += posts
            self.counts.problems += problems


def _read_blocks(data: bytes, blocks: dict[bytes, bytes], libipld) -> list[bytes]:
    """Fills `blocks` {CID bytes: block bytes}; returns the header's roots.
    Raises CarError (with `.roots` when the header was read) at the first damage."""
    view = memoryview(data)
    size = len(data)
    try:
        length, pos = _varint(data, 0)
        if length == 0 or pos + length > size:
            raise CarError("the header is cut short")
        header = libipld.decode_dag_cbor(bytes(view[pos : pos + length]))
    except (ValueError, TypeError, IndexError) as err:
        raise CarError(f"the header is unreadable ({err})") from None
    if not isinstance(header, dict) or header.get("version") != 1 or not isinstance(header.get("roots"), list):
        raise CarError("the header is not that of a CAR version 1 file")
    roots = [root for root in header["roots"] if isinstance(root, bytes)]
    pos += length
    try:
        while pos < size:
            length, start = _varint(data, pos)
            end = start + length
            if length == 0 or end > size:
                raise CarError(f"the file is truncated (a block at byte {pos} is cut short)")
            cid_end = _cid_end(data, start, end)
            blocks[bytes(view[start:cid_end])] = bytes(view[cid_end:end])
            pos = end
    except CarError as err:
        err.roots = roots
        raise
    except IndexError:
        err = CarError(f"the file is truncated (at byte {pos})")
        err.roots = roots
        raise err from None
    return roots


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7
        if shift > 63:
            raise CarError("a length is corrupt")


def _cid_end(data: bytes, start: int, end: int) -> int:
    """Where the CID that opens a block ends."""
    if data[start] == 0x12 and data[start + 1] == 0x20:  # CIDv0: a bare sha2-256 multihash
        stop = start + 34
    else:
        version, pos = _varint(data, start)
        if version != 1:
            raise CarError(f"a block's CID is corrupt (version {version})")
        _codec, pos = _varint(data, pos)
        _hash, pos = _varint(data, pos)
        digest, pos = _varint(data, pos)
        stop = pos + digest
    if stop > end:
        raise CarError("a block's CID is corrupt")
    return stop


def _walk(root: bytes, blocks: dict[bytes, bytes], libipld) -> Iterator[tuple[str, bytes | None]]:
    """(key, record CID) for every leaf of the tree under `root`, in key order;
    (``""``, None) for each node that is missing or unreadable."""
    stack: list[tuple[str, object]] = [("node", root)]
    while stack:
        kind, item = stack.pop()
        if kind == "leaf":
            yield item  # type: ignore[misc]
            continue
        raw = blocks.get(item)  # type: ignore[arg-type]
        node = None
        if raw is not None:
            try:
                node = libipld.decode_dag_cbor(raw)
            except (ValueError, TypeError):
                node = None
        if not isinstance(node, dict) or not isinstance(node.get("e", []), list):
            yield "", None
            continue
        # In order: the left subtree, then each entry followed by its right subtree.
        # Pushed in reverse so that the stack pops them in key order.
        pending: list[tuple[str, object]] = []
        if isinstance(node.get("l"), bytes):
            pending.append(("node", node["l"]))
        key = b""
        for entry in node.get("e") or []:
            if not isinstance(entry, dict) or not isinstance(entry.get("k"), bytes):
                pending.append(("leaf", ("", None)))
                continue
            key = key[: entry.get("p", 0) or 0] + entry["k"]
            value = entry.get("v")
            pending.append(("leaf", (key.decode("utf-8", "replace"), value if isinstance(value, bytes) else None)))
            if isinstance(entry.get("t"), bytes):
                pending.append(("node", entry["t"]))
        stack.extend(reversed(pending))
