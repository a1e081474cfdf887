"""Error pages: the status the API edge chose, explained in the visitor's language."""

from datetime import timedelta
from typing import Any

from babel.dates import format_timedelta
from litestar import Response

from townsquare.web._messages import N_, translate_error
from townsquare.web._templates import page
from townsquare.web._visitors import AnyRequest, visitor_without_database

__all__ = ["error_page"]

_HEADLINES = {
    400: N_("This request could not be understood"),
    401: N_("Please sign in"),
    403: N_("You may not do this"),
    404: N_("Page not found"),
    405: N_("This page cannot be used that way"),
    409: N_("This clashes with something that exists"),
    413: N_("This is too large"),
    422: N_("Some values need fixing"),
    429: N_("Too many requests; please wait a moment"),
}
_WAIT = N_("You have done this too many times in a short while. Please try again %(when)s.")
_SERVER_TROUBLE = N_("Something went wrong on our side")
_CLIENT_TROUBLE = N_("This request could not be completed")


def error_page(
    request: AnyRequest, status: int, message: str, *, retry_after: int | None = None
) -> Response[Any]:
    """An HTML page for an error with HTTP `status`, in the visitor's language. With
    `retry_after` (a rate limit, 429) it says when to try again, in words and in a
    `Retry-After` header (RFC 6585 §4)."""
    visitor = visitor_without_database(request)
    fallback = _SERVER_TROUBLE if status >= 500 else _CLIENT_TROUBLE
    if retry_after is None:
        explained = translate_error(message, visitor)
    else:
        wait = timedelta(seconds=retry_after)
        when = format_timedelta(wait, add_direction=True, locale=visitor.language)
        explained = visitor.gettext(_WAIT) % {"when": when}
    response = page(
        visitor,
        "error.html",
        status_code=status,
        status=status,
        headline=visitor.gettext(_HEADLINES.get(status, fallback)),
        message=explained,
    )
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response
