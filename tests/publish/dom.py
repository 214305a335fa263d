"""Parsing and inspecting exported HTML the way a browser would (html5lib)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import html5lib

NS = "{http://www.w3.org/1999/xhtml}"
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "srcset",
    "data",
    "xlink:href",
    "background",
    "cite",
    "longdesc",
    "manifest",
    "ping",
    "codebase",
}
DANGEROUS_SCHEME = re.compile(r"^\s*(javascript|vbscript|data|file|blob)\s*:", re.IGNORECASE)
FORBIDDEN_TAGS = {
    "iframe",
    "object",
    "embed",
    "frame",
    "frameset",
    "applet",
    "svg",
    "math",
    "base",
    "template",
    "noscript",
    "textarea",
    "select",
    "input_outside_form",
}


def parse(html: str) -> ET.Element:
    """The document as a browser builds it; parse errors are raised (strict HTML5)."""
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=True)
    document = parser.parse(html)
    return document


def parse_strict(html: str) -> ET.Element:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    return parser.parse(html)


def tag(element: ET.Element) -> str:
    name = element.tag if isinstance(element.tag, str) else ""
    return name.split("}", 1)[-1]


def find_all(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if tag(e) == name]


def by_id(root: ET.Element, element_id: str) -> ET.Element:
    found = [e for e in root.iter() if e.get("id") == element_id]
    assert len(found) == 1, f"{len(found)} elements with id {element_id!r}"
    return found[0]


def meta_map(root: ET.Element) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for meta in find_all(root, "meta"):
        key = meta.get("property") or meta.get("name") or meta.get("http-equiv")
        if key:
            out.setdefault(key, []).append(meta.get("content") or "")
    return out


def text_of(element: ET.Element) -> str:
    return "".join(element.itertext())


def inner_html(element: ET.Element) -> str:
    """A canonical serialization of an element's children, for comparing two parses."""
    walker = html5lib.getTreeWalker("etree")
    serializer = html5lib.serializer.HTMLSerializer(
        quote_attr_values="always", omit_optional_tags=False, alphabetical_attributes=True
    )
    wrapper = ET.Element("div")
    wrapper.text = element.text
    for child in element:
        wrapper.append(child)
    return serializer.render(walker(wrapper))


def executable_findings(root: ET.Element) -> list[str]:
    """Everything in a parsed document that could run code or restyle the page.

    The one allowed script element is JSON-LD whose text parses as JSON; the one allowed
    form is the theme's newsletter sign-up. (Remote loads are the page's security policy's
    job: see ``csp_sources``.)
    """
    allowed_controls = set()
    for form in find_all(root, "form"):
        if form.get("class") == "newsletter-form":
            allowed_controls |= {id(e) for e in form.iter()}
    findings = []
    for element in root.iter():
        name = tag(element)
        if name == "script":
            if element.get("type") != "application/ld+json" or element.get("src"):
                findings.append(f"script element type={element.get('type')!r}")
            else:
                try:
                    json.loads(element.text or "")
                except ValueError:
                    findings.append("JSON-LD that does not parse (broken out of?)")
        if name in FORBIDDEN_TAGS:
            findings.append(f"<{name}>")
        if name == "style":
            findings.append("<style> element")
        if name == "link" and (element.get("rel") or "") not in {
            "stylesheet",
            "canonical",
            "alternate",
            "icon",  # the site's own favicon and touch icon (files the export writes)
            "apple-touch-icon",
        }:
            findings.append(f"<link rel={element.get('rel')!r}>")
        if name == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            findings.append("meta refresh")
        if name in {"form", "button", "input", "label"} and id(element) not in allowed_controls:
            findings.append(f"<{name}> outside the newsletter form")
        for attribute, value in element.attrib.items():
            local = attribute.split("}", 1)[-1].lower()
            if local.startswith("on"):
                findings.append(f"event handler {local} on <{name}>")
            if local == "style":
                findings.append(f"style attribute on <{name}>")
            if local in URL_ATTRIBUTES and DANGEROUS_SCHEME.match(value):
                findings.append(f"{local}={value!r} on <{name}>")
    return findings


def csp_sources(root: ET.Element) -> dict[str, list[str]]:
    """The page's Content-Security-Policy, directive -> sources."""
    metas = [m for m in find_all(root, "meta")
             if (m.get("http-equiv") or "").lower() == "content-security-policy"]  # fmt: skip
    assert len(metas) == 1, "exactly one Content-Security-Policy meta tag"
    policy: dict[str, list[str]] = {}
    for directive in (metas[0].get("content") or "").split(";"):
        words = directive.split()
        if words:
            policy[words[0]] = words[1:]
    return policy
