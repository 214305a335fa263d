"""Stories brought in from files and the clipboard: Markdown, Word, rich text, media."""
