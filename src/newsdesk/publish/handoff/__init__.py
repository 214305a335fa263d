"""The web team's hand-off manifest, and the note of stories handed off with problems."""
