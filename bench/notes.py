"""Time the whole Community Notes Core pipeline (`score_core`) on a synthetic world.

    python bench/notes.py                 # 15,000 raters, 10,000 notes, ~1,000,000 ratings
    python bench/notes.py --runs 3        # the median of three runs, then one profiled run

Stages: (1) draw a world: raters on two opposed sides plus neutrals (80 % of them in modeling
group 13, so stable initialisation runs), notes helpful to all, liked by one side, or
unhelpful (90 % classified misleading), each rating drawn from the side and the kind and made
0 to 72 hours after its note, a third of the not-helpful ratings of unhelpful notes tagged
harassment (so the tag-consensus model runs); (2) build the `ScoringInput` columns; (3) run
`score_core` `--runs` times (timed); (4) run it once more under cProfile and print the time
of each pipeline stage; (5) print the statuses by note kind and the peak resident memory.
"""

import argparse
import cProfile
import pstats
import resource
import statistics
import time
from collections import Counter

import numpy as np
import numpy.typing as npt

from townsquare.notes.scoring import (
    HELPFUL_TAGS,
    NOT_HELPFUL_TAGS,
    CoreScores,
    Enrollment,
    NoteTable,
    RatingTable,
    ScoringInput,
    score_core,
)

HOUR_MILLIS = 3_600_000
START_MILLIS = 1_700_000_000_000
STAGES = (
    "index_input",
    "_core_ratings",
    "_min_count_rows",
    "_first_round",
    "_provisional_statuses",
    "_rater_helpfulness",
    "_second_round",
    "_tag_thresholds",
    "_final_notes",
    "_final_statuses",
    "_scores",
)


def world(
    raters: int, notes: int, ratings: int, seed: int
) -> tuple[ScoringInput, npt.NDArray[np.int64]]:
    """(1)-(2) The input, and each note's kind (0 everyone, 1 left, 2 right, 3 unhelpful)."""
    rng = np.random.default_rng(seed)
    pairs = np.unique(rng.integers(0, raters * notes, size=int(ratings * 1.001)))
    rng.shuffle(pairs)
    pairs = pairs[:ratings]
    rater, note = pairs // notes, pairs % notes
    side = rng.choice(np.array([-1.0, 1.0, 0.0]), size=raters, p=[0.4, 0.4, 0.2])
    kind = rng.integers(0, 4, size=notes)
    chance = _helpful_chance(side[rater], kind[note])
    value = np.where(rng.random(pairs.shape[0]) < chance, 1.0, 0.0)
    created = START_MILLIS + np.arange(notes, dtype=np.int64) * 60_000
    rated_at = created[note] + rng.integers(0, 72 * HOUR_MILLIS, size=note.shape[0])
    size = note.shape[0]
    not_helpful_tags = np.zeros((size, len(NOT_HELPFUL_TAGS)), dtype=np.bool_)
    abusive = (kind[note] == 3) & (value == 0.0) & (rng.random(size) < 1 / 3)
    not_helpful_tags[:, NOT_HELPFUL_TAGS.index("notHelpfulSpamHarassmentOrAbuse")] = abusive
    given = ScoringInput(
        notes=NoteTable(
            note_id=np.arange(notes).tolist(),
            author_id=rng.integers(0, raters, size=notes).tolist(),
            created_at_millis=created,
            misleading=rng.random(notes) < 0.9,
        ),
        ratings=RatingTable(
            note_id=note.tolist(),
            rater_id=rater.tolist(),
            created_at_millis=rated_at,
            value=value,
            helpful_tags=np.zeros((size, len(HELPFUL_TAGS)), dtype=np.bool_),
            not_helpful_tags=not_helpful_tags,
            population_sampled=np.zeros(size, dtype=np.bool_),
        ),
        enrollment=Enrollment(
            participant_id=np.arange(raters).tolist(),
            modeling_group=np.where(rng.random(raters) < 0.8, 13, 1).tolist(),
        ),
    )
    return given, kind


def _helpful_chance(
    side: npt.NDArray[np.float64], kind: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    leaning = np.where(kind == 1, -side, np.where(kind == 2, side, 0.0))
    base = np.select([kind == 0, kind == 3], [0.9, 0.05], default=0.5)
    return np.clip(base + 0.4 * leaning, 0.0, 1.0)


def timed_runs(given: ScoringInput, runs: int) -> tuple[list[float], CoreScores]:
    """(3)"""
    times, scores = [], None
    for _ in range(runs):
        started = time.perf_counter()
        scores = score_core(given)
        times.append(time.perf_counter() - started)
    assert scores is not None
    return times, scores


def stage_profile(given: ScoringInput) -> dict[str, float]:
    """(4) Cumulative seconds in each stage function, from one profiled run."""
    profiler = cProfile.Profile()
    profiler.runcall(score_core, given)
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    found: dict[str, float] = {}
    for (_, _, name), (_, _, _, cumulative, _) in stats.items():
        if name in STAGES:
            found[name] = found.get(name, 0.0) + cumulative
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raters", type=int, default=15_000)
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--ratings", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=1)
    arguments = parser.parse_args()
    given, kind = world(arguments.raters, arguments.notes, arguments.ratings, 1)
    times, scores = timed_runs(given, arguments.runs)
    median = statistics.median(times)
    print(f"{len(given.ratings):,} ratings, {len(given.notes):,} notes")
    print(f"score_core: runs {', '.join(f'{t:.2f}' for t in times)} s; median {median:.2f} s")
    print(f"against the reference's 258 s: {258 / median:.1f}x")
    for name, seconds in stage_profile(given).items():
        print(f"  {name}: {seconds:.2f} s (profiled)")
    by_kind = Counter(
        (["everyone", "left", "right", "unhelpful"][kind[k]], status)
        for k, status in enumerate(scores.notes.core_rating_status)
    )
    for (name, status), count in sorted(by_kind.items()):
        print(f"  {name:9} {status:28} {count:,}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
