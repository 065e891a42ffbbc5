"""One line a finding (`--format concise`): `path:line:col: CODE message`, as compilers and linters print.

Editors and `grep` read it; the column is there where the input knows it
(drafts), else the line alone. Input problems are lines of their own.
"""

from __future__ import annotations

from ..model import PostResult
from ..safe_text import visible
from .base import Reporter as BaseReporter
from .base import image_label, located, place, problem_place, suggestion_text


class Reporter(BaseReporter):
    def post(self, result: PostResult) -> None:
        lines = []
        for finding, where in located(result):
            text = image_label(result, finding) + finding.message
            text += suggestion_text(finding)
            lines.append(visible(f"{place(where)}: {finding.code} {text}", keep_newlines=False) + "\n")
        if lines:
            self.out.write("".join(lines))

    def problem(self, problem) -> None:
        self.out.write(visible(f"{problem_place(problem)}: error: {problem.message}", keep_newlines=False) + "\n")
