"""The window's copy checks: underlines while typing, and the readiness checklist that
guards Ready, Scheduled and Published."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QTextBlock, QTextCursor
from PySide6.QtWidgets import QWidget

from newsdesk.core.checks.checks import Problem
from newsdesk.core.checks.readiness import Limits, readiness_problems
from newsdesk.core.errors import NewsdeskError
from newsdesk.core.media.media import MediaAsset, article_keys
from newsdesk.core.models import Article, PublicationProfile, Status
from newsdesk.ui.checks.check_marks import mark_widget
from newsdesk.ui.checks.copy_checks import CopyChecks, load_house_style
from newsdesk.ui.checks.readiness_dialog import ReadinessDialog
from newsdesk.ui.desk.desk_layout import Pane

if TYPE_CHECKING:
    from newsdesk.ui.main_window import MainWindow


class WindowChecks(QObject):
    """Spelling, house style and readiness for ``window``'s story."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        settings = window.settings
        style, self.style_note = load_house_style(settings.style_folder)
        store = window.store
        # The publication's language, read as the window is built, then told by Settings
        # when it changes: opening a story asks the store nothing for it.
        self.language = _language(window)
        self.checks = CopyChecks(
            self.language,
            style,
            newsroom_words=store.newsroom_words,
            add_newsroom_word=store.add_newsroom_word,
            my_words=set(settings.my_words.split()),
            parent=self,
        )
        self.checks.set_enabled(settings.check_spelling)
        self._marks = self._mark_fields()
        window.editor.form.readiness_gate = self.ready_to
        self.limits = Limits(word_target=settings.word_target or None)
        self._asked_for: Status | None = None  # the status whose check is out

    def _mark_fields(self) -> list[object]:
        editor = self.window.editor
        form = editor.form
        body = editor.body
        body.highlighter.set_checks(self.checks, lambda block: _typing_at(body, block))
        from newsdesk.ui.checks.check_marks import attach_text_menu

        attach_text_menu(body, "body", self.checks)
        fields: list[tuple[QWidget, str]] = [
            (form.headline, "headline"),
            (form.standfirst, "standfirst"),
            (form.kicker, "kicker"),
            (form.seo_title, "seo_title"),
            (form.seo_description, "seo_description"),
            (form.image.caption, "image.caption"),
            (form.image.alt, "image.alt"),
            (form.audio.caption, "audio.caption"),
        ]
        return [mark_widget(widget, field, self.checks) for widget, field in fields]

    # -- the story and the settings ---------------------------------------------------

    def article_opened(self, article: Article) -> None:
        self.checks.set_article(article, self.language)

    def language_changed(self, language: str) -> None:
        """The publication's language was changed in Settings: the story is checked in it."""
        if language != self.language:
            self.language = language
            current = self.window.current_article()
            if current is not None:
                self.checks.set_article(current, language)

    def settings_changed(self) -> None:
        settings = self.window.settings
        style, self.style_note = load_house_style(settings.style_folder)
        self.checks.set_style(style)
        self.checks.my_words = set(settings.my_words.split())
        self.checks.set_enabled(settings.check_spelling)
        self.limits = Limits(word_target=settings.word_target or None)

    def notes(self) -> str:
        """What does not work in the checks, for Settings (a missing dictionary...)."""
        return " ".join(n for n in (self.checks.missing_dictionary, self.style_note) if n)

    def my_words_text(self) -> str:
        return "\n".join(sorted(self.checks.my_words, key=str.lower))

    # -- readiness --------------------------------------------------------------------

    def problems_of(
        self, article: Article, late: Callable[[list[Problem]], None] | None = None
    ) -> list[Problem] | None:
        """Everything the readiness checklist says about ``article`` as it is on screen;
        None when the store did not answer within its grace (its reads run off the GUI
        thread: the window never waits for them) or is still answering an earlier check.
        An answer that comes after the grace is handed to ``late``."""
        store = self.window.store
        spelling_and_style = (
            self.checks.checker.check_article(article) if self.checks.enabled else []
        )
        image = article.image.src if article.image else None
        audio = article.audio.src if article.audio else None
        keys = article_keys(image, audio, article.body)
        in_grace: list[list[Problem]] = []
        graced = True

        def answered(read: tuple[dict[str, MediaAsset], PublicationProfile] | None) -> None:
            problems: list[Problem] = []  # the store is away: the save will say so
            if read is not None:
                media, profile = read
                problems = readiness_problems(
                    article, profile, media=media, spelling_and_style=spelling_and_style,
                    limits=self.limits,
                )  # fmt: skip
            if graced:
                in_grace.append(problems)
            elif late is not None:
                late(problems)

        self.window.calls.run(
            "readiness", "Checking the story before its status changes",
            lambda: (store.media_many(keys) if keys else {}, store.profile()),
            answered, write=False,
            failed=lambda _why: answered(None),
        )  # fmt: skip
        graced = False
        return in_grace[0] if in_grace else None

    def ready_to(self, status: Status) -> bool:
        """Whether the story on screen may become ``status`` (asked when it is chosen).

        A store slower than its grace leaves the status as it was, and the choice is
        carried out when the checklist's answer comes: the status is applied (nothing
        open), or the checklist shows then; unless the journalist has meanwhile moved
        to another story or chosen another status."""
        window = self.window
        article = window.current_article()
        if article is None:
            return True
        if window.calls.busy("readiness"):
            self._asked_for = None  # the earlier choice no longer stands either
            window.statusBar().showMessage(
                "The store has not yet answered the check of the status chosen before: "
                "choose the status again once it has.",
                10_000,
            )
            return False
        self._asked_for = status
        previous = window.editor.form.status_before_choice()
        problems = self.problems_of(
            article, late=lambda found: self._answered_late(article.uri, previous, status, found)
        )
        if problems is None:
            window.statusBar().showMessage(
                f"Checking the story before it is marked {status.label.lower()}: it will "
                "be as soon as the store answers. Keep writing meanwhile.",
                10_000,
            )
            return False
        return self._cleared(problems, status)

    def _answered_late(
        self, uri: str, previous: Status, status: Status, problems: list[Problem]
    ) -> None:
        window = self.window
        form = window.editor.form
        stored = window.session.stored
        asked_for, self._asked_for = self._asked_for, None
        if (
            asked_for != status
            or stored is None
            or stored.uri != uri
            or form.current_status() != previous
        ):
            return  # the journalist has moved on: that choice no longer stands
        if self._cleared(problems, status):
            form.apply_status(status)
            window.statusBar().showMessage(f"Marked {status.label.lower()}.", 5_000)

    def _cleared(self, problems: list[Problem], status: Status) -> bool:
        """Whether a story with ``problems`` may become ``status``: at once when there
        are none, else when the editor goes ahead in the checklist, with a reason that is
        kept in the story's history."""
        if not problems:
            return True
        window = self.window
        dialog = ReadinessDialog(problems, status.label, window)
        dialog.go_to.connect(self.go_to)
        if not dialog.exec():
            return False
        reason = f"Marked {status.label.lower()} with open problems: {dialog.reason_text()}"
        # The status is applied once this returns; then it is stored, with the reason.
        QTimer.singleShot(0, lambda: window.session.flush(reason=reason))
        return True

    def go_to(self, problem: Problem) -> None:
        """Show where ``problem`` is: its field, with the words selected when it has some."""
        window = self.window
        form = window.editor.form
        field = problem.field
        if field == "site":
            window.open_settings()
            return
        if field == "related":
            window.show_related()
            return
        if field == "body":
            body = window.editor.body
            cursor = QTextCursor(body.document())
            cursor.setPosition(problem.start)
            cursor.setPosition(problem.end, QTextCursor.MoveMode.KeepAnchor)
            body.setTextCursor(cursor)
            body.centerCursor()
            body.setFocus()
            return
        widget = _field_widget(window, field)
        if widget is None:
            return
        if form.isAncestorOf(widget):
            window.desk.show_pane(Pane.INSPECTOR)
            page: QWidget | None = widget
            while page is not None:
                if page in form.pages():
                    form.show_page(page)
                    break
                page = page.parentWidget()
        widget.setFocus()


def _field_widget(window: MainWindow, field: str) -> QWidget | None:
    form = window.editor.form
    owner, _, part = field.partition(".")
    if owner in ("image", "audio"):
        media = form.image if owner == "image" else form.audio
        found = getattr(media, part, None) if part else media
        return found if isinstance(found, QWidget) else media
    widget = getattr(form, field, None)
    return widget if isinstance(widget, QWidget) else None


def _language(window: MainWindow) -> str:
    try:
        return window.store.profile().language
    except NewsdeskError:
        return "en-GB"


def _typing_at(body: QWidget, block: QTextBlock) -> int:
    """Where the cursor is in ``block`` while the body has the focus (else nowhere)."""
    from newsdesk.ui.desk.body_editor import BodyEditor

    assert isinstance(body, BodyEditor)
    cursor = body.textCursor()
    if not body.hasFocus() or cursor.block() != block:
        return -1
    return cursor.positionInBlock()
