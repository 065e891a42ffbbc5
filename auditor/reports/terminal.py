"""The terminal report: post by post, image by image, then a summary table.

Everything that comes from a description or a post is added to rich `Text`
objects as plain strings after `visible()`, never as markup.
"""

from __future__ import annotations

from rich.console import Console, Group
from rich.padding import Padding
from rich.text import Text

from ..model import AuditResult, Finding, ImageResult, Level, PostResult
from ..rulebook import Rule
from .common import counts_by_level, failed, location, mean_image_score
from .safe import visible

LEVEL_STYLE = {Level.ERROR: "bold red", Level.WARNING: "yellow", Level.INFO: "cyan"}
CONTEXT = 40  # characters shown either side of the offending words


def _score_style(value: int) -> str:
    return "green" if value >= 80 else "yellow" if value >= 50 else "red"


def _snippet(alt: str, finding: Finding) -> Text:
    """The words around the finding, with the offending words highlighted."""
    start, end = finding.span.start, finding.span.end
    left = max(0, start - CONTEXT)
    right = min(len(alt), end + CONTEXT)
    text = Text("“", style="dim")
    if left:
        text.append("…", style="dim")
    text.append(visible(alt[left:start], keep_newlines=False))
    text.append(visible(alt[start:end], keep_newlines=False) or "∅", style="bold reverse red")
    text.append(visible(alt[end:right], keep_newlines=False))
    if right < len(alt):
        text.append("…", style="dim")
    text.append("”", style="dim")
    return text


Line = tuple[int, Text]  # indent in spaces, and the text; wrapped lines keep the indent


def _finding_lines(finding: Finding, rule: Rule | None, alt: str, indent: int) -> list[Line]:
    head = Text()
    head.append(f"{finding.level.value:<7}", style=LEVEL_STYLE[finding.level])
    head.append(f" {finding.code} ", style="bold")
    head.append(visible(finding.message, keep_newlines=False))
    lines = [(indent, head)]
    pad = indent + 4
    if finding.span is not None:
        lines.append((pad, _snippet(alt, finding)))
    if finding.suggestion is not None:
        fix = Text("fix: ", style="green")
        if finding.suggestion:
            fix.append("write ‘", style="green")
            fix.append(visible(finding.suggestion, keep_newlines=False), style="bold green")
            fix.append("’", style="green")
        else:
            fix.append("delete it", style="green")
        lines.append((pad, fix))
    elif rule is not None:
        lines.append((pad, Text("fix: ", style="green").append(rule.fix)))
    if rule is not None:
        lines.append((pad, Text("why: ", style="dim").append(rule.why_short, style="dim")))
    return lines


def _image_header(post: PostResult, image: ImageResult) -> Text:
    total = len(post.images)
    noun = "image" if image.image.kind in ("image", "gallery") else image.image.kind
    header = Text()
    header.append(f"{noun} {image.image.index} of {total}", style="bold")
    if image.image.file:
        header.append(f"  {visible(image.image.file, keep_newlines=False)}", style="dim")
    if image.image.source.line and image.image.source.line != post.post.source.line:
        header.append(f"  line {image.image.source.line}", style="dim")
    header.append("  score ")
    header.append(f"{image.score.value}/100", style=_score_style(image.score.value))
    return header


def render_post(post: PostResult, rules: dict[str, Rule], verbose: bool) -> list[Line]:
    """The report's lines for one post (none for a clean post unless verbose)."""
    out: list[Line] = []
    if post.score is None or (not verbose and not post.all_findings()):
        return out
    header = Text(visible(location(post.post.source), keep_newlines=False), style="bold underline")
    if post.post.source.uri and post.post.source.path:
        header.append(f"  {visible(post.post.source.uri)}", style="dim")
    header.append("  post score ")
    header.append(f"{post.score.value}/100", style=_score_style(post.score.value))
    out.append((0, header))
    for finding in post.findings:
        out.extend(_finding_lines(finding, rules.get(finding.code), "", 2))
    for image in post.images:
        if not verbose and not image.findings:
            continue
        out.append((2, _image_header(post, image)))
        alt = image.image.alt or ""
        if alt.strip():
            preview = "“" + visible(alt[:100], keep_newlines=False) + ("…" if len(alt) > 100 else "") + "”"
            out.append((4, Text(preview, style="dim italic")))
        for finding in image.findings:
            out.extend(_finding_lines(finding, rules.get(finding.code), alt, 4))
        deductions = ", ".join(f"{d.code} −{d.points}" for d in image.score.deductions)
        if deductions:
            out.append((4, Text(f"score: 100 − ({deductions})", style="dim")))
    out.append((0, Text()))
    return out


def render(console: Console, result: AuditResult, rules: dict[str, Rule], fail_on: Level, verbose: bool = False) -> None:
    from rich.table import Table  # only the summary needs it

    lines = [line for post in result.posts for line in render_post(post, rules, verbose)]
    if lines:
        # One print call: rich's per-call overhead is most of a short report's time.
        console.print(Group(*(Padding(text, (0, 0, 0, indent), expand=False) if indent else text for indent, text in lines)))
    findings = result.all_findings()
    by_code: dict[str, int] = {}
    for finding in findings:
        by_code[finding.code] = by_code.get(finding.code, 0) + 1
    if by_code:
        table = Table(title="Findings by rule", title_justify="left", show_edge=False)
        table.add_column("rule")
        table.add_column("level")
        table.add_column("what", overflow="fold")
        table.add_column("count", justify="right")
        for code in sorted(by_code, key=lambda c: (-rules[c].level.rank if c in rules else 0, c)):
            rule = rules.get(code)
            level = rule.level if rule else Level.WARNING
            table.add_row(code, Text(level.value, style=LEVEL_STYLE[level]), rule.title if rule else "", str(by_code[code]))
        console.print(table)
    posts = [p for p in result.posts if p.score is not None]
    images = sum(len(p.images) for p in posts)
    counts = counts_by_level(findings)
    mean = mean_image_score(result)
    summary = Text()
    summary.append(f"{len(posts)} post(s) with images, {images} image(s): ")
    summary.append(f"{counts['error']} error(s)", style=LEVEL_STYLE[Level.ERROR] if counts["error"] else "")
    summary.append(", ")
    summary.append(f"{counts['warning']} warning(s)", style=LEVEL_STYLE[Level.WARNING] if counts["warning"] else "")
    summary.append(f", {counts['info']} info")
    if mean is not None:
        summary.append("; mean image score ")
        summary.append(f"{mean:g}/100", style=_score_style(int(mean)))
    if failed(result, fail_on):
        verdict = Text(f"Failed: findings at level {fail_on.value} or above.", style="bold red")
    elif posts:
        verdict = Text(f"Passed: nothing at level {fail_on.value} or above.", style="bold green")
    else:
        verdict = Text("No images found to audit.", style="yellow")
    console.print(Text("\n").join([summary, verdict]))
