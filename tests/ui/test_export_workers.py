"""A big export from the window's dialog renders in worker processes, as the CLI does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newsdesk.core.models import Article, RelatedLink, Status

ARTICLES = 60  # above the export's threshold for worker processes


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def many_articles() -> list[Article]:
    base = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    uris = [f"urn:newsdesk:article:pool-{n:03d}" for n in range(ARTICLES)]
    return [
        Article(
            headline=f"Council reviews plan number {n}",
            uri=uris[n],
            status=Status.PUBLISHED,
            slug=f"plan-{n:03d}",
            section=("World", "UK News", "Business")[n % 3],
            standfirst=f"Residents asked about plan {n}.",
            body=f"First paragraph of story {n}.\n\n## Detail\n\n- one\n- two\n\nLast words.",
            created_at=base + timedelta(hours=n),
            updated_at=base + timedelta(hours=n, minutes=5),
            first_published_at=base + timedelta(hours=n),
            related=(RelatedLink(title="x", target_uri=uris[(n + 7) % ARTICLES]),),
        )
        for n in range(ARTICLES)
    ]


def test_a_big_export_from_the_dialog_uses_worker_processes_and_same_bytes(
    qtbot: Any,
    make_window: Any,
    empty_store: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from newsdesk.publish.exporting import workers
    from newsdesk.publish.exporting.export import export
    from newsdesk.ui.dialogs.export_dialog import ExportDialog

    started: list[bool] = []
    real_start = workers.Workers.start

    def spy(self: workers.Workers, jobs: int) -> bool:
        running = real_start(self, jobs)
        started.append(running)
        return running

    monkeypatch.setattr(workers.Workers, "start", spy)
    empty_store.create_many(many_articles())
    window = make_window(empty_store)
    dialog = ExportDialog(empty_store, window.tasks, window)
    qtbot.addWidget(dialog)
    out = tmp_path / "handoff"
    dialog.folder.setText(str(out))
    with qtbot.waitSignal(dialog.export_finished, timeout=180_000) as finished:
        dialog.start.click()
    report = finished.args[0]
    assert report.articles == ARTICLES
    assert report.problems == []
    assert True in started  # the dialog's export ran worker processes
    assert not any(p.name.startswith(".newsdesk-") and p.is_dir() for p in out.iterdir())
    page = out / "site" / "world" / "plan-000" / "index.html"
    assert "Council reviews plan number 0" in page.read_text("utf-8")
    started.clear()
    export(empty_store, tmp_path / "serial", workers=1)
    assert started and True not in started  # this one in this process alone
    assert snapshot(out) == snapshot(tmp_path / "serial")
