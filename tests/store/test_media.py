"""Media in a real store (SQLite and PostgreSQL): one copy of the bytes, stable keys, where
each file is used, refusals that name the stories, and nothing half-stored."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import create_engine, event, text

from newsdesk.core.errors import DuplicateSlugError, NotFoundError, StoreError, ValidationError
from newsdesk.core.media.media import MediaAsset, MediaInfo, MediaKind, image_markdown, new_key
from newsdesk.core.models import Article, Media
from newsdesk.store import SqlStore, open_store
from newsdesk.store import media as store_media
from newsdesk.store.engine import describe_error

from ..conftest import _reset_postgres, postgres_url
from ..media_samples import jpeg_bytes, png_bytes, wav_bytes

START = datetime(2030, 11, 25, 9, 0, tzinfo=UTC)
JPEG = MediaInfo(MediaKind.IMAGE, "image/jpeg", 1200, 800, caption="Troops cross the river",
                 credit="Agency Photo/J. Smith", copyright="© 2026 Agency Photo")  # fmt: skip
PNG = MediaInfo(MediaKind.IMAGE, "image/png", 640, 480)
WAV = MediaInfo(MediaKind.AUDIO, "audio/wav", duration_seconds=2.0)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def clocked(store: SqlStore) -> SqlStore:
    store.clock = Clock()
    return store


def grainy_jpeg(width: int, height: int, seed: int) -> bytes:
    """A JPEG as hard to compress as a real photo's grain: random pixels."""
    noise = random.Random(seed).randbytes(width * height * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), noise).save(out, "JPEG", quality=85)
    return out.getvalue()


def table_rows(url: str, sql: str) -> list[Any]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql)))
    finally:
        engine.dispose()


def counts(url: str) -> tuple[int, int]:
    """(assets, blobs) as the tables hold them."""
    return (
        table_rows(url, "SELECT count(*) FROM media")[0][0],
        table_rows(url, "SELECT count(*) FROM media_blob")[0][0],
    )


def with_picture(headline: str, key: str, **fields: Any) -> Article:
    return Article(headline=headline, image=Media(src=f"media:{key}", alt="Alt"), **fields)


# -- adding and reading ---------------------------------------------------------------


def test_the_same_bytes_added_twice_are_kept_once(store: SqlStore, store_url: str) -> None:
    photo = jpeg_bytes()
    first, added = store.add_media(photo, JPEG, "troops.jpg")
    again, added_again = store.add_media(photo, PNG, "another name.jpg")
    assert (added, added_again) == (True, False)
    assert again == first
    assert counts(store_url) == (1, 1)
    stored = table_rows(store_url, "SELECT sha256, data FROM media_blob")[0]
    assert stored[0] == hashlib.sha256(photo).hexdigest() == first.sha256
    assert bytes(stored[1]) == photo == store.media_data(first.key)


def test_an_added_file_keeps_what_intake_found_under_a_safe_name(store: SqlStore) -> None:
    photo = jpeg_bytes(seed=3)
    info = dataclasses.replace(JPEG, alt="Soldiers\twade\x00 across", caption="Dawn\n crossing")
    asset, _ = store.add_media(photo, info, "../../etc/Tröops at\x07 dawn.jpg")
    assert asset.filename == "Tröops at dawn.jpg"
    assert (asset.alt, asset.caption) == ("Soldiers wade across", "Dawn crossing")
    assert (asset.credit, asset.copyright) == (JPEG.credit, JPEG.copyright)
    assert (asset.kind, asset.mime_type, asset.size) == (MediaKind.IMAGE, "image/jpeg", len(photo))
    assert (asset.width, asset.height, asset.duration_seconds) == (1200, 800, None)
    assert store.get_media(asset.key) == asset
    assert store.media_many([asset.key, "000000000000", "not a key"]) == {asset.key: asset}
    assert store.media_by_sha([asset.sha256, "0" * 64]) == {asset.sha256: asset}
    sound, _ = store.add_media(wav_bytes(), WAV, "interview.wav")
    assert (sound.kind, sound.duration_seconds, sound.width) == (MediaKind.AUDIO, 2.0, None)


