"""SARIF 2.1.0, the format GitHub code scanning and many CI dashboards read."""

from __future__ import annotations

import json

from .. import __version__
from ..model import AuditResult, Level
from ..rulebook import Rule
from .common import located_findings

_LEVEL = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "note"}


def _rule_entry(rule: Rule) -> dict:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": " ".join(rule.docs.what.split())},
        "help": {"text": f"{' '.join(rule.docs.why.split())}\n\nFix: {rule.fix}"},
        "defaultConfiguration": {"level": _LEVEL[rule.level]},
    }


def build(result: AuditResult, rules: dict[str, Rule]) -> dict:
    results = []
    for number, post, finding, source in located_findings(result):
        where = f"post {number}" + (f", image {finding.image_index} of {len(post.images)}" if finding.image_index else "")
        entry = {
            "ruleId": finding.code,
            "level": _LEVEL[finding.level],
            "message": {"text": finding.message + (f" (suggestion: {finding.suggestion})" if finding.suggestion else "")},
            "locations": [{"logicalLocations": [{"name": where, "kind": "object"}]}],
        }
        if source.path and not source.path.startswith("<"):
            region = {"startLine": source.line} if source.line else {}
            entry["locations"][0]["physicalLocation"] = {"artifactLocation": {"uri": source.path}, "region": region} if region else {"artifactLocation": {"uri": source.path}}
        if source.uri:
            entry["properties"] = {"uri": source.uri}
        results.append(entry)
    used = sorted({r["ruleId"] for r in results})
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "altaudit",
                        "version": __version__,
                        "rules": [_rule_entry(rules[code]) for code in used if code in rules],
                    }
                },
                "results": results,
            }
        ],
    }


def render(result: AuditResult, rules: dict[str, Rule]) -> str:
    return json.dumps(build(result, rules), ensure_ascii=True, indent=2)
