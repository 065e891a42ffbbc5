"""Loading rule definitions from the TOML files in rules/.

Each file holds one rule: its code, name, level, the check that runs it, its
messages, its options (word lists, patterns, thresholds) and its documentation
in fixed sections. Code lives in auditor/checks/ and only where a rule needs
machinery beyond its data.
"""

from __future__ import annotations

import marshal
import os
import zlib
from dataclasses import field
from functools import lru_cache
from pathlib import Path

from .model import FRESH, Level, Fields, record
from .resources import rules_root

REQUIRED_KEYS = ("code", "name", "level", "check", "title", "message", "fix", "docs")
DOC_SECTIONS = ("what", "why", "fails", "passes")
SCOPES = ("image", "post")


# Dataclasses with __init__ written out, as in model.py (which says why).
@record
class RuleDocs(Fields):
    """A rule's documentation in its fixed sections, with its examples."""

    what: str  # what it checks
    why: str  # why it matters
    fails: tuple[str, ...]  # descriptions that must be flagged
    passes: tuple[str, ...]  # descriptions that must pass
    # Post text for the examples, where the rule looks at the whole post.
    post_text: str = ""
    # For post-scope rules: each example is a list of descriptions, one per image.
    fails_post: tuple[tuple[str, ...], ...] = ()
    passes_post: tuple[tuple[str, ...], ...] = ()
    # Configuration the examples assume, as in [tool.altaudit] (e.g. brands).
    config: dict = field(default_factory=dict)
    # Fields of the failing examples' image beyond its alt (e.g. alt_by_provider).
    fails_image: dict = field(default_factory=dict)
    # The same for the passing examples, where the rule needs to see the image
    # (image rules: `seen`, the lines read from it).
    passes_image: dict = field(default_factory=dict)

    def __init__(
        self,
        what: str,
        why: str,
        fails: tuple[str, ...],
        passes: tuple[str, ...],
        post_text: str = "",
        fails_post: tuple[tuple[str, ...], ...] = (),
        passes_post: tuple[tuple[str, ...], ...] = (),
        config: dict = FRESH,
        fails_image: dict = FRESH,
        passes_image: dict = FRESH,
    ):
        self.what = what
        self.why = why
        self.fails = fails
        self.passes = passes
        self.post_text = post_text
        self.fails_post = fails_post
        self.passes_post = passes_post
        self.config = {} if config is FRESH else config
        self.fails_image = {} if fails_image is FRESH else fails_image
        self.passes_image = {} if passes_image is FRESH else passes_image


@record
class Rule(Fields):
    """One rule as its file defines it (and as configuration adjusts it)."""

    code: str
    name: str
    level: Level
    check: str  # name of the check in auditor.checks.CHECKS
    scope: str  # "image": runs on each described image; "post": once per post
    title: str  # one line, used in tables
    message: str  # what is wrong; may hold {placeholders} filled by the check
    fix: str  # how to fix it, shown when the finding has no specific suggestion
    docs: RuleDocs
    options: dict = field(default_factory=dict)
    penalty: int | None = None  # score points; None: the level's default
    # Codes of rules whose findings on the same words this rule's findings replace.
    supersedes: tuple[str, ...] = ()
    file: str = ""

    def __init__(
        self,
        code: str,
        name: str,
        level: Level,
        check: str,
        scope: str,
        title: str,
        message: str,
        fix: str,
        docs: RuleDocs,
        options: dict = FRESH,
        penalty: int | None = None,
        supersedes: tuple[str, ...] = (),
        file: str = "",
    ):
        self.code = code
        self.name = name
        self.level = level
        self.check = check
        self.scope = scope
        self.title = title
        self.message = message
        self.fix = fix
        self.docs = docs
        self.options = {} if options is FRESH else options
        self.penalty = penalty
        self.supersedes = supersedes
        self.file = file

    @property
    def why_short(self) -> str:
        """First sentence of the 'why it matters' section, for reports."""
        text = " ".join(self.docs.why.split())
        end = text.find(". ")
        return text if end < 0 else text[: end + 1]


