"""Community notes pages: a post's notes, writing and rating a note, the notes that need the
visitor's rating, and their impact.

Anyone may read a post's decided notes; members see the notes still needing ratings too, and
eligible members write, rate and request. The rules are `townsquare.notes.Notes`'s; these
handlers read forms, word refusals in the visitor's language and render.
"""

from typing import Any

from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from townsquare.microblog import Account, Microblog
from townsquare.notes import (
    CURRENT_HELPFUL_TAGS,
    CURRENT_NOT_HELPFUL_TAGS,
    MAX_NOTE_CHARACTERS,
    MISLEADING_REASONS,
    NOT_MISLEADING_REASONS,
    Believable,
    Classification,
    DuplicateNoteError,
    Harm,
    HelpfulnessLevel,
    NoteDraft,
    Notes,
    NotesError,
    NotesInvalidError,
    NotesNotFoundError,
    RatingDraft,
    ValidationDifficulty,
    note_draft,
    rating_draft,
)
from townsquare.web._forms import FormData
from townsquare.web._note_words import NOTE_WORDS, note_error
from townsquare.web._templates import page
from townsquare.web._visitors import AnyRequest, Visitor, sign_in_first

__all__ = [
    "impact_page",
    "needs_rating_page",
    "post_notes_page",
    "rate_note",
    "rate_note_form",
    "request_note",
    "write_note",
    "write_note_form",
]

_CHOICES = {
    "classifications": [c.value for c in Classification],
    "misleading_reasons": MISLEADING_REASONS,
    "not_misleading_reasons": NOT_MISLEADING_REASONS,
    "believable": [b.value for b in Believable],
    "harmful": [h.value for h in Harm],
    "difficulty": [d.value for d in ValidationDifficulty],
    "levels": [level.value for level in HelpfulnessLevel],
    "helpful_tags": CURRENT_HELPFUL_TAGS,
    "not_helpful_tags": CURRENT_NOT_HELPFUL_TAGS,
    "max_note_characters": MAX_NOTE_CHARACTERS,
}


def _notes_path(post_id: int) -> str:
    return f"/posts/{post_id}/notes"


def _status_of(refusal: NotesError) -> int:
    if isinstance(refusal, NotesInvalidError):
        return 422
    return 409 if isinstance(refusal, DuplicateNoteError) else 403


def _render(visitor: Visitor, template: str, status_code: int = 200, **context: Any) -> Template:
    return page(visitor, template, status_code=status_code, words=NOTE_WORDS, **_CHOICES, **context)


def _refused(visitor: Visitor, refusal: NotesError) -> Template:
    """A refusal the member cannot fix on a form (not eligible, own note, hidden post)."""
    message = note_error(str(refusal), visitor)
    return _render(visitor, "notes/refused.html", _status_of(refusal), message=message)


@get("/posts/{post_id:int}/notes", sync_to_thread=True)
def post_notes_page(
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    notes: NamedDependency[Notes],
    post_id: FromPath[int],
) -> Response[Any]:
    """The post, its notes (helpful first) with their statuses, and how to add to them."""
    viewer = visitor.account_id
    try:
        found = notes.on_post(viewer, post_id)
    except NotesNotFoundError:
        raise
    except NotesError as refusal:
        return _refused(visitor, refusal)
    view = microblog.timelines.post(viewer, found.post_id)
    eligible = notes.eligibility(viewer) if viewer is not None else None
    # Authors are named once a note is decided (the service gives no author before).
    authors = {
        n.author_id: microblog.accounts.get(n.author_id)
        for n in found.notes
        if n.author_id is not None and n.decided
    }
    return _render(
        visitor, "notes/post.html", view=view, found=found, eligibility=eligible, authors=authors
    )


@post("/posts/{post_id:int}/notes/request", sync_to_thread=True)
def request_note(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    notes: NamedDependency[Notes],
    post_id: FromPath[int],
    data: FormData,
) -> Response[Any]:
    """Ask for a note on the post, then back to its notes."""
    if visitor.account is None:
        return sign_in_first(request, _notes_path(post_id))
    try:
        notes.request(visitor.account.id, post_id)
    except NotesNotFoundError:
        raise
    except NotesError as refusal:
        return _refused(visitor, refusal)
    return Redirect(_notes_path(post_id), status_code=303)


@get("/posts/{post_id:int}/notes/new", sync_to_thread=True)
def write_note_form(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    notes: NamedDependency[Notes],
    post_id: FromPath[int],
) -> Response[Any]:
    """The note-writing form (the post above it)."""
    if visitor.account is None:
        return sign_in_first(request)
    return _write_page(visitor, microblog, notes, visitor.account, post_id, {}, None)


@post("/posts/{post_id:int}/notes", sync_to_thread=True)
def write_note(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    notes: NamedDependency[Notes],
    post_id: FromPath[int],
    data: FormData,
) -> Response[Any]:
    """Write the note, then show the post's notes; a draft to fix comes back with its error."""
    viewer = visitor.account
    if viewer is None:
        return sign_in_first(request, f"{_notes_path(post_id)}/new")
    try:
        notes.write(viewer.id, post_id, _note_draft(data))
    except NotesNotFoundError:
        raise
    except NotesInvalidError as invalid:
        return _write_page(visitor, microblog, notes, viewer, post_id, data, invalid)
    except NotesError as refusal:
        return _refused(visitor, refusal)
    return Redirect(_notes_path(post_id), status_code=303)


