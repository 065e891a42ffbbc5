"""Safe fixes: applied to the draft's bytes in place of the offending characters only."""

import os
import tomllib
from pathlib import Path

import pytest

from auditor.engine import Engine
from auditor.errors import InputError
from auditor.fixes import _written, fix_draft, write_fix
from auditor.inputs.drafts import read_draft

IMAGES = Path(__file__).parent / "fixtures" / "drafts" / "images"


def write(tmp_path: Path, text: str, name: str = "draft.md") -> str:
    (tmp_path / "a.png").write_bytes((IMAGES / "event-banner.png").read_bytes())
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return str(path)


def front(*literals: str) -> str:
    tables = "".join(f'[[images]]\nfile = "a.png"\nalt = {literal}\n\n' for literal in literals)
    return f"+++\nlangs = [\"en\"]  # a comment\n\n{tables}+++\nThe high street, today.\n"


def fixed_text(tmp_path, text: str) -> tuple[str, list[str]]:
    fix = fix_draft(write(tmp_path, text), Engine())
    assert fix is not None
    return fix.after, [f.code for f in fix.fixed]


@pytest.mark.parametrize(
    "before,after,code",
    [
        ('"igure 2 shows the visitor numbers for May, rising each week."', '"Figure 2 shows the visitor numbers for May, rising each week."', "T402"),
        ('"A map of the the high street with the library marked in red."', '"A map of the high street with the library marked in red."', "T403"),
        ('"An image of a crowd at the market in the rain, under umbrellas."', '"A crowd at the market in the rain, under umbrellas."', "W301"),
        ('"Photo of two dogs running across a wet beach at low tide."', '"Two dogs running across a wet beach at low tide."', "W301"),
        ('"A poster with three logos.The cycle route runs along the canal."', '"A poster with three logos. The cycle route runs along the canal."', "T404"),
        ('"A map of the high\\u200b street with the library marked in red."', '"A map of the high street with the library marked in red."', "W307"),
        ('"A map of the high\u200b street with the library marked in red."', '"A map of the high street with the library marked in red."', "W307"),
    ],
)
def test_each_safe_fix_changes_only_its_characters(tmp_path, before, after, code):
    original = front(before)
    text, codes = fixed_text(tmp_path, original)
    assert codes == [code]
    assert text == original.replace(before, after)


def test_every_string_form_keeps_its_form_and_its_other_escapes(tmp_path):
    literals = [
        '"Caf\\u00e9 \\"Le Nid\\" on the the corner, with a blue awning and two tables."',
        '"""\nA street map of the the town centre \\\n    with the library marked in red."""',
        "'A path C:\\maps\\town with the the library marked in red on the map.'",
        "'''\nThe market square\nwith the the stalls set out in rows under striped awnings.'''",
    ]
    original = front(*literals)
    text, codes = fixed_text(tmp_path, original)
    assert codes == ["T403"] * 4
    assert text == original.replace("the the", "the")
    alts = [image["alt"] for image in tomllib.loads(text.split("+++")[1])["images"]]
    assert alts[0] == 'Café "Le Nid" on the corner, with a blue awning and two tables.'
    assert alts[1] == "A street map of the town centre with the library marked in red."


def test_crlf_bom_and_the_rest_of_the_file_stay_byte_for_byte(tmp_path):
    original = "\ufeff" + front('"A map of the the high street with the library marked in red."').replace("\n", "\r\n")
    path = write(tmp_path, original)
    fix = fix_draft(path, Engine())
    write_fix(fix)
    assert Path(path).read_bytes() == original.replace("the the", "the").encode("utf-8")


def test_a_symlinked_draft_is_fixed_through_its_link_with_its_mode(tmp_path):
    original = front('"A map of the the high street with the library marked in red."')
    path = write(tmp_path, original)
    os.chmod(path, 0o640)
    link = tmp_path / "link.md"
    link.symlink_to(path)
    write_fix(fix_draft(str(link), Engine()))
    assert link.is_symlink() and Path(path).read_text(encoding="utf-8") == original.replace("the the", "the")
    assert os.stat(path).st_mode & 0o7777 == 0o640


def test_suggestions_that_could_change_meaning_are_not_applied(tmp_path):
    # T401 spelling and a T402 guess that is not a usual opening ("ogs" → "Dogs"? "Hogs"?).
    path = write(tmp_path, front('"Two dogs runing on the beach. ogs chase a ball into the waves."'))
    codes = {f.code for f in Engine().audit_post(read_draft(path)).all_findings()}
    assert {"T401", "T402"} <= codes
    assert fix_draft(path, Engine()) is None


