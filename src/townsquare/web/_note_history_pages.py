"""A community note's status history: every change, the run's facts, the ledger entry."""

from typing import Any

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from townsquare.moderation import Moderation
from townsquare.web._templates import page
from townsquare.web._visitors import Visitor

__all__ = ["note_history_page"]


@get("/notes/{note_id:int}/history", sync_to_thread=True)
def note_history_page(
    visitor: NamedDependency[Visitor],
    moderation: NamedDependency[Moderation],
    note_id: FromPath[int],
) -> Response[Any]:
    """Every status change of the note, oldest first (a note never decided has none)."""
    changes = moderation.note_history(note_id)
    return page(visitor, "note_history.html", note_id=note_id, changes=changes)
