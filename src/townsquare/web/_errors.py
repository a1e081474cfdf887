"""Error pages: the status the API edge chose, explained in the visitor's language."""

from typing import Any

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
_SERVER_TROUBLE = N_("Something went wrong on our side")
_CLIENT_TROUBLE = N_("This request could not be completed")


def error_page(request: AnyRequest, status: int, message: str) -> Response[Any]:
    """An HTML page for an error with HTTP `status`, in the visitor's language."""
    visitor = visitor_without_database(request)
    fallback = _SERVER_TROUBLE if status >= 500 else _CLIENT_TROUBLE
    return page(
        visitor,
        "error.html",
        status_code=status,
        status=status,
        headline=visitor.gettext(_HEADLINES.get(status, fallback)),
        message=translate_error(message, visitor),
    )
