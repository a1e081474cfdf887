"""OAuth scopes, Mastodon's way: `read`, `write`, `follow`, `push`, `profile` and the
granular `read:statuses`-style scopes they stand for. Pure functions, no I/O."""

from townsquare.api._errors import InvalidParameterError

__all__ = ["DEFAULT_SCOPES", "KNOWN_SCOPES", "covers", "covers_all", "parse_scopes"]

_READ = (
    "accounts",
    "blocks",
    "bookmarks",
    "favourites",
    "filters",
    "follows",
    "lists",
    "mutes",
    "notifications",
    "search",
    "statuses",
)
_WRITE = (
    "accounts",
    "blocks",
    "bookmarks",
    "conversations",
    "favourites",
    "filters",
    "follows",
    "lists",
    "media",
    "mutes",
    "notifications",
    "reports",
    "statuses",
)
# The legacy `follow` scope (Mastodon docs, "OAuth scopes"): relationships only.
_FOLLOW = frozenset(
    {"read:blocks", "read:follows", "read:mutes", "write:blocks", "write:follows", "write:mutes"}
)
KNOWN_SCOPES = frozenset(
    {"read", "write", "follow", "push", "profile"}
    | {f"read:{name}" for name in _READ}
    | {f"write:{name}" for name in _WRITE}
)
DEFAULT_SCOPES = frozenset({"read"})
_MAX_SCOPES_TEXT = 500


def parse_scopes(text: str | None, *, name: str = "scope") -> frozenset[str]:
    """The scopes in a space- (or `+`-) separated list; unknown ones are refused."""
    if text is None or not text.strip():
        return DEFAULT_SCOPES
    if len(text) > _MAX_SCOPES_TEXT:
        raise InvalidParameterError(f"{name} is too long.")
    scopes = frozenset(text.replace("+", " ").split())
    unknown = sorted(scopes - KNOWN_SCOPES)
    if unknown:
        raise InvalidParameterError(f"{name} names unknown scopes: {', '.join(unknown)}.")
    return scopes


def covers(granted: frozenset[str], required: str) -> bool:
    """True when `granted` includes `required` itself, its parent (`read` for
    `read:statuses`), or the legacy `follow` scope for relationship scopes."""
    if required in granted:
        return True
    parent = required.split(":", 1)[0]
    if parent != required and parent in granted:
        return True
    return "follow" in granted and required in _FOLLOW


def covers_all(granted: frozenset[str], requested: frozenset[str]) -> bool:
    return all(covers(granted, scope) for scope in requested)
