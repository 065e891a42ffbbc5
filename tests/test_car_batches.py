"""An export's records handed over as raw blocks (`iter_car(batches=True)`):
the same posts, problems and report as records decoded here, over workers too."""

from __future__ import annotations

import hashlib
import io
from collections import Counter

import libipld
import pytest

from auditor.config import Settings
from auditor.inputs.batch import Batch, expanded
from auditor.inputs.car import BATCH, CarRecords, iter_car
from auditor.model import InputProblem, Post
from auditor.reporting import run_report

DID = "did:plc:batchesbatchesbatches"
ALTS = [
    "Volunteers hand out bags of vegetables from a stall outside the community centre.",
    "",
    "IMG_0392.jpeg",
    "A bar chart of monthly visitors: 120 in January rising to 340 in June.",
    "image of the choir singing in the church hall",
]


def _cid(data: bytes) -> bytes:
    return b"\x01\x71\x12\x20" + hashlib.sha256(data).digest()


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        out.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            return bytes(out)


def _rkey(n: int) -> str:
    alphabet = "234567abcdefghijklmnopqrstuvwxyz"
    value = ((1_700_000_000_000_000 + n * 1_000_000) << 10) | 7
    return "".join(alphabet[(value >> (5 * i)) & 31] for i in reversed(range(13)))


def export(posts: int) -> bytes:
    """A CAR file of `posts` post records (every 97th one without its text, so
    not a post; every 89th one's block corrupt; one record's block missing) and
    a like, under a two-level tree: a root whose entries each lead to a node of
    the keys that follow."""
    blob = {"$type": "blob", "ref": _cid(b"image"), "mimeType": "image/jpeg", "size": 1234}
    blocks: list[tuple[bytes, bytes]] = []
    leaves: list[tuple[str, bytes]] = []
    for n in range(posts):
        images = [{"image": blob, "alt": ALTS[(n + i) % len(ALTS)]} for i in range(1 + n % 2)]
        record = {
            "$type": "app.bsky.feed.post",
            "text": f"Post {n} from the allotment.",
            "createdAt": f"2024-{n % 12 + 1:02d}-{n % 28 + 1:02d}T10:00:00.000Z",
            "langs": ["en"],
            "embed": {"$type": "app.bsky.embed.images", "images": images},
        }
        if n % 97 == 50:
            del record["text"]
        data = libipld.encode_dag_cbor(record)
        cid = _cid(data)
        if n % 89 == 40:
            data = b"\xff" + data[1:]  # no longer DAG-CBOR
        if n != posts // 2:  # its block is left out of the file
            blocks.append((cid, data))
        leaves.append((f"app.bsky.feed.post/{_rkey(n)}", cid))
    like = libipld.encode_dag_cbor({"$type": "app.bsky.feed.like", "subject": {"uri": f"at://{DID}/app.bsky.feed.post/x"}, "createdAt": "2024-06-01T00:00:00Z"})
    blocks.append((_cid(like), like))
    leaves.append(("app.bsky.feed.like/3kaaaaaaaaaa2", _cid(like)))
    group = 40
    root_entries: list[dict] = []
    left = None
    previous = b""
    for start in range(0, len(leaves), group):
        chunk = leaves[start : start + group]
        if start:
            key, cid = chunk[0]
            root_entries.append(_entry(key, cid, previous))
            previous = key.encode()
            chunk = chunk[1:]
        node = None
        if chunk:
            entries, before = [], b""
            for key, cid in chunk:
                entries.append(_entry(key, cid, before))
                before = key.encode()
            data = libipld.encode_dag_cbor({"l": None, "e": entries})
            node = _cid(data)
            blocks.append((node, data))
        if start:
            root_entries[-1]["t"] = node
        else:
            left = node
    root = libipld.encode_dag_cbor({"l": left, "e": root_entries})
    blocks.append((_cid(root), root))
    commit = libipld.encode_dag_cbor({"did": DID, "version": 3, "data": _cid(root), "rev": "3batches22222", "prev": None, "sig": b"\x00" * 64})
    header = libipld.encode_dag_cbor({"version": 1, "roots": [_cid(commit)]})
    out = io.BytesIO()
    out.write(_varint(len(header)) + header)
    for cid, data in [(_cid(commit), commit)] + blocks[::-1]:
        out.write(_varint(len(cid) + len(data)) + cid + data)
    return out.getvalue()


def _entry(key: str, cid: bytes, previous: bytes) -> dict:
    raw = key.encode()
    shared = 0
    while shared < min(len(raw), len(previous)) and raw[shared] == previous[shared]:
        shared += 1
    return {"k": raw[shared:], "p": shared, "v": cid, "t": None}


