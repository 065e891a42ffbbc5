"""Streaming: records read one at a time, posts audited as they come, bad records
named and skipped while the rest go on."""

from __future__ import annotations

import json
import os
import threading
from collections import Counter
from pathlib import Path

import pytest

from auditor.engine import Engine
from auditor.inputs.discover import iter_items, load_paths
from auditor.inputs.records import iter_records
from auditor.model import InputProblem, Post, PostResult

FIXTURES = Path(__file__).parent / "fixtures" / "records"


def post_line(text: str, alt: str) -> str:
    record = {
        "$type": "app.bsky.feed.post",
        "text": text,
        "createdAt": "2025-01-01T00:00:00.000Z",
        "embed": {"$type": "app.bsky.embed.images", "images": [{"alt": alt, "image": {"$type": "blob"}}]},
    }
    return json.dumps(record)


MIXED = "\n".join(
    [
        post_line("one", "A heron standing in shallow water."),
        json.dumps({"$type": "app.bsky.feed.like", "subject": {"uri": "at://x", "cid": "y"}}),
        '{"$type": "app.bsky.feed.post", "text": "broken" ',  # cut off
        json.dumps({"$type": "app.bsky.graph.follow", "subject": "did:plc:abc"}),
        json.dumps({"$type": "app.bsky.feed.post", "text": 5}),
        "",
        post_line("six", "Two swans on a grey river."),
        json.dumps({"$type": "app.bsky.feed.post", "text": "x", "embed": {"$type": "app.bsky.embed.images", "images": [{}]}}),
        post_line("eight", "A kingfisher on a branch."),
    ]
)


