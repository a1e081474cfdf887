"""The log in the server: entries appended inside domain transactions, integrated by a sequencer.

Two paths, as in Tessera and Sunlight:

* the write path — `append` queues an entry in the caller's transaction; `integrate` (the
  sequencer) later gives queued entries their tree indexes, grows the edge tiles and signs a
  checkpoint, all in one transaction;
* the read path — checkpoints, tiles, bundles, entries and proofs, served from rows that only
  ever grow: a tile row holds the newest version of a tile, and every narrower version of it
  is a prefix, so a proof read while the sequencer runs is still correct for its checkpoint.

One tree, never two: on PostgreSQL `integrate` first takes a transaction-scoped advisory lock,
so sequencers in several processes take turns; on SQLite the write transaction's
BEGIN IMMEDIATE does the same. The primary key on the tree index is the second guard.
"""

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, func, insert, select, tuple_, update

from townsquare.kernel import Clock
from townsquare.ledger._bundles import encode_bundle
from townsquare.ledger._checkpoint import Checkpoint, parse_checkpoint
from townsquare.ledger._codec import MAX_INT64
from townsquare.ledger._entries import decode_entry
from townsquare.ledger._errors import LedgerError, LedgerNotFoundError, MalformedError
from townsquare.ledger._hashing import EMPTY_ROOT, HASH_SIZE, leaf_hash
from townsquare.ledger._keys import Signer, Verifier
from townsquare.ledger._notes import open_note, sign_note
from townsquare.ledger._receipts import Receipt
from townsquare.ledger._tile_growth import grow_tiles, right_edge
from townsquare.ledger._tile_reading import (
    consistency_proof_from_tiles,
    inclusion_proof_from_tiles,
    tiles_for_consistency,
    tiles_for_inclusion,
)
from townsquare.ledger._tiles import TILE_HEIGHT, TILE_WIDTH, Tile
from townsquare.storage import Database
from townsquare.storage.tables import (
    ledger_checkpoints,
    ledger_cosignatures,
    ledger_entries,
    ledger_pending,
    ledger_tiles,
)

__all__ = ["DEFAULT_BATCH", "EntryProof", "LedgerLog"]

DEFAULT_BATCH = 10_000
# pg_advisory_xact_lock key: the CRC-32 of a fixed name, stable across versions and unlikely
# to meet another application's lock in a shared database.
_SEQUENCER_LOCK = zlib.crc32(b"townsquare.ledger.sequencer")
_DELETE_CHUNK = 500
_QUEUE_ENTRY = insert(
    ledger_pending
)  # ids per DELETE … IN (…), well under SQLite's bound-parameter limit


@dataclass(frozen=True)
class EntryProof:
    """Entry `index`, its leaf hash, and its inclusion proof against a signed checkpoint."""

    index: int
    entry: bytes
    leaf_hash: bytes
    proof: tuple[bytes, ...]
    checkpoint: Checkpoint
    note: bytes  # the signed checkpoint, with any witness cosignatures

    def receipt(self) -> bytes:
        """The c2sp.org/tlog-proof@v1 receipt for this entry."""
        return Receipt(self.index, self.proof, self.note).format()


