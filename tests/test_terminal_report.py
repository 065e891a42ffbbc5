"""The rich terminal report, rendered in-process into a string as rich's own tests do."""

import io
import re

from helpers import engine, post_of
from rich.console import Console

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
