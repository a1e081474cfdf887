"""Community notes' scoring runs and the notes shown, over the API.

GET  /api/v1/townsquare/notes/shown                   public: every note shown now, as the
                                                      projection holds it (`ledger verify`
                                                      compares it with the ledger's replay)
GET  /api/v1/townsquare/notes/runs/held               moderators: the runs held for review
POST /api/v1/townsquare/notes/runs/<id>/release       moderators: apply a held run (logged)
POST /api/v1/townsquare/notes/runs/<id>/discard       moderators: drop a held run (logged)

Who may review is decided by `ScoringRuns` (a moderator or an admin); these handlers only
authenticate and translate.
"""

from typing import Any

from litestar import get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from townsquare.api._auth import require_user
from townsquare.api._fields import AnyRequest, path_id
from townsquare.microblog import Microblog
from townsquare.moderation import Moderation
from townsquare.notes import HeldRun, RunSummary, ScoringRuns

__all__ = ["notes_run_routes"]


@get("/api/v1/townsquare/notes/shown", sync_to_thread=True)
def shown_notes(moderation: NamedDependency[Moderation]) -> dict[str, Any]:
    """Every note whose status is rated helpful, by note id: the notes shown on posts."""
    return {
        "notes": [
            {"note_id": str(row.note_id), "post_id": str(row.post_id), "status": row.status}
            for row in moderation.shown_notes()
        ]
    }


@get("/api/v1/townsquare/notes/runs/held", sync_to_thread=True)
def held_runs(
    request: AnyRequest,
    microblog: NamedDependency[Microblog],
    scoring_runs: NamedDependency[ScoringRuns],
) -> list[dict[str, Any]]:
    reviewer = require_user(request, microblog, "read")
    return [_held(run) for run in scoring_runs.held_for(reviewer)]


@post("/api/v1/townsquare/notes/runs/{run_id:str}/release", sync_to_thread=True, status_code=200)
def release_run(
    request: AnyRequest,
    microblog: NamedDependency[Microblog],
    scoring_runs: NamedDependency[ScoringRuns],
    run_id: FromPath[str],
) -> dict[str, Any]:
    reviewer = require_user(request, microblog, "write")
    return _summary(scoring_runs.release(path_id(run_id), reviewer))


@post("/api/v1/townsquare/notes/runs/{run_id:str}/discard", sync_to_thread=True, status_code=200)
def discard_run(
    request: AnyRequest,
    microblog: NamedDependency[Microblog],
    scoring_runs: NamedDependency[ScoringRuns],
    run_id: FromPath[str],
) -> dict[str, Any]:
    reviewer = require_user(request, microblog, "write")
    return _summary(scoring_runs.discard(path_id(run_id), reviewer))


def _held(run: HeldRun) -> dict[str, Any]:
    return {
        "id": str(run.run_id),
        "started_at": run.started_at.isoformat(),
        "scorer_version": run.scorer_version,
        "input_fingerprint": run.fingerprint,
        "notes_scored": run.notes_scored,
        "changes": run.changes,
        "reason": run.reason,
    }


def _summary(summary: RunSummary) -> dict[str, Any]:
    return {
        "id": str(summary.run_id),
        "state": summary.state,
        "input_fingerprint": summary.fingerprint,
        "changes": summary.changes,
        "ledger_entries": summary.entries_written,
    }


notes_run_routes = [shown_notes, held_runs, release_run, discard_run]
