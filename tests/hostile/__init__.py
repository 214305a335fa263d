"""Hostile and broken input: a shared corpus, and the tests that feed it everywhere."""
