"""Media in the store: the library's assets, their bytes kept once by SHA-256, and which
stories (and revisions) use each, inside the caller's transaction.

The repository opens the transaction; every function here works in the ``session`` it is
given, so adding a file, or an import's files with its articles, is all or nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from contextlib import closing
from datetime import datetime
from typing import Any

from sqlalchemy import Text, cast, delete, exists, func, insert, or_, select, text, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from newsdesk.core.errors import NotFoundError, StoreError, ValidationError
from newsdesk.core.media.media import (
    MediaAsset,
    MediaInfo,
    MediaKind,
    MediaUse,
    article_keys,
    is_key,
    new_key,
    safe_filename,
)
from newsdesk.core.models import Article
from newsdesk.store.schema import (
    ArticleMediaRow,
    ArticleRow,
    MediaBlobRow,
    MediaRow,
    RevisionRow,
)

IN_CHUNK = 500  # keys per IN (...) list: well under every engine's parameter limit
LIKE_KEYS = 50  # up to this many keys, revisions are searched for each key's reference
NAMED_STORIES = 5  # stories named in a refusal before "and N more"
# Every column of an asset but the bytes, in MediaAsset's order.
ASSET_COLUMNS = (
    MediaRow.key,
    MediaRow.sha256,
    MediaRow.kind,
    MediaRow.mime_type,
    MediaRow.size,
    MediaRow.filename,
    MediaRow.width,
    MediaRow.height,
    MediaRow.duration_seconds,
    MediaRow.alt,
    MediaRow.caption,
    MediaRow.credit,
    MediaRow.copyright,
    MediaRow.created_at,
    MediaRow.updated_at,
)
WORDS = ("alt", "caption", "credit", "copyright")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def asset_from(row: Any) -> MediaAsset:
    """The asset of a row of :data:`ASSET_COLUMNS`."""
    return MediaAsset(
        key=row.key,
        sha256=row.sha256,
        kind=MediaKind(row.kind),
        mime_type=row.mime_type,
        size=row.size,
        filename=row.filename,
        width=row.width,
        height=row.height,
        duration_seconds=row.duration_seconds,
        alt=row.alt,
        caption=row.caption,
        credit=row.credit,
        copyright=row.copyright,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _values(asset: MediaAsset) -> dict[str, Any]:
    """The columns of ``asset`` (all but ``id``)."""
    values = {column.key: getattr(asset, column.key) for column in ASSET_COLUMNS}
    values["kind"] = asset.kind.value
    return values


# -- reading ----------------------------------------------------------------------------


def get(session: Session, key: str) -> MediaAsset:
    row = session.execute(select(*ASSET_COLUMNS).where(MediaRow.key == key)).first()
    if row is None:
        raise NotFoundError(f"there is no media file {key} in the store")
    return asset_from(row)


def many(session: Session, keys: Collection[str]) -> dict[str, MediaAsset]:
    wanted = [k for k in dict.fromkeys(keys) if is_key(k)]
    found: dict[str, MediaAsset] = {}
    for start in range(0, len(wanted), IN_CHUNK):
        rows = session.execute(
            select(*ASSET_COLUMNS).where(MediaRow.key.in_(wanted[start : start + IN_CHUNK]))
        )
        found.update((row.key, asset_from(row)) for row in rows)
    return found


def by_sha(session: Session, shas: Collection[str]) -> dict[str, MediaAsset]:
    """``sha256 -> asset`` for the stored files among ``shas`` (the oldest asset when a
    replaced file came to share its bytes with another)."""
    wanted = list(dict.fromkeys(shas))
    found: dict[str, MediaAsset] = {}
    for start in range(0, len(wanted), IN_CHUNK):
        rows = session.execute(
            select(*ASSET_COLUMNS)
            .where(MediaRow.sha256.in_(wanted[start : start + IN_CHUNK]))
            .order_by(MediaRow.id.desc())
        )
        found.update((row.sha256, asset_from(row)) for row in rows)  # the oldest wins
    return found


def data(session: Session, key: str) -> bytes:
    blob = session.scalar(
        select(MediaBlobRow.data)
        .join(MediaRow, MediaRow.sha256 == MediaBlobRow.sha256)
        .where(MediaRow.key == key)
    )
    if blob is None:
        raise NotFoundError(f"there is no media file {key} in the store")
    return bytes(blob)  # psycopg gives a memoryview of bytea


def listing(session: Session, text: str, kind: MediaKind | None, limit: int) -> list[MediaAsset]:
    """The library, newest first; ``text`` matched case-insensitively in the words and file
    name. Matched here rather than in SQL: SQLite's ``lower`` and ``LIKE`` fold ASCII only,
    and a library is thousands of short rows, not millions."""
    statement = select(*ASSET_COLUMNS).order_by(MediaRow.created_at.desc(), MediaRow.id.desc())
    if kind is not None:
        statement = statement.where(MediaRow.kind == kind.value)
    needle = text.strip().casefold()
    if not needle:
        return [asset_from(row) for row in session.execute(statement.limit(max(0, limit)))]
    found: list[MediaAsset] = []
    with closing(session.execute(statement.execution_options(yield_per=200))) as rows:
        for row in rows:
            if len(found) >= limit:
                break
            haystack = (row.filename, row.caption, row.alt, row.credit, row.copyright)
            if any(needle in value.casefold() for value in haystack):
                found.append(asset_from(row))
    return found


# -- writing ----------------------------------------------------------------------------


def _lock_bytes(session: Session, sha: str) -> None:
    """Serialize adders of the same bytes (PostgreSQL; SQLite's write lock does it already),
    so two machines adding one photo at once keep one copy and one asset."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:n)"), {"n": int(sha[:15], 16)})


