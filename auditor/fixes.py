"""Safe fixes: the rewrites of a draft's descriptions that cannot change what they say.

`altaudit check --fix` applies them to the draft files; `--diff` prints them
as a unified diff and writes nothing. Only these rules' suggestions are
applied, because only they restore what the author meant to type:

- T402 lost first letter, when the restored word is one of the rule's usual
  openings of a description ("igure 2" → "Figure 2", "mage of" → "Image of"):
  a guess from the dictionary alone ("ogs" → "Dogs"? "Hogs"?) stays a suggestion;
- T403 a doubled word ("the the" → "the");
- W301 a redundant "image of" opening (the next letter capitalised when the
  description started with a capital);
- T404 a missing space after a full stop;
- W307 invisible characters, removed.

The draft file is edited in place of the offending characters only, through
the map from alt-text offsets to file offsets (inputs/toml_positions.py):
everything else, other escapes and the string's quoting included, stays byte
for byte as it was. A replacement is written in the string's own form
(escaped inside "..." strings); one a '...' literal string cannot hold is
left as a suggestion. Fixes that overlap are applied one pass after the
other (the first by position first), until a pass changes nothing. The new text is read back and must decode to the fixed
descriptions before it replaces the file, atomically (temporary file and
rename), so that an interrupted run leaves the old draft whole.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .model import Finding, Image

SAFE_RULES = ("T402", "T403", "W301", "T404", "W307")


@dataclass
class Edit:
    """Replace alt[start:end] of one image with `text`, for the finding `finding`."""

    image: Image
    start: int
    end: int
    text: str
    finding: Finding


@dataclass
class DraftFix:
    """The safe fixes of one draft: its text before and after, and what they fix."""

    path: str
    before: str
    after: str
    fixed: list[Finding] = field(default_factory=list)

    def diff(self) -> str:
        lines = difflib.unified_diff(
            self.before.splitlines(keepends=True),
            self.after.splitlines(keepends=True),
            fromfile=f"a/{self.path}",
            tofile=f"b/{self.path}",
        )
        out = []
        for line in lines:
            out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
        return "".join(out)


def _opening_letter(image: Image, finding: Finding, rule) -> bool:
    """T402's evidence is strong when the restored word is a usual opening."""
    openers = {w.lower() for w in (rule.options.get("openers", ()) if rule else ())}
    word = (finding.suggestion or "").split(" ")[0].lower()
    return word in openers


def edits_for(image: Image, findings: list[Finding], rules: dict) -> list[Edit]:
    """The safe, non-overlapping edits for one image's findings, in order."""
    alt = image.alt or ""
    edits: list[Edit] = []
    for finding in findings:
        if finding.code not in SAFE_RULES or finding.span is None or finding.suggestion is None:
            continue
        start, end, text = finding.span.start, finding.span.end, finding.suggestion
        if finding.code == "T402" and not _opening_letter(image, finding, rules.get("T402")):
            continue
        if finding.code == "W301" and not alt[:start].strip():
            # "Image of a dog" → "A dog": keep the capital the description opened with.
            after = alt[end : end + 1]
            if alt[start : start + 1].isupper() and after.islower():
                end, text = end + 1, text + after.upper()
        edits.append(Edit(image, start, end, text, finding))
    edits.sort(key=lambda e: (e.start, e.end))
    chosen: list[Edit] = []
    for edit in edits:
        if chosen and edit.start < chosen[-1].end:
            continue  # overlaps one already chosen: applied once
        chosen.append(edit)
    if chosen and not _expected(alt, chosen).strip():
        return []  # "Image of" alone: deleting it would leave no description at all
    return chosen


def _trim(old: str, new: str, start: int) -> tuple[int, int, str]:
    """The smallest change from `old` (at alt offset `start`) to `new`: only the
    characters that differ are rewritten, so escapes around them keep their form."""
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    return start + prefix, start + len(old) - suffix, new[prefix : len(new) - suffix]


def _written(text: str, quote: str, multi: bool) -> str | None:
    """`text` as it must be written inside the string literal; None if it cannot be."""
    if quote == "'":
        if "'" in text or any((ord(c) < 0x20 and c != "\t" and not (multi and c == "\n")) or c == "\x7f" for c in text):
            return None
        return text
    out = []
    for c in text:
        if c == '"' or c == "\\":
            out.append("\\" + c)
        elif c == "\n" and multi:
            out.append(c)
        elif (ord(c) < 0x20 and c != "\t") or c == "\x7f":
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return "".join(out)


