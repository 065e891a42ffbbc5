"""The rich terminal report, rendered in-process into a string as rich's own tests do."""

import io
import re

from helpers import engine, post_of
from rich.console import Console
from rich.text import Text

from auditor.model import Level
from auditor.reports import terminal


def render(*alts, width=80, colour=True, verbose=False):
    eng = engine()
    result = eng.audit([post_of(*alts)])
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=colour, color_system="truecolor" if colour else None)
    terminal.render(console, result, {r.code: r for r in eng.rules}, Level.ERROR, verbose)
    return out.getvalue()


def plain(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_findings_say_which_image_what_why_and_how_to_fix():
    out = plain(render("A dog on a beach with a red ball.", "igure 2 shows a map of the high street.", "Volunteers planting trees in the park."))
    assert "image 2 of 3" in out
    assert "error   T402 ‘igure 2’ looks like ‘Figure 2’" in out
    assert "fix: write ‘Figure 2’" in out
    assert "why: Copying text out of a PDF" in out
    assert "image 1 of 3" not in out  # clean images are left out unless verbose
    assert "Failed: findings at level error or above." in out


def test_verbose_lists_clean_images_and_summary_counts():
    out = plain(render("A dog on a beach with a red ball.", verbose=True))
    # 9 words earn round(16 * log2(10)) = 53 and one colour, "red", 4: every point is explained.
    assert "image 1 of 1" in out and "score 57/100" in out
    assert "score 57: length +53 (9 words), detail +4 (1 specific word: red)" in " ".join(out.split())
    assert "1 post(s) with images, 1 image(s): 0 error(s), 0 warning(s), 0 info" in out
    assert "Passed: nothing at level error or above." in out


def test_offending_words_are_highlighted():
    out = render("A map of the the high street and its shops.")
    # The doubled words carry a style of their own (reverse video), the rest not.
    assert re.search(r"\x1b\[[0-9;]*7[0-9;]*m(the the)\x1b\[0m", out)


def test_markup_and_hyperlinks_in_descriptions_stay_text():
    alt = "[bold]x[/bold] and [link=https://evil.example]y[/link] \x1b]8;;https://evil.example\x1b\\z"
    out = render(alt, verbose=True)
    assert "[bold]x[/bold]" in out and "[link=https://evil.example]y[/link]" in out
    assert "\x1b]8;" not in out  # no terminal hyperlink escape reached the output
    assert "\\x1b]8;;https://evil.example\\x1b\\" in out


def test_lines_fit_the_console_width():
    long_alt = "A very long description " * 30 + "with IMG_0392.jpeg inside. Image of the the cat."
    for line in plain(render(long_alt, width=60)).splitlines():
        assert len(line.rstrip()) <= 60, line


def test_lone_surrogates_and_controls_show_as_escapes():
    out = render("A dog \ud800 on a beach \x1b[2J with a red ball.", verbose=True, colour=False)
    out.encode("utf-8")  # would fail on a raw surrogate
    assert "\\ud800" in out and "\\x1b[2J" in out and "\x1b" not in out


def test_summary_counts_described_images_and_keeps_the_worst_posts():
    from auditor.summary import DescribedByMonth, Summary

    eng = engine()
    summary = Summary(worst=2, sections=[DescribedByMonth()])
    alts = ["IMG_0001.jpg", "A dog on a beach with a red ball.", "", "igure 2 shows a map of the high street.", "Image of a cat."]
    for number, alt in enumerate(alts):
        post = post_of(alt)
        post.created_at = f"2025-0{1 + number % 2}-15T10:00:00Z"
        summary.add(eng.audit_post(post))
    assert (summary.posts, summary.images, summary.described) == (5, 5, 4)
    worst = summary.worst_posts()
    assert [p.post.images[0].alt for p in worst] == ["IMG_0001.jpg", ""]  # both score 0; input order breaks the tie
    assert sum(summary.scores) == 5 and summary.scores[0] >= 2  # the file name and the empty one score 0
    months = summary.to_dict()["described_by_month"]
    assert months == {"2025-01": {"described": 2, "images": 3, "share": 0.6667}, "2025-02": {"described": 2, "images": 2, "share": 1.0}}


# -- where no style shows, the report is written without rich: the same bytes -------

import pathlib

from hypothesis import HealthCheck, given, settings, strategies as st
from rich.console import Group
from rich.padding import Padding

from auditor.config import Settings
from auditor.inputs.discover import iter_items
from auditor.reporting import run_report
from auditor.reports.base import ReportOptions
from auditor.styled_text import StyledText, render_plain

ROOT = pathlib.Path(__file__).resolve().parent.parent
INPUTS = sorted(
    path
    for folder in (ROOT / "tests" / "fixtures", ROOT / "examples")
    for path in folder.rglob("*")
    if path.suffix in (".md", ".json", ".jsonl") and path.name != "README.md"
)


def through_rich(lines, width):
    """What rich prints for the lines as the report hands them to it, no terminal."""
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=False, color_system=None, highlight=False, markup=False, emoji=False)
    rendered = [(indent, text.to_rich()) for indent, text in lines]
    console.print(Group(*(Padding(text, (0, 0, 0, indent), expand=False) if indent else text for indent, text in rendered)))
    return out.getvalue()


