"""The JSON report (`--format json`): a stable, documented shape for tools and CI.

The shape is given by auditor/schemas/report.schema.json and described in
docs/report-format.md. `schema_version` changes only when a field is removed
or changes meaning; new fields may appear at any time.
"""

from __future__ import annotations

import json

from .. import __version__
from ..model import AuditResult, Finding, Image, Level, Score, Source
from ..rulebook import Rule
from .common import counts_by_level, failed, mean_image_score

SCHEMA_VERSION = 1


def _source(source: Source) -> dict:
    return {"path": source.path, "line": source.line, "uri": source.uri}


def _score(score: Score | None) -> dict | None:
    if score is None:
        return None
    return {"value": score.value, "deductions": [{"code": d.code, "points": d.points} for d in score.deductions]}


def _finding(finding: Finding, post_number: int, source: Source, image: Image | None, total: int, rules: dict[str, Rule]) -> dict:
    rule = rules.get(finding.code)
    span = None
    if finding.span is not None and image is not None:
        alt = image.alt or ""
        span = {"start": finding.span.start, "end": finding.span.end, "text": alt[finding.span.start : finding.span.end]}
    return {
        "code": finding.code,
        "rule": rule.name if rule else None,
        "level": finding.level.value,
        "message": finding.message,
        "post": post_number,
        "source": _source(image.source if image else source),
        "image": finding.image_index,
        "images_in_post": total,
        "span": span,
        "suggestion": finding.suggestion,
        "fix": rule.fix if rule else None,
        "why": rule.why_short if rule else None,
    }


def build(result: AuditResult, rules: dict[str, Rule], fail_on: Level) -> dict:
    posts = []
    findings = []
    for number, post in enumerate(result.posts, start=1):
        total = len(post.images)
        by_index = {image.image.index: image.image for image in post.images}
        for finding in post.findings:
            findings.append(_finding(finding, number, post.post.source, None, total, rules))
        images = []
        for image in post.images:
            for finding in image.findings:
                findings.append(_finding(finding, number, post.post.source, by_index[image.image.index], total, rules))
            images.append(
                {
                    "index": image.image.index,
                    "kind": image.image.kind,
                    "file": image.image.file,
                    "source": _source(image.image.source),
                    "alt": image.image.alt,
                    "alt_by_provider": image.image.alt_by_provider,
                    "score": _score(image.score),
                    "findings": len(image.findings),
                }
            )
        posts.append(
            {
                "post": number,
                "source": _source(post.post.source),
                "text": post.post.text,
                "langs": post.post.langs,
                "score": _score(post.score),
                "images": images,
            }
        )
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "altaudit", "version": __version__},
        "summary": {
            "posts": len(result.posts),
            "posts_with_images": sum(1 for p in result.posts if p.images),
            "images": sum(len(p.images) for p in result.posts),
            "findings": counts_by_level(result.all_findings()),
            "mean_image_score": mean_image_score(result),
            "fail_on": fail_on.value,
            "failed": failed(result, fail_on),
        },
        "posts": posts,
        "findings": findings,
    }


def render(result: AuditResult, rules: dict[str, Rule], fail_on: Level) -> str:
    # ensure_ascii keeps control characters and escapes from other people's
    # descriptions as \u escapes in the output.
    return json.dumps(build(result, rules, fail_on), ensure_ascii=True, indent=2)
