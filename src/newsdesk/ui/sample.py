"""Loading the sample archive from the window (the same service as ``newsdesk demo``)."""

from newsdesk.core.sample import load_sample

__all__ = ["load_sample"]
