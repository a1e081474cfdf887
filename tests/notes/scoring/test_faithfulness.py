"""The pipeline's intermediate quantities re-derived by hand, row by row in plain Python, the
way the reference's pandas code states them (note_ratings.py, helpfulness_scores.py,
get_note_counts_by_rater_sign), on a small world with varied times, prior statuses and
authors who also rate."""

import math
from collections import defaultdict

import numpy as np

from townsquare.notes.scoring import PipelineParameters, PriorStatuses
from townsquare.notes.scoring._indexed import IndexedInput, index_input
from townsquare.notes.scoring._pipeline import (
    _core_ratings,
    _first_round,
    _min_count_rows,
    _provisional_statuses,
    _rater_helpfulness,
    _second_round,
)
from townsquare.notes.scoring._rater_sides import rater_sides
from townsquare.notes.scoring._rules import Status

from .factories import HOUR_MILLIS, NOTE_CREATED_MILLIS, make_input, synthetic_world

SETTINGS = PipelineParameters()


def world() -> tuple[IndexedInput, list[tuple[str, str, float, int]]]:
    w = synthetic_world(21, per_side=20, neutrals=10, notes_per_kind=8, density=0.7)
    rng = np.random.default_rng(21)
    r = w.ratings
    rows = [
        (str(r.rater_ids[u]), str(r.note_ids[n]), float(v), int(rng.integers(0, 96)) * HOUR_MILLIS)
        for u, n, v in zip(r.rater, r.note, r.value, strict=True)
    ]
    notes = sorted({n for _, n, _, _ in rows})
    raters = sorted({u for u, _, _, _ in rows})
    authors = {n: raters[k * 7 % len(raters)] for k, n in enumerate(notes)}
    decided = [n for k, n in enumerate(notes) if k % 5 == 0]
    prior = PriorStatuses(
        note_id=decided,
        current_status=["CURRENTLY_RATED_HELPFUL"] * len(decided),
        latest_decided_at_millis=np.full(len(decided), NOTE_CREATED_MILLIS + 30 * HOUR_MILLIS),
    )
    given = make_input(
        [(u, n, v) for u, n, v, _ in rows],
        rated_after_millis=[a for _, _, _, a in rows],
        authors=authors,
        prior=prior,
    )
    return _core_ratings(index_input(given), SETTINGS), rows


def test_rater_helpfulness_matches_a_row_by_row_derivation() -> None:
    indexed, rows = world()
    training = _min_count_rows(indexed, SETTINGS)
    first = _first_round(indexed, training, SETTINGS)
    provisional = _provisional_statuses(indexed, first, SETTINGS)
    computed = _rater_helpfulness(indexed, training, first, provisional, SETTINGS)
    # The world exercises both outcomes and the author conditions.
    assert computed.above_threshold.any()
    assert not computed.above_threshold[np.unique(indexed.rater)].all()

    note_index = {str(n): j for j, n in enumerate(indexed.note_ids)}
    status = {n: Status(int(provisional.status[j])) for n, j in note_index.items()}
    decided_at = {n: indexed.note_latest_decided_at[j] for n, j in note_index.items()}
    valid: dict[str, int] = defaultdict(int)
    agree: dict[str, int] = defaultdict(int)
    for rater, note, value, after in rows:
        created = NOTE_CREATED_MILLIS + after
        if after >= 48 * HOUR_MILLIS:
            continue
        if not math.isnan(decided_at[note]) and created >= decided_at[note]:
            continue
        crh = status[note] is Status.CURRENTLY_RATED_HELPFUL
        crnh = status[note] is Status.CURRENTLY_RATED_NOT_HELPFUL
        if not (crh or crnh) or value not in (0.0, 1.0):
            continue
        valid[rater] += 1
        agree[rater] += (crh and value == 1.0) or (crnh and value == 0.0)

    by_author: dict[str, list[tuple[float, bool, bool]]] = defaultdict(list)
    for note, j in note_index.items():
        intercept = first.parameters.note_intercept[j]
        if not math.isnan(intercept):
            author = str(indexed.participant_ids[indexed.note_author[j]])
            by_author[author].append(
                (
                    intercept,
                    status[note] is Status.CURRENTLY_RATED_HELPFUL,
                    status[note] is Status.CURRENTLY_RATED_NOT_HELPFUL,
                )
            )
    for u, participant in enumerate(map(str, indexed.participant_ids)):
        ratio = agree[participant] / valid[participant] if valid[participant] else math.nan
        written = by_author.get(participant, [])
        if written:
            count = len(written)
            difference = (
                sum(h for _, h, _ in written) / count - 5 * sum(n for _, _, n in written) / count
            )
            mean = sum(i for i, _, _ in written) / count
            author_ok = difference >= 0 and mean >= 0.05
        else:
            author_ok = True
        expected = author_ok and not math.isnan(ratio) and ratio >= 0.66
        assert bool(computed.above_threshold[u]) == expected, participant
        if not math.isnan(ratio):
            assert computed.agree_ratio[u] == ratio


def test_rater_sides_match_a_row_by_row_derivation() -> None:
    indexed, _ = world()
    training = _min_count_rows(indexed, SETTINGS)
    first = _first_round(indexed, training, SETTINGS)
    provisional = _provisional_statuses(indexed, first, SETTINGS)
    helpful = _rater_helpfulness(indexed, training, first, provisional, SETTINGS)
    second = _second_round(indexed, training, helpful, first, SETTINGS)
    factor = second.parameters.rater_factor
    sides = rater_sides(indexed, factor)
    per_note: dict[int, dict[str, list[float]]] = defaultdict(lambda: {"neg": [], "pos": []})
    for u, n, v in zip(indexed.rater, indexed.note, indexed.value, strict=True):
        if not math.isnan(factor[u]):
            per_note[int(n)]["neg" if factor[u] < 0 else "pos"].append(float(v))
    for n in range(indexed.num_notes):
        neg, pos = per_note[n]["neg"], per_note[n]["pos"]
        net = min(neg.count(1.0) - neg.count(0.0), pos.count(1.0) - pos.count(0.0))
        net = max(net, 0)
        assert sides.min_sign_count[n] == min(len(neg), len(pos))
        assert sides.net_min_helpful[n] == net
        total = len(neg) + len(pos)
        assert math.isclose(sides.net_min_helpful_ratio[n], net / total if total else 0.0)
        if neg:
            assert math.isclose(sides.negative_mean[n], sum(neg) / len(neg))
        if pos:
            assert math.isclose(sides.positive_mean[n], sum(pos) / len(pos))
