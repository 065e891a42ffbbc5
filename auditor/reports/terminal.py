"""The terminal report: post by post, image by image, then the findings by rule and a summary.

A small audit (up to `SMALL` posts with images) reads as it always did: each
post with findings, then the findings by rule and the verdict. A larger one
leads with the summary and the worst posts, and lists the others only when
asked (`--all`, or `--limit N` for the first N), rendered as they come into a
spool so that memory stays flat. Everything from a description or a post is
added to a `StyledText` as plain strings after `visible()`, never as markup.

Where no style can show (output that is no terminal, colour not forced) the
lines are written by `styled_text.render_plain`, byte for byte what rich would
print, without importing rich's console (about 40 ms of a pre-commit run);
otherwise rich renders them.
"""

from __future__ import annotations

import os
import re
import sys
from typing import TextIO

from ..model import AuditResult, Finding, ImageResult, Level, PostResult, Score
from ..rulebook import Rule
from ..safe_text import visible
from ..styled_text import StyledText, render_plain
from .base import ReportOptions, Spool, problem_place, source_place
from .base import Reporter as BaseReporter

SMALL = 20  # posts with images: up to this many, the report lists every post
MAX_PROBLEMS = 20  # problems listed in the report (stderr has every one)
LEVEL_STYLE = {Level.ERROR: "bold red", Level.WARNING: "yellow", Level.INFO: "cyan"}
CONTEXT = 40  # characters shown either side of the offending words


def _score_style(value: int) -> str:
    return "green" if value >= 80 else "yellow" if value >= 50 else "red"


def score_explained(score: Score) -> str:
    """Every point of a score in words: "score 62: length +58 (12 words), detail +8 (…), T401 −15 (spelling)"."""
    parts = [f"{c.code} +{c.points}" + (f" ({c.note})" if c.note else "") for c in score.credits]
    parts += [f"{d.code} −{d.points}" + (f" ({d.note})" if d.note else "") for d in score.deductions]
    total = sum(c.points for c in score.credits) - sum(d.points for d in score.deductions)
    if total == score.value:
        bounds = ""
    elif score.value == 0:
        bounds = " (never below 0)"
    else:
        bounds = " (at most 100: errors are taken off after the cap)"
    return visible(f"score {score.value}{bounds}: " + (", ".join(parts) or "nothing to describe"), keep_newlines=False)


def _snippet(alt: str, finding: Finding) -> StyledText:
    """The words around the finding, with the offending words highlighted."""
    start, end = finding.span.start, finding.span.end
    left = max(0, start - CONTEXT)
    right = min(len(alt), end + CONTEXT)
    text = StyledText("“", style="dim")
    if left:
        text.append("…", style="dim")
    text.append(visible(alt[left:start], keep_newlines=False))
    text.append(visible(alt[start:end], keep_newlines=False) or "∅", style="bold reverse red")
    text.append(visible(alt[end:right], keep_newlines=False))
    if right < len(alt):
        text.append("…", style="dim")
    text.append("”", style="dim")
    return text


Line = tuple[int, StyledText]  # indent in spaces, and the text; wrapped lines keep the indent


def _finding_lines(finding: Finding, rule: Rule | None, alt: str, indent: int) -> list[Line]:
    fix_text = finding.fix or (rule.fix if rule else "")
    why_text = finding.why or (rule.why_short if rule else "")
    head = StyledText()
    head.append(f"{finding.level.value:<7}", style=LEVEL_STYLE[finding.level])
    head.append(f" {finding.code} ", style="bold")
    head.append(visible(finding.message, keep_newlines=False))
    lines = [(indent, head)]
    pad = indent + 4
    if finding.span is not None:
        lines.append((pad, _snippet(alt, finding)))
    if finding.suggestion is not None:
        fix = StyledText("fix: ", style="green")
        if finding.suggestion:
            fix.append("write ‘", style="green")
            fix.append(visible(finding.suggestion, keep_newlines=False), style="bold green")
            fix.append("’", style="green")
        else:
            fix.append("delete it", style="green")
        lines.append((pad, fix))
    elif fix_text:
        lines.append((pad, StyledText("fix: ", style="green").append(fix_text)))
    if why_text:
        lines.append((pad, StyledText("why: ", style="dim").append(why_text, style="dim")))
    return lines


def _image_header(post: PostResult, image: ImageResult) -> StyledText:
    total = len(post.images)
    noun = "image" if image.image.kind in ("image", "gallery") else image.image.kind
    header = StyledText()
    header.append(f"{noun} {image.image.index} of {total}", style="bold")
    if image.image.file:
        header.append(f"  {visible(image.image.file, keep_newlines=False)}", style="dim")
    if image.image.source.line and image.image.source.line != post.post.source.line:
        header.append(f"  line {image.image.source.line}", style="dim")
    header.append("  score ")
    header.append(f"{image.score.value}/100", style=_score_style(image.score.value))
    return header


