"""The export's stages: planned, rendered (here or in worker processes), reported."""
