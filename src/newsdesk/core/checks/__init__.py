"""Copy checks: spelling, house style, the readiness checklist before the web."""
