"""Run Newsdesk with ``python -m newsdesk``."""

from newsdesk.app import console

console()
