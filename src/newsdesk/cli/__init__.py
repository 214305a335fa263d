"""The command line: the same services the window uses, for scripting and web teams.

``main`` holds the parser, the runner and the article commands; each further group of
commands (related links, history, backups) is a module of its own that adds its
sub-commands to the parser and its handlers to the table.
"""

from newsdesk.cli.main import EXIT_ERROR, EXIT_OK, EXIT_USAGE, build_parser, main, run

__all__ = ["EXIT_ERROR", "EXIT_OK", "EXIT_USAGE", "build_parser", "main", "run"]
