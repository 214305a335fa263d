"""The PySide6 window: library, editor, preview, dialogs. Gets the store through core.ports."""
