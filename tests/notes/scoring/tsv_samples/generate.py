"""Writes the sample world in `public/` and `numeric/` (run it from anywhere; it is
deterministic, so the files only change when this script does).

Twenty-three raters: two opposed groups of ten (A and B) and three neutral ones. Six
background notes split the groups (three liked by A only, three by B only) so the fit finds the
factor; the named notes are the cases the tests look for."""

import io
from collections.abc import Iterator
from pathlib import Path

from townsquare.notes.scoring import (
    OLDER_RATING_COLUMNS,
    OLDER_STATUS_HISTORY_COLUMNS,
    STATUS_HISTORY_COLUMNS,
    Classification,
    EnrollmentRow,
    NoteRow,
    RatingRow,
    StatusHistoryRow,
    write_enrollment,
    write_notes,
    write_ratings,
    write_status_history,
)

HERE = Path(__file__).parent
# After the status history began (2022-05-19), so every rating within 48 hours is valid.
START = 1660000000000
GROUP_A = range(0, 10)
GROUP_B = range(10, 20)
NEUTRAL = range(20, 23)
SAMPLED_RATER = 3  # every rating of this rater is population-sampled
HELPFUL, SOMEWHAT, NOT = "HELPFUL", "SOMEWHAT_HELPFUL", "NOT_HELPFUL"

Level = str | None
# note number -> (summary, misleading, level given by group A, by group B, by the neutral raters)
Spec = tuple[str, bool, Level, Level, Level]
NAMED: dict[int, Spec] = {
    1: (
        'Everyone agrees:\tthis is "helpful" context.\nhttps://example.org/a',
        True,
        HELPFUL,
        HELPFUL,
        HELPFUL,
    ),
    2: ("Nobody finds this helpful", True, NOT, NOT, NOT),
    3: ("Too few ratings yet", True, None, None, None),
    4: ("Not misleading: the post is satire", False, HELPFUL, HELPFUL, HELPFUL),
    5: ("Only one side likes this", True, HELPFUL, NOT, SOMEWHAT),
    6: ("The other side likes this one", True, NOT, HELPFUL, SOMEWHAT),
}
BACKGROUND: dict[int, Spec] = {
    7 + k: (f"Background note {k}", True, *sides, SOMEWHAT)
    for k, sides in enumerate([(HELPFUL, NOT)] * 3 + [(NOT, HELPFUL)] * 3)
}
DELETED_NOTE = 1600000000000099


def note_id(number: int) -> int:
    return 1600000000000000 + number


def note_created(number: int) -> int:
    return START + number - 1


def public_id(person: int) -> str:
    return f"A1B2C3D4E5F6{person:04X}"


def ratings() -> Iterator[tuple[int, int, str]]:
    """(note, rater, level), in rating order."""
    notes = {**NAMED, **BACKGROUND}
    for rater in [*GROUP_A, *GROUP_B, *NEUTRAL]:
        side = 0 if rater in GROUP_A else 1 if rater in GROUP_B else 2
        for number, (_, _, *levels) in notes.items():
            level = levels[side]
            if level is not None:
                yield number, rater, level
    yield 3, NEUTRAL[0], HELPFUL
    yield 3, NEUTRAL[1], NOT


def note_rows(person: type[str] | type[int]) -> list[NoteRow]:
    rows = []
    for number, (summary, misleading, *_) in {**NAMED, **BACKGROUND}.items():
        rows.append(
            NoteRow(
                note_id=note_id(number),
                author_id=participant(89 + number, person),
                created_at_millis=note_created(number),
                tweet_id=1500000000000000000 + number,
                classification=Classification.MISLEADING
                if misleading
                else Classification.NOT_MISLEADING,
                summary=summary
                if person is str
                else summary.replace("\t", " ").replace("\n", " ").replace('"', ""),
                misleading_reasons=frozenset({"misleadingFactualError"})
                if misleading
                else frozenset(),
                not_misleading_reasons=frozenset()
                if misleading
                else frozenset({"notMisleadingClearlySatire"}),
                trustworthy_sources=number == 1,
            )
        )
    return rows


def participant(person: int, kind: type[str] | type[int]) -> str | int:
    return public_id(person) if kind is str else 1000 + person