def test_overlapping_fixes_are_all_applied_by_one_fix(tmp_path):
    # T403 ("the the") and T404 ("he.Th") share letters: the first is applied, the other in the next pass.
    original = front('"A map of the high street and the the.The library is marked in red on it."')
    text, codes = fixed_text(tmp_path, original)
    assert codes == ["T403", "T404"]
    assert text == original.replace("the the.The", "the. The")
    assert fix_draft(write(tmp_path, text), Engine()) is None


def test_many_overlapping_fixes_reach_a_fixed_point_in_one_run(tmp_path):
    original = front('"Image of the the the cat on a mat.It sat sat.Then it went to the door door."')
    text, codes = fixed_text(tmp_path, original)
    alt = tomllib.loads(text.split("+++")[1])["images"][0]["alt"]
    assert alt == "The cat on a mat. It sat. Then it went to the door."
    assert fix_draft(write(tmp_path, text), Engine()) is None and len(codes) >= 6


def test_silenced_findings_are_not_fixed(tmp_path):
    original = front('"A map of the the high street with the library marked in red."\nignore = ["T403"]\nignore-reason = "quoted as printed"')
    assert fix_draft(write(tmp_path, original), Engine()) is None


def test_diff_is_unified_and_nothing_is_written(tmp_path):
    original = front('"A map of the the high street with the library marked in red."')
    path = write(tmp_path, original)
    fix = fix_draft(path, Engine())
    diff = fix.diff()
    assert diff.startswith(f"--- a/{path}\n+++ b/{path}\n@@ ")
    assert '-alt = "A map of the the high street' in diff and '+alt = "A map of the high street' in diff
    assert Path(path).read_text(encoding="utf-8") == original


def test_an_interrupted_write_leaves_the_old_draft_whole(tmp_path, monkeypatch):
    original = front('"A map of the the high street with the library marked in red."')
    path = write(tmp_path, original)
    fix = fix_draft(path, Engine())

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_fix(fix)
    assert Path(path).read_text(encoding="utf-8") == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png", "draft.md"]


def test_a_draft_changed_since_it_was_read_is_not_overwritten(tmp_path):
    path = write(tmp_path, front('"A map of the the high street with the library marked in red."'))
    fix = fix_draft(path, Engine())
    Path(path).write_text(front('"Someone else edited this description of the the map."'), encoding="utf-8")
    with pytest.raises(InputError, match="changed while"):
        write_fix(fix)


def test_replacements_are_written_in_the_string_form():
    assert _written('say "hi"', '"', False) == 'say \\"hi\\"'
    assert _written("a\nb", '"', False) == "a\\u000ab"
    assert _written("a\nb", '"', True) == "a\nb"
    assert _written("it's", "'", False) is None


def test_the_check_command_fixes_and_diffs(tmp_path):
    import subprocess
    import sys

    original = front('"A map of the the high street with the library marked in red."')
    path = write(tmp_path, original)

    def altaudit(*args):
        return subprocess.run([sys.executable, "-P", "-m", "auditor.cli", "check", *args], capture_output=True, text=True, cwd=tmp_path)

    shown = altaudit("--diff", "draft.md")
    assert shown.returncode == 1 and "+alt = \"A map of the high street" in shown.stdout
    assert Path(path).read_text(encoding="utf-8") == original
    done = altaudit("--fix", "--fail-on", "warning", "-f", "concise", "draft.md")
    assert done.returncode == 0 and done.stdout == "" and "fixed 1 finding in 1 draft" in done.stderr
    assert Path(path).read_text(encoding="utf-8") == original.replace("the the", "the")
    nothing = altaudit("--diff", "draft.md")
    assert nothing.returncode == 0 and nothing.stdout == ""


