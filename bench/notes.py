"""Time the Community Notes Core fit (the bare model fit only) on a synthetic world.

    python bench/notes.py                      # 15,000 raters, 10,000 notes, ~1,000,000 ratings

Stages: (1) draw a world: raters on two opposed sides plus neutrals, notes helpful to all,
liked by one side, or unhelpful, each rating drawn from the side and the kind; (2) build
`Ratings` from the id columns (timed); (3) fit the Core model (timed); (4) print the sweeps,
the loss, and the peak resident memory of the process.
"""

import argparse
import resource
import time

import numpy as np
import numpy.typing as npt

from townsquare.notes.scoring import CoreParameters, fit_core, ratings_from_ids


def world(
    raters: int, notes: int, ratings: int, seed: int
) -> tuple[list[int], list[int], list[float]]:
    """(1) Unique (rater, note) pairs with ratings drawn from each rater's side and note kind."""
    rng = np.random.default_rng(seed)
    pairs = np.unique(rng.integers(0, raters * notes, size=int(ratings * 1.001)))
    rng.shuffle(pairs)
    pairs = pairs[:ratings]
    rater, note = pairs // notes, pairs % notes
    side = rng.choice(np.array([-1.0, 1.0, 0.0]), size=raters, p=[0.4, 0.4, 0.2])
    kind = rng.integers(0, 4, size=notes)  # 0 everyone, 1 left, 2 right, 3 unhelpful
    chance = _helpful_chance(side[rater], kind[note])
    value = np.where(rng.random(pairs.shape[0]) < chance, 1.0, 0.0)
    return rater.tolist(), note.tolist(), value.tolist()


def _helpful_chance(
    side: npt.NDArray[np.float64], kind: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    leaning = np.where(kind == 1, -side, np.where(kind == 2, side, 0.0))
    base = np.select([kind == 0, kind == 3], [0.9, 0.05], default=0.5)
    return np.clip(base + 0.4 * leaning, 0.0, 1.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raters", type=int, default=15_000)
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--ratings", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    raters, notes, values = world(arguments.raters, arguments.notes, arguments.ratings, 1)
    started = time.perf_counter()
    ratings = ratings_from_ids(raters, notes, values)
    built = time.perf_counter()
    model = fit_core(ratings, CoreParameters(seed=arguments.seed))
    fitted = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{ratings.num_ratings:,} ratings, {ratings.num_raters:,} raters, "
        f"{ratings.num_notes:,} notes\n"
        f"ratings from ids: {built - started:.2f} s\n"
        f"Core fit: {fitted - built:.2f} s, {model.sweeps} sweeps, loss {model.loss:.5f}\n"
        f"peak resident memory: {peak:,.0f} MiB"
    )


if __name__ == "__main__":
    main()
