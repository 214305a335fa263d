"""Hugo shortcodes and Jekyll Liquid in imported bodies: converted, or flagged and kept."""

from __future__ import annotations

import time

import pytest

from newsdesk.core.sites.site_syntax import SiteSyntax, convert_site_syntax

POSTS = {
    "posts/first.md": "/world/first/",
    "/posts/first": "/world/first/",
    "2016-05-20-welcome-to-jekyll": "/news/welcome-to-jekyll/",
    "_posts/2016-05-20-welcome-to-jekyll.md": "/news/welcome-to-jekyll/",
}


def hugo(text: str) -> SiteSyntax:
    return convert_site_syntax(text, generator="hugo", resolve=POSTS.get)


def jekyll(text: str) -> SiteSyntax:
    return convert_site_syntax(text, generator="jekyll", resolve=POSTS.get)


# -- Hugo -------------------------------------------------------------------------------


def test_figure_becomes_a_picture_with_its_caption_and_src_as_given() -> None:
    result = hugo(
        'Intro.\n{{< figure src="/images/elephant.jpg" alt="An elephant" '
        'title="At the zoo" caption="Taken in \\"May\\"" attr="Jo Lee" >}}\nAfter.'
    )
    assert result.text == (
        "Intro.\n\n"
        '![An elephant](/images/elephant.jpg "At the zoo. Taken in \\"May\\". Jo Lee")'
        "\n\nAfter."
    )
    assert result.converted == ("line 2: figure shortcode → picture with caption",)
    assert result.flagged == ()


def test_figure_positional_percent_form_and_self_closing() -> None:
    result = hugo('{{% figure src="a b.jpg" %}}\n\n{{< figure src=`x.png` />}}\n{{< figure >}}')
    assert result.text == "![](<a b.jpg>)\n\n![](x.png)\n\n{{< figure >}}"
    assert result.flagged == (
        "line 4: figure shortcode has no src: kept as text; correct it by hand",
    )


@pytest.mark.parametrize(
    ("shortcode", "markdown"),
    [
        ("{{< youtube w7Ft2ymGmfc >}}",
         "[Watch the video on YouTube](https://www.youtube.com/watch?v=w7Ft2ymGmfc)"),
        ('{{< youtube id="w7Ft2ymGmfc" title="A [big] cat" >}}',
         "[A \\[big\\] cat](https://www.youtube.com/watch?v=w7Ft2ymGmfc)"),
        ("{{< vimeo 146022717 >}}", "[Watch the video on Vimeo](https://vimeo.com/146022717)"),
        ('{{< x user="SanDiegoZoo" id="1453110110599868418" >}}',
         "[Post by @SanDiegoZoo on X](https://x.com/SanDiegoZoo/status/1453110110599868418)"),
        ("{{< tweet 877500564405444608 >}}",
         "[Post on X](https://x.com/i/web/status/877500564405444608)"),
        ("{{< instagram BWNjjyYFxVx >}}",
         "[Post on Instagram](https://www.instagram.com/p/BWNjjyYFxVx/)"),
        ("{{< gist spf13 7896402 >}}", "[Gist spf13/7896402](https://gist.github.com/spf13/7896402)"),
        ('{{< gist spf13 7896402 "img.html" >}}',
         "[Gist spf13/7896402 (img.html)](https://gist.github.com/spf13/7896402#file-img-html)"),
        ("{{< youtube w7Ft2ymGmfc />}}",
         "[Watch the video on YouTube](https://www.youtube.com/watch?v=w7Ft2ymGmfc)"),
    ],
)  # fmt: skip
def test_embeds_become_links_never_iframes_or_scripts(shortcode: str, markdown: str) -> None:
    result = hugo(f"Watch: {shortcode} now")
    assert result.text == f"Watch: {markdown} now"
    assert len(result.converted) == 1 and result.flagged == ()
    assert "<iframe" not in result.text and "<script" not in result.text


@pytest.mark.parametrize(
    "shortcode",
    ['{{< youtube "x\\" onload=alert(1)" >}}', '{{< vimeo "javascript:alert(1)" >}}',
     '{{< x user="a/b" id="1" >}}', "{{< gist ../.. 1 >}}", "{{< instagram >}}"],
)  # fmt: skip
def test_an_embed_with_a_strange_id_is_kept_and_flagged(shortcode: str) -> None:
    result = hugo(shortcode)
    assert result.text == shortcode and result.converted == ()
    assert result.flagged[0].startswith("line 1:")


