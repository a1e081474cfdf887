"""A witness (c2sp.org/tlog-witness@v1): cosigns a log's checkpoints if the log only grows.

A log submits each new checkpoint with a consistency proof from the last size this witness
cosigned; the witness checks the log's signature and the proof, records the new checkpoint and
answers with a cosignature/v1 line (c2sp.org/tlog-cosignature). Because it never cosigns two
inconsistent trees of one log, a log that shows different histories to different readers is
caught as soon as they compare cosigned checkpoints.

The answer is a value, `WitnessDecision`: the HTTP edge maps its outcome to the status the spec
names. The clock (`now`) and the record of cosigned checkpoints (`WitnessState`) are passed in.
"""

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

from townsquare.ledger._checkpoint import Checkpoint, parse_checkpoint
from townsquare.ledger._codec import decode_base64, parse_decimal
from townsquare.ledger._errors import LedgerError, MalformedError, VerificationError
from townsquare.ledger._hashing import EMPTY_ROOT, require_hash
from townsquare.ledger._keys import CosignatureSigner, Verifier
from townsquare.ledger._notes import NoteSignature, open_note
from townsquare.ledger._verification import verify_consistency

__all__ = [
    "AddCheckpoint",
    "Witness",
    "WitnessDecision",
    "WitnessOutcome",
    "WitnessState",
    "WitnessStateDirectory",
    "parse_add_checkpoint",
]

_MAX_PROOF_LINES = 63  # c2sp.org/tlog-witness: "The client MUST NOT send more than 63"


class WitnessOutcome(Enum):
    """What became of an add-checkpoint request; the value is the status tlog-witness names."""

    COSIGNED = 200
    MALFORMED = 400
    UNTRUSTED = 403  # no signature by a trusted key, or a bad one
    UNKNOWN_LOG = 404
    CONFLICT = 409  # the old size is not the last cosigned size, or same size, other root
    BAD_PROOF = 422


@dataclass(frozen=True)
class WitnessDecision:
    """The outcome, the reason in words, and what the answer carries: the cosignature lines
    (COSIGNED) or the last cosigned size (CONFLICT on an old size)."""

    outcome: WitnessOutcome
    reason: str
    cosignatures: bytes = b""
    latest_size: int | None = None


@dataclass(frozen=True)
class AddCheckpoint:
    """A parsed add-checkpoint body: the size the log thinks we cosigned last, a consistency
    proof from it, and the signed checkpoint note."""

    old_size: int
    proof: tuple[bytes, ...]
    note: bytes


class WitnessState(Protocol):
    """The latest checkpoint this witness cosigned, per log origin.

    `latest` MUST return the checkpoint last stored for `origin`, or None if there is none.
    `replace` MUST, atomically, store `new` if the checkpoint stored for its origin is still
    `expected` and return True, or else change nothing and return False; it MUST NOT return
    True before `new` is durable (tlog-witness: "MUST persist the new checkpoint before
    responding", and the check and the update "must be performed atomically").
    """

    def latest(self, origin: str) -> Checkpoint | None: ...

    def replace(self, expected: Checkpoint | None, new: Checkpoint) -> bool: ...


def parse_add_checkpoint(body: bytes) -> AddCheckpoint:
    """Split an add-checkpoint body: `old <size>`, 0 to 63 base64 proof lines, a blank line,
    then the checkpoint note. Raises `MalformedError`."""
    head, separator, note = body.partition(b"\n\n")
    if not separator:
        raise MalformedError("add-checkpoint: expected a blank line before the checkpoint")
    try:
        old_line, *proof_lines = head.decode("ascii").split("\n")
    except UnicodeDecodeError:
        raise MalformedError("add-checkpoint: expected ASCII before the checkpoint") from None
    word, _, size = old_line.partition(" ")
    if word != "old":
        raise MalformedError(f"add-checkpoint: expected 'old <size>', found {old_line[:40]!r}")
    if len(proof_lines) > _MAX_PROOF_LINES:
        raise MalformedError(
            f"add-checkpoint: expected at most {_MAX_PROOF_LINES} proof lines, "
            f"found {len(proof_lines)}"
        )
    proof = tuple(decode_base64(line, "consistency proof line") for line in proof_lines)
    for hash_value in proof:
        require_hash(hash_value, "consistency proof line")
    return AddCheckpoint(parse_decimal(size, "old size"), proof, note)


