"""The store as the rest of the program sees it: a protocol, and the queries it answers."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from newsdesk.core.media.media import MediaAsset, MediaInfo, MediaKind, MediaUse
from newsdesk.core.models import (
    Article,
    ArticleSummary,
    PublicationProfile,
    Revision,
    SearchHit,
    Status,
)
from newsdesk.core.related.health import LinkCheck

if TYPE_CHECKING:  # the suggestion ranking loads at the first suggestion
    from newsdesk.core.related.suggest import Suggestion

Progress = Callable[[int, int], None]


def no_progress(done: int, total: int) -> None:
    """A progress callback that reports nowhere."""


@dataclass(frozen=True, slots=True)
class Answer:
    """What a web server said to one request: the status, and where a redirect points."""

    status: int
    location: str | None = None


class FetchFailure(StrEnum):
    """Why a request got no answer, as the opener saw it (``core.linkcheck`` decides what
    each means for the link: broken, unreachable, or a sign that the network is down)."""

    BAD_CERTIFICATE = "bad certificate"  # detail: what is wrong with it, when known
    NOT_SECURE = "no secure connection"
    NO_SUCH_HOST = "no such host"  # the name does not resolve
    TIMED_OUT = "timed out"
    REFUSED = "connection refused"
    HUNG_UP = "hung up"  # connected, then closed without a proper answer
    BAD_ADDRESS = "bad address"  # the opener cannot even form a request from it
    UNSUPPORTED = "unsupported"  # detail: why the opener cannot fetch it
    NO_CONNECTION = "no connection"  # anything else on the way; detail: what


class FetchError(Exception):
    """Raised by an :class:`Opener` when no answer came: the failure and its detail."""

    def __init__(self, failure: FetchFailure, detail: str = "") -> None:
        super().__init__(f"{failure.value}: {detail}" if detail else failure.value)
        self.failure = failure
        self.detail = detail


class Opener(Protocol):
    """The network as link checks see it (composed by the caller, as the store is).

    One request, headers only (the body is never read), redirects not followed: the
    :class:`Answer`, whatever its status, or :class:`FetchError` when none came. Called
    from several threads at once.
    """

    def __call__(self, method: str, url: str, timeout: float) -> Answer: ...


class SortKey(StrEnum):
    UPDATED = "updated"
    CREATED = "created"
    DISPLAY_DATE = "display_date"
    HEADLINE = "headline"
    STATUS = "status"
    SECTION = "section"
    BYLINE = "byline"


@dataclass(frozen=True, slots=True)
class ArticleQuery:
    """A library view: filters, a sort and one page of rows."""

    statuses: frozenset[Status] = frozenset()
    section: str | None = None
    tag: str | None = None
    sort: SortKey = SortKey.UPDATED
    descending: bool = True
    offset: int = 0
    limit: int = 50
    after: int | None = None
    """Keyset paging: the id of the previous page's last row; the page starts after it
    (``offset`` is used instead when that article is no longer in the store)."""


@dataclass(frozen=True, slots=True)
class StoreInfo:
    """What a user needs to know about the open store."""

    url: str
    dialect: str
    schema_revision: str
    article_count: int
    read_only: str = ""
    """Why nothing can be saved to the store ("" when it takes writes)."""


@dataclass(frozen=True, slots=True)
class SyncConflict:
    """A story changed on this laptop and at the newsroom since the last sync: both
    versions are in its history; ``mine`` is what the store shows until someone chooses."""

    mine: Article
    theirs: Article
    base: Article | None  # the version both started from, when the history has it


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """Where sync stands: for ``newsdesk sync --status`` and the window's status bar."""

    server: str | None  # None: not attached to a newsroom server
    last_sync: datetime | None
    to_send: int  # stories changed (or deleted) here
    revisions_to_send: int
    conflicts: int
    to_receive: int | None  # None: the server could not be asked
    revisions_to_receive: int | None
    error: str = ""  # why the server could not be asked


@dataclass(frozen=True, slots=True)
class SyncResult:
    """What one sync did, for the window: a sentence, and whether stories came in."""

    summary: str
    received: int  # stories (or deletes) brought from the server
    conflicts: int  # stories changed on both sides, waiting for a choice


