"""Small pictures of stored media, made off the GUI thread and kept on disk and in memory."""

from __future__ import annotations

import io
from collections import OrderedDict
from pathlib import Path

from PIL import Image, ImageOps
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from newsdesk.core.media.media import MediaAsset, MediaKind
from newsdesk.core.ports import MediaStore
from newsdesk.ui.background.tasks import TaskContext, TaskRunner
from newsdesk.ui.media.media_cache import cache_folder, write_cached

THUMB_SIDE = 240
MEMORY_ITEMS = 400


def thumbnail_png(data: bytes, side: int = THUMB_SIDE) -> bytes:
    """A PNG at most ``side`` pixels on its long edge, turned as the camera meant it.

    Only bytes intake already accepted reach here (no bombs); a JPEG is decoded at a
    fraction of its size (``draft``), which makes a 24 MP photo's thumbnail take
    milliseconds instead of most of a second.
    """
    with Image.open(io.BytesIO(data)) as image:
        image.draft("RGB", (side, side))
        turned = ImageOps.exif_transpose(image)
        turned.thumbnail((side, side), Image.Resampling.LANCZOS)
        if turned.mode not in ("RGB", "RGBA"):
            turned = turned.convert("RGBA")
        out = io.BytesIO()
        turned.save(out, "PNG")
    return out.getvalue()


class Thumbnails(QObject):
    """Thumbnails by content (SHA-256): a replaced file gets a new one, the same bytes
    added twice share one. :meth:`image` answers at once from memory, or ``None`` and
    makes it in the background, then emits :attr:`ready`."""

    ready = Signal(str)
    """The thumbnail of the media with this key can now be had from :meth:`image`."""

    def __init__(
        self,
        store: MediaStore,
        tasks: TaskRunner,
        folder: Path | None = None,
        side: int = THUMB_SIDE,
    ) -> None:
        super().__init__(tasks)
        self.store = store
        self.tasks = tasks
        self.side = side
        self.folder = folder if folder is not None else cache_folder("thumbnails")
        self._memory: OrderedDict[str, QImage] = OrderedDict()
        self._making: set[str] = set()
        self.failed: dict[str, str] = {}

    def image(self, asset: MediaAsset) -> QImage | None:
        """The thumbnail of ``asset`` if made; otherwise ``None`` (it is being made)."""
        if asset.kind != MediaKind.IMAGE:
            return None
        found = self._memory.get(asset.sha256)
        if found is not None:
            self._memory.move_to_end(asset.sha256)
            return found
        if asset.sha256 not in self._making and asset.sha256 not in self.failed:
            self._start(asset)
        return None

    def prime(self, asset: MediaAsset, data: bytes) -> None:
        """Make the thumbnail from bytes at hand (a file just added) without a store read."""
        if asset.kind == MediaKind.IMAGE and asset.sha256 not in self._memory:
            self._start(asset, data)

    def _start(self, asset: MediaAsset, data: bytes | None = None) -> None:
        self._making.add(asset.sha256)
        path = self.folder / f"{asset.sha256[:32]}-{self.side}.png"

        def work(_context: TaskContext) -> QImage:
            if path.is_file():
                image = QImage(str(path))
                if not image.isNull():
                    return image
            png = thumbnail_png(data if data is not None else self.store.media_data(asset.key),
                                self.side)  # fmt: skip
            write_cached(path, png)
            return QImage.fromData(png)

        task = self.tasks.submit(work)
        task.finished.connect(lambda image: self._done(asset, image))
        task.failed.connect(lambda message: self._failed(asset, message))

    def _done(self, asset: MediaAsset, image: QImage) -> None:
        self._making.discard(asset.sha256)
        self._memory[asset.sha256] = image
        while len(self._memory) > MEMORY_ITEMS:
            self._memory.popitem(last=False)
        self.ready.emit(asset.key)

    def _failed(self, asset: MediaAsset, message: str) -> None:
        self._making.discard(asset.sha256)
        self.failed[asset.sha256] = message
        self.ready.emit(asset.key)
