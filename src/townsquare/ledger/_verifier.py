"""Verifying a whole log from its tlog-tiles files: what `townsquare ledger verify` does.

Anyone holding a log's vkey can check everything a log serves, without trusting the server:
the checkpoint's signature, that the log only ever grew (consistency with the last checkpoint
this verifier saw), that every tile agrees with the signed root, and that every entry behind the
tiles is there, unaltered and well formed. The network and the disk are passed in: a `fetch`
callable reads a file of the log and a `VerifierState` remembers what earlier runs verified.

Full tiles and bundles never change (c2sp.org/tlog-tiles), so once verified they are kept and a
later run reads them from the state instead of the network. A kept copy only saves a
download: one that does not fit is fetched again, and only the log's own files and the last
verified checkpoint decide a verdict.
"""

import json
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from townsquare.ledger._bundles import open_bundle
from townsquare.ledger._checkpoint import Checkpoint, open_checkpoint
from townsquare.ledger._codec import decode_base64, encode_base64
from townsquare.ledger._entries import decode_entry
from townsquare.ledger._errors import LedgerError, MalformedError, VerificationError
from townsquare.ledger._keys import Verifier
from townsquare.ledger._tile_reading import consistency_proof_from_tiles, verify_tiles
from townsquare.ledger._tiles import TILE_WIDTH, Tile, entry_bundle_path, tiles_for_size
from townsquare.ledger._verification import verify_consistency

__all__ = [
    "CHECKPOINT_PATH",
    "Fetch",
    "OnEntry",
    "Progress",
    "VerifiedState",
    "VerifierState",
    "VerifierStateDirectory",
    "verify_log",
]

CHECKPOINT_PATH = "checkpoint"

Fetch = Callable[[str], bytes]
"""Reads one file of the log by its tlog-tiles path (`checkpoint`, `tile/0/000`, …).

It MUST return the file's bytes exactly as served, or raise; a `LedgerError` it raises is
reported as a verification failure naming the path."""

Progress = Callable[[int, int], None]
"""Told (files done, files in all) as tiles and bundles are obtained and checked."""

OnEntry = Callable[[int, bytes], None]
"""Told (index, entry) for every entry of the log, in index order, once its bundle is
verified: how a caller reads the published entries (to replay them) without fetching them
again. Until `verify_log` returns, the log as a whole is not yet verified."""


@dataclass(frozen=True)
class VerifiedState:
    """The checkpoint a verifier last verified, and the signed note it came in (evidence)."""

    origin: str
    size: int
    root_hash: bytes
    checkpoint: bytes

    def describe(self) -> str:
        return f"{self.origin} at size {self.size} (root {encode_base64(self.root_hash)})"


class VerifierState(Protocol):
    """What a verifier remembers between runs.

    `last_verified` MUST return the state last saved for this log, or None before the first
    success. `cached` MUST return exactly the bytes last passed to `keep` for `path`, or None.
    `keep` is only called for full (immutable) tiles and bundles that were verified.
    """

    def last_verified(self) -> VerifiedState | None: ...

    def cached(self, path: str) -> bytes | None: ...

    def keep(self, path: str, data: bytes) -> None: ...


