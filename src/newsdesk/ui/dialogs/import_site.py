"""File ▸ Import site…: a Hugo or Jekyll site read in the background, its report shown
file by file (imported, skipped and why, converted, flagged), the publication profile its
config proposes offered for confirmation, and the import stored only once accepted."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from newsdesk.core.media.media import MediaLimits
from newsdesk.core.ports import ArticleStore
from newsdesk.core.sites.site_import import PROBLEM, SitePlan, import_site, plan_site
from newsdesk.core.sites.site_report import file_lines, heading, profile_lines, summary
from newsdesk.ui.background.tasks import Task, TaskContext, TaskRunner

if TYPE_CHECKING:
    from newsdesk.ui.main_window import MainWindow


class ImportSiteDialog(QDialog):
    """Choose a site's folder, read it, look at the report, then import it (or not)."""

    site_imported = Signal(int)
    """The site is stored; carries how many articles were written."""

    def __init__(
        self,
        store: ArticleStore,
        tasks: TaskRunner,
        parent: QWidget | None = None,
        *,
        limits: MediaLimits | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import a Hugo or Jekyll site")
        self.resize(960, 680)
        self._store, self._tasks, self._limits = store, tasks, limits
        self.plan: SitePlan | None = None
        self.task: Task | None = None
        self.folder = QLineEdit()
        self.folder.setAccessibleName("Site folder")
        self.folder.setPlaceholderText("The folder holding hugo.toml, config.toml or _config.yml")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._choose)
        self.read = QPushButton("Read the site")
        self.read.clicked.connect(self.read_site)
        self.heading = QLabel("Nothing is stored until you say so.")
        self.heading.setWordWrap(True)
        self.files = QListWidget()
        self.files.setAccessibleName("Files of the site")
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setAccessibleName("What the import does with this file")
        self.profile = QLabel()
        self.profile.setWordWrap(True)
        self.use_profile = QCheckBox("Use these settings for the publication profile")
        self.use_profile.hide()
        self.progress = QProgressBar()
        self.progress.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.start = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.start.setEnabled(False)
        self.start.clicked.connect(self.run_import)
        self.buttons.rejected.connect(self._cancel)
        self.files.currentRowChanged.connect(self._show)
        self._lay_out(browse)

    def _lay_out(self, browse: QPushButton) -> None:
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        row.addWidget(self.read)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.files)
        split.addWidget(self.details)
        split.setSizes([380, 580])
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.heading)
        layout.addWidget(split, 1)
        layout.addWidget(self.profile)
        layout.addWidget(self.use_profile)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)

    def _choose(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "The site's folder", self.folder.text())
        if chosen:
            self.folder.setText(chosen)
            self.read_site()

    # -- reading ----------------------------------------------------------------------

    def read_site(self) -> Task | None:
        """Read the chosen folder in the background; the report shows when it is read."""
        text = self.folder.text().strip()
        if not text:
            self.heading.setText("Choose the site's folder first.")
            return None
        root, store, limits = Path(text).expanduser(), self._store, self._limits

        def work(context: TaskContext) -> SitePlan:
            return plan_site(root, store, limits=limits, progress=context.progress)

        self.start.setEnabled(False)
        self.read.setEnabled(False)
        self.heading.setText(f"Reading {root}…")
        self.task = self._run(work, self._read_done)
        return self.task

    def _run(self, work: object, done: object) -> Task:
        self.progress.setRange(0, 0)
        self.progress.show()
        task = self._tasks.submit(work)  # type: ignore[arg-type]
        task.progressed.connect(self._progressed)
        task.finished.connect(done)
        task.failed.connect(self._failed)
        task.cancelled.connect(lambda: self._failed("Cancelled; nothing was stored."))
        return task

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _failed(self, message: str) -> None:
        self.progress.hide()
        self.read.setEnabled(True)
        self.heading.setText(f"Nothing was imported.\n{message}")

    def _read_done(self, plan: SitePlan) -> None:
        self.plan = plan
        self.progress.hide()
        self.read.setEnabled(True)
        self.files.clear()
        for item in plan.files:
            self.files.addItem(f"{item.outcome:<10} {item.path}" + (" ⚑" if item.flagged else ""))
        problems = len(plan.problems)
        verdict = (
            f"{problems} file(s) cannot be imported: correct them (listed as “problem”) "
            "and read the site again."
            if problems
            else "Nothing is stored until you press Import."
        )
        self.heading.setText(f"<b>{heading(plan)}</b><br>{summary(plan)}<br>{verdict}")
        changes = profile_lines(plan)
        self.profile.setText("\n".join(changes))
        self.use_profile.setVisible(bool(changes))
        self.use_profile.setChecked(False)  # never applied unless the user says so
        self.start.setEnabled(not problems)
        if plan.files:
            first = next((i for i, f in enumerate(plan.files) if f.outcome == PROBLEM), 0)
            self.files.setCurrentRow(first)

    def _show(self, row: int) -> None:
        if self.plan is not None and 0 <= row < len(self.plan.files):
            self.details.setPlainText("\n".join(file_lines(self.plan.files[row])))

    # -- importing --------------------------------------------------------------------

    def run_import(self) -> Task | None:
        """Store the plan (all or nothing), then the profile if the box is ticked."""
        plan, store = self.plan, self._store
        if plan is None or plan.problems:
            return None
        use_profile = bool(plan.profile_changes) and self.use_profile.isChecked()

        def work(context: TaskContext) -> int:
            count = import_site(plan, store, context.progress)
            if use_profile:
                store.save_profile(plan.profile)
            return count

        self.start.setEnabled(False)
        self.read.setEnabled(False)
        self.heading.setText("Importing…")
        self.task = self._run(work, self._imported)
        return self.task

    def _imported(self, count: int) -> None:
        self.progress.hide()
        self.site_imported.emit(count)
        self.accept()

    def _cancel(self) -> None:
        if self.task is not None and not self.task.done:
            self.task.cancel()  # stops at the next progress report; nothing half-stored
        self.reject()


def open_site_import(window: MainWindow) -> ImportSiteDialog:
    """File ▸ Import site…: the dialog over ``window``, which refreshes once a site is in."""
    dialog = ImportSiteDialog(
        window.store, window.tasks, window, limits=window.settings.media_limits()
    )

    def refresh(count: int) -> None:
        store = window.store
        window.calls.run(  # the form's choices, read off the GUI thread
            "choices", "Reading the sections and tags", lambda: (store.sections(), store.tags()),
            lambda choices: window.editor.form.set_choices(*choices), write=False,
        )  # fmt: skip
        window.library.refresh()
        window.statusBar().showMessage(f"Imported the site: {count:,} article(s) written.", 8000)

    dialog.site_imported.connect(refresh)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