def _as_tuple(value) -> tuple:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _repeated(spec: dict | None) -> tuple[str, ...]:
    """An example too long to write out: `{ text = "…", times = N }`."""
    return (spec["text"] * int(spec["times"]),) if spec else ()


def rule_from_data(data: dict, file: str) -> Rule:
    missing = [key for key in REQUIRED_KEYS if key not in data]
    if missing:
        raise ValueError(f"{file}: rule lacks {', '.join(missing)}")
    docs = data["docs"]
    lacking = [s for s in DOC_SECTIONS if s not in docs and f"{s}_post" not in docs]
    if lacking:
        raise ValueError(f"{file}: docs lack {', '.join(lacking)}")
    scope = data.get("scope", "image")
    if scope not in SCOPES:
        raise ValueError(f"{file}: scope must be one of {SCOPES}")
    return Rule(
        code=data["code"],
        name=data["name"],
        level=Level(data["level"]),
        check=data["check"],
        scope=scope,
        title=data["title"],
        message=data["message"],
        fix=data["fix"],
        docs=RuleDocs(
            what=docs.get("what", "").strip(),
            why=docs.get("why", "").strip(),
            fails=_as_tuple(docs.get("fails")) + _repeated(docs.get("fails_repeat")),
            passes=_as_tuple(docs.get("passes")),
            post_text=docs.get("post_text", ""),
            fails_post=tuple(_as_tuple(x) for x in docs.get("fails_post", ())),
            passes_post=tuple(_as_tuple(x) for x in docs.get("passes_post", ())),
            config=docs.get("config", {}),
            fails_image=docs.get("fails_image", {}),
            passes_image=docs.get("passes_image", {}),
        ),
        options=data.get("options", {}),
        penalty=data.get("penalty"),
        supersedes=_as_tuple(data.get("supersedes")),
        file=file,
    )


def _cache_file(fingerprint: str) -> Path | None:
    if os.environ.get("ALTAUDIT_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "altaudit" / f"rules-{fingerprint}.marshal"


def _rule_data(folder: Path) -> dict[str, dict]:
    """Parsed rule files, keyed by file name.

    Parsing 26 TOML files costs about 5 ms, a tenth of a pre-commit hook's
    start-up, so the parsed data is kept (marshalled: plain dicts, lists,
    strings and numbers) in the user's cache folder,
    checked against the files' names, sizes and modification times: any edit
    to a rule file makes it parse again. A cache that cannot be read or written is
    simply not used.
    """
    entries = sorted((e for e in os.scandir(folder) if e.name.endswith(".toml")), key=lambda e: e.name)
    from . import __version__

    stamp = __version__ + "|" + "|".join(f"{e.name}:{e.stat().st_size}:{e.stat().st_mtime_ns}" for e in entries)
    # One cache file per rules folder; the stamp inside says which files it holds.
    cache = _cache_file(f"{zlib.crc32(str(folder).encode()):08x}")
    if cache is not None:
        try:
            cached = marshal.loads(cache.read_bytes())
            if cached.get("stamp") == stamp:
                return cached["rules"]
        except (OSError, ValueError, EOFError, TypeError, AttributeError, KeyError):
            pass
    import tomllib

    data = {e.name: tomllib.loads(Path(e.path).read_text(encoding="utf-8")) for e in entries}
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            partial = cache.with_suffix(f".{os.getpid()}.tmp")
            partial.write_bytes(marshal.dumps({"stamp": stamp, "rules": data}))
            os.replace(partial, cache)
        except OSError:
            pass
    return data


@lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    """Every rule shipped in rules/, sorted by code."""
    rules = [rule_from_data(data, name) for name, data in _rule_data(rules_root()).items()]
    codes = [r.code for r in rules]
    duplicates = {c for c in codes if codes.count(c) > 1}
    if duplicates:
        raise ValueError(f"duplicate rule codes: {sorted(duplicates)}")
    return tuple(sorted(rules, key=lambda r: r.code))


def rule_by_code(code: str) -> Rule | None:
    for rule in all_rules():
        if rule.code.upper() == code.upper():
            return rule
    return None