@dataclass(frozen=True)
class Witness:
    """A witness cosigning with `cosigner` the checkpoints of the logs it trusts, keyed by
    origin (each log's keys), recording what it cosigned in `state`."""

    cosigner: CosignatureSigner
    logs: Mapping[str, Sequence[Verifier]]
    state: WitnessState

    def add_checkpoint(self, body: bytes, now: int) -> WitnessDecision:
        """Decide on one add-checkpoint request at POSIX time `now` (c2sp.org/tlog-witness).

        (1) Parse the body (400 if malformed).
        (2) Find the log by the checkpoint's origin (404) and open the note with its keys
            (403 if none of them signed, or a signature by one of them fails).
        (3) Require old size <= checkpoint size (400).
        (4) Require the old size to be the last size cosigned for this origin, zero if none
            (409, with that size); at the same size, require the same root (409).
        (5) Verify the consistency proof from the last cosigned root (422).
        (6) Cosign, then record the checkpoint atomically; if another request recorded one
            in between, decide again against it.
        """
        # (1)
        try:
            request = parse_add_checkpoint(body)
            checkpoint = parse_checkpoint(_unverified_text(request.note))
        except LedgerError as error:
            return WitnessDecision(WitnessOutcome.MALFORMED, str(error))
        # (2), (3)
        refusal = self._check_signed(request, checkpoint)
        while refusal is None:
            recorded = self.state.latest(checkpoint.origin)
            # (4), (5)
            refusal = _check_against(recorded, request, checkpoint)
            if refusal is None:
                # (6)
                line = self._cosignature_line(checkpoint, now)
                if self.state.replace(recorded, checkpoint):
                    reason = f"cosigned {checkpoint.origin} at size {checkpoint.size}"
                    return WitnessDecision(WitnessOutcome.COSIGNED, reason, line)
        return refusal

    def _check_signed(
        self, request: AddCheckpoint, checkpoint: Checkpoint
    ) -> WitnessDecision | None:
        """Steps (2) and (3): None if a key of the log signed and the sizes are in order."""
        keys = self.logs.get(checkpoint.origin)
        if not keys:
            return WitnessDecision(
                WitnessOutcome.UNKNOWN_LOG,
                f"checkpoint origin: expected one of {sorted(self.logs)}, "
                f"found {checkpoint.origin!r}",
            )
        try:
            open_note(request.note, keys)
        except MalformedError as error:
            return WitnessDecision(WitnessOutcome.MALFORMED, str(error))
        except VerificationError as error:
            return WitnessDecision(WitnessOutcome.UNTRUSTED, str(error))
        if request.old_size > checkpoint.size:
            return WitnessDecision(
                WitnessOutcome.MALFORMED,
                f"old size: expected <= {checkpoint.size}, found {request.old_size}",
            )
        return None

    def _cosignature_line(self, checkpoint: Checkpoint, now: int) -> bytes:
        text = checkpoint.format().encode()
        signature = self.cosigner.sign(text, now)
        return NoteSignature(self.cosigner.name, self.cosigner.key_id, signature).line().encode()


def _check_against(
    recorded: Checkpoint | None, request: AddCheckpoint, checkpoint: Checkpoint
) -> WitnessDecision | None:
    """Steps (4) and (5): None if `checkpoint` may follow the recorded one."""
    latest_size = recorded.size if recorded else 0
    latest_root = recorded.root_hash if recorded else EMPTY_ROOT
    # (4)
    if request.old_size != latest_size:
        return WitnessDecision(
            WitnessOutcome.CONFLICT,
            f"old size: expected {latest_size} (the last size cosigned), found {request.old_size}",
            latest_size=latest_size,
        )
    if checkpoint.size == latest_size > 0 and checkpoint.root_hash != latest_root:
        return WitnessDecision(
            WitnessOutcome.CONFLICT,
            f"root at size {latest_size}: expected the root cosigned before, found another",
            latest_size=latest_size,
        )
    # (5)
    try:
        verify_consistency(
            latest_size, checkpoint.size, latest_root, checkpoint.root_hash, request.proof
        )
    except VerificationError as error:
        return WitnessDecision(WitnessOutcome.BAD_PROOF, str(error))
    return None


def _unverified_text(note: bytes) -> str:
    """The text of a note (up to its last blank line), read only to learn its origin."""
    try:
        decoded = note.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedError("checkpoint note: expected UTF-8, found invalid bytes") from None
    text, separator, _ = decoded.rpartition("\n\n")
    if not separator:
        raise MalformedError("checkpoint note: expected a blank line before the signatures")
    return text + "\n"


class WitnessStateDirectory:
    """A `WitnessState` in a directory: one file per origin holding its checkpoint's text.

    `replace` holds an exclusive `flock` on `.lock` while it compares and writes, so requests
    served by several threads or processes cannot roll a log back (the race tlog-witness
    describes); the file is written to a temporary name, fsynced, renamed, and the directory
    fsynced, so the record is durable before the cosignature leaves.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def latest(self, origin: str) -> Checkpoint | None:
        try:
            text = self._file(origin).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        return parse_checkpoint(text)

    def replace(self, expected: Checkpoint | None, new: Checkpoint) -> bool:
        with self._locked():
            if self.latest(new.origin) != expected:
                return False
            self._write(self._file(new.origin), new.format().encode())
            return True

    def _file(self, origin: str) -> Path:
        return self.path / (quote(origin, safe="") + ".checkpoint")

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.mkdir(parents=True, exist_ok=True)
        with (self.path / ".lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _write(self, path: Path, data: bytes) -> None:
        descriptor, temporary = tempfile.mkstemp(dir=self.path, prefix=".tmp-")
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        directory = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
