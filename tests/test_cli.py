"""The altaudit command as a user runs it: real processes, real files, exit codes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema

from auditor.resources import schema_path

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples" / "drafts" / "community-day.md"
SEED = Path(__file__).parent / "fixtures" / "seed"
ALTAUDIT = Path(sys.executable).parent / "altaudit"


def run(*args, stdin: bytes | None = None, cwd=None, env=None):
    environment = {**os.environ, "COLUMNS": "120", **(env or {})}
    environment.pop("ALTAUDIT_DEBUG", None)
    return subprocess.run(
        [str(ALTAUDIT), *map(str, args)], input=stdin, capture_output=True, cwd=cwd or ROOT, env=environment
    )


def text(proc) -> str:
    return proc.stdout.decode("utf-8")


def one_line_error(proc, *words):
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2, (proc.returncode, err, text(proc))
    assert "Traceback" not in err and err.count("\n") == 1, err
    assert err.startswith("altaudit: error: "), err
    for word in words:
        assert word in err, err
    return err


def test_example_draft_fails_with_the_lost_letter_reported():
    proc = run("check", EXAMPLE)
    out = text(proc)
    assert proc.returncode == 1
    assert "image 2 of 2" in out and "‘igure 2’ looks like ‘Figure 2’" in out
    assert "write ‘Figure 2’" in out
    assert "Findings by rule" in out


def test_folder_walk_skips_readmes_and_finds_drafts():
    proc = run("check", ROOT / "examples", "--format", "json")
    report = json.loads(proc.stdout)
    assert [p["source"]["path"].endswith("community-day.md") for p in report["posts"]] == [True]


def test_fail_on_and_select_change_the_exit_status():
    assert run("check", EXAMPLE, "--ignore", "T402").returncode == 0  # only warnings remain
    # Branding warnings only: I903 judges the banner's logos where its text is read, B601 where not.
    assert run("check", EXAMPLE, "--select", "B6,I9").returncode == 0  # warnings only
    assert run("check", EXAMPLE, "--select", "B6,I9", "--fail-on", "warning").returncode == 1


def test_json_report_matches_its_schema_and_locates_findings():
    proc = run("check", EXAMPLE, "--format", "json")
    report = json.loads(proc.stdout)
    jsonschema.validate(report, json.loads(schema_path("report.schema.json").read_text()))
    lost = next(f for f in report["findings"] if f["code"] == "T402")
    assert lost["level"] == "error" and lost["image"] == 2 and lost["images_in_post"] == 2
    assert lost["span"]["text"] == "igure 2" and lost["suggestion"] == "Figure 2"
    lines = EXAMPLE.read_text().splitlines()
    assert lines[lost["source"]["line"] - 1].startswith("alt = \"igure 2")
    assert report["summary"]["failed"] is True


def test_json_report_for_records_gives_jsonl_line_and_uri():
    proc = run("check", SEED / "as_posted.jsonl", "--format", "json")
    report = json.loads(proc.stdout)
    jsonschema.validate(report, json.loads(schema_path("report.schema.json").read_text()))
    short = next(f for f in report["findings"] if f["code"] == "L203")
    assert short["source"]["line"] == 10
    assert short["source"]["uri"].startswith("at://did:plc:ipprnorth")
    lines = (SEED / "as_posted.jsonl").read_text().splitlines()
    assert "Panel event for labour conference 2025." in lines[short["source"]["line"] - 1]


def test_github_annotations_point_at_file_and_line():
    proc = run("check", EXAMPLE, "--format", "github")
    lines = text(proc).splitlines()
    assert any(l.startswith("::error file=") and ",line=" in l and "T402" in l for l in lines), lines


def test_alt_command_argument_and_stdin():
    proc = run("alt", "IMG_0392.jpeg")
    assert proc.returncode == 1 and "A103" in text(proc)
    proc = run("alt", "-", stdin="A dog runs along a beach at sunset, a red ball in its mouth.\n".encode())
    assert proc.returncode == 0, text(proc)
    proc = run("alt", "A dog on the beach", "--post-text", "A dog on the beach", "--format", "json")
    assert "W308" in [f["code"] for f in json.loads(proc.stdout)["findings"]]


def test_rules_table_and_rule_documentation():
    listing = text(run("rules"))
    for code in ("A101", "L201", "W301", "T401", "T402", "M501", "B601", "R701"):
        assert code in listing
    doc = text(run("rule", "t402"))
    for section in ("## What it checks", "## Why it matters", "## Example that fails", "## Example that passes"):
        assert section in doc
    invisible = text(run("rule", "W307"))
    assert "Soft\\xadhyphen" in invisible and "\u00ad" not in invisible
    one_line_error(run("rule", "Z999"), "no rule 'Z999'")


def test_piped_rules_listing_has_one_rule_a_line_and_no_trailing_spaces():
    import io

    from auditor.rulebook import all_rules
    from auditor.ruledoc import render_rules_table

    lines = run("rules").stdout.decode("utf-8").splitlines()
    assert lines and [line for line in lines if line != line.rstrip()] == []
    rules = list(all_rules())
    assert lines[0].split() == ["code", "level", "name", "what", "it", "flags"] and len(lines) == len(rules) + 1
    t402 = next(line for line in lines if line.startswith("T402 "))
    rule = next(rule for rule in rules if rule.code == "T402")
    assert t402.split(None, 3) == ["T402", rule.level.value, rule.name, rule.title]
    shown = io.StringIO()
    render_rules_table(rules, shown, terminal=True)  # the rich table, for a terminal
    assert "T402" in shown.getvalue() and "what it flags" in shown.getvalue()


# --- bad input: one line, exit 2, never a traceback -------------------------------


def test_malformed_json(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"$type": "app.bsky.feed.post", "text": "hi"}\n{"text": \n')
    one_line_error(run("check", bad), "bad.jsonl:2")


def test_unknown_record_type(tmp_path):
    like = tmp_path / "like.json"
    like.write_text(json.dumps({"$type": "app.bsky.feed.like", "subject": {}}))
    proc = run("check", like, "--format", "json")  # a repository holds likes: skipped, not an error
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["posts"] == []


def test_bad_records_are_named_and_the_rest_reported_with_exit_2(tmp_path):
    record = {"$type": "app.bsky.feed.post", "text": "Walk", "createdAt": "2025-01-01T00:00:00Z",
              "embed": {"$type": "app.bsky.embed.images", "images": [{"alt": "igure 2 shows a map of the high street.",
              "image": {"$type": "blob", "ref": {"$link": "bafkreia"}, "mimeType": "image/png", "size": 1}}]}}
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text("\n".join([json.dumps(record), '{"text": ', json.dumps({"$type": "app.bsky.feed.like", "subject": {}}), json.dumps(record)]) + "\n")
    for name in ("json", "terminal", "concise"):
        proc = run("check", mixed, "--format", name)
        err = proc.stderr.decode()
        assert proc.returncode == 2 and err.count("\n") == 1 and err.startswith("altaudit: error: ") and "mixed.jsonl:2" in err, err
        assert text(proc).count("T402") >= 2, name  # both good posts, before and after the bad line
    report = json.loads(run("check", mixed, "--format", "json").stdout)
    jsonschema.validate(report, json.loads(schema_path("report.schema.json").read_text()))
    assert [p["source"]["line"] for p in report["posts"]] == [1, 4]
    assert report["problems"][0]["line"] == 2 and report["summary"]["not_posts"] == 1


def test_empty_file_is_an_audit_of_nothing(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    proc = run("check", empty, "--format", "json")
    assert proc.returncode == 0 and json.loads(proc.stdout)["summary"]["posts"] == 0


def test_missing_image_file(tmp_path):
    draft = tmp_path / "d.md"
    draft.write_text('+++\n[[images]]\nfile = "gone.png"\nalt = "A dog."\n+++\nHi\n')
    one_line_error(run("check", draft), "d.md:4", "gone.png")


def test_non_utf8_and_missing_and_unknown_files(tmp_path):
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes('{"$type": "app.bsky.feed.post", "text": "caf\xe9"}'.encode("latin-1"))
    one_line_error(run("check", latin), "UTF-8")
    one_line_error(run("check", tmp_path / "nowhere.md"), "no such file")
    other = tmp_path / "notes.txt"
    other.write_text("just some notes")
    one_line_error(run("check", other), "not a draft")
    one_line_error(run("alt", "-", stdin=b"\xff\xfe"), "not UTF-8")


def test_bad_configuration(tmp_path):
    (tmp_path / "altaudit.toml").write_text('selekt = ["A"]\n')
    one_line_error(run("check", EXAMPLE, cwd=tmp_path), "unknown setting 'selekt'")
    (tmp_path / "altaudit.toml").write_text('select = ["Q9"]\n')
    one_line_error(run("check", EXAMPLE, cwd=tmp_path), "unknown rule code or prefix 'Q9'")
    one_line_error(run("check", EXAMPLE, "--fail-on", "fatal"), "not a level")


def test_megabyte_description_is_audited(tmp_path):
    record = {"$type": "app.bsky.feed.post", "text": "Long", "createdAt": "2025-01-01T00:00:00Z",
              "embed": {"$type": "app.bsky.embed.images", "images": [{"alt": "A long description. " * 52_429,
              "image": {"$type": "blob", "ref": {"$link": "bafkreia"}, "mimeType": "image/png", "size": 1}}]}}
    big = tmp_path / "big.json"
    big.write_text(json.dumps(record))
    proc = run("check", big, "--format", "json")
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr
    codes = [f["code"] for f in json.loads(proc.stdout)["findings"]]
    assert "L201" in codes


# --- untrusted text stays text ------------------------------------------------------

HOSTILE = "[bold red]x[/] \x1b[31mred\x1b[0m \x07 <script>alert(1)</script> IMG_1.jpg\u202e"


def test_hostile_description_is_shown_literally_in_the_terminal():
    proc = run("alt", HOSTILE, env={"FORCE_COLOR": "1", "TTY_COMPATIBLE": "1"})
    out = text(proc)
    assert "[bold red]x[/]" in out
    assert "\\x1b[31mred" in out and "\\x07" in out and "\\u202e" in out
    assert "<script>alert(1)</script>" in out
    # The only escape sequences left are rich's own colour codes (ESC [ digits ; m).
    import re

    assert not re.search(r"\x1b(?!\[[0-9;]*m)", out)
    assert "\x07" not in out and "\u202e" not in out
    assert "\x1b[31mred" not in out


def test_hostile_description_in_json_and_github_formats():
    report = run("alt", HOSTILE, "--format", "json")
    assert b"\x1b" not in report.stdout and b"\x07" not in report.stdout
    assert json.loads(report.stdout)["posts"][0]["images"][0]["alt"] == HOSTILE
    github = run("alt", HOSTILE + "\n::set-output name=x::y", "--format", "github")
    for raw in (b"\x1b", b"\x07", "\u202e".encode()):
        assert raw not in github.stdout
    assert all(line.startswith("::") for line in text(github).splitlines())


def test_sarif_report_lists_rules_and_located_results():
    proc = run("check", EXAMPLE, "--format", "sarif")
    sarif = json.loads(proc.stdout)
    assert sarif["version"] == "2.1.0"
    run_ = sarif["runs"][0]
    ids = {rule["id"] for rule in run_["tool"]["driver"]["rules"]}
    lost = next(r for r in run_["results"] if r["ruleId"] == "T402")
    assert "T402" in ids and lost["level"] == "error"
    location = lost["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"].endswith("community-day.md")
    lines = EXAMPLE.read_text().splitlines()
    assert lines[location["physicalLocation"]["region"]["startLine"] - 1].startswith('alt = "igure 2')
    assert location["logicalLocations"][0]["name"] == "post 1, image 2 of 2"


def test_version_and_help():
    from auditor import __version__

    proc = run("--version")
    assert proc.returncode == 0 and text(proc).strip() == f"altaudit {__version__}"
    assert "check" in text(run("--help")) and "alt" in text(run("--help"))


def test_markdown_without_front_matter_is_skipped_like_pre_commit_needs(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Our drafts\n\nNothing to audit here.\n")
    proc = run("check", readme, EXAMPLE)
    assert proc.returncode == 1 and "igure 2" in text(proc)  # the draft beside it is still audited
    alone = run("check", readme)
    assert alone.returncode == 0
    assert "README.md: not a draft (no +++ front matter), skipped" in alone.stderr.decode()


def test_special_files_are_refused_not_read(tmp_path):
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    one_line_error(run("check", fifo), "not a regular file")


def test_error_messages_escape_what_they_quote(tmp_path):
    record = tmp_path / "evil.json"
    record.write_text(json.dumps({"$type": "app.bsky.feed.post", "text": "\x1b[31mRED\x07", "embed": {"$type": "app.bsky.embed.images", "images": 3}}))
    record = record.rename(tmp_path / "evil\x1b[31mRED\x07.json")
    err = one_line_error(run("check", record))
    assert "\x1b" not in err and "\x07" not in err and "\\x1b[31mRED\\x07" in err
    err = one_line_error(run("rule", "X\x1b[2J"))
    assert "\x1b" not in err


def test_a_megabyte_word_is_audited_quickly(tmp_path):
    proc = run("alt", "-", "--format", "json", stdin=("a" * 1_000_000).encode())
    assert proc.returncode in (0, 1) and b"Traceback" not in proc.stderr
    assert len(json.loads(proc.stdout)["posts"][0]["images"][0]["alt"]) == 1_000_000


def test_findings_of_one_rule_are_capped_per_image():
    proc = run("alt", "word " * 2000, "--format", "json")
    doubled = [f for f in json.loads(proc.stdout)["findings"] if f["code"] == "T403"]
    assert len(doubled) == 20


def test_a_folder_walk_skips_json_that_holds_no_records_and_the_baseline(tmp_path):
    (tmp_path / "package.json").write_text('{"name": "site", "version": "1.0.0", "scripts": {"build": "vite"}}\n')
    (tmp_path / "tsconfig.json").write_text('{"compilerOptions": {"strict": true}}\n')
    (tmp_path / "posts.json").write_bytes((ROOT / "tests" / "fixtures" / "records" / "images_one.json").read_bytes())
    proc = run("check", ".", "-f", "json", cwd=tmp_path)
    assert proc.returncode != 2 and proc.stderr == b"", proc.stderr
    assert json.loads(proc.stdout)["summary"]["posts"] == 1
    verbose = run("check", ".", "-v", "-f", "concise", cwd=tmp_path)
    assert "package.json: JSON that holds no Bluesky records, skipped" in verbose.stderr.decode()
    named = run("check", "package.json", cwd=tmp_path)
    assert named.returncode == 2  # a file given by name is read as records: its problem is reported
    first = run("check", "--baseline", "baseline.json", ".", cwd=tmp_path)
    assert first.returncode == 0 and (tmp_path / "baseline.json").exists()
    again = run("check", "--baseline", "baseline.json", ".", "-f", "json", cwd=tmp_path)
    assert again.returncode == 0 and json.loads(again.stdout)["summary"]["posts"] == 1, again.stderr


def test_a_folder_walk_reads_every_record_file_the_fixtures_hold():
    folder = ROOT / "tests" / "fixtures" / "records"
    files = sorted(str(path) for path in folder.rglob("*.json*") if path.is_file())
    walked = json.loads(run("check", folder, "-f", "json").stdout)["summary"]
    named = json.loads(run("check", *files, "-f", "json").stdout)["summary"]
    assert walked["posts"] == named["posts"] > 10 and walked["images"] == named["images"]
