"""Core does no network I/O: the web adapter (``newsdesk.web``) does, behind core's port.

import-linter's contract keeps out ``socket`` and ``ssl``; it cannot name sub-modules of
other packages (``urllib.request``), so this reads every import in core, lazy ones too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import newsdesk.core

NETWORK = (
    "socket", "ssl", "urllib.request", "urllib.error", "http.client", "http.server",
    "ftplib", "smtplib", "requests", "httpx", "urllib3", "aiohttp",
)  # fmt: skip


def imported(tree: ast.AST) -> set[str]:
    """Every module an ``import`` names, and ``package.name`` for ``from package import name``."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def network_imports(folder: Path) -> dict[str, list[str]]:
    found = {}
    for path in sorted(folder.rglob("*.py")):
        bad = [
            name
            for name in sorted(imported(ast.parse(path.read_text(encoding="utf-8"))))
            if any(name == net or name.startswith(f"{net}.") for net in NETWORK)
        ]
        if bad:
            found[str(path.relative_to(folder))] = bad
    return found


def test_core_imports_nothing_that_reaches_the_network() -> None:
    assert network_imports(Path(newsdesk.core.__file__).parent) == {}


def test_the_check_finds_a_network_import_however_written(tmp_path: Path) -> None:
    (tmp_path / "eager.py").write_text("import urllib.request\nfrom http import client\n")
    (tmp_path / "lazy.py").write_text("def f():\n    from http.client import HTTPException\n")
    (tmp_path / "fine.py").write_text(
        "from urllib.parse import urljoin\nfrom http import HTTPStatus\n"
    )
    assert network_imports(tmp_path) == {
        "eager.py": ["http.client", "urllib.request"],
        "lazy.py": ["http.client", "http.client.HTTPException"],
    }
