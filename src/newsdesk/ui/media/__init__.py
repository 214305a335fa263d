"""Pictures and audio in the window: the story's media, the media library, thumbnails."""
