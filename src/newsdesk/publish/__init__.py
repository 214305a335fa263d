"""Publishing: one renderer for the live preview and every export, the theme, the formats.

The window and the command line use only what is exported here::

    renderer = Renderer(store.profile(), cache=store)          # once per profile/theme
    related = resolve_related_from(article, store, renderer.profile)
    html = renderer.page_html(article, related, standalone=True)  # the whole preview page
    parts = renderer.parts(article, related)                      # {element id: inner HTML}
    report = newsdesk.publish.exporting.export.export(store, out_dir, formats="site,ninjs")
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsdesk.publish.body_format import RENDERER_VERSION
    from newsdesk.publish.counts import RenderedBody
    from newsdesk.publish.errors import ExportError, ThemeError
    from newsdesk.publish.exporting.export import ExportProblem, ExportReport, parse_formats
    from newsdesk.publish.formats import FORMATS
    from newsdesk.publish.markdown import render_markdown
    from newsdesk.publish.related import ResolvedRelated, resolve_related, resolve_related_from
    from newsdesk.publish.renderer import REGIONS, RenderCache, Renderer

# Imported on first use: the window starts without loading the exporters.
_HOMES = {
    "RenderedBody": "counts",
    "ExportError": "errors",
    "ThemeError": "errors",
    "ExportProblem": "exporting.export",
    "ExportReport": "exporting.export",
    "parse_formats": "exporting.export",
    "FORMATS": "formats",
    "RENDERER_VERSION": "body_format",
    "render_markdown": "markdown",
    "ResolvedRelated": "related",
    "resolve_related": "related",
    "resolve_related_from": "related",
    "REGIONS": "renderer",
    "RenderCache": "renderer",
    "Renderer": "renderer",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'newsdesk.publish' has no attribute {name!r}")
    return getattr(importlib.import_module(f"newsdesk.publish.{home}"), name)


__all__ = [
    "FORMATS",
    "REGIONS",
    "RENDERER_VERSION",
    "ExportError",
    "ExportProblem",
    "ExportReport",
    "RenderCache",
    "RenderedBody",
    "Renderer",
    "ResolvedRelated",
    "ThemeError",
    "parse_formats",
    "render_markdown",
    "resolve_related",
    "resolve_related_from",
]
