"""``newsdesk import`` of Markdown with pictures and audio (Hugo page bundles): the files come
into the store with the articles, in one transaction, or nothing does."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from newsdesk.core.intake.importing import plan_import
from newsdesk.core.media.media import MediaError, image_markdown
from newsdesk.core.models import Media
from newsdesk.store import open_store

from ..media_samples import jpeg_bytes, png_bytes, wav_bytes, write
from .helpers import run

FLOOD = """---
title: Flood at Oban
image: {src: photo.jpg, alt: Water in the high street, credit: Staff}
---
The river rose overnight.

![A chart \\[levels\\]](<levels chart.png> "Levels, in metres") and more text.

```
![in a code block](not-a-file.jpg)
```

Written as code: `![x](nor-this.jpg)`. From the web: ![web](https://example.org/x.jpg)

![Again](photo.jpg)
"""

FERRY = """---
title: Ferry Cut
images: [same-photo.jpg, https://example.org/second.jpg]
audio: {src: interview.wav, caption: The skipper speaks}
---
![Skipper][skipper]

[skipper]: levels%20chart.png "By reference"
"""


def bundles(root: Path) -> Path:
    """Two Hugo leaf bundles: the same photo in both (under two names), a chart, audio."""
    content = root / "content"
    photo = jpeg_bytes(800, 600)
    write(content / "post/flood", "index.md", FLOOD.encode())
    write(content / "post/flood", "photo.jpg", photo)
    write(content / "post/flood", "levels chart.png", png_bytes())
    write(content / "post/ferry", "index.md", FERRY.encode())
    write(content / "post/ferry", "same-photo.jpg", photo)
    write(content / "post/ferry", "levels chart.png", png_bytes())
    write(content / "post/ferry", "interview.wav", wav_bytes(2.0))
    return content


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def contents(url: str) -> tuple[int, dict[str, bytes]]:
    """How many articles the store holds, and its media files' bytes by SHA-256."""
    store = open_store(url)
    try:
        blobs = {a.sha256: store.media_data(a.key) for a in store.list_media()}
        return store.info().article_count, blobs
    finally:
        store.close()


def test_page_bundles_bring_their_pictures_and_audio(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, store_url: str
) -> None:
    content = bundles(tmp_path)
    flood_dir, ferry_dir = content / "post/flood", content / "post/ferry"
    code, out, err = run(capsys, "--db", store_url, "import", str(content))
    assert (code, err) == (0, "")
    assert out == "Imported 2 articles with 3 media files.\n"
    articles, blobs = contents(store_url)
    assert articles == 2
    wanted = [flood_dir / "photo.jpg", flood_dir / "levels chart.png", ferry_dir / "interview.wav"]
    assert blobs == {sha(path): path.read_bytes() for path in wanted}  # each stored once
    store = open_store(store_url)
    try:
        by_sha = {a.sha256: a for a in store.list_media()}
        photo = by_sha[sha(flood_dir / "photo.jpg")]
        chart = by_sha[sha(flood_dir / "levels chart.png")]
        talk = by_sha[sha(ferry_dir / "interview.wav")]
        flood = store.get_by_slug("flood-at-oban")
        ferry = store.get_by_slug("ferry-cut")
        uses = store.media_use([photo.key, chart.key, talk.key])
    finally:
        store.close()
    assert flood.image == Media(
        src=photo.ref,
        alt="Water in the high street",
        credit="Staff",
        caption="Troops cross the river at dawn",  # the file's own caption (XMP)
        mime_type="image/jpeg",
    )
    assert flood.body == FLOOD.split("---\n", 2)[2].replace(
        '![A chart \\[levels\\]](<levels chart.png> "Levels, in metres")',
        image_markdown(chart.key, "A chart [levels]", "Levels, in metres"),
    ).replace("![Again](photo.jpg)", image_markdown(photo.key, "Again"))
    assert "![in a code block](not-a-file.jpg)" in flood.body  # code is text
    assert "![web](https://example.org/x.jpg)" in flood.body  # the web is left alone
    assert ferry.image is not None and ferry.image.src == photo.ref  # Hugo's images: first
    assert ferry.audio == Media(
        src=talk.ref, caption="The skipper speaks", mime_type="audio/wav", duration_seconds=2
    )
    assert ferry.body.startswith(image_markdown(chart.key, "Skipper", "By reference") + "\n")
    # The first file found with those bytes names it (post/ferry comes before post/flood).
    assert photo.filename == "same-photo.jpg" and photo.credit == "Agency Photo/J. Smith"
    # A new file takes its first use's words (the ferry's, first in the folder).
    assert (chart.alt, chart.caption) == ("Skipper", "By reference")
    assert {uri for uri, _ in uses[photo.key].articles} == {flood.uri, ferry.uri}
    assert [uri for uri, _ in uses[talk.key].articles] == [ferry.uri]


def test_files_already_in_the_store_are_used_again(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "i.db")
    content = bundles(tmp_path)
    code, _, _ = run(capsys, "--db", db, "media", "add", str(content / "post/flood/photo.jpg"))
    assert code == 0
    store = open_store(db)
    (known,) = store.list_media()
    store.close()
    code, out, _ = run(capsys, "--db", db, "import", str(content / "post/flood/index.md"))
    assert (code, out) == (0, "Imported 1 article with 2 media files (1 already in the store).\n")
    store = open_store(db)
    try:
        assert store.get_by_slug("flood-at-oban").image.src == known.ref  # type: ignore[union-attr]
        assert len(store.list_media()) == 2
    finally:
        store.close()


REFUSED = {
    "missing": ("![Gone](gone.jpg)\n", 6, "picture: “gone.jpg” is not there"),
    "escape": ("![Up](../secret.jpg)\n", 6, "is outside the imported folder"),
    "escape by escape": ("![Up](%2e%2e/secret.jpg)\n", 6, "is outside the imported"),
    "absolute": ("![Abs](/etc/passwd)\n", 6, "“/etc/passwd” is an absolute path"),
    "not an image": ("![Fake](fake.jpg)\n", 6, "“fake.jpg” is not a picture or audio file"),
    "audio in a body": ("![Talk](talk.wav)\n", 6, "“talk.wav” is audio; a body shows pictures"),
    "unknown key": ("![Key](media:0123456789ab)\n", 6, "media:0123456789ab is not in this store"),
    "folder": ("![Dir](pictures)\n", 6, "“pictures” is not a file"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_a_bad_reference_names_file_and_line_and_nothing_is_imported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, case: str
) -> None:
    db = str(tmp_path / "i.db")
    folder = tmp_path / "in"
    folder.mkdir()
    (tmp_path / "secret.jpg").write_bytes(jpeg_bytes(40, 30))
    write(folder, "a-good.md", b"---\ntitle: Good\nimage: good.jpg\n---\nFine.\n")
    write(folder, "good.jpg", jpeg_bytes(64, 48))
    write(folder, "fake.jpg", b"GIF? no: a text file named .jpg")
    write(folder, "talk.wav", wav_bytes(1.0))
    (folder / "pictures").mkdir()
    body, line, message = REFUSED[case]
    bad = write(folder, "bad.md", f"---\ntitle: Bad\n---\nFirst.\n\n{body}".encode())
    code, out, err = run(capsys, "--db", db, "import", str(folder))
    assert (code, out) == (1, "")
    assert f"{bad}:{line}: " in err and message in err, err
    assert contents(db) == (0, {})


@pytest.mark.parametrize(
    ("front", "line", "message"),
    [
        ("image: nowhere.jpg", 3, "image: “nowhere.jpg” is not there"),
        ("image: {src: ../up.jpg, alt: x}", 3, "image: “../up.jpg” is outside the imported"),
        ("images: [C:\\photos\\x.jpg]", 3, "images: “C:\\photos\\x.jpg” is an absolute path"),
        ("audio: good.jpg", 3, "audio: “good.jpg” is a picture, not audio"),
        ("image: talk.wav", 3, "image: “talk.wav” is audio, not a picture"),
    ],
)
def test_a_bad_front_matter_file_names_its_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, front: str, line: int, message: str
) -> None:
    db = str(tmp_path / "i.db")
    folder = tmp_path / "in" / "story"
    write(folder, "good.jpg", jpeg_bytes(64, 48))
    write(folder, "talk.wav", wav_bytes(1.0))
    write(tmp_path / "in", "up.jpg", jpeg_bytes(64, 48))
    bad = write(folder, "index.md", f"---\ntitle: Bad\n{front}\n---\nBody.\n".encode())
    code, _, err = run(capsys, "--db", db, "import", str(folder))
    assert code == 1
    assert f"{bad}:{line}: {message}" in err, err
    assert contents(db) == (0, {})


def test_a_link_out_of_the_folder_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    write(tmp_path, "private.jpg", jpeg_bytes(64, 48))
    write(folder, "story.md", b"---\ntitle: Linked\n---\n![x](inside.jpg)\n")
    (folder / "inside.jpg").symlink_to(tmp_path / "private.jpg")
    code, _, err = run(capsys, "--db", str(tmp_path / "i.db"), "import", str(folder))
    assert code == 1 and f"{folder / 'story.md'}:4: picture: “inside.jpg” is outside" in err


def test_a_size_limit_names_the_command_line_option(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "i.db")
    write(tmp_path, "long.wav", wav_bytes(70.0))  # 1.1 MB
    story = write(tmp_path, "story.md", b"---\ntitle: Talk\naudio: long.wav\n---\n")
    code, _, err = run(capsys, "--db", db, "import", "--max-mb", "1", str(story))
    assert code == 1
    assert f"{story}:3: audio: “long.wav” is 1.1 MB, over the 1 MB limit" in err
    assert "--max-mb" in err
    assert run(capsys, "--db", db, "import", "--max-mb", "2", str(story))[0] == 0


def test_a_file_changed_before_it_is_stored_stops_the_whole_import(tmp_path: Path) -> None:
    content = bundles(tmp_path)
    store = open_store(str(tmp_path / "i.db"))
    try:
        plan = plan_import([content], store)
        assert len(plan.media) == 3
        (content / "post/ferry/interview.wav").write_bytes(wav_bytes(3.0))
        with pytest.raises(MediaError, match="changed while it was being stored"):
            store.create_many(plan.articles, media=plan.media)
        assert store.info().article_count == 0 and store.list_media() == []
    finally:
        store.close()
