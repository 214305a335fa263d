"""Building an export aside and swapping it in, so a failure leaves the old one as it was."""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import os
import secrets
import shutil
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path

from newsdesk.publish.errors import ExportError
from newsdesk.publish.paths import check_relative, resolve_inside

STAGING_PREFIX = ".newsdesk-staging-"
IN_PLACE = "tree"  # below the staging folder: formats staged as the tree they will be
BACKUP_PREFIX = ".newsdesk-backup-"
LOCK_NAME = ".newsdesk-export.lock"


def describe_os_error(error: OSError, where: Path) -> str:
    """A sentence a journalist can act on for a file-system failure at ``where``."""
    if error.errno == errno.ENOSPC:
        return f"the disk holding {where} is full; free some space and export again"
    if error.errno == errno.EDQUOT:
        return f"your disk quota for {where} is used up; free some space and export again"
    if error.errno in {errno.EACCES, errno.EPERM}:
        return f"Newsdesk may not write to {where}; choose a folder you can write to"
    if error.errno == errno.EROFS:
        return f"{where} is on a read-only disk; choose another folder"
    if error.errno in {errno.ENOTDIR, errno.EEXIST}:
        return f"{where} holds a file where the export needs a folder ({error.filename})"
    return f"writing to {where} failed: {error.strerror or error}"


def prepare_folder(out_dir: str | Path) -> Path:
    """The export folder, created if needed; refuses a file or an unwritable place."""
    root = Path(out_dir).expanduser()
    if root.exists() and not root.is_dir():
        raise ExportError(f"cannot export to {root}: it is a file, not a folder")
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"cannot export to {root}: {describe_os_error(error, root)}") from error
    if not os.access(root, os.W_OK | os.X_OK):
        raise ExportError(f"cannot export to {root}: Newsdesk may not write there")
    return root.resolve()


@contextlib.contextmanager
def folder_lock(root: Path) -> Iterator[None]:
    """One export at a time per folder; a lock left by a dead process is taken over."""
    lock = root / LOCK_NAME
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            if _lock_is_stale(lock):
                with contextlib.suppress(FileNotFoundError):
                    lock.unlink()
                continue
            raise ExportError(
                f"another export into {root} is running; wait for it to finish"
            ) from None
        except OSError as error:
            message = describe_os_error(error, root)
            raise ExportError(f"cannot export to {root}: {message}") from error
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(str(os.getpid()))
        except OSError as error:  # a full disk: the lock file may exist, empty
            with contextlib.suppress(OSError):
                lock.unlink()
            message = describe_os_error(error, root)
            raise ExportError(f"cannot export to {root}: {message}") from error
        break
    else:
        raise ExportError(f"cannot take the export lock in {root}")
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            lock.unlink()


def _lock_is_stale(lock: Path) -> bool:
    try:
        pid = int(lock.read_text().strip() or "0")
    except (OSError, ValueError):
        return True
    if pid <= 0 or pid == os.getpid():
        return pid <= 0
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    except OSError:
        return True
    return False


def remove_leftovers(root: Path, files: Iterable[str] = ()) -> None:
    """Remove staging and backup folders an interrupted export of ours left behind, and
    the temporary copies of ``files`` (``.NAME.tmp-PID-THREAD``: see
    ``core.atomic_files.temporary_beside``)."""
    temporaries = tuple(f".{name}.tmp-" for name in files)
    for entry in root.iterdir():
        if entry.name.startswith((STAGING_PREFIX, BACKUP_PREFIX)) and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        elif temporaries and entry.name.startswith(temporaries) and entry.is_file():
            with contextlib.suppress(OSError):
                entry.unlink()


class Staging:
    """A hidden folder inside the export folder (same disk, so renames are atomic).

    Files are staged flat, named by their path's hash, so that staging makes and removes
    no sub-folders; a top folder named in ``in_place`` (``site``, ``ninjs``...) that does
    not exist in ``root`` yet is staged instead as the tree it will be, so that
    :func:`commit` can move it in with one rename (a first export of a big site).
    """

    def __init__(self, root: Path, in_place: Iterable[str] = ()) -> None:
        self.root = root
        self.folder = root / f"{STAGING_PREFIX}{secrets.token_hex(6)}"
        tops = [t for t in dict.fromkeys(in_place) if not os.path.lexists(root / t)]
        for top in tops:
            check_relative(top)
        try:
            self.folder.mkdir()
            for top in tops:
                (self.folder / IN_PLACE / top).mkdir(parents=True)
        except OSError as error:
            self.remove()
            message = describe_os_error(error, root)
            raise ExportError(f"cannot export to {root}: {message}") from error
        self.in_place: tuple[str, ...] = tuple(tops)

    def path(self, relpath: str) -> Path:
        return staged_path(self.folder, relpath)

    def write(self, relpath: str, data: bytes) -> tuple[str, int]:
        return write_staged(self.folder, relpath, data)

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        _MADE.pop(self.folder, None)


def staged_path(folder: Path, relpath: str) -> Path:
    """Where ``relpath`` is staged in ``folder``: at its own path below the folder's tree
    when its top folder is staged in place, else flat, named by the path's hash."""
    parts = check_relative(relpath).parts
    if len(parts) > 1 and _staged_in_place(folder, parts[0]):
        return folder.joinpath(IN_PLACE, *parts)
    digest = hashlib.sha256(relpath.encode("utf-8", "surrogatepass")).hexdigest()
    return folder / digest[:40]


@functools.lru_cache(maxsize=64)
def _staged_in_place(folder: Path, top: str) -> bool:
    # Decided when the staging folder is made (its name is never used again): cacheable.
    return os.path.isdir(folder / IN_PLACE / top)


