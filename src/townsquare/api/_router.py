"""All API routes in one Litestar router, and the OpenAPI document describing them."""

from litestar import Router
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin

from townsquare import __version__
from townsquare.api._account_routes import account_routes
from townsquare.api._appeal_routes import appeal_routes
from townsquare.api._conversation_routes import conversation_routes
from townsquare.api._election_routes import election_routes
from townsquare.api._filter_routes import filter_routes
from townsquare.api._instance_routes import instance_routes
from townsquare.api._ledger_routes import ledger_routes
from townsquare.api._list_routes import list_routes
from townsquare.api._marker_routes import marker_routes
from townsquare.api._media_routes import media_routes
from townsquare.api._moderation_routes import moderation_routes
from townsquare.api._note_routes import note_routes
from townsquare.api._notes_run_routes import notes_run_routes
from townsquare.api._oauth_routes import oauth_routes
from townsquare.api._policy_routes import policy_routes
from townsquare.api._poll_routes import poll_routes
from townsquare.api._reading_routes import reading_routes
from townsquare.api._report_routes import report_routes
from townsquare.api._request_routes import request_routes
from townsquare.api._rule_routes import rule_routes
from townsquare.api._scheduled_routes import scheduled_routes
from townsquare.api._status_routes import status_routes
from townsquare.api._streaming_routes import streaming_routes
from townsquare.api._townsquare_routes import townsquare_routes
from townsquare.settings import Settings

__all__ = ["api_router", "openapi_config"]


def api_router() -> Router:
    """Every API route. Bearer-token routes need no CSRF token (a cross-site page cannot
    set `Authorization`), and the consent form asks for the password itself, so the whole
    router is excluded from CSRF checks."""
    return Router(
        path="/",
        route_handlers=[
            *instance_routes,
            *oauth_routes,
            *account_routes,
            *status_routes,
            *scheduled_routes,
            *poll_routes,
            *conversation_routes,
            *media_routes,
            *reading_routes,
            *marker_routes,
            *list_routes,
            *filter_routes,
            *townsquare_routes,
            *policy_routes,
            *rule_routes,
            *ledger_routes,
            *moderation_routes,
            *notes_run_routes,
            *appeal_routes,
            *report_routes,
            *election_routes,
            *request_routes,
            *note_routes,
            *streaming_routes,
        ],
        opt={"exclude_from_csrf": True},
        tags=["api"],
    )


def openapi_config(settings: Settings) -> OpenAPIConfig:
    """The schema, served as JSON at `/api/openapi.json`."""
    return OpenAPIConfig(
        title="Townsquare",
        version=__version__,
        description=settings.instance_description,
        path="/api",
        render_plugins=[JsonRenderPlugin(path="/openapi.json")],
    )
