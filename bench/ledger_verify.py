"""Benchmark: verifying a whole 1,000,000-entry ledger, as `townsquare ledger verify` does.

    .venv/bin/python bench/ledger_verify.py [entries] [--rounds N]

Goal (issue 3): full verification of a 1,000,000-entry log at >= 50,000 entries/s. Three timed
phases, each reported in entries per second, wall clock and CPU (the machine is shared, so CPU
is the fairer figure), as the median of `--rounds` rounds (default 3):

* root: leaf-hash every entry and compute the RFC 9162 root (what a sequencer does to sign a
  checkpoint over the whole log from scratch);
* tiles + bundles: the pure checks alone — open the signed checkpoint, check every entry
  bundle against its level-0 tile and every tile against the tiles above it and the root;
* verify_log: the real thing, end to end — `verify_log` reads the checkpoint, every tile and
  every entry bundle through a `fetch` callable serving the published files from memory, and
  checks all of the above plus that every entry parses as a canonical entry (`decode_entry`).

The entries are realistic canonical moderation decisions of about 250 bytes, made with
`encode_entry` (a few with non-ASCII reasons). Building and publishing the log (the server's
work) is not timed.
"""

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from townsquare.ledger import (
    Checkpoint,
    Signer,
    Tile,
    encode_bundle,
    encode_entry,
    entry_bundle_path,
    leaf_hash,
    open_bundle,
    open_checkpoint,
    root_hash,
    sign_note,
    tile_hashes,
    tiles_for_size,
    verify_log,
    verify_tiles,
)

ORIGIN = "bench.example/moderation-log"
SIGNER = Signer(ORIGIN, bytes(32))
_REASONS = (
    "unsolicited replies after being asked to stop",
    "réponses non sollicitées malgré une demande",
    "spam: the same link in unrelated threads",
    "doxxing: a private address published",
)


@dataclass(frozen=True)
class PublishedLog:
    """What the log serves: its files by tlog-tiles path, plus the tiles decoded by `Tile`."""

    files: dict[str, bytes]
    tiles: dict[Tile, bytes]
    bundles: list[bytes]  # in level-0 tile order

    def fetch(self, path: str) -> bytes:
        return self.files[path]


@dataclass(frozen=True)
class Rate:
    wall: float
    cpu: float


def make_entry(number: int) -> bytes:
    """A moderation decision as the moderation package logs it (ids as strings, RFC 8785)."""
    return encode_entry(
        "moderation.decision",
        1,
        {
            "action": "removal",
            "id": str(113_000_000_000_000_000 + number),
            "target": f"post:{113_400_000_000_000_000 + 7 * number}",
            "policy": {"id": "harassment", "version": 3},
            "reason": _REASONS[number % len(_REASONS)],
            "automated": number % 5 == 0,
            "at": f"2026-11-26T{number // 3600 % 24:02d}:{number // 60 % 60:02d}:00Z",
        },
    )


def publish(entries: list[bytes]) -> PublishedLog:
    """Every hash tile, the bundle behind each level-0 tile, and the signed checkpoint."""
    hashes = [leaf_hash(entry) for entry in entries]
    tiles = {tile: b"".join(tile_hashes(tile, hashes)) for tile in tiles_for_size(len(entries))}
    files = {tile.path: data for tile, data in tiles.items()}
    bundles = []
    for tile in sorted(tile for tile in tiles if tile.level == 0):
        first = tile.index * 256
        bundles.append(encode_bundle(entries[first : first + tile.width]))
        files[entry_bundle_path(tile.index, tile.width)] = bundles[-1]
    checkpoint = Checkpoint(ORIGIN, len(entries), root_hash(hashes))
    files["checkpoint"] = sign_note(checkpoint.format(), [SIGNER])
    return PublishedLog(files, tiles, bundles)


def compute_root(entries: list[bytes]) -> int:
    root_hash([leaf_hash(entry) for entry in entries])
    return len(entries)


def check_tiles_and_bundles(log: PublishedLog) -> int:
    checkpoint = open_checkpoint(log.files["checkpoint"], ORIGIN, SIGNER.verifier())
    level0 = sorted(tile for tile in log.tiles if tile.level == 0)
    pairs = zip(level0, log.bundles, strict=True)
    count = sum(len(open_bundle(bundle, log.tiles[tile])) for tile, bundle in pairs)
    verify_tiles(checkpoint.size, checkpoint.root_hash, log.tiles)
    return count


def run_verify_log(log: PublishedLog) -> int:
    return verify_log(log.fetch, SIGNER.verifier(), None).size


def measure(label: str, count: int, work: Callable[[], int], rounds: int) -> Rate:
    """Run `work` `rounds` times; print each round and the medians of the rates."""
    walls, cpus = [], []
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        if work() != count:
            raise SystemExit(f"{label}: expected {count:,} entries verified")
        walls.append(count / (time.perf_counter() - start))
        cpus.append(count / (time.process_time() - start_cpu))
    rate = Rate(statistics.median(walls), statistics.median(cpus))
    rounds_text = " / ".join(f"{wall:,.0f}" for wall in walls)
    print(
        f"{label:<16} wall {rate.wall:>9,.0f} entries/s | cpu {rate.cpu:>9,.0f} entries/s"
        f"   (wall rounds: {rounds_text})",
        flush=True,
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("entries", type=int, nargs="?", default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    count = args.entries

    entries = [make_entry(number) for number in range(count)]
    log = publish(entries)
    average = sum(map(len, entries)) / count
    print(f"{count:,} entries of {average:.0f} bytes on average, Python {sys.version.split()[0]}")
    measure("root", count, lambda: compute_root(entries), args.rounds)
    measure("tiles + bundles", count, lambda: check_tiles_and_bundles(log), args.rounds)
    measure("verify_log", count, lambda: run_verify_log(log), args.rounds)


if __name__ == "__main__":
    main()
