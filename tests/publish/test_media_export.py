"""Every export format carries its media: renditions beside the pages, Hugo bundles, ninjs
associations, the zip; nothing private in any exported byte; re-exports encode nothing twice."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import jsonschema
import pytest
import yaml
from PIL import Image, ImageOps
from tests.media_samples import SECRET_OWNER, SECRET_SERIAL, jpeg_bytes, png_bytes, wav_bytes

from newsdesk.core.media.media import MediaAsset, MediaKind, image_markdown
from newsdesk.core.models import Media
from newsdesk.publish.exporting.export import export
from newsdesk.publish.folder.state import ArticleRecord
from newsdesk.publish.formats.markdown_files import bundle_pictures
from newsdesk.publish.paths import check_relative

from .dom import NS, parse
from .fakes import ListStore
from .samples import STORY_BODY, other, story

LEAD = "a1a1a1a1a1a1"
INLINE = "b2b2b2b2b2b2"
SOUND = "c3c3c3c3c3c3"
CHART = "d4d4d4d4d4d4"
PAGE = "site/uk-news/boroughs-quiet-fix-bicycles/index.html"
BASE_URL = "https://example.com/"


def asset(key: str, data: bytes, filename: str, **words: str) -> tuple[MediaAsset, bytes]:
    """A stored file as intake would measure it (displayed size, after orientation)."""
    sha = hashlib.sha256(data).hexdigest()
    if filename.endswith(".wav"):
        found = MediaAsset(key, sha, MediaKind.AUDIO, "audio/wav", len(data), filename,
                           duration_seconds=2.0, **words)  # fmt: skip
        return found, data
    with Image.open(io.BytesIO(data)) as image:
        mime = Image.MIME[image.format or "JPEG"]
        width, height = ImageOps.exif_transpose(image).size
    found = MediaAsset(key, sha, MediaKind.IMAGE, mime, len(data), filename, width, height,
                       **words)  # fmt: skip
    return found, data


def library() -> list[tuple[MediaAsset, bytes]]:
    return [
        asset(
            LEAD,
            jpeg_bytes(900, 600),
            "Troops at dawn.JPG",
            alt="Soldiers wading",
            credit="Agency Photo",
            copyright="© 2026 Agency Photo",
        ),
        asset(INLINE, jpeg_bytes(700, 500, seed=3), "river.jpg", credit="J. Smith"),
        asset(SOUND, wav_bytes(2.0), "interview.wav", credit="Radio Desk"),
        asset(CHART, png_bytes(400, 300), "chart.png", alt="Repairs by year", credit="Council"),
    ]


def illustrated(**changes: object) -> object:
    body = (
        STORY_BODY
        + "\n\n"
        + image_markdown(INLINE, "The river at dawn", "Crossing at first light")
        + "\n\nMore words after the picture.\n\n"
        + image_markdown(CHART, "", "Repairs by year")
        + "\n"
    )
    fields: dict[str, object] = {
        "image": Media(
            src=f"media:{LEAD}", alt="Soldiers wading", caption="At the ford", credit="Agency Photo"
        ),
        "audio": Media(src=f"media:{SOUND}"),
        "body": body,
    }
    fields.update(changes)
    return story(**fields)


def articles() -> list:
    second = other(2)
    second = dataclasses.replace(
        second, body=second.body + "\n\n" + image_markdown(INLINE, "The river", "Again") + "\n"
    )
    return [illustrated(), second, other(3)]


def files_below(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in HANDOFF_FILES
    }


# The hand-off manifest tells what changed since the previous export and when: an
# incremental export's differs from a fresh one's (tests/publish/test_handoff_manifest.py).
HANDOFF_FILES = {"handoff.json", "HANDOFF.md"}


def references(page: Path) -> list[str]:
    """Every picture and audio address the HTML page loads (img, source, audio)."""
    root = parse(page.read_text("utf-8"))
    found = []
    for element in root.iter():
        tag = str(element.tag).removeprefix(NS)
        if tag in {"img", "source", "audio"}:
            if element.get("src"):
                found.append(element.get("src"))
            for part in (element.get("srcset") or "").split(","):
                if part.strip():
                    found.append(part.split()[0])
    return found


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("media") / "out"
    store = ListStore(articles(), media=library())
    report = export(store, out, workers=1)
    assert report.problems == []
    return out, report


def test_every_picture_and_audio_a_page_loads_is_in_the_site(exported: tuple) -> None:
    out, _ = exported
    page = out / PAGE
    refs = references(page)
    assert len(refs) >= 8  # lead srcset + fallback, body pictures, the audio
    for ref in refs:
        assert not urlsplit(ref).scheme, ref
        target = (page.parent / ref).resolve()
        assert target.is_file(), ref
        assert target.parent == (out / "site/media").resolve()
    audio = [r for r in refs if r.endswith(".wav")]
    assert len(audio) == 1
    # Nothing unused is exported: each file is one a page refers to.
    used = {
        (p.parent / ref).resolve().name
        for p in (out / "site").rglob("index.html")
        for ref in references(p)
    }
    assert {p.name for p in (out / "site/media").iterdir()} == used


def test_a_rendition_shared_by_two_stories_is_encoded_once(tmp_path: Path) -> None:
    store = ListStore(articles(), media=library())
    report = export(store, tmp_path / "out", formats="site", workers=1)
    assert sorted(store.data_reads) == sorted([LEAD, INLINE, SOUND, CHART])  # each read once
    names = [p.name for p in (tmp_path / "out/site/media").iterdir()]
    assert len(names) == len(set(names)) == report.media_encoded
    assert report.media_reused == 0


def test_fragment_refers_to_the_files_beside_it(exported: tuple) -> None:
    out, _ = exported
    fragment = out / "fragment/uk-news/boroughs-quiet-fix-bicycles.html"
    html = fragment.read_text("utf-8")
    refs = re.findall(r'(?:src|srcset)="([^"]+)"', html)
    refs = [part.split()[0] for ref in refs for part in ref.split(",")]
    assert refs
    for ref in refs:
        assert ref.startswith("../media/"), ref
        assert (fragment.parent / ref).resolve().is_file(), ref


def test_ninjs_associations_carry_every_rendition(
    exported: tuple, ninjs_validator: jsonschema.Draft202012Validator
) -> None:
    out, _ = exported
    for path in (out / "ninjs").rglob("*.json"):
        document = json.loads(path.read_text("utf-8"))
        assert [e.message for e in ninjs_validator.iter_errors(document)] == [], path
    doc = json.loads((out / "ninjs/uk-news/boroughs-quiet-fix-bicycles.json").read_text())
    media = [a for a in doc["associations"] if a["type"] in {"picture", "audio"}]
    assert [a["name"] for a in media] == ["featureimage", "listen", "image-1", "image-2"]
    lead = media[0]
    assert lead["uri"] == f"urn:newsdesk:media:{LEAD}"
    assert lead["by"] == "Agency Photo"
    assert lead["copyrightNotice"] == "© 2026 Agency Photo"
    assert {"role": "alt", "contentType": "text/plain", "value": "Soldiers wading"} in (
        lead["descriptions"]
    )
    assert {d["role"] for d in media[2]["descriptions"]} == {"alt", "caption"}
    for association in media:
        assert association["renditions"]
        for rendition in association["renditions"]:
            assert rendition["href"].startswith(BASE_URL + "media/")
            local = out / "site" / rendition["href"].removeprefix(BASE_URL)
            assert rendition["sizeInBytes"] == local.stat().st_size
            if association["type"] == "picture":
                with Image.open(local) as image:
                    assert image.size == (rendition["width"], rendition["height"])
                    assert Image.MIME[image.format or ""] == rendition["contentType"]
    assert media[1]["renditions"][0]["duration"] == 2.0
    body = doc["bodies"][0]["value"]
    assert f'src="{BASE_URL}media/' in body
    assert "../../media/" not in body


def test_markdown_is_a_leaf_bundle_with_stripped_pictures(exported: tuple) -> None:
    out, _ = exported
    folder = out / "markdown/uk-news/boroughs-quiet-fix-bicycles"
    assert not (out / "markdown/uk-news/boroughs-quiet-fix-bicycles.md").exists()
    text = (folder / "index.md").read_text("utf-8")
    _, matter_text, body = text.split("---\n", 2)
    matter = yaml.safe_load(matter_text)
    assert matter["image"]["src"] == "troops-at-dawn.jpg"
    assert matter["image"]["alt"] == "Soldiers wading"
    assert matter["audio"]["src"] == "interview.wav"
    assert (
        matter["images"][0] == BASE_URL + "uk-news/boroughs-quiet-fix-bicycles/troops-at-dawn.jpg"
    )
    sources = {r["src"]: r for r in matter["resources"]}
    assert set(sources) == {"troops-at-dawn.jpg", "interview.wav", "river.jpg", "chart.png"}
    assert sources["river.jpg"]["params"] == {"alt": "The river at dawn", "credit": "J. Smith"}
    assert "![The river at dawn](river.jpg" in body
    assert "media:" not in body
    for name in sources:
        data = (folder / name).read_bytes()
        assert data in {p.read_bytes() for p in (out / "site/media").iterdir()}  # a rendition
    assert {p.name for p in folder.iterdir()} == {"index.md", *sources}
    # An article without stored media keeps the plain layout.
    assert (out / "markdown/world/harbour-review-3.md").is_file()


HUGO_SITE = {
    "hugo.toml": 'baseURL = "https://example.com/"\ntitle = "Test"\n'
    'disableKinds = ["taxonomy", "term"]\n',
    "layouts/_default/baseof.html": '<!DOCTYPE html><html><body>{{ block "main" . }}'
    "{{ end }}</body></html>\n",
    "layouts/_default/list.html": '{{ define "main" }}{{ range .Pages }}{{ .Title }}'
    "{{ end }}{{ end }}\n",
    "layouts/_default/single.html": '{{ define "main" }}<h1>{{ .Title }}</h1>\n'
    '{{ range .Resources.ByType "image" }}<figure><img src="{{ .RelPermalink }}" '
    'alt="{{ .Params.alt }}"><figcaption>{{ .Title }} {{ .Params.credit }}</figcaption>'
    "</figure>\n{{ end }}<div>{{ .Content }}</div>{{ end }}\n",
}


@pytest.mark.skipif(shutil.which("hugo") is None, reason="hugo is not installed")
def test_hugo_builds_the_bundles_with_their_pictures(exported: tuple, tmp_path: Path) -> None:
    out, _ = exported
    site = tmp_path / "hugo"
    for name, text in HUGO_SITE.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, "utf-8")
    shutil.copytree(out / "markdown", site / "content")
    result = subprocess.run(
        ["hugo", "--quiet", "--source", str(site), "--destination", str(site / "public")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    page = site / "public/uk-news/boroughs-quiet-fix-bicycles/index.html"
    root = parse(page.read_text("utf-8"))
    images = [e for e in root.iter() if str(e.tag) == f"{NS}img"]
    # Three pictures from .Resources, two more from the body's Markdown.
    assert len(images) == 5
    alts = {e.get("alt") for e in images}
    assert {"Soldiers wading", "The river at dawn", "Repairs by year"} <= alts
    for image in images:
        src = urljoin("/uk-news/boroughs-quiet-fix-bicycles/", image.get("src"))
        assert (site / "public" / src.lstrip("/")).is_file(), src


def test_the_bundle_lists_every_media_file_with_its_checksum(exported: tuple) -> None:
    out, _ = exported
    with zipfile.ZipFile(out / "newsdesk-bundle.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
        listed = {f["path"]: f["sha256"] for f in manifest["files"]}
        for path in files_below(out / "site/media"):
            entry = f"site/media/{path}"
            assert listed[entry] == hashlib.sha256(archive.read(entry)).hexdigest()
        pictures = [p for p in listed if p.startswith("markdown/") and p.endswith(".jpg")]
        assert "markdown/uk-news/boroughs-quiet-fix-bicycles/troops-at-dawn.jpg" in pictures
        assert any(p.startswith("fragment/media/") for p in listed)


def test_no_exported_byte_carries_gps_serials_owner_or_comment(exported: tuple) -> None:
    out, _ = exported
    files = files_below(out)
    with zipfile.ZipFile(out / "newsdesk-bundle.zip") as archive:
        files.update({f"zip:{n}": archive.read(n) for n in archive.namelist()})
    secrets = [SECRET_OWNER.encode(), SECRET_SERIAL.encode(), b"LENS-123456", b"NewsCam"]
    for name, data in files.items():
        for secret in secrets:
            assert secret not in data, (name, secret)
    pictures = [n for n in files if n.endswith((".jpg", ".webp", ".png"))]
    assert len(pictures) > 10
    for name in pictures:
        with Image.open(io.BytesIO(files[name])) as image:
            exif = image.getexif()
            assert not exif.get_ifd(0x8825), name  # GPS
            assert not exif.get_ifd(0x8769), name  # serials, owner
            assert "comment" not in image.info, name
            assert b"aux:SerialNumber" not in files[name]


def test_two_exports_of_one_store_are_the_same_bytes(tmp_path: Path) -> None:
    first = export(ListStore(articles(), media=library()), tmp_path / "a", workers=1)
    second = export(ListStore(articles(), media=library()), tmp_path / "b", workers=2)
    assert first.media_encoded == second.media_encoded > 0
    assert files_below(tmp_path / "a") == files_below(tmp_path / "b")


def test_a_changed_caption_encodes_nothing_and_rewrites_only_that_story(tmp_path: Path) -> None:
    store = ListStore(articles(), media=library())
    export(store, tmp_path / "out", workers=1)
    before = files_below(tmp_path / "out")
    changed = illustrated(
        body=illustrated().body.replace("Crossing at first light", "Crossing at noon"),
        version=4,
        updated_at=story().updated_at.replace(hour=15),
    )
    store.articles[0] = changed
    store.data_reads.clear()
    report = export(store, tmp_path / "out", workers=1)
    assert report.media_encoded == 0
    assert report.media_reused > 0
    assert store.data_reads == []
    mine = {
        PAGE,
        "fragment/uk-news/boroughs-quiet-fix-bicycles.html",
        "fragment/uk-news/boroughs-quiet-fix-bicycles.json",  # its sidecar: version, lastmod
        "markdown/uk-news/boroughs-quiet-fix-bicycles/index.md",
        "ninjs/uk-news/boroughs-quiet-fix-bicycles.json",
        "site/feed.xml",
        "site/sitemap.xml",
        "newsdesk-bundle.zip",
    }
    assert set(report.written) <= mine
    assert PAGE in report.written
    after = files_below(tmp_path / "out")
    assert {p for p in after if p.startswith("site/media/")} == {
        p for p in before if p.startswith("site/media/")
    }


def test_a_library_change_rerenders_the_stories_using_the_file(tmp_path: Path) -> None:
    store = ListStore(articles(), media=library())
    export(store, tmp_path / "out", workers=1)
    old, data = store.media[INLINE]
    store.media[INLINE] = (dataclasses.replace(old, credit="New Credit Agency"), data)
    report = export(store, tmp_path / "out", workers=1)
    assert report.media_encoded == 0
    assert "New Credit Agency" in (tmp_path / "out" / PAGE).read_text("utf-8")
    assert "site/world/harbour-review-2/index.html" in report.written


def test_removing_the_last_story_using_a_file_removes_its_renditions(tmp_path: Path) -> None:
    store = ListStore(articles(), media=library())
    export(store, tmp_path / "out", workers=1)
    media = tmp_path / "out/site/media"
    river = {p.name for p in media.iterdir() if p.name.startswith("river-")}
    assert river
    store.articles = store.articles[1:]  # the illustrated story goes; the river stays
    report = export(store, tmp_path / "out", workers=1)
    left = {p.name for p in media.iterdir()}
    assert river <= left
    assert not any(n.startswith(("troops-", "interview-", "chart-")) for n in left)
    assert any(p.startswith("site/media/troops-") for p in report.deleted)
    store.articles = store.articles[1:]  # the last story with the river goes too
    export(store, tmp_path / "out", workers=1)
    assert not media.exists() or not any(media.iterdir())
    state = json.loads((tmp_path / "out/.newsdesk-export.json").read_text())
    assert not [p for p in state["files"] if "/media/" in p]


def test_a_file_newsdesk_did_not_write_is_never_deleted(tmp_path: Path) -> None:
    store = ListStore(articles(), media=library())
    export(store, tmp_path / "out", workers=1)
    mine = next((tmp_path / "out/site/media").glob("chart-*"))
    mine.write_bytes(b"edited by hand")
    store.articles = store.articles[1:]
    report = export(store, tmp_path / "out", workers=1)
    assert mine.read_bytes() == b"edited by hand"
    assert f"site/media/{mine.name}" in report.kept


def test_missing_media_leaves_the_story_out_and_says_which(tmp_path: Path) -> None:
    store = ListStore(articles(), media=[m for m in library() if m[0].key != CHART])
    report = export(store, tmp_path / "out", workers=1)
    assert [p.uri for p in report.problems] == [story().uri]
    assert f"media:{CHART}" in report.problems[0].message
    assert "missing from the media library" in report.problems[0].message
    assert not (tmp_path / "out" / PAGE).exists()
    assert (tmp_path / "out/site/world/harbour-review-2/index.html").is_file()
    assert f"media:{CHART}" in report.summary()


def test_an_unreadable_file_leaves_its_stories_out(tmp_path: Path) -> None:
    broken = b"\xff\xd8\xff not really a jpeg"
    bad, _ = asset(LEAD, jpeg_bytes(300, 200), "Troops at dawn.JPG", alt="x", credit="y")
    bad = dataclasses.replace(bad, sha256=hashlib.sha256(broken).hexdigest(), size=len(broken))
    media = [(bad, broken), *library()[1:]]
    report = export(ListStore(articles(), media=media), tmp_path / "out", workers=1)
    assert [p.uri for p in report.problems] == [story().uri]
    assert "Troops at dawn.JPG" in report.problems[0].message
    assert not (tmp_path / "out" / PAGE).exists()
    assert not list((tmp_path / "out/site/media").glob("troops-*"))


def test_the_summary_names_pictures_without_alt_text_or_credit(tmp_path: Path) -> None:
    story_without_alt = illustrated(image=Media(src=f"media:{INLINE}"))
    media = library()
    media[1] = (dataclasses.replace(media[1][0], credit=""), media[1][1])
    report = export(ListStore([story_without_alt], media=media), tmp_path / "out", workers=1)
    assert report.problems == []
    assert report.media_warnings == ["river.jpg (no alt text, no credit)"]
    assert "1 picture lacks alt text or credit: river.jpg (no alt text, no credit)" in (
        report.summary()
    )


def test_a_record_written_before_media_is_still_read() -> None:
    old = ["1", "2026", "d", "c", "s", "slug", "H", None, False, "m", "p", [], False, "f", None]
    record = ArticleRecord.from_json(old)
    assert record.media_keys == [] and record.media_files == []
    with pytest.raises(ValueError, match="wrong length"):
        ArticleRecord.from_json(old[:-1])


@pytest.mark.parametrize("formats", ["ninjs", "markdown", "fragment", "bundle", "site,bundle"])
def test_each_format_alone_gets_its_media_and_a_second_run_encodes_nothing(
    tmp_path: Path, formats: str
) -> None:
    store = ListStore(articles(), media=library())
    first = export(store, tmp_path / "out", formats=formats, workers=1)
    assert first.problems == []
    assert first.media_encoded > 0
    out = tmp_path / "out"
    if "ninjs" in formats:
        doc = json.loads((out / "ninjs/uk-news/boroughs-quiet-fix-bicycles.json").read_text())
        sizes = [r["sizeInBytes"] for a in doc["associations"] for r in a["renditions"]
                 if a["type"] == "picture"]  # fmt: skip
        assert sizes and all(size > 0 for size in sizes)
    if "bundle" in formats:
        with zipfile.ZipFile(out / "newsdesk-bundle.zip") as archive:
            names = archive.namelist()
        assert any(n.startswith("site/media/troops-") for n in names)
        assert any(n.startswith("fragment/media/troops-") for n in names)
        assert "markdown/uk-news/boroughs-quiet-fix-bicycles/troops-at-dawn.jpg" in names
    before = files_below(out)
    store.data_reads.clear()
    again = export(store, out, formats=formats, workers=1)
    if formats != "bundle":  # a zip alone is made again each time, from nothing on disk
        assert again.media_encoded == 0
        assert store.data_reads == []
    assert again.written == []
    assert files_below(out) == before
    # A second export into the folder after deleting a rendition puts it back.
    made = [p for p in out.rglob("*") if p.is_file() and "/media/" in str(p)]
    if made:
        made[0].unlink()
        export(store, out, formats=formats, workers=1)
        assert files_below(out) == before


def test_bundle_file_names_are_safe_whatever_the_original_was_called() -> None:
    data = png_bytes(40, 30)
    names = ["../../etc/passwd.png", "CON.png", "Ünïcödé фото.png", "chart.png", "chart.png"]
    keys = [f"{n:012x}" for n in range(1, len(names) + 1)]
    media = {k: asset(k, data, name)[0] for k, name in zip(keys, names, strict=True)}
    files = bundle_pictures(keys, media)
    got = [files[k][0] for k in keys]
    assert got == ["etc-passwd.png", "con-media.png", "unicode.png", "chart.png", "chart-2.png"]
    for name in got:
        check_relative(f"markdown/news/slug/{name}")


def test_the_feed_points_at_the_published_files(exported: tuple) -> None:
    out, _ = exported
    feed = (out / "site/feed.xml").read_text("utf-8")
    assert "https://example.com/media/river-" in feed
    assert "../../media/" not in feed


def test_an_incremental_export_gives_the_bytes_of_a_fresh_one(tmp_path: Path) -> None:
    store = ListStore(articles(), media=library())
    export(store, tmp_path / "again", workers=1)
    old, data = store.media[CHART]
    store.media[CHART] = (dataclasses.replace(old, alt="Bicycles repaired, 2024-25"), data)
    second = store.articles[1]
    store.articles[1] = dataclasses.replace(
        second, body="Now without a picture.", version=second.version + 1,
        updated_at=second.updated_at.replace(year=2027),
    )  # fmt: skip
    store.articles.append(illustrated(uri=other(9).uri, slug="second-use", headline="Again"))
    export(store, tmp_path / "again", workers=1)
    export(store, tmp_path / "fresh", workers=1)
    assert files_below(tmp_path / "again") == files_below(tmp_path / "fresh")