PIECES = st.sampled_from(
    ["a", "word ", " ", "  ", "\n", "\t", "x\ty", "好", "世界和平", "😀", "👍🏽", "e\u0301", "\u0301", "🇬🇧", "\u200d", "👩\u200d💻", "❤\ufe0f",
     "ｗｉｄｅ", "—", "“quoted”", "…", "\r", "\x07", "\x01", "\u2028", "\x85", "ab" * 40, "好" * 45, "Figure 2 shows", ".", "-"]
)
# Texts of one-cell characters only, measured without rich (styled_text.NARROW_RANGES).
NARROW_PIECES = st.sampled_from(
    ["a", "word ", " ", "   ", "\n", "\t", "x\ty", "“quoted”", "‘’", "…", "—", "−", "⏎", "∅", "→", "·", "é", "Ω", "Ж", "\xa0", "ab" * 40, "Figure 2 shows", ".", "-"]
)
TEXTS = st.one_of(st.lists(PIECES, max_size=30).map("".join), st.lists(NARROW_PIECES, max_size=30).map("".join), st.text(max_size=120))
STYLES = st.sampled_from(["", "dim", "bold red", "green"])


@st.composite
def styled_texts(draw):
    text = StyledText(draw(TEXTS), style=draw(STYLES))
    for _ in range(draw(st.integers(0, 4))):
        text.append(draw(TEXTS), style=draw(st.one_of(st.none(), STYLES)))
    if draw(st.booleans()):
        others = draw(st.lists(st.builds(StyledText, TEXTS, STYLES), max_size=3))
        text = StyledText(draw(st.sampled_from(["\n", " ", ""])), style=draw(STYLES)).join([text, *others])
    return text


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 8), styled_texts()), min_size=1, max_size=4), st.integers(20, 200))
def test_plain_rendering_is_what_rich_prints(lines, width):
    assert render_plain(lines, width) == through_rich(lines, width)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 12), styled_texts()), min_size=1, max_size=3), st.integers(1, 19))
def test_plain_rendering_is_what_rich_prints_when_narrow(lines, width):
    assert render_plain(lines, width) == through_rich(lines, width)


def test_plain_rendering_folds_long_words_as_rich_does_at_every_edge():
    # Words exactly as long as the width, one over, twice over, after a space or at the start.
    for width in range(20, 45):
        for length in (width - 1, width, width + 1, 2 * width - 1, 2 * width, 2 * width + 1):
            for text in (f"{'x' * length} yy zz", f"a {'x' * length} b", f"a\t{'好' * (length // 2)} b", f"{'—' * length}  {'y' * width}"):
                lines = [(0, StyledText(text)), (4, StyledText(text, style="dim"))]
                assert render_plain(lines, width) == through_rich(lines, width), (width, length, text)


@given(styled_texts(), st.sampled_from(["", "\n", " · "]), st.lists(styled_texts(), max_size=3))
@settings(max_examples=100, deadline=None)
def test_styled_text_converts_to_the_text_rich_would_have_built(text, separator, others):
    joined = StyledText(separator, style="dim").join([text, *others])
    rich_joined = Text(separator, style="dim").join([text.to_rich(), *(other.to_rich() for other in others)])
    assert (joined.to_rich().plain, joined.to_rich().spans) == (rich_joined.plain, rich_joined.spans)
    assert joined.to_rich().style == rich_joined.style == "dim"


