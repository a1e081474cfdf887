"""Look-alike handles and invisible characters (Unicode TR39, UAX #9, UAX #44).

`aIice` (a capital i) beside `alice`, or `rnod1` beside `mod1`, lets one member pass for
another. TR39 §4 defines a string's *skeleton*: two strings are confusable when their
skeletons are equal. `skeleton(X)` is the NFD of X with each code point replaced by its
prototype from Unicode's `confusables.txt` (MA table), normalized to NFD again. The table ships
in `unicode_data/confusables.txt` (see its README), so no compiled library is needed.

Handles are case-insensitive (`@Alice` is `@alice`) but shown as typed, and the TR39 data
is case-sensitive (`I` → `l`, but `i` is itself). `handle_skeleton` therefore takes the
skeleton as typed (so a capital I reads as the l it looks like), folds the case, and takes
the skeleton again (so `MOD1`, which `@mod1` names, still collides with `rnod1`).
"""

import unicodedata
from functools import cache
from importlib import resources

import regex

__all__ = ["handle_skeleton", "hidden_characters"]

# Never allowed: they reorder what follows (U+202E makes "gnp.exe" read "exe.png").
_BIDI_CONTROL = regex.compile(r"\p{Bidi_Control}")
# Invisible by definition (UAX #44): zero-width spaces and joiners, soft hyphens, fillers…
_IGNORABLE = regex.compile(r"\p{Default_Ignorable_Code_Point}")
# …but an emoji sequence is built from them: 👩‍💻 is 👩 U+200D 💻, ❤️ is ❤ U+FE0F.
_EMOJI_START = regex.compile(r"\p{Emoji}")
_GRAPHEME = regex.compile(r"\X")
_ZERO_WIDTH_JOINER = "\u200d"


def _decode(code_points: str) -> str:
    return "".join(chr(int(code_point, 16)) for code_point in code_points.split())


@cache
def _prototypes() -> dict[str, str]:
    """Each code point of the table → its prototype (already in NFD). Read once; never
    modified afterwards, so threads share it safely."""
    path = resources.files("townsquare.microblog") / "unicode_data" / "confusables.txt"
    data = path.read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in data.splitlines():
        if line and not line.startswith("#"):
            source, prototype, _ = line.split(";")
            table[_decode(source)] = _decode(prototype)
    return table


def _skeleton(text: str) -> str:
    """TR39 §4: `skeleton(X) = NFD(prototype of each code point of NFD(X))`."""
    prototypes = _prototypes()
    mapped = "".join(prototypes.get(char, char) for char in unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFD", mapped)


def handle_skeleton(handle: str) -> str:
    """The key two handles share when they look alike: `alice`, `Alice`, `aIice` and
    `a1ice` all give `alice`; `mod1`, `MOD1` and `rnod1` give `rnodl` (TR39 maps `m`
    to `rn`)."""
    return _skeleton(_skeleton(handle).casefold()).casefold()


def hidden_characters(text: str) -> list[str]:
    """The code points of `text` that are invisible or change the direction of what
    follows, as `U+202E`, in order; empty if there are none. The joiners and variation
    selectors inside an emoji sequence are part of what it shows, and are not listed."""
    found: list[str] = []
    for grapheme in _GRAPHEME.findall(text):
        in_emoji = bool(_EMOJI_START.match(grapheme)) and not grapheme.endswith(_ZERO_WIDTH_JOINER)
        for char in grapheme:
            if _BIDI_CONTROL.match(char) or (_IGNORABLE.match(char) and not in_emoji):
                found.append(f"U+{ord(char):04X}")
    return found
