"""Property-based tests (hypothesis) of every reader and of the engine.

Whatever the input (any code point, lone surrogates and NUL included; any JSON
type in any field; deep nesting; long texts) a reader yields posts or names the
problem in one line, the engine audits what it is given, and the command ends
with a one-line message and exit status 2 where the input is unusable: never a
traceback. Kept fast: modest example counts, no deadline on a shared machine.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import record_strategies as rs
from auditor.cli import app
from auditor.engine import Engine
from auditor.errors import InputError
from auditor.inputs.discover import iter_items
from auditor.inputs.drafts import parse_draft
from auditor.inputs.post_record import record_to_post
from auditor.inputs.records import iter_records
from auditor.model import Image, InputProblem, Post, PostResult, Source

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
DRAFT_FOLDER = Path(__file__).parent / "fixtures" / "drafts"
ENGINE = Engine()  # built once: its rules and caches do not change between posts


def one_line(message: str) -> bool:
    return bool(message) and "\n" not in message and "\r" not in message


def check_items(items, path: str) -> list:
    items = list(items)
    for item in items:
        assert isinstance(item, (Post, InputProblem)), item
        if isinstance(item, InputProblem):
            assert item.path == path and one_line(item.message)
            assert item.line is None or item.line >= 1
    return items


# --- record_to_post -------------------------------------------------------------


@given(rs.broken_post)
@FAST
@example({"$type": "app.bsky.feed.post", "text": "x", "embed": {"$type": "app.bsky.embed.images", "images": [None]}})
@example({"$type": "app.bsky.feed.post", "text": "x", "embed": {"$type": "app.bsky.embed.recordWithMedia", "media": []}})
@example({"$type": ["app.bsky.feed.post"], "text": "x"})
def test_a_record_with_any_field_of_any_type_is_a_post_or_one_input_error(value):
    try:
        post = record_to_post(value, Source(path="r.jsonl", line=3))
    except InputError as err:
        assert one_line(str(err)) and err.line == 3 and str(err).startswith("r.jsonl:3: ")
    else:
        assert isinstance(post.text, str)
        assert all(image.alt is None or isinstance(image.alt, str) for image in post.images)
        assert [image.index for image in post.images] == list(range(1, len(post.images) + 1))


@given(rs.hostile_post)
@FAST
@example({"$type": "app.bsky.feed.post", "text": "\ud800", "embed": {"$type": "app.bsky.embed.images", "images": [{"alt": "\udfff\x00\u202e"}]}})
def test_any_text_is_kept_exactly(value):
    post = record_to_post(value, Source())
    assert post.text == value["text"]
    assert [image.alt for image in post.images] == [image["alt"] for image in value["embed"]["images"]]


@given(st.integers(min_value=1, max_value=3000))
@settings(max_examples=15, deadline=None)
@example(100_000)
def test_deep_nesting_is_read_or_named(depth):
    line = '{"$type": "app.bsky.feed.post", "text": "x", "embed": ' + rs.deep_json(depth) + "}"
    items = check_items(iter_records("deep.jsonl", data=line.encode()), "deep.jsonl")
    assert len(items) == 1


# --- files of records ------------------------------------------------------------


@given(st.lists(st.one_of(rs.valid_post, rs.broken_post, rs.hostile_post, rs.json_value), max_size=8))
@FAST
def test_json_lines_give_one_post_or_problem_per_record_line(values):
    data = "\n".join(json.dumps(value) for value in values).encode("utf-8")
    counted: Counter = Counter()
    items = check_items(iter_records("any.jsonl", data=data, not_posts=counted), "any.jsonl")
    # nothing lost: every line is a post, a problem or a counted record of another type
    # (a line that is a list holds several records, an empty list none)
    records = sum(len(v) if isinstance(v, list) else 1 for v in values)
    if not any(isinstance(v, dict) and "records" in v for v in values):
        assert len(items) + sum(counted.values()) == records
    for item in items:
        if isinstance(item, Post):
            assert 1 <= item.source.line <= len(values)


@given(st.binary(max_size=300))
@FAST
@example(b"\xff\xfe{}")
@example(b'{"text": "a"}\n\x00\n[')
@example(b"\xef\xbb\xbf\n\n")
def test_any_bytes_are_read_or_named(data):
    check_items(iter_records("bytes.json", data=data), "bytes.json")


@given(st.lists(rs.valid_post, min_size=1, max_size=5), st.integers(0, 4))
@FAST
def test_one_broken_line_loses_only_itself(values, where):
    lines = [json.dumps(value) for value in values]
    where = min(where, len(lines))
    lines.insert(where, '{"$type": "app.bsky.feed.post", "text": ')
    items = check_items(iter_records("x.jsonl", data="\n".join(lines).encode()), "x.jsonl")
    problems = [item for item in items if isinstance(item, InputProblem)]
    assert [p.line for p in problems] == [where + 1]
    assert sum(isinstance(item, Post) for item in items) == len(values)


@given(st.lists(rs.valid_post, min_size=1, max_size=4), st.sampled_from([0, 2, None]))
@FAST
def test_pretty_printed_documents_read_as_the_same_posts(values, indent):
    as_lines = list(iter_records("a.jsonl", data="\n".join(json.dumps(v) for v in values).encode()))
    as_list = list(iter_records("b.json", data=json.dumps(values, indent=indent).encode()))
    as_page = list(iter_records("c.json", data=json.dumps({"records": values, "cursor": None}, indent=indent).encode()))
    texts = [value["text"] for value in values]
    assert [p.text for p in as_lines] == [p.text for p in as_list] == [p.text for p in as_page] == texts
    assert [[i.alt for i in p.images] for p in as_lines] == [[i.alt for i in p.images] for p in as_list]


# --- drafts ----------------------------------------------------------------------


def toml_string(text: str) -> str:
    """`text` as a TOML basic string, every character outside printable ASCII escaped."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif " " <= char <= "~":
            out.append(char)
        else:
            out.append(f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


@given(rs.valid_text, rs.alt_text, st.lists(st.sampled_from(["en", "cy", "de-AT"]), max_size=3, unique=True))
@FAST
def test_a_draft_gives_back_its_description_and_text_exactly(body, alt, langs):
    front = f"langs = {json.dumps(langs)}\n\n[[images]]\nfile = \"images/event-banner.png\"\nalt = {toml_string(alt)}\n"
    body = body.replace("\r", "").strip("\n").rstrip()
    text = f"+++\n{front}+++\n{body}\n"
    post = parse_draft(text, str(DRAFT_FOLDER / "made.md"))
    assert post.images[0].alt == alt
    assert post.langs == langs
    if "+++" not in body and "\u2028" not in body:
        assert post.text == body.strip("\n").rstrip()


@given(rs.any_text)
@FAST
@example("+++\nimages = 3\n+++\n")
@example("+++\n[[images]]\nfile = \"images/event-banner.png\"\nalt = \"\\ud800\"\n+++\n")
@example("+++\n" + "[" * 5000 + "\n+++\n")
@example("+++\nlangs = [\"\x00\"]\n+++")
def test_any_draft_text_is_a_post_or_one_input_error(text):
    for candidate in (text, "+++\n" + text, "+++\n" + text + "\n+++\nbody"):
        try:
            post = parse_draft(candidate, str(DRAFT_FOLDER / "made.md"))
        except InputError as err:
            assert one_line(str(err))
        else:
            assert isinstance(post, Post)


# --- the engine ------------------------------------------------------------------

images = st.lists(
    st.builds(lambda alt, kind, provider: (alt, kind, provider), st.none() | rs.any_text | rs.wordy_text,
              st.sampled_from(["image", "video", "gif", "gallery"]), st.booleans()),
    min_size=0,
    max_size=4,
)


@given(rs.any_text | rs.wordy_text, images, st.lists(rs.any_text, max_size=4))
@FAST
@example("", [("\ud800" * 3 + "IMG_2041.JPG", "image", False)], [])
@example("x", [("A " * 20_000, "image", False), ("word " * 5000, "image", False)], ["en"])
@example("\u202e", [("a\u200b\u200bb\u200dc\ufeff", "gif", True)], ["\x00"])
def test_the_engine_audits_any_post(text, found, langs):
    post = Post(text=text, images=[Image(n, alt, kind=kind, alt_by_provider=p) for n, (alt, kind, p) in enumerate(found, 1)], langs=langs)
    result = ENGINE.audit_post(post)
    assert isinstance(result, PostResult)
    assert (result.score is None) == (not post.images)
    if result.score is not None:
        assert 0 <= result.score.value <= 100
    for image in result.images:
        assert 0 <= image.score.value <= 100
        for finding in image.findings:
            assert one_line(finding.code) and isinstance(finding.message, str)
            if finding.span is not None:
                assert 0 <= finding.span.start <= finding.span.end <= len(image.image.alt or "")


# --- the command -----------------------------------------------------------------

RUNNER = CliRunner()


def run_check(path: Path, *options: str):
    result = RUNNER.invoke(app, ["check", str(path), *options])
    # a clean exit, findings, or unusable input: never an exception escaping the command
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1, 2)
    assert "Traceback" not in result.output
    return result


