"""Townsquare's own API (`/api/v1/townsquare/…`); errors here are RFC 9457 problem details."""

from litestar import get

__all__ = ["townsquare_routes"]


@get("/api/v1/townsquare/ping", sync_to_thread=False)
def ping() -> dict[str, bool]:
    """The cheapest answer the server can give (no database): a benchmark's ceiling."""
    return {"ok": True}


townsquare_routes = [ping]
