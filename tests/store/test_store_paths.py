"""A store path opens exactly that file, whatever characters its name holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.core.models import Article
from newsdesk.store import open_store
from newsdesk.store.engine import resolve_url, sqlite_path


@pytest.mark.parametrize("name", ["q?x.db", "pct%41.db", "sl%2Fx.db", "h#x.db", "a b@c:d.db"])
def test_a_store_path_with_url_characters_opens_exactly_that_file(
    tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    assert sqlite_path(resolve_url(str(path))) == path
    store = open_store(str(path))
    store.create(Article(headline="Ferry strike ends"))
    store.close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".db") == [name]
    again = open_store(str(path))
    assert again.get_by_slug("ferry-strike-ends").headline == "Ferry strike ends"
    again.close()
