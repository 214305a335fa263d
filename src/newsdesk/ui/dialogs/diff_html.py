"""Readable differences between two texts or two versions of an article, as rich text.

Journalists read changes word by word, like tracked changes in a word processor: a
paragraph of Markdown is one line, so a line diff would mark a whole paragraph for one
word. Lines are matched first, then the words of changed lines.
"""

from __future__ import annotations

import difflib
import html
import itertools
import re

from newsdesk.core.history import field_changes
from newsdesk.core.models import Article

DELETED = "background-color:#ffd7d5;color:#82071e;text-decoration:line-through"
INSERTED = "background-color:#ccffd8;color:#116329"
MUTED = "color:#6e7781"
CHANGED_ROW = "background-color:#fff8c5;color:#1f2328"  # dark text: readable in a dark palette
_TOKENS = re.compile(r"\s+|[^\s]+")


def _span(text: str, style: str) -> str:
    return f'<span style="{style}">{html.escape(text)}</span>' if text else ""


def word_diff(old: str, new: str) -> tuple[str, str]:
    """``old`` with its removed words marked, and ``new`` with its added words marked."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    left: list[str] = []
    right: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            left.append(html.escape(removed))
            right.append(html.escape(added))
        else:
            left.append(_span(removed, DELETED))
            right.append(_span(added, INSERTED))
    return "".join(left), "".join(right)


def _inline(old: str, new: str) -> str:
    """Both versions in one: removed words struck through, added words after them."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(html.escape("".join(a[i1:i2])))
        else:
            out.append(_span("".join(a[i1:i2]), DELETED) + _span("".join(b[j1:j2]), INSERTED))
    return "".join(out)


def _rows(old: str, new: str, context: int) -> list[tuple[str, str | None, str | None]]:
    """("same" | "changed" | "skipped", old line, new line) rows of a line diff."""
    a, b = old.splitlines(), new.splitlines()
    rows: list[tuple[str, str | None, str | None]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    position = 0
    for group in matcher.get_grouped_opcodes(context):
        if group[0][1] > position:
            rows.append(("skipped", str(group[0][1] - position), None))
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                rows.extend(("same", line, line) for line in a[i1:i2])
            else:
                for left, right in itertools.zip_longest(a[i1:i2], b[j1:j2]):
                    rows.append(("changed", left, right))
        position = group[-1][2]
    if rows and position < len(a):
        rows.append(("skipped", str(len(a) - position), None))
    return rows


def _skipped(count: str) -> str:
    lines = "line" if count == "1" else "lines"
    return f"⋯ {count} unchanged {lines} ⋯"


def text_diff_html(
    old: str,
    new: str,
    old_label: str,
    new_label: str,
    *,
    side_by_side: bool = False,
    context: int = 2,
) -> str:
    """A readable diff of two texts: words removed struck through in red, added in green;
    unchanged lines far from a change folded away."""
    rows = _rows(old, new, context)
    if old == new or not rows:
        return f"<p style='{MUTED}'>The text is the same in both.</p>"
    if side_by_side:
        cells = []
        for kind, left, right in rows:
            if kind == "skipped":
                cells.append(
                    f"<tr><td colspan='2' align='center' style='{MUTED}'>"
                    f"{_skipped(left or '0')}</td></tr>"
                )
                continue
            if kind == "same":
                text = html.escape(left or "")
                cells.append(f"<tr><td>{text}</td><td>{text}</td></tr>")
                continue
            if left is not None and right is not None:
                old_html, new_html = word_diff(left, right)
            else:
                old_html = _span(left or "", DELETED)
                new_html = _span(right or "", INSERTED)
            cells.append(f"<tr style='{CHANGED_ROW}'><td>{old_html}</td><td>{new_html}</td></tr>")
        return (
            "<table width='100%' cellspacing='0' cellpadding='4' style='white-space:pre-wrap'>"
            f"<tr><th width='50%' align='left'>{html.escape(old_label)}</th>"
            f"<th width='50%' align='left'>{html.escape(new_label)}</th></tr>"
            + "".join(cells)
            + "</table>"
        )
    blocks = []
    for kind, left, right in rows:
        if kind == "skipped":
            blocks.append(f"<p align='center' style='{MUTED}'>{_skipped(left or '0')}</p>")
        elif kind == "same":
            blocks.append(f"<p>{html.escape(left or '')}</p>")
        else:
            blocks.append(f"<p style='{CHANGED_ROW}'>{_inline(left or '', right or '')}</p>")
    return "<div style='white-space:pre-wrap'>" + "".join(blocks) + "</div>"


def article_diff_html(
    old: Article, new: Article, old_label: str, new_label: str, *, side_by_side: bool = False
) -> str:
    """What changed between two versions of an article: the fields, then the body."""
    legend = (
        f"<p style='{MUTED}'>{_span('Struck through', DELETED)}: only in "
        f"{html.escape(old_label.lower())}. {_span('Green', INSERTED)}: only in "
        f"{html.escape(new_label.lower())}.</p>"
    )
    parts = [legend]
    changes = field_changes(old, new)
    if changes:
        rows = []
        for name, before, after in changes:
            old_html, new_html = word_diff(before, after)
            rows.append(
                f"<tr><td><b>{html.escape(name)}</b></td><td>{old_html or '—'}</td>"
                f"<td>{new_html or '—'}</td></tr>"
            )
        parts.append(
            "<h3>Details</h3><table width='100%' cellspacing='0' cellpadding='4'>"
            f"<tr><th align='left'>Field</th><th align='left'>{html.escape(old_label)}</th>"
            f"<th align='left'>{html.escape(new_label)}</th></tr>" + "".join(rows) + "</table>"
        )
    else:
        parts.append(f"<p style='{MUTED}'>Headline, details and links are the same.</p>")
    parts.append("<h3>Text</h3>")
    parts.append(
        text_diff_html(old.body, new.body, old_label, new_label, side_by_side=side_by_side)
    )
    return "".join(parts)
