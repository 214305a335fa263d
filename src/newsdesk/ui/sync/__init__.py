"""Sync with the newsroom server, as the window shows and drives it."""
