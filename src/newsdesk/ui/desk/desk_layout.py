"""Which panes the window shows at a given width: the text first, then what was asked for.

Pure arithmetic, no widgets: the window asks :func:`plan_panes` on every resize and on
every toggle, and :func:`pane_widths` how wide each shown pane should be.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Pane(StrEnum):
    """The panes around the writing column."""

    LIBRARY = "library"
    INSPECTOR = "inspector"
    PREVIEW = "preview"


WRITING_MIN = 440
"""The writing column never gets narrower: about 55 characters of body text."""
WRITING_COMFORT = 620
"""Side panes give up their extra width before the text goes below this."""
MIN_WIDTH: Mapping[Pane, int] = {Pane.LIBRARY: 230, Pane.INSPECTOR: 320, Pane.PREVIEW: 380}
"""No pane is narrower than this. The preview's leaves room for a 360 px phone column."""
DEFAULT_WIDTH: Mapping[Pane, int] = {Pane.LIBRARY: 340, Pane.INSPECTOR: 360, Pane.PREVIEW: 520}
HANDLE = 6
"""A splitter handle's width, counted between panes."""
DEFAULT_PRIORITY = (Pane.PREVIEW, Pane.INSPECTOR, Pane.LIBRARY)
"""Who gets the room first when not everything fits (the last one asked for goes first)."""


class PreviewMode(StrEnum):
    """How the preview is offered at this width."""

    SIDE = "side"
    """Beside the text."""
    SWAP = "swap"
    """Too narrow for both: the preview is a toggle that takes the text's place."""
    OFF = "off"
    """Room enough, but hidden by the user."""


@dataclass(frozen=True)
class PanePlan:
    """What to show."""

    library: bool
    inspector: bool
    preview: PreviewMode

    def shown(self) -> list[Pane]:
        """The side panes shown beside the text, in window order."""
        order = [Pane.LIBRARY, Pane.INSPECTOR, Pane.PREVIEW]
        visible = {
            Pane.LIBRARY: self.library,
            Pane.INSPECTOR: self.inspector,
            Pane.PREVIEW: self.preview == PreviewMode.SIDE,
        }
        return [pane for pane in order if visible[pane]]


def plan_panes(
    width: int,
    wanted: Collection[Pane],
    priority: Sequence[Pane] = DEFAULT_PRIORITY,
    *,
    focus: bool = False,
) -> PanePlan:
    """The panes that fit beside a writing column of at least :data:`WRITING_MIN` pixels.

    ``wanted`` are the panes the user has switched on; ``priority`` orders who gets the
    room first. A wanted pane that does not fit is collapsed, not squashed; a preview that
    does not fit becomes a toggle (:attr:`PreviewMode.SWAP`). Focus mode shows only the text.
    """
    if focus:
        return PanePlan(library=False, inspector=False, preview=PreviewMode.OFF)
    room = width - WRITING_MIN
    shown: set[Pane] = set()
    for pane in _ordered(priority):
        need = MIN_WIDTH[pane] + HANDLE
        if pane in wanted and need <= room:
            shown.add(pane)
            room -= need
    preview_fits = Pane.PREVIEW in shown or MIN_WIDTH[Pane.PREVIEW] + HANDLE <= room
    if Pane.PREVIEW in shown:
        mode = PreviewMode.SIDE
    elif preview_fits:
        mode = PreviewMode.OFF
    else:
        mode = PreviewMode.SWAP
    return PanePlan(Pane.LIBRARY in shown, Pane.INSPECTOR in shown, mode)


def pane_widths(
    width: int, shown: Sequence[Pane], preferred: Mapping[Pane, int]
) -> tuple[int, dict[Pane, int]]:
    """(the writing column's width, each shown side pane's width) for a window ``width``.

    A pane the user sized keeps its width while the text keeps :data:`WRITING_MIN`; a pane
    at its default gives width back (down to its minimum) while the text would be narrower
    than :data:`WRITING_COMFORT`. The text takes the rest.
    """
    sizes = {pane: max(MIN_WIDTH[pane], preferred.get(pane, DEFAULT_WIDTH[pane])) for pane in shown}
    available = width - HANDLE * len(shown)
    defaults = [pane for pane in shown if pane not in preferred]
    _give_back(sizes, defaults, sum(sizes.values()) + WRITING_COMFORT - available)
    _give_back(sizes, list(shown), sum(sizes.values()) + WRITING_MIN - available)
    return max(WRITING_MIN, available - sum(sizes.values())), sizes


def _give_back(sizes: dict[Pane, int], panes: list[Pane], excess: int) -> None:
    """Take ``excess`` pixels from ``panes``, in proportion to what each has above its minimum."""
    spare = {pane: sizes[pane] - MIN_WIDTH[pane] for pane in panes}
    total = sum(spare.values())
    if excess <= 0 or total <= 0:
        return
    for pane in panes:
        sizes[pane] -= min(spare[pane], -(-excess * spare[pane] // total))


def _ordered(priority: Sequence[Pane]) -> list[Pane]:
    seen = list(dict.fromkeys(priority))
    return seen + [pane for pane in DEFAULT_PRIORITY if pane not in seen]


def asked_for(priority: Sequence[Pane], pane: Pane) -> tuple[Pane, ...]:
    """``priority`` with ``pane`` first: the pane the user just switched on gets the room."""
    return (pane, *(p for p in _ordered(priority) if p != pane))
