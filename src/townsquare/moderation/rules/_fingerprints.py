"""Text fingerprints: when two posts say "the same thing".

A post's text is normalised (tracking parameters dropped from its links, Unicode NFKC,
case folded, whitespace collapsed) and reduced to a set of keys; two posts say the same
thing when their keys meet. The exact fingerprint is one key, the hash of the normalised
text. A near-duplicate matcher (MinHash with banded LSH) plugs in as another `Fingerprints`
function returning one key per band, and the `same_text` rules use it unchanged.
"""

import hashlib
import unicodedata
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["Fingerprints", "exact_fingerprints", "normalise_text", "without_tracking"]

Fingerprints = Callable[[str], frozenset[str]]
"""Normalised text → its keys. MUST be a pure function of the text."""

_TRACKING = frozenset(
    # Parameters that say who shared a link, not what it points to.
    {"fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid", "ref_src"}
)


def without_tracking(url: str) -> str:
    """`url` without its `utm_*` and click-id query parameters; other parameters kept."""
    try:
        parts = urlsplit(url)
    except ValueError:  # not a URL we can take apart: compare it as written
        return url
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not (key.lower().startswith("utm_") or key.lower() in _TRACKING)
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))


def normalise_text(text: str, urls: tuple[str, ...] = ()) -> str:
    """The text as fingerprints see it; `urls` are the links written in it."""
    for url in sorted(set(urls), key=len, reverse=True):  # a longer link may contain a shorter
        text = text.replace(url, without_tracking(url))
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(folded.split())


def exact_fingerprints(normalised: str) -> frozenset[str]:
    """One key: the sha256 (hex, first 32 digits) of the normalised text."""
    return frozenset({hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:32]})