def test_diff_of_a_broken_draft_is_an_error_not_a_pass(tmp_path):
    import subprocess
    import sys

    (tmp_path / "broken.md").write_text('+++\nlangs = ["en"\n+++\nx\n')
    proc = subprocess.run([sys.executable, "-P", "-m", "auditor.cli", "check", "--diff", "broken.md"], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("altaudit: error: broken.md") and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_the_diff_applies_with_patch_and_gives_what_fix_writes(tmp_path):
    import shutil
    import subprocess
    import sys

    original = front('"A map of the high\u200b street with the library marked in red."', '"A map of the the market square."')
    original = original.replace("# a comment", "# a comment\twith a tab")
    (tmp_path / "drafts").mkdir()
    write(tmp_path / "drafts", original)
    fixed_copy = tmp_path / "fixed"
    shutil.copytree(tmp_path / "drafts", fixed_copy / "drafts")

    def altaudit(*args, cwd):
        return subprocess.run([sys.executable, "-P", "-m", "auditor.cli", "check", *args], capture_output=True, cwd=cwd)

    shown = altaudit("--diff", "drafts/draft.md", cwd=tmp_path)
    assert shown.returncode == 1 and b"\\u200b" not in shown.stdout and b"\\t" not in shown.stdout
    applied = subprocess.run(["patch", "-p1"], input=shown.stdout, cwd=tmp_path, capture_output=True)
    assert applied.returncode == 0, applied.stdout
    assert altaudit("--fix", "drafts/draft.md", cwd=fixed_copy).returncode in (0, 1)
    patched = (tmp_path / "drafts" / "draft.md").read_bytes()
    assert patched == (fixed_copy / "drafts" / "draft.md").read_bytes() != original.encode("utf-8")
    assert "\u200b" not in patched.decode("utf-8") and "the the" not in patched.decode("utf-8")


def test_terminal_controls_in_a_diff_are_escaped():
    from auditor.fixes import patch_safe

    assert patch_safe("+alt = 1\x1b[2J\x9b\x07\tx\r\n") == "+alt = 1\\x1b[2J\\x9b\\x07\tx\r\n"
    assert patch_safe("a\rb\n") == "a\\x0db\n"


def test_a_fix_that_would_leave_no_description_is_not_applied(tmp_path):
    path = write(tmp_path, front('"Image of "'))
    assert "W301" in {f.code for f in Engine().audit_post(read_draft(path)).all_findings()}
    assert fix_draft(path, Engine()) is None


# Property: whatever string form and escapes a description is written in, the fix
# removes the doubled word, the description reads back as intended and every byte
# outside the fixed characters stays.

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

WORDS = ["map", "of", "high", "street", "with", "library", "market", "hall", "red", "green", "and", "café", "“quoted”", "sign"]


def _encode(alt: str, form: int, escaped: list[bool]) -> str | None:
    if form == 0:  # "..." with some characters as \\u escapes
        body = "".join(f"\\u{ord(c):04x}" if e else c for c, e in zip(alt, escaped))
        return f'"{body}"'
    if form == 1:  # """...""" folded with a line-ending backslash at the first space
        body = "".join(f"\\u{ord(c):04x}" if e and c != " " else c for c, e in zip(alt, escaped))
        first = body.index(" ")
        return '"""\n' + body[:first] + " \\\n    " + body[first + 1 :] + '"""'
    if form == 2:
        return f"'{alt}'"
    return f"'''\n{alt}'''"


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from(WORDS), min_size=3, max_size=12, unique=True),
    st.integers(0, 20),
    st.integers(0, 3),
    st.lists(st.booleans(), min_size=200, max_size=200),
)
def test_fixes_keep_every_other_byte_in_every_string_form(tmp_path_factory, words, at, form, escaped):
    at = at % (len(words) + 1)
    alt = " ".join(["A", *words[:at], "the the", *words[at:]]) + " in the town centre"
    literal = _encode(alt, form, escaped)
    original = front(literal)
    path = write(tmp_path_factory.mktemp("fix"), original)
    fix = fix_draft(path, Engine())
    assert fix is not None and [f.code for f in fix.fixed] == ["T403"]
    start = original.index(literal)
    # Outside the string literal nothing changed.
    assert fix.after[:start] == original[:start]
    assert fix.after.endswith(original[start + len(literal):])
    assert tomllib.loads(fix.after.split("+++")[1])["images"][0]["alt"] == alt.replace("the the", "the", 1)
    # Inside it, one run of characters went and nothing else changed.
    prefix = next(i for i, (a, b) in enumerate(zip(original, fix.after + "\0")) if a != b)
    suffix = next(i for i, (a, b) in enumerate(zip(reversed(original), reversed("\0" + fix.after))) if a != b)
    assert start <= prefix and prefix + suffix >= len(fix.after) and len(original) > len(fix.after)
