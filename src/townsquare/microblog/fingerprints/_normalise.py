"""The text two copies are compared on: what survives the edits a copier makes for free.

(1) Unicode NFKC, so compatibility forms (full-width letters, ligatures, styled maths
    letters) read as the letters they stand for; (2) case folding; (3) each URL replaced by
    its host, so a copy with a different tracking path or query still matches while a link
    to another site does not; (4) each @mention replaced by a bare `@`, since copies are
    often the same text aimed at different people; (5) every run of anything that is not a
    letter, a mark or a digit becomes one space, so punctuation and spacing do not count.
"""

import unicodedata

import regex

__all__ = ["normalise"]

_URL = regex.compile(r"(?i:https?)://(?P<host>[^\s/?#]+)[^\s]*")
_MENTION = regex.compile(r"(?<![\w.+\-/@])@[A-Za-z0-9_]{1,30}(?:@\w[\w-]*(?:\.[\w-]+)*)?")
_NOT_WORD = regex.compile(r"[^\p{L}\p{M}\p{Nd}@.]+")
_DANGLING_DOT = regex.compile(r"(?<![\p{L}\p{Nd}])\.|\.(?![\p{L}\p{Nd}])")


def normalise(text: str) -> str:
    """The comparable form of a post's text (pure; see the module's steps)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    hosts = _URL.sub(lambda found: f" {found.group('host').removeprefix('www.')} ", folded)
    unnamed = _MENTION.sub(" @ ", hosts)
    # Dots survive only inside a host or a number ("example.com", "3.5").
    words = _NOT_WORD.sub(" ", _DANGLING_DOT.sub(" ", unnamed))
    return " ".join(words.split())
