"""Layer 6: the JSON API edge — the Mastodon client API, OAuth, and Townsquare's own routes.

This is the one place errors become HTTP statuses (`status_and_message`); the web edge uses
the same mapping for its pages.
"""

from townsquare.api._cors import allow_cross_origin
from townsquare.api._fields import reject_integers_out_of_range
from townsquare.api._media_routes import media_upload_router
from townsquare.api._problems import (
    error_response,
    is_api_path,
    logged_status_and_message,
    status_and_message,
)
from townsquare.api._router import api_router, openapi_config

__all__ = [
    "allow_cross_origin",
    "api_router",
    "error_response",
    "is_api_path",
    "logged_status_and_message",
    "media_upload_router",
    "openapi_config",
    "reject_integers_out_of_range",
    "status_and_message",
]
