"""SARIF 2.1.0 (`--format sarif`), the format GitHub code scanning and many CI dashboards read.

Results are written as each post is done; the tool's rule list (each rule
with its help text, in the order the results first used them, so that
`ruleIndex` is known at once) and the input problems (as tool execution
notifications) follow at the end. Messages pass through `visible()`: viewers
show them to people, and a bidi override in a description must not reorder
the page. The tests validate every report against the official schema.
"""

from __future__ import annotations

import os
from typing import TextIO
from urllib.parse import quote

from .. import __version__
from ..model import Level, Location, PostResult
from ..safe_text import visible
from .base import Gathered, ReportOptions, Spool, located, suggestion_text
from .base import Reporter as BaseReporter
from .json_report import NUMBER, _dumps

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVEL = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "note"}


def artifact_uri(path: str) -> str:
    """A URI reference for a file: relative paths stay relative (code scanning
    resolves them against the repository), absolute ones become file: URIs."""
    # surrogatepass: a file name holding a lone surrogate still gets a URI.
    uri = quote(path.replace(os.sep, "/"), safe="/", errors="surrogatepass")
    return "file://" + uri if os.path.isabs(path) else uri


def _region(where: Location) -> dict:
    # Columns count Unicode code points (the run says so in columnKind), as drafts map them.
    region = {"startLine": where.line}
    if where.column:
        region["startColumn"] = where.column
        if where.end_column and where.end_line:
            region["endLine"] = where.end_line
            region["endColumn"] = where.end_column
    return region


def _physical(where: Location) -> dict | None:
    if not where.path or where.path.startswith("<"):  # <argument>, <stdin>: no file
        return None
    physical: dict = {"artifactLocation": {"uri": artifact_uri(where.path)}}
    if where.line:
        physical["region"] = _region(where)
    return physical


def rule_entry(rule) -> dict:
    why = " ".join(rule.docs.why.split())
    what = " ".join(rule.docs.what.split())
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": what},
        "help": {
            "text": f"{what}\n\nWhy it matters: {why}\n\nHow to fix: {rule.fix}",
            "markdown": f"{what}\n\n**Why it matters:** {why}\n\n**How to fix:** {rule.fix}\n\nSee `altaudit rule {rule.code}`.",
        },
        "defaultConfiguration": {"level": _LEVEL[rule.level]},
        "properties": {"tags": ["accessibility", "alt-text"]},
    }


class Reporter(BaseReporter):
    def __init__(self, out: TextIO, options: ReportOptions):
        super().__init__(out, options)
        self.number = 0
        self.rule_index: dict[str, int] = {}
        self.results = 0
        self.gathered = Gathered(out)  # the results array, written in large pieces
        self.problems = Spool()

    def start(self) -> None:
        self.out.write(f'{{"$schema": "{SCHEMA}", "version": "2.1.0", "runs": [{{\n"columnKind": "unicodeCodePoints",\n"results": [')

    renders_alone = True

    def fragment(self, result: PostResult) -> list[tuple[str, str, str]]:
        """(rule code, ", image i of n" or "", the result's JSON) for each finding,
        with placeholders for the rule's index and the post's number: a bare
        NaN, which nothing else in the text is (see json_report.NUMBER)."""
        out = []
        for finding, where in located(result):
            image = f", image {finding.image_index} of {len(result.images)}" if finding.image_index else ""
            text = finding.message
            text += suggestion_text(finding)
            location: dict = {"logicalLocations": [{"name": NUMBER, "kind": "object"}]}
            physical = _physical(where)
            if physical:
                location["physicalLocation"] = physical
            entry = {
                "ruleId": finding.code,
                "ruleIndex": NUMBER,
                "level": _LEVEL[finding.level],
                "message": {"text": visible(text)},
                "locations": [location],
            }
            if where.uri:
                entry["properties"] = {"uri": where.uri}
            out.append((finding.code, image, _dumps(entry)))
        return out

    def write_fragment(self, fragment: list[tuple[str, str, str]], more: bool = False) -> None:
        self.number += 1
        if not fragment:
            return
        lines = []
        for code, image, entry in fragment:
            index = self.rule_index.setdefault(code, len(self.rule_index))
            entry = entry.replace('"ruleIndex": NaN', f'"ruleIndex": {index}', 1)
            entry = entry.replace('"name": NaN', f'"name": "post {self.number}{image}"', 1)
            lines.append(("\n" if self.results == 0 else ",\n") + entry)
            self.results += 1
        self.gathered.write("".join(lines))

    def problem(self, problem) -> None:
        note: dict = {"level": "error", "message": {"text": visible(problem.message)}}
        where = Location(path=problem.path, line=problem.line, uri=problem.uri)
        physical = _physical(where)
        if physical:
            note["locations"] = [{"physicalLocation": physical}]
        self.problems.write(("\n" if self.problems.empty else ",\n") + _dumps(note))

    def finish(self, summary) -> None:
        out = self.out
        self.gathered.drain()
        out.write("\n],\n" if self.results else "],\n")
        had = not self.problems.empty
        out.write(f'"invocations": [{{"executionSuccessful": {"false" if had else "true"}, "toolExecutionNotifications": [')
        self.problems.copy_to(out)
        out.write("\n]}],\n" if had else "]}],\n")
        rules = self.options.rules
        entries = [rule_entry(rules[code]) if code in rules else {"id": code} for code in self.rule_index]
        driver = {"name": "altaudit", "version": __version__, "rules": entries}
        out.write(f'"tool": {{"driver": {_dumps(driver)}}}\n}}]}}\n')
