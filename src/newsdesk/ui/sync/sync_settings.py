"""Settings ▸ Newsroom: the newsroom server this laptop syncs with, and a connection test
that says what is wrong (refused, wrong password, not a Newsdesk server)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from newsdesk.core.ports import SyncService
from newsdesk.core.sync_status import is_server_address, split_password, with_password
from newsdesk.ui.background.tasks import TaskRunner
from newsdesk.ui.palette import tone


class NewsroomTab(QWidget):
    """The server's address (the one ``newsdesk sync --server URL`` remembers), its password
    in a field of its own that shows dots: a screen shared in a meeting shows no password."""

    def __init__(
        self, service: SyncService, tasks: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.tasks = tasks
        self.remembered = service.server() or ""
        address, password = split_password(self.remembered)
        self.address = QLineEdit(address)
        self.address.setPlaceholderText("postgresql://you@newsroom.example/newsdesk")
        self.address.setAccessibleName("Newsroom server address")
        self.address.editingFinished.connect(self._password_apart)
        self.password = QLineEdit(password)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("if the server asks for one")
        self.password.setAccessibleName("Newsroom server password")
        self.test = QPushButton("Test connection")
        self.test.clicked.connect(self.test_connection)
        row = QHBoxLayout()
        row.addWidget(self.address, 1)
        row.addWidget(self.test)
        self.answer = QLabel()
        self.answer.setObjectName("connectionAnswer")
        self.answer.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("Server", row)
        form.addRow("Password", self.password)
        form.addRow(self.answer)
        note = QLabel(
            "Stories, their history, pictures and audio, the newsroom dictionary and the "
            "publication profile sync with this server every minute while it can be "
            "reached, and soon after each save (File ▸ Sync now at any time). Offline, "
            "everything waits here and goes at the next sync."
        )
        note.setWordWrap(True)
        form.addRow(note)

    def typed(self) -> str:
        """The whole address: what is typed, with the password field's password put in."""
        return with_password(self.address.text(), self.password.text())

    def _password_apart(self) -> None:
        """An address pasted with its password in it: the password moves to its field."""
        address, password = split_password(self.address.text())
        if password:
            self.address.setText(address)
            self.password.setText(password)

    def problems(self) -> str:
        url = self.typed()
        if not url and not self.remembered:
            return ""
        if not is_server_address(url):
            return (
                "The newsroom server's address starts with postgresql:// (for example "
                "postgresql://you@newsroom.example/newsdesk); ask the newsroom for it."
            )
        return ""

    def apply(self) -> bool:
        """Remember the address typed (after OK); whether it changed."""
        url = self.typed()
        if not url or url == self.remembered:
            return False
        self.service.set_server(url)
        self.remembered = url
        return True

    def test_connection(self) -> None:
        """Try the address typed, off the GUI thread (an unreachable server takes seconds)."""
        problem = self.problems() or ("" if self.typed() else "Type the server's address first.")
        if problem:
            self._answer(problem, ok=False)
            return
        self.test.setEnabled(False)
        self._answer("Trying…", ok=True)
        service, url = self.service, self.typed()
        task = self.tasks.submit(lambda _context: service.check_server(url))
        task.finished.connect(lambda message: self._answer(str(message), ok=True))
        task.failed.connect(lambda message: self._answer(message, ok=False))

    def _answer(self, message: str, *, ok: bool) -> None:
        if message != "Trying…":
            self.test.setEnabled(True)
        self.answer.setStyleSheet("" if ok else f"color: {tone('error').name()};")
        self.answer.setText(message)
        self.answer.setProperty("ok", ok)