def rating_rows(kind: type[str] | type[int]) -> list[RatingRow]:
    rows = []
    for index, (number, rater, level) in enumerate(ratings()):
        rows.append(
            RatingRow(
                note_id=note_id(number),
                rater_id=participant(rater, kind),
                created_at_millis=note_created(number) + 100_000 + 1000 * index,
                helpfulness_level=level,
                helpful_tags=frozenset({"helpfulClear", "helpfulGoodSources"})
                if level != NOT
                else frozenset(),
                not_helpful_tags=frozenset({"notHelpfulIncorrect", "notHelpfulMissingKeyPoints"})
                if level == NOT
                else frozenset(),
                rated_on_tweet_id=1500000000000000 + number,
                population_sampled=rater == SAMPLED_RATER,
            )
        )
    return rows


def legacy(line: str) -> str:
    """The first rating form: version 1, helpful/notHelpful instead of helpfulnessLevel."""
    cells = line.split("\t")
    level = cells[8]
    if level in (HELPFUL, NOT):
        cells[3:9] = [
            "1",
            "",
            "",
            "1" if level == HELPFUL else "0",
            "0" if level == HELPFUL else "1",
            "",
        ]
    return "\t".join(cells)


def write_public(notes: list[NoteRow], rows: list[RatingRow]) -> None:
    public = HERE / "public"
    (public / "ratings").mkdir(parents=True, exist_ok=True)
    write_notes(public / "notes-00000.tsv", notes)
    half = len(rows) // 2
    write_ratings(public / "ratings" / "ratings-00000.tsv", rows[:half])
    older = io.StringIO()
    write_ratings(older, rows[half:], OLDER_RATING_COLUMNS)
    header, *lines = older.getvalue().splitlines()
    text = [header, *map(legacy, lines), unanswered(lines[0]), of_deleted_note(lines[0])]
    (public / "ratings" / "ratings-00001.tsv").write_text("\n".join(text) + "\n", encoding="utf-8")
    write_status_history(
        public / "noteStatusHistory-00000.tsv", history(notes), OLDER_STATUS_HISTORY_COLUMNS
    )
    write_enrollment(public / "userEnrollment-00000.tsv", enrollment(str))


def unanswered(line: str) -> str:
    """A first-form rating of note 3 without any answer (the reader drops it)."""
    cells = line.split("\t")
    cells[0], cells[1] = str(note_id(3)), public_id(NEUTRAL[2])
    cells[3:9] = ["1", "", "", "", "", ""]
    cells[9:31] = ["0"] * 22  # no tag either
    cells[31] = str(1500000000000000 + 3)
    return "\t".join(cells)


def of_deleted_note(line: str) -> str:
    """`line` again, of a note in neither the notes nor the history (the reader skips it)."""
    cells = line.split("\t")
    cells[0] = str(DELETED_NOTE)
    return "\t".join(cells)


def history(notes: list[NoteRow]) -> list[StatusHistoryRow]:
    return [
        StatusHistoryRow(
            note_id=note.note_id,
            author_id=note.author_id,
            created_at_millis=note.created_at_millis,
            current_status="NEEDS_MORE_RATINGS",
            current_status_at_millis=START + 50_000,
        )
        for note in notes
    ]


def enrollment(kind: type[str] | type[int]) -> list[EnrollmentRow]:
    # Most raters of each side are in modeling group 13 (stable initialisation); the others
    # in group 1, another Core group, so that Core reads every rater.
    return [
        EnrollmentRow(
            participant_id=participant(person, kind),
            enrollment_state="earnedIn",
            state_changed_at_millis=1640000000000,
            modeling_group=13 if person in GROUP_A[:7] or person in GROUP_B[:7] else 1,
        )
        for person in [*GROUP_A, *GROUP_B, *NEUTRAL]
    ]


def write_numeric(notes: list[NoteRow], rows: list[RatingRow]) -> None:
    numeric = HERE / "numeric"
    numeric.mkdir(exist_ok=True)
    write_notes(numeric / "notes.tsv", notes)
    write_ratings(numeric / "ratings.tsv", rows)
    write_status_history(numeric / "noteStatusHistory.tsv", history(notes), STATUS_HISTORY_COLUMNS)
    write_enrollment(numeric / "userEnrollment.tsv", enrollment(int))


def main() -> None:
    write_public(note_rows(str), rating_rows(str))
    write_numeric(note_rows(int), rating_rows(int))


if __name__ == "__main__":
    main()
