"""A hand-off manifest spliced into the previous one's bytes is the one made line by line.

A partial export into a big folder changes few lines of ``handoff.json``: they are found
in the bytes read and replaced, the others copied as they are. Whatever changed, the
folder must then hold the very bytes (``handoff.json``, ``HANDOFF.md`` and the record,
which keeps the manifest's digest) that the manifest made story by story gives, with or
without the previous manifest to copy lines from.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.media_samples import jpeg_bytes

from newsdesk.core.media.media import MediaAsset, image_markdown
from newsdesk.core.models import Article, Status
from newsdesk.publish.exporting.export import export
from newsdesk.publish.handoff import handoff, handoff_lines

from .fakes import ListStore
from .samples import other
from .test_media_export import INLINE, asset, illustrated, library

COMPARED = ("handoff.json", "HANDOFF.md", ".newsdesk-export.json")
Library = list[tuple[MediaAsset, bytes]]


def stories() -> list[Article]:
    """Twelve stories in two sections, so that lines are found among others."""
    found = [other(n) for n in range(2, 14)]
    return [
        dataclasses.replace(a, section="Business") if n % 3 == 0 else a for n, a in enumerate(found)
    ]


def edited(article: Article, **changes: object) -> Article:
    return dataclasses.replace(
        article,
        **{"headline": article.headline + " (revised)", **changes},
        version=article.version + 1,
        updated_at=article.updated_at + timedelta(hours=3),
    )


def replaced(articles: Sequence[Article], number: int, **changes: object) -> list[Article]:
    """``articles`` with story ``number`` (as :func:`other` numbers them) edited."""
    slug = f"harbour-review-{number}"
    return [edited(a, **changes) if a.slug == slug else a for a in articles]


def uri(number: int) -> str:
    return other(number).uri


@dataclasses.dataclass
class Scenario:
    first: list[Article]
    second: list[Article]
    only: list[str] | None
    media: Library = dataclasses.field(default_factory=list)
    media_after: Library | None = None
    formats_first: str = "site,fragment,markdown,ninjs"


def _edit() -> Scenario:
    return Scenario(stories(), replaced(stories(), 7), [uri(7)])


def _edits_first_and_last() -> Scenario:
    return Scenario(stories(), replaced(replaced(stories(), 10), 9), [uri(10), uri(9)])


def _full_edit() -> Scenario:
    return Scenario(stories(), replaced(replaced(stories(), 4), 12), None)


def _status_of_a_kept_story() -> Scenario:
    first = replaced(stories(), 3, status=Status.READY)  # and stays so
    second = replaced(replaced(first, 7), 11, status=Status.READY)
    return Scenario(first, second, [uri(7)])


def _status_back_to_the_common_one() -> Scenario:
    first = replaced(stories(), 11, status=Status.READY)
    second = replaced(replaced(first, 7), 11, status=Status.PUBLISHED)
    return Scenario(first, second, [uri(7)])


def _withdraw() -> Scenario:
    second = replaced(stories(), 5, status=Status.WITHDRAWN)
    return Scenario(stories(), second, None)


def _withdraw_the_last_line() -> Scenario:
    second = replaced(stories(), 9, status=Status.WITHDRAWN)  # world/harbour-review-9 is last
    return Scenario(stories(), second, None)


def _add() -> Scenario:
    return Scenario(stories(), [*stories(), other(20), other(99)], [uri(20), uri(99)])


def _moved() -> Scenario:
    second = replaced(stories(), 8, section="Business")
    second = replaced(second, 4, slug="harbour-review-4-renamed")
    return Scenario(stories(), second, [uri(8), uri(4)])


def _rendition_changed() -> Scenario:
    """A picture two stories show is replaced; one of them is exported."""
    first = [illustrated(), *stories()]
    first[1] = dataclasses.replace(
        first[1], body=first[1].body + "\n\n" + image_markdown(INLINE, "The river", "Again") + "\n"
    )
    second = replaced(first, 2)
    media = library()
    media_after = [asset(INLINE, jpeg_bytes(700, 500, seed=9), "river.jpg", credit="J. Smith")]
    media_after += [item for item in media if item[0].key != INLINE]
    return Scenario(first, second, [uri(2)], media, media_after)


def _rendition_added() -> Scenario:
    """The fragments join the formats with a story showing a picture another story, not
    exported now, shows too: that one's line lists the picture's new rendition."""
    scenario = _rendition_changed()
    return dataclasses.replace(scenario, media_after=None, formats_first="site,markdown,ninjs")


SCENARIOS: dict[str, Callable[[], Scenario]] = {
    "edit": _edit,
    "edits of the first and the last line": _edits_first_and_last,
    "full export after two edits": _full_edit,
    "status change of a kept story": _status_of_a_kept_story,
    "status of a kept story back to the common one": _status_back_to_the_common_one,
    "withdraw": _withdraw,
    "withdraw the last line": _withdraw_the_last_line,
    "add": _add,
    "moved to another section and slug": _moved,
    "rendition changed": _rendition_changed,
    "rendition added": _rendition_added,
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_a_spliced_manifest_is_the_one_made_line_by_line(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = SCENARIOS[name]()
    monkeypatch.setattr(handoff_lines, "_CHUNK", 64)  # the hash's states kept often
    folders = {way: tmp_path / way for way in ("spliced", "line by line", "afresh")}
    for folder in folders.values():
        store = ListStore(scenario.first, media=scenario.media)
        export(store, folder, formats=scenario.formats_first)
    (folders["afresh"] / "handoff.json").unlink()  # nothing to copy lines from
    splice = handoff.spliced
    results: list[Any] = []

    def watched(*args: Any) -> Any:
        results.append(splice(*args))
        return results[-1]

    after = scenario.media if scenario.media_after is None else scenario.media_after
    for way, folder in folders.items():
        monkeypatch.setattr(handoff, "spliced", watched if way == "spliced" else lambda *_: None)
        export(ListStore(scenario.second, media=after), folder, only=scenario.only)
    assert len(results) == 1 and results[0] is not None  # the spliced way was taken
    for file in COMPARED:
        made = [(folder / file).read_bytes() for folder in folders.values()]
        assert made[0] == made[1] == made[2], file


def test_the_splice_is_not_taken_from_a_manifest_edited_by_hand(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    export(ListStore(stories()), out)
    manifest = out / "handoff.json"
    manifest.write_bytes(manifest.read_bytes().replace(b"number 7", b"number 7 (by hand)"))
    splice = handoff.spliced
    results: list[Any] = []
    monkeypatch.setattr(handoff, "spliced", lambda *a: results.append(splice(*a)))
    export(ListStore(replaced(stories(), 5)), out, only=[uri(5)])
    assert results == [None]
    assert b"by hand" not in manifest.read_bytes()
