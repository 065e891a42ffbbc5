"""JUnit XML (`--format junit`), the test report that CI servers (Jenkins, GitLab, Azure) display.

One test case a post with images, named by where the post is: it fails when
a finding reaches `--fail-on` (every finding of the post listed in the
failure), and lower findings go to its `system-out`. A record that could not
be read is a test case with an `error`. Test cases are spooled as they come,
since the suite's counts open the document.
"""

from __future__ import annotations

from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from ..model import PostResult
from ..safe_text import visible
from .base import ReportOptions, Spool, image_label, located, place, problem_place, suggestion_text
from .base import Reporter as BaseReporter


def _text(value: str) -> str:
    # visible() leaves no character that XML 1.0 forbids (controls, surrogates, U+FFFE/F).
    return escape(visible(value))


def _attr(value: str) -> str:
    return quoteattr(visible(value, keep_newlines=False))


class Reporter(BaseReporter):
    def __init__(self, out: TextIO, options: ReportOptions):
        super().__init__(out, options)
        self.cases = Spool()
        self.tests = self.failures = self.errors = 0

    def post(self, result: PostResult) -> None:
        if not result.images:
            return
        self.tests += 1
        where = place_of(result)
        lines, failing = [], []
        for finding, location in located(result):
            line = f"{place(location)}: {finding.level.value} {finding.code} {image_label(result, finding)}{finding.message}"
            line += suggestion_text(finding)
            lines.append(line)
            if finding.level.rank >= self.options.fail_on.rank:
                failing.append(finding)
        name = f"post {where}"
        case = f'<testcase classname={_attr(result.post.source.path or "altaudit")} name={_attr(name)}>'
        if failing:
            self.failures += 1
            message = f"{len(failing)} finding(s) at {self.options.fail_on.value} or above: " + ", ".join(f.code for f in failing)
            case += f"<failure message={_attr(message)} type={_attr(failing[0].code)}>{_text(chr(10).join(lines))}</failure>"
        elif lines:
            case += f"<system-out>{_text(chr(10).join(lines))}</system-out>"
        self.cases.write(case + "</testcase>\n")

    def problem(self, problem) -> None:
        self.tests += 1
        self.errors += 1
        where = problem_place(problem)
        self.cases.write(
            f'<testcase classname={_attr(problem.path or "altaudit")} name={_attr("record " + where)}>'
            f"<error message={_attr(problem.message)} type=\"InputProblem\">{_text(where + ': ' + problem.message)}</error></testcase>\n"
        )

    def finish(self, summary) -> None:
        counts = f'tests="{self.tests}" failures="{self.failures}" errors="{self.errors}"'
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.out.write(f'<testsuites name="altaudit" {counts}>\n<testsuite name="altaudit" {counts} skipped="0">\n')
        self.cases.copy_to(self.out)
        self.out.write("</testsuite>\n</testsuites>\n")


def place_of(result: PostResult) -> str:
    source = result.post.source
    if source.path:
        return source.path + (f":{source.line}" if source.line else "")
    return source.uri or "<input>"
