"""Makes the sample archive's pictures and its narrated audio (run once; the files are kept).

    .venv/bin/python scripts/demo_media.py [--out src/newsdesk/resources/demo/media]

The pictures are drawn scenes (a river, hills, a barrier, people), not photographs: the
project ships no one's photos. Each carries its caption, credit and alt text as IPTC XMP,
as an agency's picture would, so importing the sample shows the words pre-filled. The audio
is the lead story read by espeak-ng (Debian's ``espeak-ng``), encoded as MP3 by ``ffmpeg``.
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
GREY = (150, 150, 145)


def xmp(caption: str, credit: str, alt: str) -> bytes:
    def alt_lang(tag: str, value: str) -> str:
        return (
            f"<{tag}><rdf:Alt><rdf:li xml:lang='x-default'>{escape(value)}</rdf:li>"
            f"</rdf:Alt></{tag}>"
        )

    return (
        "<?xpacket begin='\ufeff' id='W5M0MpCehiHzreSzNTczkc9d'?>"
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF "
        "xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description rdf:about='' "
        "xmlns:dc='http://purl.org/dc/elements/1.1/' "
        "xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/' "
        "xmlns:Iptc4xmpCore='http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/'>"
        + alt_lang("dc:description", caption)
        + f"<photoshop:Credit>{escape(credit)}</photoshop:Credit>"
        + alt_lang("Iptc4xmpCore:AltTextAccessibility", alt)
        + "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end='w'?>"
    ).encode()


def blend(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return (
        int(a[0] + (b[0] - a[0]) * t),
        int(a[1] + (b[1] - a[1]) * t),
        int(a[2] + (b[2] - a[2]) * t),
    )


def scene(
    seed: int,
    *,
    sky: tuple[tuple[int, int, int], tuple[int, int, int]],
    water: tuple[tuple[int, int, int], tuple[int, int, int]],
    barrier: bool = False,
    houses: bool = False,
    people: int = 4,
    size: tuple[int, int] = (1800, 1200),
) -> Image.Image:
    """A river scene: sky, three ranges of hills, water with ripples, and what the story
    needs (a barrier, a row of houses, people in high-visibility jackets)."""
    width, height = size
    rnd = random.Random(seed)
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    horizon = int(height * 0.48)
    for y in range(horizon):
        draw.line([(0, y), (width, y)], fill=blend(sky[0], sky[1], y / horizon))
    for i in range(3):
        base = horizon - rnd.randint(0, height // 10)
        points = [(0, horizon)]
        points += [(x, base - rnd.randint(0, height // 9)) for x in range(0, width + 240, 240)]
        points.append((width, horizon))
        shade = 55 + i * 28
        draw.polygon(points, fill=(shade // 2 + 10, shade, shade // 2))
    if houses:
        x = width // 12
        while x < width * 11 // 12:
            w, h = rnd.randint(90, 150), rnd.randint(70, 120)
            top = horizon - h + 10
            tone = rnd.randint(150, 200)
            draw.rectangle([x, top, x + w, horizon + 10], fill=(tone, tone - 30, tone - 50))
            draw.polygon(
                [(x - 8, top), (x + w // 2, top - 45), (x + w + 8, top)], fill=(90, 50, 45)
            )
            for wx in range(x + 14, x + w - 20, 36):
                draw.rectangle([wx, top + 20, wx + 18, top + 42], fill=(235, 225, 170))
            x += w + rnd.randint(10, 40)
    for y in range(horizon, height):
        draw.line(
            [(0, y), (width, y)], fill=blend(water[0], water[1], (y - horizon) / (height - horizon))
        )
    for _ in range(70):
        x, y = rnd.randint(0, width), rnd.randint(horizon + 10, height)
        draw.line([(x, y), (x + rnd.randint(40, 220), y)], fill=(215, 220, 228), width=3)
    if barrier:
        top = horizon + height // 10
        draw.rectangle([0, top, width * 2 // 3, top + height // 12], fill=GREY)
        for x in range(0, width * 2 // 3, 150):
            draw.rectangle([x, top - height // 7, x + 26, top], fill=(120, 120, 118))
        draw.line(
            [(width * 2 // 3, top), (width * 2 // 3 + 40, top + height // 12)], fill=GREY, width=10
        )
    for _ in range(people):
        x = rnd.randint(width // 10, width * 9 // 10)
        y = rnd.randint(horizon + height // 20, height * 3 // 4)
        s = height // 13
        draw.rectangle(
            [x, y, x + s // 2, y + s], fill=(rnd.randint(220, 250), rnd.randint(120, 170), 20)
        )
        draw.rectangle([x, y + s // 3, x + s // 2, y + s // 3 + 8], fill=(230, 230, 210))
        draw.ellipse([x + 2, y - s // 2 + 4, x + s // 2 - 2, y], fill=(225, 185, 155))
    return image.filter(ImageFilter.GaussianBlur(1.1))


PICTURES = [
    (
        "severn-barrier-gloucester.jpg",
        dict(
            seed=3,
            sky=((96, 120, 150), (196, 205, 214)),
            water=((110, 98, 70), (70, 60, 44)),
            barrier=True,
            people=3,
        ),
        "No contractor has been on site at Longford Meadows since July",
        "Amira Hassan/London Daily",
        "An unfinished concrete flood wall ends abruptly beside the swollen Severn",
    ),
    (
        "severn-gauge-at-the-quay.jpg",
        dict(
            seed=8,
            sky=((120, 130, 140), (190, 195, 200)),
            water=((100, 105, 95), (55, 60, 50)),
            people=2,
            size=(1500, 1000),
        ),
        "Council staff check the river gauge at the quay on Tuesday",
        "Tom Reid/London Daily",
        "Two council workers in orange jackets stand at the edge of brown floodwater",
    ),
    (
        "tewkesbury-high-street.jpg",
        dict(
            seed=5,
            sky=((70, 100, 150), (200, 212, 226)),
            water=((95, 85, 62), (62, 52, 40)),
            houses=True,
            people=5,
        ),
        "Floodwater stands in Tewkesbury's high street on Wednesday morning",
        "Agency Photo/J. Smith",
        "Flooded terraced houses with water up to their doors and people wading past",
    ),
    (
        "tewkesbury-rest-centre.jpg",
        dict(
            seed=11,
            sky=((235, 160, 95), (248, 218, 170)),
            water=((60, 90, 118), (30, 50, 80)),
            houses=True,
            people=6,
            size=(1500, 1000),
        ),
        "Volunteers fill sandbags outside the rest centre at dusk",
        "Northern Echo/A. Khan",
        "Volunteers in hi-vis jackets carry sandbags along a flooded lane at sunset",
    ),
    (
        "llanidloes-gauges.jpg",
        dict(
            seed=17,
            sky=((60, 85, 130), (180, 190, 210)),
            water=((80, 92, 100), (40, 50, 60)),
            people=2,
        ),
        "The upper Severn at Llanidloes, where gauges hit a record on Monday",
        "Gwen Morgan/London Daily",
        "A wide grey river running high between green hills under low cloud",
    ),
]


def make_pictures(out: Path) -> None:
    for name, options, caption, credit, alt in PICTURES:
        picture = scene(**options)  # type: ignore[arg-type]
        data = io.BytesIO()
        picture.save(
            data, "JPEG", quality=82, optimize=True, progressive=True, xmp=xmp(caption, credit, alt)
        )
        (out / name).write_bytes(data.getvalue())
        print(f"{name}: {len(data.getvalue()) // 1024} KB")


NARRATION = ROOT / "src/newsdesk/resources/demo/severn-barrier-delay-leaves-homes-exposed.md"


def make_audio(out: Path) -> None:
    espeak, ffmpeg = shutil.which("espeak-ng"), shutil.which("ffmpeg")
    if not espeak or not ffmpeg:
        sys.exit("the narration needs espeak-ng and ffmpeg: apt-get install espeak-ng ffmpeg")
    text = NARRATION.read_text(encoding="utf-8").split("---", 2)[2]
    paragraphs = [
        p for p in text.split("\n\n") if p.strip() and not p.lstrip().startswith(("!", "#"))
    ]
    script = "Severn barrier delay leaves 1,100 homes exposed as councils trade blame. " + " ".join(
        paragraphs[:4]
    )
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "read.wav"
        subprocess.run([espeak, "-v", "en-gb", "-s", "165", "-w", str(wav), script], check=True)
        target = out / "severn-barrier-listen.mp3"
        subprocess.run(
            [ffmpeg, "-loglevel", "error", "-y", "-i", str(wav), "-ac", "1", "-ar", "22050",
             "-b:a", "32k", "-map_metadata", "-1", str(target)],
            check=True,
        )  # fmt: skip
    print(f"{target.name}: {target.stat().st_size // 1024} KB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "src/newsdesk/resources/demo/media")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    make_pictures(args.out)
    make_audio(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
