"""Configuration: `[tool.altaudit]` in pyproject.toml or a top-level altaudit.toml.

Looked up from the current folder upwards, like ruff does; `--config` names a
file directly and command-line options override what files say.

    [tool.altaudit]
    select = ["A", "L", "T4"]      # codes or prefixes; default: every rule
    ignore = ["R701"]
    fail-on = "warning"            # error (default), warning or info
    words = ["Burkinshaw", "Y-PERN"]   # extra dictionary words
    brands = ["Local Trust", "Big Local"]  # organisations whose logos appear

    [tool.altaudit.logos]          # logo pictures looked for in images (feature matching)
    "Local Trust" = "brand/local-trust.png"

    [tool.altaudit.rules.L202]     # per-rule level, penalty and options
    level = "info"
    max-graphemes = 600

    [tool.altaudit.scores]         # points a finding costs, by level
    error = 40

    [tool.altaudit.per-path-ignores]   # codes silenced in matching files
    "drafts/legacy/*" = ["L203"]
"""

from __future__ import annotations

import os
from dataclasses import field, replace
from pathlib import Path

from .errors import ConfigError
from .model import FRESH, Level, Fields, record

DEFAULT_PENALTIES = {Level.ERROR: 40, Level.WARNING: 15, Level.INFO: 5}
TOP_LEVEL_KEYS = {"select", "ignore", "fail-on", "words", "brands", "logos", "rules", "scores", "per-path-ignores"}
CONFIG_FILE = "altaudit.toml"


# Dataclasses with __init__ written out, as in model.py (which says why).
@record
class RuleOverride(Fields):
    """One rule's configured level, penalty and options."""

    level: Level | None = None
    penalty: int | None = None
    options: dict = field(default_factory=dict)

    def __init__(self, level: Level | None = None, penalty: int | None = None, options: dict = FRESH):
        self.level = level
        self.penalty = penalty
        self.options = {} if options is FRESH else options


@record
class Settings(Fields):
    """The configuration in force: file values with command-line overrides."""

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    fail_on: Level = Level.ERROR
    words: tuple[str, ...] = ()
    brands: tuple[str, ...] = ()
    # Logo pictures looked for in images: (name, path of a PNG), paths from the configuration's folder.
    logos: tuple[tuple[str, str], ...] = ()
    rules: dict[str, RuleOverride] = field(default_factory=dict)
    penalties: dict[Level, int] = field(default_factory=lambda: dict(DEFAULT_PENALTIES))
    # Glob pattern (relative to the configuration file's folder) -> codes silenced there.
    per_path_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    path: str | None = None  # the file these settings came from, if any

    def __init__(
        self,
        select: tuple[str, ...] = ("ALL",),
        ignore: tuple[str, ...] = (),
        fail_on: Level = Level.ERROR,
        words: tuple[str, ...] = (),
        brands: tuple[str, ...] = (),
        logos: tuple[tuple[str, str], ...] = (),
        rules: dict[str, RuleOverride] = FRESH,
        penalties: dict[Level, int] = FRESH,
        per_path_ignores: dict[str, tuple[str, ...]] = FRESH,
        path: str | None = None,
    ):
        self.select = select
        self.ignore = ignore
        self.fail_on = fail_on
        self.words = words
        self.brands = brands
        self.logos = logos
        self.rules = {} if rules is FRESH else rules
        self.penalties = dict(DEFAULT_PENALTIES) if penalties is FRESH else penalties
        self.per_path_ignores = {} if per_path_ignores is FRESH else per_path_ignores
        self.path = path

    def with_overrides(self, **changes) -> "Settings":
        """A copy where every non-None keyword replaces the field."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def is_selected(self, code: str) -> bool:
        def matches(prefixes: tuple[str, ...]) -> bool:
            return any(p == "ALL" or code.startswith(p) for p in prefixes)

        return matches(self.select) and not matches(self.ignore)


def find_config(start: Path) -> Path | None:
    """The nearest altaudit.toml, or pyproject.toml with a [tool.altaudit] table."""
    for folder in [start, *start.parents]:
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and b"[tool.altaudit" in pyproject.read_bytes():
            return pyproject
    return None


def load_settings(config: str | None = None, start: str | None = None) -> Settings:
    """Settings from `config` if given, else from the nearest config file, else defaults."""
    path = Path(config) if config else find_config(Path(start or os.getcwd()).resolve())
    if path is None:
        return Settings()
    import tomllib  # only when there is a file to read

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("configuration file not found", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read configuration: {exc}", path=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path=str(path)) from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        data = tool.get("altaudit", {}) if isinstance(tool, dict) else {}
        if not isinstance(data, dict):
            raise ConfigError("[tool.altaudit] must be a table", path=str(path))
    return settings_from_dict(data, str(path))


def _strings(value, key: str, path: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"'{key}' must be a list of strings", path=path)
    if any(not v.strip() for v in value):
        raise ConfigError(f"'{key}' holds an empty string", path=path)
    return tuple(v.strip() for v in value)


def parse_level(value, where: str, path: str | None = None) -> Level:
    try:
        return Level(str(value).lower())
    except ValueError:
        raise ConfigError(
            f"{where}: '{value}' is not a level (error, warning or info)", path=path
        ) from None


def _logos(value, path: str | None) -> tuple[tuple[str, str], ...]:
    """[logos] name = "path/to/logo.png": each path from the configuration file's folder."""
    if not isinstance(value, dict):
        raise ConfigError("'logos' must be a table of name = path of a PNG", path=path)
    base = Path(path).parent if path else Path(".")
    out = []
    for name, file in value.items():
        if not isinstance(file, str) or not file.strip():
            raise ConfigError(f"logos.{name} must be the path of a PNG file", path=path)
        out.append((name, str(base / file)))
    return tuple(out)