class SyncService(Protocol):
    """The window's way to sync its store with the newsroom server (composed by app.py).

    ``sync`` and ``check_server`` take seconds: call them off the GUI thread.
    """

    def server(self) -> str | None:
        """The newsroom server's address as remembered (``None``: not attached)."""
        ...

    def set_server(self, url: str) -> None:
        """Remember the newsroom server (what ``newsdesk sync --server URL`` remembers)."""
        ...

    def check_server(self, url: str) -> str:
        """Try the server at ``url``: a sentence saying what was found; raises
        ``StoreError`` saying what is wrong (refused, wrong password, not Newsdesk's)."""
        ...

    def status(self, *, reach: bool = False) -> SyncStatus:
        """What waits to be sent (and, with ``reach``, received)."""
        ...

    def sync(self, progress: Progress) -> SyncResult: ...

    def conflicts(self) -> list[SyncConflict]: ...

    def resolve(self, uri: str, *, keep_mine: bool) -> Article: ...


class MediaStore(Protocol):
    """Pictures and audio in the store (``core.media``): bytes kept once by SHA-256, under a
    stable key that stories refer to as ``media:KEY``. Each call is one short transaction.

    Intake (``core.media_intake``) checks and measures a file before it reaches the store;
    the store trusts the ``MediaInfo`` it is given and only computes the SHA-256.
    """

    def add_media(self, data: bytes, info: MediaInfo, filename: str) -> tuple[MediaAsset, bool]:
        """Keep ``data``; the same bytes added again return the file already stored and
        ``False`` (one copy however often added). The new asset's words (alt, caption,
        credit, copyright) are ``info``'s, pre-filled from the file's own metadata."""
        ...

    def get_media(self, key: str) -> MediaAsset:
        """The media file with ``key``; ``NotFoundError`` if there is none."""
        ...

    def media_many(self, keys: Collection[str]) -> dict[str, MediaAsset]:
        """``key -> asset`` for those of ``keys`` the store holds (unknown keys left out)."""
        ...

    def media_by_sha(self, shas: Collection[str]) -> dict[str, MediaAsset]:
        """``sha256 -> asset`` for those of ``shas`` whose bytes the store holds (an import
        reuses a file already in the library instead of adding it again)."""
        ...

    def media_data(self, key: str) -> bytes:
        """The stored bytes of the file with ``key`` (the original as added or replaced)."""
        ...

    def list_media(
        self, text: str = "", *, kind: MediaKind | None = None, limit: int = 500
    ) -> list[MediaAsset]:
        """The media library, newest first; ``text`` matches (case-insensitively) the file
        name, caption, alt text, credit or copyright."""
        ...

    def update_media(self, asset: MediaAsset) -> MediaAsset:
        """Change a file's words (alt, caption, credit, copyright, file name); the bytes and
        what was measured in them stay."""
        ...

    def replace_media(self, key: str, data: bytes, info: MediaInfo, filename: str) -> MediaAsset:
        """Put new bytes under ``key``: every story using it follows. The words are kept
        where the new file brings none."""
        ...

    def media_use(self, keys: Collection[str] | None = None) -> dict[str, MediaUse]:
        """Where each file is used (every file when ``keys`` is ``None``): the stories whose
        stored text refers to it, and how many revisions still do."""
        ...

    def delete_media(self, key: str, *, force: bool = False) -> None:
        """Remove a file. Refused (``ValidationError`` naming the stories) while a story
        uses it; refused while revisions refer to it unless ``force`` (their history then
        loses the picture)."""
        ...


