"""Settings ▸ Newsroom keeps the server's password out of sight and out of the address."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QLineEdit, QWidget

from newsdesk.ui.background.tasks import TaskRunner
from newsdesk.ui.sync.sync_settings import NewsroomTab

REMEMBERED = "postgresql+psycopg://desk:p%40ss@newsroom.example/newsdesk"


class RememberingService:
    """The part of the sync service the tab uses: the remembered address."""

    def __init__(self, server: str | None) -> None:
        self.remembered = server

    def server(self) -> str | None:
        return self.remembered

    def set_server(self, url: str) -> None:
        self.remembered = url


@pytest.fixture
def holder(qtbot: Any) -> Iterator[QWidget]:
    widget = QWidget()  # the tab's parent, alive for the whole test
    qtbot.addWidget(widget)
    yield widget


def tab_for(holder: QWidget, server: str | None) -> tuple[NewsroomTab, RememberingService]:
    service = RememberingService(server)
    return NewsroomTab(service, TaskRunner(holder), holder), service  # type: ignore[arg-type]


def test_the_password_is_shown_as_dots_and_not_in_the_address(holder: QWidget) -> None:
    tab, service = tab_for(holder, REMEMBERED)

    assert tab.address.text() == "postgresql+psycopg://desk@newsroom.example/newsdesk"
    assert tab.password.echoMode() == QLineEdit.EchoMode.Password
    assert tab.password.text() == "p@ss"
    assert tab.typed() == REMEMBERED
    assert not tab.apply() and service.remembered == REMEMBERED  # nothing changed


def test_a_pasted_address_gives_its_password_to_the_password_field(holder: QWidget) -> None:
    tab, service = tab_for(holder, None)
    tab.address.setText("postgresql://me:hunter2@db.example/newsdesk")
    tab.address.editingFinished.emit()

    assert "hunter2" not in tab.address.text()
    assert tab.password.text() == "hunter2"
    assert tab.apply() and service.remembered == "postgresql://me:hunter2@db.example/newsdesk"


def test_a_new_password_for_the_same_address_is_remembered(holder: QWidget) -> None:
    tab, service = tab_for(holder, REMEMBERED)
    tab.password.setText("n3w pass/word")

    assert tab.apply()
    assert service.remembered == (
        "postgresql+psycopg://desk:n3w%20pass%2Fword@newsroom.example/newsdesk"
    )
