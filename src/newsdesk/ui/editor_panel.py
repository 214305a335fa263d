"""The page you write on: headline and standfirst at the top, the Markdown body beneath."""

from __future__ import annotations

import dataclasses
import re

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from newsdesk.core import text
from newsdesk.core.errors import NewsdeskError
from newsdesk.core.media import KEY_PATTERN, body_keys, problems
from newsdesk.core.models import Article
from newsdesk.ui.body_editor import BodyEditor, FindBar, formatting_toolbar
from newsdesk.ui.media_adding import MediaTools
from newsdesk.ui.metadata_form import MetadataForm
from newsdesk.ui.problem import Problem
from newsdesk.ui.related_panel import RelatedPanel


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
        self.body.picture_inserted.connect(lambda _asset: self._count_timer.start())
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
        not in the store); returns the problems shown."""
        keys = body_keys(body) if "media:" in body else []
        found: list[str] = []
        if keys and self.media_tools is not None:
            try:
                assets = self.media_tools.store.media_many(keys)
            except NewsdeskError:
                assets = {}
            alts = body_picture_alts(body)
            for key in keys:
                asset = assets.get(key)
                if asset is None:
                    found.append(f"the picture media:{key} is not in the media library")
                else:
                    found.append("; ".join(problems(asset, alts.get(key, ""))))
        found = [f for f in found if f]
        self.pictures_note.say(
            ("In the body, not ready to publish: " + "; ".join(found) + ".") if found else ""
        )
        return found


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
