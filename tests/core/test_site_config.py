"""A site's config: which generator, the profile it proposes, and a config that does not
parse named with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.core.errors import ImportFileError
from newsdesk.core.models import PublicationProfile
from newsdesk.core.sites.site_config import language_tag, proposed_profile, read_site_config

SITES = Path(__file__).parents[1] / "data" / "sites"


def test_hugo_config_is_read_case_insensitively() -> None:
    config = read_site_config(SITES / "hugo-news")
    assert config.generator == "hugo"
    assert config.title == "Riverside Gazette"
    assert config.base_url == "https://gazette.example.org/"
    assert config.language == "en-US" and config.time_zone == "Europe/Paris"
    assert config.permalinks == {"posts": "/:year/:month/:slug/"}


def test_jekyll_config_joins_url_and_baseurl() -> None:
    config = read_site_config(SITES / "jekyll-blog")
    assert config.generator == "jekyll"
    assert config.base_url == "https://harbour.example.com/blog/"
    assert config.language == "en-GB"


def test_the_profile_is_proposed_with_each_change_named() -> None:
    current = PublicationProfile()
    profile, changes = proposed_profile(read_site_config(SITES / "hugo-news"), current)
    assert profile.name == "Riverside Gazette" and profile.time_zone == "Europe/Paris"
    assert profile.tagline == current.tagline  # what the config does not set stays
    assert [c.label for c in changes] == ["Publication name", "Base URL", "Language", "Time zone"]
    assert changes[0].current == "London Daily"
    again, none = proposed_profile(read_site_config(SITES / "hugo-news"), profile)
    assert again == profile and none == []


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("hugo.toml", 'title = "x"\nbaseURL = \n', 2),
        ("config.yaml", "title: x\n  bad: [\n", 2),
        ("_config.yml", "title: x\nurl: [unclosed\n", 3),
        ("config.json", '{\n "title": "x",\n}\n', 3),
    ],
)
def test_a_config_that_does_not_parse_names_file_and_line(
    tmp_path: Path, name: str, text: str, line: int
) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(ImportFileError) as caught:
        read_site_config(tmp_path)
    assert caught.value.path == str(tmp_path / name)
    assert caught.value.line == line
    assert "not valid" in caught.value.problem


def test_a_folder_that_is_no_site_says_what_to_name(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="not a Hugo or Jekyll site"):
        read_site_config(tmp_path)


def test_an_unknown_time_zone_is_not_proposed(tmp_path: Path) -> None:
    (tmp_path / "hugo.toml").write_text('timeZone = "Mars/Olympus"\n', encoding="utf-8")
    config = read_site_config(tmp_path)
    assert config.time_zone == "" and "Mars/Olympus" in config.notes[0]


@pytest.mark.parametrize(
    ("value", "tag"), [("en-us", "en-US"), ("en_GB", "en-GB"), ("fr", "fr"), ("", "")]
)
def test_language_tags(value: str, tag: str) -> None:
    assert language_tag(value) == tag
