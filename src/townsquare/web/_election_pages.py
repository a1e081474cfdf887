"""Election windows in public: the list (with the declaration form for admins) and a
window's page with every decision taken under its two-person rule, as soon as it is taken,
and the community notes written on election-related posts while the window is open.

Who may declare is the service's call (`moderation.elections`: an admin); the form only asks.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect

from townsquare.ledger import decode_entry
from townsquare.microblog import Role
from townsquare.moderation import (
    ElectionWindow,
    InvalidWindowError,
    Moderation,
    WindowDraft,
)
from townsquare.notes import Notes
from townsquare.web._forms import FormData
from townsquare.web._moderation_public_pages import shown_decision
from townsquare.web._note_words import NOTE_WORDS
from townsquare.web._templates import page
from townsquare.web._visitors import AnyRequest, Visitor, sign_in_first

__all__ = ["declare_election", "election_page", "elections_page"]


@dataclass(frozen=True)
class ShownWindow:
    window: ElectionWindow
    is_open: bool


def _shown(window: ElectionWindow, moderation: Moderation) -> ShownWindow:
    return ShownWindow(window, moderation.elections.is_open(window))


def _is_admin(visitor: Visitor) -> bool:
    return visitor.account is not None and visitor.account.role == Role.ADMIN


def _list_page(
    visitor: Visitor,
    moderation: Moderation,
    *,
    values: dict[str, str] | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response[Any]:
    return page(
        visitor,
        "elections.html",
        status_code=status_code,
        windows=[_shown(window, moderation) for window in moderation.elections.all()],
        may_declare=_is_admin(visitor),
        values=values or {},
        error=error,
    )


@get("/elections", sync_to_thread=True)
def elections_page(
    visitor: NamedDependency[Visitor], moderation: NamedDependency[Moderation]
) -> Response[Any]:
    """Every election window; admins also see the form that declares one."""
    return _list_page(visitor, moderation)


def _moment(raw: str, field: str) -> datetime:
    """A `datetime-local` field, read as UTC (the form says so)."""
    try:
        return datetime.fromisoformat(raw.strip()).replace(tzinfo=UTC)
    except ValueError:
        raise InvalidWindowError(f"{field}: expected a date and time") from None


def _draft(data: dict[str, str]) -> WindowDraft:
    return WindowDraft(
        name=data.get("name", ""),
        starts_at=_moment(data.get("starts_at", ""), "starts_at"),
        ends_at=_moment(data.get("ends_at", ""), "ends_at"),
        territories=tuple(data.get("territories", "").replace(";", ",").split(",")),
        hashtags=tuple(data.get("hashtags", "").replace(",", " ").split()),
    )


@post("/elections", sync_to_thread=True)
def declare_election(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    moderation: NamedDependency[Moderation],
    data: FormData,
) -> Response[Any]:
    """Declare a window (admins; the service refuses anyone else), then show it."""
    if visitor.account is None:
        return sign_in_first(request, "/elections")
    try:
        declared = moderation.elections.declare(_draft(data), declared_by=visitor.account.id)
    except InvalidWindowError as refused:
        return _list_page(visitor, moderation, values=data, error=str(refused), status_code=422)
    return Redirect(f"/elections/{declared.id}", status_code=303)


@get("/elections/{window_id:int}", sync_to_thread=True)
def election_page(
    visitor: NamedDependency[Visitor],
    moderation: NamedDependency[Moderation],
    notes: NamedDependency[Notes],
    window_id: FromPath[int],
) -> Response[Any]:
    """A window, its rule, every decision flagged with it (newest first), and the notes on
    election-related posts (the window's hashtags) written while it was open."""
    window = moderation.elections.get(window_id)
    flagged = moderation.elections.flagged_decisions(window.id)
    written = (window.starts_at, window.ends_at)
    return page(
        visitor,
        "election.html",
        shown=_shown(window, moderation),
        decisions=[shown_decision(d.ledger_index, decode_entry(d.entry), visitor) for d in flagged],
        notes=notes.on_tagged_posts(visitor.account_id, window.hashtags, written=written),
        words=NOTE_WORDS,
    )
