"""Newsdesk: a desktop workstation for journalists."""

__version__ = "0.1.0"
