"""GitHub Actions workflow commands (`--format github`): each finding an annotation on its file, line and column.

The commands' own escaping applies: `%`, CR and LF in the message, and also
`:` and `,` in properties (file, title), so that a description or a file name
cannot end a command early or start another.
"""

from __future__ import annotations

from ..model import Level, PostResult
from ..safe_text import visible
from .base import Reporter as BaseReporter
from .base import image_label, located, problem_place, suggestion_text

_COMMAND = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}


def escape_data(value: str) -> str:
    return visible(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _command(name: str, message: str, path: str | None, props: list[tuple[str, object]]) -> str:
    parts = []
    if path and not path.startswith("<"):
        parts.append(f"file={escape_property(path)}")
    parts += [f"{key}={escape_property(str(value))}" for key, value in props if value is not None]
    return f"::{name} {','.join(parts)}::{escape_data(message)}\n"


class Reporter(BaseReporter):
    def post(self, result: PostResult) -> None:
        lines = []
        for finding, where in located(result):
            text = image_label(result, finding) + finding.message
            text += suggestion_text(finding)
            if finding.fix and finding.suggestion is None:
                text += f"\nFix: {finding.fix}"
            if where.uri:
                text += f"\n{where.uri}"
            props = [("line", where.line), ("col", where.column)]
            if where.column and where.end_column and where.end_line == where.line:
                props.append(("endColumn", where.end_column))
            props.append(("title", f"altaudit {finding.code} {finding.name}".rstrip()))
            lines.append(_command(_COMMAND[finding.level], text, where.path, props))
        self.out.write("".join(lines))

    def problem(self, problem) -> None:
        message = f"{problem_place(problem)}: {problem.message}"
        props = [("line", problem.line), ("title", "altaudit: input not read")]
        self.out.write(_command("error", message, problem.path, props))
