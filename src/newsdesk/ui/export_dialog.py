"""Export from the window: choose formats, folder and articles; runs in the background."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from newsdesk.core.errors import NewsdeskError
from newsdesk.core.history import record_exports
from newsdesk.core.models import PUBLISHABLE, Status
from newsdesk.core.ports import ArticleStore
from newsdesk.publish.export import ExportReport, export
from newsdesk.publish.formats import FORMATS
from newsdesk.ui.icons import icon
from newsdesk.ui.tasks import Task, TaskContext, TaskRunner

FORMAT_LABELS = {
    "site": "Static site (pages, sections, feed, sitemap)",
    "fragment": "HTML fragments for the CMS",
    "markdown": "Markdown with front matter (Hugo, Jekyll)",
    "ninjs": "IPTC ninjs 3.2 JSON",
    "bundle": "Bundle: zip with a manifest",
}
WHICH = {
    "Ready, scheduled and published": PUBLISHABLE,
    "Every article, drafts included": frozenset(Status),
    "Published only": frozenset({Status.PUBLISHED}),
}


class ExportDialog(QDialog):
    """Runs an export with a progress bar and cancel, then sums up and opens the folder."""

    export_finished = Signal(object)
    """The export ended well; carries the :class:`ExportReport`."""

    def __init__(self, store: ArticleStore, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.setMinimumWidth(560)
        self._store = store
        self._tasks = tasks
        self._task: Task | None = None
        self.report: ExportReport | None = None
        self.history_note = ""
        """Set when the export's revisions could not be recorded (the files are fine)."""

        self.formats = {name: QCheckBox(FORMAT_LABELS.get(name, name)) for name in FORMATS}
        for box in self.formats.values():
            box.setChecked(True)
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        default = Path(documents or Path.home()) / "Newsdesk export"
        self.folder = QLineEdit(str(default))
        self.folder.setAccessibleName("Export folder")
        browse = QPushButton(icon("folder"), "Choose…")
        browse.clicked.connect(self._choose)
        self.which = QComboBox()
        for label in WHICH:
            self.which.addItem(label)
        self.progress = QProgressBar()
        self.progress.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.open_folder = QPushButton(icon("folder"), "Open folder")
        self.open_folder.hide()
        self.open_folder.clicked.connect(self._open_folder)

        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        format_box = QVBoxLayout()
        for box in self.formats.values():
            format_box.addWidget(box)
        form = QFormLayout()
        form.addRow("Formats", format_box)
        form.addRow("Folder", folder_row)
        form.addRow("Articles", self.which)

        self.buttons = QDialogButtonBox()
        self.start = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.addButton(self.open_folder, QDialogButtonBox.ButtonRole.ActionRole)
        self.start.clicked.connect(self.run_export)
        self.cancel.clicked.connect(self._cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def _choose(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export to", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def chosen_formats(self) -> list[str]:
        return [name for name, box in self.formats.items() if box.isChecked()]

    def run_export(self) -> Task | None:
        formats = self.chosen_formats()
        folder = self.folder.text().strip()
        if not formats:
            self._say("Choose at least one format.", error=True)
            return None
        if not folder:
            self._say("Choose a folder to export to.", error=True)
            return None
        statuses = WHICH[self.which.currentText()]
        target = Path(folder).expanduser()
        store = self._store

        self.history_note = ""

        def work(context: TaskContext) -> ExportReport:
            report = export(store, target, formats=formats, statuses=statuses,
                            progress=context.progress)  # fmt: skip
            # The files are in place: an "export" revision of each article records it.
            try:
                record_exports(store, statuses=statuses,
                               left_out=[problem.uri for problem in report.problems])  # fmt: skip
            except NewsdeskError as exc:
                self.history_note = f"The history does not record this export: {exc}"
            return report

        self.start.setEnabled(False)
        self.open_folder.hide()
        self.progress.setRange(0, 0)
        self.progress.show()
        self._say("Exporting…")
        self._task = self._tasks.submit(work)
        self._task.progressed.connect(self._progressed)
        self._task.finished.connect(self._finished)
        self._task.failed.connect(self._failed)
        self._task.cancelled.connect(self._cancelled)
        return self._task

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _finished(self, report: ExportReport) -> None:
        self.report = report
        self._task = None
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self._say(f"{report.summary()} {self.history_note}".strip())
        self.start.setEnabled(True)
        self.start.setText("Export again")
        self.cancel.setText("Close")
        self.open_folder.show()
        self.export_finished.emit(report)

    def _failed(self, message: str) -> None:
        self._task = None
        self.progress.hide()
        self.start.setEnabled(True)
        self._say(f"Nothing was changed in the folder. {message}", error=True)

    def _cancelled(self) -> None:
        self._task = None
        self.progress.hide()
        self.start.setEnabled(True)
        self._say("Export cancelled; the folder is as it was.")

    def _cancel(self) -> None:
        if self._task is not None and not self._task.done:
            self._task.cancel()
            self._say("Cancelling…")
            return
        self.reject()

    def _open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(self.folder.text()))

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b3261e;" if error else "")
        self.message.setText(text)
