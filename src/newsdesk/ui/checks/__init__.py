"""Spelling, house style and the readiness checklist, as the window shows them."""
