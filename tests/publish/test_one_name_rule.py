"""One rule for a folder or file name: the export's paths, former addresses and the site
importer's addresses agree."""

from __future__ import annotations

import pytest

from newsdesk.core.aliases import alias_problem
from newsdesk.core.models import Article
from newsdesk.core.sites.site_links import address_of
from newsdesk.core.slugs import is_safe_file_segment
from newsdesk.publish.paths import UnsafePathError, article_path, check_relative

_NAMES = [
    "page.html",
    "old-title",
    "a.tar.gz",
    "a.b.c.d",
    "..",
    "_x",
    "con",
    "LPT1.txt",
    "ab\nc",
    "ünïcode",
    "x" * 121,
    "Page.HTML",
    "a b",
]


@pytest.mark.parametrize("name", _NAMES)
def test_export_paths_and_former_addresses_take_the_same_names(name: str) -> None:
    try:
        check_relative(f"2019/{name}")
        exported = True
    except UnsafePathError:
        exported = False
    assert exported == (alias_problem(f"/2019/{name}") is None) == is_safe_file_segment(name)


def test_a_name_ending_in_a_newline_is_no_file_name() -> None:
    with pytest.raises(UnsafePathError):
        check_relative("world/index.html\n")


def test_an_imported_story_is_addressed_where_the_export_puts_it() -> None:
    for section in ["", "  ", "World", "Café & Culture", "CON", "Ελλάδα"]:
        article = Article(headline="H", slug="a-story", section=section)
        assert address_of(article) == "/" + article_path(article)
