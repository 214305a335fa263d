"""The preview's use of the one renderer: the same page the export writes."""

from __future__ import annotations

import threading

from newsdesk.core.models import Article, RelatedLink
from newsdesk.core.ports import ArticleStore
from newsdesk.publish.related import ResolvedRelated, resolve_related_from
from newsdesk.publish.renderer import Renderer


class PreviewRenderer:
    """Renders pages and regions for the preview on its render thread.

    Related links are resolved against the store once per distinct list, not per keystroke.
    """

    def __init__(self, store: ArticleStore) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._renderer: Renderer | None = None
        self._related_key: tuple[str, tuple[RelatedLink, ...]] | None = None
        self._related: list[ResolvedRelated] = []

    def reset(self) -> None:
        """Forget the renderer (the publication profile or theme changed)."""
        with self._lock:
            self._renderer = None
            self._related_key = None

    def _current(self) -> Renderer:
        if self._renderer is None:
            self._renderer = Renderer(self._store.profile())
        return self._renderer

    def render(
        self, article: Article, body_html: str | None, full: bool
    ) -> tuple[str | None, dict[str, str], str]:
        """(whole page if ``full``, the page's regions, the body's HTML)."""
        with self._lock:
            renderer = self._current()
            key = (article.uri, article.related)
            if key != self._related_key:
                self._related = resolve_related_from(article, self._store, renderer.profile)
                self._related_key = key
            related = self._related
        body = body_html if body_html is not None else renderer.render_body(article)
        parts = renderer.parts(article, related, body_html=body)
        page = (
            renderer.page_html(article, related, body_html=body, standalone=True) if full else None
        )
        return page, parts, body
