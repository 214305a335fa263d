"""Keeping the story on screen stored: opening, autosave, conflicts, recovery, read-only."""
