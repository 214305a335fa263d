"""The bound a key or a click keeps beside a store that does not answer.

A key or call that waited on the store takes the store's limit: a held fake's hold (8 s),
a hung server's answer limit (30 s), a test gate's 60 s. A loaded CI machine holds a key
that waited on nothing up to about 0.8 s (seen on 2026-12-02, two cores shared with the
QtWebEngine processes). A bound between the two tells them apart without flaking. Where
the store's limit is shorter (SQLite's 1 s busy wait), a test watches the GUI thread's
calls instead of the clock.
"""

PROMPT_S = 2.0
