"""The live preview: the article through the one renderer, in an offline web view.

The page is loaded once per article; after that only the regions that changed are
swapped in (``runJavaScript`` in the application world: page scripts stay disabled), so
it never flickers and keeps its scroll position. Rendering runs off the GUI thread, the
newest request winning. Nothing on the page may reach the network.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import shiboken6
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMetaObject,
    QObject,
    Qt,
    QThread,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import QDesktopServices
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineScript,
    QWebEngineSettings,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
    QWebEngineUrlRequestJob,
    QWebEngineUrlScheme,
    QWebEngineUrlSchemeHandler,
)
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from newsdesk.core.models import Article
from newsdesk.ui.background.tasks import TaskRunner

SCHEME = b"newsdesk-preview"
PAGE_URL = QUrl("newsdesk-preview://article/index.html")
PHONE_WIDTH = 390
LONG_BODY_CHARS = 400_000  # about 65,000 words
LONG_BODY_PAUSE_MS = 1200
APP_WORLD = QWebEngineScript.ScriptWorldId.ApplicationWorld


def register_scheme() -> None:
    """Declare the preview's URL scheme; must run before the QApplication exists."""
    if QWebEngineUrlScheme.schemeByName(SCHEME).name() == SCHEME:
        return
    scheme = QWebEngineUrlScheme(SCHEME)
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)
    scheme.setFlags(
        QWebEngineUrlScheme.Flag.SecureScheme
        | QWebEngineUrlScheme.Flag.LocalScheme
        | QWebEngineUrlScheme.Flag.LocalAccessAllowed
    )
    QWebEngineUrlScheme.registerScheme(scheme)


@dataclass(frozen=True, slots=True)
class Rendered:
    """What the render thread hands back: a whole page, or the regions of one."""

    sequence: int
    uri: str
    page: str | None
    parts: dict[str, str]
    started: float


RenderFn = Callable[[Article, bool], tuple[str | None, dict[str, str]]]
"""(article, whole page?) -> (the page or None, the page's regions by element id)."""


class _RenderWorker(QObject):
    """Renders on its own thread; only the newest request is ever worked on."""

    rendered = Signal(object)
    failed = Signal(str)

    def __init__(self, render: RenderFn) -> None:
        super().__init__()
        self._render = render
        self._lock = threading.Lock()
        self._pending: tuple[int, Article, bool, float] | None = None

    def request(self, sequence: int, article: Article, full: bool) -> None:
        with self._lock:
            if self._pending is not None and self._pending[2]:
                full = True  # a whole page still owed is never downgraded to an update
            self._pending = (sequence, article, full, time.perf_counter())

    @Slot()
    def work(self) -> None:
        with self._lock:
            job, self._pending = self._pending, None
        if job is None:
            return
        sequence, article, full, started = job
        try:
            page, parts = self._render(article, full)
        except Exception as exc:  # a renderer bug must not take the window down
            self.failed.emit(f"The preview could not be drawn: {exc}")
            return
        self.rendered.emit(Rendered(sequence, article.uri, page, parts, started))


class MediaFiles(Protocol):
    """Where the preview's page gets its pictures and audio (``/media/NAME``)."""

    def cached(self, path: str) -> tuple[bytes, str] | None:
        """(bytes, content type) at once if at hand; called on the GUI thread."""
        ...

    def fetch(self, path: str) -> tuple[bytes, str] | None:
        """(bytes, content type), or ``None`` for no such file; called on a worker."""
        ...


class _PageServer(QWebEngineUrlSchemeHandler):
    """Serves the current page and the files it refers to, nothing else, on the preview's
    own scheme. Files are made (encoded) off the GUI thread; the page never waits on it."""

    media_failed = Signal(str)
    """A picture or audio file could not be made for the page: what and why."""

    def __init__(self, media: MediaFiles | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.page = b""
        self.media = media
        self.tasks = TaskRunner(self, threads=2)
        self.served: deque[str] = deque(maxlen=500)  # media paths answered, latest last

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:
        path = job.requestUrl().path()
        if path == "/index.html":
            _reply(job, b"text/html;charset=utf-8", self.page)
        elif path.startswith("/media/") and self.media is not None:
            self._serve_media(job, path)
        else:
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)

    def _serve_media(self, job: QWebEngineUrlRequestJob, path: str) -> None:
        assert self.media is not None
        hit = self.media.cached(path)
        if hit is not None:
            self._answer(job, path, hit)
            return
        media = self.media
        # The engine deletes a job when the page moves on; a wrapper of an object made in
        # C++ is not told, so the job's own destroyed signal says it is gone.
        alive = [True]
        job.destroyed.connect(lambda *_: alive.clear())
        task = self.tasks.submit(lambda _context: media.fetch(path))
        task.finished.connect(lambda found: self._answer(job, path, found, alive))
        task.failed.connect(lambda message: self._failed(job, path, message, alive))

    def _answer(
        self,
        job: QWebEngineUrlRequestJob,
        path: str,
        found: tuple[bytes, str] | None,
        alive: list[bool] | None = None,
    ) -> None:
        if (alive is not None and not alive) or not shiboken6.isValid(job):
            return  # the page went away (or moved on) while the file was being made
        if found is None:
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        data, content_type = found
        self.served.append(path)
        # The whole file in a QBuffer: seekable, so an <audio> player can jump around.
        _reply(job, content_type.encode("ascii"), data)

    def _failed(
        self, job: QWebEngineUrlRequestJob, path: str, message: str, alive: list[bool]
    ) -> None:
        if alive and shiboken6.isValid(job):
            job.fail(QWebEngineUrlRequestJob.Error.RequestFailed)
        self.media_failed.emit(message)