def described(items) -> list[tuple]:
    """What a stream holds, comparable: each post's URI, text, date and images; each problem."""
    out = []
    for item in items:
        if isinstance(item, Post):
            images = [(image.index, image.alt, image.kind, image.blob, image.source.uri) for image in item.images]
            out.append(("post", item.source.uri, item.source.path, item.text, item.langs, item.created_at, images))
        else:
            assert isinstance(item, InputProblem), item
            out.append(("problem", item.path, item.line, item.uri, item.message))
    return out


@pytest.fixture(scope="module")
def car() -> bytes:
    return export(700)


def test_batches_hold_the_same_posts_and_problems_as_records_read_here(car):
    posts_counted, batches_counted = Counter(), Counter()
    here = described(iter_car("export.car", posts_counted, car))
    stream = list(iter_car("export.car", batches_counted, car, batches=True))
    # Only batches of raw blocks, then the damage found while reading: nothing decoded yet.
    assert all(isinstance(item, CarRecords) for item in stream[:-1]) and isinstance(stream[-1], InputProblem)
    assert [item.weight for item in stream[:-1]] == [BATCH, BATCH, 699 - 2 * BATCH]
    assert described(expanded(stream)) == here
    assert posts_counted == batches_counted == Counter({"app.bsky.feed.like": 1})
    kinds = Counter(entry[0] for entry in here)
    corrupt = sum(1 for n in range(700) if n % 89 == 40)
    not_posts = sum(1 for n in range(700) if n % 97 == 50)
    assert kinds == Counter({"post": 699 - corrupt - not_posts, "problem": corrupt + not_posts + 1})
    assert here[-1][-1] == "the export is damaged: 1 record(s) or tree node(s) missing; the records that could be read were audited"


def test_a_batch_is_decoded_by_its_task_alone(car):
    """What a worker gets: a module-level function and plain data, no state of this process."""
    import pickle

    batch = next(iter(iter_car("export.car", Counter(), car, batches=True)))
    assert isinstance(batch, Batch)
    parse, args = pickle.loads(pickle.dumps(batch.task()))
    entries, not_posts = parse(*args)
    assert not_posts == Counter()
    assert described(entries) == described(batch.expand())
    first, second = entries[0], entries[1]
    assert first.source.uri == f"at://{DID}/app.bsky.feed.post/{_rkey(0)}"
    assert (first.text, first.created_at, first.langs) == ("Post 0 from the allotment.", "2024-01-01T10:00:00.000Z", ["en"])
    assert [(image.alt, image.blob, image.source.uri) for image in second.images] == [
        (ALTS[1], _cid(b"image"), second.source.uri),
        (ALTS[2], _cid(b"image"), second.source.uri),
    ]


def test_batches_count_what_they_decode():
    class Counts:
        posts = problems = 0

    counts = Counts()
    items = list(expanded(iter_car("small.car", None, export(120), batches=True, counts=counts)))
    posts = sum(1 for item in items if isinstance(item, Post))
    assert counts.posts == posts and counts.problems == len(items) - posts - 1  # the damage line is the reader's
    assert (posts, counts.problems) == (117, 2)


def test_a_truncated_export_in_batches_keeps_what_was_read(car):
    cut = car[: len(car) * 2 // 3]
    here = described(iter_car("cut.car", Counter(), cut))
    assert described(expanded(iter_car("cut.car", Counter(), cut, batches=True))) == here
    assert here[-1][0] == "problem" and "the file is truncated" in here[-1][-1]


@pytest.mark.parametrize("output_format", ["json", "jsonl", "sarif"])
def test_report_over_workers_from_batches_is_the_one_made_here(car, output_format):
    def report(items, jobs: int) -> str:
        out = io.StringIO()
        code = run_report(items, Settings(), output_format, stream=out, not_posts=not_posts, jobs=jobs)
        assert code == 2  # the damaged blocks
        return out.getvalue()

    not_posts = Counter()
    here = report(iter_car("export.car", not_posts, car), jobs=1)
    assert here.count("app.bsky.feed.post/") > 600
    not_posts = Counter()
    assert report(iter_car("export.car", not_posts, car, batches=True), jobs=2) == here
    not_posts = Counter()
    assert report(iter_car("export.car", not_posts, car, batches=True), jobs=1) == here


def test_check_hands_an_exports_records_to_the_workers_in_batches(car, tmp_path):
    """`check`'s inputs (record_lines) read a .car file as batches; inputs
    that want posts (--images) still get them decoded here; both count the same."""
    from auditor.inputs.discover import iter_items

    path = tmp_path / "export.car"
    path.write_bytes(car)
    batched = iter_items([str(path)], record_lines=True)
    items = list(batched)
    assert items and all(isinstance(item, (CarRecords, InputProblem)) for item in items)
    assert any(isinstance(item, CarRecords) for item in items)
    decoded = iter_items([str(path)])
    here = described(decoded)
    assert described(expanded(items)) == here
    assert (batched.posts, batched.problems) == (decoded.posts, decoded.problems)
    assert batched.posts > 600
