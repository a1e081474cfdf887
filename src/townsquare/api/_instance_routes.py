"""Instance metadata: `/api/v1/instance`, `/api/v2/instance` and the OAuth server document.

Mastodon.py reads the version from here (it keeps the text before the first space), so we
answer as a Mastodon 4.3.0-compatible server and name ourselves in parentheses.
"""

from typing import Any

import msgspec
from litestar import get
from litestar.di import NamedDependency

from townsquare import __version__
from townsquare.api._auth import require_user
from townsquare.api._fields import AnyRequest
from townsquare.api._scopes import KNOWN_SCOPES
from townsquare.api._streaming_routes import streaming_url
from townsquare.microblog import (
    ACCEPTED_TYPES,
    MAX_ATTACHMENTS,
    MAX_DESCRIPTION,
    MAX_PINNED,
    MAX_POLL_OPTION_CHARACTERS,
    MAX_POLL_OPTIONS,
    MAX_POST_CHARACTERS,
    POLL_DURATION,
    Microblog,
)
from townsquare.moderation import PolicySet
from townsquare.settings import Settings

__all__ = ["instance_routes"]

MASTODON_VERSION = f"4.3.0 (compatible; Townsquare {__version__})"


def _media_configuration(settings: Settings) -> dict[str, Any]:
    """Mastodon 4.x's media limits: images only, by bytes and by pixels (`image_matrix_limit`);
    no video yet (a limit of 0)."""
    return {
        "supported_mime_types": list(ACCEPTED_TYPES),
        "image_size_limit": settings.media.max_bytes,
        "image_matrix_limit": settings.media.max_pixels,
        "video_size_limit": 0,
        "video_frame_rate_limit": 0,
        "video_matrix_limit": 0,
        "description_limit": MAX_DESCRIPTION,
        "townsquare_description_required": settings.media.require_description,
    }


def _statuses_configuration() -> dict[str, int]:
    return {
        "max_characters": MAX_POST_CHARACTERS,
        "max_media_attachments": MAX_ATTACHMENTS,
        "characters_reserved_per_url": 23,
    }


def _polls_configuration() -> dict[str, int]:
    shortest, longest = (int(d.total_seconds()) for d in POLL_DURATION)
    return {
        "max_options": MAX_POLL_OPTIONS,
        "max_characters_per_option": MAX_POLL_OPTION_CHARACTERS,
        "min_expiration": shortest,
        "max_expiration": longest,
    }


class RuleEntity(msgspec.Struct, kw_only=True):
    """A server rule, as Mastodon lists them at sign-up: here, one per policy (its title and
    summary), in English with the French in `translations`."""

    id: str
    text: str
    hint: str
    translations: dict[str, dict[str, str]]


def _rules(policies: PolicySet) -> list[RuleEntity]:
    return [
        RuleEntity(
            id=policy.id,
            text=policy.title_in("en"),
            hint=policy.summary_in("en"),
            translations={
                language: {"text": policy.title_in(language), "hint": policy.summary_in(language)}
                for language in sorted(policy.title)
                if language != "en"
            },
        )
        for policy in (policies.policies[id] for id in sorted(policies.policies))
    ]


def _registrations(settings: Settings) -> dict[str, Any]:
    return {"enabled": settings.registrations_open, "approval_required": False, "message": None}


@get("/api/v1/instance", sync_to_thread=True)  # Litestar also matches the trailing slash
def instance_v1(
    microblog: NamedDependency[Microblog],
    settings: NamedDependency[Settings],
    policies: NamedDependency[PolicySet],
) -> dict[str, Any]:
    """The server's description, Mastodon API v1 shape."""
    return {
        "uri": settings.domain,
        "title": settings.instance_title,
        "short_description": settings.instance_description,
        "description": settings.instance_description,
        "email": settings.contact_email,
        "version": MASTODON_VERSION,
        "urls": {"streaming_api": streaming_url(settings.base_url)},
        "stats": {
            "user_count": microblog.accounts.count(),
            "status_count": microblog.posts.count(),
            "domain_count": 0,
        },
        "thumbnail": None,
        "languages": list(settings.languages),
        "registrations": settings.registrations_open,
        "approval_required": False,
        "invites_enabled": False,
        "configuration": {
            "statuses": _statuses_configuration(),
            "media_attachments": _media_configuration(settings),
            "polls": _polls_configuration(),
        },
        "contact_account": None,
        "rules": _rules(policies),
    }


