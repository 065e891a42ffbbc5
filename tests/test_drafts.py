"""Drafts: Markdown with TOML front matter, their line numbers, and the errors on bad ones.
The hand-written shape check and draft.schema.json must agree on every case."""

import json
import tomllib
from pathlib import Path

import jsonschema
import pytest

from auditor.errors import InputError
from auditor.inputs.drafts import parse_draft, read_draft
from auditor.resources import schema_path

FIXTURES = Path(__file__).parent / "fixtures" / "drafts"
GOOD = FIXTURES / "good.md"


def test_reads_text_langs_images_and_lines():
    post = read_draft(str(GOOD))
    assert post.text == "Our Community Day is back!\nSee you there."
    assert post.langs == ["en-GB", "cy"]
    assert [i.file for i in post.images] == ["images/event-banner.png", "images/visitors-chart.png"]
    assert post.images[0].alt.startswith("A green banner")
    assert post.images[1].alt == "Bar chart of visitors to the hall each year: 1,200 in 2023,\n2,300 in 2024 and 3,100 in 2025."
    # Lines of each image's alt key in the file (1-based, fence included).
    lines = GOOD.read_text().splitlines()
    assert lines[post.images[0].source.line - 1].startswith("alt = \"A green banner")
    assert lines[post.images[1].source.line - 1].startswith('alt = """')


def test_bundled_example_is_a_valid_draft():
    example = Path(__file__).parents[1] / "examples" / "drafts" / "community-day.md"
    post = read_draft(str(example))
    assert len(post.images) == 2


def write(tmp_path, front: str, body: str = "Post text") -> str:
    (tmp_path / "images").mkdir(exist_ok=True)
    (tmp_path / "images" / "a.png").write_bytes((FIXTURES / "images" / "event-banner.png").read_bytes())
    path = tmp_path / "draft.md"
    path.write_text(f"+++\n{front}\n+++\n{body}\n", encoding="utf-8")
    return str(path)


# (front matter, words the error must contain); each is invalid for the schema too,
# except the last group, which the schema cannot know about (files, TOML syntax).
SHAPE_ERRORS = [
    ('title = "x"', "unknown front-matter key 'title'"),
    ('langs = "en"', "'langs' must be a list"),
    ('langs = ["en", "fr", "de", "es"]', "at most 3"),
    ("images = 3", "'images' must be a list"),
    ('[[images]]\nfile = "images/a.png"', "'alt' is missing"),
    ('[[images]]\nalt = "A dog."', "'file' is missing"),
    ('[[images]]\nfile = "images/a.png"\nalt = 3', "'alt' must be a string"),
    ('[[images]]\nfile = "images/a.png"\nalt = "x"\ncaption = "y"', "unknown key 'caption'"),
    ("\n".join(['[[images]]\nfile = "images/a.png"\nalt = "x"'] * 5), "at most 4"),
]


@pytest.mark.parametrize("front,words", SHAPE_ERRORS)
def test_shape_errors_are_one_line_and_the_schema_agrees(tmp_path, front, words):
    path = write(tmp_path, front)
    with pytest.raises(InputError) as caught:
        read_draft(path)
    message = str(caught.value)
    assert words in message and "\n" not in message and message.startswith(path)
    schema = json.loads(schema_path("draft.schema.json").read_text())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(tomllib.loads(front), schema)


def test_valid_front_matter_passes_both(tmp_path):
    front = 'langs = ["en"]\n[[images]]\nfile = "images/a.png"\nalt = ""'
    read_draft(write(tmp_path, front))
    schema = json.loads(schema_path("draft.schema.json").read_text())
    jsonschema.validate(tomllib.loads(front), schema)
    jsonschema.validate(tomllib.loads(GOOD.read_text().split("+++")[1]), schema)


def test_missing_image_file_names_file_and_line(tmp_path):
    path = write(tmp_path, '[[images]]\nfile = "images/nope.png"\nalt = "x"')
    with pytest.raises(InputError, match=r"draft.md:4: images\[1\]: image file 'images/nope.png' not found"):
        read_draft(path)


def test_toml_syntax_error_reports_the_file_line(tmp_path):
    path = write(tmp_path, 'langs = ["en"]\nalt = = 3')
    with pytest.raises(InputError, match=r"draft.md:3: front matter is not valid TOML"):
        read_draft(path)


@pytest.mark.parametrize(
    "text,words",
    [("Just text, no front matter", "must start with a '+++' line"), ("+++\nlangs = []\n", "never closed")],
)
def test_fences(text, words):
    with pytest.raises(InputError) as caught:
        parse_draft(text, "x.md")
    assert words in str(caught.value)


def test_non_utf8_draft(tmp_path):
    path = tmp_path / "latin1.md"
    path.write_bytes("+++\n+++\nCaf\xe9".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        read_draft(str(path))


def test_byte_order_mark_and_crlf_are_accepted(tmp_path):
    path = tmp_path / "windows.md"
    path.write_bytes('\ufeff+++\r\nlangs = ["en"]\r\n+++\r\nHello\r\n'.encode("utf-8"))
    post = read_draft(str(path))
    assert post.text == "Hello" and post.langs == ["en"]


def test_a_file_that_is_not_an_image_is_refused(tmp_path):
    path = write(tmp_path, '[[images]]\nfile = "notes.txt"\nalt = "A dog."')
    (tmp_path / "notes.txt").write_text("just notes")
    with pytest.raises(InputError) as caught:
        read_draft(path)
    assert "'notes.txt' is not an image or video" in str(caught.value)


def test_media_kinds_come_from_the_files_bytes(tmp_path):
    from auditor.inputs.drafts import media_kind

    samples = {
        "a.gif": b"GIF89a\x01\x00\x01\x00",
        "b.webp": b"RIFF\x24\x00\x00\x00WEBPVP8 ",
        "c.mp4": b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00",
        "d.heic": b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00",
        "e.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF",
    }
    for name, data in samples.items():
        (tmp_path / name).write_bytes(data)
    kinds = {name: media_kind(tmp_path / name) for name in samples}
    assert kinds == {"a.gif": "gif", "b.webp": "image", "c.mp4": "video", "d.heic": "image", "e.jpg": "image"}
    assert media_kind(FIXTURES / "images" / "event-banner.png") == "image"


def test_unicode_line_separators_inside_values_are_kept(tmp_path):
    path = write(tmp_path, '[[images]]\nfile = "images/a.png"\nalt = "A dog\u2028on a beach"', body="Text\u2029more")
    post = read_draft(path)
    assert post.images[0].alt == "A dog\u2028on a beach"
    assert post.images[0].source.line == 4
    assert post.text == "Text\u2029more"
