"""Filling templates: text from a template genre, a language and a random source."""

import re
from random import Random

from townsquare.demo._lexicon import WORDS
from townsquare.demo._templates import TEMPLATES, Genre

__all__ = ["LANGUAGES", "write"]

LANGUAGES = ("fr", "en")
_SLOT = re.compile(r"\{(\w+)\}")
_SPACES = re.compile(r"  +")
_SENTENCE_START = re.compile(r"([.!?] )(\w)")
# French contractions a filled slot can call for: "de les" → "des", "de escalade" → "d'escalade".
_FRENCH_CONTRACTIONS = (
    (re.compile(r"\b([dD])e les\b"), r"\1es"),
    (re.compile(r"\b([dD])e le\b"), r"\1u"),
    (re.compile(r"\b([àÀ]) les\b"), r"\1ux"),
    (re.compile(r"\b([àÀ]) le\b"), r"au"),
    (re.compile(r"\b([dD])e (?=[aeiouéèêâîôûAEIOUÉ])"), r"\1'"),
)


def write(rng: Random, language: str, genre: Genre, *, mention: str | None = None) -> str:
    """A text of `genre` in `language`, slots filled at random; `{mention}` becomes `@mention`."""
    template = rng.choice(TEMPLATES[language][genre])
    words = WORDS[language]

    def fill(match: re.Match[str]) -> str:
        slot = match.group(1)
        if slot == "mention":
            return f"@{mention}" if mention else ""
        return rng.choice(words[slot])

    text = _SPACES.sub(" ", _SLOT.sub(fill, template)).strip()
    if language == "fr":
        for pattern, replacement in _FRENCH_CONTRACTIONS:
            text = pattern.sub(replacement, text)
    text = _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)
    return text[:1].upper() + text[1:]
