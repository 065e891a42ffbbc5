"""The parsed-rules cache gives what parsing gives, and follows edits to rule files."""

import shutil
import tomllib

from auditor.resources import rules_root
from auditor.rulebook import _rule_data


def test_cache_returns_the_parsed_rules_and_follows_edits(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("ALTAUDIT_NO_CACHE", raising=False)
    folder = tmp_path / "rules"
    shutil.copytree(rules_root(), folder, ignore=shutil.ignore_patterns("__pycache__"))
    fresh = {p.name: tomllib.loads(p.read_text()) for p in folder.glob("*.toml")}
    assert _rule_data(folder) == fresh  # parsed, then written to the cache
    assert list((tmp_path / "cache" / "altaudit").glob("rules-*.marshal"))
    assert _rule_data(folder) == fresh  # read back from the cache
    rule = folder / "L202-long.toml"
    rule.write_text(rule.read_text().replace("max_graphemes = 1500", "max_graphemes = 1234"))
    assert _rule_data(folder)["L202-long.toml"]["options"]["max_graphemes"] == 1234


def test_unwritable_cache_is_not_an_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.delenv("ALTAUDIT_NO_CACHE", raising=False)
    assert "A101-missing.toml" in _rule_data(rules_root())
