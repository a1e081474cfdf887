"""What a member submits: a note draft and a rating draft, validated before anything is stored.

The answers are spelled as the public Community Notes files spell them (notes.tsv,
ratings.tsv), so the export is a projection and the scorer reads them as they are.
Validation raises `InvalidNoteError` / `InvalidRatingError` with a message that says what to
change; a draft that exists is valid.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar
from urllib.parse import urlsplit

from townsquare.notes._errors import InvalidNoteError, InvalidRatingError
from townsquare.notes.scoring import (
    HELPFUL_TAGS,
    MISLEADING_REASONS,
    NOT_HELPFUL_TAGS,
    NOT_MISLEADING_REASONS,
    Classification,
)

__all__ = [
    "CURRENT_HELPFUL_TAGS",
    "CURRENT_NOT_HELPFUL_TAGS",
    "MAX_NOTE_CHARACTERS",
    "MAX_SOURCES",
    "MAX_SOURCE_LENGTH",
    "Believable",
    "Harm",
    "HelpfulnessLevel",
    "NoteDraft",
    "RatingDraft",
    "ValidationDifficulty",
    "allowed_tags",
    "note_draft",
    "rating_draft",
    "reasons_for",
]

MAX_NOTE_CHARACTERS = 280
MAX_SOURCES = 5
MAX_SOURCE_LENGTH = 500

# Tags the reference's data documentation marks deprecated (2021-06-30): old ratings carry
# them, new ratings may not.
_DEPRECATED_TAGS = frozenset(
    {
        "helpfulInformative",
        "helpfulEmpathetic",
        "helpfulUniqueContext",
        "notHelpfulOpinionSpeculationOrBias",
        "notHelpfulOutdated",
        "notHelpfulOffTopic",
    }
)
_Choice = TypeVar("_Choice", bound=StrEnum)

CURRENT_HELPFUL_TAGS = tuple(t for t in HELPFUL_TAGS if t not in _DEPRECATED_TAGS)
CURRENT_NOT_HELPFUL_TAGS = tuple(t for t in NOT_HELPFUL_TAGS if t not in _DEPRECATED_TAGS)


class Believable(StrEnum):
    """ "If this post were widely spread, its message would likely be believed by:"."""

    BY_FEW = "BELIEVABLE_BY_FEW"
    BY_MANY = "BELIEVABLE_BY_MANY"


class Harm(StrEnum):
    """ "If many believed this post, it might cause:"."""

    LITTLE = "LITTLE_HARM"
    CONSIDERABLE = "CONSIDERABLE_HARM"


class ValidationDifficulty(StrEnum):
    """ "Finding and understanding the correct information would be:"."""

    EASY = "EASY"
    CHALLENGING = "CHALLENGING"


class HelpfulnessLevel(StrEnum):
    """A rating's answer to "Is this note helpful?"."""

    HELPFUL = "HELPFUL"
    SOMEWHAT_HELPFUL = "SOMEWHAT_HELPFUL"
    NOT_HELPFUL = "NOT_HELPFUL"


@dataclass(frozen=True)
class NoteDraft:
    """A valid note: built by `note_draft`, which checks every rule."""

    classification: Classification
    reasons: tuple[str, ...]  # public column names, in the layout's order
    trustworthy_sources: bool
    text: str  # trimmed, 1 to MAX_NOTE_CHARACTERS characters
    sources: tuple[str, ...]  # http(s) links, 1 to MAX_SOURCES
    believable: Believable | None = None
    harmful: Harm | None = None
    validation_difficulty: ValidationDifficulty | None = None


@dataclass(frozen=True)
class RatingDraft:
    """A valid rating: built by `rating_draft`."""

    level: HelpfulnessLevel
    tags: tuple[str, ...]  # public column names, in the layout's order


def reasons_for(classification: Classification) -> tuple[str, ...]:
    """The reasons a note of this classification may give."""
    if classification is Classification.MISLEADING:
        return MISLEADING_REASONS
    return NOT_MISLEADING_REASONS


