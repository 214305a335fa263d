"""Hugo shortcodes (``{{< name >}}``, ``{{% name %}}``) as Markdown, or flagged and kept."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from newsdesk.core.sites.site_syntax_parts import MAX_TAG, Scan, block, code_block, image, link

_NAME = re.compile(r"[\w][\w./-]*")
_BARE = re.compile(r"[^\s\"`=]+")
_SPACE = re.compile(r"\s*")
_PARAM_NAME = re.compile(r"([A-Za-z_][\w-]*)=")
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{6,20}")
_DIGITS = re.compile(r"\d{1,25}")
_HANDLE = re.compile(r"[A-Za-z0-9_]{1,30}")
_INSTAGRAM_ID = re.compile(r"[A-Za-z0-9_-]{4,40}")
_GITHUB_USER = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})")
_GIST_ID = re.compile(r"[0-9a-fA-F]{6,40}|\d{1,20}")
_GIST_FILE = re.compile(r"[\w.-]{1,100}")


class TagError(Exception):
    """A shortcode tag that cannot be read; the message says why."""


@dataclass(frozen=True, slots=True)
class Tag:
    """One shortcode tag as written."""

    name: str
    delim: str  # "<" or "%"
    closing: bool
    self_closing: bool
    positional: tuple[str, ...]
    named: dict[str, str]
    end: int

    def get(self, key: str, index: int | None = None) -> str:
        if key in self.named:
            return self.named[key]
        if index is not None and index < len(self.positional):
            return self.positional[index]
        return ""

    def shown(self) -> str:
        slash = "/" if self.closing else ""
        end = ">" if self.delim == "<" else "%"
        return f"{{{{{self.delim} {slash}{self.name} {end}}}}}"


_Converter = Callable[[Scan, int, Tag, str], None]


def handle(scan: Scan, start: int) -> int:
    """Convert the shortcode at ``start``; returns where the scan goes on (``start`` if
    the braces are no shortcode)."""
    text = scan.text
    delim = text[start + 2 : start + 3]
    if delim not in {"<", "%"}:
        return start
    if text.startswith("/*", start + 3):
        return _escaped(scan, start, delim)
    try:
        tag = parse_tag(text, start)
    except TagError as exc:
        scan.flag(start, f"{exc}: kept as text; correct it by hand")
        scan.out.append(text[start : start + 3])
        return start + 3
    if tag.closing:
        _close(scan, start, tag)
        return tag.end
    return _open(scan, start, tag)


def _escaped(scan: Scan, start: int, delim: str) -> int:
    """``{{</* name */>}}``: Hugo's way to show a shortcode as text; shown as written."""
    closing = "*/>}}" if delim == "<" else "*/%}}"
    end = scan.text.find(closing, start + 5, start + MAX_TAG)
    if end < 0:
        scan.flag(start, f"escaped shortcode {{{{{delim}/* has no closing {closing}: kept as text")
        scan.out.append(scan.text[start : start + 5])
        return start + 5
    scan.out.append(scan.text[start : start + 3] + scan.text[start + 5 : end] + closing[2:])
    scan.note(start, "escaped shortcode → shown as text")
    return end + len(closing)


def parse_tag(text: str, start: int) -> Tag:
    """Read the tag at ``start`` (``{{<`` or ``{{%``) up to its closing ``>}}``/``%}}``."""
    delim = text[start + 2]
    limit = min(len(text), start + MAX_TAG)
    pos = _SPACE.match(text, start + 3, limit).end()  # type: ignore[union-attr]
    closing = text.startswith("/", pos)
    if closing:
        pos = _SPACE.match(text, pos + 1, limit).end()  # type: ignore[union-attr]
    name_match = _NAME.match(text, pos, limit)
    if name_match is None:
        raise TagError(f"shortcode at {text[start : start + 12]!r} has no name")
    name = name_match.group()
    pos = name_match.end()
    positional: list[str] = []
    named: dict[str, str] = {}
    end_marker = ">}}" if delim == "<" else "%}}"
    while True:
        before = pos
        pos = _SPACE.match(text, pos, limit).end()  # type: ignore[union-attr]
        if pos >= limit:
            raise TagError(f"shortcode {{{{{delim} {name} has no closing {end_marker}")
        if text.startswith(end_marker, pos):
            return Tag(name, delim, closing, False, tuple(positional), named, pos + 3)
        if text.startswith("/" + end_marker, pos):
            return Tag(name, delim, closing, True, tuple(positional), named, pos + 4)
        if text.startswith("{{", pos):
            raise TagError(f"a shortcode is nested inside the parameters of {name!r}")
        key = _PARAM_NAME.match(text, pos, limit)
        if key:
            value, pos = _value(text, key.end(), limit, name)
            named[key.group(1)] = value
        else:
            value, pos = _value(text, pos, limit, name)
            positional.append(value)
        if pos <= before:  # a guard: every turn must read something
            raise TagError(f"shortcode {name!r} has a parameter that cannot be read")


