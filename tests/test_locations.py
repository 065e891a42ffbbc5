"""Findings on drafts point at the file line and column of the words, whatever
TOML string form the description is written in."""

import tomllib
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.engine import Engine
from auditor.inputs.drafts import read_draft
from auditor.inputs.toml_positions import alt_positions

IMAGES = Path(__file__).parent / "fixtures" / "drafts" / "images"


def draft(tmp_path, front: str, newline: str = "\n") -> str:
    (tmp_path / "a.png").write_bytes((IMAGES / "event-banner.png").read_bytes())
    path = tmp_path / "draft.md"
    text = f"+++\n{front}\n+++\nThe post.\n".replace("\n", newline)
    path.write_bytes(text.encode("utf-8"))
    return str(path)


def file_position(path: str, needle: str) -> tuple[int, int]:
    """Line and column of the first `needle` in the file, found independently of the scanner."""
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").split("\n"), start=1):
        column = line.find(needle)
        if column >= 0:
            return number, column + 1
    raise AssertionError(f"{needle!r} not in the file")


def finding(path: str, code: str):
    post = read_draft(path)
    result = Engine().audit_post(post)
    for image in result.images:
        for found in image.findings:
            if found.code == code:
                return image.image, found
    raise AssertionError(f"no {code} in {[f.code for f in result.all_findings()]}")


def test_plain_string_finding_points_at_its_words(tmp_path):
    path = draft(tmp_path, '[[images]]\nfile = "a.png"\nalt = "A map of the the high street."')
    image, found = finding(path, "T403")
    assert image.alt[found.span.start : found.span.end] == "the the"
    assert image.position(found.span.start) == file_position(path, "the the")
    line, column = file_position(path, "the the")
    assert image.end_position(found.span.end) == (line, column + len("the the"))
    assert image.position(0) == file_position(path, "A map")


def test_multi_line_string_with_line_ending_backslash(tmp_path):
    front = '[[images]]\nfile = "a.png"\nalt = """\nA crowded market square \\\n      at dusk. A map of the the high street."""'
    path = draft(tmp_path, front)
    image, found = finding(path, "T403")
    assert image.alt.startswith("A crowded market square at dusk.")
    assert image.position(found.span.start) == file_position(path, "the the")
    # The words after the backslash sit on the next line, after its indentation.
    assert image.position(image.alt.index("at dusk")) == file_position(path, "at dusk")
    assert image.position(0) == file_position(path, "A crowded")


def test_escapes_count_as_what_is_written(tmp_path):
    # \u00e9 is six characters in the file but one in the description.
    front = '[[images]]\nfile = "a.png"\nalt = "Caf\\u00e9 \\"Le Nid\\" sign\\nabove a map of the the high street."'
    path = draft(tmp_path, front)
    image, found = finding(path, "T403")
    assert "Café \"Le Nid\" sign\nabove" in image.alt
    assert image.position(found.span.start) == file_position(path, "the the")
    assert image.position(image.alt.index("é")) == file_position(path, "\\u00e9")
    assert image.end_position(image.alt.index("é") + 1) == file_position(path, ' \\"Le')
    assert image.position(image.alt.index("sign")) == file_position(path, "sign")


def test_literal_and_multi_line_literal_strings(tmp_path):
    front = (
        '[[images]]\nfile = "a.png"\nalt = \'A map of the the high street, C:\\temp.\'\n\n'
        "[[images]]\nfile = \"a.png\"\n\"alt\" = '''\nTwo dogs run\nin in the park.'''"
    )
    path = draft(tmp_path, front)
    post = read_draft(path)
    result = Engine().audit_post(post)
    first = next(f for f in result.images[0].findings if f.code == "T403")
    second = next(f for f in result.images[1].findings if f.code == "T403")
    assert post.images[0].position(first.span.start) == file_position(path, "the the")
    assert post.images[1].position(second.span.start) == file_position(path, "in in")
    assert post.images[1].position(0) == file_position(path, "Two dogs")


def test_inline_tables_and_crlf_files(tmp_path):
    front = 'images = [\n  { file = "a.png", alt = "A map of the the high street." },\n]'
    path = draft(tmp_path, front, newline="\r\n")
    image, found = finding(path, "T403")
    assert image.position(found.span.start) == file_position(path, "the the")


def test_crlf_multi_line_string(tmp_path):
    front = '[[images]]\nfile = "a.png"\nalt = """\nTwo dogs run\nin in the park."""'
    path = draft(tmp_path, front, newline="\r\n")
    image, found = finding(path, "T403")
    assert image.alt == "Two dogs run\nin in the park."
    assert image.position(found.span.start) == file_position(path, "in in")


def test_comments_arrays_and_other_tables_do_not_confuse_the_count(tmp_path):
    front = (
        'langs = [ "en", # English\n  "cy" ]\n'
        '[[images]] # first\nfile = "a.png"\nalt = "First: a map of the high street."  # "alt = \'no\'"\n'
        '[[images]]\nalt = "Second: a map of the the high street."\nfile = "a.png"'
    )
    path = draft(tmp_path, front)
    post = read_draft(path)
    assert post.images[0].position(0) == file_position(path, "First")
    assert post.images[1].position(0) == file_position(path, "Second")


