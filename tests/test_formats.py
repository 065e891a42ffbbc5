"""Every report format, run in-process through the one pipeline (reporting.run_report).

The same posts go to each format: real descriptions with real findings, a
hostile description (a lone surrogate, an ANSI escape, rich markup, a script
tag) and an input problem. SARIF is validated against the official 2.1.0
schema in tests/schemas/.
"""

import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import jsonschema
import pytest
from helpers import post_of

from auditor.config import Settings
from auditor.errors import InputError
from auditor.inputs.discover import iter_items
from auditor.model import Image, InputProblem, Post, Source
from auditor.reporting import run_report
from auditor.reports.base import FORMATS, reporter_class
from auditor.resources import schema_path

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples" / "drafts" / "community-day.md"
SARIF_SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text())
REPORT_SCHEMA = json.loads(schema_path("report.schema.json").read_text())

HOSTILE = "[bold]x[/bold] \x1b[31mred\x1b[0m \ud800 <script>alert(1)</script>"
# File names reach every format (descriptions only some): the same text as a path.
HOSTILE_PATH = "drafts/[bold]x[/bold]\x1b[31m<script>\ud800.md"
LOST_LETTER = "igure 2 shows a map of the high street."


def posts_and_problem():
    source = Source(path="posts.jsonl", line=1, uri="at://did:plc:abc/app.bsky.feed.post/1")
    hostile_source = Source(path=HOSTILE_PATH, line=2)
    return [
        Post("A walk", [Image(1, "A dog on a beach with a red ball.", source=source), Image(2, LOST_LETTER, source=source)], ["en"], source),
        Post("Hostile", [Image(1, "IMG_0392.jpeg", source=hostile_source), Image(2, HOSTILE, source=hostile_source)], ["en"], hostile_source),
        InputProblem("posts.jsonl", 3, "embed.images[0].alt: expected a string, got 7 \x1b[2J \ud800"),
    ]


def report(format_name, items=None, **options):
    out, err = io.StringIO(), io.StringIO()
    code = run_report(posts_and_problem() if items is None else items, Settings(), format_name, stream=out, stderr=err, **options)
    return code, out.getvalue(), err.getvalue()


def assert_no_raw_controls(text: str):
    text.encode("utf-8")  # a lone surrogate cannot be encoded: it must have been escaped
    assert "\x1b[31m" not in text and "\x1b[2J" not in text
    assert "\ud800" not in text


# -- what every format shares ----------------------------------------------------


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_reports_findings_and_the_problem_with_exit_2(name):
    code, out, err = report(name, width=100)
    assert code == 2  # an input problem occurred
    assert err.count("\n") == 1 and err.startswith("altaudit: error: posts.jsonl:3: embed.images[0].alt")
    assert "\\x1b[2J" in err and "\\ud800" in err
    assert_no_raw_controls(out)
    assert "T402" in out  # the lost first letter of image 2
    assert "posts.jsonl" in out and "expected a string, got 7" in out  # the problem is in the report too


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_shows_hostile_text_as_escaped_text(name):
    code, out, _ = report(name, width=200)
    assert_no_raw_controls(out)
    if name == "json":
        assert json.loads(out)["posts"][1]["source"]["path"] == HOSTILE_PATH  # JSON escapes, parsed back exactly
    elif name == "jsonl":
        assert json.loads(out.splitlines()[1])["images"][1]["alt"] == HOSTILE
    elif name == "sarif":
        uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for r in json.loads(out)["runs"][0]["results"] for loc in r["locations"]}
        assert "drafts/%5Bbold%5Dx%5B/bold%5D%1B%5B31m%3Cscript%3E%ED%A0%80.md" in uris  # percent-encoded
    elif name == "markdown":
        assert "&lt;script&gt;" in out and "<script>" not in out
        assert "\\[bold\\]x\\[/bold\\]\\\\x1b\\[31m" in out  # shows as [bold]x[/bold]\x1b[31m
    elif name in ("junit", "html"):
        assert "&lt;script&gt;" in out and "[bold]x[/bold]" in out and "\\x1b[31m" in out
        assert "<script>\\" not in out
    else:
        assert "[bold]x[/bold]\\x1b[31m<script>\\ud800.md" in out  # literal, escaped, unstyled
        assert "\x1b" not in out