def render_post(post: PostResult, rules: dict[str, Rule] | None = None, verbose: bool = False) -> list[Line]:
    """The report's lines for one post (none for a clean post unless verbose)."""
    out: list[Line] = []
    if post.score is None or (not verbose and not post.all_findings()):
        return out
    header = StyledText(visible(source_place(post.post.source), keep_newlines=False), style="bold underline")
    if post.post.source.uri and post.post.source.path:
        header.append(f"  {visible(post.post.source.uri)}", style="dim")
    header.append("  post score ")
    header.append(f"{post.score.value}/100", style=_score_style(post.score.value))
    out.append((0, header))
    rules = rules or {}
    for finding in post.findings:
        out.extend(_finding_lines(finding, rules.get(finding.code), "", 2))
    for image in post.images:
        if not verbose and not image.findings:
            continue
        out.append((2, _image_header(post, image)))
        alt = image.image.alt or ""
        if alt.strip():
            preview = "“" + visible(alt[:100], keep_newlines=False) + ("…" if len(alt) > 100 else "") + "”"
            out.append((4, StyledText(preview, style="dim italic")))
        if image.image.seen is not None:
            out.append((4, seen_line(image.image.seen, described=bool(alt.strip()))))
        for finding in image.findings:
            out.extend(_finding_lines(finding, rules.get(finding.code), alt, 4))
        out.append((4, StyledText(score_explained(image.score), style="dim")))
    out.append((0, StyledText()))
    return out



def seen_line(seen, described: bool) -> StyledText:
    """The text read from an image, folded into one line; for an image with no
    description, offered as a starting point (never as a description)."""
    if seen.problem:
        return StyledText(f"image not read: {visible(seen.problem, keep_newlines=False)}", style="dim")
    # Stray marks the engine doubted (a bullet read as "■") are not text worth showing.
    lines = [line for line in seen.lines if line.confidence >= 0.6 and any(c.isalnum() for c in line.text)]
    if not lines:
        return StyledText("no text found in the image", style="dim")
    limit = 100 if described else 300
    folded = " · ".join(visible(line.text, keep_newlines=False) for line in lines)
    folded = folded if len(folded) <= limit else folded[: limit - 1].rstrip() + "…"
    label = "text in the image: " if described else "text found in the image, to start a description from: "
    return StyledText(label + "“" + folded + "”", style="dim")


