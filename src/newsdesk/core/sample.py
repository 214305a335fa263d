"""The sample newsroom archive shipped with Newsdesk (written for the project)."""

from __future__ import annotations

from pathlib import Path

from newsdesk.core.errors import NewsdeskError
from newsdesk.core.intake import importing
from newsdesk.core.ports import ArticleStore, Progress, no_progress
from newsdesk.resources import as_file, resource


def load_sample(store: ArticleStore, progress: Progress = no_progress) -> int:
    """Import the sample archive in one transaction; return how many articles it added."""
    with as_file(resource("demo")) as folder:
        files = importing.find_markdown_files([Path(folder)])
        if store.slugs_taken(f.stem for f in files):
            raise NewsdeskError(
                "the sample archive is already in this store; to see it again in a fresh "
                "store, run: newsdesk --db /tmp/newsdesk-demo.db demo"
            )
        return len(importing.import_paths([Path(folder)], store, progress))