def test_registry_imports_formats_only_when_asked():
    code = (
        "import sys, auditor.cli, auditor.reporting; "
        "print(sorted(m for m in sys.modules if m.startswith('auditor.reports.') or m in ('rich.table', 'rich.console')))"
    )
    loaded = subprocess.run([sys.executable, "-P", "-c", code], capture_output=True, text=True, check=True).stdout
    assert eval(loaded) == ["auditor.reports.base"]
    for name in FORMATS:
        reporter = reporter_class(name)
        for method in ("start", "post", "problem", "finish"):
            assert callable(getattr(reporter, method))
    with pytest.raises(ValueError, match="unknown report format 'yaml'"):
        reporter_class("yaml")


# -- json and jsonl ---------------------------------------------------------------


def test_json_report_streams_into_its_schema_with_problems_and_locations():
    code, out, _ = report("json")
    document = json.loads(out)
    jsonschema.validate(document, REPORT_SCHEMA)
    assert document["posts"][1]["images"][1]["alt"] == HOSTILE  # kept exactly, for tools
    assert document["problems"] == [
        {"path": "posts.jsonl", "line": 3, "uri": None, "message": "embed.images[0].alt: expected a string, got 7 \x1b[2J \ud800"}
    ]
    lost = next(f for f in document["findings"] if f["code"] == "T402")
    assert lost["rule"] == "lost-first-letter" and lost["fix"] and lost["why"]
    assert lost["location"]["path"] == "posts.jsonl" and lost["location"]["uri"].startswith("at://")
    summary = document["summary"]
    assert summary["problems"] == 1 and summary["posts"] == 2 and summary["images"] == 4
    assert sum(summary["score_distribution"].values()) == 4


def test_json_report_of_nothing_is_valid():
    code, out, _ = report("json", [])
    document = json.loads(out)
    jsonschema.validate(document, REPORT_SCHEMA)
    assert code == 0 and document["posts"] == [] and document["findings"] == [] and document["summary"]["posts"] == 0


def test_jsonl_writes_and_flushes_each_post_before_the_next_is_read():
    class Recorder(io.StringIO):
        flushed = ""

        def flush(self):
            self.flushed = self.getvalue()

    out = Recorder()
    seen_before = []

    def items():
        for alt in ("A dog on a beach.", LOST_LETTER, "IMG_0001.jpg"):
            seen_before.append(out.flushed.count("\n"))
            yield post_of(alt)

    code = run_report(items(), Settings(), "jsonl", stream=out, stderr=io.StringIO())
    assert seen_before == [0, 1, 2]  # each post's line was out before the next post was read
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["type"] for line in lines] == ["post", "post", "post", "summary"]
    assert lines[1]["findings"][0]["code"] == "T402" and lines[1]["images"][0]["alt"] == LOST_LETTER
    assert lines[-1]["images"] == 3 and code == 1


# -- sarif ------------------------------------------------------------------------


