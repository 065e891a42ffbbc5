"""A Markdown summary (`--format markdown`), sized for a pull-request comment.

Verdict, counts, findings by rule, the first findings (at most `MAX_ROWS`, so
the comment stays far below GitHub's 65,536-character limit however large the
audit), the worst posts and any input problems. Every string from the input
is escaped for Markdown and HTML: `<script>` and `[link](x)` show as text.
"""

from __future__ import annotations

import re
from typing import TextIO

from ..model import PostResult
from ..safe_text import visible
from .base import ReportOptions, image_label, located, place, problem_place
from .base import Reporter as BaseReporter

MAX_ROWS = 50
MAX_PROBLEMS = 20
_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")


def md(value: str, limit: int = 200) -> str:
    """Text for a table cell: one line, HTML and Markdown characters escaped."""
    shown = visible(value, keep_newlines=False)
    if len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    shown = shown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", shown)


class Reporter(BaseReporter):
    def __init__(self, out: TextIO, options: ReportOptions):
        super().__init__(out, options)
        self.rows: list[str] = []
        self.more_findings = 0
        self.problems: list[str] = []
        self.number = 0

    def post(self, result: PostResult) -> None:
        self.number += 1
        for finding, where in located(result):
            if len(self.rows) >= MAX_ROWS:
                self.more_findings += 1
                continue
            message = image_label(result, finding) + finding.message
            if finding.suggestion:
                message += f" (write ‘{finding.suggestion}’)"
            self.rows.append(f"| {md(place(where))} | {finding.level.value} | {finding.code} | {md(message)} |")

    def problem(self, problem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(f"- {md(problem_place(problem))}: {md(problem.message)}")

    def finish(self, summary) -> None:
        fail_on = summary.fail_on.value
        if summary.problems:
            verdict = f"⚠️ **{summary.problems} input problem(s)**: some records could not be read"
        elif summary.failed:
            verdict = f"❌ **Failed**: findings at level {fail_on} or above"
        elif summary.posts_with_images:
            verdict = f"✅ **Passed**: nothing at level {fail_on} or above"
        else:
            verdict = "No images found to audit."
        counts = summary.findings
        share = summary.described_share
        mean = summary.mean_image_score
        out = [
            "## altaudit: image descriptions",
            "",
            verdict,
            "",
            "| | |",
            "|---|---|",
            f"| posts with images | {summary.posts_with_images} |",
            f"| images | {summary.images}" + (f" ({share:.0%} described)" if share is not None else "") + " |",
            f"| findings | {counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info |",
            f"| mean image score | {f'{mean:g}/100' if mean is not None else '–'} |",
        ]
        if summary.not_posts:
            out.append(f"| records skipped (not posts) | {sum(summary.not_posts.values())} |")
        if summary.by_code:
            out += ["", "### Findings by rule", "", "| rule | level | count |", "|---|---|---:|"]
            rules = self.options.rules
            for code in summary.codes_by_level():
                title = f" {md(rules[code].title)}" if code in rules else ""
                out.append(f"| **{code}**{title} | {summary.rule_levels[code].value} | {summary.by_code[code]} |")
        if self.rows:
            out += ["", "### Findings", "", "| where | level | rule | message |", "|---|---|---|---|", *self.rows]
            if self.more_findings:
                out += ["", f"…and {self.more_findings} more finding(s): see the full report (`--format terminal --all` or `json`)."]
        for section in summary.sections:
            rows = section.rows()
            if rows:
                out += ["", f"### {md(section.title)}", "", "| | |", "|---|---|"]
                out += [f"| {md(label)} | {md(value)} |" for label, value in rows]
        if self.problems:
            out += ["", "### Input problems", "", *self.problems]
            if summary.problems > len(self.problems):
                out.append(f"- …and {summary.problems - len(self.problems)} more")
        self.out.write("\n".join(out) + "\n")