_TRAILING = re.compile(r"[ \t]+((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)


class _Trimmed:
    """A text stream that drops the spaces rich pads lines with, so that a report
    piped to a file or another program has no trailing padding."""

    def __init__(self, out: TextIO):
        self.out = out
        self.tail = ""

    def write(self, text: str) -> int:
        head, newline, self.tail = (self.tail + text).rpartition("\n")
        if newline:
            self.out.write(_TRAILING.sub(r"\1", head) + "\n")
        return len(text)

    def flush(self) -> None:
        self.out.flush()

    def close(self) -> None:
        if self.tail:
            self.out.write(_TRAILING.sub(r"\1", self.tail))
            self.tail = ""

    def isatty(self) -> bool:
        return False


def _is_tty(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


def make_console(out: TextIO, options: ReportOptions, *, color_system: str | None = "auto"):
    from rich.console import Console

    # No markup or emoji codes: every string is built as text, and ":" in a
    # description must never become an emoji.
    return Console(
        file=out,
        width=options.width,
        force_terminal=options.color,
        no_color=options.color is False,
        color_system=color_system,
        highlight=False,
        markup=False,
        emoji=False,
    )


def plain_width(out: TextIO, options: ReportOptions, environ=os.environ) -> int | None:
    """The width rich's console would wrap at, where it would print no style at
    all (it would not take `out` for a terminal); None where rich must render:
    a terminal, colour forced (--color, FORCE_COLOR, TTY_COMPATIBLE=1), Windows,
    Jupyter. The same tests, in the same order, as rich's Console.is_terminal and size."""
    import builtins

    if os.name == "nt" or options.color or hasattr(builtins, "get_ipython"):
        return None
    if options.color is None:
        idle = getattr(sys.stdin, "__module__", "").startswith("idlelib")
        tty_compatible = environ.get("TTY_COMPATIBLE", "")
        force_color = environ.get("FORCE_COLOR")
        if idle or tty_compatible == "0":
            pass
        elif tty_compatible == "1" or (force_color != "" if force_color is not None else _is_tty(out)):
            return None
    width = options.width
    if width is None:
        columns = environ.get("COLUMNS")
        if columns is not None and columns.isdigit():
            width = int(columns)
        else:
            for stream, number in ((sys.__stdin__, 0), (sys.__stdout__, 1), (sys.__stderr__, 2)):
                try:
                    number = stream.fileno()
                except Exception:  # noqa: BLE001 - rich falls back to the usual numbers
                    pass
                try:
                    width = os.get_terminal_size(number)[0]
                except (AttributeError, ValueError, OSError):
                    continue
                break
            width = width or 80
    return width if width >= 1 else None


class _SpoolFile:
    """A spool as the file an output writes to."""

    def __init__(self, spool: Spool):
        self.write = spool.write

    def flush(self) -> None:
        pass


class _RichOutput:
    """Lines printed by a rich console: a terminal, or colour forced."""

    def __init__(self, console):
        self.console = console

    def lines(self, lines: list[Line]) -> None:
        if lines:
            from rich.console import Group
            from rich.padding import Padding

            # One print call: rich's per-call overhead is most of a short report's time.
            renderables = ((indent, text.to_rich()) for indent, text in lines)
            self.console.print(Group(*(Padding(text, (0, 0, 0, indent), expand=False) if indent else text for indent, text in renderables)))

    def text(self, text: StyledText | None = None) -> None:
        if text is None:
            self.console.print()
        else:
            self.console.print(text.to_rich())

    def into(self, file: TextIO) -> _RichOutput:
        """The same rendering into another file (the listing's spool)."""
        from rich.console import Console

        console = self.console
        return _RichOutput(
            Console(
                file=file,
                width=console.width,
                force_terminal=console.is_terminal,
                color_system=console.color_system,
                no_color=console.no_color,
                highlight=False,
                markup=False,
                emoji=False,
            )
        )


class _PlainOutput:
    """Lines written as rich would write them with no style to show."""

    def __init__(self, file: TextIO, width: int):
        self.file = file
        self.width = width

    def lines(self, lines: list[Line]) -> None:
        if lines:
            self.file.write(render_plain(lines, self.width))
            self.file.flush()

    def text(self, text: StyledText | None = None) -> None:
        self.file.write(render_plain([(0, text)], self.width) if text is not None else "\n")
        self.file.flush()

    def into(self, file: TextIO) -> _PlainOutput:
        return _PlainOutput(file, self.width)


class Reporter(BaseReporter):
    def __init__(self, out: TextIO, options: ReportOptions):
        super().__init__(out, options)
        self.trimmed = None if _is_tty(out) else _Trimmed(out)
        width = plain_width(out, options)
        if width is None:
            self.output = _RichOutput(make_console(self.trimmed or out, options))
        else:
            self.output = _PlainOutput(self.trimmed or out, width)
        self.held: list[PostResult] | None = []  # the first posts, until the audit turns out large
        self.listing: Spool | None = None  # large audits: posts rendered for --all / --limit
        self.listing_output = None
        self.listed = 0
        self.pending: list[Line] = []  # listing lines not yet printed into the spool
        self.problems: list[str] = []

    # -- as results come --------------------------------------------------------

    def post(self, result: PostResult) -> None:
        if result.score is None:
            return  # no images: nothing to show
        if self.held is not None:
            self.held.append(result)
            if len(self.held) > SMALL:
                held, self.held = self.held, None
                for earlier in held:
                    self._list(earlier)
            return
        self._list(result)

    def _list(self, result: PostResult) -> None:
        options = self.options
        if not options.verbose and not result.all_findings():
            return
        if not (options.show_all or (options.limit is not None and self.listed < options.limit)):
            return
        if self.listing is None:
            self.listing = Spool()
            self.listing_output = self.output.into(_SpoolFile(self.listing))
            self.listing.empty = False
        self.listed += 1
        self.pending.extend(render_post(result, self.options.rules, options.verbose))
        if len(self.pending) >= 2000:  # rich's per-print cost is paid once per batch
            self._flush_listing()

    def _flush_listing(self) -> None:
        self.listing_output.lines(self.pending)
        self.pending = []

    def problem(self, problem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(visible(f"{problem_place(problem)}: {problem.message}", keep_newlines=False))

    # -- at the end ---------------------------------------------------------------

    def finish(self, summary) -> None:
        output = self.output
        if self.held is not None:
            lines = [line for result in self.held for line in render_post(result, self.options.rules, self.options.verbose)]
            output.lines(lines)
            self._problems(summary)
            self._by_rule(summary)
            output.text(self._totals(summary))
            self._sections(summary)
        else:
            output.text(self._totals(summary))
            output.text()
            self._sections(summary)
            if self._problems(summary):
                output.text()
            self._by_rule(summary)
            worst = summary.worst_posts()
            if worst:
                output.text(StyledText(f"\nWorst {len(worst)} post(s)", style="bold"))
                lines = [line for result in worst for line in render_post(result, self.options.rules, False)]
                output.lines(lines)
            if self.listing is not None:
                self._flush_listing()
                heading = "All posts with findings" if self.options.show_all else f"First {self.listed} post(s) with findings"
                output.text(StyledText(heading, style="bold"))
                self.listing.copy_to(self.trimmed or self.out)
            shown = len(worst) + self.listed
            if not self.options.show_all and summary.posts_with_findings > shown:
                first = f" and the first {self.listed}" if self.listed else ""
                output.text(
                    StyledText(
                        f"Shown: the {len(worst)} worst{first} of {summary.posts_with_findings} post(s) with findings. "
                        "--all lists every one, --limit N the first N; --format json or jsonl gives them all to tools.",
                        style="dim",
                    )
                )
        if self.trimmed is not None:
            self.trimmed.close()

    def _problems(self, summary) -> bool:
        if not summary.problems:
            return False
        out = [StyledText(f"{summary.problems} input problem(s): not read, the rest was audited", style="bold red")]
        out += [StyledText("  " + line) for line in self.problems]
        if summary.problems > len(self.problems):
            out.append(StyledText(f"  …and {summary.problems - len(self.problems)} more (every one is on stderr)", style="dim"))
        self.output.text(StyledText("\n").join(out))
        return True

    def _by_rule(self, summary) -> None:
        """Findings by rule as aligned lines (rich's Table costs start-up time and pads every cell)."""
        if not summary.by_code:
            return
        rules = self.options.rules
        width = max(len(str(count)) for count in summary.by_code.values())
        lines: list[Line] = [(0, StyledText("Findings by rule", style="bold"))]
        for code in summary.codes_by_level():
            level = summary.rule_levels[code]
            row = StyledText(f"  {summary.by_code[code]:>{width}}  ")
            row.append(code, style="bold")
            row.append("  ")
            row.append(f"{level.value:<7}", style=LEVEL_STYLE[level])
            row.append("  " + (rules[code].title if code in rules else ""))
            lines.append((0, row))
        self.output.lines(lines)

    def _sections(self, summary) -> None:
        for section in summary.sections:
            rows = section.rows()
            if rows:
                text = StyledText(section.title, style="bold")
                for label, value in rows:
                    text.append(f"\n  {visible(label, keep_newlines=False)}  {visible(value, keep_newlines=False)}")
                self.output.text(text)
                self.output.text()

    def _totals(self, summary) -> StyledText:
        counts = summary.findings
        text = StyledText()
        text.append(f"{summary.posts_with_images} post(s) with images, {summary.images} image(s): ")
        text.append(f"{counts['error']} error(s)", style=LEVEL_STYLE[Level.ERROR] if counts["error"] else "")
        text.append(", ")
        text.append(f"{counts['warning']} warning(s)", style=LEVEL_STYLE[Level.WARNING] if counts["warning"] else "")
        text.append(f", {counts['info']} info")
        mean = summary.mean_image_score
        if mean is not None:
            text.append("; mean image score ")
            text.append(f"{mean:g}/100", style=_score_style(int(mean)))
        if summary.images and summary.described != summary.images:
            text.append(f"; {summary.described_share:.0%} of images described")
        if summary.not_posts:
            text.append(f"\n{sum(summary.not_posts.values())} record(s) that are not posts skipped", style="dim")
        fail_on = summary.fail_on.value
        if summary.failed:
            verdict = StyledText(f"Failed: findings at level {fail_on} or above.", style="bold red")
        elif summary.problems:
            verdict = StyledText("Not passed: some input could not be read.", style="bold red")
        elif summary.posts_with_images:
            verdict = StyledText(f"Passed: nothing at level {fail_on} or above.", style="bold green")
        else:
            verdict = StyledText("No images found to audit.", style="yellow")
        return StyledText("\n").join([text, verdict])


def render(console, result: AuditResult, rules: dict[str, Rule], fail_on: Level, verbose: bool = False) -> None:
    """The whole report of an audit already in memory, onto `console` (tests, small callers)."""
    from ..summary import Summary

    summary = Summary(fail_on)
    reporter = Reporter(console.file, ReportOptions(fail_on=fail_on, verbose=verbose, rules=rules))
    reporter.output = _RichOutput(console)
    reporter.trimmed = None
    for post in result.posts:
        summary.add(post)
        reporter.post(post)
    reporter.finish(summary)
