"""Text both databases can store: PostgreSQL refuses NUL, and no encoder takes lone surrogates.

Checked where text enters, so a bad character is a refusal a person can act on, not a 500.
"""

import re

__all__ = ["is_storable"]

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def is_storable(text: str) -> bool:
    return _UNSTORABLE.search(text) is None
