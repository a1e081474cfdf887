"""Near-duplicate matching: our numpy MinHash against `datasketch`, on the same posts.

    .venv/bin/python bench/fingerprints.py                     # 100,000 posts
    .venv/bin/python bench/fingerprints.py --posts 20000

(`datasketch` is not a dependency of Townsquare: `pip install datasketch` to compare; without
it only our implementation is measured.) Posts are made of a fixed vocabulary by a seeded
generator, 8 to 40 words each; one in ten is a near copy (a word changed) of an earlier post.
Both sides use 100 permutations and 20 bands of 5 rows on the same normalised 5-character
shingles, so the figures compare hashing and indexing, not text handling. Measured:
(1) signatures per second (normalising, shingling and hashing each post);
(2) building an in-memory LSH index of every post;
(3) the median and 99th-percentile time of one copy query (the candidates of a post's
    buckets), over 1,000 queries.
"""

import argparse
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from townsquare.microblog.fingerprints import (
    DEFAULT_PARAMETERS,
    band_buckets,
    normalise,
    signature,
)

VOCABULARY = [f"w{n}" for n in range(5000)]


def say(message: str) -> None:
    print(message, flush=True)


def make_posts(count: int, seed: int) -> list[str]:
    draw = random.Random(seed)
    made: list[str] = []
    for _ in range(count):
        if made and draw.random() < 0.1:
            words = draw.choice(made).split()
            words[draw.randrange(len(words))] = draw.choice(VOCABULARY)
        else:
            words = draw.choices(VOCABULARY, k=draw.randint(8, 40))
        made.append(" ".join(words))
    return made


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def query_times(query: Callable[[int], object], count: int, total: int) -> tuple[float, float]:
    draw = random.Random(7)
    times = []
    for _ in range(count):
        post = draw.randrange(total)
        start = time.perf_counter()
        query(post)
        times.append(time.perf_counter() - start)
    times.sort()
    return statistics.median(times), times[int(0.99 * len(times))]


def ours(posts: Sequence[str]) -> None:
    seconds, buckets = timed(lambda: [band_buckets(signature(p)) for p in posts])
    say(f"ours: {len(posts) / seconds:,.0f} signatures/s (with buckets)")
    index: dict[tuple[int, int], list[int]] = defaultdict(list)

    def build() -> None:
        for post_id, post_buckets in enumerate(buckets):
            for band, bucket in enumerate(post_buckets):
                index[band, bucket].append(post_id)

    build_seconds, _ = timed(build)
    say(f"ours: index built in {build_seconds:.2f} s")

    def query(post_id: int) -> set[int]:
        return {c for b, k in enumerate(buckets[post_id]) for c in index[b, k]}

    median, p99 = query_times(query, 1000, len(posts))
    say(f"ours: query median {median * 1e6:.0f} µs, p99 {p99 * 1e6:.0f} µs")


def theirs(posts: Sequence[str]) -> None:
    try:
        from datasketch import MinHash, MinHashLSH  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        say("datasketch is not installed: skipped")
        return
    size = DEFAULT_PARAMETERS.shingle_size

    def sign(text: str) -> Any:
        norm = normalise(text)
        grams = {norm[i : i + size] for i in range(max(len(norm) - size + 1, 1))}
        made = MinHash(num_perm=DEFAULT_PARAMETERS.permutations, seed=1)
        made.update_batch([g.encode() for g in grams])
        return made

    seconds, signed = timed(lambda: [sign(p) for p in posts])
    say(f"datasketch: {len(posts) / seconds:,.0f} signatures/s")
    lsh = MinHashLSH(
        num_perm=DEFAULT_PARAMETERS.permutations,
        params=(DEFAULT_PARAMETERS.bands, DEFAULT_PARAMETERS.rows),
    )

    def build() -> None:
        with lsh.insertion_session() as session:
            for post_id, made in enumerate(signed):
                session.insert(post_id, made)

    build_seconds, _ = timed(build)
    say(f"datasketch: index built in {build_seconds:.2f} s")
    median, p99 = query_times(lambda post_id: lsh.query(signed[post_id]), 1000, len(posts))
    say(f"datasketch: query median {median * 1e6:.0f} µs, p99 {p99 * 1e6:.0f} µs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    posts = make_posts(args.posts, args.seed)
    say(f"{len(posts):,} posts, {sum(map(len, posts)) / len(posts):.0f} characters on average")
    ours(posts)
    theirs(posts)


if __name__ == "__main__":
    main()