def test_one_cell_characters_are_one_cell_for_rich_in_every_unicode_version():
    from rich._unicode_data import VERSIONS
    from rich.cells import get_character_cell_size

    from auditor import styled_text

    characters = [chr(code) for low, high in styled_text.NARROW_RANGES for code in range(low, high + 1)]
    assert len(characters) > 1500 and styled_text._is_narrow("".join(characters) + "\t\n")
    for version in VERSIONS:
        assert {get_character_cell_size(char, version) for char in characters} == {1}, version
    assert not any(styled_text._is_narrow(text) for text in ("好", "😀", "e\u0301", "\u200b", "\x01", "\u2028", "\xad"))


def test_built_text_keeps_its_styles_for_rich():
    text = StyledText("“", style="dim").append("the the", style="bold reverse red").append(" rest\r")
    rich_text = text.to_rich()
    assert rich_text.plain == "“the the rest" and rich_text.style == "dim"  # rich drops \r, so does StyledText
    assert [(span.start, span.end, span.style) for span in rich_text.spans] == [(1, 8, "bold reverse red")]


class TtyBuffer(io.StringIO):
    def isatty(self):
        return True


def report_both_ways(monkeypatch, paths, stream_type=io.StringIO, **options):
    """The terminal report of `paths`, as written without rich and through rich."""
    outputs = []
    for force_rich in (False, True):
        with monkeypatch.context() as patch:
            if force_rich:
                patch.setattr(terminal, "plain_width", lambda out, options, environ=None: None)
            out = stream_type()
            code = run_report(iter_items([str(path) for path in paths]), Settings(), "terminal", stream=out, stderr=io.StringIO(), **options)
            outputs.append((code, out.getvalue()))
    return outputs


def test_inputs_are_many_and_varied():
    assert len(INPUTS) >= 40 and {path.suffix for path in INPUTS} == {".md", ".json", ".jsonl"}
    assert any("seed" in path.parts for path in INPUTS)


def test_every_fixture_reports_the_same_without_rich(monkeypatch):
    for number, path in enumerate(INPUTS):
        width = (40, 80, 57, 120, 200)[number % 5]
        plain, rich = report_both_ways(monkeypatch, [path], width=width, verbose=number % 2 == 0)
        assert plain == rich, path
        assert "\x1b" not in plain[1]


def test_all_fixtures_at_once_large_report_listing_the_same_without_rich(monkeypatch):
    for options in ({"show_all": True, "width": 100}, {"limit": 3, "width": 64}, {"width": 30}):
        plain, rich = report_both_ways(monkeypatch, INPUTS, **options)
        assert plain == rich, options
        assert "Worst" in plain[1] and plain[1].count("\n") > 100


def test_no_colour_on_a_terminal_is_written_without_rich_padding_and_all(monkeypatch):
    draft = ROOT / "examples" / "drafts" / "community-day.md"
    plain, rich = report_both_ways(monkeypatch, [draft], stream_type=TtyBuffer, color=False, width=70)
    assert plain == rich
    assert " \n" in plain[1]  # rich pads indented lines on a terminal; so does the plain writer


def test_colour_and_terminals_still_go_through_rich():
    assert terminal.plain_width(TtyBuffer(), ReportOptions(), environ={}) is None
    assert terminal.plain_width(io.StringIO(), ReportOptions(color=True), environ={}) is None
    assert terminal.plain_width(io.StringIO(), ReportOptions(width=90), environ={}) == 90


@given(
    st.sampled_from([None, True, False]),
    st.sampled_from([None, 1, 45, 300]),
    st.booleans(),
    st.fixed_dictionaries(
        {},
        optional={
            "FORCE_COLOR": st.sampled_from(["", "1", "0"]),
            "TTY_COMPATIBLE": st.sampled_from(["", "0", "1", "2"]),
            "COLUMNS": st.sampled_from(["", "0", "33", "x", "150"]),
        },
    ),
)
@settings(max_examples=200, deadline=None)
def test_plain_width_decides_as_rich_does(color, width, tty, environ):
    out = TtyBuffer() if tty else io.StringIO()
    options = ReportOptions(color=color, width=width)
    console = Console(file=out if tty else terminal._Trimmed(out), width=width, force_terminal=color, _environ=environ)
    decided = terminal.plain_width(out, options, environ=environ)
    if console.is_terminal or console.width < 1:
        assert decided is None
    else:
        assert decided == console.width
