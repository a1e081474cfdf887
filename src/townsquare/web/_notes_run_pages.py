"""The moderators' page of scoring runs held by the drift guard: release or discard each.

Who may review is `ScoringRuns`'s call (a moderator or an admin, else a 403 page); the
pages only ask.
"""

from typing import Any

from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect

from townsquare.notes import ScoringRuns
from townsquare.web._templates import page
from townsquare.web._visitors import AnyRequest, Visitor, sign_in_first

__all__ = ["discard_held_run", "held_runs_page", "release_held_run"]

_PAGE = "/moderation/notes/runs"


@get(_PAGE, sync_to_thread=True)
def held_runs_page(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    scoring_runs: NamedDependency[ScoringRuns],
) -> Response[Any]:
    """The runs waiting for review, oldest first, each with what it would change."""
    if visitor.account is None:
        return sign_in_first(request, _PAGE)
    runs = scoring_runs.held_for(visitor.account.id)
    return page(visitor, "held_runs.html", runs=runs)


@post(_PAGE + "/{run_id:int}/release", sync_to_thread=True)
def release_held_run(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    scoring_runs: NamedDependency[ScoringRuns],
    run_id: FromPath[int],
) -> Response[Any]:
    """Apply the run's changes through the enforcement path (logged), then list the rest."""
    if visitor.account is None:
        return sign_in_first(request, _PAGE)
    scoring_runs.release(run_id, visitor.account.id)
    return Redirect(_PAGE, status_code=303)


@post(_PAGE + "/{run_id:int}/discard", sync_to_thread=True)
def discard_held_run(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    scoring_runs: NamedDependency[ScoringRuns],
    run_id: FromPath[int],
) -> Response[Any]:
    """Drop the run (logged), then list the rest."""
    if visitor.account is None:
        return sign_in_first(request, _PAGE)
    scoring_runs.discard(run_id, visitor.account.id)
    return Redirect(_PAGE, status_code=303)