def test_unknown_keys_are_reported(store: SqlStore) -> None:
    for call in (store.get_media, store.media_data, store.delete_media):
        with pytest.raises(NotFoundError, match="no media file 0123456789ab"):
            call("0123456789ab")


def test_two_files_never_share_a_key(store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = iter(["aaaaaaaaaaaa", "aaaaaaaaaaaa", "bbbbbbbbbbbb"])
    monkeypatch.setattr(store_media, "new_key", lambda: next(drawn))
    first, _ = store.add_media(png_bytes(), PNG, "a.png")
    second, _ = store.add_media(jpeg_bytes(), JPEG, "b.jpg")
    assert (first.key, second.key) == ("aaaaaaaaaaaa", "bbbbbbbbbbbb")


def test_the_library_lists_newest_first_and_finds_any_word(clocked: SqlStore) -> None:
    store = clocked
    old, _ = store.add_media(png_bytes(), PNG, "chart.png")
    mid, _ = store.add_media(jpeg_bytes(), JPEG, "troops.jpg")
    new, _ = store.add_media(wav_bytes(), dataclasses.replace(WAV, credit="ÉLYSÉE Press"), "a.wav")
    store.update_media(dataclasses.replace(old, alt="Bar chart of Hélène's budget"))
    assert [a.key for a in store.list_media()] == [new.key, mid.key, old.key]
    assert [a.key for a in store.list_media(limit=2)] == [new.key, mid.key]
    assert [a.key for a in store.list_media(kind=MediaKind.AUDIO)] == [new.key]
    assert [a.key for a in store.list_media("HÉLÈNE")] == [old.key]  # alt, Unicode case
    assert [a.key for a in store.list_media("élysée")] == [new.key]  # credit
    assert [a.key for a in store.list_media("TROOPS")] == [mid.key]  # filename and caption
    assert [a.key for a in store.list_media("2026 agency")] == [mid.key]  # copyright
    assert [a.key for a in store.list_media("%")] == []  # no SQL wildcards
    assert [a.key for a in store.list_media("a", limit=1)] == [new.key]


def test_words_change_and_the_bytes_stay(clocked: SqlStore) -> None:
    asset, _ = clocked.add_media(jpeg_bytes(), JPEG, "troops.jpg")
    edited = dataclasses.replace(
        asset, alt=" Soldiers wading ", caption="New", credit="", filename="a/b.jpg",
        sha256="0" * 64, size=1, width=1,
    )  # fmt: skip
    changed = clocked.update_media(edited)
    assert (changed.alt, changed.caption, changed.credit, changed.filename) == (
        "Soldiers wading", "New", "", "b.jpg"
    )  # fmt: skip
    assert (changed.sha256, changed.size, changed.width) == (asset.sha256, asset.size, 1200)
    assert changed.updated_at is not None and asset.updated_at is not None
    assert changed.updated_at > asset.updated_at and changed.created_at == asset.created_at
    assert clocked.get_media(asset.key) == changed
    with pytest.raises(NotFoundError):
        clocked.update_media(dataclasses.replace(asset, key="0123456789ab"))


# -- replacing ------------------------------------------------------------------------


def test_a_replaced_file_keeps_its_key_and_stories_follow(store: SqlStore, store_url: str) -> None:
    asset, _ = store.add_media(jpeg_bytes(seed=1), JPEG, "troops.jpg")
    story = store.create(with_picture("River crossing", asset.key))
    better = png_bytes(800, 600)
    info = MediaInfo(MediaKind.IMAGE, "image/png", 800, 600, caption="Better caption")
    replaced = store.replace_media(asset.key, better, info, "troops-better.png")
    assert replaced.key == asset.key
    assert (replaced.sha256, replaced.size) == (hashlib.sha256(better).hexdigest(), len(better))
    assert (replaced.mime_type, replaced.width, replaced.height) == ("image/png", 800, 600)
    assert replaced.filename == "troops-better.png"
    assert replaced.caption == "Better caption"  # the new file brings one
    assert (replaced.credit, replaced.copyright) == (JPEG.credit, JPEG.copyright)  # kept
    assert store.media_data(asset.key) == better
    assert counts(store_url) == (1, 1)  # the old bytes went with nothing left using them
    assert store.media_use([asset.key])[asset.key].articles == ((story.uri, "River crossing"),)


def test_bytes_shared_by_two_files_stay_while_either_uses_them(
    store: SqlStore, store_url: str
) -> None:
    first, _ = store.add_media(jpeg_bytes(seed=1), JPEG, "one.jpg")
    second, _ = store.add_media(jpeg_bytes(seed=2), JPEG, "two.jpg")
    store.replace_media(second.key, jpeg_bytes(seed=1), JPEG, "two.jpg")
    assert counts(store_url) == (2, 1)
    store.delete_media(first.key)
    assert counts(store_url) == (1, 1)
    assert store.media_data(second.key) == jpeg_bytes(seed=1)
    assert store.media_by_sha([second.sha256, first.sha256]) == {
        first.sha256: store.get_media(second.key)
    }


def test_a_picture_is_not_replaced_by_audio(store: SqlStore) -> None:
    asset, _ = store.add_media(jpeg_bytes(), JPEG, "troops.jpg")
    with pytest.raises(ValidationError, match=r"troops\.jpg is a picture"):
        store.replace_media(asset.key, wav_bytes(), WAV, "interview.wav")
    assert store.media_data(asset.key) == jpeg_bytes()


# -- where files are used -------------------------------------------------------------


def test_stories_using_a_file_are_kept_in_step_with_every_write(
    clocked: SqlStore, store_url: str
) -> None:
    store = clocked
    lead, _ = store.add_media(jpeg_bytes(), JPEG, "lead.jpg")
    inline, _ = store.add_media(png_bytes(), PNG, "chart.png")
    sound, _ = store.add_media(wav_bytes(), WAV, "talk.wav")
    body = f"Intro.\n\n{image_markdown(inline.key, 'A chart', 'Spending')}\n\nMore."
    story = store.create(with_picture("Budget", lead.key, body=body))
    other = store.create(Article(headline="Audio only", audio=Media(src=f"media:{sound.key}")))
    # A URL or a path is not a reference to a stored file.
    store.create(Article(headline="Old style", image=Media(src="https://example.org/a.jpg")))

    def users() -> dict[str, tuple[str, ...]]:
        return {key: tuple(h for _, h in use.articles) for key, use in store.media_use().items()}

    assert users() == {lead.key: ("Budget",), inline.key: ("Budget",), sound.key: ("Audio only",)}
    # An autosave that drops the chart and adds the audio is recorded at once.
    story = store.save(
        story.edited(body="Intro only.", audio=Media(src=f"media:{sound.key}")), reason="autosave"
    )
    assert users() == {lead.key: ("Budget",), inline.key: (), sound.key: ("Audio only", "Budget")}
    store.delete(other.uri)
    assert users()[sound.key] == ("Budget",)
    # The rows themselves, as a query sees them.
    rows = table_rows(store_url, "SELECT key FROM article_media ORDER BY key")
    assert sorted(r[0] for r in rows) == sorted([lead.key, sound.key])
    # Bulk creation records them too; an unknown key is recorded (the export reports it).
    missing = new_key()
    store.create_many([with_picture("Imported", missing), with_picture("Reused", lead.key)])
    use = store.media_use([lead.key, missing])
    assert [h for _, h in use[lead.key].articles] == ["Budget", "Reused"]
    assert [h for _, h in use[missing].articles] == ["Imported"]


def test_revisions_that_still_show_a_file_are_counted(clocked: SqlStore) -> None:
    store = clocked
    photo, _ = store.add_media(jpeg_bytes(), JPEG, "troops.jpg")
    unused, _ = store.add_media(png_bytes(), PNG, "chart.png")
    body = image_markdown(photo.key, "Troops", "At dawn")
    story = store.create(Article(headline="River crossing", body=body))
    story = store.save(story.edited(body=body + "\n\nUpdate."), reason="manual")
    story = store.save(story.edited(body=body + "\n\nMore."), reason="published")
    assert store.media_use([photo.key])[photo.key].revisions == 2
    store.save(story.edited(body="No picture now."), reason="manual")
    use = store.media_use()
    assert use[photo.key].articles == () and use[photo.key].revisions == 2
    assert use[unused.key].unused
    # A revision that only mentions the key in its text is not a use of the file.
    note = store.create(Article(headline="Note", editor_note=f"see media:{unused.key}"))
    store.add_revision(note.uri, "manual")
    assert store.media_use([unused.key])[unused.key].unused


def test_removal_is_refused_while_stories_use_a_file(store: SqlStore, store_url: str) -> None:
    photo, _ = store.add_media(jpeg_bytes(), JPEG, "troops.jpg")
    first = store.create(with_picture("Headline A", photo.key))
    store.create(with_picture("Headline B", photo.key))
    with pytest.raises(ValidationError) as caught:
        store.delete_media(photo.key, force=True)
    assert str(caught.value) == (
        "troops.jpg is used by 2 stories: “Headline A”, “Headline B”; remove it from them first"
    )
    assert counts(store_url) == (1, 1)
    store.delete(first.uri)
    with pytest.raises(ValidationError, match="used by 1 story: “Headline B”; remove"):
        store.delete_media(photo.key)


def test_removal_while_revisions_show_a_file_needs_force(store: SqlStore, store_url: str) -> None:
    photo, _ = store.add_media(jpeg_bytes(), JPEG, "troops.jpg")
    story = store.create(with_picture("River crossing", photo.key))
    story = store.save(story, reason="manual")
    story = store.save(story, reason="published")
    store.save(story.edited(image=None), reason="manual")
    with pytest.raises(ValidationError) as caught:
        store.delete_media(photo.key)
    assert str(caught.value) == (
        "2 revisions of “River crossing” still show troops.jpg; their history would lose it: "
        "use --force to remove it anyway"
    )
    assert counts(store_url) == (1, 1)
    store.delete_media(photo.key, force=True)
    assert counts(store_url) == (0, 0)
    with pytest.raises(NotFoundError):
        store.get_media(photo.key)


def test_an_unused_file_is_removed_with_its_bytes(store: SqlStore, store_url: str) -> None:
    photo, _ = store.add_media(jpeg_bytes(), JPEG, "troops.jpg")
    kept, _ = store.add_media(png_bytes(), PNG, "chart.png")
    store.delete_media(photo.key)
    assert counts(store_url) == (1, 1)
    assert store.list_media() == [kept]
    # Added again, it is a new file (the old key is gone for good).
    again, added = store.add_media(jpeg_bytes(), JPEG, "troops.jpg")
    assert added and again.key != photo.key


# -- imports: all or nothing ----------------------------------------------------------


def _asset(data: bytes, info: MediaInfo, name: str) -> tuple[MediaAsset, bytes]:
    asset = MediaAsset(new_key(), hashlib.sha256(data).hexdigest(), info.kind, info.mime_type,
                       len(data), name, info.width, info.height, caption=info.caption)  # fmt: skip
    return asset, data


def test_create_many_stores_articles_and_their_media_together(
    store: SqlStore, store_url: str
) -> None:
    photo = _asset(jpeg_bytes(), JPEG, "troops.jpg")
    chart = _asset(png_bytes(), PNG, "chart.png")
    articles = [with_picture("One", photo[0].key), with_picture("Two", chart[0].key)]
    assert store.create_many(articles, media=[photo, chart]) == 2
    assert store.media_data(chart[0].key) == chart[1]
    assert store.get_media(photo[0].key).caption == JPEG.caption
    assert [h for _, h in store.media_use([photo[0].key])[photo[0].key].articles] == ["One"]
    # The same file again under its key is no second copy.
    store.create_many([with_picture("Three", photo[0].key)], media=[photo])
    assert counts(store_url) == (2, 2)


def test_a_failed_import_leaves_no_media_behind(store: SqlStore, store_url: str) -> None:
    photo = _asset(jpeg_bytes(), JPEG, "troops.jpg")
    store.create(Article(headline="Taken", slug="taken", slug_locked=True))
    clash = Article(headline="Clash", slug="taken", slug_locked=True)
    with pytest.raises(DuplicateSlugError):
        store.create_many([with_picture("Fine", photo[0].key), clash], media=[photo])
    assert counts(store_url) == (0, 0)
    forged = (dataclasses.replace(photo[0], key=new_key()), png_bytes())
    with pytest.raises(ValidationError, match="do not match its SHA-256"):
        store.create_many([Article(headline="Fine")], media=[photo, forged])
    assert counts(store_url) == (0, 0) and store.info().article_count == 1
    other = (dataclasses.replace(forged[0], sha256=hashlib.sha256(forged[1]).hexdigest()),
             forged[1])  # fmt: skip
    store.create_many([], media=[other])
    taken = (dataclasses.replace(photo[0], key=other[0].key), photo[1])
    with pytest.raises(StoreError, match="another file under that key"):
        store.create_many([Article(headline="Fine")], media=[taken])
    assert counts(store_url) == (1, 1)


# -- a full disk, and how much room media take --------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[SqlStore]:
    """A SQLite store that can grow to 300 pages (1.2 MB) only: a full disk, as SQLite
    reports one ("database or disk is full")."""
    store = open_store(str(tmp_path / "small.db"))
    engine = store._engine  # the test reaches into the connection pool
    engine.dispose()

    @event.listens_for(engine, "connect")
    def _limit(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA max_page_count=300")

    yield store
    store.close()


def test_a_full_disk_stores_nothing_and_says_so(small_disk: SqlStore, tmp_path: Path) -> None:
    small, _ = small_disk.add_media(png_bytes(64, 64), PNG, "small.png")
    big = grainy_jpeg(1600, 1200, seed=4)
    assert len(big) > 1_300_000
    with pytest.raises(StoreError) as caught:
        small_disk.add_media(big, JPEG, "big.jpg")
    assert "is full: free some space, then try again" in str(caught.value)
    assert small_disk.list_media() == [small]
    assert small_disk.media_by_sha([hashlib.sha256(big).hexdigest()]) == {}
    assert counts(f"sqlite:///{tmp_path / 'small.db'}") == (1, 1)


def test_a_full_postgresql_disk_is_explained() -> None:
    failure = Exception('could not extend file "base/16384/24576": No space left on device')
    message = describe_error("postgresql+psycopg://newsdesk:secret@db.example/news", failure)
    assert "run out of disk space, so nothing was written" in message
    assert "free some space" in message and "secret" not in message


def test_a_store_grows_by_the_bytes_of_its_files_only(tmp_path: Path) -> None:
    path = tmp_path / "growth.db"
    store = open_store(str(path))
    store.close()
    empty = path.stat().st_size
    store = open_store(str(path))
    files = [grainy_jpeg(600 + 40 * n, 400, seed=n) for n in range(12)]
    files += [png_bytes(400 + n, 300) for n in range(4)] + [wav_bytes(3.0)]
    for n, data in enumerate(files):
        store.add_media(data, JPEG, f"photo-{n}.jpg")
    store.close()  # the last connection out checkpoints the WAL into the file
    grown = path.stat().st_size - empty
    originals = sum(len(f) for f in files)
    assert originals > 2_000_000
    assert grown <= originals * 1.10 + 256 * 1024, (grown, originals)


@pytest.mark.postgres
def test_media_bytes_are_not_recompressed_on_postgresql() -> None:
    url = postgres_url()
    _reset_postgres(url)
    open_store(url).close()
    storage = table_rows(
        url,
        "SELECT attstorage FROM pg_attribute "
        "WHERE attrelid = 'media_blob'::regclass AND attname = 'data'",
    )
    assert storage == [("e",)]  # EXTERNAL: out of line, not compressed again


# -- upgrading a store --------------------------------------------------------------------


def test_a_0004_store_upgrades_and_finds_media_references(store_url: str) -> None:
    from alembic import command
    from alembic.config import Config

    engine = create_engine(store_url)
    with engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", "newsdesk.store:migrations")
        config.set_main_option("path_separator", "os")
        config.attributes["connection"] = conn
        command.upgrade(config, "0004")
        for n, (image, body) in enumerate(
            [
                ('{"src": "media:0123456789ab", "alt": "x"}', "![a](media:abcdefabcdef)"),
                ('{"src": "https://example.org/media:0123456789ab.jpg"}', "media: none"),
                ("null", "Plain text"),
            ]
        ):
            conn.execute(
                text(
                    "INSERT INTO article (uri, version, status, headline, kicker, standfirst, "
                    "slug, slug_locked, byline, authors, dateline, section, tags_text, body, "
                    "word_count, char_count, language, created_at, updated_at, seo_title, "
                    "seo_description, canonical_url, editor_note, corrections, image) VALUES "
                    f"('urn:old:{n}', 1, 'draft', 'Old {n}', '', '', 'old-{n}', true, '', "
                    "'[]', '', '', '', :body, 1, 4, 'en-GB', '2026-01-01 00:00:00', "
                    "'2026-01-01 00:00:00', '', '', '', '', '[]', :image)"
                ),
                {"body": body, "image": image},
            )
    engine.dispose()
    store = open_store(store_url)
    try:
        use = store.media_use(["0123456789ab", "abcdefabcdef"])
        assert use["0123456789ab"].articles == (("urn:old:0", "Old 0"),)
        assert use["abcdefabcdef"].articles == (("urn:old:0", "Old 0"),)
        assert store.list_media() == []
    finally:
        store.close()


# -- history ------------------------------------------------------------------------------


def test_restoring_an_old_revision_brings_its_pictures_back(store: SqlStore) -> None:
    from newsdesk.core.history import restore
    from newsdesk.publish.renderer import Renderer

    first, _ = store.add_media(jpeg_bytes(seed=1), JPEG, "first.jpg")
    second, _ = store.add_media(png_bytes(), PNG, "second.png")
    old_body = f"Before.\n\n{image_markdown(first.key, 'Soldiers at dawn', 'The crossing')}"
    article = store.create(Article(headline="River crossing", body=old_body))
    article = store.save(article, reason="manual")
    number = store.revisions(article.uri)[-1].number
    article = store.save(
        article.edited(body=f"After.\n\n{image_markdown(second.key, 'A chart')}"), reason="manual"
    )
    # The picture the story no longer shows is still held for its history.
    assert store.media_use([first.key])[first.key].articles == ()
    with pytest.raises(ValidationError, match="revision of “River crossing” still shows"):
        store.delete_media(first.key)
    _, restored = restore(store, article.uri, number)
    assert restored.body == old_body
    assert store.media_use([first.key])[first.key].articles == ((article.uri, "River crossing"),)
    media = store.media_many([first.key])
    html = Renderer(store.profile()).body_html(restored, media=media)
    assert f"-{first.key}-" in html and "media-missing" not in html
    assert Renderer(store.profile()).missing_media(restored, media) == []