def _keep_blob(session: Session, sha: str, blob: bytes) -> None:
    if session.scalar(select(MediaBlobRow.sha256).where(MediaBlobRow.sha256 == sha)) is None:
        session.execute(insert(MediaBlobRow).values(sha256=sha, data=blob))


def _drop_blob_if_orphaned(session: Session, sha: str) -> None:
    session.execute(
        delete(MediaBlobRow).where(
            MediaBlobRow.sha256 == sha, ~exists().where(MediaRow.sha256 == sha)
        )
    )


def _free_key(session: Session) -> str:
    while True:  # 48 random bits: a clash is rare, but two assets never share a key
        key = new_key()
        if session.scalar(select(MediaRow.id).where(MediaRow.key == key)) is None:
            return key


def add(
    session: Session, blob: bytes, info: MediaInfo, filename: str, now: datetime
) -> tuple[MediaAsset, bool]:
    """Keep ``blob`` once; the same bytes again give the asset already stored and False."""
    sha = sha256_of(blob)
    _lock_bytes(session, sha)
    known = by_sha(session, [sha]).get(sha)
    if known is not None:
        return known, False
    asset = MediaAsset.from_info(
        info,
        key=_free_key(session),
        sha256=sha,
        size=len(blob),
        filename=safe_filename(filename),
        now=now,
    )
    _keep_blob(session, sha, blob)
    session.execute(insert(MediaRow).values(**_values(asset)))
    return asset, True


def insert_assets(
    session: Session, items: Sequence[tuple[MediaAsset, bytes]], now: datetime
) -> None:
    """Put assets whose keys the caller chose (an import, an archive) with their bytes.

    A key already stored for the same bytes is left as it is (the file is there); a key
    stored for other bytes, or bytes that are not the asset's, are refused.
    """
    for given, blob in items:
        asset = given.normalized()
        sha = sha256_of(blob)
        where = f"the media file {asset.key} ({asset.filename})"
        if sha != asset.sha256:
            raise ValidationError(
                f"{where}: its bytes do not match its SHA-256 ({asset.sha256[:12]}…); "
                "nothing was stored"
            )
        stored = session.scalar(select(MediaRow.sha256).where(MediaRow.key == asset.key))
        if stored == sha:
            continue
        if stored is not None:
            raise StoreError(
                f"{where}: the store holds another file under that key; nothing was stored"
            )
        _lock_bytes(session, sha)
        _keep_blob(session, sha, blob)
        created = asset.created_at or now
        asset = dataclasses.replace(
            asset, size=len(blob), created_at=created, updated_at=asset.updated_at or created
        )
        session.execute(insert(MediaRow).values(**_values(asset)))


def update_words(session: Session, asset: MediaAsset, now: datetime) -> MediaAsset:
    """Change a file's words and name; the bytes and measurements stay."""
    current = get(session, asset.key)
    changed = dataclasses.replace(
        current,
        filename=asset.filename,
        alt=asset.alt,
        caption=asset.caption,
        credit=asset.credit,
        copyright=asset.copyright,
        updated_at=now,
    ).normalized()
    session.execute(
        update(MediaRow)
        .where(MediaRow.key == asset.key)
        .values({name: getattr(changed, name) for name in (*WORDS, "filename", "updated_at")})
    )
    return changed


def replace_bytes(
    session: Session, key: str, blob: bytes, info: MediaInfo, *, filename: str, now: datetime
) -> MediaAsset:
    """New bytes under ``key``; words kept where the new file brings none."""
    current = get(session, key)
    if info.kind != current.kind:
        raise ValidationError(
            f"{current.filename} is {_kind_words(current.kind)} and can only be replaced by "
            f"{_kind_words(current.kind)}; add the new file as a file of its own instead"
        )
    sha = sha256_of(blob)
    _lock_bytes(session, sha)
    _keep_blob(session, sha, blob)
    words = {name: getattr(info, name) or getattr(current, name) for name in WORDS}
    changed = dataclasses.replace(
        current,
        sha256=sha,
        mime_type=info.mime_type,
        size=len(blob),
        filename=safe_filename(filename),
        width=info.width,
        height=info.height,
        duration_seconds=info.duration_seconds,
        updated_at=now,
        **words,
    ).normalized()
    session.execute(update(MediaRow).where(MediaRow.key == key).values(**_values(changed)))
    if current.sha256 != sha:
        _drop_blob_if_orphaned(session, current.sha256)
    return changed


