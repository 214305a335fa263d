"""Entry point: wires the store, the services and the window or the command line."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """``newsdesk [--db URL] [COMMAND ...]``: a command runs headless; none opens the window."""
    from newsdesk import cli

    arguments = list(sys.argv[1:] if argv is None else argv)
    return cli.main(arguments)


if __name__ == "__main__":
    raise SystemExit(main())
