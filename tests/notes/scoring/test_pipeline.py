"""The whole Core pipeline (`score_core`) on synthetic worlds and hand-made inputs."""

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from townsquare.notes.scoring import (
    HELPFUL_TAGS,
    NOT_HELPFUL_TAGS,
    CoreParameters,
    CoreScores,
    Enrollment,
    ModelFitError,
    NoteStatus,
    PipelineParameters,
    RatingTable,
    ScoringInput,
    score_core,
)

from .factories import World, make_input, synthetic_world, world_input


def statuses_by_kind(scores: CoreScores, kinds: dict[str, str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for note_id, status in zip(scores.notes.note_id, scores.notes.core_rating_status, strict=True):
        found.setdefault(kinds[str(note_id)], set()).add(status)
    return found


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_only_cross_side_notes_become_helpful_and_unhelpful_ones_not_helpful(seed: int) -> None:
    world = synthetic_world(seed)
    found = statuses_by_kind(score_core(world_input(world)), world.note_kind)
    assert found["everyone"] == {"CURRENTLY_RATED_HELPFUL"}
    assert "CURRENTLY_RATED_HELPFUL" not in found["left"] | found["right"]
    assert found["unhelpful"] == {"CURRENTLY_RATED_NOT_HELPFUL"}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_final_rater_factors_separate_the_two_sides(seed: int) -> None:
    world = synthetic_world(seed)
    raters = score_core(world_input(world)).raters
    factor = dict(zip(raters.rater_id, raters.factor, strict=True))
    left = np.array([factor[r] for r, side in world.rater_side.items() if side == -1])
    right = np.array([factor[r] for r, side in world.rater_side.items() if side == 1])
    assert (np.nanmax(left) < 0 < np.nanmin(right)) or (np.nanmax(right) < 0 < np.nanmin(left))


def test_a_note_classified_not_misleading_is_never_helpful() -> None:
    world = synthetic_world(4)
    scores = score_core(world_input(world, misleading=False))
    assert NoteStatus.CURRENTLY_RATED_HELPFUL not in scores.notes.core_status


def test_core_status_shows_firm_rejects_and_needs_your_help_as_needing_more_ratings() -> None:
    scores = score_core(world_input(synthetic_world(5)))
    for shown, spelled in zip(
        scores.notes.core_status, scores.notes.core_rating_status, strict=True
    ):
        if spelled in {"FIRM_REJECT", "NEEDS_YOUR_HELP"}:
            assert shown is NoteStatus.NEEDS_MORE_RATINGS
        else:
            assert shown.value == spelled


def test_the_bounds_hold_the_intercept_and_active_rules_name_the_deciding_rule() -> None:
    scores = score_core(world_input(synthetic_world(6)))
    n = scores.notes
    fitted = ~np.isnan(n.intercept)
    assert fitted.all()
    assert (n.intercept_min[fitted] <= n.intercept[fitted] + 1e-12).all()
    assert (n.intercept[fitted] <= n.intercept_max[fitted] + 1e-12).all()
    for rules, status in zip(n.rules, n.core_rating_status, strict=True):
        assert rules.startswith("InitialNMR (v1.0)")
        if status == "CURRENTLY_RATED_HELPFUL":
            assert "GeneralCRH (v1.0)" in rules


def permuted(given_input: ScoringInput, order: np.ndarray) -> ScoringInput:
    r = given_input.ratings
    return dataclasses.replace(
        given_input,
        ratings=RatingTable(
            note_id=[r.note_id[k] for k in order],
            rater_id=[r.rater_id[k] for k in order],
            created_at_millis=r.created_at_millis[order],
            value=r.value[order],
            helpful_tags=r.helpful_tags[order],
            not_helpful_tags=r.not_helpful_tags[order],
            population_sampled=r.population_sampled[order],
        ),
    )


def assert_same_scores(one: CoreScores, other: CoreScores) -> None:
    assert tuple(one.notes.note_id) == tuple(other.notes.note_id)
    for column in ("intercept", "factor", "intercept_min", "intercept_max", "num_ratings"):
        np.testing.assert_array_equal(getattr(one.notes, column), getattr(other.notes, column))
    assert tuple(one.notes.core_rating_status) == tuple(other.notes.core_rating_status)
    assert tuple(one.notes.rules) == tuple(other.notes.rules)
    assert tuple(one.raters.rater_id) == tuple(other.raters.rater_id)
    np.testing.assert_array_equal(one.raters.factor, other.raters.factor)
    np.testing.assert_array_equal(one.raters.above_threshold, other.raters.above_threshold)


WORLD = world_input(synthetic_world(7, per_side=15, neutrals=6, notes_per_kind=5, density=0.8))
WORLD_SCORES = score_core(WORLD)


@settings(max_examples=10, deadline=None)
@given(st.randoms(use_true_random=False))
def test_permuting_the_rating_rows_changes_nothing(rnd: object) -> None:
    order = np.arange(len(WORLD.ratings))
    rnd.shuffle(order)  # type: ignore[attr-defined]
    assert_same_scores(score_core(permuted(WORLD, order)), WORLD_SCORES)


def test_the_same_seed_gives_the_same_scores_and_another_seed_the_same_statuses() -> None:
    parameters = PipelineParameters(core=CoreParameters(seed=3))
    assert_same_scores(score_core(WORLD, parameters), score_core(WORLD, parameters))
    other = score_core(WORLD, CoreParameters(seed=11))
    assert tuple(other.notes.core_rating_status) == tuple(WORLD_SCORES.notes.core_rating_status)


def test_stable_initialisation_from_group_13_reaches_the_same_statuses() -> None:
    world = synthetic_world(8)
    plain = world_input(world)
    raters = sorted(world.rater_side)
    enrolled = dataclasses.replace(
        plain,
        enrollment=Enrollment(raters, [13] * len(raters)),
    )
    with_group = score_core(enrolled)
    assert tuple(with_group.notes.core_rating_status) == tuple(
        score_core(plain).notes.core_rating_status
    )


def test_a_first_round_that_cannot_explain_the_ratings_is_refused() -> None:
    rng = np.random.default_rng(0)
    triples = [(f"r{u}", f"n{n}", float(rng.integers(0, 2))) for u in range(12) for n in range(210)]
    with pytest.raises(ModelFitError, match="train error"):
        score_core(make_input(triples))


def test_notes_without_enough_ratings_are_not_scored() -> None:
    world = synthetic_world(9)
    full = world_input(world)
    extra = make_input([("r0", "lonely", 1.0), ("r1", "lonely", 1.0)])
    r, e = full.ratings, extra.ratings
    joined = ScoringInput(
        notes=dataclasses.replace(
            full.notes,
            note_id=[*full.notes.note_id, *extra.notes.note_id],
            author_id=[*full.notes.author_id, *extra.notes.author_id],
            created_at_millis=np.r_[full.notes.created_at_millis, extra.notes.created_at_millis],
            misleading=np.r_[full.notes.misleading, extra.notes.misleading],
        ),
        ratings=RatingTable(
            note_id=[*r.note_id, *e.note_id],
            rater_id=[*r.rater_id, *e.rater_id],
            created_at_millis=np.r_[r.created_at_millis, e.created_at_millis],
            value=np.r_[r.value, e.value],
            helpful_tags=np.vstack([r.helpful_tags, e.helpful_tags]),
            not_helpful_tags=np.vstack([r.not_helpful_tags, e.not_helpful_tags]),
            population_sampled=np.r_[r.population_sampled, e.population_sampled],
        ),
    )
    scores = score_core(joined)
    row = list(scores.notes.note_id).index("lonely")
    assert np.isnan(scores.notes.intercept[row])
    assert scores.notes.num_ratings[row] == 2
    assert scores.notes.core_rating_status[row] == "NEEDS_MORE_RATINGS"
    assert scores.notes.rules[row] == "InitialNMR (v1.0)"


OUTSIDERS = [f"outsider{k}" for k in range(30)]


def with_outsiders(world: World, enrollment: Enrollment | None) -> ScoringInput:
    """The world plus 30 outsiders who rate every "everyone" note not helpful: were they
    read, those notes would not be helpful."""
    plain = world_input(world)
    extra = [(o, n, 0.0) for o in OUTSIDERS for n in world.note_kind if n.startswith("every")]
    r = plain.ratings
    rows = len(extra)
    return dataclasses.replace(
        plain,
        ratings=RatingTable(
            note_id=[*r.note_id, *(n for _, n, _ in extra)],
            rater_id=[*r.rater_id, *(o for o, _, _ in extra)],
            created_at_millis=np.r_[r.created_at_millis, np.full(rows, r.created_at_millis[0])],
            value=np.r_[r.value, np.zeros(rows)],
            helpful_tags=np.vstack([r.helpful_tags, np.zeros((rows, 9), dtype=bool)]),
            not_helpful_tags=np.vstack([r.not_helpful_tags, np.zeros((rows, 13), dtype=bool)]),
            population_sampled=np.r_[r.population_sampled, np.zeros(rows, dtype=bool)],
        ),
        enrollment=enrollment,
    )


@pytest.mark.parametrize("group", [7, 0, None], ids=["other group", "group 0", "no group"])
def test_raters_listed_outside_the_core_groups_or_without_one_are_left_out(
    group: int | None,
) -> None:
    world = synthetic_world(10)
    plain = score_core(world_input(world))
    scores = score_core(with_outsiders(world, Enrollment(OUTSIDERS, [group] * len(OUTSIDERS))))
    # numRatings counts every rating of the note, read by Core or not (the reference's).
    counted = dataclasses.replace(plain.notes, num_ratings=scores.notes.num_ratings)
    assert_same_scores(scores, CoreScores(counted, scores.raters))
    assert not set(OUTSIDERS) & set(scores.raters.rater_id)
    extra = np.asarray(scores.notes.num_ratings) - np.asarray(plain.notes.num_ratings)
    everyone = np.array([str(n).startswith("every") for n in scores.notes.note_id])
    assert (extra[everyone] == len(OUTSIDERS)).all()
    assert (extra[~everyone] == 0).all()


def test_raters_the_enrollment_does_not_list_are_read() -> None:
    world = synthetic_world(10)
    listed = Enrollment(sorted(world.rater_side), [13] * len(world.rater_side))
    scores = score_core(with_outsiders(world, listed))
    assert set(OUTSIDERS) <= set(scores.raters.rater_id)
    unlisted = score_core(with_outsiders(world, None))
    assert set(OUTSIDERS) <= set(unlisted.raters.rater_id)


def test_too_few_ratings_to_fit_leave_every_note_needing_more_ratings() -> None:
    triples = [(f"u{k}", "a", 1.0) for k in range(6)] + [("u0", "b", 0.0)]
    scores = score_core(make_input(triples))
    assert tuple(scores.notes.core_status) == (NoteStatus.NEEDS_MORE_RATINGS,) * 2
    assert tuple(scores.notes.rules) == ("InitialNMR (v1.0)",) * 2
    assert tuple(scores.notes.num_ratings) == (6, 1)
    assert np.isnan(scores.notes.intercept).all()
    assert not scores.raters.above_threshold.any()


def with_tags(given: ScoringInput, note: str, tags: dict[str, str]) -> ScoringInput:
    """`given` with every rating of `note` carrying the tag named for its helpful (value 1)
    or other (value < 1) ratings in `tags` ("helpful" / "other"); other ratings untouched."""
    r = given.ratings
    helpful_tags, not_helpful_tags = r.helpful_tags.copy(), r.not_helpful_tags.copy()
    for k, (n, value) in enumerate(zip(r.note_id, r.value, strict=True)):
        if n == note:
            name = tags["helpful" if value == 1.0 else "other"]
            matrix, names = (
                (helpful_tags, HELPFUL_TAGS)
                if name.startswith("helpful")
                else (not_helpful_tags, NOT_HELPFUL_TAGS)
            )
            matrix[k, names.index(name)] = True
    ratings = dataclasses.replace(r, helpful_tags=helpful_tags, not_helpful_tags=not_helpful_tags)
    return dataclasses.replace(given, ratings=ratings)


def test_a_helpful_note_its_raters_tag_off_topic_is_a_tag_outlier() -> None:
    world = synthetic_world(10)
    plain = world_input(world)
    before = score_core(plain)
    row = list(before.notes.core_rating_status).index("CURRENTLY_RATED_HELPFUL")
    note = str(before.notes.note_id[row])
    tags = {"helpful": "notHelpfulOffTopic", "other": "notHelpfulOffTopic"}
    after = score_core(with_tags(plain, note, tags))
    assert after.notes.core_rating_status[row] == "FIRM_REJECT"
    assert after.notes.rules[row].endswith("TagFilter (v1.0)")
    assert after.notes.core_status[row] == NoteStatus.NEEDS_MORE_RATINGS
    others = [k for k in range(len(after.notes)) if k != row]
    assert [after.notes.core_rating_status[k] for k in others] == [
        before.notes.core_rating_status[k] for k in others
    ]


def test_final_rating_status_needs_two_tags_each_given_twice_and_final_status_does_not() -> None:
    plain = world_input(synthetic_world(10))
    untagged = score_core(plain)
    helpful = [
        k
        for k, status in enumerate(untagged.notes.core_rating_status)
        if status == "CURRENTLY_RATED_HELPFUL"
    ]
    assert helpful
    # No rating carries a tag: no helpful note is explained.
    for k in helpful:
        assert untagged.notes.final_rating_status[k] == "NEEDS_MORE_RATINGS"
        assert untagged.notes.final_status[k] == NoteStatus.CURRENTLY_RATED_HELPFUL
    note = str(untagged.notes.note_id[helpful[0]])
    one_tag = score_core(
        with_tags(plain, note, {"helpful": "helpfulClear", "other": "notHelpfulOther"})
    )
    assert one_tag.notes.final_rating_status[helpful[0]] == "NEEDS_MORE_RATINGS"
    tagged = with_tags(plain, note, {"helpful": "helpfulClear", "other": "notHelpfulOther"})
    two_tags = score_core(
        with_tags(tagged, note, {"helpful": "helpfulGoodSources", "other": "notHelpfulOther"})
    )
    assert two_tags.notes.final_rating_status[helpful[0]] == "CURRENTLY_RATED_HELPFUL"
