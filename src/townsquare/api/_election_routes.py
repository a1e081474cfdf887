"""Election windows (DESIGN.md, promise 5).

GET  /api/v1/townsquare/elections          public: every declared window, latest first
GET  /api/v1/townsquare/elections/<id>     public: a window and the decisions flagged with it
POST /api/v1/townsquare/elections          admins: declare a window (never edited after)

Who may declare is decided by `moderation.elections` (an admin); these handlers only
authenticate and translate.
"""

from typing import Any

from litestar import get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from townsquare.api._auth import require_user
from townsquare.api._fields import BODY, AnyRequest, Fields, path_id
from townsquare.microblog import Microblog
from townsquare.moderation import ElectionWindow, FlaggedDecision, Moderation, WindowDraft

__all__ = ["election_routes"]


@get("/api/v1/townsquare/elections", sync_to_thread=True)
def election_windows(moderation: NamedDependency[Moderation]) -> list[dict[str, Any]]:
    """Every election window declared, the latest to open first."""
    return [_window(window) for window in moderation.elections.all()]


@get("/api/v1/townsquare/elections/{window_id:str}", sync_to_thread=True)
def election_window(
    window_id: FromPath[str], moderation: NamedDependency[Moderation]
) -> dict[str, Any]:
    """A window and every decision taken under its two-person rule, newest first, each with
    its statement of reasons and ledger index (null until integrated)."""
    found = moderation.elections.get(path_id(window_id))
    flagged = moderation.elections.flagged_decisions(found.id)
    return {**_window(found), "decisions": [_flagged(decision) for decision in flagged]}


@post("/api/v1/townsquare/elections", dependencies=BODY, status_code=201, sync_to_thread=True)
def declare_election_window(
    request: AnyRequest,
    fields: NamedDependency[Fields],
    microblog: NamedDependency[Microblog],
    moderation: NamedDependency[Moderation],
) -> dict[str, Any]:
    """Declare a window: `name`, `starts_at` and `ends_at` (ISO 8601 with an offset; the
    start at least an hour ahead), `territories` (country codes) and `hashtags`."""
    admin = require_user(request, microblog, "write")
    draft = WindowDraft(
        name=fields.required_text("name", max_length=200),
        starts_at=fields.required_moment("starts_at"),
        ends_at=fields.required_moment("ends_at"),
        territories=tuple(fields.texts("territories", max_items=60)),
        hashtags=tuple(fields.texts("hashtags", max_items=20)),
    )
    return _window(moderation.elections.declare(draft, declared_by=admin))


def _window(window: ElectionWindow) -> dict[str, Any]:
    return {
        "id": str(window.id),
        "name": window.name,
        "starts_at": window.starts_at.isoformat(),
        "ends_at": window.ends_at.isoformat(),
        "territories": list(window.territories),
        "hashtags": list(window.hashtags),
        "declared_at": window.declared_at.isoformat(),
    }


def _flagged(decision: FlaggedDecision) -> dict[str, Any]:
    return {
        "action_id": str(decision.action_id),
        "ledger_index": decision.ledger_index,
        "statement": dict(decision.fields),
    }


election_routes = [election_windows, election_window, declare_election_window]
