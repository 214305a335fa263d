"""The version of the body HTML, which the render cache keys on (no Python-Markdown loaded).

Apart from :mod:`newsdesk.publish.markdown` so that a body found in the cache, as in an
export of stories whose text did not change, is served without loading Python-Markdown.
"""

from __future__ import annotations

from importlib.metadata import distribution


def installed_version(package: str) -> str:
    """``importlib.metadata.version(package)``, read from the metadata's ``Version`` line.

    The standard library parses the whole file with the email package first: loading it
    cost a hundredth of every export's start-up, for four version numbers.
    """
    found = distribution(package)
    for line in (found.read_text("METADATA") or found.read_text("PKG-INFO") or "").splitlines():
        if not line:  # the headers end: no Version line (never so for an installed package)
            break
        if line.startswith("Version:"):
            return line.removeprefix("Version:").strip()
    return found.version


# Bump when the HTML publish.markdown produces for the same body changes; the render cache
# keys on it, together with the library versions that shape the output.
BODY_FORMAT = 5
RENDERER_VERSION = (
    f"newsdesk-body/{BODY_FORMAT} markdown/{installed_version('markdown')} "
    f"nh3/{installed_version('nh3')}"
)
