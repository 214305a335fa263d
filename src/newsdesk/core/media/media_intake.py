"""Media intake: read a chosen file once, tell what it is from its bytes, check it, measure it.

Everything refused raises :class:`~newsdesk.core.media.media.MediaError` with a message that names
the file and says what to do; nothing is stored until intake has said yes.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from typing import BinaryIO

from newsdesk.core.media.audio_probe import probe_audio
from newsdesk.core.media.image_probe import probe_image
from newsdesk.core.media.media import (
    AUDIO_TYPES,
    IMAGE_TYPES,
    MediaError,
    MediaInfo,
    MediaLimits,
    safe_filename,
)

# Enough of a file's start to tell every kind apart (SVG's root element may follow a long
# comment or DOCTYPE); the rest is read only once the kind and the size limit are known.
HEAD_BYTES = 64 * 1024
_MB = 1024 * 1024
DEFAULT_LIMITS = MediaLimits()
_SUPPORTED = "Newsdesk takes JPEG, PNG, WebP, GIF and AVIF pictures and MP3, M4A, Ogg and WAV audio"


def read_media_file(
    path: str | os.PathLike[str], limits: MediaLimits = DEFAULT_LIMITS
) -> tuple[bytes, MediaInfo]:
    """Read a picture or audio file once and check it: its bytes and what intake found."""
    name = safe_filename(os.fspath(path))
    size = _regular_file_size(path, name)
    try:
        with open(path, "rb") as handle:
            head = handle.read(HEAD_BYTES)
            head_type = _head_type(head)
            if head:  # refuse what no byte further on can change, before reading on
                _refuse_unsupported(name, head_type)
            limit = _byte_limit(head_type, limits)
            if size > limit:
                raise MediaError(_too_large(name, size, limit, head_type, limits))
            data = _read_rest(handle, head, size, limit)
    except OSError as error:
        raise _read_error(name, error) from error
    if len(data) > limit:  # it grew after it was chosen
        raise MediaError(_too_large(name, len(data), limit, head_type, limits, at_least=True))
    return data, probe(data, os.fspath(path), limits)


def probe(data: bytes, filename: str, limits: MediaLimits = DEFAULT_LIMITS) -> MediaInfo:
    """Check bytes from anywhere (a file, the clipboard) and say what they hold.

    ``filename`` only names the file in messages: the content decides the kind.
    """
    name = safe_filename(filename)
    if not data:
        raise MediaError(
            f"“{name}” is empty (0 bytes). Copy it again from where it came from "
            "(a download or a memory card may have been cut short) and add it again."
        )
    mime_type = sniff(data)
    _refuse_unsupported(name, mime_type)
    assert mime_type is not None  # refused above otherwise
    limit = _byte_limit(mime_type, limits)
    if len(data) > limit:
        raise MediaError(_too_large(name, len(data), limit, mime_type, limits))
    if mime_type in IMAGE_TYPES:
        return probe_image(data, mime_type, name, limits)
    return probe_audio(data, mime_type, name)


def sniff(data: bytes) -> str | None:
    """The content type the bytes hold, from their magic numbers, never from a name.

    Besides the accepted types this also names what must be refused with a reason:
    ``image/svg+xml``, ``application/xml``, ``video/mp4`` and ``image/heic``.
    """
    head = data[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav"
    if head[4:8] == b"ftyp":
        return _iso_media_type(data)
    if head[:4] == b"OggS":
        return "audio/ogg"
    # Markup before MPEG audio: a UTF-16 byte-order mark looks like an MPEG frame header.
    markup = _markup_type(data[:HEAD_BYTES])
    if markup:
        return markup
    if head[:3] == b"ID3" or _mpeg_frame_header(head):
        return "audio/mpeg"
    return None


def _iso_media_type(data: bytes) -> str | None:
    """The type of an ISO base media file (MP4, M4A, AVIF, HEIC) from its brands and,
    for the generic brands, from its tracks' handlers (sound only, or video)."""
    major = data[8:12]
    box_end = min(int.from_bytes(data[:4], "big"), 256, len(data))
    brands = {major} | {data[i : i + 4] for i in range(16, box_end - 3, 4)}
    if major in (b"M4A ", b"M4B ", b"M4P "):
        return "audio/mp4"
    if brands & {b"avif", b"avis"}:
        return "image/avif"
    if brands & {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}:
        return "image/heic"
    handlers = set(_track_handlers(data))
    if b"vide" in handlers:
        return "video/mp4"
    if b"soun" in handlers:
        return "audio/mp4"
    return None


def _track_handlers(data: bytes) -> Iterator[bytes]:
    """The handler type (``soun``, ``vide``, ...) of every track: moov/trak/mdia/hdlr."""
    for kind, start, end in _boxes(data, 0, len(data)):
        if kind != b"moov":
            continue
        for trak, trak_start, trak_end in _boxes(data, start, end):
            if trak != b"trak":
                continue
            for mdia, mdia_start, mdia_end in _boxes(data, trak_start, trak_end):
                if mdia != b"mdia":
                    continue
                for hdlr, body, body_end in _boxes(data, mdia_start, mdia_end):
                    if hdlr == b"hdlr" and body + 12 <= body_end:
                        yield data[body + 8 : body + 12]  # after version/flags, pre_defined


