"""The featured image or audio of a story: a stored file, its thumbnail and its words."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from newsdesk.core.media.media import MediaAsset, MediaKind, key_of, problems
from newsdesk.core.models import Media
from newsdesk.ui.background.store_worker import StoreLane, alive, not_answering, reads_lane
from newsdesk.ui.background.tasks import Task
from newsdesk.ui.desk.problem import Problem
from newsdesk.ui.icons import icon
from newsdesk.ui.media.media_adding import Added, MediaTools

IMAGE_FILTER = "Pictures (*.jpg *.jpeg *.png *.webp *.gif *.avif);;All files (*)"
AUDIO_FILTER = "Audio (*.mp3 *.m4a *.aac *.ogg *.opus *.wav);;All files (*)"
THUMB_W, THUMB_H = 160, 106
NO_PREVIEW_TYPES = {"audio/mp4": "M4A"}


def size_words(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def duration_words(seconds: float | None) -> str:
    if seconds is None:
        return "length unknown"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def describe(asset: MediaAsset) -> str:
    """One line about a stored file: its name, its pixels or length, its weight."""
    if asset.kind == MediaKind.IMAGE and asset.width and asset.height:
        measure = f"{asset.width} × {asset.height} px"
    elif asset.kind == MediaKind.AUDIO:
        measure = duration_words(asset.duration_seconds)
    else:
        measure = ""
    return " · ".join(part for part in (asset.filename, measure, size_words(asset.size)) if part)


def preview_note(asset: MediaAsset) -> str:
    """Why an audio file will be silent in the preview (but not on the site), if it will."""
    name = NO_PREVIEW_TYPES.get(asset.mime_type)
    if name is None:
        return ""
    return (
        f"{name} audio does not play in the preview (this window has no AAC decoder); "
        "it will play on the site. Its length is shown above."
    )


def dropped_files(event: QDragEnterEvent | QDropEvent) -> list[Path]:
    """The local files being dragged or dropped (addresses and text are not files)."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class MediaFields(QWidget):
    """A featured image or audio file: a file from the store (chosen, dropped) or a web
    address, and the words published with it for this story."""

    changed = Signal()
    """Any of the media fields changed."""
    attached = Signal(object)
    """A stored file is now in the fields (a :class:`MediaAsset`)."""
    details_read = Signal()
    """The stored file's details came from the store (the story itself did not change)."""

    def __init__(self, kind: str, tools: MediaTools | None = None) -> None:
        super().__init__()
        self.kind = kind
        self.media_kind = MediaKind.IMAGE if kind == "image" else MediaKind.AUDIO
        self.tools = tools
        self.asset: MediaAsset | None = None
        self.task: Task | None = None
        self._loaded: Media | None = None
        self.lane: StoreLane = reads_lane()
        self.reading = ""  # the key of the file whose details are being read, if any
        self._read_asked = 0  # the newest read: the last story opened wins
        self.setAcceptDrops(True)

        self.thumb = QLabel()
        # Audio has no picture: a smaller tile with a note, so the fields stay compact.
        self.thumb.setFixedSize(THUMB_W, THUMB_H if kind == "image" else THUMB_H // 2)
        self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumb.setObjectName("mediaThumb")
        self.thumb.setStyleSheet(
            "#mediaThumb { border: 1px dashed palette(mid); border-radius: 4px; }"
        )
        self.file_label = QLabel()
        self.file_label.setWordWrap(True)
        self.file_label.setAccessibleName(f"{kind} file")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: palette(placeholder-text);")
        self.note.hide()
        self.choose_button = QPushButton(icon("folder"), "Choose…")
        self.choose_button.clicked.connect(self.choose_file)
        self.remove_button = QPushButton(icon("remove"), "Remove")
        self.remove_button.clicked.connect(self.remove)
        self.src = QLineEdit(placeholderText="or the https:// address of a file on the web")
        self.src.setAccessibleName(f"{kind} source")
        self.src.setAcceptDrops(False)  # a dropped file goes to the fields, not into the text
        self.caption = QLineEdit()
        self.credit = QLineEdit()
        self.alt = QLineEdit()
        self.problem = Problem()
        self.warning = Problem("caution")
        self.warning.setAccessibleName("Not ready")
        self._build()
        for edit in (self.caption, self.credit, self.alt):
            edit.textEdited.connect(self._words_edited)
        self.src.textEdited.connect(self.changed)
        self.src.editingFinished.connect(self._typed)
        self.lane.slow_changed.connect(self._say_reading)
        self._show()

    def _build(self) -> None:
        # Stacked, so the fields fit the narrow details panel beside the text.
        buttons = QVBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.remove_button)
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.file_label)
        side.addLayout(buttons)
        side.addWidget(self.note)
        side.addStretch(1)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.thumb, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(side, 1)
        form = QFormLayout(self)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(top)
        form.addRow("Web address", self.src)
        form.addRow("", self.problem)
        form.addRow("", self.warning)
        form.addRow("Caption", self.caption)
        form.addRow("Credit", self.credit)
        if self.kind == "image":
            self.alt.setPlaceholderText("What the picture shows, for readers who cannot see it")
            form.addRow("Alt text", self.alt)
        else:
            self.alt.hide()
        if self.tools is not None:
            self.tools.thumbnails.ready.connect(self._thumbnail_ready)

    # -- choosing, dropping, removing ---------------------------------------------------

    def choose_file(self) -> None:
        pattern = IMAGE_FILTER if self.kind == "image" else AUDIO_FILTER
        path, _ = QFileDialog.getOpenFileName(self, f"Choose the {self.kind}", "", pattern)
        if path:
            self.set_source(path)

    def set_source(self, path: str) -> Task | None:
        """Take a file: checked and stored off the GUI thread, then shown here. A file
        that cannot be taken is refused in place, and nothing changes."""
        if self.tools is None:
            self.problem.say("Files cannot be added here: there is no store to keep them in.")
            return None
        self.problem.say("")
        self.file_label.setText(f"Adding {Path(path).name}…")
        self.choose_button.setEnabled(False)
        task = self.tools.adder.add_file(path, self.media_kind)
        task.finished.connect(lambda added: self._added(added, task))
        task.failed.connect(lambda message: self._refused(message, task))
        self.task = task
        return task

    def _added(self, added: Added, task: Task) -> None:
        if task is not self.task:
            return  # another story is shown now; the file stays in the media library
        self.task = None
        self.attach(added.asset)

    def _refused(self, message: str, task: Task) -> None:
        if task is not self.task:
            return
        self.task = None
        self.problem.say(message)
        self._show()

    def attach(self, asset: MediaAsset) -> None:
        """Show a stored file here; empty words are filled from the file's own."""
        self._stop_reading()
        self.asset = asset
        self.src.setText(asset.ref)
        for edit, words in ((self.caption, asset.caption), (self.credit, asset.credit),
                            (self.alt, asset.alt)):  # fmt: skip
            if not edit.text().strip() and words:
                edit.setText(words)
        self.problem.say("")
        self._show()
        self.attached.emit(asset)
        self.changed.emit()

    def remove(self) -> None:
        """Take the file out of this story (it stays in the media library)."""
        self._stop_reading()
        self.asset = None
        self.src.clear()
        for edit in (self.caption, self.credit, self.alt):
            edit.clear()
        self.problem.say("")
        self._show()
        self.changed.emit()

    def _typed(self) -> None:
        """A path typed into the address field is taken as a file."""
        text = self.src.text().strip()
        if text and not text.startswith(("https://", "http://", "media:")):
            self.src.setText(self.asset.ref if self.asset else "")
            self.set_source(str(Path(text).expanduser()))
        else:
            self._show()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_files(event) and self.tools is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = dropped_files(event)
        if files:
            event.acceptProposedAction()
            self.set_source(str(files[0]))

    # -- showing --------------------------------------------------------------------

    def _show(self) -> None:
        asset = self.asset
        stored = asset is not None or bool(self.reading)  # a stored file, if still being read
        self.src.setVisible(not stored)
        form = self.layout()
        if isinstance(form, QFormLayout):
            form.setRowVisible(self.src, not stored)
        self.remove_button.setEnabled(stored or bool(self.src.text().strip()))
        self.choose_button.setEnabled(self.tools is not None and self.task is None)
        if asset is None and self.reading:
            self._say_reading()
            self.note.hide()
        elif asset is None:
            self.file_label.setText(
                f"No {'picture' if self.kind == 'image' else 'audio'} yet: choose a file, "
                "or drop one here."
            )
            self.note.hide()
        else:
            # A long file name may break after its hyphens, not push the panel wider.
            self.file_label.setText(describe(asset).replace("-", "-\u200b").replace("_", "_\u200b"))
            note = preview_note(asset)
            self.note.setText(note)
            self.note.setVisible(bool(note))
        self._show_thumbnail()
        self._check_ready()

    def _show_thumbnail(self) -> None:
        asset = self.asset
        if asset is None or self.tools is None:
            name = "image" if self.kind == "image" else "audio"
            self.thumb.setPixmap(icon(name).pixmap(36, 36))
            return
        if asset.kind == MediaKind.AUDIO:
            self.thumb.setPixmap(icon("audio").pixmap(36, 36))
            return
        image = self.tools.thumbnails.image(asset)
        if image is None:
            failed = asset.sha256 in self.tools.thumbnails.failed
            self.thumb.setPixmap(icon("image").pixmap(36, 36)) if failed else self.thumb.setText(
                "…"
            )
            return
        pixmap = QPixmap.fromImage(image).scaled(
            self.thumb.size(),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        self.thumb.setPixmap(pixmap)

    def _thumbnail_ready(self, key: str) -> None:
        if self.asset is not None and self.asset.key == key:
            self._show_thumbnail()

    def _words_edited(self) -> None:
        self._check_ready()
        self.changed.emit()

    def _check_ready(self) -> None:
        found = problems(self.asset, self.alt.text(), self.credit.text()) if self.asset else []
        self.warning.say(("Not ready to publish: " + "; ".join(found) + ".") if found else "")

    @property
    def ready_problems(self) -> list[str]:
        """What keeps this picture from being publishable (no alt text, no credit)."""
        return problems(self.asset, self.alt.text(), self.credit.text()) if self.asset else []

    def refresh_asset(self) -> None:
        """Read the stored file again (it was replaced or removed in the media library)."""
        key = key_of(self.src.text().strip())
        if key is not None and self.tools is not None:
            self._read(key, self.src.text().strip(), keep=True)

    # -- reading a file's details, off the GUI thread ---------------------------------

    def _read(self, key: str, src: str, *, keep: bool = False) -> None:
        """Read the details of the file ``key`` on the reads lane and show them when they
        come; ``keep``: the details shown stay until then (a refresh, not another story)."""
        assert self.tools is not None
        tools = self.tools
        self._read_asked += 1
        asked = self._read_asked
        self.reading = key
        if not keep:
            self.asset = None
            self.problem.say("")
            self._show()

        def answered(asset: object, error: BaseException | None) -> None:
            if not alive(self) or asked != self._read_asked:
                return  # another story (or file) is shown now: its own read answers it
            self.reading = ""
            if error is not None:
                self.asset = None
                self.problem.say(
                    f"The details of {src} could not be read ({error}). Open the story "
                    "again to retry."
                )
            else:
                self.asset = asset if isinstance(asset, MediaAsset) else None
                self._say_missing(src, key)
            self._show()
            self.details_read.emit()

        self.lane.submit(lambda: tools.asset(key), answered)

    def _stop_reading(self) -> None:
        """What is being read is not wanted any more (a file chosen, removed, another story)."""
        self._read_asked += 1
        self.reading = ""

    def _say_reading(self, *_slow: object) -> None:
        if not alive(self) or not self.reading or self.asset is not None:
            return
        if self.lane.slow and self.tools is not None:
            who = not_answering(self.tools.store)
            self.file_label.setText(f"Reading the file's details: {who}. Keep writing meanwhile.")
        else:
            self.file_label.setText("Reading the file's details…")

    def _say_missing(self, src: str, key: str) -> None:
        if self.asset is None and key_of(self.src.text().strip()) == key:
            self.problem.say(f"The file {src} is not in the store any more. Choose the file again.")

    # -- value ----------------------------------------------------------------------

    def value(self) -> Media | None:
        src = self.src.text().strip()
        caption, credit = self.caption.text().strip(), self.credit.text().strip()
        alt = self.alt.text().strip()
        if src and self._loaded is not None and self._loaded.src == src:
            # As stored (even an old path), with the words as typed.
            return dataclasses.replace(self._loaded, caption=caption, credit=credit, alt=alt)
        if not src or not (src.startswith(("https://", "http://")) or key_of(src)):
            return None
        return Media(src=src, caption=caption, credit=credit, alt=alt)

    def set_value(self, media: Media | None) -> None:
        self.task = None  # a file still being added belongs to the story shown before
        self._stop_reading()
        self._loaded = media
        media = media or Media(src="")
        self.src.setText(media.src)
        self.caption.setText(media.caption)
        self.credit.setText(media.credit)
        self.alt.setText(media.alt)
        key = key_of(media.src)
        self.asset = None
        if key and self.tools is not None:
            self._read(key, media.src)  # its details show when read: the story opens now
            return
        if key:
            self.problem.say(
                f"The file {media.src} is not in the store any more. Choose the file again."
            )
        elif media.src and not key and not media.src.startswith(("https://", "http://")):
            self.problem.say(
                f"This story points at a file on one computer ({media.src}). Choose it, or "
                "drop it here, so it is kept in the store and travels with the story."
            )
        else:
            self.problem.say("")
        self._show()
