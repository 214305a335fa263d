"""A Hugo or Jekyll site's settings: which generator, where the content is, and the
publication profile its config proposes (shown for confirmation, never applied silently)."""

from __future__ import annotations

import dataclasses
import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from newsdesk.core.errors import ImportFileError
from newsdesk.core.models import PublicationProfile

HUGO_CONFIGS = (
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
)
JEKYLL_CONFIGS = ("_config.yml", "_config.yaml", "_config.toml")
_TOML_LINE = re.compile(r"\(at line (\d+)")


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """What an import needs of a site's config; ``file`` is ``None`` when there is none."""

    generator: str  # "hugo" or "jekyll"
    root: Path
    file: Path | None = None
    title: str = ""
    base_url: str = ""
    language: str = ""
    time_zone: str = ""
    content_dir: str = "content"
    static_dirs: tuple[str, ...] = ("static",)
    permalinks: dict[str, str] = field(default_factory=dict)
    """Hugo: section -> pattern; Jekyll: "" -> its ``permalink`` style or pattern."""
    notes: tuple[str, ...] = ()

    @property
    def content(self) -> Path:
        return self.root / self.content_dir if self.generator == "hugo" else self.root


def read_site_config(root: Path) -> SiteConfig:
    """The generator and settings of the site in ``root``; ``ImportFileError`` (file and
    line) for a config that does not parse, or for a folder that is no site."""
    if not root.is_dir():
        raise ImportFileError(str(root), None, "no such folder; name the site's folder")
    for name in JEKYLL_CONFIGS:
        if (root / name).is_file():
            return _jekyll(root, root / name, _load(root / name))
    hugo = [root / n for n in HUGO_CONFIGS] + [
        root / "config" / "_default" / n for n in HUGO_CONFIGS
    ]
    for path in hugo:
        if path.is_file():
            return _hugo(root, path, _lower(_load(path)))
    if (root / "_posts").is_dir():
        return _jekyll(root, None, {})
    if (root / "content").is_dir():
        return _hugo(root, None, {})
    raise ImportFileError(
        str(root),
        None,
        "this folder is not a Hugo or Jekyll site (no hugo.toml, config.toml or _config.yml, "
        "no content/ or _posts/ folder); name the folder that holds the site's config",
    )


def _load(path: Path) -> dict[str, Any]:
    """A config file's settings; ``ImportFileError`` naming the line where it breaks."""
    try:
        text = path.read_text(encoding="utf-8").removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFileError(str(path), None, f"cannot be read as UTF-8 text: {exc}") from None
    try:
        if path.suffix == ".toml":
            data: Any = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            data = yaml.safe_load(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        line = int(found.group(1)) if found else None
        raise ImportFileError(str(path), line, f"the config is not valid TOML: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            str(path), exc.lineno, f"the config is not valid JSON: {exc.msg}"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ImportFileError(
            str(path),
            mark.line + 1 if mark is not None else None,
            f"the config is not valid YAML: {problem}",
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ImportFileError(str(path), 1, "the config must be a set of settings (key: value)")
    return data


def _lower(data: Mapping[str, Any]) -> dict[str, Any]:
    """Hugo's settings are case-insensitive (``baseURL`` is ``baseurl``)."""
    return {str(k).lower(): v for k, v in data.items()}


def _text(data: Mapping[str, Any], *keys: str) -> str:
    for key in keys:
        value = data.get(key)
        if isinstance(value, str | int | float) and not isinstance(value, bool) and str(value):
            return str(value).strip()
    return ""


def _hugo(root: Path, file: Path | None, data: dict[str, Any]) -> SiteConfig:
    params = data.get("params") if isinstance(data.get("params"), dict) else {}
    permalinks = data.get("permalinks")
    static = data.get("staticdir")
    statics = [static] if isinstance(static, str) else static if isinstance(static, list) else []
    return _checked(
        SiteConfig(
            "hugo",
            root,
            file,
            title=_text(data, "title") or _text(params or {}, "title"),
            base_url=_text(data, "baseurl"),
            language=language_tag(_text(data, "languagecode", "defaultcontentlanguage")),
            time_zone=_text(data, "timezone"),
            content_dir=_text(data, "contentdir") or "content",
            static_dirs=tuple(str(s) for s in statics) or ("static",),
            permalinks={
                str(k): str(v)
                for k, v in (permalinks.items() if isinstance(permalinks, dict) else [])
                if isinstance(v, str)
            },
        )
    )


def _jekyll(root: Path, file: Path | None, data: dict[str, Any]) -> SiteConfig:
    url, base = _text(data, "url"), _text(data, "baseurl")
    base_url = f"{url.rstrip('/')}/{base.strip('/')}".rstrip("/") + "/" if url else ""
    permalink = _text(data, "permalink")
    return _checked(
        SiteConfig(
            "jekyll",
            root,
            file,
            title=_text(data, "title", "name"),
            base_url=base_url,
            language=language_tag(_text(data, "lang", "locale", "language")),
            time_zone=_text(data, "timezone"),
            static_dirs=(".",),
            permalinks={"": permalink} if permalink else {},
        )
    )


def _checked(config: SiteConfig) -> SiteConfig:
    """The config without a time zone nobody can use, saying so."""
    if not config.time_zone:
        return config
    try:
        ZoneInfo(config.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        note = f"the config's time zone {config.time_zone!r} is unknown; it is not proposed"
        return dataclasses.replace(config, time_zone="", notes=(*config.notes, note))
    return config


def language_tag(value: str) -> str:
    """``en-us``, ``en_US`` -> ``en-US``; the language alone stays lowercase."""
    parts = [p for p in re.split(r"[-_]", value.strip()) if p]
    if not parts:
        return ""
    tag = [parts[0].lower()]
    tag += [p.upper() if len(p) == 2 else p.title() if len(p) == 4 else p for p in parts[1:]]
    return "-".join(tag)


@dataclass(frozen=True, slots=True)
class ProfileChange:
    """One setting the site's config proposes, with the value it would replace."""

    label: str
    current: str
    proposed: str


_PROFILE_FIELDS = (
    ("name", "title", "Publication name"),
    ("base_url", "base_url", "Base URL"),
    ("language", "language", "Language"),
    ("time_zone", "time_zone", "Time zone"),
)


def proposed_profile(
    config: SiteConfig, current: PublicationProfile
) -> tuple[PublicationProfile, list[ProfileChange]]:
    """The profile with what the site's config sets, and each change from ``current``
    (empty when the config proposes nothing new)."""
    values: dict[str, Any] = {}
    changes: list[ProfileChange] = []
    for name, source, label in _PROFILE_FIELDS:
        proposed = getattr(config, source)
        if name == "base_url" and proposed and not proposed.endswith("/"):
            proposed += "/"
        if proposed and proposed != getattr(current, name):
            values[name] = proposed
            changes.append(ProfileChange(label, getattr(current, name), proposed))
    return dataclasses.replace(current, **values), changes
