"""Which panes fit beside the text at a given width: the arithmetic alone."""

from __future__ import annotations

import pytest

from newsdesk.ui.desk.desk_layout import (
    HANDLE,
    MIN_WIDTH,
    WRITING_MIN,
    Pane,
    PreviewMode,
    asked_for,
    pane_widths,
    plan_panes,
)

ALL = {Pane.LIBRARY, Pane.INSPECTOR, Pane.PREVIEW}


@pytest.mark.parametrize("width", [700, 800, 1024, 1280, 1366, 1600, 1920, 2560])
def test_no_pane_is_ever_squashed_below_its_minimum(width: int) -> None:
    plan = plan_panes(width, ALL)
    needed = WRITING_MIN + sum(MIN_WIDTH[p] + HANDLE for p in plan.shown())
    assert needed <= width
    writing, sizes = pane_widths(width, plan.shown(), {})
    assert writing >= WRITING_MIN
    assert all(sizes[p] >= MIN_WIDTH[p] for p in plan.shown())
    assert writing + sum(sizes.values()) + HANDLE * len(sizes) <= width


def test_a_narrow_window_turns_the_preview_into_a_toggle_and_collapses_the_library() -> None:
    narrow = plan_panes(800, ALL)
    assert narrow.preview == PreviewMode.SWAP
    assert not narrow.library
    laptop = plan_panes(1024, ALL)
    assert laptop.preview == PreviewMode.SIDE  # the preview comes first by default
    assert not laptop.library and not laptop.inspector
    assert plan_panes(1920, ALL).shown() == [Pane.LIBRARY, Pane.INSPECTOR, Pane.PREVIEW]


def test_the_pane_asked_for_last_gets_the_room_first() -> None:
    priority = asked_for((Pane.PREVIEW, Pane.INSPECTOR, Pane.LIBRARY), Pane.LIBRARY)
    plan = plan_panes(1024, ALL, priority)
    assert plan.library
    assert plan.preview == PreviewMode.SWAP  # no room left beside the text


def test_a_hidden_preview_with_room_is_off_not_a_toggle() -> None:
    assert plan_panes(1920, {Pane.LIBRARY}).preview == PreviewMode.OFF
    assert plan_panes(1920, ALL, focus=True).shown() == []


def test_widths_the_user_chose_are_kept_and_defaults_give_way_to_the_text() -> None:
    shown = [Pane.INSPECTOR, Pane.PREVIEW]
    writing, sizes = pane_widths(1366, shown, {Pane.INSPECTOR: 420})
    assert sizes[Pane.INSPECTOR] == 420
    assert writing >= WRITING_MIN
    writing_default, _ = pane_widths(1366, shown, {})
    assert writing_default > writing  # a default preview shrank for the text's comfort
