"""Pictures and audio: what a stored media file is; each file checked at intake."""
