"""The library of articles: the paged table, its search, filters and rows."""
