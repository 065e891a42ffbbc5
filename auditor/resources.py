"""Access to the data files installed with the package (rules, word lists, schemas).

Paths come from the packages' own folders rather than importlib.resources,
whose first call imports zipfile (about 4 ms of a pre-commit hook's start-up);
pip always installs these packages as plain folders.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=None)
def _package_folder(package: str) -> Path:
    module = __import__(package, fromlist=["__file__"])
    return Path(module.__file__).parent


def rules_root() -> Path:
    """The installed rules/ folder (the package ``auditor.rules``)."""
    return _package_folder("auditor.rules")


def read_rule_file(relative: str) -> str:
    """Text of one file under rules/, e.g. ``words/en.txt``."""
    return (rules_root() / relative).read_text(encoding="utf-8")


def schema_path(name: str) -> Path:
    return _package_folder("auditor.schemas") / name