def test_highlight_becomes_a_code_block_with_the_code_exactly() -> None:
    code = 'func main() {\n\tfmt.Println("{{< youtube x >}}")\n\t// ```\n}'
    result = hugo(
        f'Text\n{{{{< highlight go "linenos=table" >}}}}\n{code}\n{{{{< /highlight >}}}}\nEnd'
    )
    assert result.text == f"Text\n\n````go\n{code}\n````\n\nEnd"
    assert result.converted == ("line 2: highlight shortcode → code block",)


def test_ref_and_relref_become_internal_links_or_are_flagged() -> None:
    result = hugo(
        'See [the first]({{< ref "posts/first.md" >}}), [again]({{< relref path="/posts/first" >}})'
        ' and [gone]({{% ref "posts/gone.md" %}}).'
    )
    assert result.text == (
        "See [the first](/world/first/), [again](/world/first/) and "
        '[gone]({{% ref "posts/gone.md" %}}).'
    )
    assert len(result.converted) == 2
    assert result.flagged == (
        "line 1: ref to 'posts/gone.md' names no imported post: kept as text; correct it by hand",
    )


def test_the_site_s_own_shortcodes_stay_visible_and_are_flagged_with_inner_content_converted() -> (
    None
):
    text = (
        "{{% notice warning %}}\nCareful: {{< youtube w7Ft2ymGmfc >}}\n{{% /notice %}}\n"
        '{{< tabs >}}{{< tab name="a" >}}A{{< /tab >}}{{< /tabs >}}\n{{< newsletter />}}'
    )
    result = hugo(text)
    assert "{{% notice warning %}}\nCareful: [Watch the video on YouTube](" in result.text
    assert result.text.endswith(
        '{{% /notice %}}\n{{< tabs >}}{{< tab name="a" >}}A{{< /tab >}}{{< /tabs >}}\n'
        "{{< newsletter />}}"
    )
    assert [f.split(":")[0] for f in result.flagged] == ["line 1", "line 4", "line 4", "line 5"]
    assert all("the site's own" in f for f in result.flagged)


def test_crossed_unclosed_and_nested_shortcodes_are_flagged_with_their_line() -> None:
    text = (
        "{{< a >}}{{< b >}}{{< /a >}}{{< /b >}}\n"  # crossed: /b closes nothing
        "{{< highlight go >}}\nno end\n"
        '{{< youtube {{< x id="1" >}} >}}\n'
        '{{< figure src="never closed\n'
        "{{< figure src=x"
    )
    result = hugo(text)
    assert result.text.startswith("{{< a >}}{{< b >}}{{< /a >}}{{< /b >}}\n{{< highlight go >}}")
    lines = [f.split(":")[0] for f in result.flagged]
    assert "line 1" in lines and "line 2" in lines and "line 4" in lines and "line 5" in lines
    assert any("closing {{< /b >}} has no opening" in f for f in result.flagged)
    assert any("highlight shortcode has no closing" in f for f in result.flagged)
    assert any("nested inside the parameters of 'youtube'" in f for f in result.flagged)
    assert any("never closed" in f for f in result.flagged)
    assert "line 6" in lines  # the last one, cut off by the end of the text


def test_code_blocks_and_inline_code_are_left_untouched() -> None:
    text = (
        "Use `{{< youtube w7Ft2ymGmfc >}}` or ``{{< vimeo 1 >}} ` x``.\n\n"
        "```markdown\n{{< youtube w7Ft2ymGmfc >}}\n{% post_url x %}\n```\n\n"
        "~~~~\n{{< highlight go >}}\n~~~~\n"
        "  ```\n  {{< figure src=a >}}\n"  # a fence never closed runs to the end
    )
    assert hugo(text) == SiteSyntax(text, (), ())
    assert jekyll(text.replace("{{<", "{%")) == SiteSyntax(text.replace("{{<", "{%"), (), ())


def test_an_escaped_backtick_opens_no_code_span() -> None:
    result = hugo("\\` {{< youtube w7Ft2ymGmfc >}} `")
    assert "youtube.com" in result.text


def test_hugo_s_comment_escape_shows_the_shortcode_as_text() -> None:
    result = hugo('Write {{</* figure src="a.jpg" */>}} to place a picture.')
    assert result.text == 'Write {{< figure src="a.jpg" >}} to place a picture.'