class LedgerLog:
    """A C2SP tiled transparency log stored in the database, signed with `signer`.

    The origin is the signer's key name (c2sp.org/tlog-checkpoint: they SHOULD be equal).
    """

    def __init__(self, db: Database, signer: Signer, clock: Clock) -> None:
        self._db = db
        self._signer = signer
        self._clock = clock

    @property
    def origin(self) -> str:
        return self._signer.name

    @property
    def verifier(self) -> Verifier:
        return self._signer.verifier()

    def vkey(self) -> str:
        """The log's public key, `<origin>+<hex id>+<base64>`, for verifiers and witnesses."""
        return self.verifier.vkey()

    # -- the write path --------------------------------------------------------------------

    def append(self, conn: Connection, entry: bytes) -> int:
        """Queue `entry` (from `encode_entry`) for the tree in the caller's transaction;
        return its queue id.

        MUST be called inside the caller's write transaction (`db.write()`), so the entry
        commits with the change it records or not at all. It MUST NOT assign the tree index:
        the sequencer does, in commit order, so concurrent appenders never contend.
        """
        decode_entry(entry)  # only canonical typed entries (`encode_entry`) are logged
        row = {"entry": entry, "created_at": self._clock.now()}
        key = conn.execute(_QUEUE_ENTRY, row).inserted_primary_key
        if key is None:  # every dialect we run on reports it (lastrowid, RETURNING)
            raise LedgerError("append: the database did not report the queued entry's id")
        return int(key[0])

    def append_many(self, conn: Connection, entries: Sequence[bytes]) -> None:
        """`append` for several entries at once (one statement); the same contract holds."""
        for entry in entries:
            decode_entry(entry)
        if entries:
            now = self._clock.now()
            conn.execute(_QUEUE_ENTRY, [{"entry": entry, "created_at": now} for entry in entries])

    def integrate(self, max_batch: int = DEFAULT_BATCH) -> Checkpoint | None:
        """Integrate up to `max_batch` queued entries and sign the new checkpoint; None when
        nothing was queued.

        In one write transaction:
        (1) take the sequencer lock (PostgreSQL; SQLite's write transaction already holds it);
        (2) read the current tree size and the queued entries, oldest first;
        (3) give them the next indexes and store them; remove them from the queue;
        (4) grow the edge tiles and compute the new root from them;
        (5) sign and store the checkpoint.
        """
        if max_batch < 1:
            raise MalformedError(f"max_batch: expected at least 1, found {max_batch}")
        with self._db.write() as conn:
            # (1)
            self._lock(conn)
            # (2)
            size = _current_size(conn)
            pending = conn.execute(
                select(ledger_pending.c.id, ledger_pending.c.entry)
                .order_by(ledger_pending.c.id)
                .limit(max_batch)
            ).all()
            if not pending:
                return None
            # (3)
            now = self._clock.now()
            hashes = [leaf_hash(row.entry) for row in pending]
            _store_entries(conn, size, [row.entry for row in pending], hashes, now)
            _delete_pending(conn, [row.id for row in pending])
            # (4)
            edge = _read_tiles(conn, right_edge(size))
            growth = grow_tiles(size, edge, hashes)
            _store_tiles(conn, edge, growth.changed)
            # (5)
            checkpoint = Checkpoint(self.origin, growth.size, growth.root_hash)
            self._store_checkpoint(conn, checkpoint, now)
            return checkpoint

    def resign(self) -> Checkpoint:
        """Sign the latest checkpoint again (the empty tree's, if nothing was ever integrated).

        An idle log still publishes: witnesses cosign with a fresh timestamp, which tells
        clients the log was alive and unforked at that time. Ed25519 is deterministic, so the
        signature bytes do not change; what changes is `signed_at`, and the checkpoint is
        submitted to the witnesses again.
        """
        with self._db.write() as conn:
            self._lock(conn)
            row = _latest_checkpoint_row(conn)
            now = self._clock.now()
            if row is None:
                checkpoint = Checkpoint(self.origin, 0, EMPTY_ROOT)
                self._store_checkpoint(conn, checkpoint, now)
                return checkpoint
            checkpoint = Checkpoint(self.origin, row.size, row.root_hash)
            conn.execute(
                update(ledger_checkpoints)
                .where(ledger_checkpoints.c.size == row.size)
                .values(note=self._sign(checkpoint).decode(), signed_at=now)
            )
            return checkpoint

    def add_cosignature(self, size: int, witness: Verifier, signature_line: str) -> None:
        """Store a witness's cosignature of the checkpoint of `size`, once it verifies.

        `signature_line` is one note signature line, `— <name> <base64>\\n`, as a witness
        answers `add-checkpoint` (c2sp.org/tlog-witness).
        """
        with self._db.write() as conn:
            note = conn.execute(
                select(ledger_checkpoints.c.note).where(ledger_checkpoints.c.size == size)
            ).scalar_one_or_none()
            if note is None:
                raise LedgerNotFoundError(f"checkpoint of size {size}: none was signed")
            open_note((note + signature_line).encode(), [witness])
            row = {
                "size": size,
                "witness": witness.name,
                "key_id": witness.key_id,
                "line": signature_line,
                "cosigned_at": self._clock.now(),
            }
            conn.execute(
                delete(ledger_cosignatures).where(
                    ledger_cosignatures.c.size == size,
                    ledger_cosignatures.c.witness == witness.name,
                    ledger_cosignatures.c.key_id == witness.key_id,
                )
            )
            conn.execute(insert(ledger_cosignatures), row)

    # -- the read path ---------------------------------------------------------------------

    def size(self) -> int:
        """The size of the latest signed checkpoint (entries still queued do not count)."""
        with self._db.read() as conn:
            return _current_size(conn)

    def checkpoint(self) -> Checkpoint:
        """The latest checkpoint (the empty tree's when nothing was integrated yet)."""
        with self._db.read() as conn:
            row = _latest_checkpoint_row(conn)
        if row is None:
            return Checkpoint(self.origin, 0, EMPTY_ROOT)
        return Checkpoint(self.origin, row.size, row.root_hash)

    def checkpoint_note(self) -> bytes:
        """The latest signed checkpoint with its witness cosignatures (`/checkpoint`)."""
        with self._db.read() as conn:
            return self._checkpoint_note(conn)[1]

    def checkpoint_note_at(self, size: int) -> bytes:
        """The log-signed note of the checkpoint of `size`, without cosignatures."""
        with self._db.read() as conn:
            note = conn.execute(
                select(ledger_checkpoints.c.note).where(ledger_checkpoints.c.size == size)
            ).scalar_one_or_none()
        if note is None and size == 0:
            return self._sign(Checkpoint(self.origin, 0, EMPTY_ROOT))
        if note is None:
            raise LedgerNotFoundError(f"checkpoint of size {size}: none was signed")
        return str(note).encode()

    def signed_at(self) -> datetime | None:
        """When the latest checkpoint was last signed; None before the first signing."""
        with self._db.read() as conn:
            row = _latest_checkpoint_row(conn)
        return None if row is None else row.signed_at

    def tile(self, level: int, index: int, width: int = TILE_WIDTH) -> bytes:
        """Hash tile `level`/`index` at `width` (tlog-tiles `tile/<L>/<N>[.p/<W>]`)."""
        tile = Tile(level, index, width)
        if index << (TILE_HEIGHT * (level + 1)) > MAX_INT64:
            raise LedgerNotFoundError(f"{tile.path}: beyond any tree this log can hold")
        with self._db.read() as conn:
            stored = _read_tiles(conn, [tile]).get(tile)
        if stored is None:
            raise LedgerNotFoundError(f"{tile.path}: the log has no such tile yet")
        return b"".join(stored)

    def bundle(self, index: int, width: int = TILE_WIDTH) -> bytes:
        """The entry bundle behind level-0 tile `index` (tlog-tiles `tile/entries/<N>…`)."""
        tile = Tile(0, index, width)
        first = index * TILE_WIDTH
        entries = self.entries(first, first + width) if first <= MAX_INT64 - width else []
        if len(entries) != width:
            raise LedgerNotFoundError(
                f"{tile.path.replace('tile/0/', 'tile/entries/')}: the log has no such bundle yet"
            )
        return encode_bundle(entries)

    def entry(self, index: int) -> bytes:
        """Entry `index` of the tree."""
        found = self.entries(index, index + 1) if 0 <= index < MAX_INT64 else []
        if not found:
            raise LedgerNotFoundError(f"entry {index}: the log holds entries 0 to size - 1 only")
        return found[0]

    def entries(self, start: int, stop: int) -> list[bytes]:
        """Entries `start` to `stop - 1` that the tree holds (fewer at its end)."""
        start, stop = max(0, start), min(stop, MAX_INT64)
        with self._db.read() as conn:
            rows = conn.execute(
                select(ledger_entries.c.entry)
                .where(ledger_entries.c.idx >= start, ledger_entries.c.idx < stop)
                .order_by(ledger_entries.c.idx)
            ).scalars()
            return list(rows)

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """The audit path of entry `index` in the tree of `size` entries, read from tiles."""
        with self._db.read() as conn:
            return self._inclusion_proof(conn, index, size)

    def consistency_proof(self, old_size: int, new_size: int) -> list[bytes]:
        """The consistency proof from `old_size` to `new_size` (at most the log's size),
        read from tiles; empty from size 0 (c2sp.org/tlog-witness)."""
        with self._db.read() as conn:
            current = _current_size(conn)
            if not 0 <= old_size <= new_size <= current:
                raise LedgerNotFoundError(
                    f"consistency {old_size} -> {new_size}: expected 0 <= old <= new <= {current}"
                )
            if old_size == 0:
                return []
            stored = _read_tiles(conn, tiles_for_consistency(old_size, new_size))
        files = {tile: b"".join(hashes) for tile, hashes in stored.items()}
        return consistency_proof_from_tiles(old_size, new_size, files)

    def cosigned_size(self, witness: Verifier) -> int:
        """The largest checkpoint size `witness` has cosigned for this log (0 if none)."""
        with self._db.read() as conn:
            size = conn.execute(
                select(func.max(ledger_cosignatures.c.size)).where(
                    ledger_cosignatures.c.witness == witness.name,
                    ledger_cosignatures.c.key_id == witness.key_id,
                )
            ).scalar_one_or_none()
        return int(size or 0)

    def prove(self, index: int) -> EntryProof:
        """Entry `index` with its inclusion proof against the latest signed checkpoint."""
        with self._db.read() as conn:
            checkpoint, note = self._checkpoint_note(conn)
            proof = self._inclusion_proof(conn, index, checkpoint.size)
            entry = conn.execute(
                select(ledger_entries.c.entry).where(ledger_entries.c.idx == index)
            ).scalar_one()
        return EntryProof(index, entry, leaf_hash(entry), tuple(proof), checkpoint, note)

    def receipt(self, index: int) -> bytes:
        """A c2sp.org/tlog-proof@v1 receipt for entry `index` against the latest checkpoint."""
        return self.prove(index).receipt()

    # -- helpers ---------------------------------------------------------------------------

    def _lock(self, conn: Connection) -> None:
        if conn.dialect.name == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(_SEQUENCER_LOCK)))

    def _sign(self, checkpoint: Checkpoint) -> bytes:
        return sign_note(checkpoint.format(), [self._signer])

    def _store_checkpoint(self, conn: Connection, checkpoint: Checkpoint, now: datetime) -> None:
        row = {
            "size": checkpoint.size,
            "root_hash": checkpoint.root_hash,
            "note": self._sign(checkpoint).decode(),
            "signed_at": now,
        }
        conn.execute(insert(ledger_checkpoints), row)

    def _checkpoint_note(self, conn: Connection) -> tuple[Checkpoint, bytes]:
        row = _latest_checkpoint_row(conn)
        if row is None:
            empty = Checkpoint(self.origin, 0, EMPTY_ROOT)
            return empty, self._sign(empty)  # deterministic: the same bytes `resign` stores
        lines = conn.execute(
            select(ledger_cosignatures.c.line)
            .where(ledger_cosignatures.c.size == row.size)
            .order_by(ledger_cosignatures.c.witness, ledger_cosignatures.c.key_id)
        ).scalars()
        return parse_checkpoint(_note_text(row.note)), (row.note + "".join(lines)).encode()

    def _inclusion_proof(self, conn: Connection, index: int, size: int) -> list[bytes]:
        current = _current_size(conn)
        if not 0 <= size <= current:
            raise LedgerNotFoundError(f"tree size {size}: expected 0 to the log's size {current}")
        if not 0 <= index < size:
            raise LedgerNotFoundError(
                f"entry {index}: expected 0 to {size - 1} in a tree of {size}"
            )
        needed = tiles_for_inclusion(index, size)
        stored = _read_tiles(conn, needed)
        files = {tile: b"".join(hashes) for tile, hashes in stored.items()}
        return inclusion_proof_from_tiles(index, size, files)


