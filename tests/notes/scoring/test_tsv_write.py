"""Writing the public layouts: what is written reads back as the same columns, and the result
files carry the reference's Core columns."""

import io
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from townsquare.notes.scoring import (
    HELPFUL_TAGS,
    HELPFULNESS_SCORES_COLUMNS,
    MISLEADING_REASONS,
    NOT_HELPFUL_TAGS,
    OLDER_RATING_COLUMNS,
    OLDER_STATUS_HISTORY_COLUMNS,
    RATING_COLUMNS,
    SCORED_NOTES_COLUMNS,
    STATUS_HISTORY_COLUMNS,
    Classification,
    CoreScores,
    EnrollmentRow,
    NoteRow,
    NoteStatus,
    RaterScores,
    RatingRow,
    ScoredNotes,
    StatusHistoryRow,
    read_enrollment,
    read_notes,
    read_ratings,
    read_status_history,
    write_enrollment,
    write_helpfulness_scores,
    write_notes,
    write_ratings,
    write_scored_notes,
    write_status_history,
)

LEVELS = {"HELPFUL": 1.0, "SOMEWHAT_HELPFUL": 0.5, "NOT_HELPFUL": 0.0}

ids = st.one_of(
    st.integers(1, 2**63 - 1),
    st.text("0123456789ABCDEF", min_size=1, max_size=16).filter(lambda s: not s.isdigit()),
)
millis = st.integers(0, 2**62)
# Summaries hold tabs, newlines and quotes: they are quoted on the way out and read back.
summaries = st.text(st.characters(exclude_categories=["Cs"]))


def buffer(write: object, *args: object) -> io.StringIO:
    stream = io.StringIO()
    write(stream, *args)  # type: ignore[operator]
    stream.seek(0)
    return stream


