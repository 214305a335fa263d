"""What a browser could run or load from a parsed page, stricter than ``publish/dom.py``.

A browser removes ASCII tabs and newlines anywhere in a URL and trims controls and
spaces at its ends, so ``java&#x09;script:`` (parsed to ``java\\tscript:``) is a script URL:
the checks here do the same before looking at the scheme (WHATWG URL, "basic URL parser").
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..publish.dom import URL_ATTRIBUTES, executable_findings, find_all, parse, tag

_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
_SAFE_SCHEMES = {"http", "https", "mailto"}
_THEME_IDS = re.compile(r"^nd-")


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see in an attribute value (already entity-decoded)."""
    url = _TAB_OR_NEWLINE.sub("", value.strip("".join(map(chr, range(0x21)))))
    match = _SCHEME.match(url.lower())
    return match.group(1) if match else None


def findings(
    root: ET.Element, *, fragment: bool = False, theme_css: str | None = None
) -> list[str]:
    """Everything that could run, load, restyle or redirect, in words.

    ``theme_css``: the page may carry the theme's own stylesheet inline (the preview does).
    """
    if theme_css is not None:
        for head in find_all(root, "head"):
            for style in [e for e in head if tag(e) == "style" and e.text == theme_css]:
                head.remove(style)
    found = executable_findings(root)
    for element in root.iter():
        name = tag(element)
        for attribute, value in element.attrib.items():
            local = attribute.split("}", 1)[-1].lower()
            urls = [value]
            if local == "srcset":
                urls = [part.strip().split(" ")[0] for part in value.split(",")]
            if local in URL_ATTRIBUTES or local in {"to", "values", "from", "by"}:
                for url in urls:
                    scheme = url_scheme(url)
                    if scheme is not None and scheme not in _SAFE_SCHEMES:
                        found.append(f"{local}={value[:60]!r} on <{name}> ({scheme}:)")
            if local == "srcdoc":
                found.append(f"srcdoc on <{name}>")
        if name == "meta" and (element.get("http-equiv") or "").lower() not in {
            "",
            "content-security-policy",
        }:
            found.append(f"<meta http-equiv={element.get('http-equiv')!r}>")
        if name == "meta" and element.get("charset") not in {None, "utf-8"}:
            found.append(f"<meta charset={element.get('charset')!r}>")
        if name in {"portal", "isindex", "frame", "canvas", "marquee", "link"} and fragment:
            found.append(f"<{name}> in a fragment")
    ids = [e.get("id") for e in root.iter() if e.get("id") and _THEME_IDS.match(e.get("id", ""))]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        found.append(f"theme ids used twice (content borrowed them): {duplicated}")
    return found


def fragment_findings(html: str) -> list[str]:
    """A body fragment, parsed inside a page as a CMS would insert it."""
    root = parse(f"<!DOCTYPE html><html><head><title>t</title></head><body>{html}</body></html>")
    return findings(root, fragment=True)
