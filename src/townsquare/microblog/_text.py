"""Post text: length counting, entity extraction, safe HTML rendering, search folding."""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import MappingProxyType

import nh3
import regex

__all__ = [
    "MAX_POST_CHARACTERS",
    "ParsedText",
    "count_characters",
    "normalize_for_search",
    "parse_text",
    "render_html",
    "render_plain_html",
]

MAX_POST_CHARACTERS = 500

_LINK_REL = "nofollow noopener noreferrer"
_HASHTAG_CLASS = "mention hashtag"
_MENTION_CLASS = "u-url mention"
_DISPLAY_URL_MAX = 40

_GRAPHEME = regex.compile(r"\X")

# Characters that may never be part of a detected URL: whitespace, separators,
# control/format/unassigned code points, U+FFFD (stands for NUL, see below),
# and the HTML-significant < > " `.
_LINK_PATTERN = r"""
    (?P<link>(?<!\w)(?i:https?)://(?=[\p{L}\p{Nd}])[^\s\p{Z}\p{C}\ufffd<>"`]+)
"""
# A tag is a run of letters, marks (decomposed accents), decimal digits and '_'
# holding at least one letter; a run longer than 100 is no tag at all rather
# than a silently truncated one.
_HASHTAG_PATTERN = r"""
    (?<!\w)\#(?P<tag>(?=[\p{M}\p{Nd}_]*\p{L})[\p{L}\p{M}\p{Nd}_]{1,100})(?![\p{L}\p{M}\p{Nd}_])
"""
# Besides word characters, '.', '+', '-' (e-mail local parts) and '/' (paths)
# before '@' mean this is not a mention. An '@domain' suffix marks a remote
# account; it is matched so that its parts are not mistaken for anything else.
_MENTION_PATTERN = r"""
    (?<![\w.+\-/@])@(?P<user>[A-Za-z0-9_]{1,30})
    (?:@(?P<domain>\w[\w-]*(?:\.[\w-]+)*))?(?![\w@])
"""
_ENTITY = regex.compile(
    "|".join((_LINK_PATTERN, _HASHTAG_PATTERN, _MENTION_PATTERN)), regex.VERBOSE
)
_LINK_ONLY = regex.compile(_LINK_PATTERN, regex.VERBOSE)

_SCHEME = regex.compile(r"^(?i:https?)://")
_PARAGRAPH_BREAK = regex.compile(r"\n(?:[^\S\n]*\n)+")
# NUL is dropped by HTML parsers and lone surrogates cannot be encoded at all,
# so both become U+FFFD before anything else looks at the text.
_UNREPRESENTABLE = regex.compile("[\x00\ud800-\udfff]")

_TRAILING_PUNCTUATION = frozenset(".,;:!?'*…»”’")
_OPENER_FOR = MappingProxyType({")": "(", "]": "[", "}": "{"})

_POST_SANITIZER = nh3.Cleaner(
    tags={"p", "br", "a", "span"},
    # "*" replaces ammonia's default generic attributes (lang, title).
    attributes={"a": {"href"}, "*": set()},
    tag_attribute_values={
        "a": {
            "class": {_HASHTAG_CLASS, _MENTION_CLASS},
            "rel": {"tag", _LINK_REL},
            "target": {"_blank"},
        }
    },
    # We write rel ourselves; a non-None link_rel would overwrite it.
    link_rel=None,
    url_schemes={"http", "https"},
)
_PLAIN_SANITIZER = nh3.Cleaner(
    tags={"br", "a"},
    attributes={"a": {"href"}, "*": set()},
    tag_attribute_values={"a": {"rel": {_LINK_REL}, "target": {"_blank"}}},
    link_rel=None,
    url_schemes={"http", "https"},
)
# Decides whether the sanitizer would keep a URL as href (it drops URLs its
# parser rejects, e.g. a bad port), so such text is never half-linked.
_HREF_PROBE = nh3.Cleaner(
    tags={"a"},
    attributes={"a": {"href"}, "*": set()},
    link_rel=None,
    url_schemes={"http", "https"},
)


def count_characters(text: str) -> int:
    """Length as users see it: extended grapheme clusters."""
    return sum(1 for _ in _GRAPHEME.finditer(text))


@dataclass(frozen=True)
class ParsedText:
    """Entities found in a post, each unique and in order of first appearance."""

    hashtags: tuple[str, ...]
    mentions: tuple[str, ...]
    links: tuple[str, ...]


@dataclass(frozen=True)
class _Text:
    written: str


@dataclass(frozen=True)
class _Link:
    written: str


@dataclass(frozen=True)
class _Hashtag:
    written: str
    tag: str


@dataclass(frozen=True)
class _Mention:
    written: str
    username: str


_Token = _Text | _Link | _Hashtag | _Mention


def _prepare(text: str) -> str:
    newlines = text.replace("\r\n", "\n").replace("\r", "\n")
    prepared: str = _UNREPRESENTABLE.sub("\ufffd", newlines)
    return prepared


def _normalize_tag(written: str) -> str:
    # NFC so a tag typed with a combining accent equals its precomposed twin.
    return unicodedata.normalize("NFC", written.casefold())


