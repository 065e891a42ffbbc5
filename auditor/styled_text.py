"""Styled text without rich's console: what the terminal report is built from.

The report is a list of lines, each an indent and a `StyledText` (a string, a
style for all of it and styled spans, as rich's `Text` holds them). On a
terminal, or with colour forced, each becomes a rich `Text` (`to_rich`) and
rich renders it. Where no style can show (a pipe, a file, pre-commit's
captured output) `render_plain` writes the same characters rich would, without
importing `rich.console` (about 40 ms of a 200 ms run): the same word
wrapping, the same folding of long words, tab stops, and padding of indented
lines. A text whose every character takes one cell (`NARROW_RANGES`: Latin, Greek,
Cyrillic, punctuation, arrows, maths; what reports are made of) is measured
and wrapped here; any other (CJK, emoji, combining marks) with rich's own
`divide_line` and cell widths (importing those and rich's width table costs
about 20 M instructions, 6 % of a run on one draft).
tests/test_terminal_report.py renders texts and reports both ways and compares
the bytes.
"""

from __future__ import annotations

import os
import re
from typing import Iterable

# What rich's Text drops from any string it is given (rich.control.STRIP_CONTROL_CODES).
_STRIP_CONTROL = dict.fromkeys((7, 8, 11, 12, 13))
_WHITESPACE_END = re.compile(r"\s+$")
_WORD = re.compile(r"\s*\S+\s*")
TAB_SIZE = 8  # rich's default tab stops
# Characters whose width depends on their neighbours (a zero-width joiner, an
# emoji variation selector): rich adds widths piece by piece between styles,
# so a text holding one is left to rich to render.
_CONTEXTUAL = ("\u200d", "\ufe0f")
# Characters one cell wide in every Unicode version rich knows (a test checks
# each against rich's tables), besides the newlines and tabs wrapping handles.
NARROW_RANGES = (
    (0x20, 0x7E),  # ASCII
    (0xA0, 0xAC),  # Latin-1 (not the soft hyphen)
    (0xAE, 0x2FF),  # Latin-1, Latin Extended, IPA, spacing modifiers
    (0x370, 0x482),  # Greek, Cyrillic
    (0x2010, 0x2027),  # dashes, quotes, bullets, ellipsis
    (0x2030, 0x205E),  # per mille, primes, more punctuation
    (0x2190, 0x22FF),  # arrows, mathematical operators (the minus sign, ∅)
    (0x23CE, 0x23CE),  # ⏎, a newline folded into a line
    (0x2500, 0x25FC),  # box drawing, blocks, shapes
)
_NARROW = re.compile(r"[\t\n" + "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in NARROW_RANGES) + "]*")


def _is_narrow(text: str) -> bool:
    """Every character one cell wide (or a tab or newline), by our table: rich
    reads UNICODE_VERSION for its widths, so with that set rich measures."""
    return _NARROW.fullmatch(text) is not None and "UNICODE_VERSION" not in os.environ


class StyledText:
    """A string with a style for the whole (`style`) and styled spans, built as
    rich's `Text` is built: `StyledText("fix: ", style="green").append(...)`."""

    __slots__ = ("_parts", "_length", "style", "spans")

    def __init__(self, text: str = "", style: str = ""):
        text = text.translate(_STRIP_CONTROL)
        self._parts = [text]
        self._length = len(text)
        self.style = style
        self.spans: list[tuple[int, int, str]] = []

    @property
    def plain(self) -> str:
        if len(self._parts) != 1:
            self._parts = ["".join(self._parts)]
        return self._parts[0]

    def __len__(self) -> int:
        return self._length

    def append(self, text: str, style: str | None = None) -> StyledText:
        """Add a string, with a style of its own on top of the whole's."""
        if text:
            text = text.translate(_STRIP_CONTROL)
            if style:
                self.spans.append((self._length, self._length + len(text), style))
            self._parts.append(text)
            self._length += len(text)
        return self

    def join(self, texts: Iterable[StyledText]) -> StyledText:
        """The texts with this one between each two (as rich's `Text.join`)."""
        joined = StyledText(style=self.style)
        separator = self if self._length else None
        offset = 0
        for number, text in enumerate(texts):
            pieces = (separator, text) if number and separator is not None else (text,)
            for piece in pieces:
                joined._parts.append(piece.plain)
                if piece.style:
                    joined.spans.append((offset, offset + len(piece), piece.style))
                joined.spans.extend((offset + start, offset + end, style) for start, end, style in piece.spans)
                offset += len(piece)
        joined._length = offset
        return joined

    def to_rich(self):
        """The same text as a rich `Text` (imports rich.text)."""
        from rich.text import Span, Text

        return Text(self.plain, style=self.style, spans=[Span(*span) for span in self.spans])