def _write_page(
    visitor: Visitor,
    microblog: Microblog,
    notes: Notes,
    viewer: Account,
    post_id: int,
    values: dict[str, str],
    invalid: NotesInvalidError | None,
) -> Template:
    try:
        found = notes.on_post(viewer.id, post_id)
    except NotesNotFoundError:
        raise
    except NotesError as refusal:
        return _refused(visitor, refusal)
    decision = notes.eligibility(viewer.id)
    return _render(
        visitor,
        "notes/write.html",
        422 if invalid else 200,
        view=microblog.timelines.post(viewer.id, found.post_id),
        post_id=found.post_id,
        values=values,
        error=note_error(str(invalid), visitor) if invalid else None,
        eligibility=decision,
    )


def _note_draft(data: dict[str, str]) -> NoteDraft:
    classification = data.get("classification", "")
    if not classification:
        raise NotesInvalidError("Choose a classification.")
    answer = data.get("trustworthy_sources")
    return note_draft(
        classification=classification,
        reasons=[name for name in (*MISLEADING_REASONS, *NOT_MISLEADING_REASONS) if data.get(name)],
        trustworthy_sources=None if answer not in ("yes", "no") else answer == "yes",
        text=data.get("text", ""),
        sources=data.get("sources", "").splitlines(),
        believable=data.get("believable"),
        harmful=data.get("harmful"),
        validation_difficulty=data.get("validation_difficulty"),
    )


@get("/notes/{note_id:int}/rate", sync_to_thread=True)
def rate_note_form(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    notes: NamedDependency[Notes],
    note_id: FromPath[int],
) -> Response[Any]:
    """The rating form for one note, with the post it is about."""
    if visitor.account is None:
        return sign_in_first(request)
    return _rate_page(visitor, microblog, notes, visitor.account, note_id, None, None)


@post("/notes/{note_id:int}/rate", sync_to_thread=True)
def rate_note(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    notes: NamedDependency[Notes],
    note_id: FromPath[int],
    data: FormData,
) -> Response[Any]:
    """Rate the note (again replaces), then back to the post's notes."""
    viewer = visitor.account
    if viewer is None:
        return sign_in_first(request, f"/notes/{note_id}/rate")
    try:
        rated = notes.rate(viewer.id, note_id, _rating_draft(data))
    except NotesNotFoundError:
        raise
    except NotesInvalidError as invalid:
        return _rate_page(visitor, microblog, notes, viewer, note_id, data, invalid)
    except NotesError as refusal:
        return _refused(visitor, refusal)
    note = notes.note(viewer.id, rated.note_id)
    return Redirect(_notes_path(note.post_id), status_code=303)


def _rating_draft(data: dict[str, str]) -> RatingDraft:
    level = data.get("level", "")
    if not level:
        raise NotesInvalidError("Choose whether the note is helpful.")
    tags = [t for t in (*CURRENT_HELPFUL_TAGS, *CURRENT_NOT_HELPFUL_TAGS) if data.get(t)]
    return rating_draft(level=level, tags=tags)


def _rate_page(
    visitor: Visitor,
    microblog: Microblog,
    notes: Notes,
    viewer: Account,
    note_id: int,
    values: dict[str, str] | None,
    invalid: NotesInvalidError | None,
) -> Template:
    note = notes.note(viewer.id, note_id)
    if values is None and note.viewer_rating is not None:
        mine = note.viewer_rating
        values = {"level": mine.level.value, **dict.fromkeys(mine.tags, "on")}
    return _render(
        visitor,
        "notes/rate.html",
        422 if invalid else 200,
        note=note,
        view=microblog.timelines.post(viewer.id, note.post_id),
        values=values or {},
        error=note_error(str(invalid), visitor) if invalid else None,
    )


@get("/notes/needs-rating", sync_to_thread=True)
def needs_rating_page(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    notes: NamedDependency[Notes],
) -> Response[Any]:
    """Notes waiting for ratings that the visitor's usual side has rated least (no authors)."""
    if visitor.account is None:
        return sign_in_first(request)
    viewer = visitor.account.id
    waiting = notes.needing_rating(viewer)
    posts = {n.post_id: microblog.timelines.post(viewer, n.post_id) for n in waiting}
    return _render(
        visitor,
        "notes/needs_rating.html",
        waiting=waiting,
        posts=posts,
        eligibility=notes.eligibility(viewer),
    )


@get("/notes/impact", sync_to_thread=True)
def impact_page(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    notes: NamedDependency[Notes],
) -> Response[Any]:
    """The visitor's writing and rating impact, whether they may contribute, their notes."""
    if visitor.account is None:
        return sign_in_first(request)
    viewer = visitor.account.id
    return _render(
        visitor,
        "notes/impact.html",
        impact=notes.impact(viewer),
        eligibility=notes.eligibility(viewer),
        written=notes.written_by(viewer),
    )
