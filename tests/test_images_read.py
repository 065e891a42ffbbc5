"""Reading images: safe decoding, bounded size, the engine, the cache, the pool.

Every image here is real: drawn with Pillow and DejaVu fonts
(image_drawings.py) and read by the real engine, once per session.
"""

import os
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from image_drawings import DRAWINGS, LONG_LINES, drawn_folder, long_screenshot, read_drawn

from auditor.images import load
from auditor.images.cache import SeenCache
from auditor.images.read import Reader, content_key, read_image

ROOT = Path(__file__).parents[1]


def texts(name: str) -> list[str]:
    return [line.text for line in read_drawn()[name].lines]


def test_the_seed_event_card_is_read_line_by_line():
    read = texts("event-card.png")
    for line in ["Launch Webinar", "Practical Hope Community Guides", "Tuesday 21 October, 7-8 pm", "LOCAL TRUST", "TCPA"]:
        assert line in read, read
    seen = read_drawn()["event-card.png"]
    assert seen.engine.startswith("rapidocr 3.") and seen.width == 1200 and seen.height == 675
    assert all(line.confidence > 0.9 for line in seen.lines)
    title = next(line for line in seen.lines if line.text == "Launch Webinar")
    left, top, right, bottom = title.box
    assert 40 <= left <= 70 and 60 <= top <= 80 and 130 <= bottom <= 150  # drawn at (60, 70), 64 px


def test_light_on_dark_rotated_and_report_cover_text_is_read():
    assert "need it most." in texts("quote-card.png")
    assert {"Library closed", "Monday 2 June"} <= set(texts("rotated-notice.png"))
    assert {"What is Social Capital?", "Demos", "Local Trust", "3ni"} <= set(texts("report-cover.png"))


def test_only_the_first_frame_of_an_animation_is_read():
    read = " ".join(texts("animated.gif"))
    assert "Frame one sale" in read and "Second" not in read


def test_exif_orientation_is_applied_before_reading():
    seen = read_drawn()["sideways.jpg"]
    assert (seen.width, seen.height) == (800, 300)  # stored 300 x 800, shown upright
    assert texts("sideways.jpg") == ["Open day today"]


def test_white_text_on_transparency_is_laid_on_a_dark_background():
    assert texts("transparent-logo.png") == ["GREEN LEAF"]


@pytest.mark.parametrize(
    "name, words",
    [
        ("truncated.png", "truncated"),
        ("not-an-image.png", "not an image"),
        ("bomb.png", "too large"),
    ],
)
def test_broken_files_are_a_one_line_note_for_that_image(name, words):
    seen = read_drawn()[name]
    assert seen.lines == [] and seen.problem and words in seen.problem and "\n" not in seen.problem


def test_a_bomb_is_refused_before_its_pixels_are_decoded():
    data = (drawn_folder() / "bomb.png").read_bytes()
    assert len(data) < 200
    with pytest.raises(load.ImageProblem, match="too large"):
        load.decode(data)


def test_a_long_screenshot_is_folded_into_one_sheet_of_bounded_size():
    image = load.decode(long_screenshot())
    prepared = load.prepare(image)
    width, height = prepared.sheet.size
    assert max(width, height) <= load.MAX_SIDE
    assert width * height <= 1.6 * load.READ_PIXELS
    assert len(prepared.strips) > 10 and prepared.scale == 1.0  # cut, not shrunk to illegibility


