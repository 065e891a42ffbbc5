"""Access to the data files installed with the package (rules, word lists, schemas)."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable


def rules_root() -> Traversable:
    """The installed rules/ folder (the package ``auditor.rules``)."""
    return files("auditor.rules")


def read_rule_file(relative: str) -> str:
    """Text of one file under rules/, e.g. ``words/en.txt``."""
    node = rules_root()
    for part in relative.split("/"):
        node = node / part
    return node.read_text(encoding="utf-8")


def read_schema(name: str) -> str:
    return (files("auditor.schemas") / name).read_text(encoding="utf-8")