def test_a_bad_line_is_named_and_the_rest_are_read(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(MIXED, encoding="utf-8")
    counted: Counter = Counter()
    items = list(iter_records(str(path), not_posts=counted))
    posts = [item for item in items if isinstance(item, Post)]
    problems = [item for item in items if isinstance(item, InputProblem)]
    assert [post.text for post in posts] == ["one", "six", "eight"]
    assert [post.source.line for post in posts] == [1, 7, 9]
    assert [(p.path, p.line) for p in problems] == [(str(path), 3), (str(path), 5), (str(path), 8)]
    assert "not valid JSON" in problems[0].message
    assert "'text' must be a string" in problems[1].message
    assert "'alt' is missing" in problems[2].message
    assert counted == {"app.bsky.feed.like": 1, "app.bsky.graph.follow": 1}
    # in the order of the file
    assert [item.source.line if isinstance(item, Post) else item.line for item in items] == [1, 3, 5, 7, 8, 9]


def test_a_line_that_is_not_utf8_is_one_problem(tmp_path):
    path = tmp_path / "latin.jsonl"
    path.write_bytes(post_line("one", "ok").encode() + b"\n" + '{"text": "caf\xe9"}'.encode("latin-1") + b"\n" + post_line("three", "ok").encode())
    items = list(iter_records(str(path)))
    assert [type(item).__name__ for item in items] == ["Post", "InputProblem", "Post"]
    assert items[1].line == 2 and "not UTF-8" in items[1].message


def test_records_are_read_one_at_a_time(tmp_path):
    """The first post comes out while the rest of the file is still being written."""
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    got_first = threading.Event()
    waited_in_vain = []

    def write():
        with open(fifo, "w", encoding="utf-8") as out:
            out.write(post_line("first", "A red kite overhead.") + "\n")
            out.flush()
            waited_in_vain.append(not got_first.wait(timeout=10))
            out.write(post_line("second", "A blue tit at a feeder.") + "\n")

    writer = threading.Thread(target=write)
    writer.start()
    try:
        items = iter_records(str(fifo))
        first = next(items)
        got_first.set()
        rest = list(items)
    finally:
        got_first.set()
        writer.join()
    assert first.text == "first"
    assert [post.text for post in rest] == ["second"]
    assert waited_in_vain == [False]


def test_iter_items_counts_what_it_passed_over(tmp_path):
    (tmp_path / "README.md").write_text("# Not a draft\n", encoding="utf-8")
    (tmp_path / "posts.jsonl").write_text(MIXED, encoding="utf-8")
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    inputs = iter_items([str(tmp_path), str(tmp_path / "gone.json")])
    items = list(inputs)
    assert sum(isinstance(item, Post) for item in items) == 3
    assert inputs.posts == 3
    assert inputs.problems == 4  # three bad records and the missing file
    assert items[-1] == InputProblem(str(tmp_path / "gone.json"), None, "no such file or folder")
    assert inputs.skipped_files == [str(tmp_path / "README.md")]
    assert inputs.not_posts == {"app.bsky.feed.like": 1, "app.bsky.graph.follow": 1}
    assert inputs.not_posts_total == 2
    assert inputs.files == 3


def test_iter_items_is_lazy():
    inputs = iter_items([str(FIXTURES / "posts.jsonl"), "/nonexistent/later.json"])
    iterator = iter(inputs)
    assert isinstance(next(iterator), Post)
    assert inputs.problems == 0  # the second path is not looked at yet


def test_load_paths_is_all_or_nothing():
    from auditor.errors import InputError

    with pytest.raises(InputError, match="no such file or folder"):
        load_paths([str(FIXTURES / "posts.jsonl"), "/nonexistent/x.json"])
    posts, skipped = load_paths([str(FIXTURES / "posts.jsonl")])
    assert len(posts) == 3 and skipped == []


def test_an_empty_file_is_an_audit_of_nothing(tmp_path):
    for name, content in [("a.jsonl", ""), ("b.json", "\n\n  \n"), ("c.json", "\ufeff")]:
        (tmp_path / name).write_text(content, encoding="utf-8")
        assert list(iter_items([str(tmp_path / name)])) == []


def test_audit_stream_yields_each_result_as_it_comes():
    engine = Engine()
    posts = iter_records(str(FIXTURES / "posts.jsonl"))
    problem = InputProblem("x.jsonl", 2, "line is not valid JSON")

    def items():
        yield next(posts)
        yield problem
        yield next(posts)
        raise RuntimeError("read too far")  # audit_stream must not ask before it is asked

    stream = engine.audit_stream(items())
    first = next(stream)
    assert isinstance(first, PostResult) and first.post.source.line == 1
    assert next(stream) is problem
    third = next(stream)
    assert isinstance(third, PostResult) and third.post.source.line == 2
    with pytest.raises(RuntimeError):
        next(stream)


def test_audit_stream_gives_the_same_results_as_audit():
    engine = Engine()
    posts = list(iter_records(str(FIXTURES / "posts.jsonl")))
    streamed = list(engine.audit_stream(iter(posts)))
    assert streamed == engine.audit(posts).posts


def test_a_large_pretty_printed_list_is_read_with_lines(tmp_path):
    records = [json.loads(post_line(f"post {n}", f"Photo number {n}.")) for n in range(300)]
    records[150]["embed"]["images"][0]["alt"] = 150
    path = tmp_path / "big.json"
    path.write_text(json.dumps(records, indent=2), encoding="utf-8")
    items = list(iter_records(str(path)))
    assert len(items) == 300
    assert isinstance(items[150], InputProblem) and "'alt' must be a string" in items[150].message
    lines = path.read_text(encoding="utf-8").split("\n")
    opening = items[150].line - 1  # 0-based
    assert lines[opening].strip() == "{" and '"text": "post 150"' in lines[opening + 2]
    assert all(isinstance(item, Post) for n, item in enumerate(items) if n != 150)


# --- a large list, element by element ------------------------------------------

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import record_strategies as rs
from auditor.inputs import records as records_module


def read_both(data: bytes, chunk: int, monkeypatch) -> tuple[list, list]:
    def summary(stream: bool) -> list:
        monkeypatch.setattr(records_module, "STREAM_LISTS_OVER", -1 if stream else 10**12)
        monkeypatch.setattr(records_module, "CHUNK", chunk)
        return [
            ("problem", item.line, item.message) if isinstance(item, InputProblem) else (item.source.line, item.source.uri, item.text, [i.alt for i in item.images])
            for item in iter_records("list.json", data=data)
        ]

    return summary(True), summary(False)


@given(st.lists(st.one_of(rs.valid_post, rs.broken_post, rs.hostile_post), max_size=6), st.sampled_from([None, 0, 2]), st.integers(1, 40))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_list_read_element_by_element_gives_what_it_gives_parsed_whole(monkeypatch, values, indent, chunk):
    text = json.dumps(values, indent=indent, ensure_ascii=False)  # multi-byte characters across chunks
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: written as escapes
        data = json.dumps(values, indent=indent).encode("utf-8")
    streamed, whole = read_both(data, chunk, monkeypatch)
    assert streamed == whole


def test_a_broken_large_list_keeps_the_records_before_the_break(monkeypatch):
    good = [json.loads(post_line(f"post {n}", f"Photo number {n}.")) for n in range(4)]
    text = json.dumps(good, indent=2)
    broken = text[: text.index('"post 3"')] + '"post 3" "no comma" }]'
    streamed, whole = read_both(broken.encode(), 16, monkeypatch)
    assert [item[2] for item in streamed[:3]] == ["post 0", "post 1", "post 2"]
    line = next(n for n, l in enumerate(broken.split("\n"), start=1) if '"no comma"' in l)
    assert streamed[3][:2] == ("problem", line) and "not valid JSON" in streamed[3][2]
    assert whole == [("problem", line, whole[0][2])]  # parsed whole, the break costs every record
    assert len(streamed) == 4
