"""Which rules run, and how: selection by code or prefix, and the configuration's
levels, penalties and options applied to each rule after checking them."""

from __future__ import annotations

import re
from dataclasses import replace

from .checks import CHECKS
from .config import Settings
from .errors import ConfigError
from .resources import rules_root
from .rulebook import Rule, all_rules


def effective_rules(settings: Settings) -> list[Rule]:
    """The selected rules, with the configuration's level, penalty and options applied."""
    known = all_rules()
    per_path = [code for codes in settings.per_path_ignores.values() for code in codes]
    for prefix in (*settings.select, *settings.ignore, *per_path):
        if prefix != "ALL" and not any(r.code.startswith(prefix) for r in known):
            raise ConfigError(f"unknown rule code or prefix '{prefix}'", path=settings.path)
    for code in settings.rules:
        if not any(r.code == code for r in known):
            raise ConfigError(f"rules.{code}: no such rule", path=settings.path)
    selected = []
    for rule in known:
        if not settings.is_selected(rule.code):
            continue
        override = settings.rules.get(rule.code)
        if override:
            unknown = set(override.options) - set(rule.options)
            if unknown:
                raise ConfigError(
                    f"rules.{rule.code}: unknown option '{sorted(unknown)[0]}'"
                    f" (options: {', '.join(sorted(rule.options)) or 'none'})",
                    path=settings.path,
                )
            for key, value in override.options.items():
                _check_option(rule, key, value, settings.path)
            rule = replace(
                rule,
                level=override.level or rule.level,
                penalty=override.penalty if override.penalty is not None else rule.penalty,
                options={**rule.options, **_without_stale_pretests(rule.options, override.options)},
            )
            configured = override.options
            if ("patterns" in configured or "replace" in configured) and rule.options.get("replace") is not None:
                # Checked on the merged options: the patterns may be configured, the replacement, or both.
                key, hint = ("replace", "") if "replace" in configured else ("patterns", " (set its replace too)")
                _check_replacement(rule, f"rules.{rule.code}.{key}", settings.path, hint)
        if rule.check not in CHECKS:
            raise ValueError(f"{rule.file}: unknown check '{rule.check}'")
        selected.append(rule)
    return selected


# A pattern rule's quick tests (checks/pattern.py) are written for the rule's own
# patterns: configured patterns of one's own would be held to them and missed.
PATTERN_PRETESTS = ("requires", "requires_pattern", "doubled_words", "only_non_ascii", "only_unprintable")


def _without_stale_pretests(defaults: dict, configured: dict) -> dict:
    """The configured options; where they replace the patterns, the quick tests
    they do not set themselves are turned off."""
    if "patterns" not in configured:
        return configured
    off = {key: type(defaults[key])() for key in PATTERN_PRETESTS if key in defaults and key not in configured}
    return {**off, **configured}


_WANTED = {bool: "true or false", int: "a whole number", float: "a number", str: "a string", list: "a list", dict: "a table"}
_WANTED_PLURAL = {bool: "true or false values", int: "whole numbers", float: "numbers", str: "strings", list: "lists", dict: "tables"}
PATTERN_OPTIONS = {"patterns", "scene_openers", "unless"}


def _same_type(default, value) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    if isinstance(default, list):
        return isinstance(value, list) and all(_same_type(default[0], v) for v in value) if default else isinstance(value, list)
    if isinstance(default, dict):
        return isinstance(value, dict) and set(value) == set(default) and all(_same_type(default[k], value[k]) for k in default)
    return isinstance(value, type(default))


def _check_option(rule: Rule, key: str, value, path: str | None) -> None:
    """A configured option must have the shape of the rule's own value, and make sense."""
    default = rule.options[key]
    name = f"rules.{rule.code}.{key.replace('_', '-')}"

    def fail(why: str):
        raise ConfigError(f"{name} {why}", path=path)

    if not _same_type(default, value):
        if isinstance(default, list) and default and isinstance(value, list):
            fail(f"must be a list of {_WANTED_PLURAL.get(type(default[0]), 'values')} like the rule's own")
        fail(f"must be {_WANTED.get(type(default), type(default).__name__)}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value <= 0:
            fail("must be above 0")
        if ("ratio" in key or key == "overlap") and value > 1:
            fail("is a share and must be at most 1")
    if key in PATTERN_OPTIONS:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                fail(f"holds an invalid regular expression {pattern!r}: {exc}")
    if isinstance(default, str) and key.endswith("_words"):
        if not re.fullmatch(r"[a-z0-9-]+", value) or not (rules_root() / "words" / f"{value}.txt").is_file():
            fail(f"names no word list in rules/words/ ({value!r})")


def _check_replacement(rule: Rule, name: str, path: str | None, hint: str = "") -> None:
    """The rule's replacement may only name groups its patterns have."""
    groups = max((re.compile(p).groups for p in rule.options.get("patterns", ())), default=0)
    for ref in re.findall(r"\\(\d+)|\\g<(\d+)>", rule.options["replace"]):
        if int(ref[0] or ref[1]) > groups:
            raise ConfigError(f"{name}: the replacement refers to group {ref[0] or ref[1]}, but the patterns have {groups}{hint}", path=path)
