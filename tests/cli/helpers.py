"""Running the command line inside a test, as a user would from a shell."""

from __future__ import annotations

import pytest

from newsdesk import cli


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``newsdesk ARGV...``: its exit code (2 for a usage error), standard output and error."""
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err
