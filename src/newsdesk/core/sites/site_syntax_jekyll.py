"""Jekyll's Liquid (``{% tag %}``, ``{{ output }}``) as Markdown, or flagged and kept."""

from __future__ import annotations

import re

from newsdesk.core.sites.site_syntax_parts import MAX_TAG, Scan, block, code_block

_WORDS = re.compile(r"\S+")
_STRING = re.compile(r"\s*(?:\"([^\"]*)\"|'([^']*)')\s*")
_SITE_ROOT = {"site.baseurl", "site.url"}
_URL_FILTERS = {"relative_url", "absolute_url"}
_REFERENCES = {"link", "post_url"}
_INCLUDES = {"include", "include_relative", "include_cached"}


def _closing(word: str) -> re.Pattern[str]:
    return re.compile(r"\{%-?\s*" + word + r"\s*-?%\}")


_END = {"highlight": _closing("endhighlight"), "raw": _closing("endraw")}
_COMMENT_END = _closing("endcomment")


def handle(scan: Scan, start: int) -> int:
    """Convert the Liquid at ``start``; returns where the scan goes on."""
    if scan.text.startswith("{%", start):
        return _tag(scan, start)
    return _output(scan, start)


def _read(scan: Scan, start: int, close: str) -> tuple[str, int] | None:
    """The inside of ``{% ... %}`` or ``{{ ... }}`` (whitespace control dropped) and its end;
    ``None`` (flagged) when it is unclosed or holds another tag."""
    text = scan.text
    limit = min(len(text), start + MAX_TAG)
    end = text.find(close, start + 2, limit)
    kind = "tag" if close == "%}" else "output"
    if end < 0:
        scan.flag(
            start, f"Liquid {kind} {text[start : start + 20]!r}… is never closed: kept as text"
        )
        return None
    inner = text[start + 2 : end]
    if "{%" in inner or "{{" in inner:
        scan.flag(start, f"Liquid {kind} has another one nested inside it: kept as text")
        return None
    inner = inner.removeprefix("-").removesuffix("-").strip()
    return inner, end + 2


def _tag(scan: Scan, start: int) -> int:
    read = _read(scan, start, "%}")
    if read is None:
        scan.out.append("{%")
        return start + 2
    inner, end = read
    words = _WORDS.findall(inner)
    name = words[0] if words else ""
    raw = scan.text[start:end]
    if name in _END:
        return _paired(scan, start, end, name, words[1:])
    if name in _REFERENCES:
        _reference(scan, start, raw, name, inner[len(name) :].strip())
    elif name in _INCLUDES:
        _keep(scan, start, raw, f"{{% {name} %}} brings in a file Newsdesk does not have")
    elif name == "comment":
        return _comment(scan, start, end)
    elif name in {"endhighlight", "endraw", "endcomment"}:
        _keep(scan, start, raw, f"{{% {name} %}} has no opening tag before it")
    else:
        _keep(scan, start, raw, f"Liquid tag {{% {name} %}} is not one Newsdesk converts")
    return end


def _paired(scan: Scan, start: int, end: int, name: str, args: list[str]) -> int:
    """``{% highlight lang %}…{% endhighlight %}`` and ``{% raw %}…{% endraw %}``."""
    closed = scan.find_close(name, _END[name], end)
    if closed is None:
        _keep(scan, start, scan.text[start:end], f"{{% {name} %}} has no {{% end{name} %}}")
        return end
    inner = scan.text[end : closed.start()]
    if name == "raw":
        scan.out.append(inner)
        scan.note(start, "raw block → its text, as written")
    else:
        language = args[0] if args else ""
        scan.out.append(block(scan, closed.end(), code_block(inner, language)))
        scan.note(start, "highlight block → code block")
    return closed.end()


def _comment(scan: Scan, start: int, end: int) -> int:
    closed = scan.find_close("comment", _COMMENT_END, end)
    stop = closed.end() if closed else end
    _keep(scan, start, scan.text[start:stop], "Liquid comment (hidden on the old site)")
    return stop


def _reference(scan: Scan, start: int, raw: str, name: str, argument: str) -> None:
    target = argument.strip().strip("\"'")
    url = scan.resolve(target) if target else None
    if not url:
        _keep(scan, start, raw, f"{{% {name} %}} to {target!r} names no imported post")
        return
    scan.out.append(url)
    scan.note(start, f"{name} → internal link to {url}")


def _output(scan: Scan, start: int) -> int:
    read = _read(scan, start, "}}")
    if read is None:
        scan.out.append("{{")
        return start + 2
    inner, end = read
    raw = scan.text[start:end]
    value = _site_address(inner)
    if value is None:
        _keep(scan, start, raw, f"Liquid output {{{{ {inner} }}}} is not one Newsdesk converts")
        return end
    if not value and not scan.text.startswith(("/", "{{", "{%"), end):
        value = "/"  # the root alone, as in [home]({{ site.baseurl }})
    scan.out.append(value)
    scan.note(start, f"{{{{ {inner} }}}} → {value or 'the site root'}")
    return end


def _site_address(inner: str) -> str | None:
    """``site.baseurl``/``site.url`` (the site root: nothing), or a quoted path through
    ``relative_url``/``absolute_url`` (the path from the root); ``None`` for the rest."""
    parts = [p.strip() for p in inner.split("|")]
    head, filters = parts[0], parts[1:]
    if any(f not in _URL_FILTERS for f in filters):
        return None
    if head in _SITE_ROOT:
        return ""
    quoted = _STRING.fullmatch(head)
    if quoted is None or not filters:
        return None
    path = quoted.group(1) if quoted.group(1) is not None else quoted.group(2)
    if re.match(r"[a-z][a-z0-9+.-]*:|//", path, re.IGNORECASE):
        return path  # already a full address: the filters leave it alone
    return "/" + path.lstrip("/")


def _keep(scan: Scan, start: int, raw: str, why: str) -> None:
    scan.out.append(raw)
    scan.flag(start, f"{why}: kept as text; rewrite it by hand")
