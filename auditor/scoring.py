"""Scores: every image and every post gets 0 to 100, with the deductions that explain it.

An image starts at 100 and loses, for each rule that found something in it,
that rule's penalty once (the rule's own `penalty`, else the configured
points for its level: error 40, warning 15, info 5), however many times the
rule fired. A missing or placeholder description costs all 100 points.
A post's score is the mean of its images' scores, less the penalties of
findings about the post as a whole. Scores never go below 0.
"""

from __future__ import annotations

from typing import Iterable

from .config import Settings
from .model import Deduction, Finding, ImageResult, Score
from .rulebook import Rule


def _penalty(finding: Finding, rules_by_code: dict[str, Rule], settings: Settings) -> int:
    rule = rules_by_code.get(finding.code)
    if rule is not None and rule.penalty is not None:
        return rule.penalty
    return settings.penalties[finding.level]


def _deductions(findings: Iterable[Finding], rules: list[Rule], settings: Settings) -> list[Deduction]:
    if not findings:
        return []
    by_code = {rule.code: rule for rule in rules}
    worst: dict[str, int] = {}
    for finding in findings:
        points = _penalty(finding, by_code, settings)
        worst[finding.code] = max(points, worst.get(finding.code, 0))
    return [Deduction(code, points) for code, points in sorted(worst.items()) if points]


def score_image(findings: list[Finding], rules: list[Rule], settings: Settings) -> Score:
    deductions = _deductions(findings, rules, settings)
    return Score(max(0, 100 - sum(d.points for d in deductions)), deductions)


def score_post(
    images: list[ImageResult], post_findings: list[Finding], rules: list[Rule], settings: Settings
) -> Score:
    mean = sum(result.score.value for result in images) / len(images)
    deductions = _deductions(post_findings, rules, settings)
    return Score(max(0, round(mean) - sum(d.points for d in deductions)), deductions)
