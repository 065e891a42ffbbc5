"""Generic pattern machinery: a rule lists regular expressions, each match is a finding.

Options a rule may set:
- patterns: regular expressions (Python `re` syntax);
- words: whole words or phrases, matched case-insensitively;
- replace: a replacement template (`\\1` groups allowed) offered as the suggestion;
- exceptions: matched texts (lower-cased, or group 1 where the pattern has one)
  that are not findings;
- at_start: only match at the start of the description;
- unless: regular expressions; when one matches anywhere in the description,
  the rule finds nothing in it;
- only_non_ascii / only_unprintable: the patterns can only match such
  characters, so descriptions without any are not searched;
- requires: strings of which the description must hold at least one for the
  patterns to be tried at all (a cheap test that spares compiling and running
  them: no "#", no hashtag);
- requires_pattern: a regular expression that must match somewhere for the
  patterns to be tried: a fast scan for what every match must hold (T404's
  pattern, tried at every letter, costs twenty times its test for ".T");
- doubled_words: the patterns only match a word written twice with spaces
  between (T403): ASCII text in which no two neighbouring runs of letters and
  digits are the same is not searched (a third of the pattern's cost).
"""

from __future__ import annotations

import re
from operator import eq
from typing import Iterable, NamedTuple

from . import Hit


class Prepared(NamedTuple):
    """A pattern rule's options, compiled once per run."""

    pattern: re.Pattern
    exceptions: frozenset
    replacement: str | None
    unless: tuple
    at_start: bool
    required: re.Pattern | None


def prepared(options: dict, code: str = "?") -> Prepared:
    """The rule's options compiled; callers keep it with `ctx.memo`."""
    parts = list(options.get("patterns", ()))
    words = options.get("words", ())
    if words:
        alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        parts.append(rf"(?i)\b(?:{alternation})\b")
    if not parts:
        raise ValueError(f"rule {code}: a pattern rule needs patterns or words")
    return Prepared(
        # Inline flags must lead each alternative; wrap every part in its own group.
        pattern=re.compile("|".join(_scoped(p) for p in parts)),
        exceptions=frozenset(e.lower() for e in options.get("exceptions", ())),
        replacement=options.get("replace"),
        unless=tuple(re.compile(p) for p in options.get("unless", ())),
        at_start=bool(options.get("at_start")),
        required=re.compile(options["requires_pattern"]) if options.get("requires_pattern") else None,
    )


def _scoped(part: str) -> str:
    match = re.match(r"\(\?([aiLmsux]+)\)", part)
    if match:
        return f"(?{match.group(1)}:{part[match.end():]})"
    return f"(?:{part})"


def _cannot_match(text: str, options: dict) -> bool:
    """Cheap tests that spare compiling and running a rule's patterns."""
    required = options.get("requires")
    if required:
        for marker in required:  # a loop, not any(): run for every description
            if marker in text:
                break
        else:
            return True
    if options.get("only_non_ascii") and text.isascii():
        return True
    if options.get("only_unprintable") and text.replace("\n", " ").replace("\t", " ").isprintable():
        return True
    if options.get("doubled_words") and text.isascii() and not _neighbours_repeat(text):
        return True
    return False


_TO_RUNS: bytes | None = None  # ASCII letters and digits as they are, lower-cased; all else a space


def _neighbours_repeat(text: str) -> bool:
    """Whether two neighbouring runs of letters and digits of an ASCII text are
    the same, ignoring case. A doubled word ("the the") is two such runs with
    spaces between: a word that follows a space and ends at one is a whole run."""
    global _TO_RUNS
    if _TO_RUNS is None:
        _TO_RUNS = bytes((c if chr(c).isalnum() else 32) if c < 128 else 32 for c in range(256)).lower()
    runs = text.encode("ascii").translate(_TO_RUNS).split()
    return any(map(eq, runs, runs[1:]))


def gate(options: dict):
    """The engine's cheap test before check() (Gate): `requires`, only_non_ascii."""
    from . import Gate

    required = options.get("requires")
    return Gate(requires=tuple(required) if required else None, non_ascii=bool(options.get("only_non_ascii")))


def check(ctx) -> Iterable[Hit]:
    text = ctx.alt
    if _cannot_match(text, ctx.options):
        return
    rule = ctx.memo("pattern", lambda options: prepared(options, ctx.rule.code))
    if rule.required is not None and rule.required.search(text) is None:
        return
    if rule.unless and any(p.search(text) for p in rule.unless):
        return
    for match in rule.pattern.finditer(text):
        if match.end() == match.start():
            continue
        if rule.at_start and text[: match.start()].strip():
            continue
        if rule.exceptions:
            key = (match.group(1) if match.re.groups and match.group(1) else match.group()).lower()
            if key in rule.exceptions:
                continue
        suggestion = match.expand(rule.replacement) if rule.replacement is not None else None
        yield Hit(span=(match.start(), match.end()), suggestion=suggestion)