def _note_text(note: str) -> str:
    """The text of a signed note: everything before the last blank line."""
    return note[: note.rindex("\n\n") + 1]


def _current_size(conn: Connection) -> int:
    size = conn.execute(select(func.max(ledger_checkpoints.c.size))).scalar_one_or_none()
    return int(size or 0)


def _latest_checkpoint_row(conn: Connection) -> Row[Any] | None:
    return conn.execute(
        select(ledger_checkpoints).order_by(ledger_checkpoints.c.size.desc()).limit(1)
    ).first()


def _store_entries(
    conn: Connection, size: int, entries: Sequence[bytes], hashes: Sequence[bytes], now: datetime
) -> None:
    rows = [
        {"idx": size + offset, "entry": entry, "leaf_hash": hashed, "integrated_at": now}
        for offset, (entry, hashed) in enumerate(zip(entries, hashes, strict=True))
    ]
    conn.execute(insert(ledger_entries), rows)


def _delete_pending(conn: Connection, ids: Sequence[int]) -> None:
    # By id, never by range: on PostgreSQL a row with a smaller id may commit after this
    # batch was read, and must wait for the next batch rather than vanish.
    for start in range(0, len(ids), _DELETE_CHUNK):
        chunk = ids[start : start + _DELETE_CHUNK]
        conn.execute(delete(ledger_pending).where(ledger_pending.c.id.in_(chunk)))


