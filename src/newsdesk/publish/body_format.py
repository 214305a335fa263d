"""The version of the body HTML, which the render cache keys on (no Python-Markdown loaded).

Apart from :mod:`newsdesk.publish.markdown` so that a body found in the cache, as in an
export of stories whose text did not change, is served without loading Python-Markdown.
"""

from __future__ import annotations

from importlib.metadata import version

# Bump when the HTML publish.markdown produces for the same body changes; the render cache
# keys on it, together with the library versions that shape the output.
BODY_FORMAT = 5
RENDERER_VERSION = (
    f"newsdesk-body/{BODY_FORMAT} markdown/{version('markdown')} nh3/{version('nh3')}"
)
