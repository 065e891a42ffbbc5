"""`check PATH... [--format NAME]` runs without typer (auditor/cli.py `plain_check`):
the same output, byte for byte, and the same exit status as through typer.

Every command line here runs twice, as separate processes of the same entry
point: once as it is, once with the plain path switched off so that typer
parses it, and the two must print the same on both streams and exit alike.
"""

from __future__ import annotations

import inspect
import json
import os
import shutil
import subprocess
import struct
import sys
import zlib
from pathlib import Path

import pytest

from auditor.cli import plain_check
from auditor.reports.base import format_names

FIXTURES = Path(__file__).parent / "fixtures"

# The entry point as the console script runs it; TYPER_ONLY turns the plain path off first.
PLAIN = "import sys, auditor.cli as cli; sys.argv[0] = 'altaudit'; cli.main()"
TYPER_ONLY = "import sys, auditor.cli as cli; cli.plain_check = lambda *a, **k: None; sys.argv[0] = 'altaudit'; cli.main()"

DRAFT_WITH_FINDINGS = '''+++
langs = ["en"]

[[images]]
file = "blank.png"
alt = "igure 2 shows a bar chart of visitors each year: 1,200 in 2023 and 3,100 in 2025.The number has more than doubled."

[[images]]
file = "blank.png"
alt = "image"
+++
Our open day is back.
'''

HOSTILE_DRAFT = '''+++
[[images]]
file = "blank.png"
alt = "[bold]Loud[/bold] \\u001b[31mred\\u001b[0m <script>alert(1)</script> and a bidi \\u202e mark"
+++
[link](javascript:alert(1))
'''

CLEAN_DRAFT = '''+++
[[images]]
file = "blank.png"
alt = "Two children fly a red kite over a windy beach at low tide, with grey clouds behind them."
+++
Kite day.
'''

MISSING_IMAGE_DRAFT = '''+++
[[images]]
file = "images/not-there.png"
alt = "A photo of the village hall."
+++
Hall.
'''