note_rows = st.lists(
    st.builds(
        NoteRow,
        note_id=ids,
        author_id=ids,
        created_at_millis=millis,
        tweet_id=ids,
        classification=st.sampled_from(Classification),
        summary=summaries,
        misleading_reasons=st.frozensets(st.sampled_from(MISLEADING_REASONS)),
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda row: row.note_id,
)


@given(note_rows)
def test_notes_read_back_as_written(rows: list[NoteRow]) -> None:
    notes = read_notes(buffer(write_notes, rows))
    assert [str(i) for i in notes.note_id] == [str(row.note_id) for row in rows]
    assert [str(i) for i in notes.author_id] == [str(row.author_id) for row in rows]
    assert notes.created_at_millis.tolist() == [row.created_at_millis for row in rows]
    assert notes.misleading.tolist() == [
        row.classification is Classification.MISLEADING for row in rows
    ]


rating_rows = st.lists(
    st.builds(
        RatingRow,
        note_id=ids,
        rater_id=ids,
        created_at_millis=millis,
        helpfulness_level=st.sampled_from(list(LEVELS)),
        rated_on_tweet_id=ids,
        helpful_tags=st.frozensets(st.sampled_from(HELPFUL_TAGS)),
        not_helpful_tags=st.frozensets(st.sampled_from(NOT_HELPFUL_TAGS)),
        population_sampled=st.booleans(),
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda row: (str(row.note_id), str(row.rater_id)),
)


@given(rating_rows, st.sampled_from([RATING_COLUMNS, OLDER_RATING_COLUMNS]))
def test_ratings_read_back_as_written(rows: list[RatingRow], layout: tuple[str, ...]) -> None:
    ratings = read_ratings(buffer(write_ratings, rows, layout))
    assert [str(i) for i in ratings.note_id] == [str(row.note_id) for row in rows]
    assert [str(i) for i in ratings.rater_id] == [str(row.rater_id) for row in rows]
    assert ratings.created_at_millis.tolist() == [row.created_at_millis for row in rows]
    assert ratings.value.tolist() == [LEVELS[row.helpfulness_level] for row in rows]
    assert ratings.population_sampled.tolist() == [row.population_sampled for row in rows]
    for k, row in enumerate(rows):
        assert {t for t, on in zip(HELPFUL_TAGS, ratings.helpful_tags[k], strict=True) if on} == (
            row.helpful_tags
        )
        assert {
            t for t, on in zip(NOT_HELPFUL_TAGS, ratings.not_helpful_tags[k], strict=True) if on
        } == row.not_helpful_tags


status_rows = st.lists(
    st.builds(
        StatusHistoryRow,
        note_id=ids,
        author_id=ids,
        created_at_millis=millis,
        current_status=st.sampled_from(["", *NoteStatus]),
        latest_non_nmr_at_millis=st.none() | millis,
    ),
    max_size=8,
    unique_by=lambda row: row.note_id,
)


@given(status_rows, st.sampled_from([STATUS_HISTORY_COLUMNS, OLDER_STATUS_HISTORY_COLUMNS]))
def test_status_history_reads_back_as_written(
    rows: list[StatusHistoryRow], layout: tuple[str, ...]
) -> None:
    prior = read_status_history(buffer(write_status_history, rows, layout))
    assert [str(i) for i in prior.note_id] == [str(row.note_id) for row in rows]
    assert list(prior.current_status) == [row.current_status for row in rows]
    assert prior.latest_decided_at_millis.tolist() == [
        -1 if row.latest_non_nmr_at_millis is None else row.latest_non_nmr_at_millis for row in rows
    ]


@given(
    st.lists(
        st.builds(EnrollmentRow, participant_id=ids, modeling_group=st.integers(0, 20)),
        max_size=8,
        unique_by=lambda row: row.participant_id,
    )
)
def test_enrollment_reads_back_as_written(rows: list[EnrollmentRow]) -> None:
    enrollment = read_enrollment(buffer(write_enrollment, rows))
    assert [str(i) for i in enrollment.participant_id] == [str(r.participant_id) for r in rows]
    # The writer leaves group 0 empty: read back as listed without a group.
    assert list(enrollment.modeling_group) == [row.modeling_group or None for row in rows]


def scores(intercepts: list[float]) -> CoreScores:
    count = len(intercepts)
    statuses = tuple(NoteStatus)[:count]
    notes = ScoredNotes(
        note_id=tuple(range(1, count + 1)),
        intercept=np.array(intercepts),
        factor=-np.array(intercepts),
        intercept_min=np.full(count, math.nan),
        intercept_max=np.full(count, math.nan),
        num_ratings=np.arange(count, dtype=np.int64),
        core_status=statuses,
        final_status=statuses,
        rules=("GeneralCRH",) * count,
    )
    raters = RaterScores(
        rater_id=tuple(f"r{k}" for k in range(count)),
        intercept=np.array(intercepts),
        factor=np.array(intercepts),
        above_threshold=np.array([k % 2 == 0 for k in range(count)]),
    )
    return CoreScores(notes, raters)


finite = st.floats(allow_nan=False, allow_infinity=False)


@given(st.lists(st.one_of(finite, st.just(math.nan)), min_size=1, max_size=3))
def test_scored_notes_numbers_read_back_exactly_and_nan_is_empty(intercepts: list[float]) -> None:
    lines = buffer(write_scored_notes, scores(intercepts)).read().splitlines()
    assert tuple(lines[0].split("\t")) == SCORED_NOTES_COLUMNS
    for line, intercept in zip(lines[1:], intercepts, strict=True):
        cell = line.split("\t")[1]
        assert cell == "" if math.isnan(intercept) else float(cell) == intercept


def test_the_result_files_carry_the_core_columns(tmp_path: Path) -> None:
    run = scores([0.5, -0.25, 0.125])
    assert write_scored_notes(tmp_path / "scored_notes.tsv", run) == 3
    assert write_helpfulness_scores(tmp_path / "helpfulness_scores.tsv", run) == 3
    notes = (tmp_path / "scored_notes.tsv").read_text().splitlines()
    assert notes[1].split("\t") == [
        "1",
        "0.5",
        "-0.5",
        "NEEDS_MORE_RATINGS",
        "GeneralCRH",
        "NEEDS_MORE_RATINGS",
        "",
        "",
        "0",
    ]
    raters = (tmp_path / "helpfulness_scores.tsv").read_text().splitlines()
    assert tuple(raters[0].split("\t")) == HELPFULNESS_SCORES_COLUMNS
    assert raters[1:] == ["r0\t0.5\t0.5\tTrue", "r1\t-0.25\t-0.25\tFalse", "r2\t0.125\t0.125\tTrue"]


def test_the_files_carry_the_reference_spellings_and_leave_unjudged_raters_empty() -> None:
    run = scores([0.5, -0.25, 0.125])
    spelled = CoreScores(
        replace(
            run.notes,
            core_rating_status=("FIRM_REJECT", "NEEDS_YOUR_HELP", ""),
            final_rating_status=("NEEDS_MORE_RATINGS", "NEEDS_YOUR_HELP", "NEEDS_MORE_RATINGS"),
        ),
        replace(run.raters, judged=np.array([True, False, True])),
    )
    notes = [line.split("\t") for line in buffer(write_scored_notes, spelled).read().splitlines()]
    final, core = (SCORED_NOTES_COLUMNS.index(c) for c in ("finalRatingStatus", "coreRatingStatus"))
    assert [row[core] for row in notes[1:]] == ["FIRM_REJECT", "NEEDS_YOUR_HELP", ""]
    assert [row[final] for row in notes[1:]] == [
        "NEEDS_MORE_RATINGS",
        "NEEDS_YOUR_HELP",
        "NEEDS_MORE_RATINGS",
    ]
    raters = buffer(write_helpfulness_scores, spelled).read().splitlines()
    assert [line.rsplit("\t", 1)[1] for line in raters[1:]] == ["True", "", "True"]
