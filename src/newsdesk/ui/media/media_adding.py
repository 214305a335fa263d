"""Bringing files and pasted pictures into the store, off the GUI thread (no widgets here)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Signal, SignalInstance
from PySide6.QtGui import QImage

from newsdesk.core.errors import NewsdeskError
from newsdesk.core.media.media import MediaAsset, MediaError, MediaInfo, MediaKind, MediaLimits
from newsdesk.core.media.media_intake import probe, read_media_file
from newsdesk.core.ports import MediaStore
from newsdesk.ui.background.tasks import Task, TaskContext, TaskRunner

KIND_WORDS = {MediaKind.IMAGE: "a picture", MediaKind.AUDIO: "an audio file"}


@dataclass(frozen=True, slots=True)
class Added:
    """A file now in the store: the asset, whether it was new, and the bytes (for the
    preview, which can then show it without reading the store again)."""

    asset: MediaAsset
    new: bool
    data: bytes


class MediaAdder(QObject):
    """Checks a file with intake and keeps it in the store, on a worker thread.

    Every method returns a :class:`Task`: ``finished(Added)`` or ``failed(message)``, the
    message saying what is wrong with the file and what to do. A refused file leaves the
    store unchanged. :attr:`added` is emitted for every file taken (the media library and
    the preview listen).
    """

    added = Signal(object)
    """An :class:`Added`: a file was taken into the store (new or already there)."""
    replaced = Signal(object)
    """A :class:`MediaAsset` whose bytes were replaced (every story using it follows)."""

    def __init__(
        self, store: MediaStore, tasks: TaskRunner, limits: MediaLimits | None = None
    ) -> None:
        super().__init__(tasks)
        self.store = store
        self.tasks = tasks
        self.limits = limits or MediaLimits()

    def add_file(self, path: str | Path, kind: MediaKind | None = None) -> Task:
        """Take the file at ``path`` (refused unless it is ``kind``, when given)."""
        limits = self.limits
        target = Path(path)

        def work(_context: TaskContext) -> Added:
            data, info = read_media_file(target, limits)
            _check_kind(info, kind, target.name)
            asset, new = self.store.add_media(data, info, target.name)
            return Added(asset, new, data)

        return self._submit(work, self.added)

    def add_bytes(self, data: bytes, filename: str, kind: MediaKind | None = None) -> Task:
        """Take bytes that are no file yet (a picture pasted from the clipboard)."""
        limits = self.limits

        def work(_context: TaskContext) -> Added:
            info = probe(data, filename, limits)
            _check_kind(info, kind, filename)
            asset, new = self.store.add_media(data, info, filename)
            return Added(asset, new, data)

        return self._submit(work, self.added)

    def add_image(self, image: QImage, filename: str = "pasted picture.png") -> Task:
        """Take a picture from the clipboard: kept as a PNG (lossless, as it was copied)."""
        copy = image.copy()  # the clipboard may change while the worker runs

        def work(context: TaskContext) -> Added:
            data = png_bytes(copy)
            info = probe(data, filename, self.limits)
            asset, new = self.store.add_media(data, info, filename)
            return Added(asset, new, data)

        if copy.isNull():
            raise MediaError("The clipboard holds no picture. Copy the picture again.")
        return self._submit(work, self.added)

    def replace_file(self, key: str, path: str | Path) -> Task:
        """Put the file at ``path`` under ``key``: every story using it follows.

        The new file must be of the same kind (a picture stays a picture)."""
        limits = self.limits
        target = Path(path)

        def work(_context: TaskContext) -> MediaAsset:
            current = self.store.get_media(key)
            data, info = read_media_file(target, limits)
            _check_kind(info, current.kind, target.name)
            return self.store.replace_media(key, data, info, target.name)

        return self._submit(work, self.replaced)

    def _submit(self, work: Callable[[TaskContext], object], signal: SignalInstance) -> Task:
        task = self.tasks.submit(work)
        task.finished.connect(signal.emit)
        return task


def _check_kind(info: MediaInfo, kind: MediaKind | None, name: str) -> None:
    if kind is not None and info.kind != kind:
        raise MediaError(
            f"{name} is {KIND_WORDS[info.kind]}, not {KIND_WORDS[kind]}. "
            f"Choose {KIND_WORDS[kind]} here."
        )


def png_bytes(image: QImage) -> bytes:
    """``image`` as PNG bytes (safe on a worker thread: QImage is not a pixmap)."""
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs want bytes; it takes str
    buffer.close()
    return bytes(array.data())


class MediaTools:
    """What the window's media widgets share: the store, the adder, the thumbnails."""

    def __init__(self, store: MediaStore, tasks: TaskRunner, limits: MediaLimits | None = None):
        from newsdesk.ui.media.thumbnails import Thumbnails

        self.store = store
        self.tasks = tasks
        self.adder = MediaAdder(store, tasks, limits)
        self.thumbnails = Thumbnails(store, tasks)
        self.adder.added.connect(lambda added: self.thumbnails.prime(added.asset, added.data))

    def asset(self, key: str) -> MediaAsset | None:
        """The stored file with ``key``, or ``None`` when there is none (any more)."""
        try:
            return self.store.get_media(key)
        except NewsdeskError:
            return None
