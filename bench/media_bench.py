"""Pictures in the store and in the export: the figures of issue 11.

    python bench/media_bench.py [--articles 1000] [--rounds 3] [--workdir DIR] [--only PHASES]

Phases (``--only add,export,growth``; all by default):

* ``add``: a 24-megapixel camera JPEG (6000 x 4000, 6-10 MB) read, checked and stored
  (``read_media_file`` + ``add_media``) in a fresh process, then the rendition the preview
  asks for encoded (what the preview's server does on its first request: the 800 px WebP
  for the 720 px column at a pixel ratio of 1). Target: stored and shown
  under 1 s. The window-side figure (insert to ``<img>`` loaded) is in
  ``bench/window_bench.py --media``.
* ``export``: ``--articles`` published stories, each with its own 12-megapixel photo
  (4000 x 3000, about 3.4 MB) as its featured picture. Newsdesk's site export (a whole
  ``newsdesk export`` process, start-up included) against Hugo building the same stories
  as page bundles with a template that makes the same renditions (same widths, WebP q80
  and one JPEG q82, Lanczos) from the same photos; Hugo's image cache is emptied before
  each of its runs. Then the same folder exported again after one changed caption.
  Targets: no slower than Hugo; peak memory (the whole process tree) under 600 MB;
  the re-export after one caption under 1 s.
* ``growth``: the SQLite store file against the originals' bytes. Target: at most +10 %.

The photos are made once and kept in the work folder: 50 distinct noisy pictures, each
file then made unique by its own JPEG comment and EXIF (so every story has its own file,
its own SHA-256 and its own renditions, while making the corpus takes a minute, not half
an hour).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import shutil
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from export_vs_hugo import measured  # noqa: E402

BASES = 50
# The preview pane shows the page's 720 px column at most: the browser asks for the first
# WebP at least that wide (800 px) at a device pixel ratio of 1.
PREVIEW_PX = 720
SECTIONS = ["UK", "World", "Business", "Climate", "Sport"]


# -- the corpus ---------------------------------------------------------------------------


def base_photo(seed: int, width: int = 4000, height: int = 3000) -> bytes:
    """A noisy, photo-like JPEG (an encoder cannot shrink noise the way it shrinks a
    gradient): about 3.4 MB at 12 MP."""
    from PIL import Image, ImageDraw

    base = Image.linear_gradient("L").rotate(seed * 7 % 360).resize((width, height))
    noise = Image.effect_noise((width // 4, height // 4), 40 + seed % 30).resize(
        (width, height), Image.Resampling.BILINEAR
    )
    picture = Image.merge("RGB", (base, noise, Image.eval(base, lambda v: 255 - v)))
    draw = ImageDraw.Draw(picture)
    for i in range(40):
        x, y = (i * 97 + seed * 131) % width, (i * 53 + seed * 71) % height
        draw.ellipse((x, y, x + 300, y + 200), fill=((i * 6 + seed) % 255, 90, 200 - i))
    fine = Image.effect_noise((width, height), 12).convert("RGB")
    picture = Image.blend(picture, fine, 0.15)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=88)
    return out.getvalue()


def unique_copy(base: bytes, number: int) -> bytes:
    """``base`` with a JPEG comment segment of its own inserted after SOI."""
    comment = f"Newsdesk bench photo {number:06d}".encode()
    segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
    return base[:2] + segment + base[2:]


def photos(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    bases = [folder / f"base-{i:02d}.jpg" for i in range(BASES)]
    todo = [i for i, path in enumerate(bases) if not path.exists()]
    if todo:
        started = time.perf_counter()
        with ProcessPoolExecutor() as pool:
            for i, data in zip(todo, pool.map(base_photo, todo), strict=True):
                bases[i].write_bytes(data)
        print(f"made {len(todo)} base photos in {time.perf_counter() - started:.0f} s")
    paths = []
    for n in range(count):
        path = folder / f"photo-{n:06d}.jpg"
        if not path.exists():
            path.write_bytes(unique_copy(bases[n % BASES].read_bytes(), n))
        paths.append(path)
    return paths


def build_store(url: str, paths: list[Path]) -> int:
    """One published story per photo, the photo its featured picture; returns the
    originals' bytes."""
    from newsdesk.core.media.media import MediaAsset, new_key
    from newsdesk.core.media.media_intake import read_media_file
    from newsdesk.core.models import Article, Media, Status
    from newsdesk.store import open_store

    store = open_store(url)
    base = datetime(2025, 1, 1, 8, 0, tzinfo=UTC)
    total = 0
    batch: list[Article] = []
    media: list[tuple[MediaAsset, bytes]] = []
    for i, path in enumerate(paths):
        data, info = read_media_file(path)
        total += len(data)
        asset = MediaAsset.from_info(
            info,
            key=new_key(),
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            filename=path.name,
            now=base,
            alt=f"A scene from story {i}",
            caption=f"Caption of photo {i}",
            credit="Bench Photo Agency",
        )
        when = base + timedelta(minutes=37 * i)
        batch.append(
            Article(
                headline=f"Story number {i} with its own photo",
                status=Status.PUBLISHED,
                slug=f"story-{i:06d}",
                standfirst="A story whose picture travels with it.",
                byline="Helen Park",
                section=SECTIONS[i % len(SECTIONS)],
                body=f"Paragraph one of story {i}.\n\nParagraph two of story {i}.",
                created_at=when,
                updated_at=when,
                first_published_at=when,
                display_date=when,
                image=Media(
                    src=asset.ref,
                    alt=asset.alt,
                    caption=asset.caption,
                    credit=asset.credit,
                ),
            )
        )
        media.append((asset, data))
        if len(batch) == 50:
            store.create_many(batch, media=media)
            batch, media = [], []
    if batch:
        store.create_many(batch, media=media)
    store.close()
    return total