def test_sarif_is_valid_against_the_official_schema_with_rules_and_help():
    _, out, _ = report("sarif")
    sarif = json.loads(out)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(sarif)
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        rule = rules[result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
        assert "How to fix" in rule["help"]["text"] and rule["help"]["markdown"]
    assert run["invocations"][0]["executionSuccessful"] is False
    note = run["invocations"][0]["toolExecutionNotifications"][0]
    assert note["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    assert "\\x1b[2J" in note["message"]["text"]


def test_sarif_of_a_draft_points_at_line_and_column():
    items = iter_items([str(EXAMPLE)])
    out = io.StringIO()
    run_report(items, Settings(), "sarif", stream=out, stderr=io.StringIO())
    sarif = json.loads(out.getvalue())
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(sarif)
    lost = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "T402")
    region = lost["locations"][0]["physicalLocation"]["region"]
    line = EXAMPLE.read_text().splitlines()[region["startLine"] - 1]
    assert line[region["startColumn"] - 1 : region["endColumn"] - 1] == "igure 2"


def test_empty_sarif_is_valid():
    _, out, _ = report("sarif", [])
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(json.loads(out))


# -- one line a finding: concise and github ---------------------------------------


def test_concise_lines_are_path_line_column_code_message():
    out = io.StringIO()
    run_report(iter_items([str(EXAMPLE)]), Settings(), "concise", stream=out, stderr=io.StringIO())
    lines = out.getvalue().splitlines()
    lost = next(line for line in lines if " T402 " in line)
    match = re.fullmatch(r"(.+):(\d+):(\d+): T402 (.+)", lost)
    assert match and match.group(1) == str(EXAMPLE)
    text_line = EXAMPLE.read_text().splitlines()[int(match.group(2)) - 1]
    assert text_line[int(match.group(3)) - 1 :].startswith("igure 2")
    assert all(re.match(r".+:\d+(:\d+)?: [A-Z]\d{3} ", line) for line in lines)


def test_github_commands_escape_data_and_properties():
    source = Source(path="drafts/a,b:c%d.md", line=4)
    post = Post("", [Image(1, "IMG_1.jpg", source=source)], [], source)
    problem = InputProblem("x.jsonl", 2, "line one\r\nline two, 100%")
    code, out, _ = report("github", [post, problem])
    lines = out.splitlines()
    assert len(lines) == 2 and all(line.startswith("::") for line in lines)
    command = next(line for line in lines if "A103" in line)
    assert command.startswith("::error file=drafts/a%2Cb%3Ac%25d.md,line=4,")
    assert "title=altaudit A103 " in command
    assert lines[1].endswith("::x.jsonl:2: line one\\x0d%0Aline two, 100%25")


def test_github_problem_is_an_error_annotation():
    _, out, _ = report("github")
    problem = [line for line in out.splitlines() if "expected a string" in line]
    assert len(problem) == 1 and problem[0].startswith("::error file=posts.jsonl,line=3,")


# -- junit and markdown -----------------------------------------------------------


def test_junit_is_xml_with_a_test_case_a_post_and_an_error_a_problem():
    _, out, _ = report("junit")
    suites = ElementTree.fromstring(out.encode("utf-8"))
    suite = suites.find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "2", "1")
    cases = suite.findall("testcase")
    assert [case.find("failure") is not None for case in cases] == [True, True, False]
    assert "T402" in cases[0].find("failure").text
    assert "A103" in cases[1].find("failure").text and "&lt;script&gt;" in out
    assert "expected a string" in cases[2].find("error").get("message")


def test_junit_clean_posts_pass_and_lower_findings_go_to_system_out():
    _, out, _ = report("junit", [post_of("A dog on a beach with a red ball."), post_of("Image of a dog on a beach with a red ball.")])
    cases = ElementTree.fromstring(out.encode()).find("testsuite").findall("testcase")
    assert [len(case) for case in cases] == [0, 1]
    assert cases[1][0].tag == "system-out" and "W301" in cases[1][0].text


def test_markdown_summary_escapes_and_stays_bounded():
    alts = [f"IMG_{n:04d}.jpg" for n in range(70)]
    code, out, _ = report("markdown", [post_of(alt) for alt in alts])
    assert code == 1
    assert "❌ **Failed**" in out and "| findings | " in out
    rows = [line for line in out.splitlines() if line.startswith("| &lt;test&gt; |")]
    assert len(rows) == 50
    assert "more finding(s)" in out
    source = Source(path="[x](javascript:alert(1)) <img src=x onerror=alert(1)>.md")
    _, hostile, _ = report("markdown", [Post("", [Image(1, "IMG_1.jpg", source=source)], [], source)])
    assert "<img" not in hostile and "&lt;img" in hostile and "\\[x\\]" in hostile


# -- the terminal report at any size ----------------------------------------------


def terminal(items, **options):
    code, out, _ = report("terminal", items, width=100, color=False, **options)
    return out


def test_small_terminal_report_lists_posts_first():
    out = terminal([post_of(LOST_LETTER)])
    assert out.index("T402") < out.index("Findings by rule") < out.index("1 post(s) with images")


def test_large_terminal_report_leads_with_summary_and_worst_posts():
    posts = [post_of(LOST_LETTER)] * 30 + [post_of("IMG_0001.jpg")] + [post_of("A dog on a beach with a red ball.")] * 5
    out = terminal(posts)
    assert out.startswith("36 post(s) with images, 36 image(s): 31 error(s)")
    assert out.index("Findings by rule") < out.index("Worst 10 post(s)")
    assert out.count("post score") == 10
    worst = [int(score) for score in re.findall(r"post score (\d+)/100", out)]
    assert worst == sorted(worst) and worst[0] == 0  # the file-name description first
    assert "Shown: the 10 worst of 31 post(s) with findings." in out


def test_large_terminal_report_lists_the_rest_when_asked():
    posts = [post_of(LOST_LETTER)] * 30
    everything = terminal(posts, show_all=True)
    assert "All posts with findings" in everything and everything.count("post score") == 10 + 30
    assert "Shown:" not in everything
    some = terminal(posts, limit=3)
    assert "First 3 post(s) with findings" in some and some.count("post score") == 13
    assert "Shown: the 10 worst and the first 3 of 30 post(s) with findings." in some


def test_piped_terminal_report_has_no_trailing_padding():
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "altaudit"), "check", str(EXAMPLE)], capture_output=True, env={"COLUMNS": "150", "PATH": ""}
    )
    lines = proc.stdout.decode().splitlines()
    assert len(lines) > 10 and "Findings by rule" in proc.stdout.decode()
    assert [line for line in lines if line != line.rstrip()] == []


