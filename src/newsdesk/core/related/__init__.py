"""Related links: kept clean and deduplicated, checked, and suggested from the archive."""
