"""Benchmark: root computation and full-tree verification of a 1,000,000-entry ledger.

    .venv/bin/python bench/ledger_verify.py [entries]

Two timed phases, each reported in entries per second (goal: >= 50,000/s with stdlib hashlib):

* root: leaf-hash every entry and compute the RFC 9162 root (what a sequencer does to sign a
  checkpoint over the whole log from scratch);
* full verification: what `townsquare ledger verify` does once it has downloaded everything —
  check the signed checkpoint, check every entry bundle against its level-0 tile, check every
  tile against the tiles above it, and rebuild the checkpoint's root from the tiles.

Building the tiles and bundles (the server's work) is not timed.
"""

import sys
import time
from collections.abc import Callable
from typing import TypeVar

from townsquare.ledger import (
    Checkpoint,
    Signer,
    Tile,
    encode_bundle,
    leaf_hash,
    open_bundle,
    open_checkpoint,
    root_hash,
    sign_note,
    tile_hashes,
    tiles_for_size,
    verify_tiles,
)

ORIGIN = "bench.example/moderation-log"
T = TypeVar("T")


def timed(label: str, count: int, work: Callable[[], T]) -> tuple[T, float]:
    """Run `work`, print wall-clock and CPU rates (CPU is the fair figure on a busy machine)."""
    start, start_cpu = time.perf_counter(), time.process_time()
    result = work()
    seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    print(
        f"{label:<20} wall {seconds:6.2f} s {count / seconds:>10,.0f} entries/s"
        f" | cpu {cpu:6.2f} s {count / cpu:>10,.0f} entries/s"
    )
    return result, seconds


def make_entries(count: int) -> list[bytes]:
    # ~80 bytes, the size of a canonically encoded moderation action (ids, codes, a hash).
    return [b"v1|remove|post:%019d|rule:4.2@3|sha256:" % i + b"ab" * 16 for i in range(count)]


def serve(entries: list[bytes], leaf_hashes: list[bytes]) -> tuple[dict[Tile, bytes], list[bytes]]:
    """What the log would publish: every hash tile, and the bundle behind each level-0 tile."""
    every_tile = tiles_for_size(len(entries))
    tiles = {tile: b"".join(tile_hashes(tile, leaf_hashes)) for tile in every_tile}
    level0 = sorted(tile for tile in tiles if tile.level == 0)
    bundles = [encode_bundle(entries[t.index * 256 : t.index * 256 + t.width]) for t in level0]
    return tiles, bundles


def verify_everything(
    note: bytes, signer: Signer, tiles: dict[Tile, bytes], bundles: list[bytes]
) -> int:
    checkpoint = open_checkpoint(note, ORIGIN, signer.verifier())
    level0 = sorted(tile for tile in tiles if tile.level == 0)
    count = sum(len(open_bundle(b, tiles[t])) for t, b in zip(level0, bundles, strict=True))
    verify_tiles(checkpoint.size, checkpoint.root_hash, tiles)
    return count


def main(count: int) -> None:
    entries = make_entries(count)
    print(f"{count:,} entries, Python {sys.version.split()[0]}")

    def compute_root() -> tuple[list[bytes], bytes]:
        hashes = [leaf_hash(entry) for entry in entries]
        return hashes, root_hash(hashes)

    (hashes, root), root_seconds = timed("root", count, compute_root)
    signer = Signer(ORIGIN, bytes(32))
    note = sign_note(Checkpoint(ORIGIN, count, root).format(), [signer])
    tiles, bundles = serve(entries, hashes)
    verified, verify_seconds = timed(
        "full verification", count, lambda: verify_everything(note, signer, tiles, bundles)
    )
    assert verified == count
    total = root_seconds + verify_seconds
    print(f"{'root + verification':<20} wall {total:6.2f} s {count / total:>10,.0f} entries/s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
