"""Export from the window: choose formats, folder and articles; runs in the background.

The dialog hands off the whole archive (by status, optionally one section), or only the
stories it was opened with ("Export this story", "Export selected"). A partial export
touches only its stories' files: the others already in the folder stay as they are.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl, Signal
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
from newsdesk.core.models import PUBLISHABLE, ArticleSummary, Status
from newsdesk.core.ports import ArticleQuery, ArticleStore
from newsdesk.publish.exporting.export import ExportReport, export
from newsdesk.publish.formats import FORMATS
from newsdesk.publish.handoff.handoff import HANDOFF_JSON, HANDOFF_MD
from newsdesk.publish.handoff.open_problems import OpenProblems, after_export
from newsdesk.ui.background.store_calls import StoreCalls
from newsdesk.ui.background.store_worker import alive, reads_lane
from newsdesk.ui.background.tasks import Task, TaskContext, TaskRunner
from newsdesk.ui.icons import icon
from newsdesk.ui.palette import tone
from newsdesk.ui.settings import ExportChoice

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
EVERY_ARTICLE = 1_000_000_000  # a query limit above any store's size
SHOWN_HEADLINES = 3
SHOWN_PROBLEMS = 5  # stories with open problems listed under the summary


class ExportDialog(QDialog):
    """Runs an export with a progress bar and cancel, then sums up and opens the folder."""

    export_finished = Signal(object)
    """The export ended well; carries the :class:`ExportReport`."""

    choice_made = Signal(object)
    """An export started: carries the :class:`ExportChoice` to offer next time."""

    publication = ""
    """The publication's name, once read (the choices are remembered under it)."""

    def __init__(
        self,
        store: ArticleStore,
        tasks: TaskRunner,
        parent: QWidget | None = None,
        *,
        stories: Sequence[ArticleSummary] = (),
        recall: Callable[[str], ExportChoice | None] | None = None,
    ):
        super().__init__(parent)
        self.setMinimumWidth(560)
        self._store = store
        self._tasks = tasks
        self.stories = tuple(stories)
        """The stories to hand off; empty for the whole archive."""
        self._task: Task | None = None
        self.report: ExportReport | None = None
        self.history_note = ""
        """Set when the export's revisions could not be recorded (the files are fine)."""
        self.handoff_note = ""
        """What changed for the web team, from the hand-off manifest the export wrote."""
        # The exported stories with open problems (the readiness checklist), once done.
        self.open_problems: OpenProblems | None = None

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
        self.which.setAccessibleName("Statuses to export")
        for label in WHICH:
            self.which.addItem(label)
        self.section = QComboBox()
        self._read_sections()
        self.scope = QLabel(self._scope_text())
        self.scope.setObjectName("exportScope")
        self.scope.setWordWrap(True)
        self.scope_note = QLabel()
        self.scope_note.setObjectName("exportScopeNote")
        self.scope_note.setStyleSheet(f"color: {tone('caution').name()};")  # not an error
        self.scope_note.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.site_warning, self.problems = _summary_labels()
        self.open_folder = QPushButton(icon("folder"), "Open folder")
        self.open_folder.hide()
        self.open_folder.clicked.connect(self._open_folder)

        self._make_buttons()
        self.which.currentIndexChanged.connect(self._explain_scope)
        self._lay_out(browse)
        self.setWindowTitle(self._title())
        if recall is not None:
            self._read_publication(recall)
        self._explain_scope()

    def _make_buttons(self) -> None:
        self.buttons = QDialogButtonBox()
        self.start = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.addButton(self.open_folder, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_folder.hide()  # adding it to the box showed it; it is for after an export
        self.start.clicked.connect(self.run_export)
        self.cancel.clicked.connect(self._cancel)

    def _lay_out(self, browse: QPushButton) -> None:
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        format_box = QVBoxLayout()
        for box in self.formats.values():
            format_box.addWidget(box)
        form = QFormLayout()
        form.addRow("Formats", format_box)
        form.addRow("Folder", folder_row)
        form.addRow("Articles", self.scope)
        form.addRow("Statuses", self.which)
        if not self.stories:
            form.addRow("Section", self.section)
        form.addRow("", self.scope_note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.site_warning)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)

    # -- what to hand off -------------------------------------------------------------

    def _title(self) -> str:
        count = len(self.stories)
        if count == 0:
            return "Export the archive"
        return "Export this story" if count == 1 else f"Export {count} selected stories"

    def _scope_text(self) -> str:
        if not self.stories:
            return "The whole archive, by status and section."
        names = [f"“{s.headline or '(no headline)'}” ({s.status.label})" for s in self.stories]
        shown = [f"• {name}" for name in names[:SHOWN_HEADLINES]]
        more = len(names) - SHOWN_HEADLINES
        if more > 0:
            shown.append(f"• and {more} more")
        return "\n".join([*shown, "The other stories' files in the folder are kept as they are."])

    def _explain_scope(self) -> None:
        """Say which of the chosen stories the chosen statuses leave out, and how to fix it."""
        statuses = WHICH[self.which.currentText()]
        left_out = [s for s in self.stories if s.status not in statuses]
        if not left_out:
            self.scope_note.setText("")
            return
        names = ", ".join(f"“{s.headline or '(no headline)'}”" for s in left_out[:SHOWN_HEADLINES])
        self.scope_note.setText(
            f"Not exported with these statuses: {names} "
            f"({', '.join(sorted({s.status.label for s in left_out}))}). "
            "Choose “Every article, drafts included” to hand them off anyway."
        )

    def _recall(self, choice: ExportChoice) -> None:
        if choice.folder:
            self.folder.setText(choice.folder)
        known = [name for name in choice.formats if name in self.formats]
        if known:
            for name, box in self.formats.items():
                box.setChecked(name in known)
        found = self.which.findText(choice.articles)
        if found >= 0:
            self.which.setCurrentIndex(found)

    def choice(self) -> ExportChoice:
        """The folder, formats and statuses as set now (remembered for next time)."""
        return ExportChoice(
            folder=self.folder.text().strip(),
            formats=tuple(self.chosen_formats()),
            articles=self.which.currentText(),
        )

    def _read_sections(self) -> None:
        """Offer the archive's sections once read, off the GUI thread (reads lane); a
        healthy store answers within :attr:`StoreCalls.GRACE_S`, before the dialog shows."""
        self.section.setAccessibleName("Section to export")
        self.section.addItem("Every section", None)
        if self.stories:
            return  # the stories chosen: no section to choose
        store, lane = self._store, reads_lane()
        self.section.setEnabled(False)
        self.section.setToolTip("Reading the archive's sections…")

        def answered(names: object, error: BaseException | None) -> None:
            if not alive(self):
                return  # the dialog was closed meanwhile
            self.section.setEnabled(True)
            if error is not None:
                self.section.setToolTip(
                    f"The sections could not be read ({error}): export every section, or "
                    "open this dialog again to choose one."
                )
                return
            self.section.setToolTip("")
            for name in names if isinstance(names, list) else ():
                self.section.addItem(name, name)

        lane.submit(lambda: list(store.sections()), answered)
        if not lane.slow:
            lane.wait(StoreCalls.GRACE_S)

    def _read_publication(self, recall: Callable[[str], ExportChoice | None]) -> None:
        """Read the publication's name off the GUI thread, then offer the choices last made
        for it (unless the journalist has begun choosing meanwhile)."""
        store, lane, touched = self._store, reads_lane(), [False]
        self.folder.textEdited.connect(lambda _text: touched.__setitem__(0, True))
        self.which.activated.connect(lambda _index: touched.__setitem__(0, True))
        for box in self.formats.values():
            box.clicked.connect(lambda _on: touched.__setitem__(0, True))

        def answered(name: object, error: BaseException | None) -> None:
            if not alive(self) or error is not None or not isinstance(name, str):
                return  # the choices are not remembered this time; the export works
            self.publication = name
            choice = recall(name)
            if choice is not None and not touched[0]:
                self._recall(choice)
                self._explain_scope()

        lane.submit(lambda: store.profile().name, answered)
        if not lane.slow:
            lane.wait(StoreCalls.GRACE_S)

    def only(self) -> Callable[[], list[str] | None]:
        """How to find the uris the export is limited to (None: the whole archive), as
        chosen now; called on the export's thread (a section's stories are read then)."""
        if self.stories:
            chosen = [story.uri for story in self.stories]
            return lambda: chosen
        section, store = self.section.currentData(), self._store
        if section is None:
            return lambda: None
        # Every status: a story of the section withdrawn since has its files removed.
        query = ArticleQuery(section=section, limit=EVERY_ARTICLE)
        return lambda: [uri for uri, _version, _updated in store.article_versions(query)]

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
        find_only = self.only()

        self.history_note = ""
        self.open_problems = None
        self.choice_made.emit(self.choice())

        def work(context: TaskContext) -> ExportReport:
            only = find_only()
            report = export(store, target, formats=formats, statuses=statuses,
                            only=only, progress=context.progress)  # fmt: skip
            # The files are in place: an "export" revision of each article records it.
            try:
                _record(store, statuses, only, [problem.uri for problem in report.problems])
            except NewsdeskError as exc:
                self.history_note = f"The history does not record this export: {exc}"
            self.handoff_note = _handoff_note(target)
            # Which stories went out with open problems (the whole checklist for chosen
            # stories; without spelling and style for the whole archive: it would double
            # the export's time).
            try:
                self.open_problems = after_export(store, report, statuses=statuses, only=only)
            except NewsdeskError:
                self.open_problems = None  # the export itself is done and said
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
        self._say(" ".join(filter(None, (report.summary(), self.handoff_note, self.history_note))))
        self._show_problems(self.open_problems)
        self.start.setEnabled(True)
        self.start.setText("Export again")
        self.cancel.setText("Close")
        self.open_folder.show()
        self.export_finished.emit(report)

    def _show_problems(self, found: OpenProblems | None) -> None:
        """The site-address warning, and each exported story with open problems."""
        self.site_warning.setText(f"Warning: {found.site}" if found and found.site else "")
        self.site_warning.setVisible(bool(found and found.site))
        if found is None or not found.stories:
            self.problems.setText("")
            self.problems.hide()
            return
        lines = [f"{found.headline()}:", *(f"• {line}" for line in found.lines(SHOWN_PROBLEMS))]
        lines += [*found.notes, "Open each story to fix them: spelling and style are "
                  "underlined, and the checklist shows when you set its status again."]  # fmt: skip
        self.problems.setText("\n".join(lines))
        self.problems.show()

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
        self.message.setStyleSheet(f"color: {tone('error').name()};" if error else "")
        self.message.setText(text)


