"""Community notes (issue "Community Notes"): a post's notes, writing, rating, requesting,
the needs-your-rating list and a contributor's impact.

GET  /api/v1/townsquare/posts/<id>/notes          public: decided notes; members see all
POST /api/v1/townsquare/posts/<id>/notes          eligible members (write): write a note
POST /api/v1/townsquare/posts/<id>/note_requests  eligible members (write): request a note
GET  /api/v1/townsquare/notes/<id>                public if decided; members see all
POST /api/v1/townsquare/notes/<id>/ratings        eligible members but the author (write)
GET  /api/v1/townsquare/notes/needs_rating        members (read): notes needing their rating
GET  /api/v1/townsquare/notes/mine                members (read): their notes and eligibility
GET  /api/v1/townsquare/notes/impact              members (read): writing and rating impact

Who may do what is decided by `townsquare.notes.Notes` (eligibility, own notes and posts,
hidden posts); these handlers authenticate and translate. A note's author is given only
once the note is decided, or to the author.
"""

from typing import Any

from litestar import get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from townsquare.api._auth import optional_user, require_user
from townsquare.api._fields import BODY, AnyRequest, Fields, query_fields
from townsquare.api._paging import clamp_limit
from townsquare.microblog import Microblog
from townsquare.notes import (
    Eligibility,
    Impact,
    Note,
    Notes,
    PostNotes,
    Rating,
    note_draft,
    rating_draft,
)

__all__ = ["note_routes"]


@get("/api/v1/townsquare/posts/{post_id:int}/notes", sync_to_thread=True)
def post_notes(
    request: AnyRequest,
    post_id: FromPath[int],
    microblog: NamedDependency[Microblog],
    notes: NamedDependency[Notes],
) -> dict[str, Any]:
    """The post's notes with their statuses (helpful first) and its request count. Without a
    token only decided notes are listed."""
    viewer = optional_user(request, microblog, "read")
    return _post_notes(notes.on_post(viewer, post_id))


@post(
    "/api/v1/townsquare/posts/{post_id:int}/notes",
    dependencies=BODY,
    status_code=201,
    sync_to_thread=True,
)
def write_note(
    request: AnyRequest,
    post_id: FromPath[int],
    fields: NamedDependency[Fields],
    microblog: NamedDependency[Microblog],
    notes: NamedDependency[Notes],
) -> dict[str, Any]:
    """Write a note: `classification`, `reasons[]`, `trustworthy_sources`, `text` (at most
    280 characters), `sources[]` (1 to 5 http(s) links) and, optionally, `believable`,
    `harmful`, `validation_difficulty`, spelled as in the public notes.tsv."""
    viewer = require_user(request, microblog, "write")
    draft = note_draft(
        classification=fields.required_text("classification", max_length=60),
        reasons=fields.texts("reasons", max_items=20),
        trustworthy_sources=(
            fields.flag("trustworthy_sources") if "trustworthy_sources" in fields else None
        ),
        text=fields.text("text", max_length=2000) or "",
        sources=fields.texts("sources", max_items=20),
        believable=fields.text("believable", max_length=40),
        harmful=fields.text("harmful", max_length=40),
        validation_difficulty=fields.text("validation_difficulty", max_length=40),
    )
    return _note(notes.write(viewer, post_id, draft))


@post(
    "/api/v1/townsquare/posts/{post_id:int}/note_requests",
    status_code=200,
    sync_to_thread=True,
)
def request_note(
    request: AnyRequest,
    post_id: FromPath[int],
    microblog: NamedDependency[Microblog],
    notes: NamedDependency[Notes],
) -> dict[str, Any]:
    """Ask for a note on the post; asking again changes nothing. Answers the request count."""
    viewer = require_user(request, microblog, "write")
    return {"post_id": str(post_id), "requests": notes.request(viewer, post_id)}


@get("/api/v1/townsquare/notes/needs_rating", sync_to_thread=True)
def needs_rating(
    request: AnyRequest,
    microblog: NamedDependency[Microblog],
    notes: NamedDependency[Notes],
) -> list[dict[str, Any]]:
    """Notes that still need ratings, that the caller neither wrote nor rated, those their
    usual side has rated least first; `limit` (default 20, at most 40). No authors."""
    viewer = require_user(request, microblog, "read")
    return [
        _note(n) for n in notes.needing_rating(viewer, limit=clamp_limit(query_fields(request)))
    ]


