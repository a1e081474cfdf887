"""Mastodon paging: `limit`, `max_id`, `since_id`, `min_id` in; a `Link` header out.

Pages are chained only through the Link header (Mastodon docs, "Paginating through API
responses"): `rel="next"` carries `max_id` of the last item, `rel="prev"` `min_id` of the
first. The other query parameters are kept, so a filtered listing stays filtered.
"""

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response

from townsquare.api._fields import Fields
from townsquare.microblog import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page

__all__ = ["clamp_limit", "page_from", "paged_response"]

_CURSORS = frozenset({"max_id", "min_id", "since_id"})


def clamp_limit(
    fields: Fields, *, default: int = DEFAULT_PAGE_SIZE, most: int = MAX_PAGE_SIZE
) -> int:
    """`limit`, clamped into 1…`most` as Mastodon does."""
    limit = fields.integer("limit")
    if limit is None:
        return default
    return max(1, min(limit, most))


def page_from(fields: Fields) -> Page:
    return Page(
        limit=clamp_limit(fields),
        max_id=fields.identifier("max_id"),
        since_id=fields.identifier("since_id"),
        min_id=fields.identifier("min_id"),
    )


def paged_response(
    request: Request[Any, Any, Any], base_url: str, content: Sequence[Any], ids: Sequence[int]
) -> Response[Any]:
    """`content` (newest first, keyed by `ids`) with its Link header, if it is not empty."""
    if not ids:
        return Response(content=content)
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in _CURSORS]
    url = f"{base_url}{request.url.path}?"
    next_url = url + urlencode([*kept, ("max_id", str(ids[-1]))])
    prev_url = url + urlencode([*kept, ("min_id", str(ids[0]))])
    link = f'<{next_url}>; rel="next", <{prev_url}>; rel="prev"'
    return Response(content=content, headers={"Link": link})
