"""A site's posts at their new addresses: slugs settled, links between posts resolved once
every post is known, and the former addresses kept so old links keep working."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import PurePosixPath

from newsdesk.core.aliases import MAX_ALIASES, alias_problem, normalize_alias
from newsdesk.core.models import Article
from newsdesk.core.ports import ArticleStore
from newsdesk.core.sites.site_config import SiteConfig
from newsdesk.core.sites.site_posts import Post
from newsdesk.core.sites.site_syntax import convert_site_syntax
from newsdesk.core.slugs import section_segment, unique_slug

_LINE = re.compile(r"^line (\d+):")


def address_of(article: Article) -> str:
    """The story's address on the exported site, as publish.paths builds it."""
    return f"/{section_segment(article.section)}/{article.slug}/"


def settle_slugs(
    posts: Sequence[Post], existing: Mapping[str, Article], store: ArticleStore
) -> None:
    """Each post with a slug of its own: the one stored by an earlier import of the site,
    else its file's (numbered when another story holds it), locked so it stays."""
    stored = {a.slug for a in existing.values()}
    wanted = [p.article.slug for p in posts if p.article and p.article.uri not in existing]
    used = stored | store.slugs_taken(wanted)
    fresh: list[Post] = []
    for post in posts:
        article = post.article
        assert article is not None
        before = existing.get(article.uri)
        if before is not None:
            slug = before.slug
        else:
            slug = unique_slug(article.slug, used)
            used.add(slug)
            fresh.append(post)
        post.article = dataclasses.replace(article, slug=slug, slug_locked=True)
    # A numbered slug was not asked of the store: ask, and move on past any it holds.
    asked = set(wanted)
    moved = [p for p in fresh if p.article and p.article.slug not in asked]
    clash = store.slugs_taken(p.article.slug for p in moved if p.article)
    for post in moved:
        assert post.article is not None
        if post.article.slug in clash:
            used |= clash
            slug = unique_slug(post.article.slug, used)
            used.add(slug)
            post.article = dataclasses.replace(post.article, slug=slug)


def _ref_forms(post: Post, config: SiteConfig) -> list[str]:
    """The ways another post may name this one (Hugo's ref path, Jekyll's post_url name,
    its file's path, its former address)."""
    rel = post.found.rel
    site_rel = PurePosixPath(post.name)
    forms = [
        _plain(rel.as_posix()),
        _plain(site_rel.as_posix()),
        rel.stem if rel.stem != "index" else rel.parent.name,
        post.role.key,
        post.role.name,
    ]
    if post.former:
        forms.append(_plain(post.former))
    return [f for f in forms if f]


def _plain(ref: str) -> str:
    """A reference without anchor, leading slash, extension or ``/index``."""
    ref = ref.split("#", 1)[0].split("?", 1)[0].strip().strip("/")
    path = PurePosixPath(ref)
    if path.suffix.lower() in {".md", ".markdown", ".html", ".mdown"}:
        path = path.with_suffix("")
    if path.name in {"index", "_index"}:
        path = path.parent
    return path.as_posix().lower() if path.parts else ""


def resolver(posts: Sequence[Post], config: SiteConfig) -> Callable[[str], str | None]:
    """``ref -> the new address`` of the post it names; a name shared by two posts
    resolves only in a form that tells them apart."""
    table: dict[str, str | None] = {}
    for post in posts:
        if post.article is None:
            continue
        address = address_of(post.article)
        for form in dict.fromkeys(f.lower() for f in _ref_forms(post, config)):
            table[form] = address if table.get(form, address) == address else None
    content = config.content_dir.strip("/").lower() + "/"

    def resolve(ref: str) -> str | None:
        plain = _plain(ref)
        anchor = "#" + ref.split("#", 1)[1] if "#" in ref else ""
        for form in (plain, plain.removeprefix(content), plain.rsplit("/", 1)[-1]):
            found = table.get(form)
            if found:
                return found + anchor
        return None

    return resolve


def convert_bodies(posts: Sequence[Post], config: SiteConfig) -> None:
    """Each body's generator syntax converted (links to other posts resolved), and each
    post's former addresses that differ from its new one kept as aliases."""
    resolve = resolver(posts, config)
    for post in posts:
        article = post.article
        assert article is not None
        result = convert_site_syntax(article.body, generator=config.generator, resolve=resolve)
        post.converted.extend(_in_file(line, post.body_line) for line in result.converted)
        post.flagged.extend(_in_file(line, post.body_line) for line in result.flagged)
        post.aliases = _kept(post, address_of(article))
        post.article = dataclasses.replace(article, body=result.text, aliases=post.aliases)


def _kept(post: Post, new: str) -> tuple[str, ...]:
    """The post's former addresses by the aliases' rule, its new one left out; one that
    cannot be a path of the site is flagged instead of kept."""
    kept: list[str] = []
    for alias in (post.former, *post.aliases) if post.former else post.aliases:
        problem = alias_problem(alias)
        if problem:
            post.flagged.append(f"{problem} (not kept)")
        else:
            kept.append(normalize_alias(alias))
    return tuple(a for a in dict.fromkeys(kept) if a != new)[:MAX_ALIASES]


def _in_file(flag: str, body_line: int) -> str:
    """A converted or flagged spot's body line as the file's line."""
    found = _LINE.match(flag)
    if not found:
        return flag
    return f"line {int(found.group(1)) + body_line - 1}:{flag[found.end() :]}"
