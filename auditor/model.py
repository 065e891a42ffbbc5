"""The data every part of altaudit shares: posts, their images, findings and scores.

Inputs build `Post`s, the engine turns each `Image` into `Finding`s, scoring
turns findings into `Score`s and reports render an `AuditResult`. Plain
dataclasses: no behaviour beyond small conveniences.

Each class is a dataclass (`dataclasses.fields`, `replace` and `asdict` work
as ever) whose `__init__` is written out here and whose `__eq__` and
`__repr__` come from `Fields`: `@dataclass` would compile the source of
three methods for each class as the module loads, about 25 M instructions
(6 %) of a pre-commit run on one draft. tests/test_model.py holds every
`__init__` to its class's fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import Enum
from reprlib import recursive_repr

# What @dataclass makes below: fields only (eq=False leaves `Fields.__eq__` in force).
record = dataclass(init=False, repr=False, eq=False)


class _Fresh:
    """The default of a field whose value is made anew for each instance
    (`field(default_factory=...)`); shown as dataclasses shows one."""

    def __repr__(self) -> str:
        return "<factory>"


FRESH = _Fresh()


class Level(str, Enum):
    """How serious a finding is; ordered so that `error` ranks highest."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self]


_LEVEL_RANK = {Level.INFO: 0, Level.WARNING: 1, Level.ERROR: 2}


class Fields:
    """`__eq__` and `__repr__` as @dataclass writes them, shared by every class:
    equal when of the same class with equal compared fields (as tuples), and
    `Name(field=value, ...)` of the fields shown."""

    __slots__ = ()
    _compared: dict[type, tuple[str, ...]] = {}
    _shown: dict[type, tuple[str, ...]] = {}

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        names = self._compared.get(self.__class__) or self._names(self._compared, "compare")
        return tuple(getattr(self, name) for name in names) == tuple(getattr(other, name) for name in names)

    __hash__ = None  # as @dataclass leaves a mutable class: equal by value, so not hashable

    @recursive_repr()
    def __repr__(self) -> str:
        names = self._shown.get(self.__class__) or self._names(self._shown, "repr")
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__qualname__}({shown})"

    @classmethod
    def _names(cls, table: dict, flag: str) -> tuple[str, ...]:
        return table.setdefault(cls, tuple(f.name for f in fields(cls) if getattr(f, flag)))


@record
class Source(Fields):
    """Where a post or an image came from, so that reports can point back at it."""

    path: str | None = None  # file name as the user gave it; "<stdin>" or "<argument>" for `alt`
    line: int | None = None  # 1-based line in that file, where known
    uri: str | None = None  # at:// URI for records that carry one

    def __init__(self, path: str | None = None, line: int | None = None, uri: str | None = None):
        self.path = path
        self.line = line
        self.uri = uri


@record
class Image(Fields):
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

    def __init__(
        self,
        index: int,
        alt: str | None,
        kind: str = "image",
        file: str | None = None,
        blob: str | bytes | None = None,
        source: Source = FRESH,
        alt_by_provider: bool = False,
        seen: SeenText | None = None,
        ignore: tuple[str, ...] = (),
        ignore_reason: str | None = None,
        positions: object | None = None,
    ):
        self.index = index
        self.alt = alt
        self.kind = kind
        self.file = file
        self.blob = blob
        self.source = Source() if source is FRESH else source
        self.alt_by_provider = alt_by_provider
        self.seen = seen
        self.ignore = ignore
        self.ignore_reason = ignore_reason
        self.positions = positions

    def position(self, offset: int) -> tuple[int, int] | None:
        """1-based (line, column) in the draft file of the alt text's character at `offset`."""
        return self.positions.position(offset) if self.positions is not None else None

    def end_position(self, end: int) -> tuple[int, int] | None:
        """1-based (line, column) just after a span of the alt text that ends at `end` (exclusive)."""
        return self.positions.end_position(end) if self.positions is not None else None


@record
class TextLine(Fields):
    """One line of text read from an image, with the engine's confidence (0..1)
    and its box (left, top, right, bottom) in the image's own pixels."""

    text: str
    confidence: float
    box: tuple[int, int, int, int]

    def __init__(self, text: str, confidence: float, box: tuple[int, int, int, int]):
        self.text = text
        self.confidence = confidence
        self.box = box

    @property
    def height(self) -> int:
        return self.box[3] - self.box[1]