def _reply(job: QWebEngineUrlRequestJob, content_type: bytes, data: bytes) -> None:
    buffer = QBuffer(job)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    job.reply(content_type, buffer)


class _NetworkGuard(QWebEngineUrlRequestInterceptor):
    """Blocks every request that would leave the machine; counts them for the record."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.blocked: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        scheme = info.requestUrl().scheme()
        if scheme not in {SCHEME.decode(), "data", "about", "blob"}:
            self.blocked.append(info.requestUrl().toString())
            info.block(True)


class _Page(QWebEnginePage):
    """Opens clicked links in the system browser instead of navigating the preview."""

    def acceptNavigationRequest(
        self, url: QUrl | str, navigation_type: QWebEnginePage.NavigationType, is_main_frame: bool
    ) -> bool:
        url = QUrl(url)
        if navigation_type == QWebEnginePage.NavigationType.NavigationTypeLinkClicked:
            if url.scheme() in {"http", "https", "mailto"}:
                QDesktopServices.openUrl(url)
            return False
        return url.scheme() == SCHEME.decode() or url.scheme() == "about"


_UPDATE_JS = """
(function (parts) {
  for (const id in parts) {
    const el = document.getElementById(id);
    if (el) { el.innerHTML = parts[id]; el.hidden = parts[id].trim() === ""; }
  }
  return Object.keys(parts).length;
})(%s)
"""

_FOLLOW_JS = """
(function (line) {
  const blocks = document.querySelectorAll('#nd-body [data-line]');
  if (!blocks.length || line <= Number(blocks[0].dataset.line)) {
    window.scrollTo(0, 0);
    return;
  }
  let best = blocks[0];
  for (const el of blocks) {
    if (Number(el.dataset.line) <= line) best = el; else break;
  }
  best.scrollIntoView({block: 'start'});
})(%d)
"""


class PreviewPane(QWidget):
    """The article as it will be published, kept up to date while the journalist types."""

    updated = Signal(int, float)
    """The DOM shows request ``sequence``; seconds from the request to the DOM change."""
    load_finished = Signal(bool)
    """A whole page finished loading (after :meth:`show_article`)."""
    problem = Signal(str)
    """The preview failed in a way the user should know about."""

    def __init__(
        self, render: RenderFn, parent: QWidget | None = None, *, media: MediaFiles | None = None
    ) -> None:
        super().__init__(parent)
        # The view is made before the profile: Qt deletes children in creation order, and
        # a profile must outlive every page that uses it.
        self.view = QWebEngineView(self)
        self.profile = QWebEngineProfile(self)  # off the record: no cache or cookies on disk
        self.guard = _NetworkGuard(self)
        self.profile.setUrlRequestInterceptor(self.guard)
        self.server = _PageServer(media, self)
        self.server.media_failed.connect(self._failed)
        self.profile.installUrlSchemeHandler(SCHEME, self.server)
        self.page = _Page(self.profile, self.view)
        settings = self.page.settings()
        settings.setAttribute(QWebEngineSettings.WebAttribute.JavascriptEnabled, False)
        settings.setAttribute(
            QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, False
        )
        settings.setAttribute(QWebEngineSettings.WebAttribute.AutoLoadImages, True)
        self.view.setPage(self.page)
        self.view.setAccessibleName("Preview")
        self.page.loadFinished.connect(self._loaded)
        self.page.renderProcessTerminated.connect(self._render_process_died)

        self.notice = QLabel()
        self.notice.setObjectName("previewNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        frame = QHBoxLayout()
        frame.setContentsMargins(0, 0, 0, 0)
        frame.addWidget(self.view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.notice)
        layout.addLayout(frame, 1)

        self._sequence = 0
        self._shown_uri: str | None = None
        self._loading = False
        self._page_ready = False
        self._queued_parts: dict[str, str] = {}
        self._parts: dict[str, str] = {}
        self._follow_line = 1
        self._last_request: Article | None = None
        self._load_started = time.perf_counter()
        self._load_sequence = 0
        self._closed = False
        self._deferred: Article | None = None
        self._defer_timer = QTimer(self, singleShot=True, interval=LONG_BODY_PAUSE_MS)
        self._defer_timer.timeout.connect(self._deferred_update)
        self.phone = False

        self._thread = QThread(self)
        self._thread.setObjectName("preview-render")
        self._worker = _RenderWorker(render)
        self._worker.moveToThread(self._thread)
        self._worker.rendered.connect(self._apply, Qt.ConnectionType.QueuedConnection)
        self._worker.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        self._thread.start()

    # -- requests -------------------------------------------------------------------

    def show_article(self, article: Article) -> int:
        """Load ``article`` as a fresh page (a different article was chosen)."""
        return self._request(article, full=True)

    def update_article(self, article: Article) -> int:
        """Bring the shown page up to date with ``article``'s current text.

        A very long body (a pasted archive, say) is redrawn when typing pauses instead of
        on every key, so the editor never waits for the page.
        """
        if article.uri != self._shown_uri:
            return self._request(article, full=True)
        if len(article.body) > LONG_BODY_CHARS:
            self._deferred = article
            self._defer_timer.start()
            self.notice.setText(
                "This article is very long: the preview catches up when you pause typing."
            )
            self.notice.show()
            return self._sequence
        return self._request(article, full=False)

    def _deferred_update(self) -> None:
        if self._deferred is not None:
            article, self._deferred = self._deferred, None
            self._request(article, full=article.uri != self._shown_uri)

    def refresh(self) -> None:
        """Draw the last article again from scratch (after a theme or profile change)."""
        if self._last_request is not None:
            self._request(self._last_request, full=True)

    def _request(self, article: Article, *, full: bool) -> int:
        self._sequence += 1
        if self._closed:
            return self._sequence
        self._last_request = article
        if full:
            self._shown_uri = article.uri
            self._page_ready = False
        self._worker.request(self._sequence, article, full)
        # The worker's slot runs on its thread through the event queue.
        _invoke_queued(self._worker, "work")
        return self._sequence

    # -- results --------------------------------------------------------------------

    @Slot(object)
    def _apply(self, rendered: Rendered) -> None:
        if self._closed or rendered.uri != self._shown_uri:
            return  # an answer for an article no longer shown
        if rendered.page is not None:
            self._parts = dict(rendered.parts)
            self.server.page = rendered.page.encode("utf-8")
            self._loading = True
            self._page_ready = False
            self._queued_parts = {}
            self._load_started = rendered.started
            self._load_sequence = rendered.sequence
            self.page.load(PAGE_URL)
            return
        changed = {k: v for k, v in rendered.parts.items() if self._parts.get(k) != v}
        self._parts.update(changed)
        if not self._page_ready:
            self._queued_parts.update(changed)
            return
        self._push(changed, rendered.sequence, rendered.started)

    def _push(self, parts: dict[str, str], sequence: int, started: float) -> None:
        script = _UPDATE_JS % json.dumps(parts)

        def done(_result: object) -> None:
            self.updated.emit(sequence, time.perf_counter() - started)

        self.page.runJavaScript(script, APP_WORLD, done)

    @Slot(bool)
    def _loaded(self, ok: bool) -> None:
        self._loading = False
        self._page_ready = ok
        if ok:
            self.notice.hide()
            if self._queued_parts:
                self._push(self._queued_parts, self._sequence, time.perf_counter())
                self._queued_parts = {}
            self.follow(self._follow_line)
            self.updated.emit(self._load_sequence, time.perf_counter() - self._load_started)
        self.load_finished.emit(ok)

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.notice.setText(message)
        self.notice.show()
        self.problem.emit(message)

    def _render_process_died(self, status: object, code: int) -> None:
        message = "The preview stopped unexpectedly; it will be redrawn."
        self._failed(message)
        self.refresh()

    # -- view controls --------------------------------------------------------------

    def follow(self, line: int) -> None:
        """Scroll so the block written at source ``line`` of the body is at the top."""
        self._follow_line = line
        if self._page_ready and not self._closed:
            self.page.runJavaScript(_FOLLOW_JS % int(line), APP_WORLD)

    def set_phone(self, phone: bool) -> None:
        """Show the page at a phone's width, or use all the room there is."""
        self.phone = phone
        if self._closed:
            return
        if phone:
            self.view.setFixedWidth(PHONE_WIDTH)
        else:
            self.view.setMinimumWidth(0)
            self.view.setMaximumWidth(16_777_215)

    def run_js(self, script: str, callback: Callable[[object], None]) -> None:
        """Evaluate ``script`` in the application world (tests read the DOM through this)."""
        if self._closed:
            return
        self.page.runJavaScript(script, APP_WORLD, callback)

    def shutdown(self) -> None:
        """Stop the render thread and release the page before its profile."""
        if self._closed:
            return
        self._closed = True
        self._thread.quit()
        self._thread.wait(5000)
        self.server.tasks.wait(10_000)
        # The view takes its page with it; only then may the profile go.
        if shiboken6.isValid(self.view):
            shiboken6.delete(self.view)
        if shiboken6.isValid(self.profile):
            shiboken6.delete(self.profile)


def _invoke_queued(target: QObject, method: str) -> None:
    """Queue a call of ``target.method()`` on the thread ``target`` lives in."""
    QMetaObject.invokeMethod(target, method, Qt.ConnectionType.QueuedConnection)
