"""The preview's use of the one renderer: the same page the export writes."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping

from newsdesk.core.errors import NewsdeskError
from newsdesk.core.media.media import AUDIO_TYPES, IMAGE_TYPES, MediaAsset, article_keys
from newsdesk.core.models import Article, RelatedLink
from newsdesk.core.ports import ArticleStore, MediaStore
from newsdesk.publish.counts import RenderedBody, rendered
from newsdesk.publish.incremental import IncrementalBody
from newsdesk.publish.markdown import MarkdownRenderer
from newsdesk.publish.media.renditions import encode, key_in_path, rendition_at
from newsdesk.publish.related import ResolvedRelated, resolve_related_from
from newsdesk.publish.renderer import Renderer
from newsdesk.ui.media.media_cache import RenditionCache

_TYPES = {ext: mime for mime, ext in (IMAGE_TYPES | AUDIO_TYPES).items()}
# Originals just added, kept so their first renditions need no store read (a few photos).
ORIGINALS_BYTES = 64 * 1024 * 1024


class PreviewRenderer:
    """Renders pages and regions for the preview on its render thread.

    Related links are resolved against the store once per distinct list, not per keystroke.
    """

    def __init__(self, store: ArticleStore) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._stale = False  # reset() asked: forgotten by the next render, under the lock
        self._renderer: Renderer | None = None
        self._related_key: tuple[str, tuple[RelatedLink, ...]] | None = None
        self._related: list[ResolvedRelated] = []
        self._bodies: dict[str, IncrementalBody] = {}
        # language -> ((body, the stored files it shows), its HTML)
        self._last_body: dict[str, tuple[tuple[str, tuple[MediaAsset, ...]], RenderedBody]] = {}

    def reset(self) -> None:
        """Forget the renderer (the publication profile or theme changed). Called on the GUI
        thread: it never takes the lock, which a render waiting on the store may hold."""
        self._stale = True

    def _current(self) -> Renderer:
        if self._stale:
            self._stale = False
            self._renderer = None
            self._related_key = None
            self._bodies.clear()
            self._last_body.clear()
        if self._renderer is None:
            self._renderer = Renderer(self._store.profile())
        return self._renderer

    def media(self, article: Article) -> dict[str, MediaAsset]:
        """The stored files ``article`` refers to, by key (one short query)."""
        image = article.image.src if article.image else None
        audio = article.audio.src if article.audio else None
        keys = article_keys(image, audio, article.body)
        return self._store.media_many(keys) if keys else {}

    def render(self, article: Article, full: bool) -> tuple[str | None, dict[str, str]]:
        """(the whole page if ``full``, else ``None``; the page's regions)."""
        media = self.media(article)
        with self._lock:
            renderer = self._current()
            key = (article.uri, article.related)
            if key != self._related_key:
                self._related = resolve_related_from(article, self._store, renderer.profile)
                self._related_key = key
            related = self._related
            language = renderer.language(article)
            body = self._last_body.get(language)
            used = _media_state(media)
            if body is None or body[0] != (article.body, used):
                bodies = self._bodies.get(language)
                if bodies is None:
                    bodies = self._bodies[language] = IncrementalBody(MarkdownRenderer(language))
                # Only the paragraphs that changed are rendered again; the HTML is the export's.
                html = bodies.render(article.body, media)
                body = ((article.body, used), rendered(article.body, html))
                self._last_body[language] = body
        parts = renderer.parts(article, related, body=body[1], media=media)
        page = (
            renderer.page_html(article, related, body=body[1], standalone=True, media=media)
            if full
            else None
        )
        return page, parts


def _media_state(media: Mapping[str, MediaAsset]) -> tuple[MediaAsset, ...]:
    """What of the stored files changes the body's HTML (replaced bytes, new words)."""
    return tuple(media[key] for key in sorted(media))


class PreviewMedia:
    """The files the preview's page refers to (``media/NAME``): renditions made from the
    store's originals exactly as the export makes them, cached on disk and in memory.

    :meth:`fetch` is called on worker threads; two requests for one file encode it once.
    """

    def __init__(self, store: MediaStore, cache: RenditionCache | None = None) -> None:
        self._store = store
        self.cache = cache if cache is not None else RenditionCache()
        self._lock = threading.Lock()
        self._encoding: dict[str, threading.Lock] = {}
        self._originals: OrderedDict[str, bytes] = OrderedDict()

    def prime(self, asset: MediaAsset, data: bytes) -> None:
        """Keep the bytes of a file just added: its first renditions need no store read."""
        with self._lock:
            self._originals[asset.sha256] = data
            while sum(map(len, self._originals.values())) > ORIGINALS_BYTES:
                if len(self._originals) == 1:
                    self._originals.clear()  # one file larger than the budget: not kept
                    break
                self._originals.popitem(last=False)

    def cached(self, path: str) -> tuple[bytes, str] | None:
        """The file if it is in memory already (answers on the GUI thread, no disk read)."""
        data = self.cache.in_memory(path.lstrip("/"))
        return None if data is None else (data, _type_of(path))

    def fetch(self, path: str) -> tuple[bytes, str] | None:
        """The bytes and content type of the file at ``path``; ``None`` if there is none."""
        key = key_in_path(path)
        if key is None:
            return None
        try:
            asset = self._store.get_media(key)
        except NewsdeskError:
            return None
        rendition = rendition_at(asset, path)
        if rendition is None:
            return None
        with self._lock:
            guard = self._encoding.setdefault(rendition.path, threading.Lock())
        with guard:
            data = self.cache.get(rendition.path)
            if data is None:
                data = encode(self._original(asset), rendition)
                self.cache.put(rendition.path, data)
        with self._lock:
            self._encoding.pop(rendition.path, None)
        return data, rendition.mime_type

    def _original(self, asset: MediaAsset) -> bytes:
        with self._lock:
            found = self._originals.get(asset.sha256)
        return found if found is not None else self._store.media_data(asset.key)


def _type_of(path: str) -> str:
    """A rendition's content type, from the extension its name was given."""
    return _TYPES.get(path.rsplit(".", 1)[-1].lower(), "application/octet-stream")
