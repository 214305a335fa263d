"""Adapters to the web: the network behind the ports ``core`` defines (core itself does no I/O)."""
