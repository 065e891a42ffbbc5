"""Configured logo pictures (`[tool.altaudit.logos]`) found in images by
feature matching, feeding I903 like a brand name read in the text."""

import json
from pathlib import Path

import pytest
from image_drawings import drawn_folder, read_drawn

from auditor.config import settings_from_dict
from auditor.engine import Engine
from auditor.errors import ConfigError
from auditor.images.logos import find_logos
from auditor.model import Image, Post, Source

REAL = Path(__file__).parent / "fixtures" / "images" / "real"
PHOTOS = [case["file"] for case in map(json.loads, (REAL / "expected.jsonl").read_text(encoding="utf-8").splitlines()) if case["file"].endswith(".jpg")]
BANNER_TEXT = "A green banner: Community Day, Saturday 14 March, 10am to 4pm at Brereton Village Hall. Free entry, food stalls and a plant swap. Logos of Brereton Big Local and Local Trust"


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    """Each test its own cache file, never the user's."""
    import auditor.images.logos as logos

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(logos, "_cache", None)


def test_what_was_found_is_cached_by_content(tmp_path, monkeypatch):
    import auditor.images.logos as logos

    logo = tmp_path / "star-fund.png"
    logo.write_bytes((drawn_folder() / "logo-mark.png").read_bytes())
    poster = drawn_folder() / "poster-with-mark.png"
    assert logos.logos_in_file(poster, {"Star Fund": str(logo)}) == ["Star Fund"]

    def no_matching(*args):
        raise AssertionError("matched again instead of using the cache")

    monkeypatch.setattr(logos, "find_logos", no_matching)
    assert logos.logos_in_file(poster, {"Star Fund": str(logo)}) == ["Star Fund"]
    # Another picture under the same name is matched afresh.
    logo.write_bytes((drawn_folder() / "quote-card.png").read_bytes())
    with pytest.raises(AssertionError):
        logos.logos_in_file(poster, {"Star Fund": str(logo)})


def logos_config(tmp_path: Path) -> dict:
    (tmp_path / "star-fund.png").write_bytes((drawn_folder() / "logo-mark.png").read_bytes())
    return {"logos": {"Star Fund": "star-fund.png"}}


def audit(file: Path, seen, alt: str, config: dict, config_path: Path):
    settings = settings_from_dict(config, path=str(config_path))
    image = Image(1, alt, file=str(file), source=Source(path="<test>"))
    image.seen = seen
    result = Engine(settings).audit_post(Post("", [image], source=Source(path="<test>")))
    return [f for f in result.all_findings() if f.code == "I903"]


def test_a_configured_logo_on_a_poster_is_flagged_when_the_description_does_not_name_it(tmp_path):
    config = logos_config(tmp_path)
    (finding,) = audit(drawn_folder() / "poster-with-mark.png", read_drawn()["poster-with-mark.png"], BANNER_TEXT + ".", config, tmp_path / "altaudit.toml")
    assert "Star Fund" in finding.message


def test_the_logo_named_in_the_description_passes(tmp_path):
    config = logos_config(tmp_path)
    assert not audit(drawn_folder() / "poster-with-mark.png", read_drawn()["poster-with-mark.png"], BANNER_TEXT + " and Star Fund.", config, tmp_path / "altaudit.toml")


def test_the_same_poster_without_the_mark_passes(tmp_path):
    # The banner without the star: nothing matches the configured picture.
    config = logos_config(tmp_path)
    from image_drawings import community_day_banner

    path = tmp_path / "banner.png"
    path.write_bytes(community_day_banner())
    assert find_logos(path.read_bytes(), {"Star Fund": str(tmp_path / "star-fund.png")}) == []
    assert not audit(path, read_drawn()["poster-with-mark.png"], BANNER_TEXT + ".", config, tmp_path / "altaudit.toml")


@pytest.mark.parametrize("name", PHOTOS)
def test_photos_without_a_logo_match_nothing(tmp_path, name):
    logo = tmp_path / "star-fund.png"
    logo.write_bytes((drawn_folder() / "logo-mark.png").read_bytes())
    assert find_logos((REAL / name).read_bytes(), {"Star Fund": str(logo)}) == []


@pytest.mark.parametrize("name", ["event-card.png", "report-cover.png", "logo-strip.png", "quote-card.png", "phone-screenshot.png"])
def test_other_graphics_do_not_match_the_mark(tmp_path, name):
    logo = tmp_path / "star-fund.png"
    logo.write_bytes((drawn_folder() / "logo-mark.png").read_bytes())
    assert find_logos((drawn_folder() / name).read_bytes(), {"Star Fund": str(logo)}) == []


def test_the_mark_is_found_at_a_fraction_of_its_size_and_a_missing_picture_finds_nothing(tmp_path):
    logo = tmp_path / "star-fund.png"
    logo.write_bytes((drawn_folder() / "logo-mark.png").read_bytes())
    data = (drawn_folder() / "poster-with-mark.png").read_bytes()
    assert find_logos(data, {"Star Fund": str(logo)}) == ["Star Fund"]
    assert find_logos(data, {"Gone": str(tmp_path / "missing.png")}) == []
    assert find_logos(b"not an image", {"Star Fund": str(logo)}) == []


def test_logo_paths_are_read_from_the_configuration_folder_and_checked(tmp_path):
    settings = settings_from_dict({"logos": {"Star Fund": "brand/star.png"}}, path=str(tmp_path / "altaudit.toml"))
    assert settings.logos == (("Star Fund", str(tmp_path / "brand" / "star.png")),)
    with pytest.raises(ConfigError):
        settings_from_dict({"logos": ["star.png"]})
    with pytest.raises(ConfigError):
        settings_from_dict({"logos": {"Star Fund": 3}})
