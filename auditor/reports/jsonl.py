"""JSON Lines (`--format jsonl`): one object a line, written and flushed as each post is done.

For pipelines: `{"type": "post", ...}` for each post with its findings inside,
`{"type": "problem", ...}` for each record that could not be read, and a last
`{"type": "summary", ...}` line. The objects are those of the JSON report
(docs/report-format.md).
"""

from __future__ import annotations

from .. import __version__
from ..model import PostResult
from .base import Reporter as BaseReporter
from .json_report import SCHEMA_VERSION, _dumps, finding_texts, numbered, post_members, problem_entry


class Reporter(BaseReporter):
    number = 0

    def _line(self, entry: dict) -> None:
        self.out.write(_dumps(entry) + "\n")
        self.out.flush()  # a reader downstream sees each post when it is done

    renders_alone = True

    def fragment(self, result: PostResult) -> str:
        """The post's line, its number left as placeholders (json_report.NUMBER):
        `{"type": "post", **post_entry(...), "findings": findings_of(...)}` encoded."""
        sources: dict = {}
        members = post_members(result, sources)
        return '{"type": "post", ' + members + ', "findings": [' + ", ".join(finding_texts(result, sources)) + "]}"

    def write_fragment(self, fragment: str) -> None:
        self.number += 1
        self.out.write(numbered(fragment, self.number) + "\n")
        self.out.flush()  # a reader downstream sees each post when it is done

    def problem(self, problem) -> None:
        self._line({"type": "problem", **problem_entry(problem)})

    def finish(self, summary) -> None:
        self._line(
            {
                "type": "summary",
                "schema_version": SCHEMA_VERSION,
                "tool": {"name": "altaudit", "version": __version__},
                **summary.to_dict(),
            }
        )