def test_liquid_is_text_to_hugo_and_shortcodes_are_text_to_jekyll() -> None:
    assert hugo("{% post_url x %} {{ site.baseurl }}").text == "{% post_url x %} {{ site.baseurl }}"
    assert jekyll("{{% notice %}}").flagged  # Liquid output that is not a site address


# -- Jekyll -----------------------------------------------------------------------------


def test_jekyll_highlight_and_raw() -> None:
    result = jekyll(
        "Code:\n{% highlight ruby linenos %}\ndef foo\n  puts '{{ x }}'\nend\n{% endhighlight %}\n"
        "Show {% raw %}{{ page.title }} and {% if %}{% endraw %} literally."
    )
    assert result.text == (
        "Code:\n\n```ruby\ndef foo\n  puts '{{ x }}'\nend\n```\n\n"
        "Show {{ page.title }} and {% if %} literally."
    )
    assert result.converted == (
        "line 2: highlight block → code block",
        "line 7: raw block → its text, as written",
    )
    assert result.flagged == ()


def test_post_url_link_and_site_addresses() -> None:
    result = jekyll(
        "[Welcome]({% post_url 2016-05-20-welcome-to-jekyll %}), "
        "[again]({{ site.baseurl }}{% link _posts/2016-05-20-welcome-to-jekyll.md %}), "
        '![logo]({{ "/assets/logo.png" | relative_url }}), '
        "[about]({{ site.url }}{{ site.baseurl }}/about/), [home]({{- site.baseurl -}}), "
        "[css]({{ 'style.css' | absolute_url }})"
    )
    assert result.text == (
        "[Welcome](/news/welcome-to-jekyll/), [again](/news/welcome-to-jekyll/), "
        "![logo](/assets/logo.png), [about](/about/), [home](/), [css](/style.css)"
    )
    assert result.flagged == () and len(result.converted) == 8


def test_what_jekyll_cannot_give_is_flagged_and_kept() -> None:
    text = (
        '{% include note.html text="hi" %}\n'
        "{{ page.title | upcase }}\n"
        "{% post_url 2099-01-01-missing %}\n"
        "{% if user %}Hi{% endif %}\n"
        "{% comment %}hidden{% endcomment %}\n"
        "{% endraw %}"
    )
    result = jekyll(text)
    assert result.text == text and result.converted == ()
    assert [f.split(":")[0] for f in result.flagged] == [
        "line 1", "line 2", "line 3", "line 4", "line 4", "line 5", "line 6",
    ]  # fmt: skip
    assert "include" in result.flagged[0] and "2099-01-01-missing" in result.flagged[2]


def test_unclosed_and_nested_liquid_is_flagged_never_raised() -> None:
    text = "{% highlight go %}\nno end\n{% raw %} none\n{% link {{ page.x }} %}\n{{ site.url\n{%"
    result = jekyll(text)
    assert result.text == text
    lines = [f.split(":")[0] for f in result.flagged]
    assert lines[:3] == ["line 1", "line 3", "line 4"] and "line 6" in lines


def test_an_unknown_generator_is_refused() -> None:
    with pytest.raises(ValueError, match="hugo"):
        convert_site_syntax("x", generator="gatsby", resolve=POSTS.get)


# -- bad input at scale -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "{{< " * 20_000,
        '{{< a "' * 20_000,
        "{{< note >}}x{{< /other >}}\n" * 10_000,
        "{{< highlight go >}}\n" * 10_000,
        "{% highlight go %}\n{% raw %}" * 10_000,
        "` `` ``` " * 20_000,
        "{{ {% " * 20_000,
        "```\n" * 20_000,
        "`a` {{< x >}} {% x %} " * 20_000,
        "` {{< x >}} {% x %} ``" * 20_000,
        "   ```\n~~~~\n" * 20_000,
    ],
)
@pytest.mark.parametrize("generator", ["hugo", "jekyll"])
def test_hostile_input_takes_linear_time(text: str, generator: str) -> None:
    started = time.process_time()
    result = convert_site_syntax(text, generator=generator, resolve=POSTS.get)
    assert time.process_time() - started < 3.0  # CPU time: linear runs take well under 1 s
    assert result.text == text  # nothing converted, nothing lost