@get("/api/v2/instance", sync_to_thread=True)
def instance_v2(
    microblog: NamedDependency[Microblog],
    settings: NamedDependency[Settings],
    policies: NamedDependency[PolicySet],
) -> dict[str, Any]:
    """The server's description, Mastodon API v2 shape."""
    return {
        "domain": settings.domain,
        "title": settings.instance_title,
        "version": MASTODON_VERSION,
        "source_url": "https://github.com/townsquare/townsquare",
        "description": settings.instance_description,
        "usage": {"users": {"active_month": microblog.accounts.count()}},
        "thumbnail": {"url": f"{settings.base_url}/static/avatar.png"},
        "languages": list(settings.languages),
        "configuration": {
            "urls": {"streaming": streaming_url(settings.base_url)},
            "accounts": {"max_featured_tags": 0, "max_pinned_statuses": MAX_PINNED},
            "statuses": _statuses_configuration(),
            "media_attachments": _media_configuration(settings),
            "polls": _polls_configuration(),
            "translation": {"enabled": False},
        },
        "registrations": _registrations(settings),
        "api_versions": {"mastodon": 2},
        "contact": {"email": settings.contact_email, "account": None},
        "rules": _rules(policies),
    }


@get("/api/v1/instance/rules", sync_to_thread=False)
def instance_rules(policies: NamedDependency[PolicySet]) -> list[RuleEntity]:
    """The server's rules: one per policy (the full clauses are at
    `/api/v1/townsquare/policies`)."""
    return _rules(policies)


@get("/api/v1/custom_emojis", sync_to_thread=False)
def custom_emojis() -> list[Any]:
    """This server defines no custom emoji."""
    return []


@get("/api/v1/announcements", sync_to_thread=True)
def announcements(request: AnyRequest, microblog: NamedDependency[Microblog]) -> list[Any]:
    """Announcements from the server's staff: none (the server's news is its ledger)."""
    require_user(request, microblog, "read")
    return []


@get("/api/v1/preferences", sync_to_thread=True)
def preferences(request: AnyRequest, microblog: NamedDependency[Microblog]) -> dict[str, Any]:
    """The signed-in user's posting and reading defaults, as Mastodon names them."""
    account = microblog.accounts.get(require_user(request, microblog, "read:accounts"))
    return {
        "posting:default:visibility": "public",
        "posting:default:sensitive": False,
        "posting:default:language": account.locale or None,
        "reading:expand:media": "default",
        "reading:expand:spoilers": False,
    }


@get("/.well-known/oauth-authorization-server", sync_to_thread=False)
def oauth_server_metadata(settings: NamedDependency[Settings]) -> dict[str, Any]:
    """RFC 8414 metadata. The password grant is listed: Mastodon.py refuses it otherwise."""
    base = settings.base_url
    return {
        "issuer": f"{base}/",
        "authorization_endpoint": f"{base}/oauth/authorize",
        "token_endpoint": f"{base}/oauth/token",
        "revocation_endpoint": f"{base}/oauth/revoke",
        "app_registration_endpoint": f"{base}/api/v1/apps",
        "scopes_supported": sorted(KNOWN_SCOPES),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "password", "client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_post"],
        "service_documentation": "https://docs.joinmastodon.org/",
    }


instance_routes = [
    instance_v1,
    instance_v2,
    instance_rules,
    custom_emojis,
    announcements,
    preferences,
    oauth_server_metadata,
]