def _boxes(data: bytes, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """The boxes between ``start`` and ``end``: (type, body start, box end)."""
    pos = start
    while pos + 8 <= end:
        size, header = int.from_bytes(data[pos : pos + 4], "big"), 8
        if size == 1:
            size, header = int.from_bytes(data[pos + 8 : pos + 16], "big"), 16
        elif size == 0:  # the last box runs to the end
            size = end - pos
        if size < header:
            return  # damaged: stop rather than loop
        yield data[pos + 4 : pos + 8], pos + header, min(pos + size, end)
        pos += size


def _markup_type(head: bytes) -> str | None:
    """``image/svg+xml`` for an SVG drawing, ``application/xml`` for other markup."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "ignore")
    else:
        text = head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "ignore")
    text = text.lstrip().lower()
    if not text.startswith("<"):
        return None
    return "image/svg+xml" if "<svg" in text else "application/xml"


def _mpeg_frame_header(head: bytes) -> bool:
    """Whether the bytes open with a valid MPEG audio frame header (an MP3 without ID3)."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer = (head[1] >> 3) & 3, (head[1] >> 1) & 3
    bitrate, rate = head[2] >> 4, (head[2] >> 2) & 3
    return version != 1 and layer != 0 and bitrate != 15 and rate != 3


def _refuse_unsupported(name: str, mime_type: str | None) -> None:
    if mime_type in IMAGE_TYPES or mime_type in AUDIO_TYPES:
        return
    if mime_type == "image/svg+xml":
        raise MediaError(
            f"“{name}” is an SVG drawing. SVG files can carry scripts, so Newsdesk does not "
            "take them: export it as PNG or JPEG and add that."
        )
    if mime_type == "video/mp4":
        raise MediaError(
            f"“{name}” is a video. {_SUPPORTED}: export its sound as M4A or MP3, "
            "or a still as JPEG, and add that."
        )
    if mime_type == "image/heic":
        raise MediaError(
            f"“{name}” is a HEIC/HEIF photo, which Newsdesk cannot read. "
            "Export it as JPEG and add that."
        )
    raise MediaError(
        f"“{name}” is not a picture or audio file Newsdesk can read: {_SUPPORTED}, "
        "whatever the file's name says. Convert it to one of these and add it again."
    )


def _head_type(head: bytes) -> str | None:
    """The type as far as the file's first bytes tell (an MP4 may keep its track list
    at the end: counted as audio until the whole file is read)."""
    mime_type = sniff(head)
    if mime_type is None and head[4:8] == b"ftyp":
        return "audio/mp4"
    return mime_type


def _byte_limit(mime_type: str | None, limits: MediaLimits) -> int:
    if mime_type in IMAGE_TYPES:
        return limits.max_image_bytes
    if mime_type in AUDIO_TYPES:
        return limits.max_audio_bytes
    return max(limits.max_image_bytes, limits.max_audio_bytes)


def _too_large(
    name: str,
    size: int,
    limit: int,
    mime_type: str | None,
    limits: MediaLimits,
    *,
    at_least: bool = False,
) -> str:
    what = (
        "pictures"
        if mime_type in IMAGE_TYPES
        else "audio files"
        if mime_type in AUDIO_TYPES
        else "media files"
    )
    weight = f"{'more than ' if at_least else ''}{_size_text(size)}"
    return (
        f"“{name}” is {weight}, over the {_size_text(limit)} limit for {what}. "
        f"Make the file smaller, or {limits.how_to_raise}, and add it again."
    )


def _size_text(size: int) -> str:
    """A size as Settings states limits: in MB (KB only below one MB)."""
    if size < _MB:
        return f"{max(1, round(size / 1024))} KB"
    value = size / _MB
    return f"{value:,.0f} MB" if value >= 10 or value == int(value) else f"{value:.1f} MB"


def _regular_file_size(path: str | os.PathLike[str], name: str) -> int:
    """The size of the file at ``path``, refusing a folder, a device or a pipe (opening a
    pipe would wait forever for a writer)."""
    try:
        info = os.stat(path)
    except OSError as error:
        raise _read_error(name, error) from error
    if stat.S_ISDIR(info.st_mode):
        raise _folder_error(name)
    if not stat.S_ISREG(info.st_mode):
        raise MediaError(
            f"“{name}” is not an ordinary file (a device or a pipe). "
            "Choose a picture or audio file."
        )
    return info.st_size


def _read_rest(handle: BinaryIO, head: bytes, size: int, limit: int) -> bytes:
    """The whole file, reading at most ``limit + 1`` bytes: the size from ``stat`` plus
    one tells whether it grew since; only then is the rest read, up to the limit."""
    want = min(size, limit) + 1
    data = head + handle.read(max(0, want - len(head)))
    if limit >= len(data) >= want:  # it grew since stat: read on, up to the limit
        data += handle.read(limit + 1 - len(data))
    return data


def _folder_error(name: str) -> MediaError:
    return MediaError(f"“{name}” is a folder, not a file. Choose a picture or audio file in it.")


def _read_error(name: str, error: OSError) -> MediaError:
    if isinstance(error, FileNotFoundError | NotADirectoryError):
        return MediaError(
            f"“{name}” is no longer there: it was moved, renamed or deleted after it was "
            "chosen. Choose it again where it is now."
        )
    if isinstance(error, IsADirectoryError):
        return _folder_error(name)
    if isinstance(error, PermissionError):
        return MediaError(
            f"“{name}” cannot be read: permission denied. Copy it to a folder of yours "
            "(or change its permissions) and add it again."
        )
    return MediaError(
        f"“{name}” could not be read ({error.strerror or error}). Check the disk or copy "
        "the file to another folder, and add it again."
    )
