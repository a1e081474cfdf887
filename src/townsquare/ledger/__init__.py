"""Layer 2: the moderation ledger's pure core — a C2SP transparency log, minus the I/O.

RFC 9162 Merkle hashing and proofs, signed notes (c2sp.org/signed-note, byte-compatible with
Go's golang.org/x/mod/sumdb/note), checkpoints, witness cosignatures (cosignature/v1), tiles
and entry bundles (c2sp.org/tlog-tiles), and receipts (c2sp.org/tlog-proof). Everything here is
a pure function of its arguments: no database, clock, network or global randomness. Time and
randomness are parameters; tiles are passed in as bytes.

Around that core, the log in the server: canonical JSON entries (RFC 8785), `LedgerLog`
(append inside a domain transaction, integrate in batches, serve tiles and proofs from the
database), the `Sequencer` thread with its `Leadership` (one sequencer works at a time when
several processes share a database: `leadership_for`), and the key file.

Errors: `MalformedError` for input that breaks a format or range (`EntryTooLargeError` for an
entry over 65,535 bytes), `VerificationError` for a proof, root or signature that does not
verify, `LedgerNotFoundError` for what lies beyond the log, `LedgerKeyError` for an unusable
key file; all are `LedgerError`s (`TownsquareError`s).
"""

from townsquare.ledger._bundles import MAX_ENTRY_SIZE, decode_bundle, encode_bundle, open_bundle
from townsquare.ledger._checkpoint import Checkpoint, open_checkpoint, parse_checkpoint
from townsquare.ledger._entries import (
    JSON,
    MAX_SAFE_INTEGER,
    Entry,
    canonical_json,
    decode_entry,
    encode_entry,
)
from townsquare.ledger._errors import (
    EntryTooLargeError,
    LedgerError,
    LedgerKeyError,
    LedgerNotFoundError,
    MalformedError,
    VerificationError,
)
from townsquare.ledger._hashing import EMPTY_ROOT, HASH_SIZE, leaf_hash, node_hash, root_hash
from townsquare.ledger._key_file import read_or_create_signer
from townsquare.ledger._keys import (
    CosignatureSigner,
    NoteSigner,
    SignatureType,
    Signer,
    TimedCosigner,
    Verifier,
    cosignature_timestamp,
    generate_signer,
    key_id,
)
from townsquare.ledger._leadership import (
    AdvisoryLockLeadership,
    Leadership,
    SoleLeadership,
    leadership_for,
)
from townsquare.ledger._log import DEFAULT_BATCH, EntryProof, LedgerLog
from townsquare.ledger._notes import MAX_SIGNATURES, Note, NoteSignature, open_note, sign_note
from townsquare.ledger._proofs import (
    consistency_proof,
    consistency_ranges,
    inclusion_proof,
    inclusion_ranges,
)
from townsquare.ledger._receipts import RECEIPT_HEADER, Receipt, parse_receipt, verify_receipt
from townsquare.ledger._sequencer import Sequencer
from townsquare.ledger._tile_growth import Growth, grow_tiles, right_edge
from townsquare.ledger._tile_reading import (
    consistency_proof_from_tiles,
    inclusion_proof_from_tiles,
    root_from_tiles,
    tiles_for_consistency,
    tiles_for_inclusion,
    tiles_for_root,
    verify_tiles,
)
from townsquare.ledger._tiles import (
    MAX_TILE_LEVEL,
    TILE_HEIGHT,
    TILE_WIDTH,
    Tile,
    decode_tile,
    entry_bundle_path,
    tile_hashes,
    tile_path,
    tiles_added,
    tiles_for_size,
)
from townsquare.ledger._verification import verify_consistency, verify_inclusion
from townsquare.ledger._verifier import (
    VerifiedState,
    VerifierState,
    VerifierStateDirectory,
    verify_log,
)
from townsquare.ledger._witness import (
    AddCheckpoint,
    Witness,
    WitnessDecision,
    WitnessOutcome,
    WitnessState,
    WitnessStateDirectory,
    parse_add_checkpoint,
)
from townsquare.ledger._witness_client import WitnessSubmitter

__all__ = [
    "DEFAULT_BATCH",
    "EMPTY_ROOT",
    "HASH_SIZE",
    "JSON",
    "MAX_ENTRY_SIZE",
    "MAX_SAFE_INTEGER",
    "MAX_SIGNATURES",
    "MAX_TILE_LEVEL",
    "RECEIPT_HEADER",
    "TILE_HEIGHT",
    "TILE_WIDTH",
    "AddCheckpoint",
    "AdvisoryLockLeadership",
    "Checkpoint",
    "CosignatureSigner",
    "Entry",
    "EntryProof",
    "EntryTooLargeError",
    "Growth",
    "Leadership",
    "LedgerError",
    "LedgerKeyError",
    "LedgerLog",
    "LedgerNotFoundError",
    "MalformedError",
    "Note",
    "NoteSignature",
    "NoteSigner",
    "Receipt",
    "Sequencer",
    "SignatureType",
    "Signer",
    "SoleLeadership",
    "Tile",
    "TimedCosigner",
    "VerificationError",
    "VerifiedState",
    "Verifier",
    "VerifierState",
    "VerifierStateDirectory",
    "Witness",
    "WitnessDecision",
    "WitnessOutcome",
    "WitnessState",
    "WitnessStateDirectory",
    "WitnessSubmitter",
    "canonical_json",
    "consistency_proof",
    "consistency_proof_from_tiles",
    "consistency_ranges",
    "cosignature_timestamp",
    "decode_bundle",
    "decode_entry",
    "decode_tile",
    "encode_bundle",
    "encode_entry",
    "entry_bundle_path",
    "generate_signer",
    "grow_tiles",
    "inclusion_proof",
    "inclusion_proof_from_tiles",
    "inclusion_ranges",
    "key_id",
    "leadership_for",
    "leaf_hash",
    "node_hash",
    "open_bundle",
    "open_checkpoint",
    "open_note",
    "parse_add_checkpoint",
    "parse_checkpoint",
    "parse_receipt",
    "read_or_create_signer",
    "right_edge",
    "root_from_tiles",
    "root_hash",
    "sign_note",
    "tile_hashes",
    "tile_path",
    "tiles_added",
    "tiles_for_consistency",
    "tiles_for_inclusion",
    "tiles_for_root",
    "tiles_for_size",
    "verify_consistency",
    "verify_inclusion",
    "verify_log",
    "verify_receipt",
    "verify_tiles",
]
