"""Translating the messages other layers put in their errors.

The microblog speaks English (its messages also reach API clients). The pages show those
messages in the visitor's language: fixed ones are catalog entries as they stand; the ones
with a value in them are recognised by pattern. A message not listed here is shown as raised.
"""

import re
from http import HTTPStatus

from townsquare.web._visitors import Visitor

__all__ = ["translate_error"]


def N_(message: str) -> str:  # noqa: N802  # the marker name gettext extractors know
    """Mark `message` for the catalog without translating it here."""
    return message


_FIXED = frozenset(
    {
        N_("A handle is 1 to 30 characters: letters a-z, digits and underscores."),
        N_("A handle must contain at least one letter."),
        N_("A password is 8 to 256 characters long."),
        N_("A display name is at most 50 characters."),
        N_("A bio is at most 500 characters."),
        N_("That handle is taken."),
        N_("That e-mail address is already registered."),
        N_("That handle or e-mail address is taken."),
        N_("Wrong handle, e-mail or password."),
        N_("A post needs some text or an image."),
        N_("A followers-only post cannot be reposted."),
        N_("A followers-only post cannot be quoted."),
        N_("Only its author can delete a post."),
        N_("To take back a repost, undo the repost."),
        N_("You cannot follow yourself."),
        N_("You cannot follow an account while a block stands."),
        # Raised by the API edge's error mapping and by Litestar's CSRF middleware.
        N_("Something went wrong on the server. The error has been logged."),
        N_("CSRF token verification failed"),
    }
)

_STATUS_PHRASES = frozenset(status.phrase for status in HTTPStatus)

_PATTERNS = (
    (re.compile(r"There is no page at (?P<path>.+)\."), N_("There is no page at %(path)s.")),
    (re.compile(r"No account is called @(?P<name>.+)\."), N_("No account is called @%(name)s.")),
    (re.compile(r"No account has id (?P<id>\d+)\."), N_("No account has id %(id)s.")),
    (re.compile(r"No post has id (?P<id>\d+)\."), N_("No post has id %(id)s.")),
    (
        re.compile(r"The handle (?P<handle>.+) is reserved\."),
        N_("The handle %(handle)s is reserved."),
    ),
    (
        re.compile(r"That handle looks like @(?P<handle>\w+), which is taken\."),
        N_("That handle looks like @%(handle)s, which is taken."),
    ),
    (
        re.compile(
            r"A display name cannot contain invisible or direction-changing characters "
            r"\((?P<found>[U+0-9A-F, ]+)\)\."
        ),
        N_("A display name cannot contain invisible or direction-changing characters (%(found)s)."),
    ),
    (
        re.compile(r"(?P<email>.+) is not an e-mail address\."),
        N_("%(email)s is not an e-mail address."),
    ),
    (
        re.compile(
            r"A post is at most (?P<max>\d+) characters \(content warning included\); "
            r"this one has (?P<count>\d+)\."
        ),
        N_(
            "A post is at most %(max)s characters (content warning included); "
            "this one has %(count)s."
        ),
    ),
    (
        re.compile(r"The post being replied to \((?P<id>\d+)\) does not exist\."),
        N_("The post being replied to (%(id)s) does not exist."),
    ),
    (
        re.compile(r"The post being quoted \((?P<id>\d+)\) does not exist\."),
        N_("The post being quoted (%(id)s) does not exist."),
    ),
    # A transparency report's period (townsquare.audits.parse_period).
    (
        re.compile(
            r"--(?P<name>from|to) (?P<text>.+): expected a date written YYYY-MM-DD, "
            r"such as 2026-01-01"
        ),
        N_("--%(name)s %(text)s: expected a date written YYYY-MM-DD, such as 2026-01-01"),
    ),
    (
        re.compile(r"--(?P<name>from|to) (?P<text>.+): expected a date from 2000-01-01 onwards"),
        N_("--%(name)s %(text)s: expected a date from 2000-01-01 onwards"),
    ),
    (
        re.compile(
            r"period (?P<start>\S+) → (?P<end>\S+): expected the --to date after the --from "
            r"date \(the period includes --from and excludes --to\)"
        ),
        N_(
            "period %(start)s → %(end)s: expected the --to date after the --from date "
            "(the period includes --from and excludes --to)"
        ),
    ),
    (
        re.compile(
            r"period (?P<start>\S+) → (?P<end>\S+): expected at most (?P<max>\d+) days, "
            r"found (?P<found>\d+)"
        ),
        N_("period %(start)s → %(end)s: expected at most %(max)s days, found %(found)s"),
    ),
)


def translate_error(message: str, visitor: Visitor) -> str:
    """`message` in the visitor's language when the catalog knows it, else unchanged."""
    if message in _STATUS_PHRASES:
        return ""  # "Not Found" says nothing the page's headline does not say already
    if message in _FIXED:
        return visitor.gettext(message)
    for pattern, template in _PATTERNS:
        found = pattern.fullmatch(message)
        if found:
            return visitor.gettext(template) % found.groupdict()
    return message
