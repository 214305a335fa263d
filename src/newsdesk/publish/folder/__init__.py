"""The export folder: its record of Newsdesk's files, and a staged export swapped in."""
