"""Facts every report format needs: where a post came from, how findings count."""

from __future__ import annotations

from typing import Iterator

from ..model import AuditResult, Finding, Level, PostResult, Source


def location(source: Source) -> str:
    """`path:line`, else the URI, else a word for where the text came from."""
    if source.path:
        return source.path + (f":{source.line}" if source.line else "")
    return source.uri or "<input>"


def counts_by_level(findings: list[Finding]) -> dict[str, int]:
    counts = {level.value: 0 for level in (Level.ERROR, Level.WARNING, Level.INFO)}
    for finding in findings:
        counts[finding.level.value] += 1
    return counts


def failed(result: AuditResult, fail_on: Level) -> bool:
    return any(f.level.rank >= fail_on.rank for f in result.all_findings())


def mean_image_score(result: AuditResult) -> float | None:
    scores = [image.score.value for post in result.posts for image in post.images]
    return round(sum(scores) / len(scores), 1) if scores else None


def located_findings(result: AuditResult) -> Iterator[tuple[int, PostResult, Finding, Source]]:
    """Every finding with its post's 1-based number, the post, and where it points:
    the image's source for image findings, the post's for post findings."""
    for number, post in enumerate(result.posts, start=1):
        for finding in post.findings:
            yield number, post, finding, post.post.source
        for image in post.images:
            for finding in image.findings:
                yield number, post, finding, image.image.source
