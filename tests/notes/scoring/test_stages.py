"""The pipeline's stages on hand-made inputs: minimum counts, valid ratings, helpfulness."""

import numpy as np

from townsquare.notes.scoring import (
    HelpfulnessThresholds,
    PipelineParameters,
    PriorStatuses,
)
from townsquare.notes.scoring._helpfulness import helpfulness, rating_outcomes, valid_ratings
from townsquare.notes.scoring._indexed import IndexedInput, index_input
from townsquare.notes.scoring._pipeline import _min_count_rows, _stable_init_rows

from .factories import HOUR_MILLIS, make_input

THRESHOLDS = HelpfulnessThresholds()


def kept_pairs(indexed: IndexedInput, rows: np.ndarray) -> set[tuple[str, str]]:
    return {
        (str(indexed.participant_ids[u]), str(indexed.note_ids[n]))
        for u, n in zip(indexed.rater[rows], indexed.note[rows], strict=True)
    }


def test_the_minimum_counts_drop_notes_then_raters_then_notes_once() -> None:
    # Ten raters rate notes a..j; "sparse" rates only "f" and "g" and is dropped (2 < 10),
    # which leaves "g" with 4 ratings: dropped in the second note pass. "h" has 4 from the
    # start. The second note pass runs once: nothing is re-checked after it.
    triples = [(f"r{u}", n, 1.0) for u in range(10) for n in "abcdeijklm"]
    triples += [(f"r{u}", "f", 1.0) for u in range(5)] + [("sparse", "f", 1.0)]
    triples += [(f"r{u}", "g", 1.0) for u in range(4)] + [("sparse", "g", 1.0)]
    triples += [(f"r{u}", "h", 1.0) for u in range(4)]
    indexed = index_input(make_input(triples))
    kept = kept_pairs(indexed, _min_count_rows(indexed, PipelineParameters()))
    assert {n for _, n in kept} == set("abcdeijklmf")
    assert "sparse" not in {u for u, _ in kept}
    assert len(kept) == 10 * 10 + 5


def test_a_rating_is_early_within_48_hours_and_before_the_latest_decided_status() -> None:
    triples = [("u1", "a", 1.0), ("u2", "a", 1.0), ("u3", "a", 0.0), ("u4", "b", 1.0)]
    after = [HOUR_MILLIS, 47 * HOUR_MILLIS, 49 * HOUR_MILLIS, 10 * HOUR_MILLIS]
    prior = PriorStatuses(
        note_id=["b"],
        current_status=["CURRENTLY_RATED_HELPFUL"],
        latest_decided_at_millis=np.array([1_700_000_000_000 + 5 * HOUR_MILLIS]),
    )
    indexed = index_input(make_input(triples, rated_after_millis=after, prior=prior))
    early = kept_pairs(indexed, valid_ratings(indexed, THRESHOLDS))
    assert early == {("u1", "a"), ("u2", "a")}


def test_notes_older_than_the_status_history_count_their_first_five_ratings() -> None:
    old = {"old": 1_600_000_000_000}
    triples = [(f"u{k}", "old", 1.0) for k in range(7)]
    after = [(7 - k) * HOUR_MILLIS for k in range(7)]  # u6 rated first, u0 last
    indexed = index_input(make_input(triples, rated_after_millis=after, note_created_millis=old))
    early = kept_pairs(indexed, valid_ratings(indexed, THRESHOLDS))
    assert early == {(f"u{k}", "old") for k in range(2, 7)}


def outcome_input() -> IndexedInput:
    # Note "h" is helpful, "n" not helpful, "x" undecided.
    triples = [
        ("agrees", "h", 1.0),
        ("agrees", "n", 0.0),
        ("agrees", "x", 0.0),
        ("half", "h", 0.5),
        ("half", "n", 1.0),
    ]
    return index_input(make_input(triples))


def statuses(indexed: IndexedInput, helpful: str, not_helpful: str) -> tuple[np.ndarray, ...]:
    ids = list(indexed.note_ids)
    h = np.zeros(indexed.num_notes, dtype=bool)
    n = np.zeros(indexed.num_notes, dtype=bool)
    h[ids.index(helpful)] = True
    n[ids.index(not_helpful)] = True
    return h, n


def test_valid_ratings_are_helpful_or_not_on_decided_notes_and_agree_with_them() -> None:
    indexed = outcome_input()
    h, n = statuses(indexed, "h", "n")
    outcomes = rating_outcomes(indexed, valid_ratings(indexed, THRESHOLDS), h, n)
    assert kept_pairs(indexed, outcomes.valid) == {("agrees", "h"), ("agrees", "n"), ("half", "n")}
    assert kept_pairs(indexed, outcomes.agrees) == {("agrees", "h"), ("agrees", "n")}


