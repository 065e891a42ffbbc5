"""JSON Lines (`--format jsonl`): one object a line, written and flushed as each post is done
(posts a worker process audited together: flushed after the last of them).

For pipelines: `{"type": "post", ...}` for each post with its findings inside,
`{"type": "problem", ...}` for each record that could not be read, and a last
`{"type": "summary", ...}` line. The objects are those of the JSON report
(docs/report-format.md).
"""

from __future__ import annotations

from .. import __version__
from ..model import PostResult
from .base import Gathered
from .base import Reporter as BaseReporter
from .json_report import NUMBER_KEY, SCHEMA_VERSION, _dumps, finding_texts, numbered, post_members, problem_entry


class Reporter(BaseReporter):
    number = 0
    _gathered = None

    def _line(self, entry: dict) -> None:
        if self._gathered is not None:
            self._gathered.drain()
        self.out.write(_dumps(entry) + "\n")
        self.out.flush()  # a reader downstream sees each post when it is done

    renders_alone = True

    def fragment(self, result: PostResult) -> str:
        """The post's line, its number left as placeholders (json_report.NUMBER):
        `{"type": "post", **post_entry(...), "findings": findings_of(...)}` encoded."""
        sources: dict = {}
        members = post_members(result, sources)
        return '{"type": "post", ' + members + ', "findings": [' + ", ".join(finding_texts(result, sources)) + "]}"

    def write_fragment(self, fragment: str, more: bool = False) -> None:
        self.number += 1
        if self._gathered is None:
            self._gathered = Gathered(self.out)
        self._gathered.write(numbered(fragment, self.number) + "\n")
        if not more:  # a reader downstream sees each post when it is done (a worker's batch: at its last)
            self._gathered.drain()
            self.out.flush()

    def write_fragments(self, fragments: list[str], more: bool = False) -> None:
        """`write_fragment` for each, their lines written as one text."""
        if not fragments:
            return
        number = self.number
        lines = []
        for fragment in fragments:
            number += 1
            lines.append(fragment.replace(NUMBER_KEY, f'"post": {number}'))
        self.number = number
        if self._gathered is None:
            self._gathered = Gathered(self.out)
        self._gathered.write("\n".join(lines) + "\n")
        if not more:
            self._gathered.drain()
            self.out.flush()

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
