"""Searching accounts, posts and hashtags."""

from typing import Any

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import FromQuery

from townsquare.microblog import Microblog, SearchResults
from townsquare.web._templates import page
from townsquare.web._visitors import Visitor

__all__ = ["search"]


@get("/search", sync_to_thread=True)
def search(
    visitor: NamedDependency[Visitor], microblog: NamedDependency[Microblog], q: FromQuery[str] = ""
) -> Response[Any]:
    viewer_id = visitor.account_id
    results = microblog.search.everything(viewer_id, q) if q.strip() else SearchResults()
    return page(visitor, "search.html", query=q, results=results)
