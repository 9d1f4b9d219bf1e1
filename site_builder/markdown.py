"""Markdown → HTML for the INDEX.md prose and Markdown articles.

CommonMark plus tables and strikethrough, with raw HTML disabled so that whatever the
author typed is shown as text, never run. Links are limited to http, https, mailto and
relative URLs; local links to other articles are rewritten to their pages. Code fences
are highlighted with Pygments; headings get ASCII ids for deep links.
(Pygments has no type hints of its own; the ignores below are harmless with types-Pygments.)
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from pygments import highlight  # type: ignore[import-untyped,unused-ignore]
from pygments.formatters import HtmlFormatter  # type: ignore[import-untyped,unused-ignore]
from pygments.lexers import get_lexer_by_name  # type: ignore[import-untyped,unused-ignore]
from pygments.util import ClassNotFound  # type: ignore[import-untyped,unused-ignore]

__all__ = ["ProseParts", "is_safe_url", "render_markdown", "split_prose"]

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
# Browsers ignore ASCII whitespace and control characters inside a scheme
# ("java\tscript:"), so they are removed before the scheme is read.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")
_MAX_HEADING_LEVEL = 6


def is_safe_url(url: str) -> bool:
    """True for http(s), mailto and relative URLs; False for javascript:, data:, etc."""
    compact = _IGNORED_IN_SCHEME.sub("", unquote(url)).lower()
    match = _SCHEME.match(compact)
    if match is None:
        return True  # relative URL, fragment or protocol-relative (//host/…)
    return match.group(1) in ALLOWED_SCHEMES


def _highlight_fence(token: Token) -> str:
    """A fenced code block: Pygments HTML for a known language, escaped text otherwise."""
    info = token.info.strip()
    lang = info.split(maxsplit=1)[0] if info else ""
    if lang:
        try:
            lexer = get_lexer_by_name(lang)
        except ClassNotFound:
            lexer = None
        if lexer is not None:
            formatter = HtmlFormatter(cssclass="highlight", nowrap=False)
            return str(highlight(token.content, lexer, formatter))
    return f"<pre><code>{escapeHtml(token.content)}</code></pre>\n"


def _render_fence(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return _highlight_fence(tokens[idx])


def _new_parser() -> MarkdownIt:
    # One parser per call: the object holds rules and options, and keeping it out of
    # module state keeps the module free of mutable globals.
    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    md.validateLink = is_safe_url  # type: ignore[method-assign]
    md.add_render_rule("fence", _render_fence)
    return md


def _heading_anchor(text: str, number: int) -> str:
    # Imported here: sitemodel imports this module, and slugify lives there.
    from .sitemodel import slugify

    return slugify(text, fallback=f"section-{number}")


def _rewrite_href(href: str, link_map: Mapping[str, str], base_path: str) -> str:
    """The page URL for a link to a local article source, else the href unchanged."""
    if _SCHEME.match(href.lower()) or href.startswith(("/", "#")):
        return href
    target, hash_mark, fragment = href.partition("#")
    target = target.split("?", 1)[0]
    if not target:
        return href
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(base_path), unquote(target)))
    page_url = link_map.get(resolved)
    if page_url is None:
        return href
    return f"{page_url}{hash_mark}{fragment}"


def _walk_inline(tokens: Sequence[Token]) -> list[Token]:
    found: list[Token] = []
    for token in tokens:
        found.append(token)
        if token.children:
            found.extend(_walk_inline(token.children))
    return found


def render_markdown(
    text: str,
    *,
    link_map: Mapping[str, str] | None = None,
    base_path: str = "",
    top_heading_level: int = 1,
) -> str:
    """Render Markdown to safe HTML.

    link_map: article source path (POSIX, relative to the content folder) → URL of its page,
    relative to the page the HTML goes on. Links are resolved against the folder of
    `base_path` (the Markdown file's own path) before lookup.
    top_heading_level: headings are shifted down (capped at h6) so that the highest one is
    at least this level, e.g. 2 for Markdown that sits under the page's own <h1>.
    """
    md = _new_parser()
    env: EnvType = {}
    tokens = md.parse(text, env)
    levels = [int(t.tag[1:]) for t in tokens if t.type == "heading_open"]
    heading_offset = max(0, top_heading_level - min(levels)) if levels else 0
    used_ids: set[str] = set()
    heading_number = 0
    for index, token in enumerate(tokens):
        if token.type in ("heading_open", "heading_close") and heading_offset:
            level = min(int(token.tag[1:]) + heading_offset, _MAX_HEADING_LEVEL)
            token.tag = f"h{level}"
        if token.type == "heading_open":
            heading_number += 1
            inline = tokens[index + 1]
            anchor = base = _heading_anchor(inline.content, heading_number)
            suffix = 1
            while anchor in used_ids:
                suffix += 1
                anchor = f"{base}-{suffix}"
            used_ids.add(anchor)
            token.attrSet("id", anchor)
    if link_map:
        for token in _walk_inline(tokens):
            if token.type == "link_open":
                href = token.attrGet("href")
                if isinstance(href, str):
                    token.attrSet("href", _rewrite_href(href, link_map, base_path))
    return str(md.renderer.render(tokens, md.options, env))


@dataclass(frozen=True, slots=True)
class ProseParts:
    """INDEX.md prose split for the home page."""

    title: str | None  # text of a level-1 heading that opens the prose
    body: str  # the Markdown between that heading and a trailing empty heading
    list_heading: str | None  # a heading left with nothing under it at the end


def split_prose(text: str) -> ProseParts:
    """Take out an opening `# Title` and a trailing heading with nothing under it.

    The opening heading duplicates the page's <h1>; the trailing one introduced the
    article list that the manifest took out of the prose, so it titles the article cards.
    """
    tokens = _new_parser().parse(text, {})
    blocks = [t for t in tokens if t.level == 0 and t.map is not None]
    lines = text.splitlines(keepends=True)
    start, end = 0, len(lines)
    title: str | None = None
    list_heading: str | None = None
    if blocks and blocks[0].type == "heading_open" and blocks[0].tag == "h1" and blocks[0].map:
        title = tokens[tokens.index(blocks[0]) + 1].content.strip() or None
        start = blocks[0].map[1]
    if len(blocks) > 1 or (blocks and title is None):
        last = blocks[-1]
        if last.type == "heading_open" and last.map and last.map[0] >= start:
            list_heading = tokens[tokens.index(last) + 1].content.strip() or None
            end = last.map[0]
    body = "".join(lines[start:end]).strip("\n") + "\n"
    return ProseParts(title=title, body=body, list_heading=list_heading)
