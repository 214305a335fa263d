"""The live preview: the published page, offline, with nothing from content able to run."""

from __future__ import annotations

from typing import Any

from newsdesk.core.models import Article, Media

from .conftest import run_js, wait_for_dom

HOSTILE_BODY = """Opening paragraph.

<script>document.title = 'owned'</script>

<img src="x" onerror="document.title='owned'">

[click me](javascript:alert(1)) and [data](data:text/html;base64,PHNjcmlwdD4=)

<svg onload="alert(1)"><circle r="4"/></svg>

<iframe src="https://example.com/"></iframe>

![pixel](https://tracker.example.net/pixel.gif)

<style>body { display: none }</style>

Closing paragraph.
"""


def open_article(qtbot: Any, make_window: Any, store: Any, article: Article) -> Any:
    stored = store.create(article)
    window = make_window(store)
    with qtbot.waitSignal(window.preview.load_finished, timeout=15_000):
        window.open_article(stored.uri)
    return window


def test_nothing_from_content_can_run_or_load(
    qtbot: Any, make_window: Any, empty_store: Any
) -> None:
    window = open_article(
        qtbot,
        make_window,
        empty_store,
        Article(headline="<script>x</script> Headline", body=HOSTILE_BODY, kicker="<b>k</b>"),
    )
    preview = window.preview
    wait_for_dom(qtbot, preview, "document.body.innerText", lambda v: "Closing paragraph" in v)
    dom = run_js(
        qtbot,
        preview,
        """({
          scripts: document.querySelectorAll('script:not([type="application/ld+json"])').length,
          handlers: [...document.querySelectorAll('*')].filter(
              el => [...el.attributes].some(a => a.name.startsWith('on'))).length,
          js_links: [...document.querySelectorAll('a[href]')].filter(
              a => /^\\s*(javascript|data|vbscript):/i.test(a.getAttribute('href'))).length,
          frames: document.querySelectorAll('iframe, object, embed, svg, math').length,
          styles_in_body: document.querySelectorAll('#nd-body style').length,
          title: document.title,
          headline: document.getElementById('nd-headline').innerText,
        })""",
    )
    assert dom["scripts"] == 0
    assert dom["handlers"] == 0
    assert dom["js_links"] == 0
    assert dom["frames"] == 0
    assert dom["styles_in_body"] == 0
    assert dom["title"] != "owned"
    assert "<script>" in dom["headline"]  # shown as text, never run
    assert not [u for u in preview.guard.blocked if "tracker" not in u and "example" not in u]


def test_the_preview_never_reaches_the_network(
    qtbot: Any, make_window: Any, empty_store: Any
) -> None:
    window = open_article(
        qtbot,
        make_window,
        empty_store,
        Article(
            headline="Remote things",
            body="![remote](https://tracker.example.net/pixel.gif)\n\nText.",
            image=Media(src="https://images.example.org/lead.jpg", alt="Lead"),
        ),
    )
    wait_for_dom(qtbot, window.preview, "document.body.innerText", lambda v: "Text." in v)
    qtbot.wait(300)
    loaded = run_js(
        qtbot,
        window.preview,
        "[...document.images].filter(i => i.complete && i.naturalWidth > 0).length",
    )
    assert loaded == 0
    # Whatever the page asked for off the machine was refused at the network layer.
    assert all(not url.startswith("newsdesk-preview") for url in window.preview.guard.blocked)


def test_updates_swap_regions_without_reloading(
    qtbot: Any, make_window: Any, empty_store: Any
) -> None:
    window = open_article(
        qtbot, make_window, empty_store, Article(headline="Steady", body="One.\n\n" * 200)
    )
    preview = window.preview
    loads: list[bool] = []
    preview.load_finished.connect(loads.append)
    run_js(qtbot, preview, "(window.scrollTo(0, 1500), window.__marker = 42)")
    window.editor.form.headline.setText("Steady as she goes")
    window.editor.form.headline.textEdited.emit("Steady as she goes")
    wait_for_dom(
        qtbot,
        preview,
        "document.getElementById('nd-headline').innerText",
        lambda v: v.strip() == "Steady as she goes",
    )
    state = run_js(qtbot, preview, "({y: window.scrollY, marker: window.__marker})")
    assert loads == []  # no page load: the same document, updated in place
    assert state["marker"] == 42
    assert state["y"] > 1000


def test_preview_follows_the_editor(qtbot: Any, make_window: Any, empty_store: Any) -> None:
    body = "\n\n".join(f"Paragraph number {i}." for i in range(1, 120))
    window = open_article(qtbot, make_window, empty_store, Article(headline="Long", body=body))
    window.preview.follow(161)  # source line of paragraph 81
    top = wait_for_dom(
        qtbot,
        window.preview,
        """(() => { for (const el of document.querySelectorAll('#nd-body [data-line]')) {
             if (el.getBoundingClientRect().bottom > 0) return el.innerText; } })()""",
        lambda v: v == "Paragraph number 81.",
    )
    assert top == "Paragraph number 81."


def test_phone_width(qtbot: Any, make_window: Any, empty_store: Any) -> None:
    window = open_article(qtbot, make_window, empty_store, Article(headline="Narrow", body="x"))
    window.commands.phone.trigger()
    width = wait_for_dom(qtbot, window.preview, "window.innerWidth", lambda v: v <= 400)
    assert width <= 400