@get("/api/v1/townsquare/notes/mine", sync_to_thread=True)
def my_notes(
    request: AnyRequest,
    microblog: NamedDependency[Microblog],
    notes: NamedDependency[Notes],
) -> dict[str, Any]:
    """The caller's notes, newest first, and whether they may contribute now (and why not)."""
    viewer = require_user(request, microblog, "read")
    return {
        "eligibility": _eligibility(notes.eligibility(viewer)),
        "notes": [_note(n) for n in notes.written_by(viewer)],
    }


@get("/api/v1/townsquare/notes/impact", sync_to_thread=True)
def my_impact(
    request: AnyRequest,
    microblog: NamedDependency[Microblog],
    notes: NamedDependency[Notes],
) -> dict[str, Any]:
    """The caller's writing impact (notes rated helpful minus not helpful) and rating impact
    (ratings that matched the status later reached minus those opposite to it)."""
    viewer = require_user(request, microblog, "read")
    return _impact(notes.impact(viewer))


@get("/api/v1/townsquare/notes/{note_id:int}", sync_to_thread=True)
def one_note(
    request: AnyRequest,
    note_id: FromPath[int],
    microblog: NamedDependency[Microblog],
    notes: NamedDependency[Notes],
) -> dict[str, Any]:
    """One note; without a token, only a decided one."""
    viewer = optional_user(request, microblog, "read")
    return _note(notes.note(viewer, note_id))


@post(
    "/api/v1/townsquare/notes/{note_id:int}/ratings",
    dependencies=BODY,
    status_code=200,
    sync_to_thread=True,
)
def rate_note(
    request: AnyRequest,
    note_id: FromPath[int],
    fields: NamedDependency[Fields],
    microblog: NamedDependency[Microblog],
    notes: NamedDependency[Notes],
) -> dict[str, Any]:
    """Rate a note: `level` HELPFUL | SOMEWHAT_HELPFUL | NOT_HELPFUL and `tags[]` its level
    allows. Rating again replaces the rating; authors cannot rate their own notes."""
    viewer = require_user(request, microblog, "write")
    draft = rating_draft(
        level=fields.required_text("level", max_length=40),
        tags=fields.texts("tags", max_items=30),
    )
    return _rating(notes.rate(viewer, note_id, draft))


def _post_notes(found: PostNotes) -> dict[str, Any]:
    return {
        "post_id": str(found.post_id),
        "requests": found.requests,
        "requested": found.requested_by_viewer,
        "notes": [_note(n) for n in found.notes],
    }


def _note(note: Note) -> dict[str, Any]:
    return {
        "id": str(note.id),
        "post_id": str(note.post_id),
        "created_at": note.created_at.isoformat(),
        "status": note.status.value,
        "status_since": note.status_since.isoformat() if note.status_since else None,
        "classification": note.classification.value,
        "reasons": list(note.reasons),
        "trustworthy_sources": note.trustworthy_sources,
        "believable": note.believable.value if note.believable else None,
        "harmful": note.harmful.value if note.harmful else None,
        "validation_difficulty": (
            note.validation_difficulty.value if note.validation_difficulty else None
        ),
        "text": note.text,
        "sources": list(note.sources),
        "ratings": note.ratings,
        "author_id": str(note.author_id) if note.author_id is not None else None,
        "written_by_you": note.written_by_viewer,
        "your_rating": _rating(note.viewer_rating) if note.viewer_rating else None,
    }


def _rating(rating: Rating) -> dict[str, Any]:
    return {
        "note_id": str(rating.note_id),
        "level": rating.level.value,
        "tags": list(rating.tags),
        "created_at": rating.created_at.isoformat(),
    }


def _eligibility(decision: Eligibility) -> dict[str, Any]:
    return {
        "eligible": decision.eligible,
        "because": decision.because.value if decision.because else None,
        "eligible_from": decision.eligible_from.isoformat() if decision.eligible_from else None,
    }


def _impact(impact: Impact) -> dict[str, Any]:
    writing, rating = impact.writing, impact.rating
    return {
        "writing": {
            "score": writing.score,
            "helpful": writing.helpful,
            "not_helpful": writing.not_helpful,
            "needs_more_ratings": writing.needs_more_ratings,
        },
        "rating": {
            "score": rating.score,
            "successful": rating.successful,
            "unsuccessful": rating.unsuccessful,
            "pending": rating.pending,
        },
    }


note_routes = [
    post_notes,
    write_note,
    request_note,
    needs_rating,
    my_notes,
    my_impact,
    one_note,
    rate_note,
]