def _value(text: str, pos: int, limit: int, name: str) -> tuple[str, int]:
    """One parameter value: "quoted" (backslash escapes), `raw`, or a bare word."""
    quote = text[pos : pos + 1]
    if quote == '"':
        chars: list[str] = []
        at = pos + 1
        while at < limit:
            ch = text[at]
            if ch == "\\" and at + 1 < limit:
                chars.append(text[at + 1])
                at += 2
                continue
            if ch == '"':
                return "".join(chars), at + 1
            chars.append(ch)
            at += 1
        raise TagError(f"a quoted parameter of shortcode {name!r} is never closed")
    if quote == "`":
        end = text.find("`", pos + 1, limit)
        if end < 0:
            raise TagError(f"a `raw` parameter of shortcode {name!r} is never closed")
        return text[pos + 1 : end], end + 1
    bare = _BARE.match(text, pos, limit)
    if bare is None:
        raise TagError(f"shortcode {name!r} has a parameter that cannot be read")
    word = bare.group()
    # A bare word runs into the closing delimiter when no space separates them.
    for marker in ("/>}}", ">}}", "/%}}", "%}}"):
        cut = word.find(marker)
        if cut >= 0:
            return word[:cut], pos + cut
    return word, bare.end()


_CLOSING_HIGHLIGHT = re.compile(r"\{\{[<%]\s*/\s*highlight\s*[>%]\}\}")


def _open(scan: Scan, start: int, tag: Tag) -> int:
    """Convert an opening (or self-closing) tag; returns where the scan goes on."""
    name = tag.name.lower()
    raw = scan.text[start : tag.end]
    if name == "highlight" and not tag.self_closing:
        return _highlight(scan, start, tag)
    converter = _CONVERTERS.get(name)
    if converter is None:
        _site_own(scan, start, tag, raw)
    else:
        converter(scan, start, tag, raw)
    return tag.end


def _close(scan: Scan, start: int, tag: Tag) -> None:
    raw = scan.text[start : tag.end]
    scan.out.append(raw)
    if scan.open_count[tag.name]:
        # Those opened inside it and never closed were used alone (no inner content).
        while (name := scan.open_tags.pop()) != tag.name:
            scan.open_count[name] -= 1
        scan.open_count[name] -= 1
        return
    scan.flag(
        start,
        f"closing {tag.shown()} has no opening before it (shortcodes crossed or out of "
        "order): kept as text; correct the pair by hand",
    )


def _site_own(scan: Scan, start: int, tag: Tag, raw: str) -> None:
    scan.out.append(raw)
    if not tag.self_closing:
        scan.open_tags.append(tag.name)
        scan.open_count[tag.name] += 1
    scan.flag(
        start,
        f"shortcode {tag.name!r} is the site's own (not one Newsdesk converts): kept as "
        "text; replace it by hand",
    )


def _highlight(scan: Scan, start: int, tag: Tag) -> int:
    """A paired highlight: its inner text, exactly, as a fenced code block."""
    closed = scan.find_close("highlight", _CLOSING_HIGHLIGHT, tag.end)
    if closed is None:
        scan.flag(
            start,
            "highlight shortcode has no closing {{< /highlight >}}: kept as text; "
            "add the closing tag or make it a code block by hand",
        )
        scan.out.append(scan.text[start : tag.end])
        return tag.end
    code = scan.text[tag.end : closed.start()]
    markdown = code_block(code, tag.get("lang", 0))
    scan.out.append(block(scan, closed.end(), markdown))
    scan.note(start, "highlight shortcode → code block")
    return closed.end()