# -- Hugo ---------------------------------------------------------------------------------


def hugo_site(site: Path, paths: list[Path], widths: list[int], fallback: int) -> None:
    """The same stories as Hugo page bundles, and a template making the same renditions."""
    shutil.rmtree(site, ignore_errors=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text(
        'baseURL = "https://example.com/"\ntitle = "London Daily"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n'
        '[imaging]\n  resampleFilter = "Lanczos"\n  quality = 80\n'
    )
    sources = " ".join(
        f'{{{{ with $p.Resize "{w}x webp q80 Lanczos" }}}}{{{{ $s = $s | append (printf "%s {w}w" .RelPermalink) }}}}{{{{ end }}}}'
        for w in widths
    )
    (site / "layouts" / "_default" / "single.html").write_text(
        "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body><article>"
        "<h1>{{ .Title }}</h1>"
        '{{ with .Resources.GetMatch "photo.jpg" }}{{ $p := . }}{{ $s := slice }}'
        + sources
        + f'{{{{ $j := $p.Resize "{fallback}x jpg q82 Lanczos" }}}}'
        '<figure><picture><source type="image/webp" srcset="{{ delimit $s ", " }}">'
        '<img src="{{ $j.RelPermalink }}" width="{{ $j.Width }}" height="{{ $j.Height }}"'
        ' alt="{{ $.Params.image_alt }}"></picture>'
        "<figcaption>{{ $.Params.image_caption }}</figcaption></figure>{{ end }}"
        "{{ .Content }}</article></body></html>\n"
    )
    (site / "layouts" / "_default" / "list.html").write_text(
        "<!DOCTYPE html><html><body>{{ range .Pages }}"
        '<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</body></html>\n'
    )
    for i, path in enumerate(paths):
        bundle = site / "content" / SECTIONS[i % len(SECTIONS)].lower() / f"story-{i:06d}"
        bundle.mkdir(parents=True)
        (bundle / "index.md").write_text(
            f'---\ntitle: "Story number {i} with its own photo"\n'
            f'date: 2025-01-01T08:00:00Z\nimage_alt: "A scene from story {i}"\n'
            f'image_caption: "Caption of photo {i}"\n---\n\n'
            f"Paragraph one of story {i}.\n\nParagraph two of story {i}.\n"
        )
        os.link(path, bundle / "photo.jpg") if _same_fs(path, bundle) else shutil.copy(
            path, bundle / "photo.jpg"
        )


def _same_fs(a: Path, b: Path) -> bool:
    return a.stat().st_dev == b.stat().st_dev


# -- phases -------------------------------------------------------------------------------


def add_phase(work: Path, rounds: int) -> None:
    """Intake, store and the preview's first rendition of a 24 MP photo, each in a fresh
    process (imports included, as when the window's worker does it the first time)."""
    from PIL import Image

    photo = work / "camera-24mp.jpg"
    if not photo.exists():
        sys.path.insert(0, str(HERE.parent / "tests"))
        from media_samples import jpeg_bytes

        image_bytes = base_photo(99, 6000, 4000)
        with Image.open(io.BytesIO(image_bytes)) as check:
            assert check.size == (6000, 4000)
        # The camera's metadata too (GPS, serials, XMP words), on the same pixels.
        camera = jpeg_bytes(64, 48)
        photo.write_bytes(image_bytes)
        (work / "camera-meta.jpg").write_bytes(camera)
    script = (
        f"PREVIEW_PX = {PREVIEW_PX}\n"
        "import sys, time\n"
        "t0 = time.perf_counter()\n"
        "from newsdesk.core.media.media_intake import read_media_file\n"
        "from newsdesk.store import open_store\n"
        "from newsdesk.publish.media.renditions import renditions_for, encode\n"
        "store = open_store(sys.argv[2])\n"
        "t1 = time.perf_counter()\n"
        "data, info = read_media_file(sys.argv[1])\n"
        "t2 = time.perf_counter()\n"
        "asset, _ = store.add_media(data, info, 'camera-24mp.jpg')\n"
        "t3 = time.perf_counter()\n"
        "webp = [r for r in renditions_for(asset, lead=True) if r.mime_type == 'image/webp']\n"
        "rendition = next(r for r in webp if (r.width or 0) >= PREVIEW_PX)\n"
        "out = encode(store.media_data(asset.key), rendition)\n"
        "t4 = time.perf_counter()\n"
        "print(t1 - t0, t2 - t1, t3 - t2, t4 - t3, rendition.width, len(data))\n"
    )
    rows = []
    for _ in range(rounds):
        db = work / "add.db"
        for leftover in work.glob("add.db*"):
            leftover.unlink()
        out = subprocess.run(
            [sys.executable, "-c", script, str(photo), f"sqlite:///{db}"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        rows.append([float(x) for x in out[:4]] + [int(out[4]), int(out[5])])
    med = [statistics.median(r[i] for r in rows) * 1000 for i in range(4)]
    spread = [(min(r[i] for r in rows) * 1000, max(r[i] for r in rows) * 1000) for i in range(4)]
    print(
        f"add a 24 MP JPEG ({rows[0][5] / 1e6:.1f} MB), median of {rounds}: "
        f"open store {med[0]:.0f} ms (imports), read+check {med[1]:.0f} ms "
        f"({spread[1][0]:.0f}-{spread[1][1]:.0f}), store {med[2]:.0f} ms "
        f"({spread[2][0]:.0f}-{spread[2][1]:.0f}), preview rendition {rows[0][4]} px WebP "
        f"{med[3]:.0f} ms ({spread[3][0]:.0f}-{spread[3][1]:.0f}); "
        f"added and shown: {med[1] + med[2] + med[3]:.0f} ms (target < 1000)"
    )


def newsdesk_export(db: Path, out: Path) -> tuple[float, int, str]:
    newsdesk = Path(sys.executable).parent / "newsdesk"
    command = [str(newsdesk), "--db", str(db), "export", "--out", str(out), "--format", "site"]
    return measured(command)


def change_caption(db: Path) -> None:
    import dataclasses

    from newsdesk.store import open_store

    store = open_store(f"sqlite:///{db}")
    article = store.get_by_slug("story-000005")
    assert article.image is not None
    image = dataclasses.replace(article.image, caption=f"{article.image.caption} (changed)")
    store.save(article.edited(image=image))
    store.close()


def export_phase(work: Path, count: int, rounds: int, *, with_hugo: bool = True) -> None:
    from newsdesk.core.media.media import MediaAsset, MediaKind
    from newsdesk.publish.media.renditions import renditions_for

    hugo = shutil.which("hugo")
    if hugo is None:
        raise SystemExit("hugo is not installed (apt-get install hugo)")
    paths = photos(work / "photos", count)
    db = work / f"export-{count}.db"
    if not db.exists():
        started = time.perf_counter()
        originals = build_store(f"sqlite:///{db}.tmp", paths)
        os.replace(f"{db}.tmp", db)
        (work / f"export-{count}.originals").write_text(str(originals))
        print(f"store of {count} stories built in {time.perf_counter() - started:.0f} s")
    probe = MediaAsset(
        key="0" * 12, sha256="0" * 64, kind=MediaKind.IMAGE, mime_type="image/jpeg",
        size=1, filename="photo.jpg", width=4000, height=3000,
    )  # fmt: skip
    plan = renditions_for(probe, lead=True)
    widths = [r.width for r in plan if r.mime_type == "image/webp" and r.width]
    fallback = [r.width for r in plan if r.mime_type == "image/jpeg" and r.width]
    print(f"renditions per photo: WebP {widths}, JPEG {fallback}")
    site = work / "hugo-site"
    if with_hugo:
        hugo_site(site, paths, widths, fallback[0] if fallback else 1200)
    hugo_cmd = [hugo, "--quiet", "--source", str(site), "--destination", str(site / "public")]

    def hugo_run() -> tuple[float, int]:
        shutil.rmtree(site / "public", ignore_errors=True)
        shutil.rmtree(site / "resources", ignore_errors=True)
        cache = work / "hugo-cache"
        shutil.rmtree(cache, ignore_errors=True)
        seconds, peak, _ = measured([*hugo_cmd, "--cacheDir", str(cache)])
        return seconds, peak

    results = []
    for number in range(1, rounds + 1):
        out = work / "site"
        shutil.rmtree(out, ignore_errors=True)
        load = os.getloadavg()[0]
        nd_s, nd_peak, _ = newsdesk_export(db, out)
        hugo_s, hugo_peak = hugo_run() if with_hugo else (float("nan"), 0)
        # One caption changed, then the same folder exported again.
        copy = work / "change.db"
        shutil.copyfile(db, copy)
        change_caption(copy)
        ch_s, ch_peak, ch_out = newsdesk_export(copy, out)
        results.append((nd_s, hugo_s, ch_s, nd_peak, hugo_peak, ch_peak))
        files = sum(1 for _ in (out / "site" / "media").iterdir())
        print(
            f"round {number}: newsdesk {nd_s:6.1f} s (peak {nd_peak / 2**20:4.0f} MB, "
            f"{files} media files), hugo {hugo_s:6.1f} s (peak {hugo_peak / 2**20:4.0f} MB), "
            f"ratio {nd_s / hugo_s:.2f}x; after one caption {ch_s:.2f} s "
            f"(peak {ch_peak / 2**20:.0f} MB); load {load:.1f}"
        )
        print("   " + ch_out.strip().splitlines()[-1][:200] if ch_out.strip() else "")
    ratios = [r[0] / r[1] for r in results]
    changes = [r[2] for r in results]
    print(
        f"median of {rounds}: newsdesk {statistics.median(r[0] for r in results):.1f} s, "
        f"hugo {statistics.median(r[1] for r in results):.1f} s, ratio "
        f"{statistics.median(ratios):.2f}x ({min(ratios):.2f}-{max(ratios):.2f}); "
        f"one caption {statistics.median(changes):.2f} s ({min(changes):.2f}-{max(changes):.2f}); "
        f"peak memory {max(r[3] for r in results) / 2**20:.0f} MB "
        f"(hugo {max(r[4] for r in results) / 2**20:.0f} MB)"
    )


def growth_phase(work: Path, count: int) -> None:
    db = work / f"export-{count}.db"
    originals_file = work / f"export-{count}.originals"
    if not db.exists():
        raise SystemExit("run the export phase first (it builds the store)")
    originals = int(originals_file.read_text())
    size = db.stat().st_size
    wal = Path(f"{db}-wal")
    size += wal.stat().st_size if wal.exists() else 0
    print(
        f"store growth: {size / 1e6:.1f} MB store for {originals / 1e6:.1f} MB of originals "
        f"({count} photos): +{(size / originals - 1) * 100:.2f} % (target <= 10 %)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=HERE / "out" / "media")
    parser.add_argument("--only", default="add,export,growth")
    parser.add_argument(
        "--no-hugo", action="store_true", help="Newsdesk alone (Hugo takes hours at 1,000)"
    )
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    only = set(args.only.split(","))
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    if "add" in only:
        add_phase(args.workdir, max(args.rounds, 5))
    if "export" in only:
        export_phase(args.workdir, args.articles, args.rounds, with_hugo=not args.no_hugo)
    if "growth" in only:
        growth_phase(args.workdir, args.articles)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