def verify_log(
    fetch: Fetch,
    verifier: Verifier,
    state: VerifierState | None,
    progress: Progress | None = None,
    origin: str | None = None,
    witnesses: Sequence[Verifier] = (),
    quorum: int = 0,
    on_entry: OnEntry | None = None,
) -> VerifiedState:
    """Check the whole log behind `fetch`; return its new state for the caller to save.

    (1) Fetch the checkpoint and open it with the log's key; its origin must be `origin`
        (by default the key's name, which c2sp.org/tlog-checkpoint says it SHOULD be), and at
        least `quorum` of the `witnesses` must have cosigned it.
    (2) Compare it with the last verified checkpoint: a smaller size is a rollback, the same
        size with another root a fork.
    (3) Obtain every hash tile of the tree (full ones from the state when kept) and check them
        against each other and the signed root.
    (4) Prove from the tiles that the tree extends the last verified one (else: a fork).
    (5) Obtain every entry bundle; check its entries hash to its level-0 tile and parse;
        hand each to `on_entry`, in index order.
    (6) Keep the verified full tiles; return the new state.
    Every failure raises `VerificationError` saying what was expected and what was found.
    """
    files = _Files(fetch, state, progress)
    previous = state.last_verified() if state is not None else None
    # (1)
    note = files.fetch(CHECKPOINT_PATH)
    with _explained(CHECKPOINT_PATH):
        checkpoint = open_checkpoint(note, origin or verifier.name, verifier, witnesses, quorum)
    # (2)
    if previous is not None:
        _check_not_rolled_back(previous, checkpoint)
    files.expect(_file_count(checkpoint.size))
    # (3)
    tiles = _verified_tiles(checkpoint, files)
    # (4)
    if previous is not None:
        _check_extends(previous, checkpoint, tiles)
    # (5)
    for tile in sorted(tiles):
        if tile.level == 0:
            _check_bundle(tile, tiles[tile], files, on_entry)
    # (6)
    files.keep_full(tiles)
    return VerifiedState(checkpoint.origin, checkpoint.size, checkpoint.root_hash, note)


class _Files:
    """Obtains the log's files: kept copies first, else `fetch`; counts progress."""

    def __init__(self, fetch: Fetch, state: VerifierState | None, progress: Progress | None):
        self._fetch, self._state, self._progress = fetch, state, progress
        self.from_state: set[str] = set()
        self._done = self._total = 0

    def expect(self, total: int) -> None:
        self._total = total
        self._report()

    def fetch(self, path: str) -> bytes:
        with _explained(path):
            return self._fetch(path)

    def obtain(self, path: str, immutable: bool) -> bytes:
        kept = self._state.cached(path) if immutable and self._state is not None else None
        if kept is not None:
            self.from_state.add(path)
        data = kept if kept is not None else self.fetch(path)
        self._done += 1
        self._report()
        return data

    def refetch(self, path: str) -> bytes:
        """The log's own copy of a file that was read from the state."""
        self.from_state.discard(path)
        return self.fetch(path)

    def keep(self, path: str, data: bytes) -> None:
        if self._state is not None and path not in self.from_state:
            self._state.keep(path, data)

    def keep_full(self, tiles: Mapping[Tile, bytes]) -> None:
        for tile, data in tiles.items():
            if tile.is_full:
                self.keep(tile.path, data)

    def _report(self) -> None:
        if self._progress is not None:
            self._progress(self._done, self._total)


def _file_count(size: int) -> int:
    """Hash tiles plus entry bundles (one per level-0 tile)."""
    tiles = tiles_for_size(size)
    return len(tiles) + sum(tile.level == 0 for tile in tiles)


def _check_not_rolled_back(previous: VerifiedState, checkpoint: Checkpoint) -> None:
    if checkpoint.origin != previous.origin:
        raise VerificationError(
            f"state: expected a saved state of {checkpoint.origin}, found one of {previous.origin}"
        )
    if checkpoint.size < previous.size:
        raise VerificationError(
            f"rollback: expected a tree of at least {previous.size} entries (last verified: "
            f"{previous.describe()}), found a checkpoint of size {checkpoint.size}"
        )
    if checkpoint.size == previous.size and checkpoint.root_hash != previous.root_hash:
        raise VerificationError(
            f"fork: expected root {encode_base64(previous.root_hash)} at size {previous.size} "
            f"(last verified), found a checkpoint with root {encode_base64(checkpoint.root_hash)}"
        )


def _verified_tiles(checkpoint: Checkpoint, files: _Files) -> dict[Tile, bytes]:
    """Every hash tile of the checkpoint's tree, checked against its root.

    A kept tile that does not fit is read again from the log before giving up: the copy may
    be damaged, or the log may have rewritten that part of its history, which step (4) then
    reports as a fork. Kept copies only ever save downloads; they never decide a verdict.
    """
    size, root = checkpoint.size, checkpoint.root_hash
    tiles = {tile: files.obtain(tile.path, tile.is_full) for tile in tiles_for_size(size)}
    what = f"tiles of the checkpoint of size {size}"
    try:
        verify_tiles(size, root, tiles)
    except LedgerError as error:
        if not any(tile.path in files.from_state for tile in tiles):
            raise VerificationError(f"{what}: {error}") from error
        tiles = {
            tile: files.refetch(tile.path) if tile.path in files.from_state else data
            for tile, data in tiles.items()
        }
        with _explained(what):
            verify_tiles(size, root, tiles)
    return tiles


