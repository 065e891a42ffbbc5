"""The data every part of altaudit shares: posts, their images, findings and scores.

Inputs build `Post`s, the engine turns each `Image` into `Finding`s, scoring
turns findings into `Score`s and reports render an `AuditResult`. Plain
dataclasses: no behaviour beyond small conveniences.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Level(str, Enum):
    """How serious a finding is; ordered so that `error` ranks highest."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self]


_LEVEL_RANK = {Level.INFO: 0, Level.WARNING: 1, Level.ERROR: 2}


@dataclass
class Source:
    """Where a post or an image came from, so that reports can point back at it."""

    path: str | None = None  # file name as the user gave it; "<stdin>" or "<argument>" for `alt`
    line: int | None = None  # 1-based line in that file, where known
    uri: str | None = None  # at:// URI for records that carry one


@dataclass
class Image:
    """One described medium: an image, a video, a GIF card or a gallery item."""

    index: int  # 1-based position in its post
    alt: str | None  # None: no description field at all; "" : present but empty
    kind: str = "image"  # image | video | gif | gallery
    file: str | None = None  # local file path for drafts
    source: Source = field(default_factory=Source)
    # True when the GIF provider wrote the description ("ALT: " cards), not the author.
    alt_by_provider: bool = False


@dataclass
class Post:
    """A post (or draft) and its described media, in order."""

    text: str
    images: list[Image]
    langs: list[str] = field(default_factory=list)
    source: Source = field(default_factory=Source)


@dataclass
class Span:
    """Character offsets [start, end) into the image's alt text."""

    start: int
    end: int


@dataclass
class Location:
    """Where a finding points in its file: 1-based line and column, or a record's URI."""

    path: str | None = None
    line: int | None = None
    column: int | None = None  # None: the line is known, the column not
    end_line: int | None = None
    end_column: int | None = None  # exclusive
    uri: str | None = None


@dataclass
class Finding:
    """One thing a rule found in an image or a post, with what every report shows."""

    code: str
    level: Level
    message: str
    image_index: int | None = None  # None for findings about the whole post
    span: Span | None = None
    suggestion: str | None = None  # replacement for the span, or advice
    name: str = ""  # the rule's name, e.g. lost-first-letter
    fix: str = ""  # how to fix it, from the rule
    why: str = ""  # why it matters, one sentence
    location: Location | None = None  # None: where the post itself is


@dataclass
class Deduction:
    """Points a rule took off a score."""

    code: str
    points: int


@dataclass
class Score:
    """A score from 0 to 100 and the deductions that explain it."""

    value: int  # 0..100
    deductions: list[Deduction] = field(default_factory=list)


@dataclass
class ImageResult:
    """An image with its findings and score."""

    image: Image
    findings: list[Finding]
    score: Score


@dataclass
class PostResult:
    """A post with its images' results, its own findings and its score."""

    post: Post
    images: list[ImageResult]
    findings: list[Finding]  # post-level findings (image_index None)
    score: Score | None  # None when the post has no images

    def all_findings(self) -> list[Finding]:
        out = list(self.findings)
        for image in self.images:
            out.extend(image.findings)
        return out


@dataclass
class AuditResult:
    """Everything one run found, post by post."""

    posts: list[PostResult]

    def all_findings(self) -> list[Finding]:
        return [f for post in self.posts for f in post.all_findings()]
