"""Settings: the publication profile (shared, in the store) and this user's preferences."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFontComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from newsdesk.core.errors import ValidationError
from newsdesk.core.models import PublicationProfile
from newsdesk.core.ports import SyncService
from newsdesk.publish.dates import zone
from newsdesk.ui.background.tasks import TaskRunner
from newsdesk.ui.palette import tone
from newsdesk.ui.settings import MAX_MEDIA_MB, AppSettings
from newsdesk.ui.sync.sync_settings import NewsroomTab


class SettingsDialog(QDialog):
    """Edits a copy; nothing changes until OK, and OK refuses values that would not work."""

    def __init__(
        self,
        profile: PublicationProfile,
        settings: AppSettings,
        parent: QWidget | None = None,
        *,
        sections: Sequence[str] = (),
        checks_note: str = "",
        sync: SyncService | None = None,
        tasks: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self._profile = profile
        self.name = QLineEdit(profile.name)
        self.tagline = QLineEdit(profile.tagline)
        self.base_url = QLineEdit(profile.base_url)
        self.language = QLineEdit(profile.language)
        self.time_zone = QLineEdit(profile.time_zone)
        self.related_cap = QSpinBox(minimum=0, maximum=50, value=profile.related_cap)
        self.newsletter = QPlainTextEdit(profile.newsletter_text)
        self.newsletter.setFixedHeight(80)
        self.theme_dir = QLineEdit(profile.theme_dir)
        self.theme_dir.setPlaceholderText("Packaged theme")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._choose_theme)
        theme_row = QHBoxLayout()
        theme_row.addWidget(self.theme_dir, 1)
        theme_row.addWidget(browse)
        publication = QWidget()
        form = QFormLayout(publication)
        form.addRow("Name", self.name)
        form.addRow("Tagline", self.tagline)
        form.addRow("Web address", self.base_url)
        form.addRow("Language", self.language)
        form.addRow("Time zone", self.time_zone)
        form.addRow("Related links shown", self.related_cap)
        form.addRow("Newsletter text", self.newsletter)
        form.addRow("Theme folder", theme_row)

        self.font_family = QFontComboBox()
        self.font_family.setCurrentFont(QFont(settings.editor_font_family))
        self.font_size = QSpinBox(minimum=8, maximum=32, value=settings.editor_font_size)
        self.autosave = QSpinBox(minimum=200, maximum=2000, singleStep=100,
                                 value=settings.autosave_delay_ms, suffix=" ms")  # fmt: skip
        editing = QWidget()
        form = QFormLayout(editing)
        form.addRow("Editor font", self.font_family)
        form.addRow("Font size", self.font_size)
        form.addRow("Save after a pause of", self.autosave)

        self.tabs = tabs = QTabWidget()
        for page, title in ((self._my_details(settings, sections), "My details"),
                            (publication, "Publication"), (editing, "Editor"),
                            (self._checks_tab(settings, checks_note), "Spelling and style"),
                            (self._media_tab(settings), "Media")):  # fmt: skip
            tabs.addTab(page, title)
        self.newsroom = self._newsroom_tab(sync, tasks)
        self.problem = QLabel()
        self.problem.setStyleSheet(f"color: {tone('error').name()};")
        self.problem.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def _newsroom_tab(
        self, sync: SyncService | None, tasks: TaskRunner | None
    ) -> NewsroomTab | None:
        """A laptop's store syncs with a newsroom server (a server's own window has none)."""
        if sync is None or tasks is None:
            return None
        tab = NewsroomTab(sync, tasks)
        self.tabs.addTab(tab, "Newsroom")
        return tab

    def _my_details(self, settings: AppSettings, sections: Sequence[str]) -> QWidget:
        self.my_byline = QLineEdit(settings.my_byline)
        self.my_byline.setPlaceholderText("Your name as it appears on your stories")
        self.my_section = QComboBox(editable=True)
        self.my_section.addItems(["", *sections])
        self.my_section.setEditText(settings.my_section)
        self.my_dateline = QLineEdit(settings.my_dateline)
        self.my_dateline.setPlaceholderText("Where you usually file from, e.g. LONDON")
        mine = QWidget()
        form = QFormLayout(mine)
        form.addRow("Byline", self.my_byline)
        form.addRow("Section", self.my_section)
        form.addRow("Dateline", self.my_dateline)
        note = QLabel(
            "Every new article starts with these, on this computer only. A duplicated "
            "article keeps the original's."
        )
        note.setWordWrap(True)
        form.addRow(note)
        return mine

    def _checks_tab(self, settings: AppSettings, note: str) -> QWidget:
        self.check_spelling = QCheckBox("Underline spelling and house style while I type")
        self.check_spelling.setChecked(settings.check_spelling)
        self.style_folder = QLineEdit(settings.style_folder)
        self.style_folder.setPlaceholderText("Newsdesk's British news style")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._choose_style)
        style_row = QHBoxLayout()
        style_row.addWidget(self.style_folder, 1)
        style_row.addWidget(browse)
        self.word_target = QSpinBox(minimum=0, maximum=20_000, singleStep=50,
                                    value=settings.word_target)  # fmt: skip
        self.word_target.setSpecialValueText("No target")
        self.my_words = QPlainTextEdit(settings.my_words)
        self.my_words.setPlaceholderText("One word per line")
        self.my_words.setFixedHeight(90)
        page = QWidget()
        form = QFormLayout(page)
        form.addRow(self.check_spelling)
        form.addRow("House style (a Vale style folder)", style_row)
        form.addRow("Words per story", self.word_target)
        form.addRow("My dictionary", self.my_words)
        about = QLabel(
            "Spelling follows the publication's language (a story's own language when it has "
            "one). Words added to the newsroom dictionary are shared by everyone using this "
            "store; your dictionary stays on this computer."
        )
        about.setWordWrap(True)
        form.addRow(about)
        if note:
            warning = QLabel(note)
            warning.setWordWrap(True)
            warning.setStyleSheet(f"color: {tone('caution').name()};")
            form.addRow(warning)
        return page

    def _choose_style(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "House style folder", self.style_folder.text()
        )
        if folder:
            self.style_folder.setText(folder)

    def _media_tab(self, settings: AppSettings) -> QWidget:
        self.image_limit = QSpinBox(minimum=1, maximum=MAX_MEDIA_MB, suffix=" MB",
                                    value=settings.media_image_limit_mb)  # fmt: skip
        self.audio_limit = QSpinBox(minimum=1, maximum=MAX_MEDIA_MB, suffix=" MB",
                                    value=settings.media_audio_limit_mb)  # fmt: skip
        media = QWidget()
        form = QFormLayout(media)
        form.addRow("Largest picture", self.image_limit)
        form.addRow("Largest audio file", self.audio_limit)
        note = QLabel(
            "Files above these sizes are refused when added. A 24-megapixel camera JPEG "
            "weighs about 10 MB; two hours of speech at 192 kbps about 170 MB."
        )
        note.setWordWrap(True)
        form.addRow(note)

        return media

    def _choose_theme(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Theme folder", self.theme_dir.text())
        if folder:
            self.theme_dir.setText(folder)

    def problems(self) -> str:
        try:
            zone(self.time_zone.text().strip())  # the export's own check, and its message
        except ValidationError as exc:
            message = str(exc)
            return message[:1].upper() + message[1:] + "."
        url = self.base_url.text().strip()
        if not url.startswith(("https://", "http://")):
            return "The web address must start with https:// (for example https://example.com/)."
        folder = self.theme_dir.text().strip()
        if folder and not Path(folder).is_dir():
            return f"The theme folder {folder} does not exist."
        style = self.style_folder.text().strip()
        if style and not Path(style).is_dir():
            return f"The house style folder {style} does not exist."
        if not self.name.text().strip():
            return "The publication needs a name."
        return self.newsroom.problems() if self.newsroom is not None else ""

    def accept(self) -> None:
        problem = self.problems()
        self.problem.setText(problem)
        if not problem:
            super().accept()

    def profile(self) -> PublicationProfile:
        url = self.base_url.text().strip()
        return dataclasses.replace(
            self._profile,
            name=self.name.text().strip(),
            tagline=self.tagline.text().strip(),
            base_url=url if url.endswith("/") else url + "/",
            language=self.language.text().strip() or "en-GB",
            time_zone=self.time_zone.text().strip(),
            related_cap=self.related_cap.value(),
            newsletter_text=self.newsletter.toPlainText().strip(),
            theme_dir=self.theme_dir.text().strip(),
        )

    def app_changes(self) -> dict[str, Any]:
        return {
            "check_spelling": self.check_spelling.isChecked(),
            "style_folder": self.style_folder.text().strip(),
            "word_target": self.word_target.value(),
            "my_words": "\n".join(self.my_words.toPlainText().split()),
            "my_byline": self.my_byline.text().strip(),
            "my_section": self.my_section.currentText().strip(),
            "my_dateline": self.my_dateline.text().strip(),
            "editor_font_family": self.font_family.currentFont().family(),
            "editor_font_size": self.font_size.value(),
            "autosave_delay_ms": self.autosave.value(),
            "media_image_limit_mb": self.image_limit.value(),
            "media_audio_limit_mb": self.audio_limit.value(),
        }
