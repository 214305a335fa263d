"""The page you write on: headline and standfirst at the top, the Markdown body beneath."""

from __future__ import annotations

import dataclasses
import re

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from newsdesk.core import text
from newsdesk.core.media.media import KEY_PATTERN, MediaAsset, body_keys, problems
from newsdesk.core.models import Article
from newsdesk.ui.background.store_worker import alive, reads_lane
from newsdesk.ui.desk.body_editor import BodyEditor, FindBar, formatting_toolbar
from newsdesk.ui.desk.metadata_form import MetadataForm
from newsdesk.ui.desk.problem import Problem
from newsdesk.ui.media.media_adding import MediaTools
from newsdesk.ui.related.related_panel import RelatedPanel


class EditorPanel(QWidget):
    """Edits one article; says when anything changed and what the article now is.

    The panel itself is the page you write on: headline, standfirst and the body beneath,
    filling the height. Every other detail, and the related links, live in
    :attr:`inspector`, which the window shows beside it (or not).
    """

    edited = Signal()
    """The user changed the article (any field or the body)."""
    counts_changed = Signal(int, int, int)
    """Words, characters and minutes of reading of the body as it stands."""

    def __init__(
        self,
        related: RelatedPanel | None = None,
        parent: QWidget | None = None,
        *,
        media: MediaTools | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("writingPage")
        self.form = MetadataForm(media=media)
        self.inspector = self.form
        """The details beside the text: a widget of its own for the window to place."""
        self.related = related
        if related is not None:
            self.form.add_page(related, QIcon(), "Related")
            related.links_changed.connect(self._changed)
            related.links_changed.connect(self._update_related_tab)
        self.body = BodyEditor(media=media)
        self.toolbar = formatting_toolbar(self.body, self)
        self.find_bar = FindBar(self.body)
        self.pictures_note = Problem("caution")
        self.pictures_note.setAccessibleName("Pictures not ready")
        self.pictures_note.setContentsMargins(4, 0, 4, 0)
        self.top = page_top(self.form)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.top)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.pictures_note)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.find_bar)

        self._loading = False
        # Counting a long body takes milliseconds: do it when typing pauses, not per key.
        self._count_timer = QTimer(self, singleShot=True, interval=250)
        self._count_timer.timeout.connect(self._emit_counts)
        self.form.changed.connect(self._changed)
        self.body.textChanged.connect(self._body_changed)
        self.media_tools = media
        # The body's pictures' details, read off the GUI thread once per story: the
        # check after each pause in typing asks the store nothing (None: not stored).
        self._pictures: dict[str, MediaAsset | None] = {}
        self._pictures_asked = 0
        self._pictures_out: set[str] = set()  # asked, not answered yet
        self.body.picture_inserted.connect(self._picture_inserted)
        self.setEnabled(False)

    def setEnabled(self, enabled: bool) -> None:
        """The page and its inspector are usable together (only while a story is open)."""
        super().setEnabled(enabled)
        self.inspector.setEnabled(enabled)

    def set_focus_mode(self, on: bool) -> None:
        """Just the headline, standfirst and text: no toolbar, no frame."""
        self.toolbar.setVisible(not on)
        self.body.setFrameShape(QFrame.Shape.NoFrame if on else QFrame.Shape.StyledPanel)
        if on:
            self.find_bar.close_bar()

    def set_page_font(self, family: str, size: int) -> None:
        """The writing font for the body; the headline and standfirst set in it, larger."""
        self.body.set_editor_font(family, size)
        headline = QFont(family)
        headline.setPointSizeF(size * 1.5)
        headline.setBold(True)
        self.form.headline.setFont(headline)
        standfirst = QFont(family)
        standfirst.setPointSizeF(size * 1.05)
        self.form.standfirst.setFont(standfirst)

    def load(self, article: Article) -> None:
        """Show ``article`` for editing (nothing is reported as edited)."""
        self._loading = True
        try:
            if self.form.article_uri != article.uri:
                self.body.forget_pending()  # pictures on their way belong to the old story
                self.forget_pictures()
            self.form.load(article)
            if self.body.toPlainText() != article.body:
                self.body.setPlainText(article.body)
            if self.related is not None:
                self.related.load(article)
                self._update_related_tab()
            self.setEnabled(True)
        finally:
            self._loading = False
        self._emit_counts()

    def clear(self) -> None:
        self._loading = True
        self.body.clear()
        if self.related is not None:
            self.related.clear()
        self._loading = False
        self.setEnabled(False)

    def article(self, base: Article) -> Article:
        """``base`` with everything on screen applied."""
        article = dataclasses.replace(self.form.apply_to(base), body=self.body.toPlainText())
        if self.related is not None and self.related.article is not None:
            article = dataclasses.replace(article, related=tuple(self.related.links()))
        return article

    def show_related(self) -> None:
        """Bring the related-links panel forward, with the add field ready."""
        if self.related is not None:
            self.form.show_page(self.related)
            self.related.add_field.setFocus()

    def _update_related_tab(self) -> None:
        if self.related is not None:
            count = len(self.related.links())
            self.form.set_page_title(self.related, f"Related ({count})" if count else "Related")

    def _changed(self) -> None:
        if not self._loading:
            self.edited.emit()

    def _body_changed(self) -> None:
        if self._loading:
            return
        # A very long body is counted less often: counting it takes a while.
        long_body = self.body.document().characterCount() > 400_000
        self._count_timer.start(1500 if long_body else 250)
        self.edited.emit()

    def _emit_counts(self) -> None:
        body = self.body.toPlainText()
        self.check_pictures(body)
        words = text.word_count(body)
        self.counts_changed.emit(words, text.char_count(body), text.reading_minutes(words))

    def check_pictures(self, body: str) -> list[str]:
        """Flag the body's pictures that are not ready to publish (no alt text, no credit,
        not in the store); returns the problems shown. Details not read yet are read on
        the reads lane, and the check runs again when they come."""
        keys = body_keys(body) if "media:" in body else []
        found: list[str] = []
        if keys and self.media_tools is not None:
            unread = [k for k in keys if k not in self._pictures and k not in self._pictures_out]
            if unread:
                self._read_pictures(unread)
            alts = body_picture_alts(body)
            for key in keys:
                if key not in self._pictures:
                    continue  # not read yet: no verdict
                asset = self._pictures[key]
                if asset is None:
                    found.append(f"the picture media:{key} is not in the media library")
                else:
                    found.append("; ".join(problems(asset, alts.get(key, ""))))
        found = [f for f in found if f]
        self.pictures_note.say(
            ("In the body, not ready to publish: " + "; ".join(found) + ".") if found else ""
        )
        return found

    def forget_pictures(self) -> None:
        """The pictures' details are read again at the next check (another story, or a
        file changed in the media library)."""
        self._pictures.clear()
        self._pictures_out.clear()
        self._pictures_asked += 1

    def _picture_inserted(self, asset: object) -> None:
        if isinstance(asset, MediaAsset):
            self._pictures[asset.key] = asset  # just stored: nothing to ask
        self._count_timer.start()

    def _read_pictures(self, keys: list[str]) -> None:
        assert self.media_tools is not None
        store = self.media_tools.store
        asked = self._pictures_asked  # answers for another story are dropped
        wanted = list(keys)
        self._pictures_out.update(wanted)  # asked once, not again at every pause

        def answered(assets: object, error: BaseException | None) -> None:
            if not alive(self) or asked != self._pictures_asked:
                return  # another story now: its own check asks
            self._pictures_out.difference_update(wanted)
            if error is not None:
                return  # the store is away (the save says so); asked again at the next pause
            found = assets if isinstance(assets, dict) else {}
            for key in wanted:
                self._pictures[key] = found.get(key)
            self.check_pictures(self.body.toPlainText())

        reads_lane().submit(lambda: store.media_many(wanted), answered)


_PICTURE = re.compile(rf"!\[((?:\\.|[^\]\\])*)\]\(\s*<?media:({KEY_PATTERN})\b")


def body_picture_alts(body: str) -> dict[str, str]:
    """The alt text each picture of the body is given (the first time it is placed)."""
    alts: dict[str, str] = {}
    for alt, key in _PICTURE.findall(body):
        alts.setdefault(key, re.sub(r"\\(.)", r"\1", alt))
    return alts


def page_top(form: MetadataForm) -> QWidget:
    """The headline and standfirst as the top of the page (the form owns the fields)."""
    top = QFrame()
    top.setObjectName("pageTop")
    box = QVBoxLayout(top)
    box.setContentsMargins(6, 6, 6, 2)
    box.setSpacing(2)
    box.addWidget(form.headline)
    box.addWidget(form.headline_problem)
    box.addWidget(form.standfirst)
    return top
