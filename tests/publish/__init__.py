"""Tests of newsdesk.publish: renderer, theme, every export format."""
