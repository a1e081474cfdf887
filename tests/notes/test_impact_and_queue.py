"""The pure parts: impact counting and the needs-your-rating order."""

from datetime import UTC, datetime, timedelta

from townsquare.notes import (
    HelpfulnessLevel,
    NoteStatus,
    RatedNote,
    Side,
    WaitingNote,
    rating_impact,
    rating_queue_order,
    usual_side,
    writing_impact,
)

T = datetime(2026, 6, 1, tzinfo=UTC)
HELPFUL_NOTE = NoteStatus.CURRENTLY_RATED_HELPFUL
UNHELPFUL_NOTE = NoteStatus.CURRENTLY_RATED_NOT_HELPFUL


def test_writing_impact_is_helpful_minus_not_helpful() -> None:
    impact = writing_impact(
        [HELPFUL_NOTE, HELPFUL_NOTE, UNHELPFUL_NOTE, NoteStatus.NEEDS_MORE_RATINGS]
    )
    assert (impact.helpful, impact.not_helpful, impact.needs_more_ratings) == (2, 1, 1)
    assert impact.score == 1


def _rated(level: HelpfulnessLevel, status: NoteStatus, *, before: bool = True) -> RatedNote:
    rated_at = T if before else T + timedelta(hours=2)
    return RatedNote(level=level, rated_at=rated_at, status=status, status_since=T + timedelta(1))


def test_rating_impact_counts_ratings_made_before_the_status() -> None:
    impact = rating_impact(
        [
            _rated(HelpfulnessLevel.HELPFUL, HELPFUL_NOTE),  # successful
            _rated(HelpfulnessLevel.NOT_HELPFUL, UNHELPFUL_NOTE),  # successful
            _rated(HelpfulnessLevel.HELPFUL, UNHELPFUL_NOTE),  # unsuccessful
            _rated(HelpfulnessLevel.SOMEWHAT_HELPFUL, HELPFUL_NOTE),  # neither
            _rated(HelpfulnessLevel.HELPFUL, NoteStatus.NEEDS_MORE_RATINGS),  # pending
        ]
    )
    assert (impact.successful, impact.unsuccessful, impact.pending) == (2, 1, 1)
    assert impact.score == 1


def test_a_rating_after_the_status_was_reached_earns_nothing() -> None:
    late = RatedNote(
        level=HelpfulnessLevel.HELPFUL,
        rated_at=T + timedelta(2),
        status=HELPFUL_NOTE,
        status_since=T,
    )
    impact = rating_impact([late])
    assert (impact.successful, impact.unsuccessful, impact.score) == (0, 0, 0)


def test_a_raters_usual_side_is_the_sign_of_their_factor() -> None:
    assert usual_side(0.4) is Side.POSITIVE
    assert usual_side(-0.1) is Side.NEGATIVE
    assert usual_side(None) is None
    assert usual_side(0.0) is None


def _waiting(
    note_id: int, total: int, positive: int, negative: int, age_days: int = 0
) -> WaitingNote:
    return WaitingNote(note_id, T - timedelta(days=age_days), total, positive, negative)


def test_notes_the_raters_side_has_rated_least_come_first() -> None:
    seen_by_my_side = _waiting(1, total=3, positive=3, negative=0)
    seen_by_the_other = _waiting(2, total=5, positive=0, negative=5)
    unrated_old = _waiting(3, total=0, positive=0, negative=0, age_days=3)
    unrated_new = _waiting(4, total=0, positive=0, negative=0)
    order = rating_queue_order(
        [seen_by_my_side, seen_by_the_other, unrated_old, unrated_new], Side.POSITIVE
    )
    assert [w.note_id for w in order] == [4, 3, 2, 1]
    other_side = rating_queue_order([seen_by_my_side, seen_by_the_other], Side.NEGATIVE)
    assert [w.note_id for w in other_side] == [1, 2]


def test_without_a_side_the_least_rated_come_first() -> None:
    order = rating_queue_order([_waiting(1, 4, 4, 0), _waiting(2, 1, 0, 1)], None)
    assert [w.note_id for w in order] == [2, 1]
