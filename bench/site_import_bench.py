"""Moving an archive in: the figures of issue 20.

    python bench/site_import_bench.py [--posts 10000] [--rounds 3] [--workdir DIR]

Generates a Hugo site of ``--posts`` posts (TOML front matter; youtube, figure, highlight
and ref shortcodes, one unknown shortcode in fifty posts; one post in ten a page bundle
with its own picture, each picture different; ten sections with ``_index.md``), then times
the whole ``newsdesk import --site`` process into a fresh SQLite store, ``--rounds`` times:
wall seconds and the process's peak resident memory (``ru_maxrss`` of that child alone),
median of the rounds; and its CPU time (user + system), which a busy machine
inflates less than the wall time. Targets: under 60 s on two cores, under 500 MB.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
NEWSDESK = Path(sys.executable).with_name("newsdesk")
SECTIONS = ("world", "politics", "business", "sport", "culture", "science", "health",
            "travel", "opinion", "local")  # fmt: skip
WORDS = (
    "the river rose in the night and the town woke to water in the streets while the "
    "council met at dawn to decide what the barrier would cost and who would pay for it"
).split()


def png(seed: int) -> bytes:
    """A small, valid, distinct PNG (48 x 32, one colour from ``seed``) without Pillow."""
    width, height = 48, 32
    colour = bytes(((seed * 37) % 256, (seed * 91) % 256, (seed * 53) % 256))
    mark = seed.to_bytes(3, "big")  # the first pixel: every picture different
    raw = b"".join(b"\x00" + (mark if y == 0 else colour) + colour * (width - 1)
                   for y in range(height))  # fmt: skip

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x02\x00\x00\x00"
    out = io.BytesIO()
    out.write(b"\x89PNG\r\n\x1a\n")
    out.write(chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return out.getvalue()


def body(index: int) -> str:
    paragraphs = []
    for p in range(6):
        start = (index + p * 7) % len(WORDS)
        words = (WORDS[start:] + WORDS[:start]) * 3
        paragraphs.append(" ".join(words[:60]).capitalize() + ".")
    paragraphs.insert(2, "{{< youtube dQw4w9WgXcQ >}}")
    previous = max(0, index - 1)
    paragraphs.insert(
        4,
        f'Earlier: [the story before]({{{{< ref "{SECTIONS[previous % 10]}/post-{previous}" >}}}}).',
    )
    paragraphs.append('{{< highlight python >}}\nprint("figures")\n{{< /highlight >}}')
    if index % 50 == 0:
        paragraphs.append('{{< poll id="7" >}}')  # the site's own: flagged, kept
    return "\n\n".join(paragraphs) + "\n"


def generate(root: Path, posts: int) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "hugo.toml").write_text(
        'baseURL = "https://archive.example.org/"\nlanguageCode = "en-gb"\n'
        'title = "The Archive"\n\n[permalinks]\n  world = "/:year/:month/:slug/"\n'
    )
    content = root / "content"
    for section in SECTIONS:
        (content / section).mkdir(parents=True, exist_ok=True)
        (content / section / "_index.md").write_text(f'+++\ntitle = "{section.title()}"\n+++\n')
    for index in range(posts):
        section = SECTIONS[index % 10]
        day = 1 + index % 28
        front = (
            f'+++\ntitle = "Story number {index}: the river and the town"\n'
            f"date = 20{10 + index % 15}-{1 + index % 12:02d}-{day:02d}T08:00:00Z\n"
            f'tags = ["river", "council", "tag{index % 40}"]\n'
            f'description = "What happened, in one line ({index})."\n'
            f'authors = ["Reporter {index % 25}"]\n'
        )
        text = body(index)
        if index % 10 == 0:
            front += 'images = ["cover.png"]\n'
            text += '\n{{< figure src="cover.png" alt="The scene" caption="On the day" >}}\n'
            folder = content / section / f"post-{index}"
            folder.mkdir()
            (folder / "index.md").write_text(front + "+++\n" + text)
            (folder / "cover.png").write_bytes(png(index))
        else:
            (content / section / f"post-{index}.md").write_text(front + "+++\n" + text)


def run_once(site: Path, workdir: Path, round_no: int) -> tuple[float, float, float, str]:
    db = workdir / f"store-{round_no}.db"
    command = [str(NEWSDESK), "--db", str(db), "import", "--site", str(site)]
    log = workdir / f"report-{round_no}.txt"
    with log.open("w") as sink:  # a file, not a pipe: a long report must not block it
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    out = log.read_text()
    if process.returncode != 0:
        raise SystemExit(f"newsdesk import failed ({process.returncode}):\n{out[-4000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024, out.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        work = Path(tmp)
        site = work / "site"
        started = time.perf_counter()
        generate(site, args.posts)
        print(f"generated {args.posts:,} posts in {time.perf_counter() - started:.1f} s")
        results = []
        for round_no in range(args.rounds):
            seconds, cpu, peak, last = run_once(site, work, round_no)
            results.append((seconds, cpu, peak))
            print(
                f"round {round_no + 1}: {seconds:6.1f} s wall, {cpu:6.1f} s CPU, "
                f"peak {peak:6.0f} MB ({last}); load {os.getloadavg()[0]:.1f}"
            )
        print(
            f"newsdesk import --site, {args.posts:,} posts: median "
            f"{statistics.median(r[0] for r in results):.1f} s wall (target < 60 s), "
            f"{statistics.median(r[1] for r in results):.1f} s CPU, peak memory "
            f"median {statistics.median(r[2] for r in results):.0f} MB (target < 500 MB), "
            f"{os.cpu_count()} CPUs"
        )


if __name__ == "__main__":
    main()
