"""Fixtures shared by the publishing tests."""

from __future__ import annotations

from .test_formats import ninjs_validator

__all__ = ["ninjs_validator"]