def test_no_map_rather_than_a_wrong_one():
    # A front matter the scanner cannot follow gives no positions, never wrong ones.
    assert alt_positions("no front matter") == {}
    assert alt_positions("+++\nalt = \n+++\n") == {}


# Property: whatever mix of escapes and raw characters a basic string uses, the
# scanner decodes it as tomllib does and each character maps to the text that wrote it.

_ESCAPE = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}


def _written(char: str, style: int) -> str:
    if style == 0 and char not in _ESCAPE and char.isprintable():
        return char
    if style == 1 and char in _ESCAPE:
        return _ESCAPE[char]
    return f"\\u{ord(char):04x}" if ord(char) < 0x10000 else f"\\U{ord(char):08x}"


_CHARS = st.characters(blacklist_categories=("Cs",))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_CHARS, st.integers(0, 2)), max_size=30), st.booleans(), st.integers(0, 30))
def test_basic_strings_map_every_character(pieces, multi, fold_at):
    written = [_written(c, s) for c, s in pieces]
    alt = "".join(c for c, _ in pieces)
    if multi:
        # A line-ending backslash folds the line before a piece that starts with no blank.
        if fold_at < len(written) and not alt[fold_at:fold_at + 1].isspace() and not written[fold_at].startswith(" "):
            written.insert(fold_at, "\\\n    ")
        literal = '"""\n' + "".join(written) + '\\\n"""'
    else:
        literal = '"' + "".join(written) + '"'
    front = f"[[images]]\nfile = \"a.png\"\nalt = {literal}\n"
    text = f"+++\n{front}+++\n"
    assert tomllib.loads(front)["images"][0]["alt"] == alt
    where = alt_positions(text)[1]
    assert where.text == alt
    for index, char in enumerate(alt):
        fragment = text[where.starts[index] : where.ends[index]]
        assert tomllib.loads(f'x = """a{fragment}a"""')["x"] == f"a{char}a"


def test_reports_give_code_point_columns_and_say_so(tmp_path):
    import json
    import subprocess
    import sys

    # An emoji before the words: two UTF-16 code units, one code point.
    path = draft(tmp_path, '[[images]]\nfile = "a.png"\nalt = "🐕 A dog on a map of the the high street, by the library."')
    # From the draft's folder: `-m` must find the installed package, not a source tree in the working folder.
    run = subprocess.run([sys.executable, "-P", "-m", "auditor.cli", "check", "-f", "sarif", path], capture_output=True, text=True, cwd=tmp_path)
    sarif = json.loads(run.stdout)
    assert sarif["runs"][0]["columnKind"] == "unicodeCodePoints"
    [region] = [r["locations"][0]["physicalLocation"]["region"] for r in sarif["runs"][0]["results"] if r["ruleId"] == "T403"]
    line, column = file_position(path, "the the")
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (line, column, column + 7)
    concise = subprocess.run([sys.executable, "-P", "-m", "auditor.cli", "check", "-f", "concise", path], capture_output=True, text=True, cwd=tmp_path)
    assert f"{path}:{line}:{column}: T403 " in concise.stdout


def test_quotes_just_before_the_closing_delimiter_belong_to_the_text():
    text = '+++\n[[images]]\nfile = "a.png"\nalt = """A sign says "the the end""""\n+++\n'
    assert tomllib.loads(text.split("+++")[1])["images"][0]["alt"] == 'A sign says "the the end"'
    where = alt_positions(text)[1]
    assert where.text == 'A sign says "the the end"'
    last = len(where.text) - 1
    assert text[where.starts[last] : where.ends[last]] == '"'
    assert where.position(where.text.index("the the")) == (4, 23)  # after `alt = """A sign says "`


def test_findings_about_the_whole_post_point_at_the_first_description_in_every_format(tmp_path):
    import json
    import subprocess
    import sys

    same = "A crowd at the market in the rain, under umbrellas, by the clock tower."
    path = draft(tmp_path, f'langs = ["en"]\n\n[[images]]\nfile = "a.png"\nalt = "{same}"\n\n[[images]]\nfile = "a.png"\nalt = "{same}"')
    line, column = file_position(path, "A crowd")
    assert (line, column) == (6, 8)  # the first image's alt, not the +++ of line 1

    def report(name: str) -> str:
        proc = subprocess.run([sys.executable, "-P", "-m", "auditor.cli", "check", "-f", name, "--fail-on", "info", path], capture_output=True, text=True)
        assert proc.returncode == 1, proc.stderr
        return proc.stdout

    assert f"{path}:{line}:{column}: M502 " in report("concise")
    assert f" file={path},line={line},col={column}," in report("github")
    sarif = json.loads(report("sarif"))
    [m502] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "M502"]
    region = m502["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (line, column)