def allowed_tags(level: HelpfulnessLevel) -> tuple[str, ...]:
    """Tags a rating at `level` may carry: helpful tags with helpful, not-helpful tags with
    not helpful, and both with somewhat helpful (the reference's rating form)."""
    if level is HelpfulnessLevel.HELPFUL:
        return CURRENT_HELPFUL_TAGS
    if level is HelpfulnessLevel.NOT_HELPFUL:
        return CURRENT_NOT_HELPFUL_TAGS
    return (*CURRENT_HELPFUL_TAGS, *CURRENT_NOT_HELPFUL_TAGS)


def note_draft(
    *,
    classification: str,
    reasons: Iterable[str],
    trustworthy_sources: bool | None,
    text: str,
    sources: Iterable[str],
    believable: str | None = None,
    harmful: str | None = None,
    validation_difficulty: str | None = None,
) -> NoteDraft:
    """The draft these answers make, or `InvalidNoteError` naming the first answer to fix."""
    kind = _choice(Classification, classification, "classification")
    if trustworthy_sources is None:
        raise InvalidNoteError("Say whether your sources are ones most people would trust.")
    return NoteDraft(
        classification=kind,
        reasons=_reasons(kind, reasons),
        trustworthy_sources=trustworthy_sources,
        text=_note_text(text),
        sources=_sources(sources),
        believable=_optional_choice(Believable, believable, "believable"),
        harmful=_optional_choice(Harm, harmful, "harmful"),
        validation_difficulty=_optional_choice(
            ValidationDifficulty, validation_difficulty, "validation_difficulty"
        ),
    )


def rating_draft(*, level: str, tags: Iterable[str] = ()) -> RatingDraft:
    """The rating these answers make, or `InvalidRatingError` naming what to fix."""
    try:
        helpfulness = HelpfulnessLevel(level.strip().upper())
    except ValueError:
        raise InvalidRatingError(
            "level: expected HELPFUL, SOMEWHAT_HELPFUL or NOT_HELPFUL."
        ) from None
    allowed = allowed_tags(helpfulness)
    chosen = {t.strip() for t in tags if t.strip()}
    refused = sorted(chosen - set(allowed))
    if refused:
        raise InvalidRatingError(f"A {helpfulness.value} rating cannot carry the tag {refused[0]}.")
    return RatingDraft(level=helpfulness, tags=tuple(t for t in allowed if t in chosen))


def _choice(kind: type[_Choice], raw: str, name: str) -> _Choice:
    try:
        return kind(raw.strip().upper())
    except ValueError:
        expected = " or ".join(member.value for member in kind)
        raise InvalidNoteError(f"{name}: expected {expected}.") from None


def _optional_choice(kind: type[_Choice], raw: str | None, name: str) -> _Choice | None:
    return None if raw is None or not raw.strip() else _choice(kind, raw, name)


def _reasons(classification: Classification, given: Iterable[str]) -> tuple[str, ...]:
    allowed = reasons_for(classification)
    chosen = {r.strip() for r in given if r.strip()}
    if not chosen:
        raise InvalidNoteError("Choose at least one reason for your classification.")
    refused = sorted(chosen - set(allowed))
    if refused:
        raise InvalidNoteError(f"The reason {refused[0]} does not fit a {classification} note.")
    return tuple(r for r in allowed if r in chosen)


def _note_text(raw: str) -> str:
    text = raw.strip()
    if not text:
        raise InvalidNoteError("A note needs some text.")
    if len(text) > MAX_NOTE_CHARACTERS:
        raise InvalidNoteError(
            f"A note is at most {MAX_NOTE_CHARACTERS} characters; this one has {len(text)}."
        )
    return text


def _sources(given: Iterable[str]) -> tuple[str, ...]:
    links = tuple(dict.fromkeys(s.strip() for s in given if s.strip()))
    if not links:
        raise InvalidNoteError("A note needs at least one source link.")
    if len(links) > MAX_SOURCES:
        raise InvalidNoteError(f"A note cites at most {MAX_SOURCES} source links.")
    for link in links:
        _check_link(link)
    return links


def _check_link(link: str) -> None:
    if len(link) > MAX_SOURCE_LENGTH:
        raise InvalidNoteError(f"A source link is at most {MAX_SOURCE_LENGTH} characters.")
    try:
        parts = urlsplit(link)
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme.lower() not in {"http", "https"}
        or not parts.hostname
        or any(c.isspace() for c in link)
    ):
        raise InvalidNoteError(f"A source must be an http:// or https:// link: {link}")