# -- --output ---------------------------------------------------------------------


def test_output_file_is_written_whole_or_not_at_all(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("previous report")
    code = run_report([post_of(LOST_LETTER)], Settings(), "json", str(target), stderr=io.StringIO())
    assert code == 1 and json.loads(target.read_text())["summary"]["images"] == 1

    def broken():
        yield post_of(LOST_LETTER)
        raise InputError("disk went away", path="posts.jsonl")

    target.write_text("previous report")
    with pytest.raises(InputError):
        run_report(broken(), Settings(), "json", str(target), stderr=io.StringIO())
    assert target.read_text() == "previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]  # no temporary file left


def test_output_through_a_symlink_or_into_a_fifo_keeps_them_and_a_mode(tmp_path):
    import os
    import stat
    import threading

    real = tmp_path / "real.json"
    real.write_text("previous report")
    real.chmod(0o444 if os.geteuid() == 0 else 0o640)  # root may replace a read-only file
    mode = real.stat().st_mode & 0o7777
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert run_report([post_of(LOST_LETTER)], Settings(), "json", str(link), stderr=io.StringIO()) == 1
    assert link.is_symlink() and json.loads(real.read_text())["summary"]["images"] == 1
    assert real.stat().st_mode & 0o7777 == mode

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    run_report([post_of(LOST_LETTER)], Settings(), "json", str(fifo), stderr=io.StringIO())
    reader.join(10)
    assert stat.S_ISFIFO(fifo.stat().st_mode) and json.loads(received[0])["summary"]["images"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "pipe", "real.json"]


def test_output_that_is_an_input_is_refused_and_the_draft_stays(tmp_path):
    altaudit = Path(sys.executable).parent / "altaudit"
    draft = tmp_path / "drafts" / "post.md"
    draft.parent.mkdir()
    (draft.parent / "images").symlink_to(EXAMPLE.parent / "images")
    original = EXAMPLE.read_bytes()
    draft.write_bytes(original)
    (tmp_path / "link.md").symlink_to(draft)
    for args in (["check", str(draft), "-o", str(draft)], ["check", str(draft), "-o", str(tmp_path / "link.md")], ["check", str(tmp_path), "-o", str(draft)]):
        proc = subprocess.run([str(altaudit), *args], capture_output=True, text=True)
        assert proc.returncode == 2 and proc.stderr.startswith("altaudit: error: ") and proc.stderr.count("\n") == 1, args
        assert "--output would replace it" in proc.stderr and draft.read_bytes() == original
    report = tmp_path / "drafts" / "report.txt"
    assert subprocess.run([str(altaudit), "check", str(tmp_path / "drafts"), "-o", str(report)]).returncode == 1
    assert "T402" in report.read_text(encoding="utf-8") and draft.read_bytes() == original


def test_cli_output_option_for_every_format(tmp_path):
    altaudit = Path(sys.executable).parent / "altaudit"
    for name in FORMATS:
        target = tmp_path / f"report.{name}"
        proc = subprocess.run([str(altaudit), "check", str(EXAMPLE), "--format", name, "--output", str(target)], capture_output=True)
        assert proc.returncode == 1, (name, proc.stderr)
        assert proc.stdout == b"" and "T402" in target.read_text(encoding="utf-8"), name
    proc = subprocess.run([str(altaudit), "check", str(EXAMPLE), "-o", str(tmp_path / "no" / "such" / "r.json")], capture_output=True)
    assert proc.returncode == 2 and proc.stderr.decode().startswith("altaudit: error: ") and b"Traceback" not in proc.stderr
    proc = subprocess.run([str(altaudit), "check", str(EXAMPLE), "-o", str(tmp_path)], capture_output=True)
    assert proc.returncode == 2 and "is a folder" in proc.stderr.decode() and proc.stderr.count(b"\n") == 1