def test_a_long_screenshot_is_read_top_to_bottom_without_doubles():
    seen = read_drawn()["long-screenshot.png"]
    counts = Counter(line.text for line in seen.lines)
    drawn = Counter(LONG_LINES[n % len(LONG_LINES)] for n in range(10_000 // 60))
    assert set(counts) <= set(LONG_LINES) | {t for t in counts if counts[t] == 1}
    # Every drawn line read once: none lost at a cut, none doubled in an overlap.
    assert sum(counts.values()) >= 0.95 * sum(drawn.values())
    assert all(counts[text] <= drawn[text] for text in LONG_LINES)
    assert max(line.box[3] for line in seen.lines) > 9_800  # boxes mapped back onto the tall image
    tops = sorted(line.box[1] for line in seen.lines)
    assert all(b - a > 30 for a, b in zip(tops, tops[1:]))  # one line every 60 px


def test_the_cache_makes_a_second_read_read_nothing(tmp_path):
    datas = [(drawn_folder() / name).read_bytes() for name in ("quote-card.png", "logo-strip.png")]
    cache_file = tmp_path / "images.sqlite3"
    with Reader(cache=SeenCache(cache_file), workers=1) as first:
        one = first.read_many(datas + datas)  # the same image twice is read once
    assert first.read_count == 2
    with Reader(cache=SeenCache(cache_file), workers=1) as second:
        two = second.read_many(datas)
    assert second.read_count == 0
    assert [s.text for s in two] == [s.text for s in one[:2]] and all(s.cached for s in two)
    assert {row[0] for row in sqlite3.connect(cache_file).execute("SELECT key FROM seen")} == {
        content_key(d) for d in datas
    }


def test_a_corrupt_cache_is_set_aside_and_the_images_still_read(tmp_path):
    cache_file = tmp_path / "images.sqlite3"
    cache_file.write_bytes(b"this is not a database" * 100)
    data = (drawn_folder() / "logo-strip.png").read_bytes()
    with Reader(cache=SeenCache(cache_file), workers=1) as reader:
        (seen,) = reader.read_many([data])
    assert seen.problem is None and "Local Trust" in seen.text
    assert (tmp_path / "images.sqlite3.corrupt").exists()
    with Reader(cache=SeenCache(cache_file), workers=1) as again:
        again.read_many([data])
    assert again.read_count == 0  # the fresh cache works


def test_an_unwritable_cache_folder_only_costs_the_cache(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    data = (drawn_folder() / "logo-strip.png").read_bytes()
    with Reader(cache=SeenCache(blocker / "altaudit" / "images.sqlite3"), workers=1) as reader:
        (seen,) = reader.read_many([data])
    assert "Local Trust" in seen.text and reader.read_count == 1


def test_the_pool_reads_what_one_process_reads():
    data = (drawn_folder() / "rotated-notice.png").read_bytes()
    alone = read_image(data)
    assert [(l.text, l.box) for l in alone.lines] == [(l.text, l.box) for l in read_drawn()["rotated-notice.png"].lines]


def test_start_up_imports_no_image_library():
    code = (
        "import sys, auditor.cli, auditor.engine, auditor.checks, auditor.images.attach;"
        "heavy = [m for m in ('rapidocr', 'onnxruntime', 'cv2', 'numpy', 'PIL') if m in sys.modules];"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-P", "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_engine_logs_nothing(tmp_path):
    code = (
        "import sys; from auditor.images.read import read_image;"
        f"s = read_image(open({str(drawn_folder() / 'logo-strip.png')!r}, 'rb').read()); print(s.text)"
    )
    out = subprocess.run([sys.executable, "-P", "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr == "" and "Local Trust" in out.stdout


def test_posts_read_before_an_input_fails_still_come_out(tmp_path, monkeypatch):
    from auditor.errors import InputError
    from auditor.images.attach import with_seen_text
    from auditor.model import Image, Post, Source

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    image_file = tmp_path / "card.png"
    image_file.write_bytes((drawn_folder() / "logo-strip.png").read_bytes())

    def stream():
        yield Post("first", [Image(1, "Logos.", file=str(image_file), source=Source(path=str(tmp_path / "a.md")))])
        raise InputError("the file ends in the middle of a record", path="x.car")

    out = []
    with pytest.raises(InputError):
        for item in with_seen_text(stream(), note=lambda message: None):
            out.append(item)
    assert [post.text for post in out] == ["first"]
    assert "Local Trust" in out[0].images[0].seen.text


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\nnot really",  # a PNG signature over garbage fails inside Image.open
        b"\xff\xd8\xff\xe0" + b"\x00" * 3,  # a JPEG start and nothing more
        b"GIF89a\x01",
    ],
)
def test_a_known_header_over_damaged_bytes_is_an_image_problem(data):
    with pytest.raises(load.ImageProblem):
        load.decode(data)
