"""Former addresses in the details: shown, edited, checked as typed, saved normalised."""

from __future__ import annotations

from typing import Any

from newsdesk.core.models import Article


def test_former_addresses_are_edited_in_the_details_and_a_wrong_one_waits(
    qtbot: Any, make_window: Any, empty_store: Any
) -> None:
    article = empty_store.create(
        Article(headline="Pier reopens", body="Text.", aliases=("/2019/05/pier/",))
    )
    window = make_window(empty_store)
    qtbot.waitUntil(lambda: window.session.stored is not None, timeout=5000)
    field = window.editor.form.aliases
    assert field.text() == "/2019/05/pier/"
    field.setFocus()
    field.end(False)
    qtbot.keyClicks(field, ", https://old.example/pier")
    problem = window.editor.form.aliases_problem
    assert "is not a path" in problem.text() and not problem.isHidden()
    assert window.session.flush()  # the story is saved; the wrong address waits
    assert empty_store.get(article.uri).aliases == ("/2019/05/pier/",)
    field.selectAll()
    qtbot.keyClicks(field, "/2019/05/pier/, old/pier-reopens.html")
    assert problem.text() == ""
    assert window.session.flush()
    assert empty_store.get(article.uri).aliases == ("/2019/05/pier/", "/old/pier-reopens.html")
