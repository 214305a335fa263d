"""The article's metadata form: headline to media credits, validated where it is typed."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, Qt, QTimeZone, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from newsdesk.core.aliases import alias_problem
from newsdesk.core.models import PUBLISHABLE, Article, Status
from newsdesk.ui.desk.page_fields import GrowingText, HeadlineEdit
from newsdesk.ui.desk.problem import Problem
from newsdesk.ui.icons import icon
from newsdesk.ui.media.media_adding import MediaTools
from newsdesk.ui.media.media_fields import MediaFields

__all__ = ["MediaFields", "MetadataForm", "OptionalDateTime", "Problem"]


def _form(page: QWidget) -> QFormLayout:
    """A form whose labels sit above their fields when the inspector is narrow."""
    form = QFormLayout(page)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


class OptionalDateTime(QWidget):
    """A date and time that may be left unset."""

    changed = Signal()
    """The value changed (set, cleared or edited)."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.enabled = QCheckBox(label)
        self.edit = QDateTimeEdit(calendarPopup=True)
        self.edit.setDisplayFormat("ddd d MMM yyyy HH:mm")
        self.edit.setDateTime(QDateTime.currentDateTime())
        self.edit.setEnabled(False)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.enabled)
        row.addWidget(self.edit, 1)
        self.enabled.toggled.connect(self.edit.setEnabled)
        self.enabled.toggled.connect(self.changed)
        self.edit.dateTimeChanged.connect(self.changed)

    def value(self) -> datetime | None:
        if not self.enabled.isChecked():
            return None
        moment = self.edit.dateTime().toUTC()
        return datetime.fromtimestamp(moment.toSecsSinceEpoch(), UTC)

    def set_value(self, value: datetime | None) -> None:
        self.blockSignals(True)
        self.enabled.setChecked(value is not None)
        if value is not None:
            stamp = QDateTime.fromSecsSinceEpoch(int(value.timestamp()), QTimeZone.utc())
            self.edit.setDateTime(stamp.toLocalTime())
        self.blockSignals(False)