def rater_row(indexed: IndexedInput, participant: str) -> int:
    return list(indexed.participant_ids).index(participant)


def helpfulness_case(
    agreeing: int, disagreeing: int, authored: list[tuple[float, str]]
) -> tuple[float, bool]:
    """A rater with `agreeing` and `disagreeing` valid ratings who wrote notes with the given
    (intercept, status) pairs; returns (agreement ratio, above threshold)."""
    triples = [("rater", f"crh{k}", 1.0) for k in range(agreeing)]
    triples += [("rater", f"crh-{k}", 0.0) for k in range(disagreeing)]
    written = [f"own{k}" for k in range(len(authored))]
    triples += [("someone", note, 1.0) for note in written]
    triples += [("rater", "undecided", 1.0)]
    authors = dict.fromkeys(written, "rater")
    indexed = index_input(make_input(triples, authors=authors))
    ids = list(indexed.note_ids)
    helpful = np.array([i.startswith("crh") for i in map(str, ids)])
    not_helpful = np.zeros(indexed.num_notes, dtype=bool)
    intercept = np.full(indexed.num_notes, np.nan)
    for (value, status), note in zip(authored, written, strict=True):
        intercept[ids.index(note)] = value
        helpful[ids.index(note)] = status == "crh"
        not_helpful[ids.index(note)] = status == "crnh"
    outcomes = rating_outcomes(indexed, valid_ratings(indexed, THRESHOLDS), helpful, not_helpful)
    scores = helpfulness(indexed, outcomes, intercept, helpful, not_helpful, THRESHOLDS)
    row = rater_row(indexed, "rater")
    return float(scores.agree_ratio[row]), bool(scores.above_threshold[row])


def test_a_rater_needs_an_agreement_ratio_of_066() -> None:
    assert helpfulness_case(2, 1, []) == (2 / 3, True)
    assert helpfulness_case(3, 2, []) == (0.6, False)


def test_a_rater_without_valid_ratings_is_not_above_the_threshold() -> None:
    ratio, above = helpfulness_case(0, 0, [])
    assert np.isnan(ratio)
    assert not above


def test_an_author_needs_no_excess_of_unhelpful_notes_and_a_mean_score_of_005() -> None:
    assert helpfulness_case(3, 0, [(0.5, "crh"), (0.1, "nmr")])[1]
    # One not-helpful note in five: 0.2 helpful share - 5 x 0.2 < 0.
    assert not helpfulness_case(3, 0, [(0.5, "crh")] * 1 + [(0.2, "nmr")] * 3 + [(-0.2, "crnh")])[1]
    # No not-helpful note, but a mean intercept below 0.05.
    assert not helpfulness_case(3, 0, [(0.04, "nmr"), (0.05, "nmr")])[1]


def test_stable_initialisation_takes_the_groups_ratings_on_notes_it_mostly_rated() -> None:
    # Shares count the ratings of enrolled raters only (the reference merges the ratings
    # with the enrollment): "unlisted" is 4 of 5 from group 13 among them, 4 of 8 in all.
    triples = [(f"g{u}", "mostly", 1.0) for u in range(4)] + [("other", "mostly", 1.0)]
    triples += [(f"g{u}", "half", 1.0) for u in range(3)]
    triples += [("other", "half", 1.0), ("other2", "half", 1.0), ("other3", "half", 1.0)]
    triples += [(f"g{u}", "unlisted", 1.0) for u in range(4)] + [("other", "unlisted", 1.0)]
    triples += [(f"o{u}", "unlisted", 1.0) for u in range(3)]
    from townsquare.notes.scoring import Enrollment

    listed = [f"g{u}" for u in range(4)] + ["other", "other2", "other3"]
    enrollment = Enrollment(listed, [13] * 4 + [1] * 3)
    indexed = index_input(make_input(triples, enrollment=enrollment))
    everything = np.ones(indexed.rater.shape[0], dtype=bool)
    rows = _stable_init_rows(indexed, everything, PipelineParameters())
    assert rows is not None
    assert kept_pairs(indexed, rows) == {
        (f"g{u}", note) for u in range(4) for note in ("mostly", "unlisted")
    }
    assert (
        _stable_init_rows(index_input(make_input(triples)), everything, PipelineParameters())
        is None
    )
