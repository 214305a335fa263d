"""Sync between a laptop's store and the newsroom server: both sides and what travels."""