class MetadataForm(QTabWidget):
    """Everything about an article except its body: the inspector beside the text.

    The headline and standfirst are made here too (one form reads and writes every field)
    but shown at the top of the writing page, not in these tabs.
    """

    changed = Signal()
    """The user changed a field."""

    def __init__(self, parent: QWidget | None = None, media: MediaTools | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inspector")
        self.setDocumentMode(True)
        self.setAccessibleName("Details")
        self.media_tools = media
        self._article: Article | None = None
        self._loading = False
        self._pages: dict[QWidget, QScrollArea] = {}
        self.readiness_gate: Callable[[Status], bool] | None = None
        """Asked before the story becomes Ready, Scheduled or Published; ``False`` keeps
        the status it had (the window's readiness checklist)."""
        self._page_fields()
        self.add_page(self._story_tab(), QIcon(), "Story")
        self.add_page(self._publishing_tab(), QIcon(), "Publishing")
        self.add_page(self._media_tab(), QIcon(), "Media")
        self._connect()

    # -- pages ------------------------------------------------------------------------

    def add_page(self, page: QWidget, page_icon: QIcon, title: str) -> None:
        """A tab that scrolls up and down, never sideways: a narrow inspector stays whole."""
        scroll = QScrollArea()
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._pages[page] = scroll
        self.addTab(scroll, page_icon, title)

    def show_page(self, page: QWidget) -> None:
        self.setCurrentWidget(self._pages[page])

    def pages(self) -> list[QWidget]:
        return list(self._pages)

    def page_index(self, page: QWidget) -> int:
        return self.indexOf(self._pages[page])

    def set_page_title(self, page: QWidget, title: str) -> None:
        self.setTabText(self.page_index(page), title)

    def _page_fields(self) -> None:
        """The headline and standfirst: large, frameless, the top of the page."""
        self.headline = HeadlineEdit()
        self.headline.setPlaceholderText("Headline")
        self.headline.setObjectName("headline")
        self.headline.setAccessibleName("Headline")
        self.headline_problem = Problem()
        self.standfirst = GrowingText(max_lines=4)
        self.standfirst.setObjectName("standfirst")
        self.standfirst.setAccessibleName("Standfirst")
        self.standfirst.setPlaceholderText("Standfirst: one or two sentences that sum up the story")
        self.standfirst.setTabChangesFocus(True)

    def _story_tab(self) -> QWidget:
        self.kicker = QLineEdit(placeholderText="A short label above the headline")
        self.byline = QLineEdit(placeholderText="Who wrote it")
        self.dateline = QLineEdit(placeholderText="Where it was filed")
        self.section = QComboBox(editable=True)
        self.section.setAccessibleName("Section")
        self.tags = QLineEdit(placeholderText="Tags, separated by commas")
        self.tags_problem = Problem()
        self.tag_completer = QCompleter([])
        self.tag_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tags.textEdited.connect(self._complete_tag)
        self.tag_completer.activated.connect(self._insert_tag)
        self.tag_completer.setWidget(self.tags)

        self.editor_note = QPlainTextEdit()
        self.editor_note.setAccessibleName("Note for the desk")
        self.editor_note.setPlaceholderText("Notes for the desk; never published")
        self.editor_note.setMinimumHeight(self.editor_note.fontMetrics().lineSpacing() * 4)

        story = QWidget()
        form = _form(story)
        form.addRow("Kicker", self.kicker)
        form.addRow("Byline", self.byline)
        form.addRow("Dateline", self.dateline)
        form.addRow("Section", self.section)
        form.addRow("Tags", self.tags)
        form.addRow("", self.tags_problem)
        form.addRow(QLabel("<b>Note for the desk</b>"))
        form.addRow(self.editor_note)
        return story

    def _publishing_tab(self) -> QWidget:
        self.status = QComboBox()
        self.status.setAccessibleName("Status")
        for status in Status:
            self.status.addItem(status.label, status.value)
        self.status_problem = Problem()
        self.display_date = OptionalDateTime("Display date")
        self.embargo = OptionalDateTime("Embargo until")
        self.slug = QLabel()
        self.slug.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A long slug wraps at its hyphens instead of widening the whole form (a 70-letter
        # slug made the details wider than the editor's column at 1366 x 768).
        self.slug.setWordWrap(True)
        self.seo_title = QLineEdit(placeholderText="Defaults to the headline")
        self.seo_description = QLineEdit(placeholderText="Defaults to the standfirst")
        self.canonical_url = QLineEdit(placeholderText="Only if the story lives elsewhere first")
        self.aliases = QLineEdit(placeholderText="Old paths that lead here: /2019/05/old-title/")
        self.aliases.setToolTip(
            "Former addresses of this story, separated by commas. Each becomes a page that "
            "sends readers here, so old links keep working (imported sites bring theirs)."
        )
        self.aliases_problem = Problem()
        publishing = QWidget()
        form = _form(publishing)
        form.addRow("Status", self.status)
        form.addRow("", self.status_problem)
        form.addRow(self.display_date)
        form.addRow(self.embargo)
        form.addRow("Slug", self.slug)
        form.addRow("SEO title", self.seo_title)
        form.addRow("SEO description", self.seo_description)
        form.addRow("Canonical URL", self.canonical_url)
        form.addRow("Former addresses", self.aliases)
        form.addRow("", self.aliases_problem)
        return publishing

    def _media_tab(self) -> QWidget:
        self.image = MediaFields("image", self.media_tools)
        self.audio = MediaFields("audio", self.media_tools)
        media = QWidget()
        box = QVBoxLayout(media)
        box.addWidget(QLabel("<b>Featured image</b>"))
        box.addWidget(self.image)
        box.addWidget(QLabel("<b>Audio</b>"))
        box.addWidget(self.audio)
        box.addStretch(1)
        self._media_page = media
        return media

    def _connect(self) -> None:
        self.headline.textEdited.connect(self._edited)
        for edit in (self.kicker, self.byline, self.dateline, self.tags,
                     self.seo_title, self.seo_description, self.canonical_url,
                     self.aliases):  # fmt: skip
            edit.textEdited.connect(self._edited)
        self.section.editTextChanged.connect(self._edited)
        self.standfirst.textChanged.connect(self._edited)
        self.editor_note.textChanged.connect(self._edited)
        self.status.currentIndexChanged.connect(self._status_changed)
        for widget in (self.display_date, self.embargo, self.image, self.audio):
            widget.changed.connect(self._edited)
        self.image.changed.connect(self._flag_media_tab)
        self.image.details_read.connect(self._flag_media_tab)  # read off the GUI thread

    # -- loading and reading ----------------------------------------------------------

    def set_choices(self, sections: list[str], tags: list[str]) -> None:
        current = self.section.currentText()
        self.section.blockSignals(True)
        self.section.clear()
        self.section.addItems(sections)
        self.section.setEditText(current)
        self.section.blockSignals(False)
        self.tag_completer.model().setStringList(tags)  # type: ignore[attr-defined]

    def load(self, article: Article) -> None:
        self._loading = True
        try:
            self._article = article
            self.headline.setText(article.headline)
            self.kicker.setText(article.kicker)
            self.standfirst.setPlainText(article.standfirst)
            self.byline.setText(article.byline)
            self.dateline.setText(article.dateline)
            self.section.setEditText(article.section)
            self.tags.setText(", ".join(article.tags))
            self.status.setCurrentIndex(self.status.findData(article.status.value))
            self.display_date.set_value(article.display_date)
            self.embargo.set_value(article.embargo_until)
            self.seo_title.setText(article.seo_title)
            self.seo_description.setText(article.seo_description)
            self.canonical_url.setText(article.canonical_url)
            self.aliases.setText(", ".join(article.aliases))
            for field in (self.headline, self.kicker, self.byline, self.dateline, self.tags,
                          self.seo_title, self.seo_description, self.canonical_url,
                          self.aliases):  # fmt: skip
                field.setCursorPosition(0)  # a long line shown from its start, not its end
            self.image.set_value(article.image)
            self.audio.set_value(article.audio)
            self._flag_media_tab()
            self.editor_note.setPlainText(article.editor_note)
            for problem in (self.headline_problem, self.tags_problem, self.status_problem,
                            self.aliases_problem):  # fmt: skip
                problem.say("")
            self.show_slug(article)
        finally:
            self._loading = False

    @property
    def article_uri(self) -> str | None:
        """The uri of the article the form shows (``None`` before the first)."""
        return self._article.uri if self._article is not None else None

    def show_slug(self, article: Article) -> None:
        if article.slug_frozen:
            note = "published; it can no longer change"
        elif article.slug_locked:
            note = "set by hand"
        elif article.status == Status.DRAFT:
            note = "follows the headline while a draft"
        else:
            note = "fixed"
        breakable = article.slug.replace("-", "-<wbr>")
        self.slug.setText(f"<code>{breakable}</code> <small>({note})</small>")
        self.slug.setToolTip(article.slug)

    def apply_to(self, article: Article) -> Article:
        """``article`` with the form's values; the rules of core.models apply on saving."""
        tags = [t.strip() for t in self.tags.text().split(",")]
        return dataclasses.replace(
            article,
            headline=self.headline.text(),
            kicker=self.kicker.text(),
            standfirst=self.standfirst.toPlainText(),
            byline=self.byline.text(),
            dateline=self.dateline.text(),
            section=self.section.currentText().strip(),
            tags=tuple(t for t in tags if t),
            status=self.current_status(),
            display_date=self.display_date.value(),
            embargo_until=self.embargo.value(),
            seo_title=self.seo_title.text(),
            seo_description=self.seo_description.text(),
            canonical_url=self.canonical_url.text(),
            aliases=self._usable_aliases(),
            image=self.image.value(),
            audio=self.audio.value(),
            editor_note=self.editor_note.toPlainText(),
        )

    def _flag_media_tab(self) -> None:
        """A warning on the Media tab while the featured picture is not ready."""
        index = self.page_index(self._media_page)
        problems = self.image.ready_problems
        self.setTabIcon(index, icon("warning") if problems else QIcon())
        self.setTabToolTip(
            index, "Not ready to publish: " + "; ".join(problems) if problems else ""
        )

    def current_status(self) -> Status:
        return Status(self.status.currentData())

    # -- validation in place ----------------------------------------------------------

    def _edited(self) -> None:
        if self._loading:
            return
        self._check_headline()
        self._check_tags()
        self._check_aliases()
        self.changed.emit()

    def _check_headline(self) -> bool:
        empty = not self.headline.text().strip()
        status = self.current_status()
        if empty and status in PUBLISHABLE:
            self.headline_problem.say(
                f"A headline is needed while the article is {status.label.lower()}."
            )
            return False
        self.headline_problem.say("Every article needs a headline before it goes out." if empty
                                  else "")  # fmt: skip
        return True

    def _check_tags(self) -> None:
        seen: set[str] = set()
        repeated = []
        for tag in (t.strip() for t in self.tags.text().split(",")):
            if tag and tag in seen:
                repeated.append(tag)
            seen.add(tag)
        self.tags_problem.say(
            f"Listed twice, kept once: {', '.join(dict.fromkeys(repeated))}" if repeated else ""
        )

    def _alias_entries(self) -> list[str]:
        return [entry.strip() for entry in self.aliases.text().split(",") if entry.strip()]

    def _usable_aliases(self) -> tuple[str, ...]:
        """The former addresses that follow the rule; one being typed, or wrong, waits
        (said under the field) instead of stopping the whole story from being saved."""
        return tuple(entry for entry in self._alias_entries() if alias_problem(entry) is None)

    def _check_aliases(self) -> None:
        problems = [alias_problem(entry) for entry in self._alias_entries()]
        self.aliases_problem.say(next((p[0].upper() + p[1:] for p in problems if p), ""))

    def _status_changed(self) -> None:
        if self._loading:
            return
        status = self.current_status()
        previous = self.status_before_choice()
        if status in PUBLISHABLE and not self.headline.text().strip():
            self._show_status(previous)
            self.status_problem.say(
                f"Write a headline before marking the article {status.label.lower()}."
            )
            self.headline.setFocus()
            return
        gate = self.readiness_gate
        if status in PUBLISHABLE and previous != status and gate is not None and not gate(status):
            self._show_status(previous)
            return
        self.status_problem.say("")
        self._edited()

    def status_before_choice(self) -> Status:
        """The status a refused choice puts back: the stored story's."""
        return self._article.status if self._article else Status.DRAFT

    def _show_status(self, status: Status) -> None:
        """``status`` in the combo box, without asking the readiness checklist."""
        self.status.blockSignals(True)
        self.status.setCurrentIndex(self.status.findData(status.value))
        self.status.blockSignals(False)

    def apply_status(self, status: Status) -> None:
        """``status``, chosen earlier and since let through by the readiness checklist
        (whose answer came after the choice had been put back), shown and saved without
        asking the checklist again."""
        self._show_status(status)
        self.status_problem.say("")
        self._edited()

    def remember(self, article: Article) -> None:
        """The stored version the next edits apply to (after a save)."""
        self._article = article
        self.show_slug(article)

    # -- tag completion ---------------------------------------------------------------

    def _complete_tag(self, text: str) -> None:
        prefix = text.rsplit(",", 1)[-1].strip()
        if not prefix:
            popup = self.tag_completer.popup()
            if popup is not None:
                popup.hide()
            return
        self.tag_completer.setCompletionPrefix(prefix)
        self.tag_completer.complete()

    def _insert_tag(self, tag: str) -> None:
        parts = [p.strip() for p in self.tags.text().split(",")]
        parts[-1] = tag
        self.tags.setText(", ".join(p for p in parts if p) + ", ")
        self._edited()