def _figure(scan: Scan, start: int, tag: Tag, raw: str) -> None:
    src = tag.get("src", 0)
    if not src:
        _keep(scan, start, raw, "figure shortcode has no src")
        return
    words = [w for w in (tag.get("title"), tag.get("caption"), tag.get("attr")) if w]
    caption = " ".join(w if w[-1] in ".!?:;" or w is words[-1] else w + "." for w in words)
    markdown = image(src, tag.get("alt") or tag.get("title") or "", caption)
    scan.out.append(block(scan, tag.end, markdown))
    dropped = f" (its link to {tag.get('link')} is not kept)" if tag.get("link") else ""
    scan.note(start, f"figure shortcode → picture with caption{dropped}")


def _video(site: str, pattern: re.Pattern[str], url: str) -> _Converter:
    def convert(scan: Scan, start: int, tag: Tag, raw: str) -> None:
        ident = tag.get("id", 0)
        if not pattern.fullmatch(ident):
            _keep(scan, start, raw, f"{tag.name} shortcode has no usable video id")
            return
        title = tag.get("title") or f"Watch the video on {site}"
        scan.out.append(link(title, url.format(ident)))
        scan.note(start, f"{tag.name} shortcode → link to the video")

    return convert


def _post(scan: Scan, start: int, tag: Tag, raw: str) -> None:
    user, ident = tag.get("user"), tag.get("id", 0)
    if not _DIGITS.fullmatch(ident) or (user and not _HANDLE.fullmatch(user)):
        _keep(scan, start, raw, f"{tag.name} shortcode has no usable post id")
        return
    if user:
        url, words = f"https://x.com/{user}/status/{ident}", f"Post by @{user} on X"
    else:
        url, words = f"https://x.com/i/web/status/{ident}", "Post on X"
    scan.out.append(link(words, url))
    scan.note(start, f"{tag.name} shortcode → link to the post")


def _instagram(scan: Scan, start: int, tag: Tag, raw: str) -> None:
    ident = tag.get("id", 0)
    if not _INSTAGRAM_ID.fullmatch(ident):
        _keep(scan, start, raw, "instagram shortcode has no usable post id")
        return
    scan.out.append(link("Post on Instagram", f"https://www.instagram.com/p/{ident}/"))
    scan.note(start, "instagram shortcode → link to the post")


def _gist(scan: Scan, start: int, tag: Tag, raw: str) -> None:
    user, ident, file = tag.get("user", 0), tag.get("id", 1), tag.get("file", 2)
    usable = _GITHUB_USER.fullmatch(user) and _GIST_ID.fullmatch(ident)
    if not usable or (file and not _GIST_FILE.fullmatch(file)):
        _keep(scan, start, raw, "gist shortcode needs a GitHub user and a gist id")
        return
    url = f"https://gist.github.com/{user}/{ident}"
    words = f"Gist {user}/{ident}"
    if file:
        url += "#file-" + re.sub(r"[^\w-]", "-", file).lower()
        words += f" ({file})"
    scan.out.append(link(words, url))
    scan.note(start, "gist shortcode → link to the gist")


def _ref(scan: Scan, start: int, tag: Tag, raw: str) -> None:
    target = tag.get("path", 0)
    url = scan.resolve(target) if target else None
    if not url:
        _keep(scan, start, raw, f"{tag.name} to {target!r} names no imported post")
        return
    scan.out.append(url)
    scan.note(start, f"{tag.name} shortcode → internal link to {url}")


def _keep(scan: Scan, start: int, raw: str, why: str) -> None:
    scan.out.append(raw)
    scan.flag(start, f"{why}: kept as text; correct it by hand")


_CONVERTERS: dict[str, _Converter] = {
    "figure": _figure,
    "youtube": _video("YouTube", _YOUTUBE_ID, "https://www.youtube.com/watch?v={}"),
    "vimeo": _video("Vimeo", _DIGITS, "https://vimeo.com/{}"),
    "tweet": _post,
    "x": _post,
    "instagram": _instagram,
    "gist": _gist,
    "ref": _ref,
    "relref": _ref,
}
