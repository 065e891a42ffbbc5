"""Deliberate exceptions: findings silenced by the draft or by the configuration.

Two ways to silence a finding, applied after every rule has run (so that no
check needs to know about them) and before the scores are counted:

- in a draft, for one description, with the reason written beside it:

      [[images]]
      file = "images/logo.png"
      alt = "The Qwrtz logo: the word Qwrtz in green capitals."
      ignore = ["T401"]
      ignore-reason = "Qwrtz is the brand's own spelling"

- in the configuration, for every draft whose path matches a pattern:

      [tool.altaudit.per-path-ignores]
      "drafts/legacy/*" = ["L203"]

Codes may be prefixes ("T4"), as in `ignore`. A draft's `ignore` entry that
silences nothing in this run (the words were fixed, or the code is mistyped)
is reported by rule A199, so exceptions do not outlive their reason. An
entry whose rule was not selected in this run cannot be judged and is left alone.
"""

from __future__ import annotations

from dataclasses import replace
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

from .checks import Hit
from .model import Finding, Location, Post, PostResult
from .scoring import score_image, score_post

UNUSED_CODE = "A199"


def wanted(post: Post, settings) -> bool:
    """Whether this post has anything to suppress (a cheap test before `apply`)."""
    return bool(settings.per_path_ignores) or any(image.ignore for image in post.images)


def path_codes(path: str | None, settings) -> tuple[str, ...]:
    """The codes `per-path-ignores` silences for a file."""
    if not path or not settings.per_path_ignores:
        return ()
    names = {PurePosixPath(Path(path).as_posix()).as_posix().removeprefix("./")}
    if settings.path:  # patterns are relative to the configuration file's folder
        try:
            names.add(Path(path).resolve().relative_to(Path(settings.path).resolve().parent).as_posix())
        except ValueError:
            pass
    codes: list[str] = []
    for pattern, silenced in settings.per_path_ignores.items():
        if any(fnmatchcase(name, pattern) or fnmatchcase(name, pattern.rstrip("/") + "/*") for name in names):
            codes.extend(silenced)
    return tuple(codes)


def _matches(code: str, prefix: str) -> bool:
    return code.startswith(prefix)


def apply(result: PostResult, engine) -> PostResult:
    """`result` without the silenced findings, with A199 findings for unused
    draft entries and scores counted again."""
    by_path = path_codes(result.post.source.path, engine.settings)
    selected = [rule.code for rule in engine.rules]
    unused_rule = next((rule for rule in engine.rules if rule.code == UNUSED_CODE), None)

    def keep(finding: Finding, extra: tuple[str, ...] = ()) -> bool:
        return not any(_matches(finding.code, p) for p in by_path + extra)

    images = []
    for image_result in result.images:
        image = image_result.image
        entries = tuple(image.ignore)
        used = set()
        kept = []
        for finding in image_result.findings:
            hit = [entry for entry in entries if _matches(finding.code, entry)]
            used.update(hit)
            if not hit and keep(finding):
                kept.append(finding)
        if unused_rule is not None:
            for entry in entries:
                if entry in used or entry == UNUSED_CODE:
                    continue
                known = [code for code in selected if _matches(code, entry)]
                if not known and _names_a_rule(entry):
                    continue  # the rule exists but did not run: nothing to judge
                why = "no selected rule has this code" if not known else "no finding of it on this description"
                finding = engine._finding(unused_rule, Hit(fields={"code": entry, "why": why}), image)
                finding.location = _entry_location(image, entry) or finding.location
                if not any(_matches(UNUSED_CODE, e) for e in entries) and keep(finding):
                    kept.append(finding)
        images.append(replace(image_result, findings=kept, score=score_image(kept, engine.rules, engine.settings, image.alt)))
    post_level = [f for f in result.findings if keep(f)]
    score = score_post(images, post_level, engine.rules, engine.settings) if images else None
    return replace(result, images=images, findings=post_level, score=score)


def _names_a_rule(entry: str) -> bool:
    from .rulebook import all_rules

    return any(rule.code.startswith(entry) for rule in all_rules())


def _entry_location(image, entry: str) -> Location | None:
    """Where the `ignore` entry naming `entry` is written in the draft (A199 points
    there, not at the description): the quoted code in the `ignore` array of the
    image's table. None where the draft gives no positions or the entry is not found."""
    import re

    where = image.positions
    path = image.source.path
    if where is None or not path:
        return None
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    start, end = where.literal
    # The image's table: from its header (the last `[` line before the alt) to the next header.
    header = max(text.rfind("\n[", 0, start), 0)
    following = re.compile(r"\n[ \t]*(?:\[|\+\+\+)").search(text, end)
    stop = following.start() if following else len(text)
    arrays = list(re.compile(r"(?m)(?:^|[,{])[ \t]*ignore[ \t]*=[ \t]*\[").finditer(text, header, stop))
    if not arrays:
        return None
    array = min(arrays, key=lambda match: abs(match.start() - start))  # inline tables: the nearest
    quoted = re.compile(r"""(["'])(%s)\1""" % re.escape(entry), re.IGNORECASE)
    closing = text.find("]", array.end())
    found = quoted.search(text, array.end(), closing if closing != -1 else stop)
    if found is None:
        return None
    line, column = where.line_col(found.start())
    end_line, end_column = where.line_col(found.end())
    return Location(path=image.source.path, line=line, column=column, end_line=end_line, end_column=end_column, uri=image.source.uri)