class ArticleStore(MediaStore, Protocol):
    """Everything the window, the command line and the exporters may ask of the store.

    Each call is one short transaction and returns plain core objects.
    """

    def info(self) -> StoreInfo: ...

    def create(self, article: Article) -> Article: ...

    def save(self, article: Article, *, reason: str | None = None) -> Article:
        """Write ``article`` if its ``version`` is still the stored one.

        Raises ``ConflictError`` when someone saved a newer version first. With a
        ``reason``, a revision snapshot is recorded in the same transaction; the reason
        ``"autosave"`` coalesces and thins autosave revisions (``core.history``).
        """
        ...

    def get(self, uri: str) -> Article: ...

    def get_by_slug(self, slug: str) -> Article: ...

    def get_by_id(self, article_id: int) -> Article: ...

    def get_many(self, uris: Sequence[str]) -> list[Article]: ...

    def delete(self, uri: str) -> None: ...

    def list_page(self, query: ArticleQuery) -> list[ArticleSummary]: ...

    def count(self, query: ArticleQuery) -> int: ...

    def search(
        self, text: str, *, limit: int = 50, query: ArticleQuery | None = None
    ) -> list[SearchHit]: ...

    def suggest_related(
        self, article: Article, *, limit: int = 10, exclude: Collection[str] = ()
    ) -> list[Suggestion]:
        """Archive articles related to ``article`` (which may be unsaved: its text as given
        is used), best first: never the article itself, the ``exclude`` uris (already
        linked), its own related links' targets, nor withdrawn or archived articles."""
        ...

    def iter_articles(
        self, query: ArticleQuery | None = None, *, batch: int = 200
    ) -> Iterator[Article]: ...

    def sections(self) -> list[str]: ...

    def tags(self) -> list[str]: ...

    def slugs_taken(self, candidates: Iterable[str]) -> set[str]: ...

    def create_many(
        self,
        articles: Sequence[Article],
        progress: Progress = no_progress,
        *,
        media: Sequence[tuple[MediaAsset, bytes]] = (),
        updates: Sequence[Article] = (),
    ) -> int:
        """Insert all ``articles`` in one transaction (all or nothing), with the ``media``
        files they refer to: ``(asset, bytes)`` whose keys the caller chose (``new_key``)
        and whose ``sha256`` is the bytes'. A key already stored for the same bytes is kept
        as it is; one stored for other bytes is refused (``StoreError``). ``updates`` are
        stored articles saved in the same transaction at the version read (``ConflictError``
        if one changed since), each with an "import" revision (a site imported again)."""
        ...

    def revisions(self, uri: str) -> list[Revision]: ...

    def revision_reasons(self, uri: str) -> list[tuple[int, str]]:
        """``(number, reason)`` of each revision of the article, oldest first: why each was
        taken, without reading the snapshots."""
        ...

    def add_revision(self, uri: str, reason: str, *, snapshot: Article | None = None) -> Revision:
        """Record a revision of the stored article, or of ``snapshot`` (a text not stored)."""
        ...

    def record_exports(self, versions: Sequence[tuple[str, int]]) -> int:
        """After an export: an "export" revision of each ``(uri, version)`` still stored at
        that version, unless its newest revision holds that version already and is not an
        autosave revision (which typing would overwrite); in one transaction. Returns how
        many revisions were recorded."""
        ...

    def all_revisions(self) -> Iterator[Revision]: ...

    def is_empty(self) -> bool: ...

    def load_archive(
        self,
        articles: Sequence[Article],
        revisions: Sequence[Revision],
        profile: PublicationProfile | None,
        progress: Progress = no_progress,
        *,
        media: Sequence[tuple[MediaAsset, bytes]] = (),
        words: Sequence[str] = (),
    ) -> None:
        """Fill an empty store from an archive in one transaction, media files included
        (their keys and times kept, as ``create_many`` takes them), and the newsroom
        dictionary's ``words``."""
        ...

    def profile(self) -> PublicationProfile: ...

    def save_profile(self, profile: PublicationProfile) -> None: ...

    def cached_render(self, key: str) -> str | None: ...

    def store_render(self, key: str, html: str) -> None: ...

    def cached_renders(self, keys: Sequence[str]) -> dict[str, str]:
        """The cache's entries for those of ``keys`` it holds, in one transaction."""
        ...

    def store_renders(self, items: Mapping[str, str]) -> None:
        """Keep every ``key -> html`` of ``items`` in the cache, in one transaction."""
        ...

    def read_many(self, uris: Sequence[str]) -> list[Article]:
        """What ``get_many(uris)`` returns, read faster in bulk (thousands, for export)."""
        ...

    def article_versions(
        self, query: ArticleQuery | None = None
    ) -> list[tuple[str, int, datetime]]:
        """``(uri, version, updated_at)`` of every matching article, in id order, in one
        transaction: enough to tell which articles changed since a given moment."""
        ...

    def listed_versions(
        self, statuses: Collection[Status]
    ) -> list[tuple[str, int, datetime, Status]]:
        """``(uri, version, updated_at, status)`` of every article in ``statuses``, by
        status then in id order, in one query (what export plans, read fast)."""
        ...

    def link_checks(self, urls: Sequence[str]) -> dict[str, LinkCheck]:
        """``url -> the last check`` of those of ``urls`` ever checked; any spelling of an
        address (``www.``, scheme, trailing slash) finds its check."""
        ...

    def record_link_checks(self, checks: Iterable[LinkCheck]) -> int:
        """Keep each check with its time, replacing the previous one for the address, in one
        transaction; "not checked" results are not kept. Returns how many were kept."""
        ...

    def newsroom_words(self) -> set[str]:
        """The newsroom dictionary: words everyone's spelling check accepts."""
        ...

    def add_newsroom_word(self, word: str) -> None:
        """Add ``word`` to the newsroom dictionary (as written; apostrophes straightened);
        ``ValidationError`` for an empty word or several words."""
        ...

    def remove_newsroom_word(self, word: str) -> bool:
        """Take ``word`` out of the newsroom dictionary; whether it was there."""
        ...

    def close(self) -> None: ...