def _kind_words(kind: MediaKind) -> str:
    return "a picture" if kind == MediaKind.IMAGE else "an audio file"


def remove(session: Session, key: str, *, force: bool) -> None:
    """Delete a file unless a story uses it (or, unless ``force``, a revision does)."""
    asset = get(session, key)
    found = use(session, [key])[key]
    if found.articles:
        raise ValidationError(
            f"{asset.filename} is used by {_count(len(found.articles), 'story', 'stories')}: "
            f"{_names(headline for _, headline in found.articles)}; remove it from them first"
        )
    if found.revisions and not force:
        headlines = _revision_refs(session, [key]).get(key, [])
        raise ValidationError(
            f"{_count(found.revisions, 'revision', 'revisions')} of "
            f"{_names(dict.fromkeys(headlines))} still "
            f"{'shows' if found.revisions == 1 else 'show'} {asset.filename}; their history "
            "would lose it: use --force to remove it anyway"
        )
    session.execute(delete(MediaRow).where(MediaRow.key == key))
    _drop_blob_if_orphaned(session, asset.sha256)


def _count(number: int, one: str, several: str) -> str:
    return f"{number} {one if number == 1 else several}"


def _names(headlines: Iterable[str]) -> str:
    names = [f"“{h}”" if h else "an untitled story" for h in headlines]
    shown = ", ".join(names[:NAMED_STORIES])
    more = len(names) - NAMED_STORIES
    return f"{shown} and {more} more" if more > 0 else shown


# -- where files are used -----------------------------------------------------------------


def record_use(session: Session, article_id: int, article: Article, *, new: bool) -> None:
    """Keep ``article_media`` in step with the article's text (``new``: it has no rows)."""
    image, audio = article.image, article.audio
    keys = set(article_keys(image.src if image else None, audio.src if audio else None,
                            article.body))  # fmt: skip
    old: set[str] = set()
    if not new:
        old = set(
            session.scalars(
                select(ArticleMediaRow.key).where(ArticleMediaRow.article_id == article_id)
            )
        )
    if old - keys:
        session.execute(
            delete(ArticleMediaRow).where(
                ArticleMediaRow.article_id == article_id, ArticleMediaRow.key.in_(old - keys)
            )
        )
    if keys - old:
        session.execute(
            insert(ArticleMediaRow),
            [{"article_id": article_id, "key": key} for key in sorted(keys - old)],
        )


def use(session: Session, keys: Collection[str] | None) -> dict[str, MediaUse]:
    """Where each of ``keys`` (every stored file when ``None``) is used."""
    wanted = list(dict.fromkeys(keys)) if keys is not None else list(
        session.scalars(select(MediaRow.key).order_by(MediaRow.id))
    )  # fmt: skip
    articles: dict[str, list[tuple[str, str]]] = defaultdict(list)
    statement = (
        select(ArticleMediaRow.key, ArticleRow.uri, ArticleRow.headline)
        .join(ArticleRow, ArticleRow.id == ArticleMediaRow.article_id)
        .order_by(func.lower(ArticleRow.headline), ArticleRow.uri)
    )
    if keys is None:
        rows: Iterable[Any] = session.execute(statement)
    else:
        rows = [
            row
            for start in range(0, len(wanted), IN_CHUNK)
            for row in session.execute(
                statement.where(ArticleMediaRow.key.in_(wanted[start : start + IN_CHUNK]))
            )
        ]
    for key, uri, headline in rows:
        articles[key].append((uri, headline))
    revisions = _revision_refs(session, None if keys is None else wanted)
    return {
        key: MediaUse(key, tuple(articles.get(key, ())), len(revisions.get(key, ())))
        for key in wanted
    }


def _revision_refs(session: Session, keys: Sequence[str] | None) -> dict[str, list[str]]:
    """``key -> the headline of each revision whose snapshot refers to media:KEY``.

    SQL finds the snapshots that mention a reference (the JSON as text, on either engine);
    the snapshot's own fields then say whether it uses the file (as ``record_use`` does).
    """
    snapshot = cast(RevisionRow.snapshot, Text)
    if keys is not None and not keys:
        return {}
    condition: ColumnElement[bool]
    if keys is None or len(keys) > LIKE_KEYS:
        condition = snapshot.like("%media:%")
    else:
        condition = or_(*(snapshot.like(f"%media:{key}%") for key in keys))
    wanted = None if keys is None else set(keys)
    found: dict[str, list[str]] = defaultdict(list)
    for (raw,) in session.execute(
        select(snapshot).where(condition).execution_options(yield_per=200)
    ):
        headline, used = _snapshot_keys(raw)
        for key in used if wanted is None else used & wanted:
            found[key].append(headline)
    return found


def _snapshot_keys(raw: str) -> tuple[str, set[str]]:
    data = json.loads(raw)
    if not isinstance(data, dict):
        return "", set()
    image, audio = data.get("image") or {}, data.get("audio") or {}
    keys = article_keys(
        image.get("src") if isinstance(image, dict) else None,
        audio.get("src") if isinstance(audio, dict) else None,
        str(data.get("body") or ""),
    )
    return str(data.get("headline") or ""), set(keys)