def _summary_labels() -> tuple[QLabel, QLabel]:
    """Below the summary: the site-address warning (loud: every exported address points at
    the placeholder) and the stories exported with open problems."""
    warning = QLabel()
    warning.setObjectName("exportSiteWarning")
    warning.setWordWrap(True)
    warning.setStyleSheet(f"color: {tone('error').name()}; font-weight: bold;")
    warning.hide()
    problems = QLabel()
    problems.setObjectName("exportOpenProblems")
    problems.setWordWrap(True)
    problems.setTextFormat(Qt.TextFormat.PlainText)
    problems.setStyleSheet(f"color: {tone('caution').name()};")
    problems.hide()
    return warning, problems


def _record(
    store: ArticleStore,
    statuses: Collection[Status],
    only: Collection[str] | None,
    problems: list[str],
) -> None:
    """An "export" revision for each article the export wrote, and no other."""
    left_out = set(problems)
    if only is not None:
        chosen = set(only)
        query = ArticleQuery(statuses=frozenset(statuses), limit=EVERY_ARTICLE)
        left_out.update(uri for uri, _v, _u in store.article_versions(query) if uri not in chosen)
    record_exports(store, statuses=statuses, left_out=left_out)


def _handoff_note(folder: Path) -> str:
    """ "For the web team: 1 added, 2 updated ..." from the manifest, or "" without one."""
    try:
        counts = json.loads((folder / HANDOFF_JSON).read_text("utf-8"))["counts"]
        parts = [f"{counts[name]} {name}" for name in
                 ("added", "updated", "withdrawn", "unchanged") if counts.get(name)]  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError):
        return ""  # the files are exported all the same; the manifest is the export's business
    return f"For the web team: {', '.join(parts) or 'no stories'} ({HANDOFF_MD} in the folder)."
