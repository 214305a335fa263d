"""The preview's paragraph-by-paragraph rendering gives exactly the export's HTML."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.core.intake.frontmatter import split_front_matter
from newsdesk.publish.incremental import IncrementalBody, split_chunks
from newsdesk.publish.markdown import MarkdownRenderer

DEMO = Path(__file__).resolve().parents[2] / "src" / "newsdesk" / "resources" / "demo"
RENDERER = MarkdownRenderer("en-GB")

VOCABULARY = (
    "council said river 'quoted' \"double\" it's **bold** _it_ `code` -- ... 1,100 £4.2bn "
    "[link](https://example.com/a) Hélène عربي 🌊 #tag * <b> &amp; x_y_z"
).split(" ")
words = st.sampled_from(VOCABULARY)
sentence = st.lists(words, min_size=1, max_size=12).map(" ".join)
paragraph = st.lists(sentence, min_size=1, max_size=3).map("\n".join)
heading = st.tuples(st.integers(1, 4), sentence).map(lambda t: "#" * t[0] + " " + t[1])
bullets = st.lists(sentence, min_size=1, max_size=4).map(lambda xs: "\n".join(f"- {x}" for x in xs))
loose = st.lists(sentence, min_size=2, max_size=3).map(
    lambda xs: "\n\n".join(f"1. {x}" for x in xs)
)
quote = st.lists(sentence, min_size=1, max_size=3).map(
    lambda xs: "\n>\n".join(f"> {x}" for x in xs)
)
fence = st.lists(sentence, min_size=1, max_size=3).map(
    lambda xs: "```\n" + "\n\n".join(xs) + "\n```"
)
indented = sentence.map(lambda x: "    " + x)
table = st.lists(sentence, min_size=1, max_size=3).map(
    lambda xs: "| a | b |\n|---|---|\n" + "\n".join(f"| {x} | 1 |" for x in xs)
)
rule = st.just("---")
block = st.one_of(
    paragraph, paragraph, heading, bullets, loose, quote, fence, indented, table, rule
)
document = st.lists(block, min_size=1, max_size=12).map(lambda bs: "\n\n".join(bs) + "\n")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document)
def test_chunked_render_equals_full_render(body: str) -> None:
    assert IncrementalBody(RENDERER).render(body) == RENDERER.render(body)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document, st.integers(0, 10_000), sentence)
def test_edits_reuse_chunks_and_stay_exact(body: str, where: int, typed: str) -> None:
    incremental = IncrementalBody(RENDERER)
    incremental.render(body)
    position = where % (len(body) + 1)
    edited = body[:position] + typed + body[position:]
    assert incremental.render(edited) == RENDERER.render(edited)


def test_one_keystroke_rerenders_one_paragraph() -> None:
    body = "\n\n".join(f"Paragraph {i} of the story, officials said." for i in range(200)) + "\n"
    incremental = IncrementalBody(RENDERER)
    incremental.render(body)
    before = incremental.rendered_chunks
    edited = body.replace("Paragraph 120 of", "Paragraph 120x of")
    assert incremental.render(edited) == RENDERER.render(edited)
    assert incremental.rendered_chunks == before + 1


def test_every_sample_article_renders_the_same_both_ways() -> None:
    checked = 0
    for path in sorted(DEMO.glob("*.md")):
        _, body, _ = split_front_matter(path.read_text(encoding="utf-8"), str(path))
        assert IncrementalBody(RENDERER).render(body) == RENDERER.render(body), path.name
        checked += split_chunks(body) is not None
    assert checked >= 30  # most real articles take the fast path


def test_bodies_that_cannot_be_cut_fall_back_to_a_full_render() -> None:
    for body in ("Text[^1].\n\n[^1]: Note.\n", "A [ref][r].\n\n[r]: https://example.com/\n",
                 "<div>\n\nx\n\n</div>\n", "## Same\n\n## Same\n"):  # fmt: skip
        assert split_chunks(body) is None
        assert IncrementalBody(RENDERER).render(body) == RENDERER.render(body)


def test_headings_whose_ids_differ_only_by_a_link_address_are_numbered_as_a_whole() -> None:
    """A heading's id is made from the words shown: two headings differing only in a
    link's address (or a picture) share one, which the whole body numbers (``_1``)."""
    heading = "## Council [vote](https://example.com/{}) said"
    body = f"Intro.\n\n{heading.format('a')}\n\n{heading.format('b')}\n"
    assert split_chunks(body) is None
    html = IncrementalBody(RENDERER).render(body)
    assert html == RENDERER.render(body)
    assert 'id="council-vote-said_1"' in html