def blank_png(width: int = 16, height: int = 16) -> bytes:
    """A white greyscale PNG, written by hand (Pillow is an optional extra)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\0" + b"\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    """A folder of drafts and record files: good, bad, hostile, empty, skipped.
    Its image is read once here, so that every run after finds it in the cache."""
    root = tmp_path_factory.mktemp("plain")
    for folder in ("", "folder", "configured", "bad-config"):
        (root / folder).mkdir(exist_ok=True)
        (root / folder / "blank.png").write_bytes(blank_png())
    (root / "findings.md").write_text(DRAFT_WITH_FINDINGS, encoding="utf-8")
    (root / "hostile.md").write_text(HOSTILE_DRAFT, encoding="utf-8")
    (root / "clean.md").write_text(CLEAN_DRAFT, encoding="utf-8")
    (root / "missing-image.md").write_text(MISSING_IMAGE_DRAFT, encoding="utf-8")
    (root / "notes.md").write_text("# Not a draft\n\nNo front matter here.\n", encoding="utf-8")
    shutil.copy(FIXTURES / "records" / "posts.jsonl", root / "posts.jsonl")
    shutil.copy(FIXTURES / "records" / "images_one.json", root / "one.json")
    good_line = (FIXTURES / "records" / "posts.jsonl").read_text(encoding="utf-8").splitlines()[2]
    like = json.dumps({"$type": "app.bsky.feed.like", "subject": {"uri": "at://x", "cid": "y"}, "createdAt": "2025-01-01T00:00:00Z"})
    (root / "mixed.jsonl").write_text(f"{good_line}\n{{broken json\n{like}\n{good_line}\n", encoding="utf-8")
    (root / "empty.jsonl").write_text("", encoding="utf-8")
    (root / "folder" / "draft.md").write_text(DRAFT_WITH_FINDINGS, encoding="utf-8")
    (root / "folder" / "settings.json").write_text('{"theme": "dark"}', encoding="utf-8")
    configured = root / "configured"
    (configured / "altaudit.toml").write_text('fail-on = "warning"\nignore = ["T402"]\n', encoding="utf-8")
    (configured / "draft.md").write_text(DRAFT_WITH_FINDINGS, encoding="utf-8")
    (root / "bad-config" / "altaudit.toml").write_text('fail-on = "sometimes"\n', encoding="utf-8")
    (root / "bad-config" / "draft.md").write_text(CLEAN_DRAFT, encoding="utf-8")
    warm = subprocess.run([sys.executable, "-P", "-c", PLAIN, "check", "clean.md"], capture_output=True, cwd=root, env=environment(root))
    assert warm.returncode in (0, 1), warm.stderr
    return root


def environment(root: Path, extra: dict | None = None) -> dict:
    env = {name: value for name, value in os.environ.items() if name not in ("ALTAUDIT_DEBUG", "FORCE_COLOR", "NO_COLOR")}
    env.update({"COLUMNS": "100", "XDG_CACHE_HOME": str(root / "cache"), **(extra or {})})
    return env


def both(args: list[str], root: Path, folder: str = "", env: dict | None = None, stdout=subprocess.PIPE):
    runs = []
    for program in (PLAIN, TYPER_ONLY):
        done = subprocess.run(
            [sys.executable, "-P", "-c", program, *args], stdout=stdout, stderr=subprocess.PIPE, cwd=root / folder, env=environment(root, env)
        )
        runs.append((done.returncode, done.stdout, done.stderr))
    return runs


# (arguments, folder under the work folder to run in, extra environment)
COMMAND_LINES = [
    (["check", "findings.md"], "", {}),
    (["check", "clean.md"], "", {}),
    (["check", "posts.jsonl"], "", {}),
    (["check", "one.json", "posts.jsonl", "findings.md", "hostile.md"], "", {}),
    (["check", "mixed.jsonl"], "", {}),
    (["check", "empty.jsonl"], "", {}),
    (["check", "not-there.md"], "", {}),
    (["check", "folder"], "", {}),
    (["check", "notes.md"], "", {}),
    (["check", "notes.md", "clean.md"], "", {}),
    (["check", "missing-image.md"], "", {}),
    (["check", ""], "", {}),
    (["check", "esc\x1b[31mname.md"], "", {}),
    (["check", "caf\u00e9.md"], "", {"PYTHONIOENCODING": "ascii"}),
    (["check", "findings.md"], "", {"FORCE_COLOR": "1"}),
    (["check", "findings.md", "hostile.md"], "", {"COLUMNS": "40"}),
    (["check", "draft.md"], "configured", {}),
    (["check", "draft.md"], "bad-config", {}),
    (["check", "findings.md", "--format", "json"], "", {}),
    (["check", "-f", "jsonl", "mixed.jsonl"], "", {}),
    (["check", "--format=concise", "findings.md", "mixed.jsonl"], "", {}),
    (["check", "findings.md", "--format", "github", "posts.jsonl"], "", {}),
] + [(["check", "findings.md", "hostile.md", "mixed.jsonl", "-f", name], "", {}) for name in format_names()]


@pytest.mark.parametrize("args, folder, env", COMMAND_LINES)
def test_plain_check_prints_and_exits_as_typer_does(work, args, folder, env):
    assert plain_check(args) is not None  # the line is one the plain path takes
    (plain_code, plain_out, plain_err), (typer_code, typer_out, typer_err) = both(args, work, folder, env)
    assert plain_err == typer_err
    assert plain_out == typer_out
    assert plain_code == typer_code
    assert b"Traceback" not in plain_err


@pytest.mark.parametrize(
    "message",
    ["altaudit: note: a.md: skipped", "caf\u00e9 \u202e \U0001f331", "red \x1b[31mtext\x1b[0m and \x1b]8;;x\x1b\\", "", "two\nlines"],
)
@pytest.mark.parametrize("encoding", [None, "ascii", "latin-1", "utf-8:strict"])
def test_echo_err_writes_what_typer_echo_writes(message, encoding):
    """The commands' messages go through commands/check.py `echo_err` instead of
    typer.echo: the same bytes on standard error, whatever its encoding."""
    env = {**os.environ, "MESSAGE": message}
    if encoding:
        env["PYTHONIOENCODING"] = encoding
    programs = (
        "import os; from auditor.commands.check import echo_err; echo_err(os.environ['MESSAGE'])",
        "import os, typer; typer.echo(os.environ['MESSAGE'], err=True)",
    )
    ours, typers = (subprocess.run([sys.executable, "-P", "-c", program], capture_output=True, env=env) for program in programs)
    assert (ours.returncode, ours.stdout, ours.stderr) == (typers.returncode, typers.stdout, typers.stderr)
    assert ours.returncode == 0


def test_a_closed_pipe_ends_both_alike(work):
    read_end, write_end = os.pipe()
    os.close(read_end)  # the first write fails with EPIPE
    try:
        runs = both(["check", "findings.md", "posts.jsonl"], work, stdout=write_end)
    finally:
        os.close(write_end)
    assert runs[0] == runs[1]
    assert runs[0][0] == 1


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["check"],
        ["check", "--help"],
        ["check", "a.md", "--help"],
        ["check", "a.md", "-v"],
        ["check", "a.md", "--verbose"],
        ["check", "--", "-a.md"],
        ["check", "-"],
        ["check", "a.md", "--format"],
        ["check", "a.md", "-f"],
        ["check", "a.md", "--format", "JSON"],
        ["check", "a.md", "--format", "yaml"],
        ["check", "a.md", "--format="],
        ["check", "a.md", "-fjson"],
        ["check", "a.md", "-f=json"],
        ["check", "a.md", "--format", "json", "--format", "sarif"],
        ["check", "a.md", "-f", "json", "-f", "json"],
        ["check", "a.md", "--fail-on", "warning"],
        ["check", "a.md", "--form", "json"],
        ["--version"],
        ["--help"],
        ["alt", "A dog."],
        ["chek", "a.md"],
        ["rules"],
        ["Check", "a.md"],
    ],
)
def test_every_other_command_line_goes_to_typer(args):
    assert plain_check(args) is None


def test_completion_requests_go_to_typer():
    assert plain_check(["check", "a.md"], {"_ALTAUDIT_COMPLETE": "complete_bash"}) is None
    assert plain_check(["check", "a.md"], {"HOME": "/root"}) == (["a.md"], "terminal")


def test_on_windows_typer_expands_wildcards(monkeypatch):
    monkeypatch.setattr(os, "name", "nt")
    assert plain_check(["check", "*.md"], {}) is None


def test_the_plain_path_reads_paths_and_a_format():
    assert plain_check(["check", "a.md", "b.jsonl"], {}) == (["a.md", "b.jsonl"], "terminal")
    assert plain_check(["check", "a.md", "--format", "json", "b"], {}) == (["a.md", "b"], "json")
    assert plain_check(["check", "-f", "sarif", "a.md"], {}) == (["a.md"], "sarif")
    assert plain_check(["check", "--format=html", "a.md"], {}) == (["a.md"], "html")


def test_the_typer_command_passes_every_option_to_run_check_under_its_own_name():
    """run_check's defaults are what typer passes for an option not given, and
    its parameters are the typer command's, in order (it is called with them
    positionally): the plain path, which gives only paths and a format, cannot
    drift from typer's defaults."""
    from typer.main import get_command

    from auditor.cli import _app_for
    from auditor.commands.check import run_check

    command = get_command(_app_for(["check"])).commands["check"]
    parameters = inspect.signature(run_check).parameters
    assert [p.name for p in command.params] == list(parameters)
    for param in command.params[1:]:
        default = param.default.value if hasattr(param.default, "value") else param.default
        assert default == parameters[param.name].default, param.name
    assert command.params[0].required and parameters["paths"].default is inspect.Parameter.empty
