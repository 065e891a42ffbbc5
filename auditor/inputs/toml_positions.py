"""Where each character of a draft's descriptions sits in the file.

tomllib gives the decoded `alt` strings but not where they came from. This
module scans the front matter's TOML lexically (tables, keys, values; no
types beyond strings, arrays and inline tables) and, for every `alt` string,
records the file offsets each decoded character was written at: an escape
such as `\\u00e9` or `\\n` is one character written as several, a
line-ending backslash in a `\"\"\"` string is written but decodes to nothing,
and the newline right after an opening `\"\"\"` or `'''` is dropped.

drafts.py compares each decoded string with tomllib's value and only keeps a
map that agrees, so a construct this scanner reads differently loses its
precise location rather than gaining a wrong one.

Offsets index the decoded file text (a `str`); lines are 1-based and split
at `\\n` only, columns are 1-based and count Unicode code points.
"""

from __future__ import annotations

from bisect import bisect_right

_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}
_BARE_KEY = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_SCALAR_END = frozenset(",]}#\n")


class AltPositions:
    """One description's characters mapped to their places in the file text."""

    __slots__ = ("text", "starts", "ends", "literal", "content_start", "_line_starts")

    def __init__(self, text, starts, ends, literal, content_start, line_starts):
        self.text: str = text  # what the string decodes to
        self.starts: list[int] = starts  # file offset where character i is written
        self.ends: list[int] = ends  # file offset just after character i
        self.literal: tuple[int, int] = literal  # [start, end) of the whole literal, quotes included
        self.content_start: int = content_start  # just inside the opening quotes
        self._line_starts: list[int] = line_starts

    def offset(self, index: int) -> int:
        """File offset of the character at `index`; the closing quote for `index == len(text)`."""
        if index < len(self.starts):
            return self.starts[index]
        return self.ends[-1] if self.ends else self.content_start

    def end_offset(self, end: int) -> int:
        """File offset just after the character before `end` (an exclusive span end)."""
        if end <= 0:
            return self.offset(0)
        return self.ends[min(end, len(self.ends)) - 1]

    def position(self, index: int) -> tuple[int, int]:
        """(line, column) of the character at `index`, both 1-based."""
        return self.line_col(self.offset(index))

    def end_position(self, end: int) -> tuple[int, int]:
        """(line, column) just after the span ending at `end` (exclusive), as SARIF's endColumn."""
        return self.line_col(self.end_offset(end))

    def file_span(self, start: int, end: int) -> tuple[int, int]:
        """The file offsets [a, b) that hold the decoded characters [start, end)."""
        if start >= end:
            point = self.offset(start)
            return point, point
        return self.starts[start], self.ends[end - 1]

    def line_col(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1


class _Scanner:
    def __init__(self, text: str, start: int, stop: int, line_starts: list[int]):
        self.s = text
        self.i = start
        self.stop = stop
        self.line_starts = line_starts

    # -- low-level -------------------------------------------------------
    def fail(self) -> None:
        raise ValueError(f"unexpected TOML at offset {self.i}")

    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.s[j] if j < self.stop else ""

    def skip_blank(self, newlines: bool) -> None:
        """Spaces, tabs and comments; newlines too when `newlines`."""
        s = self.s
        while self.i < self.stop:
            c = s[self.i]
            if c in " \t" or (newlines and c in "\r\n"):
                self.i += 1
            elif c == "#":
                while self.i < self.stop and s[self.i] != "\n":
                    self.i += 1
            else:
                return

    # -- keys ----------------------------------------------------------------
    def key(self) -> tuple[str, ...]:
        parts = []
        while True:
            self.skip_blank(False)
            c = self.peek()
            if c == '"' or c == "'":
                parts.append(self.string().text)
            else:
                begin = self.i
                while self.peek() and self.peek() in _BARE_KEY:
                    self.i += 1
                if self.i == begin:
                    self.fail()
                parts.append(self.s[begin : self.i])
            self.skip_blank(False)
            if self.peek() != ".":
                return tuple(parts)
            self.i += 1

    # -- values --------------------------------------------------------------
    def value(self):
        """An AltPositions for a string, a list for an array, a dict for an inline table, else None."""
        c = self.peek()
        if c == '"' or c == "'":
            return self.string()
        if c == "[":
            self.i += 1
            items = []
            while True:
                self.skip_blank(True)
                if self.peek() == "]":
                    self.i += 1
                    return items
                items.append(self.value())
                self.skip_blank(True)
                if self.peek() == ",":
                    self.i += 1
                elif self.peek() != "]":
                    self.fail()
        if c == "{":
            self.i += 1
            table: dict = {}
            while True:
                self.skip_blank(False)
                if self.peek() == "}":
                    self.i += 1
                    return table
                key = self.key()
                if self.peek() != "=":
                    self.fail()
                self.i += 1
                self.skip_blank(False)
                table[key] = self.value()
                self.skip_blank(False)
                if self.peek() == ",":
                    self.i += 1
                elif self.peek() != "}":
                    self.fail()
        # Numbers, booleans, dates: up to the next delimiter.
        begin = self.i
        while self.i < self.stop and self.s[self.i] not in _SCALAR_END:
            self.i += 1
        if self.i == begin:
            self.fail()
        return None

    def string(self) -> AltPositions:
        s = self.s
        begin = self.i
        quote = s[begin]
        multi = s.startswith(quote * 3, begin)
        self.i += 3 if multi else 1
        if multi:  # a newline right after the opening quotes is not part of the string
            if s.startswith("\r\n", self.i):
                self.i += 2
            elif s.startswith("\n", self.i):
                self.i += 1
        content_start = self.i
        out: list[str] = []
        starts: list[int] = []
        ends: list[int] = []

        def emit(char: str, a: int, b: int) -> None:
            out.append(char)
            starts.append(a)
            ends.append(b)

        while True:
            if self.i >= self.stop:
                self.fail()
            c = s[self.i]
            if c == quote:
                if not multi:
                    self.i += 1
                    break
                if s.startswith(quote * 3, self.i):
                    run = 3
                    while run < 5 and self.i + run < self.stop and s[self.i + run] == quote:
                        run += 1
                    for k in range(run - 3):  # up to two quotes just before the closing three belong to the text
                        emit(quote, self.i + k, self.i + k + 1)
                    self.i += run
                    break
                emit(c, self.i, self.i + 1)
                self.i += 1
            elif c == "\\" and quote == '"':
                self.escape(multi, emit)
            elif c == "\r" and s.startswith("\r\n", self.i):
                if not multi:
                    self.fail()
                emit("\n", self.i, self.i + 2)  # drafts read CRLF files as LF
                self.i += 2
            elif c == "\n" and not multi:
                self.fail()
            else:
                emit(c, self.i, self.i + 1)
                self.i += 1
        return AltPositions("".join(out), starts, ends, (begin, self.i), content_start, self.line_starts)

    def escape(self, multi: bool, emit) -> None:
        s = self.s
        at = self.i
        c = s[at + 1] if at + 1 < self.stop else ""
        if c in _ESCAPES:
            emit(_ESCAPES[c], at, at + 2)
            self.i = at + 2
        elif c in ("u", "U"):
            width = 4 if c == "u" else 8
            digits = s[at + 2 : at + 2 + width]
            if len(digits) != width:
                self.fail()
            emit(chr(int(digits, 16)), at, at + 2 + width)
            self.i = at + 2 + width
        elif multi and c in " \t\r\n":
            # Line-ending backslash: it and all whitespace up to the next text vanish.
            j = at + 1
            while j < self.stop and s[j] in " \t":
                j += 1
            if j >= self.stop or s[j] not in "\r\n":
                self.fail()
            while j < self.stop and s[j] in " \t\r\n":
                j += 1
            self.i = j
        else:
            self.fail()


def line_starts(text: str) -> list[int]:
    starts = [0]
    find = text.find
    at = find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = find("\n", at + 1)
    return starts


def alt_positions(text: str) -> dict[int, AltPositions]:
    """The `alt` strings of a draft's images, by 1-based image number.

    `text` is the whole draft as decoded from the file (BOM and CRLF kept).
    Images written in a form this scanner does not follow are left out;
    a front matter it cannot scan at all gives {}.
    """
    starts = line_starts(text)
    first = 1 if text.startswith("\ufeff") else 0
    # The front matter: from the end of the opening fence line to the start of the closing one.
    if len(starts) < 2 or text[first : starts[1]].strip() != "+++":
        return {}
    close = None
    for number in range(1, len(starts)):
        end = starts[number + 1] if number + 1 < len(starts) else len(text)
        if text[starts[number] : end].strip() == "+++":
            close = starts[number]
            break
    if close is None:
        return {}
    scanner = _Scanner(text, starts[1], close, starts)
    found: dict[int, AltPositions] = {}
    images = 0
    in_image = False
    try:
        while True:
            scanner.skip_blank(True)
            if scanner.i >= scanner.stop:
                return found
            if scanner.peek() == "[":
                array = scanner.peek(1) == "["
                scanner.i += 2 if array else 1
                name = scanner.key()
                scanner.i += 2 if array else 1
                in_image = array and name == ("images",)
                images += in_image
                continue
            key = scanner.key()
            if scanner.peek() != "=":
                scanner.fail()
            scanner.i += 1
            scanner.skip_blank(False)
            value = scanner.value()
            if in_image and key == ("alt",) and isinstance(value, AltPositions):
                found[images] = value
            elif images == 0 and key == ("images",) and isinstance(value, list):
                # images = [{ file = "...", alt = "..." }, ...]
                for number, item in enumerate(value, start=1):
                    if isinstance(item, dict) and isinstance(item.get(("alt",)), AltPositions):
                        found[number] = item[("alt",)]
    except (ValueError, IndexError):
        return found
