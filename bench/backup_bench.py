"""What backups cost: the start backup (copy and check), the unchanged start, a restore.

    python bench/backup_bench.py [--articles 5000] [--runs 5] [--corpus bench/out/store-....db]

A store of ``--articles`` articles (about 600 words each) is made in a temporary folder;
``--corpus`` also times copying an existing store (the 100,000-article bench corpus: only
read, never changed). Prints the median and the spread of each case, in milliseconds.
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _util import timed
from newsdesk.core.models import Article
from newsdesk.store import open_store
from newsdesk.store.backup import automatic_backup, copy_store, start_backup
from newsdesk.store.restore import restore

WORDS = ("council harbour budget ferry strike election flood court hospital school " * 60).split()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--corpus-runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "newsroom.db"
        store = open_store(str(path))
        body = " ".join(WORDS)
        store.create_many([Article(headline=f"Story {n}", body=body) for n in range(args.articles)])
        store.close()
        size = path.stat().st_size / 1e6
        print(f"store: {args.articles:,} articles, {size:.1f} MB")
        moment = datetime.now(UTC)

        def change(run: int) -> None:
            store = open_store(str(path))  # a change, so that a copy is made
            store.create(Article(headline=f"Change {run}"))
            store.close()

        print(
            "start backup (copy + quick_check + rotate):",
            timed(
                args.runs,
                lambda run: start_backup(path, now=moment + timedelta(minutes=run)),
                change,
            ),
        )
        print(
            "start, store unchanged (fingerprint + quick_check):",
            timed(args.runs, lambda run: start_backup(path, now=moment + timedelta(hours=run))),
        )
        automatic_backup(path, "daily", now=moment + timedelta(days=1))
        source = next(folder.joinpath("backups").glob("*.db"))
        print(
            "restore --force (check, backup first, swap):",
            timed(args.runs, lambda run: restore(path, source, force=True)),
        )
        if args.corpus:
            size = args.corpus.stat().st_size / 1e6
            print(
                f"copy of {args.corpus.name} ({size:,.0f} MB):",
                timed(
                    args.corpus_runs,
                    lambda run: (
                        copy_store(args.corpus, folder / f"corpus-{run}.db")
                        and (folder / f"corpus-{run}.db").unlink()
                    ),
                ),
            )


if __name__ == "__main__":
    main()
