"""``newsdesk import --site DIR``: the report, a dry run that stores nothing, the real
import (all or nothing), a second import that duplicates nothing, and the profile
applied only when asked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newsdesk.core.models import PublicationProfile
from newsdesk.store import open_store

from .helpers import run

SITES = Path(__file__).parents[1] / "data" / "sites"


def count(store_url: str) -> int:
    store = open_store(store_url)
    try:
        return store.info().article_count
    finally:
        store.close()


def test_dry_run_reports_every_file_and_stores_nothing(
    capsys: pytest.CaptureFixture[str], store_url: str
) -> None:
    site = SITES / "hugo-news"
    code, out, err = run(capsys, "--db", store_url, "import", "--site", str(site), "--dry-run")
    assert code == 0, err
    assert out.startswith(f"Hugo site {site} (config hugo.toml)\n")
    assert (
        "new        content/posts/flood-barrier.md: 'Flood barrier holds as the river peaks' → "
        "/latest-news/flood-barrier/ (was /2024/03/flood-barrier-holds-as-the-river-peaks/)\n"
        in out
    )
    assert "converted: line 12: youtube shortcode → link to the video" in out
    assert "flagged:   content/posts/market-moves.md: line 12: " in out
    assert "skipped    content/snippets/index.md: a headless bundle" in out
    assert "list page  content/sport/_index.md (section 'Sport')" in out
    assert "  Publication name: 'London Daily' → 'Riverside Gazette'\n" in out
    assert out.endswith(
        "7 new, 0 updated, 0 unchanged, 2 skipped, 3 list pages, 0 problems; 4 pictures\n"
        "Dry run: nothing was stored.\n"
    )
    assert count(store_url) == 0


def test_import_then_import_again_changes_nothing(
    capsys: pytest.CaptureFixture[str], store_url: str
) -> None:
    site = str(SITES / "jekyll-blog")
    code, out, err = run(capsys, "--db", store_url, "import", "--site", site)
    assert code == 0, err
    assert out.endswith("Imported the site: 5 articles written.\n")
    assert "skipped    _posts/notes.md: Jekyll reads a post only from a file named" in out
    assert "new        _posts" not in out  # a real import lists only what needs a look
    code, out, err = run(capsys, "--db", store_url, "import", "--site", site)
    assert code == 0, err
    assert "0 new, 0 updated, 5 unchanged" in out
    assert out.endswith("Imported the site: 0 articles written.\n")
    assert count(store_url) == 5


def test_the_profile_changes_only_when_asked(
    capsys: pytest.CaptureFixture[str], store_url: str
) -> None:
    site = str(SITES / "hugo-news")
    code, out, _ = run(capsys, "--db", store_url, "import", "--site", site)
    assert code == 0 and "import again with --use-site-profile" in out
    store = open_store(store_url)
    try:
        assert store.profile() == PublicationProfile()
    finally:
        store.close()
    code, out, _ = run(capsys, "--db", store_url, "import", "--site", site, "--use-site-profile")
    assert code == 0 and "now follows the site's config" in out
    store = open_store(store_url)
    try:
        profile = store.profile()
    finally:
        store.close()
    assert (profile.name, profile.base_url, profile.language, profile.time_zone) == (
        "Riverside Gazette",
        "https://gazette.example.org/",
        "en-US",
        "Europe/Paris",
    )


def test_one_bad_file_stores_nothing_and_every_problem_is_listed(
    capsys: pytest.CaptureFixture[str], store_url: str, tmp_path: Path
) -> None:
    site = Path(shutil.copytree(SITES / "hugo-news", tmp_path / "site"))
    (site / "content/sport/a.md").write_text('+++\ntitle = "A"\ndate: 2024\n+++\n')
    (site / "content/sport/b.md").write_text("---\ntitle: [B\n---\n")
    code, out, err = run(capsys, "--db", store_url, "import", "--site", str(site))
    assert code == 1
    assert "problem    content/sport/a.md:3: the front matter mixes forms" in out
    assert "problem    content/sport/b.md:2: the front matter is not valid YAML" in out
    assert "2 file(s) cannot be imported (listed above); nothing was stored" in err
    assert count(store_url) == 0


def test_a_config_that_does_not_parse_is_named(
    capsys: pytest.CaptureFixture[str], store_url: str, tmp_path: Path
) -> None:
    (tmp_path / "_config.yml").write_text("title: x\nurl: [open\n")
    code, _, err = run(capsys, "--db", store_url, "import", "--site", str(tmp_path))
    assert code == 1
    assert f"newsdesk: error: {tmp_path / '_config.yml'}:3: the config is not valid YAML" in err


def test_files_and_site_together_are_refused(
    capsys: pytest.CaptureFixture[str], store_url: str
) -> None:
    code, _, err = run(capsys, "--db", store_url, "import", "x.md", "--site", "y")
    assert code == 1 and "not both" in err
    code, _, err = run(capsys, "--db", store_url, "import")
    assert code == 1 and "--site DIR" in err


def test_plain_import_reads_toml_and_json_and_does_not_follow_links_out(
    capsys: pytest.CaptureFixture[str], store_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text('+++\ntitle = "Toml story"\n+++\nBody.\n')
    (folder / "b.md").write_text('{\n "title": "Json story"\n}\nBody.\n')
    outside = tmp_path / "out.md"
    outside.write_text("---\ntitle: Outside\n---\n")
    (folder / "c.md").symlink_to(outside)
    code, out, err = run(capsys, "--db", store_url, "import", str(folder), "--dry-run")
    assert code == 0, err
    assert out == (
        "would import toml-story: Toml story\nwould import json-story: Json story\n"
        "Dry run: 2 article(s); nothing was stored.\n"
    )
    code, out, err = run(capsys, "--db", store_url, "import", str(folder))
    assert code == 0, err
    assert out.startswith("Imported 2 articles.\n")
    assert f"note: {folder / 'c.md'} is a link to {outside}, outside the folder" in out
    assert count(store_url) == 2
