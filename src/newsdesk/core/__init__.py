"""Pure-Python heart of Newsdesk: articles, links, slugs, text rules. No Qt, no SQL."""
