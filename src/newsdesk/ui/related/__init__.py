"""The related-links panel: the story's ordered list and the suggestions."""