def write_staged(folder: Path, relpath: str, data: bytes) -> tuple[str, int]:
    """Write one file into the staging ``folder``; returns its sha256 and size."""
    target = staged_path(folder, relpath)
    parent = target.parent
    if parent != folder:  # inside the staged tree: make the folder first, once
        made = _MADE.setdefault(folder, set())
        if parent not in made:
            _make_folder(parent)
            if len(_MADE) > 1:  # folders of an earlier export's staging: forget them
                for other in [f for f in _MADE if f != folder]:
                    del _MADE[other]
            made.add(parent)
    with target.open("wb") as handle:
        handle.write(data)
    return hashlib.sha256(data).hexdigest(), len(data)


# Folders this process made in a staging tree (one article's page each: making them
# straight away spares a failed open per file).
_MADE: dict[Path, set[Path]] = {}


def _make_folder(folder: Path) -> None:
    try:
        os.mkdir(folder)
    except FileExistsError:  # made by another worker
        pass
    except FileNotFoundError:
        folder.mkdir(parents=True, exist_ok=True)


def file_sha256(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def commit(
    root: Path,
    staging: Staging,
    writes: list[str],
    deletes: list[str],
    whole: Collection[str] = (),
) -> None:
    """Move staged files into place and delete obsolete ones, all or nothing.

    A top folder of ``whole`` that was staged in place and is still absent from ``root``
    is moved in at once: the caller vouches that its staged tree holds exactly the files
    of ``writes`` below it. Files about to be replaced or deleted are first moved to a
    backup folder; if anything fails, every move is undone in reverse order before the
    error is raised.
    """
    backup = root / f"{BACKUP_PREFIX}{secrets.token_hex(6)}"
    backup.mkdir()
    undo: list[tuple[Path, Path | None]] = []  # (target, backup copy or None if new)
    created: list[Path] = []
    moved_in: list[str] = []  # top folders moved in whole
    targets = _Targets(root)
    try:
        for top in staging.in_place:
            if top in whole and not os.path.lexists(root / top):
                os.rename(staging.folder / IN_PLACE / top, root / top)
                moved_in.append(top)
        for number, relpath in enumerate(writes):
            if relpath.split("/", 1)[0] in moved_in:
                continue
            target = targets.resolve(relpath)
            created += targets.make_parents(target.parent)
            saved = _move_aside(target, backup, number)
            undo.append((target, saved))
            os.replace(staging.path(relpath), target)
        for number, relpath in enumerate(deletes, start=len(writes)):
            target = resolve_inside(root, relpath)
            saved = _move_aside(target, backup, number)
            if saved is not None:
                undo.append((target, saved))
    except BaseException:
        for target, saved in reversed(undo):
            with contextlib.suppress(OSError):
                if saved is None:
                    target.unlink(missing_ok=True)
                else:
                    os.replace(saved, target)
        for folder in reversed(created):
            with contextlib.suppress(OSError):
                folder.rmdir()
        for top in reversed(moved_in):
            with contextlib.suppress(OSError):
                os.rename(root / top, staging.folder / IN_PLACE / top)
        raise
    finally:
        shutil.rmtree(backup, ignore_errors=True)
    for relpath in deletes:
        _prune_empty(root, resolve_inside(root, relpath).parent)


class _Targets:
    """``resolve_inside`` for many paths below one root: a folder already resolved is not
    resolved again, and one that is no symbolic link extends its parent's real path."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.real_root = os.path.realpath(root)
        self.folders: dict[tuple[str, ...], str | None] = {(): self.real_root}  # -> real path
        self.known: set[Path] = set()  # folders that exist (made here if missing)

    def resolve(self, relpath: str) -> Path:
        parts = check_relative(relpath).parts
        real = self._folder(parts[:-1])
        if real is None:  # the full check follows links
            return resolve_inside(self.root, relpath)
        target = os.path.join(real, parts[-1])
        if os.path.islink(target):
            return resolve_inside(self.root, relpath)
        return Path(target)

    def _folder(self, parts: tuple[str, ...]) -> str | None:
        """The real path of the folder ``parts`` below the root; ``None`` when it is, or
        is below, a symbolic link."""
        if parts in self.folders:
            return self.folders[parts]
        parent = self._folder(parts[:-1])
        real: str | None = None
        if parent is not None:
            candidate = os.path.join(parent, parts[-1])
            real = None if os.path.islink(candidate) else candidate
        self.folders[parts] = real
        return real

    def make_parents(self, folder: Path) -> list[Path]:
        """Make ``folder`` and its missing parents below the root; returns those made."""
        if folder in self.known:
            return []
        made = _make_parents(self.root, folder)
        self.known.add(folder)
        return made


def _move_aside(target: Path, backup: Path, number: int) -> Path | None:
    if not os.path.lexists(target):
        return None
    if target.is_dir() and not target.is_symlink():
        raise ExportError(f"cannot write {target}: a folder is in the way")
    saved = backup / str(number)
    os.replace(target, saved)
    return saved


def _make_parents(root: Path, folder: Path) -> list[Path]:
    missing: list[Path] = []
    current = folder
    while current != root and not current.exists():
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        path.mkdir()
    if not folder.is_dir():
        raise ExportError(f"cannot write into {folder}: a file is in the way")
    return list(reversed(missing))


def _prune_empty(root: Path, folder: Path) -> None:
    current = folder
    while current != root and root in current.parents:
        try:
            current.rmdir()
        except OSError:
            return
        current = current.parent
