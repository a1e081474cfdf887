"""Moderation's public API: a post's "why?" receipt.

GET /api/v1/townsquare/posts/<id>/why    every ledger entry that affects the post,
                                         each with its inclusion proof, and when the
                                         post was edited
"""

import base64
import json
from typing import Any

from litestar import get
from litestar.di import NamedDependency
from litestar.params import FromPath

from townsquare.api._entities import iso_datetime
from townsquare.ledger import LedgerLog
from townsquare.microblog import Microblog
from townsquare.moderation import Moderation

__all__ = ["moderation_routes"]


@get("/api/v1/townsquare/posts/{post_id:int}/why", sync_to_thread=True)
def why(
    moderation: NamedDependency[Moderation],
    microblog: NamedDependency[Microblog],
    ledger: NamedDependency[LedgerLog],
    post_id: FromPath[int],
) -> dict[str, Any]:
    """Every integrated ledger entry affecting the post (decisions on it, on its author's
    account and on URLs it links to), oldest first, each proved against the latest signed
    checkpoint, as `/ledger/entries/<index>` serves it; and `edited_at`, when the post was
    edited, so an edit made after a decision is in plain view (the edits' text is in the
    status history, for those who may see the post). Public: moderation is never secret."""
    return {
        "post_id": str(post_id),
        "entries": [_proved(ledger, index) for index in moderation.receipt_for_post(post_id)],
        "edited_at": [iso_datetime(at) for at in microblog.posts.edit_times(post_id)],
    }


def _proved(ledger: LedgerLog, index: int) -> dict[str, Any]:
    proved = ledger.prove(index)
    return {
        "index": proved.index,
        "entry": json.loads(proved.entry),
        "leaf_hash": _base64(proved.leaf_hash),
        "tree_size": proved.checkpoint.size,
        "checkpoint": proved.note.decode(),
        "inclusion_proof": [_base64(element) for element in proved.proof],
    }


def _base64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


moderation_routes = [why]