def _expected(alt: str, edits: list[Edit]) -> str:
    for edit in reversed(edits):
        alt = alt[: edit.start] + edit.text + alt[edit.end :]
    return alt


FIX_PASSES = 5  # overlapping fixes wait for the next pass; a few passes reach a fixed point


def fix_draft(path: str, engine) -> DraftFix | None:
    """The safe fixes of the draft at `path` (None when it has none). Nothing is written.

    Fixes that overlap wait for another pass over the fixed text; passes go on
    until one changes nothing (at most FIX_PASSES), so one --fix does it all."""
    try:
        data = Path(path).read_bytes()
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None  # the audit itself reports an unreadable draft
    after, fixed = text, []
    for _ in range(FIX_PASSES):
        step = _fix_pass(after, path, engine)
        if step is None:
            break
        after, more = step
        fixed += more
    return DraftFix(path, text, after, fixed) if fixed else None


def _fix_pass(text: str, path: str, engine) -> tuple[str, list[Finding]] | None:
    """One pass: the text with every non-overlapping safe fix applied, and what they fix."""
    from .inputs.drafts import parse_draft

    post = parse_draft(text, path)
    result = engine.audit_post(post)
    rules = {rule.code: rule for rule in engine.rules}
    replacements: list[tuple[int, int, str]] = []
    fixed: list[Finding] = []
    expected: dict[int, str] = {}
    for image_result in result.images:
        image = image_result.image
        where = image.positions
        if where is None:
            continue
        edits = edits_for(image, image_result.findings, rules)
        applied = []
        literal_start = where.literal[0]
        quote = text[literal_start]
        multi = text.startswith(quote * 3, literal_start)
        for edit in edits:
            old = (image.alt or "")[edit.start : edit.end]
            if old == edit.text:
                continue
            start, end, new = _trim(old, edit.text, edit.start)
            written = _written(new, quote, multi)
            if written is None:
                continue
            a, b = where.file_span(start, end)
            replacements.append((a, b, written))
            applied.append(edit)
            fixed.append(edit.finding)
        if applied:
            expected[image.index] = _expected(image.alt or "", applied)
    if not replacements:
        return None
    after = text
    for a, b, written in sorted(replacements, reverse=True):
        after = after[:a] + written + after[b:]
    # Read the new text back: each fixed description must decode as intended.
    check = parse_draft(after, path)
    for image in check.images:
        if image.index in expected and image.alt != expected[image.index]:
            raise InputError(f"images[{image.index}]: the fixed description would not read back as intended; fix it by hand", path=path)
    return after, fixed


# What a terminal acts on: C0 controls but tab and newline, DEL, C1 controls, and a
# carriage return that does not end a line (a CRLF draft's line ends stay).
_TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")


def patch_safe(diff: str) -> str:
    """A diff that cannot act on the terminal yet still applies with `patch`:
    only terminal controls become escapes (a line holding one then no longer
    applies, but such a line is not valid TOML to begin with). Tabs, invisible
    characters and bidi controls are written as they are, as `git diff` does,
    so that the patch removes exactly the characters a W307 fix removes."""
    return _TERMINAL_CONTROLS.sub(lambda match: f"\\x{ord(match.group()):02x}", diff)


def fix_paths(paths: list[str], engine, write: bool, out, note, problem=None) -> int:
    """`--fix` (write) or `--diff` (print to `out`) for every draft under `paths`;
    the number of findings fixed. Records have no file to fix. Input problems go
    to `problem` when given (--diff, which no audit follows); else they are left
    for the audit that follows to report."""
    from .inputs.discover import iter_items
    from .model import InputProblem, Post

    fixed = files = 0
    for item in iter_items(paths):
        if isinstance(item, InputProblem) and problem is not None:
            problem(item)
            continue
        if not isinstance(item, Post) or not any(image.positions is not None for image in item.images):
            continue
        found = fix_draft(item.source.path, engine)
        if found is None:
            continue
        if write:
            write_fix(found)
        else:
            out.write(patch_safe(found.diff()))  # a description's control characters stay inert
        fixed += len(found.fixed)
        files += 1
    if write and fixed:
        note(f"fixed {fixed} finding{'s' if fixed != 1 else ''} in {files} draft{'s' if files != 1 else ''}")
    return fixed


def write_fix(fix: DraftFix) -> None:
    """Replace the draft with its fixed text atomically, unless it changed since it was read."""
    from .baseline import write_atomically

    try:
        current = Path(fix.path).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        current = None
    if current != fix.before:
        raise InputError("the draft changed while it was being fixed; run again", path=fix.path)
    write_atomically(fix.path, fix.after.encode("utf-8"))