def _divide_narrow(line: str, width: int) -> list[int]:
    """Where rich's `divide_line` (fold overflow) breaks a line of one-cell
    characters: before each word (its spaces go with it) that would pass the
    width; a word longer than the width starts a line of its own and is cut
    into pieces of the width."""
    breaks: list[int] = []
    used = 0
    for word in _WORD.finditer(line):
        start, end = word.span()
        shown = len(word.group().rstrip())  # trailing spaces may pass the edge
        if width - used >= shown:
            used += end - start
        elif shown > width:
            breaks.extend(range(start, end, width) if start else range(width, end, width))
            used = (end - start) % width or width
        elif used and start:
            breaks.append(start)
            used = end - start
    return breaks


def _expand_tabs(line: str, cell_len) -> str:
    """Tabs to spaces up to the next stop, as rich's `Text.expand_tabs` does."""
    parts = line.split("\t")
    expanded = []
    position = 0
    for part in parts[:-1]:
        part += " "
        position += cell_len(part)
        remainder = position % TAB_SIZE
        if remainder:
            part += " " * (TAB_SIZE - remainder)
            position += TAB_SIZE - remainder
        expanded.append(part)
    expanded.append(parts[-1])
    return "".join(expanded)


def _crop(text: str, width: int) -> str:
    return text[:width]


def _narrow_cell_len(text: str) -> int:
    return len(text) - text.count("\t")  # rich counts a tab as no cell


def wrap(plain: str, width: int) -> list[str]:
    """The lines rich's `Text.wrap` makes of `plain` at `width` cells (fold
    overflow, default justification), as strings."""
    if _is_narrow(plain):
        divide, cell_len, set_cell_size = _divide_narrow, len, _crop
    else:
        from rich._wrap import divide_line
        from rich.cells import cell_len, set_cell_size

        def divide(line: str, width: int) -> list[int]:
            return divide_line(line, width, fold=True)

    lines = []
    for line in plain.split("\n"):
        if "\t" in line:
            line = _expand_tabs(line, cell_len)
        offsets = divide(line, width)
        bounds = [0, *offsets, len(line)]
        for start, end in zip(bounds, bounds[1:]):
            piece = line[start:end]
            if len(piece) > width:  # rich's rstrip_end: whitespace beyond the width (code points)
                space = _WHITESPACE_END.search(piece)
                if space is not None:
                    piece = piece[: len(piece) - min(len(space.group()), len(piece) - width)]
            if cell_len(piece) > width:  # rich's truncate with fold overflow
                piece = set_cell_size(piece, width)
            lines.append(piece)
    return lines


def render_plain(lines: Iterable[tuple[int, StyledText]], width: int) -> str:
    """What a rich console `width` columns wide that is no terminal prints for
    `Group(*(Padding(text, (0, 0, 0, indent), expand=False) if indent else text))`:
    an indented text is wrapped at its widest line or the width left, whichever
    is less, and padded with spaces to it (as rich pads; trim them after)."""
    out: list[str] = []
    for indent, text in lines:
        plain = text.plain
        if any(char in plain for char in _CONTEXTUAL):
            out.append(_render_with_rich(indent, text, width))
        elif not indent:
            out.extend(line + "\n" for line in wrap(plain, width))
        else:
            if _is_narrow(plain):
                cell_len = _narrow_cell_len
            else:
                from rich.cells import cell_len
            # Padding(expand=False) measures the text: its widest line (rich splits
            # with str.splitlines here), at most the console's width.
            widest = min(max((cell_len(line) for line in plain.splitlines()), default=0), width)
            inner = min(widest + indent, width) - indent
            if inner < 1:
                continue  # rich renders nothing into no width, not even a line end
            margin = " " * indent
            out.extend(f"{margin}{line}{' ' * (inner - cell_len(line))}\n" for line in wrap(plain, inner))
    return "".join(out)


def _render_with_rich(indent: int, text: StyledText, width: int) -> str:
    import io

    from rich.console import Console
    from rich.padding import Padding

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=False, color_system=None, highlight=False, markup=False, emoji=False)
    rich_text = text.to_rich()
    console.print(Padding(rich_text, (0, 0, 0, indent), expand=False) if indent else rich_text)
    return buffer.getvalue()
