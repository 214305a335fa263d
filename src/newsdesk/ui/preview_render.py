"""The preview's use of the one renderer: the same page the export writes."""

from __future__ import annotations

import threading

from newsdesk.core.models import Article, RelatedLink
from newsdesk.core.ports import ArticleStore
from newsdesk.publish.counts import RenderedBody, rendered
from newsdesk.publish.incremental import IncrementalBody
from newsdesk.publish.markdown import MarkdownRenderer
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
        self._bodies: dict[str, IncrementalBody] = {}
        self._last_body: dict[str, tuple[str, RenderedBody]] = {}

    def reset(self) -> None:
        """Forget the renderer (the publication profile or theme changed)."""
        with self._lock:
            self._renderer = None
            self._related_key = None
            self._bodies.clear()
            self._last_body.clear()

    def _current(self) -> Renderer:
        if self._renderer is None:
            self._renderer = Renderer(self._store.profile())
        return self._renderer

    def render(self, article: Article, full: bool) -> tuple[str | None, dict[str, str]]:
        """(the whole page if ``full``, else ``None``; the page's regions)."""
        with self._lock:
            renderer = self._current()
            key = (article.uri, article.related)
            if key != self._related_key:
                self._related = resolve_related_from(article, self._store, renderer.profile)
                self._related_key = key
            related = self._related
            language = renderer.language(article)
            body = self._last_body.get(language)
            if body is None or body[0] != article.body:
                bodies = self._bodies.get(language)
                if bodies is None:
                    bodies = self._bodies[language] = IncrementalBody(MarkdownRenderer(language))
                # Only the paragraphs that changed are rendered again; the HTML is the export's.
                body = (article.body, rendered(article.body, bodies.render(article.body)))
                self._last_body[language] = body
        parts = renderer.parts(article, related, body=body[1])
        page = renderer.page_html(article, related, body=body[1], standalone=True) if full else None
        return page, parts
