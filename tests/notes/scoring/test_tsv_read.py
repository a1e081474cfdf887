"""Reading the public Community Notes TSV layouts: the sample files, and every refusal naming
its file, line and column."""

from pathlib import Path

import pytest

from townsquare.notes.scoring import (
    ENROLLMENT_COLUMNS,
    HELPFUL,
    HELPFUL_TAGS,
    NOT_HELPFUL,
    NOTE_COLUMNS,
    OLDER_RATING_COLUMNS,
    RATING_COLUMNS,
    SOMEWHAT_HELPFUL,
    RatingsInputError,
    TsvInputError,
    read_enrollment,
    read_notes,
    read_ratings,
    read_scoring_input,
    read_status_history,
)

SAMPLES = Path(__file__).parent / "tsv_samples"
PUBLIC = SAMPLES / "public"
NUMERIC = SAMPLES / "numeric"
NOTE_1, NOTE_3, DELETED = 1600000000000001, 1600000000000003, 1600000000000099


def tsv(path: Path, header: tuple[str, ...], *rows: dict[str, str]) -> Path:
    """A file in a layout: each row names the cells it fills, the others are empty."""
    lines = ["\t".join(header)] + ["\t".join(row.get(c, "") for c in header) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def note(note_id: str = "1", **cells: str) -> dict[str, str]:
    base = {
        "noteId": note_id,
        "noteAuthorParticipantId": "author",
        "createdAtMillis": "1650000000000",
        "classification": "MISINFORMED_OR_POTENTIALLY_MISLEADING",
        "summary": "a note",
    }
    return base | cells


def rating(note_id: str = "1", rater: str = "r1", **cells: str) -> dict[str, str]:
    base = {
        "noteId": note_id,
        "raterParticipantId": rater,
        "createdAtMillis": "1650000001000",
        "version": "2",
        "helpfulnessLevel": "HELPFUL",
        "ratingSourceBucketed": "DEFAULT",
    }
    return base | cells


def test_the_public_sample_notes_keep_a_quoted_summary_and_numeric_note_ids() -> None:
    notes = read_notes(PUBLIC / "notes-00000.tsv")
    assert len(notes) == 12
    assert notes.note_id[0] == NOTE_1
    assert notes.author_id[0] == "A1B2C3D4E5F6005A"
    assert notes.misleading.tolist() == [True, True, True, False] + [True] * 8
    assert notes.created_at_millis[5] == 1660000000005


def test_ratings_split_over_two_files_of_both_layouts_are_read_in_order() -> None:
    ratings = read_ratings(PUBLIC / "ratings")
    # 127 + 130 rows, less the one rating without any helpfulness answer
    assert len(ratings) == 256
    assert {type(r) for r in ratings.rater_id} == {str}
    assert ratings.helpful_tags.shape == (256, len(HELPFUL_TAGS))
    assert set(ratings.value.tolist()) == {HELPFUL, SOMEWHAT_HELPFUL, NOT_HELPFUL}
    assert ratings.population_sampled.sum() == 11  # every rating of the fourth rater
    assert DELETED in ratings.note_id


def test_the_first_rating_form_gives_the_same_values_as_helpfulness_level() -> None:
    directory = read_ratings(PUBLIC / "ratings")
    numeric = read_ratings(NUMERIC / "ratings.tsv")
    assert directory.value[: len(numeric)].tolist() == numeric.value.tolist()


def test_status_history_in_the_older_layout_and_enrollment() -> None:
    prior = read_status_history(PUBLIC / "noteStatusHistory-00000.tsv")
    assert list(prior.current_status) == ["NEEDS_MORE_RATINGS"] * 12
    assert prior.latest_decided_at_millis.tolist() == [-1] * 12
    enrollment = read_enrollment(PUBLIC / "userEnrollment-00000.tsv")
    assert list(enrollment.modeling_group) == ([13] * 7 + [1] * 3) * 2 + [1] * 3


def test_the_scoring_input_drops_ratings_of_notes_in_neither_file() -> None:
    given = read_scoring_input(
        notes=PUBLIC / "notes-00000.tsv",
        ratings=PUBLIC / "ratings",
        status=PUBLIC / "noteStatusHistory-00000.tsv",
        enrollment=PUBLIC / "userEnrollment-00000.tsv",
    )
    assert len(given.ratings) == 255
    assert DELETED not in given.ratings.note_id
    assert given.enrollment is not None
    assert set(given.ratings.rater_id) <= set(given.enrollment.participant_id)


def test_numeric_participant_ids_are_ints_everywhere() -> None:
    given = read_scoring_input(
        notes=NUMERIC / "notes.tsv",
        ratings=NUMERIC / "ratings.tsv",
        status=NUMERIC / "noteStatusHistory.tsv",
        enrollment=NUMERIC / "userEnrollment.tsv",
    )
    assert given.notes.author_id[0] == 1090
    assert {type(r) for r in given.ratings.rater_id} == {int}
    assert given.enrollment is not None
    assert given.enrollment.participant_id[0] == 1000


def test_participant_ids_of_mixed_kinds_become_strings_in_every_file(tmp_path: Path) -> None:
    notes = tsv(tmp_path / "notes.tsv", NOTE_COLUMNS, note("1", noteAuthorParticipantId="7"))
    ratings = tsv(tmp_path / "ratings.tsv", RATING_COLUMNS, rating("1", "ab"), rating("1", "7"))
    given = read_scoring_input(notes=notes, ratings=ratings)
    assert list(given.notes.author_id) == ["7"]
    assert list(given.ratings.rater_id) == ["ab", "7"]
    assert list(given.ratings.note_id) == [1, 1]  # note ids are all numbers: they stay ints


def test_an_id_with_a_leading_zero_stays_a_string(tmp_path: Path) -> None:
    notes = tsv(tmp_path / "notes.tsv", NOTE_COLUMNS, note("007"), note("8"))
    assert list(read_notes(notes).note_id) == ["007", "8"]


def test_blank_lines_and_windows_line_ends_are_read(tmp_path: Path) -> None:
    path = tsv(tmp_path / "ratings.tsv", RATING_COLUMNS, rating("1", "a"), rating("2", "b"))
    text = path.read_text().replace("\n", "\r\n") + "\r\n"
    path.write_text(text, newline="")
    assert list(read_ratings(path).note_id) == [1, 2]


def refusal(read: object, *args: object) -> str:
    with pytest.raises(TsvInputError) as caught:
        read(*args)  # type: ignore[operator]
    assert isinstance(caught.value, RatingsInputError)
    return str(caught.value)


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.tsv"
    path.write_text("")
    assert refusal(read_notes, path) == (
        f"{path}: the file is empty; expected a header row of 24 columns starting with 'noteId'"
    )


def test_a_header_of_the_wrong_width_is_refused(tmp_path: Path) -> None:
    path = tsv(tmp_path / "ratings.tsv", RATING_COLUMNS[:30])
    assert refusal(read_ratings, path) == (
        f"{path}, line 1: expected a header row of 35 or 33 columns starting with 'noteId', "
        f"found 30 columns starting with 'noteId'"
    )


def test_a_misnamed_header_column_is_refused(tmp_path: Path) -> None:
    header = tuple("modelGroup" if c == "modelingGroup" else c for c in ENROLLMENT_COLUMNS)
    path = tsv(tmp_path / "userEnrollment.tsv", header)
    assert refusal(read_enrollment, path) == (
        f"{path}, line 1, column 7: expected the header 'modelingGroup', found 'modelGroup'"
    )


def test_a_row_of_the_wrong_width_is_refused(tmp_path: Path) -> None:
    path = tsv(tmp_path / "ratings.tsv", OLDER_RATING_COLUMNS, rating("1", "a"))
    with path.open("a") as file:
        file.write("2\tb\t1650000001000\n")
    assert refusal(read_ratings, path) == (
        f"{path}, line 3: expected 33 columns (as in the header), found 3"
    )


def test_a_line_after_a_summary_spanning_lines_is_counted_right(tmp_path: Path) -> None:
    path = tsv(
        tmp_path / "notes.tsv",
        NOTE_COLUMNS,
        note("1", summary='"two\nlines"'),
        note("2", createdAtMillis="soon"),
    )
    assert refusal(read_notes, path) == (
        f"{path}, line 4, column 3 (createdAtMillis): expected a whole number, found 'soon'"
    )


def test_text_where_a_number_is_required_is_refused(tmp_path: Path) -> None:
    path = tsv(tmp_path / "ratings.tsv", RATING_COLUMNS, rating(createdAtMillis="yesterday"))
    assert refusal(read_ratings, path) == (
        f"{path}, line 2, column 3 (createdAtMillis): expected a whole number, found 'yesterday'"
    )


def test_an_unknown_helpfulness_level_is_refused(tmp_path: Path) -> None:
    path = tsv(
        tmp_path / "ratings.tsv",
        RATING_COLUMNS,
        rating("1", "a"),
        rating("1", "b", helpfulnessLevel="VERY_HELPFUL"),
    )
    assert refusal(read_ratings, path) == (
        f"{path}, line 3, column 9 (helpfulnessLevel): expected one of 'HELPFUL', "
        f"'SOMEWHAT_HELPFUL', 'NOT_HELPFUL', nothing, found 'VERY_HELPFUL'"
    )


def test_an_unknown_classification_is_refused(tmp_path: Path) -> None:
    path = tsv(tmp_path / "notes.tsv", NOTE_COLUMNS, note(classification="MISLEADING"))
    assert refusal(read_notes, path) == (
        f"{path}, line 2, column 5 (classification): expected one of "
        f"'MISINFORMED_OR_POTENTIALLY_MISLEADING', 'NOT_MISLEADING', found 'MISLEADING'"
    )


def test_a_tag_other_than_zero_or_one_is_refused(tmp_path: Path) -> None:
    path = tsv(tmp_path / "ratings.tsv", RATING_COLUMNS, rating(helpfulClear="yes"))
    assert refusal(read_ratings, path) == (
        f"{path}, line 2, column 12 (helpfulClear): expected 0, 1 or nothing, found 'yes'"
    )


def test_an_empty_id_is_refused(tmp_path: Path) -> None:
    path = tsv(tmp_path / "ratings.tsv", RATING_COLUMNS, rating(raterParticipantId=""))
    assert refusal(read_ratings, path) == (
        f"{path}, line 2, column 2 (raterParticipantId): expected an id, found ''"
    )


def test_a_rating_given_twice_across_two_files_names_both_lines(tmp_path: Path) -> None:
    directory = tmp_path / "ratings"
    directory.mkdir()
    first = tsv(directory / "ratings-00000.tsv", RATING_COLUMNS, rating("1", "a"))
    second = tsv(
        directory / "ratings-00001.tsv",
        OLDER_RATING_COLUMNS,
        rating("2", "a"),
        rating("1", "a", helpfulnessLevel="NOT_HELPFUL"),
    )
    assert refusal(read_ratings, directory) == (
        f"{second}, line 3: this rater rated this note already given at {first}, line 2; "
        f"expected one row each"
    )


def test_a_note_given_twice_is_refused(tmp_path: Path) -> None:
    path = tsv(tmp_path / "notes.tsv", NOTE_COLUMNS, note("5"), note("6"), note("5"))
    assert refusal(read_notes, path) == (
        f"{path}, line 4: this note was already given at {path}, line 2; expected one row each"
    )


def test_a_directory_without_tsv_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ratings.csv").write_text("noteId\n")
    assert refusal(read_ratings, tmp_path) == f"{tmp_path}: the directory holds no .tsv file"


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "absent.tsv"
    assert refusal(read_notes, path) == f"{path}: cannot be read (No such file or directory)"


def test_notes_or_ratings_with_only_a_header_are_refused(tmp_path: Path) -> None:
    notes = tsv(tmp_path / "notes.tsv", NOTE_COLUMNS)
    assert refusal(read_notes, notes) == (
        f"{notes}: expected notes after the header row, found none"
    )
    ratings = tsv(tmp_path / "ratings.tsv", RATING_COLUMNS, rating(helpfulnessLevel=""))
    assert refusal(read_ratings, ratings) == (
        f"{ratings}: expected ratings with a helpfulness answer after the header row, found none"
    )


def test_ratings_of_no_known_note_are_refused_naming_the_first(tmp_path: Path) -> None:
    notes = tsv(tmp_path / "notes.tsv", NOTE_COLUMNS, note("1"))
    ratings = tsv(tmp_path / "ratings.tsv", RATING_COLUMNS, rating("1", "a", helpfulnessLevel=""))
    with ratings.open("a") as file:
        file.write("\t".join(rating("2", "b").get(c, "") for c in RATING_COLUMNS) + "\n")
    with pytest.raises(TsvInputError) as caught:
        read_scoring_input(notes=notes, ratings=ratings)
    assert str(caught.value) == (  # the rating of note 1 has no answer: it was skipped
        f"{ratings}, line 3, column 1 (noteId): expected a note of the notes file or the "
        f"status history, found '2'; no rating is of one of those notes: expected files from "
        f"one download"
    )


def test_a_status_other_than_the_three_is_refused(tmp_path: Path) -> None:
    path = PUBLIC / "noteStatusHistory-00000.tsv"
    bad = tmp_path / "noteStatusHistory.tsv"
    bad.write_text(path.read_text().replace("NEEDS_MORE_RATINGS", "HELPFUL", 1))
    message = refusal(read_status_history, bad)
    assert message.startswith(f"{bad}, line 2, column 7 (currentStatus): expected one of ")
    assert message.endswith(", found 'HELPFUL'")


def test_an_integral_float_and_an_empty_group_are_read(tmp_path: Path) -> None:
    row = {"participantId": "a", "modelingGroup": "13.0"}
    path = tsv(tmp_path / "userEnrollment.tsv", ENROLLMENT_COLUMNS, row, {"participantId": "b"})
    assert list(read_enrollment(path).modeling_group) == [13, None]


def test_a_negative_group_is_refused(tmp_path: Path) -> None:
    row = {"participantId": "a", "modelingGroup": "-1"}
    path = tsv(tmp_path / "userEnrollment.tsv", ENROLLMENT_COLUMNS, row)
    message = refusal(read_enrollment, path)
    assert message == (
        f"{path}, line 2, column 7 (modelingGroup): expected a modeling group (0 or more) "
        "or nothing, found '-1'"
    )


def test_a_number_beyond_64_bits_is_refused(tmp_path: Path) -> None:
    path = tsv(tmp_path / "notes.tsv", NOTE_COLUMNS, note(createdAtMillis="1" + "0" * 20))
    assert refusal(read_notes, path) == (
        f"{path}, line 2, column 3 (createdAtMillis): expected a whole number, "
        f"found '100000000000000000000'"
    )


def test_a_byte_order_mark_before_the_header_is_ignored(tmp_path: Path) -> None:
    path = tsv(tmp_path / "notes.tsv", NOTE_COLUMNS, note("3"))
    path.write_text("\ufeff" + path.read_text(), encoding="utf-8")
    assert list(read_notes(path).note_id) == [3]
