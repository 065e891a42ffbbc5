"""`altaudit check` on drafts whose images are read: real processes, drawn images."""

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
from image_drawings import drawn_folder

from auditor.resources import schema_path

ROOT = Path(__file__).parents[1]
ALTAUDIT = Path(sys.executable).parent / "altaudit"

DRAFT = """+++
[[images]]
file = "images/card.png"
alt = "A colourful graphic with bunting along the top."

[[images]]
file = "images/broken.png"
alt = "A quote card."

[[images]]
file = "images/quote.png"
alt = ""
+++
Join us!
"""


def make_draft(folder: Path, text: str = DRAFT) -> Path:
    images = folder / "images"
    images.mkdir(parents=True, exist_ok=True)
    drawn = drawn_folder()
    (images / "card.png").write_bytes((drawn / "event-card.png").read_bytes())
    (images / "broken.png").write_bytes((drawn / "truncated.png").read_bytes())
    (images / "quote.png").write_bytes((drawn / "quote-card.png").read_bytes())
    draft = folder / "post.md"
    draft.write_text(text, encoding="utf-8")
    return draft


def run(*args, cache: Path, python_code: str | None = None):
    env = {**os.environ, "COLUMNS": "200", "XDG_CACHE_HOME": str(cache)}
    command = [sys.executable, "-P", "-c", python_code, *map(str, args)] if python_code else [str(ALTAUDIT), *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)


def test_images_named_by_a_draft_are_read_and_judged(tmp_path):
    draft = make_draft(tmp_path / "d")
    proc = run("check", draft, cache=tmp_path / "cache")
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout
    assert "text in the image: “Launch Webinar · Practical Hope Community Guides" in out
    assert "I901" in out and "“Launch Webinar / Practical Hope" in out
    # The broken file is a note on its own image; the image after it is still read.
    assert "image not read: image file cannot be decoded (image file is truncated)" in out
    assert "text found in the image, to start a description from: “When residents are given the" in out
    assert "Traceback" not in proc.stderr


def test_json_report_carries_what_was_read_and_a_second_run_reads_nothing(tmp_path):
    draft = make_draft(tmp_path / "d")
    first = run("check", draft, "--format", "json", cache=tmp_path / "cache")
    second = run("check", draft, "--format", "json", cache=tmp_path / "cache")
    schema = json.loads(schema_path("report.schema.json").read_text())
    reports = [json.loads(first.stdout), json.loads(second.stdout)]
    for report in reports:
        jsonschema.validate(report, schema)
    card, broken, quote = reports[0]["posts"][0]["images"]
    assert card["seen"]["engine"].startswith("rapidocr ") and card["seen"]["seconds"] > 0
    assert card["seen"]["lines"][0]["text"] == "Launch Webinar" and card["seen"]["lines"][0]["confidence"] > 0.9
    assert broken["seen"]["problem"] and broken["seen"]["lines"] == []
    assert [i["seen"]["cached"] for i in reports[0]["posts"][0]["images"]] == [False, False, False]
    assert [i["seen"]["cached"] for i in reports[1]["posts"][0]["images"]] == [True, True, True]
    assert [f["code"] for f in reports[0]["findings"]] == [f["code"] for f in reports[1]["findings"]]


def test_no_images_reads_none(tmp_path):
    draft = make_draft(tmp_path / "d")
    proc = run("check", draft, "--no-images", "--format", "json", cache=tmp_path / "cache")
    report = json.loads(proc.stdout)
    assert all(image["seen"] is None for image in report["posts"][0]["images"])
    assert not [f for f in report["findings"] if f["code"].startswith("I")]
    assert not (tmp_path / "cache" / "altaudit" / "images.sqlite3").exists()


def test_without_the_engine_the_report_says_so_once_and_nothing_else_changes(tmp_path):
    drafts = tmp_path / "d"
    make_draft(drafts)
    (drafts / "second.md").write_text(DRAFT, encoding="utf-8")
    # The engine's package blocked, as if the images extra were not installed.
    blocked = "import sys; sys.modules['rapidocr'] = None; sys.argv[0] = 'altaudit'; from auditor.cli import main; main()"
    proc = run("check", drafts, "--format", "json", cache=tmp_path / "cache", python_code=blocked)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.count("images were not read") == 1
    assert 'pip install "altaudit[images]"' in proc.stderr
    report = json.loads(proc.stdout)
    plain = json.loads(run("check", drafts, "--format", "json", "--no-images", cache=tmp_path / "cache").stdout)
    assert [f["code"] for f in report["findings"]] == [f["code"] for f in plain["findings"]]


def test_a_jpeg_named_png_is_read_by_its_content(tmp_path):
    text = '+++\n[[images]]\nfile = "images/photo.png"\nalt = "A sign."\n+++\nOpen!\n'
    draft = make_draft(tmp_path / "d", text)
    (tmp_path / "d" / "images" / "photo.png").write_bytes((drawn_folder() / "sideways.jpg").read_bytes())
    proc = run("check", draft, "--format", "json", cache=tmp_path / "cache")
    (image,) = json.loads(proc.stdout)["posts"][0]["images"]
    assert [line["text"] for line in image["seen"]["lines"]] == ["Open day today"]
