"""Pictures and audio as published: the renditions a page loads, made once each."""
