"""How ``newsdesk media`` shows a file: one line in a list, a report, a JSON object."""

from __future__ import annotations

from typing import Any

from newsdesk.cli.common import when_text
from newsdesk.core.media.media import MediaAsset, MediaKind, MediaUse, image_markdown, problems


def size_text(size: int) -> str:
    if size < 1000 * 1000:
        return f"{max(1, round(size / 1000))} KB"
    return f"{size / 1_000_000:.1f} MB"


def duration_text(seconds: float) -> str:
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def measure_text(asset: MediaAsset) -> str:
    """Pixels for a picture, duration for audio."""
    if asset.kind == MediaKind.AUDIO:
        return duration_text(asset.duration_seconds) if asset.duration_seconds is not None else ""
    if asset.width and asset.height:
        return f"{asset.width}×{asset.height}"
    return ""


def markdown_of(asset: MediaAsset) -> str | None:
    """What to paste into a body (pictures only: audio is a story's 'Listen' player)."""
    if asset.kind != MediaKind.IMAGE:
        return None
    return image_markdown(asset.key, asset.alt, asset.caption)


def asset_json(asset: MediaAsset) -> dict[str, Any]:
    return {
        "key": asset.key,
        "ref": asset.ref,
        "markdown": markdown_of(asset),
        "kind": asset.kind.value,
        "mime_type": asset.mime_type,
        "width": asset.width,
        "height": asset.height,
        "duration_seconds": asset.duration_seconds,
        "size": asset.size,
        "sha256": asset.sha256,
        "alt": asset.alt,
        "caption": asset.caption,
        "credit": asset.credit,
        "copyright": asset.copyright,
        "filename": asset.filename,
        "created_at": asset.created_at.isoformat() if asset.created_at else None,
        "updated_at": asset.updated_at.isoformat() if asset.updated_at else None,
    }


def asset_line(asset: MediaAsset, use: MediaUse) -> str:
    stories = len(use.articles)
    used = f"{stories} {'story' if stories == 1 else 'stories'}" if stories else "unused"
    words = asset.caption or asset.alt
    return (
        f"{asset.key}  {asset.kind.value:<5}  {measure_text(asset):>11}  "
        f"{size_text(asset.size):>8}  {used:<10}  {asset.filename}"
        + (f"  ({words[:60]})" if words else "")
    )


def asset_report(asset: MediaAsset, *, short: bool = False) -> str:
    """The file as a block of ``Name: value`` lines (``short``: what ``add`` says)."""
    kind = "picture" if asset.kind == MediaKind.IMAGE else "audio"
    measure = measure_text(asset)
    rows = [] if short else [("Key", f"{asset.key}  ({asset.ref})"), ("File", asset.filename)]
    rows += [
        ("Kind", f"{kind}, {asset.mime_type}" + (f", {measure}" if measure else "")),
        ("Size", f"{size_text(asset.size)} ({asset.size:,} bytes)"),
    ]
    if not short:
        rows += [
            ("Alt text", asset.alt),
            ("Caption", asset.caption),
            ("Credit", asset.credit),
            ("Copyright", asset.copyright),
            ("SHA-256", asset.sha256),
            ("Added", when_text(asset.created_at)),
            ("Changed", when_text(asset.updated_at)),
        ]
    markdown = markdown_of(asset)
    rows.append(("Markdown", markdown) if markdown else ("Use as", f"a story's audio: {asset.ref}"))
    missing = problems(asset)
    if missing:
        flags = [flag for flag, word in (("--alt", asset.alt), ("--credit", asset.credit))
                 if not word.strip()]  # fmt: skip
        fix = " ".join(f"{flag} TEXT" for flag in flags)
        rows.append(
            ("Missing", "; ".join(missing) + f"; add: newsdesk media edit {asset.key} {fix}")
        )
    indent = "  " if short else ""
    return "".join(f"{indent}{name + ':':<11}{value}\n" for name, value in rows if value)
