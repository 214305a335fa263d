"""Audio at intake: read the sniffed container with mutagen, refuse what is not sound, measure."""

from __future__ import annotations

import io
import math

from mutagen import FileType
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis
from mutagen.wave import WAVE

from newsdesk.core.media.media import MediaError, MediaInfo, MediaKind

# The reader for each accepted container; an Ogg file must hold Vorbis or Opus (what
# browsers play), not FLAC, Speex or Theora video.
_READERS: dict[str, tuple[type[FileType], ...]] = {
    "audio/mpeg": (MP3,),
    "audio/mp4": (MP4,),
    "audio/ogg": (OggVorbis, OggOpus),
    "audio/wav": (WAVE,),
}
_LABELS = {"audio/mpeg": "MP3", "audio/mp4": "M4A", "audio/ogg": "Ogg", "audio/wav": "WAV"}


def probe_audio(data: bytes, mime_type: str, name: str) -> MediaInfo:
    """Read an audio file's stream information: its duration in seconds."""
    audio = _read(data, mime_type)
    length = float(getattr(getattr(audio, "info", None), "length", 0) or 0)
    if audio is None or not (math.isfinite(length) and length > 0):
        raise MediaError(_unreadable(name, mime_type))
    return MediaInfo(kind=MediaKind.AUDIO, mime_type=mime_type, duration_seconds=round(length, 3))


def _read(data: bytes, mime_type: str) -> FileType | None:
    for reader in _READERS[mime_type]:
        try:
            return reader(io.BytesIO(data))
        except Exception:  # mutagen.MutagenError mostly; hostile bytes can break a parser
            continue  # in any way, and the next reader may fit (Vorbis, then Opus)
    return None


def _unreadable(name: str, mime_type: str) -> str:
    label = _LABELS[mime_type]
    if mime_type == "audio/ogg":
        return (
            f"“{name}” is an Ogg file without Vorbis or Opus sound that Newsdesk can read "
            "(it may be video, FLAC or damaged). Export the sound as Ogg Opus or MP3 and "
            "add that."
        )
    return (
        f"“{name}” looks like {label} audio but holds no sound Newsdesk can read: it may be "
        "damaged or cut short. Copy it again from where it came from (or export it again "
        "as MP3) and add it again."
    )
