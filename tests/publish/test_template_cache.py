"""Compiled theme templates kept between runs: used when current, made again when not."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from newsdesk.publish.renderer import Renderer
from newsdesk.publish.template_cache import CACHE_ENV
from newsdesk.publish.theme import Theme

from .samples import PROFILE, story


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


def no_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a template was compiled")

    monkeypatch.setattr(jinja2.Environment, "compile", refuse)


def test_a_second_run_compiles_no_template(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = Renderer(PROFILE).page_html(story(), standalone=True)
    assert list(cache.glob("*.jinja"))
    no_compiling(monkeypatch)
    assert Renderer(PROFILE).page_html(story(), standalone=True) == first


def test_a_template_edited_since_is_compiled_again(cache: Path, tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "home.html").write_text("<p>Front page, first edition</p>", "utf-8")
    assert "first edition" in Theme(theme).template("home.html").render()
    (theme / "home.html").write_text("<p>Front page, second edition</p>", "utf-8")
    assert "second edition" in Theme(theme).template("home.html").render()


def test_a_damaged_or_unwritable_cache_is_passed_over(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Renderer(PROFILE).page_html(story())
    for entry in cache.glob("*.jinja"):
        entry.write_bytes(entry.read_bytes()[:40])  # cut short
    assert Renderer(PROFILE).page_html(story()) == first
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", "utf-8")
    monkeypatch.setenv(CACHE_ENV, str(blocked))  # nothing can be read or written there
    assert Renderer(PROFILE).page_html(story()) == first


def test_the_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, "off")
    assert Theme().environment.bytecode_cache is None
