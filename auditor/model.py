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
    blob: str | bytes | None = None  # records: the CID of the image's blob on its PDS, text or bytes (images/blobs.py)
    source: Source = field(default_factory=Source)
    # True when the GIF provider wrote the description ("ALT: " cards), not the author.
    alt_by_provider: bool = False
    # The text read from the image (auditor/images), set before the checks run;
    # None where the image was not read. Image checks yield nothing without it.
    seen: SeenText | None = field(default=None, repr=False, compare=False)
    # Drafts: rule codes (or prefixes) silenced for this description, and why.
    ignore: tuple[str, ...] = ()
    ignore_reason: str | None = None
    # Drafts: where each character of `alt` is written in the file
    # (inputs/toml_positions.AltPositions); None where unknown.
    positions: object | None = field(default=None, repr=False, compare=False)

    def position(self, offset: int) -> tuple[int, int] | None:
        """1-based (line, column) in the draft file of the alt text's character at `offset`."""
        return self.positions.position(offset) if self.positions is not None else None

    def end_position(self, end: int) -> tuple[int, int] | None:
        """1-based (line, column) just after a span of the alt text that ends at `end` (exclusive)."""
        return self.positions.end_position(end) if self.positions is not None else None


@dataclass
class TextLine:
    """One line of text read from an image, with the engine's confidence (0..1)
    and its box (left, top, right, bottom) in the image's own pixels."""

    text: str
    confidence: float
    box: tuple[int, int, int, int]

    @property
    def height(self) -> int:
        return self.box[3] - self.box[1]


@dataclass
class SeenText:
    """What reading one image found: its lines, which engine read it and how long it took.

    `problem` is a one-line note when the image could not be read (truncated,
    corrupt, not an image); its lines are then empty and no image rule judges it.
    """

    lines: list[TextLine]
    engine: str  # e.g. "rapidocr 3.10.0"
    seconds: float  # time the reading took (0 when it came from the cache)
    width: int = 0  # the image's size, after its EXIF orientation
    height: int = 0
    problem: str | None = None
    cached: bool = False

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass
class Post:
    """A post (or draft) and its described media, in order."""

    text: str
    images: list[Image]
    langs: list[str] = field(default_factory=list)
    source: Source = field(default_factory=Source)
    # The record's createdAt (an ISO date string, as the author's client wrote it), where known.
    created_at: str | None = None


@dataclass
class InputProblem:
    """A record or file that could not be read: named, skipped, and the audit goes on.

    Streams of inputs yield `Post | InputProblem`; reports list the problems and
    the exit status is 2 when there is one. `message` says why, without the place.
    """

    path: str | None
    line: int | None
    message: str
    uri: str | None = None

    def one_line(self) -> str:
        """``path:line: message`` (the URI when there is no path), as the CLI prints it."""
        where = self.path or self.uri
        if where:
            where += f":{self.line}" if self.line else ""
            return f"{where}: {self.message}"
        return self.message


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
    """Points a score gained or lost, and why (scoring.py).

    In `Score.deductions`: points taken off by a rule (`code` is the rule's code)
    or by missing detail (`code` names it, e.g. "chart-values"). In
    `Score.credits`: points a description earned (`code` "length", "detail", ...).
    """

    code: str
    points: int
    note: str = ""  # in words: "12 words", "3 specific words: 1990, Leeds, red"


@dataclass
class Score:
    """A score from 0 to 100: the credits a description earned less the deductions.

    value = min(100, max(0, sum of credits - sum of deductions)).
    """

    value: int  # 0..100
    deductions: list[Deduction] = field(default_factory=list)
    credits: list[Deduction] = field(default_factory=list)


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