def _check_extends(
    previous: VerifiedState, checkpoint: Checkpoint, tiles: Mapping[Tile, bytes]
) -> None:
    with _explained("consistency"):
        proof = consistency_proof_from_tiles(previous.size, checkpoint.size, tiles)
    try:
        verify_consistency(
            previous.size, checkpoint.size, previous.root_hash, checkpoint.root_hash, proof
        )
    except LedgerError as error:
        raise VerificationError(
            f"fork: expected the tree of size {checkpoint.size} to extend the last verified "
            f"{previous.describe()}, found it does not ({error})"
        ) from error


def _check_bundle(tile: Tile, tile_data: bytes, files: _Files, on_entry: OnEntry | None) -> None:
    path = entry_bundle_path(tile.index, tile.width)
    bundle = files.obtain(path, tile.is_full)
    first = tile.index * TILE_WIDTH
    what = f"{path} (entries {first} to {first + tile.width - 1})"
    try:
        entries = open_bundle(bundle, tile_data)
    except LedgerError as error:
        if path not in files.from_state:
            raise VerificationError(f"{what}: {error}") from error
        bundle = files.refetch(path)  # the kept copy was damaged: the log's decides
        with _explained(what):
            entries = open_bundle(bundle, tile_data)
    _check_entries(first, entries)
    if tile.is_full:
        files.keep(path, bundle)
    if on_entry is not None:
        for index, entry in enumerate(entries, first):
            on_entry(index, entry)


def _check_entries(first: int, entries: list[bytes]) -> None:
    """Require every entry to parse; one `try` for the bundle rather than an `_explained` per
    entry, whose set-up showed in profiles of bench/ledger_verify.py."""
    position = first
    try:
        for position, entry in enumerate(entries, first):  # noqa: B007 (read in the handler)
            decode_entry(entry)
    except LedgerError as error:
        raise VerificationError(f"entry {position}: {error}") from error


@contextmanager
def _explained(what: str) -> Iterator[None]:
    """Re-raise any ledger refusal as a `VerificationError` saying which file it concerns."""
    try:
        yield
    except LedgerError as error:
        raise VerificationError(f"{what}: {error}") from error


class VerifierStateDirectory:
    """A `VerifierState` in a directory: `checkpoint.json` and the kept files under `files/`.

    Every write goes to a temporary file renamed into place, so a crash leaves either the old
    or the new file, never a torn one.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def last_verified(self) -> VerifiedState | None:
        try:
            text = (self.path / "checkpoint.json").read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        try:
            saved = json.loads(text)
            return VerifiedState(
                origin=saved["origin"],
                size=saved["size"],
                root_hash=decode_base64(saved["root_hash"], "saved root hash"),
                checkpoint=saved["checkpoint"].encode(),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise MalformedError(
                f"{self.path / 'checkpoint.json'}: expected a saved verifier state, found {error}"
            ) from None

    def save(self, verified: VerifiedState) -> None:
        saved = {
            "origin": verified.origin,
            "size": verified.size,
            "root_hash": encode_base64(verified.root_hash),
            "checkpoint": verified.checkpoint.decode(),
        }
        _write_atomically(self.path / "checkpoint.json", json.dumps(saved, indent=2).encode())

    def cached(self, path: str) -> bytes | None:
        try:
            return self._file(path).read_bytes()
        except FileNotFoundError:
            return None

    def keep(self, path: str, data: bytes) -> None:
        # Not fsynced: a kept copy only saves a download (a damaged one is fetched again),
        # and one fsync per tile would triple the time of a first run.
        _write_atomically(self._file(path), data, durable=False)

    def _file(self, path: str) -> Path:
        if not path.startswith("tile/") or ".." in path.split("/"):
            raise MalformedError(f"kept file: expected a tile path, found {path!r}")
        return self.path / "files" / path


def _write_atomically(path: Path, data: bytes, durable: bool = True) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            if durable:
                file.flush()
                os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
