"""The publication's theme: Jinja2 templates and assets, packaged or from a newsroom's folder."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

from newsdesk import resources
from newsdesk.publish.errors import ThemeError
from newsdesk.publish.template_cache import template_cache

TEMPLATES = ("base.html", "regions.html", "article.html", "section.html", "home.html")
ASSETS = ("theme.css",)
# How templates are compiled (the compiled-template cache is keyed by these too).
OPTIONS: dict[str, Any] = {
    "autoescape": True,
    "undefined": jinja2.StrictUndefined,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "auto_reload": False,
    "cache_size": -1,
}
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*\.(?:html|css)$")


class PackagedThemeLoader(jinja2.BaseLoader):
    """Loads the packaged theme through the one resource accessor (wheel or editable)."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        if not _NAME.match(template):
            raise jinja2.TemplateNotFound(template)
        node = resources.resource("theme", template)
        if not node.is_file():
            raise jinja2.TemplateNotFound(template)
        return node.read_text(encoding="utf-8"), None, lambda: True


class Theme:
    """Templates and assets; a newsroom folder's files of the same names win."""

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder).expanduser() if folder else None
        if self.folder is not None and not self.folder.is_dir():
            raise ThemeError(
                f"theme folder {self.folder} does not exist or is not a folder; fix the path "
                "in the publication profile or leave it empty for the built-in theme"
            )
        loaders: list[jinja2.BaseLoader] = []
        if self.folder is not None:
            loaders.append(jinja2.FileSystemLoader(str(self.folder), followlinks=False))
        loaders.append(PackagedThemeLoader())
        self.environment = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            bytecode_cache=template_cache(repr(sorted(OPTIONS.items()))),
            **OPTIONS,
        )
        self._assets: dict[str, bytes] = {}
        self.fingerprint = self._fingerprint()

    def template(self, name: str) -> jinja2.Template:
        try:
            return self.environment.get_template(name)
        except jinja2.TemplateSyntaxError as error:
            raise ThemeError(
                f"theme template {error.filename or name}, line {error.lineno}: {error.message}"
            ) from error
        except jinja2.TemplateNotFound as error:
            raise ThemeError(f"theme template {name} is missing") from error

    def source(self, name: str) -> bytes:
        """A template or asset's bytes (the newsroom's copy when it has one)."""
        if self.folder is not None:
            candidate = self.folder / name
            if candidate.is_file() and not candidate.is_symlink():
                return candidate.read_bytes()
        node = resources.resource("theme", name)
        if not node.is_file():
            raise ThemeError(f"theme file {name} is missing")
        return node.read_bytes()

    def asset(self, name: str) -> bytes:
        if name not in self._assets:
            data = self.source(name)
            if b"</style" in data.lower():
                raise ThemeError(f"theme file {name} contains '</style', which would end the page")
            self._assets[name] = data
        return self._assets[name]

    def _fingerprint(self) -> str:
        digest = hashlib.sha256()
        for name in (*TEMPLATES, *ASSETS):
            digest.update(name.encode())
            try:
                digest.update(self.source(name))
            except ThemeError:
                digest.update(b"-")
        return digest.hexdigest()[:16]
