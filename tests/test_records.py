"""Tests for auditor.inputs.records: post records in lexicon form, from JSON and JSON Lines.

Expected values are taken from the fixture files under tests/fixtures/records/.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.errors import InputError
from auditor.inputs.records import parse_records, read_records
from auditor.model import Source

FIXTURES = Path(__file__).parent / "fixtures" / "records"


def fixture(name: str) -> str:
    return str(FIXTURES / name)


def read(name: str):
    return read_records(fixture(name))


def only_post(name: str):
    posts = read(name)
    assert len(posts) == 1
    return posts[0]


def line_of(name: str, needle: str) -> int:
    """1-based number of the first line of fixture `name` containing `needle`."""
    lines = (FIXTURES / name).read_text(encoding="utf-8").split("\n")
    return next(number for number, line in enumerate(lines, start=1) if needle in line)


def alts(post):
    return [image.alt for image in post.images]


def kinds(post):
    return [image.kind for image in post.images]


# --- embed kinds ---------------------------------------------------------------


def test_images_one():
    post = only_post("images_one.json")
    assert post.text == "Morning walk with Biscuit"
    assert post.langs == ["en"]
    assert len(post.images) == 1
    image = post.images[0]
    assert image.index == 1
    assert image.alt == "A dog on a beach"
    assert image.kind == "image"
    assert image.file is None


def test_images_four_in_order_with_empty_alt_kept():
    post = only_post("images_four.json")
    assert alts(post) == [
        "Gloved hands lift a small cactus out of a cracked terracotta pot.",
        "",  # present but empty: not None
        "IMG_0392.jpeg",
        "The cactus in a new blue glazed pot on a sunny windowsill.",
    ]
    assert [image.index for image in post.images] == [1, 2, 3, 4]
    assert kinds(post) == ["image"] * 4
    assert post.langs == ["en", "de"]


def test_video_with_alt():
    post = only_post("video_alt.json")
    assert alts(post) == ["A cat knocks a glass of water off a kitchen table, then stares at the camera."]
    assert kinds(post) == ["video"]
    assert post.images[0].index == 1


def test_video_without_alt_is_none():
    post = only_post("video_no_alt.json")
    assert len(post.images) == 1
    assert post.images[0].alt is None
    assert post.images[0].kind == "video"


def test_video_presented_as_gif():
    post = only_post("video_gif.json")
    assert alts(post) == ["A man in a suit dances across an empty office."]
    assert kinds(post) == ["gif"]
    assert post.langs == []  # the record has no langs


def test_record_with_media_images():
    post = only_post("record_with_media_images.json")
    assert alts(post) == [
        "A harbour in 2014 with wooden fishing boats.",
        "The same harbour in 2024 with a new marina.",
    ]
    assert kinds(post) == ["image", "image"]
    assert [image.index for image in post.images] == [1, 2]


def test_record_with_media_video():
    post = only_post("record_with_media_video.json")
    assert alts(post) == ["Screen recording: dragging a file onto the upload button."]
    assert kinds(post) == ["video"]


def test_gallery():
    post = only_post("gallery.json")
    assert alts(post) == [
        "Rows of runner beans on bamboo canes.",
        "A child holds up a giant marrow.",
        "Volunteers pour tea from an urn under a gazebo.",
    ]
    assert kinds(post) == ["gallery"] * 3
    assert [image.index for image in post.images] == [1, 2, 3]


def test_gallery_items_of_newer_types_keep_their_alt():
    post = only_post("gallery_future_items.json")
    assert alts(post) == ["A snowy street at dusk.", "Snow falling past a street lamp.", None]
    assert kinds(post) == ["gallery"] * 3


def test_gif_card_with_user_alt():
    post = only_post("gif_user_alt.json")
    assert alts(post) == ["A small dog dancing on its hind legs"]
    assert kinds(post) == ["gif"]


def test_gif_card_with_provider_default_alt():
    post = only_post("gif_provider_alt.json")
    assert alts(post) == ["Cat Typing GIF"]
    assert kinds(post) == ["gif"]
    assert post.text == ""


def test_link_card_without_prefix_is_not_an_image():
    post = only_post("link_card.json")
    assert post.images == []
    assert post.text == "Good read on writing image descriptions"


def test_unknown_embeds_carry_no_images():
    posts = read("unknown_embeds.jsonl")
    assert [post.text for post in posts] == [
        "Quoting this",
        "Posted from a custom client",
        "Quote with an unknown media type",
    ]
    assert [post.images for post in posts] == [[], [], []]


# --- record forms and file layouts ---------------------------------------------


def test_wrapped_and_bare_records_read_the_same():
    wrapped = only_post("wrapped.json")
    bare = only_post("bare.json")
    assert wrapped.source.uri == "at://did:plc:4qsyxmnsblo4luuycm3572bq/app.bsky.feed.post/3lbnqh6zv2c2x"
    assert bare.source.uri is None
    assert wrapped.text == bare.text == "Our new reading room opens on Monday"
    assert alts(wrapped) == alts(bare) == ["A bright room with armchairs and tall bookshelves."]
    assert wrapped.langs == bare.langs == ["en"]


def test_list_records_response():
    name = "list_records.json"
    posts = read(name)
    uris = [
        "at://did:plc:4qsyxmnsblo4luuycm3572bq/app.bsky.feed.post/3lcx2m4k2yk2a",
        "at://did:plc:4qsyxmnsblo4luuycm3572bq/app.bsky.feed.post/3lcwz7q5yhs2b",
        "at://did:plc:4qsyxmnsblo4luuycm3572bq/app.bsky.feed.post/3lcwv2alk3k2c",
    ]
    assert [post.source.uri for post in posts] == uris
    # each record's object opens on the line before its "uri"
    assert [post.source.line for post in posts] == [line_of(name, uri) - 1 for uri in uris]
    assert [post.text for post in posts] == ["Volunteers wanted for Saturday's litter pick", "Last week's haul", "Thank you all!"]
    assert alts(posts[1]) == [
        "Twelve full bin bags stacked by a park gate.",
        "Five volunteers in hi-vis vests give a thumbs up.",
    ]
    assert alts(posts[2]) == ["A cartoon bear bows and holds up a sign saying thank you"]
    assert kinds(posts[2]) == ["gif"]
    assert all(post.source.path == fixture(name) for post in posts)


def test_json_array_lines_are_where_each_record_starts():
    name = "array.json"
    posts = read(name)
    assert [post.text for post in posts] == ["First light over the moor", "Happy new year, everyone", "Bonne année !"]
    assert [post.source.line for post in posts] == [
        line_of(name, '"text": "First light over the moor"'),
        line_of(name, '"text": "Happy new year, everyone"'),
        line_of(name, '"text": "Bonne année !"') - 2,  # pretty-printed: "{", then "$type", then "text"
    ]
    assert alts(posts[0]) == ["Orange sunrise behind a stone wall and heather."]
    assert alts(posts[2]) == ["Feux d'artifice au-dessus de la Seine."]
    assert kinds(posts[2]) == ["video"]
    assert posts[2].langs == ["fr"]


def test_single_document_reports_line_1():
    post = only_post("images_one.json")
    assert post.source == Source(path=fixture("images_one.json"), line=1, uri=None)


def test_json_lines_line_numbers():
    posts = read("posts.jsonl")
    assert [post.source.line for post in posts] == [1, 2, 3]
    third = posts[2]
    assert third.source.line == 3
    assert third.source.uri == "at://did:plc:4qsyxmnsblo4luuycm3572bq/app.bsky.feed.post/3ld2ccccccc2c"
    assert third.text == "Frost on the allotment"
    assert alts(third) == ["Frost-covered cabbage leaves.", "A frozen water butt with ice on top."]
    assert posts[1].source.uri is None  # a bare record on line 2
    assert posts[0].images == []


def test_json_lines_with_blank_lines_and_crlf():
    posts = read("blank_lines.jsonl")
    assert [post.text for post in posts] == ["Line one", "Line three", "Line six"]
    assert [post.source.line for post in posts] == [1, 3, 6]
    assert alts(posts[0]) == [None]
    assert kinds(posts[0]) == ["video"]
    assert alts(posts[1]) == ["A red kite over a hillside."]
    assert alts(posts[2]) == ["Wave GIF"]
    assert kinds(posts[2]) == ["gif"]


def test_json_lines_keep_unicode_line_separators_inside_strings():
    posts = read("line_separators.jsonl")
    assert [post.source.line for post in posts] == [1, 2]
    assert posts[0].text == "first paragraph\u2028second paragraph\u2029third\u0085end"
    assert alts(posts[1]) == ["Zwei Katzen\u2028auf einem Sofa"]


def test_pretty_printed_values_one_after_another():
    """`jq '.records[].value'` writes pretty-printed values one after another."""
    name = "jq_stream.json"
    posts = read(name)
    assert [post.text for post in posts] == ["Pretty-printed, one value after another", "As jq writes them"]
    assert [post.source.line for post in posts] == [1, line_of(name, '"text": "As jq writes them"') - 2]
    assert alts(posts[0]) == ["A heron standing in shallow water."]


def test_json_lines_line_may_hold_a_list_records_page():
    page = (FIXTURES / "list_records.json").read_text(encoding="utf-8")
    one_line = json.dumps(json.loads(page), ensure_ascii=False)
    data = ("\n" + one_line + "\n" + one_line + "\n").encode("utf-8")
    posts = read_records("pages.jsonl", data=data)
    assert len(posts) == 6
    assert [post.source.line for post in posts] == [2, 2, 2, 3, 3, 3]


def test_unicode_preserved():
    post = only_post("unicode.json")
    # the fixture writes the last emoji as the escape \ud83d\udc36
    assert post.text == "Café ☕ — 日本語のテキスト 🐕‍🦺 👩🏽‍💻 مرحبا 🐶"
    assert alts(post) == ["Ein Hund 🐕 auf der Straße, नमस्ते, e\u0301té"]  # not normalised
    assert post.langs == ["fr", "ja", "ar"]


def test_records_the_sdk_model_rejects_are_still_read():
    posts = read("tolerated.jsonl")
    assert alts(posts[0]) == ["The sun sets behind a Victorian pier."]  # legacy blob ref
    assert alts(posts[1]) == ["A hand-drawn map of the village."]  # no createdAt
    assert alts(posts[2]) == ["Four people wave at the camera in turn."]  # four langs
    assert posts[2].langs == ["en", "de", "fr", "es"]
    assert alts(posts[3]) == ["A lighthouse in fog.", "Waves breaking on rocks."]  # no aspectRatio
    assert kinds(posts[3]) == ["gallery", "gallery"]


# --- API details ---------------------------------------------------------------


def test_data_argument_is_used_instead_of_the_file():
    data = (FIXTURES / "images_one.json").read_bytes()
    posts = read_records("not/on/disk.json", data=data)
    assert alts(posts[0]) == ["A dog on a beach"]
    assert posts[0].source.path == "not/on/disk.json"


def test_parse_records_takes_text():
    text = (FIXTURES / "posts.jsonl").read_text(encoding="utf-8")
    posts = parse_records(text, "posts.jsonl")
    assert [post.source.line for post in posts] == [1, 2, 3]
    assert posts[2].source.path == "posts.jsonl"


def test_utf8_bom_is_accepted():
    data = b"\xef\xbb\xbf" + (FIXTURES / "images_one.json").read_bytes()
    assert alts(read_records("bom.json", data=data)[0]) == ["A dog on a beach"]


def test_images_carry_a_copy_of_the_post_source():
    post = read("posts.jsonl")[2]
    expected = Source(
        path=fixture("posts.jsonl"),
        line=3,
        uri="at://did:plc:4qsyxmnsblo4luuycm3572bq/app.bsky.feed.post/3ld2ccccccc2c",
    )
    assert post.source == expected
    for image in post.images:
        assert image.source == expected
        assert image.source is not post.source


def test_a_one_megabyte_alt_is_read():
    record = json.loads((FIXTURES / "images_one.json").read_text(encoding="utf-8"))
    long_alt = "A dog on a beach. " * 58255  # just over 1 MB
    assert len(long_alt.encode("utf-8")) > 1_000_000
    record["embed"]["images"][0]["alt"] = long_alt
    posts = read_records("big.json", data=json.dumps(record).encode("utf-8"))
    assert posts[0].images[0].alt == long_alt


def test_empty_list_and_empty_page_hold_no_posts():
    assert read_records("a.json", data=b"[]") == []
    assert read_records("b.json", data=b'{"records": [], "cursor": null}') == []


def test_importing_the_module_does_not_import_atproto():
    result = subprocess.run(
        [sys.executable, "-P", "-X", "importtime", "-c", "import auditor.inputs.records"],
        capture_output=True,
        text=True,
        check=True,
    )
    imported = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line]
    assert "auditor.inputs.records" in imported
    assert not [name for name in imported if name.startswith("atproto")]


# --- bad input -----------------------------------------------------------------

BAD = [
    # (fixture, line, words the message must contain)
    ("bad/malformed.json", 4, ["not valid JSON", "Expecting ',' delimiter"]),
    ("bad/malformed_line.jsonl", 2, ["line is not valid JSON"]),
    ("bad/malformed_first_line.jsonl", 1, ["line is not valid JSON"]),
    ("bad/jq_stream_broken.json", 9, ["not valid JSON", "Expecting ',' delimiter"]),
    ("bad/not_object.jsonl", 3, ["found a string"]),
    ("bad/value_not_object.json", 1, ["'value' must be a JSON object, found an array"]),
    ("bad/no_text.jsonl", 2, ["no 'text'"]),
    ("bad/missing_alt.json", 7, ["embed.images[1]", "'alt' is missing", "app.bsky.embed.images"]),
    ("bad/alt_not_string.jsonl", 1, ["embed.images[0]", "'alt' must be a string, found a number"]),
    ("bad/media_alt_null.json", 1, ["embed.media.images[0]", "'alt' must be a string, found null"]),
    ("bad/gallery_missing_alt.json", 1, ["embed.items[0]", "'alt' is missing"]),
    ("bad/bad_uri.json", 1, ["not an at:// URI", "https://bsky.app/profile/example.com/post/3l6oveex3ii2l"]),
    ("bad/not_utf8.json", 3, ["not UTF-8 text"]),
]


@pytest.mark.parametrize(("name", "line", "words"), BAD, ids=[case[0] for case in BAD])
def test_bad_input_raises_one_line_input_error(name, line, words):
    path = fixture(name)
    with pytest.raises(InputError) as caught:
        read_records(path)
    error = caught.value
    message = str(error)
    assert "\n" not in message and "\r" not in message
    assert error.path == path
    assert error.line == line
    prefix = f"{path}:{line}: " if line else f"{path}: "
    assert message.startswith(prefix)
    for word in words:
        assert word in message


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b'"just a string"', ["found a string"]),
        (b"[1]", ["a record must be a JSON object, found a number"]),
        (b'{"records": {"not": "a list"}}', ["'records' must be a list"]),
        (b'{"$type": 7, "text": "x"}', ["'$type' must be a string"]),
        (b'{"$type": "app.bsky.feed.post", "text": 12}', ["'text' must be a string, found a number"]),
        (b'{"$type": "app.bsky.feed.post", "text": "x", "embed": {"$type": "app.bsky.embed.images"}}', ["'images' is missing"]),
        (
            b'{"$type": "app.bsky.feed.post", "text": "x", "embed": {"$type": "app.bsky.embed.video", "alt": 3}}',
            ["embed: 'alt' must be a string"],
        ),
        (b"[" * 100_000, ["nested too deeply"]),
    ],
)
def test_more_bad_input(data, words):
    with pytest.raises(InputError) as caught:
        read_records("made.json", data=data)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("made.json")
    for word in words:
        assert word in message


def test_records_of_other_types_are_skipped_and_counted():
    from collections import Counter

    from auditor.inputs.records import iter_records

    counted: Counter = Counter()
    assert list(iter_records(fixture("bad/like.json"), not_posts=counted)) == []
    assert counted == {"app.bsky.feed.like": 1}
    counted.clear()
    posts = list(iter_records(fixture("bad/like_in_list.jsonl"), not_posts=counted))
    assert [post.source.line for post in posts] == [1]
    assert counted == {"app.bsky.feed.like": 1}


def test_a_wrapper_whose_uri_names_another_collection_is_not_a_post():
    from collections import Counter

    from auditor.inputs.records import iter_records

    counted: Counter = Counter()
    data = b'{"uri": "at://did:plc:abc/app.bsky.graph.follow/3ld2", "cid": "x", "value": {"subject": "did:plc:x"}}'
    assert list(iter_records("f.jsonl", data=data, not_posts=counted)) == []
    assert counted == {"app.bsky.graph.follow": 1}


@pytest.mark.parametrize("name", ["bad/empty.json", "bad/blank.jsonl"])
def test_an_empty_file_holds_no_posts(name):
    assert read_records(fixture(name)) == []


def test_missing_file_and_directory_raise_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_records(str(tmp_path / "nope.json"))
    with pytest.raises(InputError, match="is a folder"):
        read_records(str(tmp_path))
