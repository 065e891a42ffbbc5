"""What an account report adds to the summary (auditor/summary.py sections):
the share of images described by month (summary.DescribedByMonth), how the
image scores spread, and the worst posts with their bsky.app links."""

from __future__ import annotations

import heapq

from ..model import PostResult
from ..summary import DescribedByMonth
from .uris import app_link, rkey_of

BAR_WIDTH = 30


class ScoreDistribution:
    """How many images scored 0-9, 10-19, ..., 90-99 and 100."""

    key = "score_distribution_by_tens"
    title = "Image scores"

    def __init__(self) -> None:
        self.counts = [0] * 11

    def add(self, result: PostResult) -> None:
        for image in result.images:
            self.counts[min(image.score.value // 10, 10)] += 1

    def _labels(self) -> list[str]:
        return [f"{low:>2}-{low + 9}" for low in range(0, 100, 10)] + ["  100"]

    def rows(self) -> list[tuple[str, str]]:
        total = sum(self.counts)
        if not total:
            return []
        most = max(self.counts)
        return [
            (label, f"{'█' * round(BAR_WIDTH * count / most):<{BAR_WIDTH}} {count}")
            for label, count in zip(self._labels(), self.counts)
        ]

    def to_dict(self) -> dict:
        return {label.strip(): count for label, count in zip(self._labels(), self.counts)}


class WorstPostLinks:
    """The lowest-scoring posts with findings, as links to their pages on bsky.app."""

    key = "worst_posts"
    title = "Worst posts on bsky.app"

    def __init__(self, handle_or_did: str, size: int = 10) -> None:
        self.name = handle_or_did
        self.size = size
        self.order = 0
        self._heap: list[tuple[int, int, str, int]] = []  # (-score, -order, uri, findings)

    def add(self, result: PostResult) -> None:
        self.order += 1
        uri = result.post.source.uri
        findings = len(result.all_findings())
        if result.score is None or not uri or not findings or self.size <= 0:
            return
        entry = (-result.score.value, -self.order, uri, findings)
        if len(self._heap) < self.size:
            heapq.heappush(self._heap, entry)
        elif entry[:2] > self._heap[0][:2]:
            heapq.heapreplace(self._heap, entry)

    def worst(self) -> list[tuple[int, str, str, int]]:
        """(score, uri, link, findings), worst first."""
        ordered = sorted(self._heap, key=lambda e: (-e[0], -e[1]))
        return [(-score, uri, app_link(self.name, rkey_of(uri)), found) for score, _o, uri, found in ordered]

    def rows(self) -> list[tuple[str, str]]:
        return [(f"{score:>3}/100", f"{link}  ({found} finding{'s' if found != 1 else ''})") for score, _uri, link, found in self.worst()]

    def to_dict(self) -> list[dict]:
        return [{"score": score, "uri": uri, "url": link, "findings": found} for score, uri, link, found in self.worst()]


def account_sections(handle_or_did: str, worst: int = 10) -> list:
    return [DescribedByMonth(), ScoreDistribution(), WorstPostLinks(handle_or_did, worst)]