def settings_from_dict(data: dict, path: str | None = None) -> Settings:
    unknown = set(data) - TOP_LEVEL_KEYS
    if unknown:
        raise ConfigError(
            f"unknown setting '{sorted(unknown)[0]}' (known: {', '.join(sorted(TOP_LEVEL_KEYS))})",
            path=path,
        )
    settings = Settings(path=path)
    if "select" in data:
        settings.select = tuple(s.upper() for s in _strings(data["select"], "select", path))
    if "ignore" in data:
        settings.ignore = tuple(s.upper() for s in _strings(data["ignore"], "ignore", path))
    if "fail-on" in data:
        settings.fail_on = parse_level(data["fail-on"], "fail-on", path)
    if "words" in data:
        settings.words = _strings(data["words"], "words", path)
    if "brands" in data:
        settings.brands = _strings(data["brands"], "brands", path)
    if "logos" in data:
        settings.logos = _logos(data["logos"], path)
    for table in ("scores", "rules", "per-path-ignores"):
        if not isinstance(data.get(table, {}), dict):
            raise ConfigError(f"'{table}' must be a table", path=path)
    for level_name, points in data.get("scores", {}).items():
        level = parse_level(level_name, "scores", path)
        if not isinstance(points, int) or isinstance(points, bool) or not 0 <= points <= 100:
            raise ConfigError(f"scores.{level_name} must be a whole number from 0 to 100", path=path)
        settings.penalties[level] = points
    for code, table in data.get("rules", {}).items():
        if not isinstance(table, dict):
            raise ConfigError(f"rules.{code} must be a table", path=path)
        override = RuleOverride()
        for key, value in table.items():
            if key == "level":
                override.level = parse_level(value, f"rules.{code}.level", path)
            elif key == "penalty":
                if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
                    raise ConfigError(f"rules.{code}.penalty must be a whole number from 0 to 100", path=path)
                override.penalty = value
            else:
                override.options[key.replace("-", "_")] = value
        settings.rules[code.upper()] = override
    for pattern, codes in data.get("per-path-ignores", {}).items():
        where = f"per-path-ignores.'{pattern}'"
        settings.per_path_ignores[pattern] = tuple(c.upper() for c in _strings(codes, where, path))
    return settings
