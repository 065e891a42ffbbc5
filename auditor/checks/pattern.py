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
- requires: strings of which the description must hold at least one for the
  patterns to be tried at all (a cheap test that spares compiling and running
  them: no "#", no hashtag).
"""

from __future__ import annotations

import re
from typing import Iterable

from . import Hit


def compiled(ctx) -> re.Pattern:
    key = ("pattern", ctx.rule.code, id(ctx.rule.options))
    pattern = ctx.shared.get(key)
    if pattern is None:
        options = ctx.options
        parts = list(options.get("patterns", ()))
        words = options.get("words", ())
        if words:
            alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
            parts.append(rf"(?i)\b(?:{alternation})\b")
        if not parts:
            raise ValueError(f"rule {ctx.rule.code}: a pattern rule needs patterns or words")
        # Inline flags must lead each alternative; wrap every part in its own group.
        pattern = re.compile("|".join(_scoped(p) for p in parts))
        ctx.shared[key] = pattern
    return pattern


def _scoped(part: str) -> str:
    match = re.match(r"\(\?([aiLmsux]+)\)", part)
    if match:
        return f"(?{match.group(1)}:{part[match.end():]})"
    return f"(?:{part})"


def check(ctx) -> Iterable[Hit]:
    text = ctx.alt
    options = ctx.options
    required = options.get("requires")
    if required and not any(marker in text for marker in required):
        return
    if any(re.search(p, text) for p in options.get("unless", ())):
        return
    exceptions = {e.lower() for e in options.get("exceptions", ())}
    replacement = options.get("replace")
    pattern = compiled(ctx)
    for match in pattern.finditer(text):
        if match.end() == match.start():
            continue
        if options.get("at_start") and text[: match.start()].strip():
            continue
        key = (match.group(1) if match.re.groups and match.group(1) else match.group()).lower()
        if key in exceptions:
            continue
        suggestion = match.expand(replacement) if replacement is not None else None
        yield Hit(span=(match.start(), match.end()), suggestion=suggestion)