def _trim_link(candidate: str) -> tuple[str, str]:
    """Split trailing punctuation (and unbalanced closers) off a URL candidate."""
    end = len(candidate)
    while end:
        last = candidate[end - 1]
        opener = _OPENER_FOR.get(last)
        if last in _TRAILING_PUNCTUATION or (
            opener is not None and candidate.count(last, 0, end) > candidate.count(opener, 0, end)
        ):
            end -= 1
        else:
            break
    return candidate[:end], candidate[end:]


def _is_linkable(url: str) -> bool:
    probe = _HREF_PROBE.clean(f'<a href="{html.escape(url)}"></a>')
    return "href=" in probe


def _tokenize(text: str, pattern: regex.Pattern[str]) -> Iterator[_Token]:
    position = 0
    for match in pattern.finditer(text):
        if match.start() > position:
            yield _Text(text[position : match.start()])
        position = match.end()
        candidate: str | None = match.group("link")
        if candidate is not None:
            url, tail = _trim_link(candidate)
            yield _Link(url) if _is_linkable(url) else _Text(url)
            if tail:
                yield _Text(tail)
            continue
        tag: str | None = match.groupdict().get("tag")
        if tag is not None:
            yield _Hashtag(tag, _normalize_tag(tag))
            continue
        whole: str = match.group(0)
        user: str = match.group("user")
        yield _Text(whole) if match.group("domain") is not None else _Mention(user, user.lower())
    if position < len(text):
        yield _Text(text[position:])


def _unique(items: Iterator[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def parse_text(text: str) -> ParsedText:
    """Extract hashtags, local mentions and http(s) links."""
    tokens = tuple(_tokenize(_prepare(text), _ENTITY))
    return ParsedText(
        hashtags=_unique(t.tag for t in tokens if isinstance(t, _Hashtag)),
        mentions=_unique(t.username for t in tokens if isinstance(t, _Mention)),
        links=_unique(t.written for t in tokens if isinstance(t, _Link)),
    )


def _display_url(url: str) -> str:
    without_scheme: str = _SCHEME.sub("", url, count=1)
    # Cut on grapheme boundaries so an accent or emoji is never split.
    graphemes: list[str] = _GRAPHEME.findall(without_scheme)
    if len(graphemes) <= _DISPLAY_URL_MAX:
        return without_scheme
    return "".join(graphemes[: _DISPLAY_URL_MAX - 1]) + "…"


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def _link_html(url: str) -> str:
    return (
        f'<a href="{_escape(url)}" rel="{_LINK_REL}" target="_blank">'
        f"{_escape(_display_url(url))}</a>"
    )


def _token_html(
    token: _Token,
    mention_url: Callable[[str], str | None],
    tag_url: Callable[[str], str],
) -> str:
    match token:
        case _Link(url):
            return _link_html(url)
        case _Hashtag(written, tag):
            return (
                f'<a href="{_escape(tag_url(tag))}" class="{_HASHTAG_CLASS}" rel="tag">'
                f"#<span>{_escape(written)}</span></a>"
            )
        case _Mention(written, username):
            href = mention_url(username)
            if not href:
                return _escape("@" + written)
            return (
                f'<a href="{_escape(href)}" class="{_MENTION_CLASS}">'
                f"@<span>{_escape(written)}</span></a>"
            )
        case _Text(written):
            return _escape(written)


def render_html(
    text: str,
    *,
    mention_url: Callable[[str], str | None],
    tag_url: Callable[[str], str],
) -> str:
    """Render a post as sanitized HTML paragraphs with links, hashtags and mentions."""
    paragraphs = (p.strip() for p in _PARAGRAPH_BREAK.split(_prepare(text)))
    rendered = "".join(
        "<p>"
        + "<br>".join(
            "".join(_token_html(t, mention_url, tag_url) for t in _tokenize(line, _ENTITY))
            for line in paragraph.split("\n")
        )
        + "</p>"
        for paragraph in paragraphs
        if paragraph
    )
    return _POST_SANITIZER.clean(rendered)


def render_plain_html(text: str) -> str:
    """Render a bio or display name: escaped, <br> line breaks, links only."""
    rendered = "<br>".join(
        "".join(
            _link_html(t.written) if isinstance(t, _Link) else _escape(t.written)
            for t in _tokenize(line, _LINK_ONLY)
        )
        for line in _prepare(text).strip().split("\n")
    )
    return _PLAIN_SANITIZER.clean(rendered)


def _is_mark(char: str) -> bool:
    return unicodedata.combining(char) != 0 or unicodedata.category(char) in ("Mn", "Me")


def normalize_for_search(text: str) -> str:
    """Fold case, compatibility forms and accents; collapse whitespace."""
    # Unicode's compatibility caseless match (D146); the double fold is what
    # makes the result stable under a second application.
    folded = unicodedata.normalize("NFD", text).casefold()
    folded = unicodedata.normalize("NFKD", folded).casefold()
    folded = unicodedata.normalize("NFKD", folded)
    # Dropping every non-starter leaves only starters, so no reordering can
    # happen on a second pass either.
    return " ".join("".join(c for c in folded if not _is_mark(c)).split())