@record
class SeenText(Fields):
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

    def __init__(
        self,
        lines: list[TextLine],
        engine: str,
        seconds: float,
        width: int = 0,
        height: int = 0,
        problem: str | None = None,
        cached: bool = False,
    ):
        self.lines = lines
        self.engine = engine
        self.seconds = seconds
        self.width = width
        self.height = height
        self.problem = problem
        self.cached = cached

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@record
class Post(Fields):
    """A post (or draft) and its described media, in order."""

    text: str
    images: list[Image]
    langs: list[str] = field(default_factory=list)
    source: Source = field(default_factory=Source)
    # The record's createdAt (an ISO date string, as the author's client wrote it), where known.
    created_at: str | None = None

    def __init__(
        self,
        text: str,
        images: list[Image],
        langs: list[str] = FRESH,
        source: Source = FRESH,
        created_at: str | None = None,
    ):
        self.text = text
        self.images = images
        self.langs = [] if langs is FRESH else langs
        self.source = Source() if source is FRESH else source
        self.created_at = created_at


@record
class InputProblem(Fields):
    """A record or file that could not be read: named, skipped, and the audit goes on.

    Streams of inputs yield `Post | InputProblem`; reports list the problems and
    the exit status is 2 when there is one. `message` says why, without the place.
    """

    path: str | None
    line: int | None
    message: str
    uri: str | None = None

    def __init__(self, path: str | None, line: int | None, message: str, uri: str | None = None):
        self.path = path
        self.line = line
        self.message = message
        self.uri = uri

    def one_line(self) -> str:
        """``path:line: message`` (the URI when there is no path), as the CLI prints it."""
        where = self.path or self.uri
        if where:
            where += f":{self.line}" if self.line else ""
            return f"{where}: {self.message}"
        return self.message


@record
class Span(Fields):
    """Character offsets [start, end) into the image's alt text."""

    start: int
    end: int

    def __init__(self, start: int, end: int):
        self.start = start
        self.end = end


@record
class Location(Fields):
    """Where a finding points in its file: 1-based line and column, or a record's URI."""

    path: str | None = None
    line: int | None = None
    column: int | None = None  # None: the line is known, the column not
    end_line: int | None = None
    end_column: int | None = None  # exclusive
    uri: str | None = None

    def __init__(
        self,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        end_line: int | None = None,
        end_column: int | None = None,
        uri: str | None = None,
    ):
        self.path = path
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column
        self.uri = uri


@record
class Finding(Fields):
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

    def __init__(
        self,
        code: str,
        level: Level,
        message: str,
        image_index: int | None = None,
        span: Span | None = None,
        suggestion: str | None = None,
        name: str = "",
        fix: str = "",
        why: str = "",
        location: Location | None = None,
    ):
        self.code = code
        self.level = level
        self.message = message
        self.image_index = image_index
        self.span = span
        self.suggestion = suggestion
        self.name = name
        self.fix = fix
        self.why = why
        self.location = location


@record
class Deduction(Fields):
    """Points a score gained or lost, and why (scoring.py).

    In `Score.deductions`: points taken off by a rule (`code` is the rule's code)
    or by missing detail (`code` names it, e.g. "chart-values"). In
    `Score.credits`: points a description earned (`code` "length", "detail", ...).
    """

    code: str
    points: int
    note: str = ""  # in words: "12 words", "3 specific words: 1990, Leeds, red"

    def __init__(self, code: str, points: int, note: str = ""):
        self.code = code
        self.points = points
        self.note = note


@record
class Score(Fields):
    """A score from 0 to 100: the credits a description earned less the deductions.

    value = min(100, max(0, sum of credits - sum of deductions)).
    """

    value: int  # 0..100
    deductions: list[Deduction] = field(default_factory=list)
    credits: list[Deduction] = field(default_factory=list)

    def __init__(self, value: int, deductions: list[Deduction] = FRESH, credits: list[Deduction] = FRESH):
        self.value = value
        self.deductions = [] if deductions is FRESH else deductions
        self.credits = [] if credits is FRESH else credits


@record
class ImageResult(Fields):
    """An image with its findings and score."""

    image: Image
    findings: list[Finding]
    score: Score

    def __init__(self, image: Image, findings: list[Finding], score: Score):
        self.image = image
        self.findings = findings
        self.score = score


@record
class PostResult(Fields):
    """A post with its images' results, its own findings and its score."""

    post: Post
    images: list[ImageResult]
    findings: list[Finding]  # post-level findings (image_index None)
    score: Score | None  # None when the post has no images

    def __init__(self, post: Post, images: list[ImageResult], findings: list[Finding], score: Score | None):
        self.post = post
        self.images = images
        self.findings = findings
        self.score = score

    def all_findings(self) -> list[Finding]:
        out = list(self.findings)
        for image in self.images:
            out.extend(image.findings)
        return out


@record
class AuditResult(Fields):
    """Everything one run found, post by post."""

    posts: list[PostResult]

    def __init__(self, posts: list[PostResult]):
        self.posts = posts

    def all_findings(self) -> list[Finding]:
        return [f for post in self.posts for f in post.all_findings()]