@given(st.lists(st.one_of(rs.valid_post, rs.broken_post, rs.hostile_post), min_size=1, max_size=4), st.sampled_from(["json", "terminal", "github"]))
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
def test_check_on_any_records_reports_or_exits_2(tmp_path_factory, values, format_):
    path = tmp_path_factory.mktemp("p") / "posts.jsonl"
    path.write_text("\n".join(json.dumps(value) for value in values), encoding="utf-8")
    items = list(iter_items([str(path)]))
    result = run_check(path, "--format", format_)
    if any(isinstance(item, InputProblem) for item in items):
        assert result.exit_code == 2
    else:
        assert result.exit_code in (0, 1)


def test_check_on_unusable_files_is_one_line_and_exit_2(tmp_path):
    cases = {
        "latin.jsonl": '{"text": "caf\xe9"}'.encode("latin-1"),
        "deep.json": b"[" * 200_000,
        "nul.md": b"+++\x00\n+++\n",
        "alt_number.jsonl": b'{"$type": "app.bsky.feed.post", "text": "x", "embed": {"$type": "app.bsky.embed.images", "images": [{"alt": 5}]}}',
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        result = run_check(path)
        assert result.exit_code == 2, (name, result.output)
        errors = [line for line in result.output.splitlines() if line.startswith("altaudit: error: ")]
        assert errors and all(len(line) < 1000 for line in errors), (name, result.output)