def _read_tiles(conn: Connection, tiles: Sequence[Tile]) -> dict[Tile, list[bytes]]:
    """The stored hashes of `tiles`, cut to each one's width; a tile stored narrower than
    asked for is left out."""
    if not tiles:
        return {}
    keys = [(tile.level, tile.index) for tile in tiles]
    rows = conn.execute(
        select(ledger_tiles.c.level, ledger_tiles.c.idx, ledger_tiles.c.data).where(
            tuple_(ledger_tiles.c.level, ledger_tiles.c.idx).in_(keys)
        )
    ).all()
    data = {(row.level, row.idx): bytes(row.data) for row in rows}
    found = {}
    for tile in tiles:
        stored = data.get((tile.level, tile.index), b"")
        if len(stored) >= tile.width * HASH_SIZE:
            cut = stored[: tile.width * HASH_SIZE]
            found[tile] = [cut[at : at + HASH_SIZE] for at in range(0, len(cut), HASH_SIZE)]
    return found


def _store_tiles(
    conn: Connection, old_edge: Mapping[Tile, list[bytes]], changed: Mapping[Tile, list[bytes]]
) -> None:
    existing = {(tile.level, tile.index) for tile in old_edge}
    new_rows: list[dict[str, Any]] = []
    updated: list[dict[str, Any]] = []
    for tile, hashes in changed.items():
        row = {"level": tile.level, "idx": tile.index, "data": b"".join(hashes)}
        (updated if (tile.level, tile.index) in existing else new_rows).append(row)
    if new_rows:
        conn.execute(insert(ledger_tiles), new_rows)
    for row in updated:
        conn.execute(
            update(ledger_tiles)
            .where(ledger_tiles.c.level == row["level"], ledger_tiles.c.idx == row["idx"])
            .values(data=row["data"])
        )
