"""A whole Hugo or Jekyll site moved in: its settings, posts, links, media and syntax."""
