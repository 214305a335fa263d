"""Former addresses: one rule for what an alias may be, applied wherever an article is made."""

from __future__ import annotations

import pytest

from newsdesk.core.aliases import alias_problem, normalize_alias
from newsdesk.core.errors import ValidationError
from newsdesk.core.models import Article


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("/2019/05/old-title/", "/2019/05/old-title/"),
        ("2019/05/old-title", "/2019/05/old-title/"),
        ("  /posts//old_title  ", "/posts/old_title/"),
        ("/blog/old-title.html", "/blog/old-title.html"),
        ("/blog/old.htm", "/blog/old.htm"),
        ("/caf%C3%A9/", "/café/"),
        ("/v1.2/notes/", "/v1.2/notes/"),
    ],
)
def test_an_alias_is_a_path_with_slashes_or_an_html_file(given: str, kept: str) -> None:
    assert normalize_alias(given) == kept


@pytest.mark.parametrize(
    "given",
    [
        "",
        "/",
        "https://example.com/old/",
        "//example.com/old/",
        "javascript:alert(1)",
        "/a/../../etc/",
        "/a/%2e%2e/b/",
        "/./a/",
        "/a\\b/",
        "/old/?p=1",
        "/old/#top",
        "/old title/",
        "/con/",
        "/.hidden/",
        "/a/" + "x" * 400,
    ],
)
def test_anything_else_is_refused_with_what_to_do(given: str) -> None:
    with pytest.raises(ValidationError):
        normalize_alias(given)
    assert alias_problem(given)


def test_an_article_keeps_its_aliases_normalised_once_each_and_a_copy_drops_them() -> None:
    article = Article(headline="Moved", aliases=("old/", "/old", "/b.html")).normalized()
    assert article.aliases == ("/old/", "/b.html")
    assert Article.from_dict(article.to_dict()).aliases == article.aliases
    assert article.duplicate().aliases == ()
    with pytest.raises(ValidationError, match="not a path"):
        article.edited(aliases=("http://x.example/",))
