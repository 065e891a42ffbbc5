"""What a whole audit adds up to, accumulated post by post as results stream.

A `Summary` never keeps the list of results: it counts (posts, images,
described images, findings by level and by rule, problems), sums scores into
a distribution, and keeps the worst few posts in a bounded heap. Sections add
more of the same kind (e.g. the share of described images by month for an
account): any object with `add(result)`, `title`, `rows()` and `to_dict()`.
"""

from __future__ import annotations

import heapq
from collections import Counter
from typing import TYPE_CHECKING, Iterable, Protocol

from .model import Level, PostResult

if TYPE_CHECKING:
    from .model import InputProblem

LEVELS = (Level.ERROR, Level.WARNING, Level.INFO)
_LEVEL_OF = {level.value: level for level in Level}


class Section(Protocol):
    """An optional part of the summary, fed every post result."""

    key: str  # its name in the JSON summary, e.g. "described_by_month"
    title: str  # its heading in text reports

    def add(self, result: PostResult) -> None: ...

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) rows for text reports, in order."""
        ...

    def to_dict(self) -> object: ...


def digest(result: PostResult) -> tuple:
    """What `Summary` counts of one post, small and picklable: the findings'
    (level's value, code) in order, each image's (described, score) and the
    post's score. Levels as their strings: a worker's digests unpickle here
    in about half the time of `Level` members (each one an enum call)."""
    findings = [(f.level.value, f.code) for f in result.findings]
    images = []
    for image in result.images:
        alt = image.image.alt
        images.append((bool(alt and not alt.isspace()), image.score.value))
        findings.extend([(f.level.value, f.code) for f in image.findings])
    return findings, images, None if result.score is None else result.score.value


def tally(digests: list[tuple]) -> tuple:
    """What `Summary.add_digests(digests)` adds, added up where the posts were
    audited (a worker): the counts, findings by level and by rule, each rule's
    level, and the (score, place in the run) of each post that may be among
    the worst, as two arrays (cheap to pickle). `Summary.add_tally` adds it."""
    from array import array

    levels: dict[str, int] = {}
    by_code: dict[str, int] = {}
    rule_levels: dict[str, str] = {}
    histogram = [0] * 11
    scores, places = array("q"), array("q")
    with_images = with_findings = images = described = total = 0
    for place, (findings, post_images, score) in enumerate(digests):
        if post_images:
            with_images += 1
            for seen, value in post_images:
                images += 1
                described += seen
                total += value
                histogram[min(value // 10, 10)] += 1
        if findings:
            for level, code in findings:
                levels[level] = levels.get(level, 0) + 1
                by_code[code] = by_code.get(code, 0) + 1
                rule_levels[code] = level
            with_findings += 1
            if score is not None:
                scores.append(score)
                places.append(place)
    counts = (len(digests), with_images, with_findings, images, described, total)
    return counts, histogram, levels, by_code, rule_levels, scores, places


class Summary:
    """Counts, score distribution and worst posts of one audit."""

    def __init__(self, fail_on: Level = Level.ERROR, worst: int = 10, sections: Iterable[Section] = ()):
        self.fail_on = fail_on
        self.posts = 0  # every post read, with images or not
        self.posts_with_images = 0
        self.posts_with_findings = 0
        self.images = 0
        self.described = 0  # images whose description is not blank
        self.findings = {level.value: 0 for level in LEVELS}
        self.by_code: Counter[str] = Counter()
        self.rule_levels: dict[str, Level] = {}
        self.score_total = 0
        self.scores = [0] * 11  # image scores by tens: 0-9, 10-19, ..., 90-99, 100
        self.problems = 0
        # Records that are not posts (likes, follows...), by type; inputs count them.
        self.not_posts: Counter[str] = Counter()
        self.skipped_files: list[str] = []  # Markdown without front matter, named by the user
        self.sections = list(sections)
        self._worst_size = worst
        self._worst: list[tuple[int, int, PostResult]] = []  # max-heap of (-score, -order, result)

    # -- accumulating --------------------------------------------------------

    def add(self, result: PostResult) -> None:
        self.add_digest(digest(result), result)

    def add_digest(self, digested: tuple, result: PostResult | None = None) -> None:
        """Count a post from its `digest` (made where it was audited, maybe a
        worker process). `result` is kept among the worst posts; sections need it."""
        findings, images, score = digested
        self.posts += 1
        if images:
            self.posts_with_images += 1
        for described, value in images:
            self.images += 1
            self.described += described
            self.score_total += value
            self.scores[min(value // 10, 10)] += 1
        for level, code in findings:
            self.findings[level] += 1
            self.by_code[code] += 1
            self.rule_levels[code] = _LEVEL_OF[level]
        if findings:
            self.posts_with_findings += 1
            if score is not None and self._worst_size > 0:
                entry = (-score, -self.posts, result)
                if len(self._worst) < self._worst_size:
                    heapq.heappush(self._worst, entry)
                elif entry[:2] > self._worst[0][:2]:  # lower score, or as low and earlier
                    heapq.heapreplace(self._worst, entry)
        if self.sections:
            if result is None:
                raise ValueError("the summary's sections need each post's result, not only its digest")
            for section in self.sections:
                section.add(result)

    def add_digests(self, digests: list[tuple]) -> None:
        """`add_digest(d)` for each of consecutive posts' digests (a worker's run)."""
        self.add_tally(tally(digests))

    def add_tally(self, tallied: tuple) -> None:
        """`add_digests(digests)` from their `tally(digests)`: the same counts, order and worst posts."""
        if self.sections:
            raise ValueError("the summary's sections need each post's result, not only its digest")
        counts, histogram, levels, by_code, rule_levels, scores, places = tallied
        posts, with_images, with_findings, images, described, total = counts
        before = self.posts
        self.posts += posts
        self.posts_with_images += with_images
        self.posts_with_findings += with_findings
        self.images += images
        self.described += described
        self.score_total += total
        self.scores = [a + b for a, b in zip(self.scores, histogram)]
        for level, count in levels.items():
            self.findings[level] += count
        self.by_code.update(by_code)  # a Counter: counts added
        for code, level in rule_levels.items():
            self.rule_levels[code] = _LEVEL_OF[level]
        worst, worst_size = self._worst, self._worst_size
        if worst_size > 0:
            for score, place in zip(scores, places):
                entry = (-score, -(before + place + 1), None)
                if len(worst) < worst_size:
                    heapq.heappush(worst, entry)
                elif entry[:2] > worst[0][:2]:  # lower score, or as low and earlier
                    heapq.heapreplace(worst, entry)

    def add_problem(self, problem: InputProblem) -> None:
        self.problems += 1

    # -- reading -------------------------------------------------------------

    @property
    def finding_count(self) -> int:
        return sum(self.findings.values())

    @property
    def failed(self) -> bool:
        """Whether a finding reached the --fail-on level."""
        return any(count and level.rank >= self.fail_on.rank for level, count in zip(LEVELS, self.findings.values()))

    @property
    def mean_image_score(self) -> float | None:
        return round(self.score_total / self.images, 1) if self.images else None

    @property
    def described_share(self) -> float | None:
        """Share of images with a description, 0..1."""
        return round(self.described / self.images, 4) if self.images else None

    def worst_posts(self) -> list[PostResult]:
        """The lowest-scoring posts with findings, worst first (ties: input order)."""
        return [entry[2] for entry in sorted(self._worst, key=lambda e: (-e[0], -e[1]))]

    def codes_by_level(self) -> list[str]:
        """Rule codes found, most serious level first, then by code."""
        return sorted(self.by_code, key=lambda code: (-self.rule_levels[code].rank, code))

    def score_distribution(self) -> dict[str, int]:
        labels = [f"{low}-{low + 9}" for low in range(0, 100, 10)] + ["100"]
        return dict(zip(labels, self.scores))

    def to_dict(self) -> dict:
        """The summary as the JSON reports give it (see schemas/report.schema.json)."""
        out = {
            "posts": self.posts,
            "posts_with_images": self.posts_with_images,
            "posts_with_findings": self.posts_with_findings,
            "images": self.images,
            "described_images": self.described,
            "described_share": self.described_share,
            "findings": dict(self.findings),
            "findings_by_rule": {code: self.by_code[code] for code in self.codes_by_level()},
            "mean_image_score": self.mean_image_score,
            "score_distribution": self.score_distribution(),
            "problems": self.problems,
            "not_posts": sum(self.not_posts.values()),
            "fail_on": self.fail_on.value,
            "failed": self.failed,
        }
        for section in self.sections:
            out[section.key] = section.to_dict()
        return out


class DescribedByMonth:
    """Share of images described, by the month a post was created (posts that
    carry `created_at`, an ISO date string such as 2025-01-31T10:00:00Z)."""

    key = "described_by_month"
    title = "Described images by month"

    def __init__(self) -> None:
        self.months: dict[str, list[int]] = {}  # "2025-01" -> [described, images]

    def add(self, result: PostResult) -> None:
        created = getattr(result.post, "created_at", None)
        if not created or not result.images or len(created) < 7:
            return
        counts = self.months.setdefault(created[:7], [0, 0])
        for image in result.images:
            counts[1] += 1
            if image.image.alt and not image.image.alt.isspace():
                counts[0] += 1

    def rows(self) -> list[tuple[str, str]]:
        return [
            (month, f"{described}/{images} ({described / images:.0%})")
            for month, (described, images) in sorted(self.months.items())
        ]

    def to_dict(self) -> dict:
        return {
            month: {"described": described, "images": images, "share": round(described / images, 4)}
            for month, (described, images) in sorted(self.months.items())
        }
