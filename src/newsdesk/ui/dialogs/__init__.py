"""The window's dialogs: export, history, imports, settings, shortcuts."""
